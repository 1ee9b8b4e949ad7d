import { existsSync, truncateSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PAGE_SIZE } from '../../db/cipher'
import { FileKeyStore } from '../../db/keystore-file'
import { startLogFile, stopLogFile } from '../../db/log'
import { SCHEMA_VERSION } from '../../db/migrations'
import type { AboutInfo } from '../../electron/ipc/contract/about'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import type { Platform } from '../../electron/ipc/platform'
import { centerWithCore } from './backup-helpers'
import { useTempDirs } from './helpers'
import { coreTime } from '../clock'

const tempDir = useTempDirs()

afterEach(async () => {
  await stopLogFile()
})

describe('Help → About and diagnostics', () => {
  it('tells an admin the versions, the file, the schema, backups and the log folder; the text holds no record', async () => {
    const center = await centerWithCore(tempDir())
    const person = (await center.ok('participants.create', { firstName: 'Marisol', lastName: 'Quintanilla', phone: '5550142387' })) as { code: string }
    await center.ok('backups.saveSettings', { folder: center.usb, schedule: { kind: 'daily', time: '18:00' }, keepDaily: 7, keepWeekly: 8 })
    await center.ok('backups.run', {})
    await center.ok('backups.checkNow', {})

    const info = (await center.ok('about.info', {})) as AboutInfo
    expect(info.versions).toMatchObject({ electron: null, chromium: null, node: process.versions.node })
    expect(info.versions.sqlite).toMatch(/^3\.\d+\.\d+$/)
    expect(info.versions.cipher).toMatch(/^SQLite3 Multiple Ciphers \d/)
    expect(info.database).toMatchObject({ file: center.dbFile, state: 'open', schemaVersion: SCHEMA_VERSION, knownSchemaVersion: SCHEMA_VERSION })
    // The true size on disk: the main file with its write-ahead log and shared-memory index.
    const part = (suffix: string) => (existsSync(center.dbFile + suffix) ? statSync(center.dbFile + suffix).size : 0)
    expect(info.database.bytes.main).toBe(statSync(center.dbFile).size)
    expect(info.database.bytes.wal).toBeGreaterThan(0)
    expect(info.database.bytes.total).toBe(part('') + part('-wal') + part('-shm'))
    expect(info.care).toMatchObject({ backupFolder: center.usb, lastBackup: { ok: true }, integrity: { ok: true, problems: 0 } })
    expect(info.log).toEqual({ folder: null, writing: false, problem: null })

    const { text } = (await center.ok('about.diagnostics', {})) as { text: string }
    expect(text).toContain('not running in Electron')
    expect(text).toContain(`schema version ${SCHEMA_VERSION} (this Porchlight writes ${SCHEMA_VERSION})`)
    expect(text).toMatch(/^Last full integrity check: 2026-11-25 \d\d:\d\d UTC · ok$/m)
    expect(text).toMatch(/^Last backup: 2026-11-25 \d\d:\d\d UTC$/m)
    for (const secret of ['Marisol', 'Quintanilla', '5550142387', '0142387', person.code, 'Ines', 'Kofi', 'Lupe', 'a long enough password']) expect(text).not.toContain(secret)
    expect(text.split('\n').length).toBeLessThanOrEqual(12)
  })

  it('opens the log folder for an admin only, and says so when there is no log', async () => {
    const center = await centerWithCore(tempDir())
    const opened: string[] = []
    const platform = center.core.platform as Platform
    const spy: Platform = { ...platform, openFolder: async (folder) => void opened.push(folder) }
    Object.defineProperty(center.core, 'platform', { value: spy })
    const none = await center.call('about.openLogFolder', {})
    expect(none.ok ? null : none.error.key).toBe('about.noLogFolder')

    const logs = tempDir()
    await startLogFile(logs)
    expect(await center.ok('about.openLogFolder', {})).toEqual({ folder: logs })
    expect(opened).toEqual([logs])
    expect(((await center.ok('about.info', {})) as AboutInfo).log).toEqual({ folder: logs, writing: true, problem: null })

    const desk: Session = { staff: { ...center.session.staff!, role: 'front_desk' } }
    const refused = await dispatch('about.openLogFolder', {}, { core: center.core, session: desk }, () => {})
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN')
    const deskInfo = await dispatch('about.info', {}, { core: center.core, session: desk }, () => {})
    expect(deskInfo.ok && (deskInfo.value as AboutInfo).log).toBeNull()
  })

  it('answers on an idle-locked window without the records’ facts', async () => {
    const center = await centerWithCore(tempDir())
    center.session.locked = true
    const info = (await center.ok('about.info', {})) as AboutInfo
    expect(info.database.state).toBe('open')
    expect(info.care).toBeNull()
    expect(info.log).toBeNull()
    const { text } = (await center.ok('about.diagnostics', {})) as { text: string }
    expect(text).toContain('Backups and integrity checks: shown once a staff member signs in.')
  })

  it('answers while the database cannot be opened, naming why, signed out', async () => {
    const dir = tempDir()
    const center = await centerWithCore(dir)
    await center.core.close()
    truncateSync(center.dbFile, statSync(center.dbFile).size - PAGE_SIZE)
    const core = new PorchlightCore({ dbFile: center.dbFile, keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() })
    await core.start()
    const result = await dispatch('about.diagnostics', {}, { core, session: { staff: null } }, () => {})
    expect(result.ok).toBe(true)
    const text = (result as { value: { text: string } }).value.text
    expect(text).toMatch(/· refused \(DB_DAMAGED\) · schema version unknown/)
    expect(text).toContain('Backups and integrity checks: shown once a staff member signs in.')
    await core.close()
  })
})

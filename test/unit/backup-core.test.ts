import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { keyToHex } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { openDatabase } from '../../db/open'
import type { ChannelName } from '../../electron/ipc/channels'
import type { InputOf } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { ADMIN, centerWithCore } from './backup-helpers'
import { dbErrorCode, sha256File, tableCounts, useTempDirs } from './helpers'
import { coreTime } from '../clock'

const tempDir = useTempDirs()
describe('backups through the IPC door', () => {
  it('saves a folder, backs up now, lists it verified, previews and restores it (signing everyone out)', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    const bad = await t.call('backups.saveSettings', { folder: join(dir, 'nope'), schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/does not exist/), fields: { folder: { key: 'backups.folderProblem', params: { problem: { key: 'backup.noFolder' } } } } } })
    const relative = await t.call('backups.saveSettings', { folder: 'usb', schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    expect(relative).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })

    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'daily', time: '18:00' }, keepDaily: 7, keepWeekly: 4 })
    const made = (await t.ok('backups.run', {})) as { file: string; status: string; counts: Record<string, number> }
    expect(made).toMatchObject({ status: 'verified', counts: { participants: 3, visits: 3 } })
    expect(await t.ok('backups.list', {})).toEqual([expect.objectContaining({ file: made.file, status: 'verified' })])
    const overview = (await t.ok('backups.overview', {})) as { last: { ok: boolean }; nextRunAt: string }
    expect(overview.last.ok).toBe(true)
    expect(overview.nextRunAt).toBe('2026-11-25T18:00:00.000Z')

    // A fourth person after the backup; the restore takes the center back to three.
    await t.ok('participants.create', { firstName: 'After' })
    const preview = await t.ok('backups.preview', { file: made.file })
    expect(preview).toMatchObject({ counts: { participants: 3 } })
    expect(await t.call('backups.restore', { file: made.file, confirm: false as never })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await t.call('backups.restore', { file: '../porchlight.db', confirm: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const restored = (await t.ok('backups.restore', { file: made.file, confirm: true })) as { asideFile: string }
    expect(t.session.staff).toBeNull()
    expect(await t.call('participants.search', { text: 'After' })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } })
    expect(tableCounts(t.core.database!)).toMatchObject({ participants: 3 })
    const aside = await openDatabase(restored.asideFile, new FileKeyStore(t.keyFile).load(), { readonly: true })
    expect(tableCounts(aside)).toMatchObject({ participants: 4 })
    await aside.close()
    await t.core.close()
  })

  it('refuses a backup from another center with the live file untouched; a front-desk account cannot reach backups', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    const other = await centerWithCore(tempDir())
    await other.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    other.clock.time.set('2026-11-24T10:00:00.000Z')
    const foreign = (await other.ok('backups.run', {})) as { file: string }
    await other.core.close()
    const before = tableCounts(t.core.database!)
    const live = t.core.database
    const hash = sha256File(t.dbFile)
    const refused = await t.call('backups.restore', { file: foreign.file, confirm: true })
    // Refused before the live database was even closed: same connection, same bytes.
    expect(t.core.database).toBe(live)
    expect(sha256File(t.dbFile)).toBe(hash)
    expect(refused).toMatchObject({ ok: false, error: { code: 'RESTORE_REFUSED', message: expect.stringMatching(/different key/) } })
    expect(tableCounts(t.core.database!)).toEqual(before)

    const desk = await dispatch('backups.run', {}, { core: t.core, session: { staff: { id: 99, username: 'x', displayName: 'X', role: 'front_desk' } as never } }, () => {})
    expect(desk).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await t.core.close()
  })

  it('a new recovery key: the old key is refused, the new one opens it with every row; shown once', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    const oldKey = new FileKeyStore(t.keyFile).load()
    const before = tableCounts(t.core.database!)
    const { recoveryKey } = (await t.ok('security.newRecoveryKey', { confirm: true })) as { recoveryKey: string }
    expect(recoveryKey).not.toBe(t.recoveryKey)
    expect(recoveryKey).toMatch(/^([0-9A-F]{8}-){7}[0-9A-F]{8}$/)
    const newKey = new FileKeyStore(t.keyFile).load()
    expect(recoveryKey.replace(/-/g, '').toLowerCase()).toBe(keyToHex(newKey))
    // The change is recorded and the app keeps working under the new key.
    await t.ok('participants.create', { firstName: 'AfterRekey' })
    await t.core.close()

    expect(await dbErrorCode(openDatabase(t.dbFile, oldKey, { readonly: true }))).toBe('DB_WRONG_KEY')
    const reopened = await openDatabase(t.dbFile, newKey, { readonly: true })
    expect(tableCounts(reopened)).toMatchObject({ participants: before.participants! + 1, visits: before.visits })
    expect(reopened.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'key.rotate'`).pluck().get()).toBe(1)
    await reopened.close()
  })

  it('a new PC: opens a backup with the recovery key (a wrong key changes nothing), then staff sign in as before', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    const made = (await t.ok('backups.run', {})) as { file: string }
    await t.core.close()

    const pc = tempDir()
    const dbFile = join(pc, 'porchlight.db')
    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(join(pc, 'porchlight.key')), ...coreTime() })
    await core.start()
    const session: Session = { staff: null }
    const call = <C extends ChannelName>(channel: C, input: InputOf<C>) => dispatch(channel, input, { core, session }, () => {})
    expect((await call('app.status', {})).ok && (await call('app.status', {}))).toMatchObject({ value: { phase: 'setup' } })
    const backupFile = join(t.usb, made.file)
    expect(await call('setup.recover', { recoveryKey: 'not a key', backupFile })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { recoveryKey: { key: 'recover.notAKey' } } } })
    const wrong = 'AB'.repeat(32)
    expect(await call('setup.recover', { recoveryKey: wrong, backupFile })).toMatchObject({ ok: false, error: { code: 'RESTORE_REFUSED' } })
    expect(await call('setup.recover', { recoveryKey: t.recoveryKey })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { backupFile: { key: 'recover.noDatabase' } } } })
    const recovered = await call('setup.recover', { recoveryKey: t.recoveryKey.toLowerCase(), backupFile })
    expect(recovered).toMatchObject({ ok: true, value: { phase: 'signed-out', centerName: 'Harbor House' } })
    expect(await call('auth.login', { username: ADMIN.username, password: ADMIN.password })).toMatchObject({ ok: true })
    expect(tableCounts(core.database!)).toMatchObject({ participants: 3, visits: 3 })
    expect(await call('setup.recover', { recoveryKey: t.recoveryKey, backupFile })).toMatchObject({ ok: false, error: { code: 'ALREADY_SET_UP' } })
    await core.close()
    // It starts by itself next time: the key is in this computer's key store now.
    const again = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(join(pc, 'porchlight.key')), ...coreTime() })
    await again.start()
    expect(again.status({ staff: null }).phase).toBe('signed-out')
    await again.close()
  })

  it('opening an existing file with the recovery key: the right key opens it, a wrong one leaves it byte-identical', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    await t.core.close()
    rmSync(t.keyFile)
    const hash = sha256File(t.dbFile)
    const core = new PorchlightCore({ dbFile: t.dbFile, keyStore: new FileKeyStore(t.keyFile), ...coreTime() })
    await core.start()
    const call = <C extends ChannelName>(channel: C, input: InputOf<C>) => dispatch(channel, input, { core, session: { staff: null } }, () => {})
    expect(await call('setup.recover', { recoveryKey: 'CD'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'DB_WRONG_KEY' } })
    expect(sha256File(t.dbFile)).toBe(hash)
    expect(await call('setup.recover', { recoveryKey: t.recoveryKey })).toMatchObject({ ok: true, value: { phase: 'signed-out' } })
    await core.close()
  })
})

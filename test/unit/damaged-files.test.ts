import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3-multiple-ciphers'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { backupDatabase } from '../../db/backup'
import { PAGE_SIZE } from '../../db/cipher'
import { FileKeyStore } from '../../db/keystore-file'
import { openDatabase, useMigratedTemplate } from '../../db/open'
import type { AppStatus, RestoreOutcome } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import type { Envelope } from '../../electron/ipc/envelope'
import { sha256File, useTempDirs } from './helpers'
import { TEST_START, coreTime } from '../clock'
import { log } from '../../db/log'

// This file proves creation, migrations or what a crash leaves: its databases are made for real,
// not copied from the run's migrated template (test/unit/setup.ts).
useMigratedTemplate(null)

/**
 * Damaged database files as the app meets them at start-up: each gives its own error in the
 * error phase, the file stays byte-identical, and where a backup can mend it (the file is damaged,
 * cut short, empty or gone, but the key is right) the error phase offers the newest verified
 * backup, which `app.restoreBackup` puts in place with the damaged file kept aside.
 */
const tempDir = useTempDirs()
const SETUP = { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }

function ok<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`)
  return envelope.value as T
}

async function statusOf(core: PorchlightCore): Promise<AppStatus> {
  return ok<AppStatus>(await dispatch('app.status', {}, { core, session: { staff: null } }))
}

/** A center with 30 people and 30 visits, one verified backup of that, then 5 more people after it. */
async function centerWithBackup(dir: string) {
  const dbFile = join(dir, 'porchlight.db')
  const keyFile = join(dir, 'porchlight.key')
  const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
  await core.start()
  const session: Session = { staff: null }
  ok(await dispatch('setup.create', SETUP, { core, session }))
  const person = async (firstName: string) => ok<{ id: number }>(await dispatch('participants.create', { firstName, lastName: 'Lastname'.repeat(5) }, { core, session })).id
  for (let i = 0; i < 30; i++) {
    ok(await dispatch('visits.signIn', { participantId: await person(`Person${i}`), services: [{ serviceId: 1, quantity: 1 }] }, { core, session }))
  }
  const key = new FileKeyStore(keyFile).load()!
  mkdirSync(core.backupDir)
  const manifest = await backupDatabase(core.database!, key, core.backupDir, { now: new Date('2026-11-20T17:00:00Z') })
  for (let i = 0; i < 5; i++) await person(`After${i}`)
  await core.close()
  return { dbFile, keyFile, key, manifest, backupDir: core.backupDir }
}

describe('damaged files at start-up', () => {
  let source: Awaited<ReturnType<typeof centerWithBackup>>
  let sourceDir: string
  let tried = 0

  beforeAll(async () => {
    // Not a tempDir(): those are removed after each test, and this one serves them all.
    sourceDir = mkdtempSync(join(tmpdir(), 'porchlight-damaged-'))
    source = await centerWithBackup(sourceDir)
  })

  afterAll(() => {
    rmSync(sourceDir, { recursive: true, force: true })
    console.log(`damaged files: ${tried} files tried, each refused with its own error and left byte-identical`)
  })

  const size = () => statSync(source.dbFile).size
  const flipped = (offset: (size: number) => number) => (file: string) => {
    const bytes = readFileSync(file)
    const at = offset(bytes.length)
    bytes[at] = bytes[at]! ^ 0x01
    writeFileSync(file, bytes)
  }
  const truncateTo = (bytes: (size: number) => number) => (file: string) => truncateSync(file, bytes(size()))

  const cases: Array<{ name: string; code: string; offersRestore: boolean; make: (file: string) => void }> = [
    { name: 'zero-length', code: 'DB_EMPTY', offersRestore: true, make: (file) => writeFileSync(file, '') },
    { name: 'truncated to 1 byte', code: 'DB_NOT_DATABASE', offersRestore: true, make: truncateTo(() => 1) },
    { name: 'truncated to 100 bytes (inside the header)', code: 'DB_NOT_DATABASE', offersRestore: true, make: truncateTo(() => 100) },
    { name: 'truncated one byte short of a page', code: 'DB_DAMAGED', offersRestore: true, make: truncateTo(() => PAGE_SIZE - 1 + PAGE_SIZE) },
    { name: 'truncated at the second page boundary', code: 'DB_DAMAGED', offersRestore: true, make: truncateTo(() => 2 * PAGE_SIZE) },
    { name: 'truncated at a third', code: 'DB_DAMAGED', offersRestore: true, make: truncateTo((s) => Math.floor(s / 3)) },
    { name: 'truncated by the last page', code: 'DB_DAMAGED', offersRestore: true, make: truncateTo((s) => s - PAGE_SIZE) },
    { name: 'truncated by one byte', code: 'DB_DAMAGED', offersRestore: true, make: truncateTo((s) => s - 1) },
    { name: 'one byte flipped in the database header', code: 'DB_DAMAGED', offersRestore: true, make: flipped(() => 40) },
    { name: 'one byte flipped at the end of page 1', code: 'DB_DAMAGED', offersRestore: true, make: flipped(() => PAGE_SIZE - 3) },
    { name: 'one byte flipped in the middle', code: 'DB_DAMAGED', offersRestore: true, make: flipped((s) => Math.floor(s / 2) + 11) },
    { name: 'one byte flipped in the last page', code: 'DB_DAMAGED', offersRestore: true, make: flipped((s) => s - 200) },
    {
      name: 'a plain SQLite file',
      code: 'DB_NOT_ENCRYPTED',
      offersRestore: false,
      make: (file) => {
        writeFileSync(file, '')
        const plain = new SqliteDatabase(file)
        plain.exec('CREATE TABLE participants (name TEXT); INSERT INTO participants VALUES (1)')
        plain.close()
      },
    },
    { name: 'a random file', code: 'DB_NOT_DATABASE', offersRestore: true, make: (file) => writeFileSync(file, randomBytes(5 * PAGE_SIZE + 77)) },
  ]

  it.each(cases)('$name → $code, byte-identical, restore offered: $offersRestore', async ({ code, offersRestore, make }) => {
    const dir = tempDir()
    const dbFile = join(dir, 'porchlight.db')
    copyFileSync(source.dbFile, dbFile)
    copyFileSync(source.keyFile, join(dir, 'porchlight.key'))
    mkdirSync(join(dir, 'backups'))
    for (const name of readdirSync(source.backupDir)) copyFileSync(join(source.backupDir, name), join(dir, 'backups', name))
    make(dbFile)
    const before = sha256File(dbFile)
    tried++

    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() })
    await core.start()
    const status = await statusOf(core)
    expect(status.phase).toBe('error')
    expect(status.error?.code).toBe(code)
    expect(status.error?.message.length).toBeGreaterThan(20)
    if (offersRestore) expect(status.restore).toMatchObject({ file: source.manifest.file, participants: 30, visits: 30 })
    else expect(status.restore).toBeNull()
    expect(sha256File(dbFile)).toBe(before)
    await core.close()
  })

  it('a database from a newer Porchlight → DB_TOO_NEW, byte-identical, no restore offered (update instead)', async () => {
    const dir = tempDir()
    const dbFile = join(dir, 'porchlight.db')
    copyFileSync(source.dbFile, dbFile)
    copyFileSync(source.keyFile, join(dir, 'porchlight.key'))
    const future = await openDatabase(dbFile, source.key)
    future.sqlite.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('9999_future', TEST_START)
    await future.close()
    const before = sha256File(dbFile)
    tried++
    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() })
    await core.start()
    const status = await statusOf(core)
    expect(status).toMatchObject({ phase: 'error', error: { code: 'DB_TOO_NEW' }, restore: null })
    expect((await dispatch('app.restoreBackup', {}, { core, session: { staff: null } })).ok).toBe(false)
    expect(sha256File(dbFile)).toBe(before)
    await core.close()
  })
})

describe('restore from the error screen', () => {
  it('restores the newest verified backup, keeps the damaged file aside byte-identical, and opens for sign-in', async () => {
    const dir = tempDir()
    const center = await centerWithBackup(dir)
    // A newer backup that is itself damaged: passed over for the older, good one.
    const bad = join(center.backupDir, 'porchlight-20261121-170000.db')
    copyFileSync(join(center.backupDir, center.manifest.file), bad)
    truncateSync(bad, PAGE_SIZE * 3)
    flip(center.dbFile, Math.floor(statSync(center.dbFile).size / 2))
    const damagedHash = sha256File(center.dbFile)

    const core = new PorchlightCore({ dbFile: center.dbFile, keyStore: new FileKeyStore(center.keyFile), ...coreTime() })
    await core.start()
    const status = await statusOf(core)
    expect(status).toMatchObject({ phase: 'error', error: { code: 'DB_DAMAGED' }, restore: { file: center.manifest.file, participants: 30 } })

    // Not from a kiosk screen, whatever the phase.
    const kiosk = await dispatch('app.restoreBackup', {}, { core, session: { staff: null, mode: 'kiosk', kiosk: { startedBy: 1, found: [], pending: [], lookups: [] } } })
    expect(kiosk.ok ? null : kiosk.error.code).toBe('FORBIDDEN')
    expect(sha256File(center.dbFile)).toBe(damagedHash)

    const session: Session = { staff: null }
    const outcome = ok<RestoreOutcome>(await dispatch('app.restoreBackup', {}, { core, session }))
    expect(outcome).toMatchObject({ restoredFrom: center.manifest.file, createdAt: center.manifest.createdAt })
    expect(sha256File(join(dir, outcome.asideFile))).toBe(damagedHash)
    expect((await statusOf(core)).phase).toBe('signed-out')
    ok(await dispatch('auth.login', { username: SETUP.username, password: SETUP.password }, { core, session }))
    const count = core.database!.sqlite.prepare('SELECT count(*) FROM participants').pluck().get()
    expect(count).toBe(30)

    // Once open, the channel refuses: it is for the error screen only.
    const again = await dispatch('app.restoreBackup', {}, { core, session })
    expect(again.ok ? null : again.error.code).toBe('CONFLICT')
    await core.close()
  })

  it('finds the backups in the folder the admin chose, though that choice is stored in the damaged file', async () => {
    const dir = tempDir()
    const dbFile = join(dir, 'porchlight.db')
    const keyFile = join(dir, 'porchlight.key')
    const usb = join(dir, 'usb-drive')
    mkdirSync(usb)
    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
    await core.start()
    const session: Session = { staff: null }
    ok(await dispatch('setup.create', SETUP, { core, session }))
    ok(await dispatch('participants.create', { firstName: 'Ines' }, { core, session }))
    ok(await dispatch('backups.saveSettings', { folder: usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 }, { core, session }))
    const made = ok<{ file: string }>(await dispatch('backups.run', {}, { core, session }))
    await core.close()
    flip(dbFile, Math.floor(statSync(dbFile).size / 2))

    const after = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
    await after.start()
    expect(await statusOf(after)).toMatchObject({ phase: 'error', error: { code: 'DB_DAMAGED' }, restore: { file: made.file, participants: 1 } })
    // The screen learns what the backup holds, not where the drive is.
    expect(JSON.stringify(await statusOf(after))).not.toContain(usb)
    ok(await dispatch('app.restoreBackup', {}, { core: after, session: { staff: null } }))
    expect((await statusOf(after)).phase).toBe('signed-out')
    await after.close()
  })

  it('a note that cannot be written beside the database stops nothing: the records open and the setting saves', async () => {
    const dir = tempDir()
    const dbFile = join(dir, 'porchlight.db')
    const keyFile = join(dir, 'porchlight.key')
    const usb = join(dir, 'usb-drive')
    mkdirSync(usb)
    // A folder where the note should go: renaming a file over it fails.
    mkdirSync(`${dbFile}.backup-folder.json`)
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {})
    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
    await core.start()
    const session: Session = { staff: null }
    ok(await dispatch('setup.create', SETUP, { core, session }))
    ok(await dispatch('backups.saveSettings', { folder: usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 }, { core, session }))
    await core.close()
    const again = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
    await again.start()
    expect((await statusOf(again)).phase).toBe('signed-out')
    await again.close()
    expect(warn).toHaveBeenCalledWith('backup.folderNote', {}, expect.anything())
    warn.mockRestore()
  })

  it('with no usable backup: no offer, and the channel refuses without touching the file', async () => {
    const dir = tempDir()
    const center = await centerWithBackup(dir)
    truncateSync(join(center.backupDir, center.manifest.file), PAGE_SIZE * 2)
    flip(center.dbFile, 40)
    const before = sha256File(center.dbFile)
    const core = new PorchlightCore({ dbFile: center.dbFile, keyStore: new FileKeyStore(center.keyFile), ...coreTime() })
    await core.start()
    expect(await statusOf(core)).toMatchObject({ phase: 'error', error: { code: 'DB_DAMAGED' }, restore: null })
    const refused = await dispatch('app.restoreBackup', {}, { core, session: { staff: null } })
    expect(refused.ok ? null : refused.error.code).toBe('RESTORE_FAILED')
    expect(sha256File(center.dbFile)).toBe(before)
    expect(existsSync(join(dir, 'porchlight.db.restoring'))).toBe(false)
    await core.close()
  })

  it('a healthy database: the channel refuses (CONFLICT) and changes nothing', async () => {
    const dir = tempDir()
    const center = await centerWithBackup(dir)
    const core = new PorchlightCore({ dbFile: center.dbFile, keyStore: new FileKeyStore(center.keyFile), ...coreTime() })
    await core.start()
    const refused = await dispatch('app.restoreBackup', {}, { core, session: { staff: null } })
    expect(refused.ok ? null : refused.error.code).toBe('CONFLICT')
    await core.close()
    expect(readdirSync(dir).filter((name) => name.includes('before-restore'))).toEqual([])
  })
})

function flip(file: string, at: number): void {
  const bytes = readFileSync(file)
  bytes[at] = bytes[at]! ^ 0x01
  writeFileSync(file, bytes)
}

import { spawnSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { backupDatabase, BackupError } from '../../db/backup'
import { FileKeyStore } from '../../db/keystore-file'
import { generateKey } from '../../db/keys'
import { createDatabase, integrityProblems, openDatabase } from '../../db/open'
import { ServiceError, storageRefusal } from '../../db/services/context'
import { signIn } from '../../db/services/visits'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { useTempDirs } from './helpers'
import { runningClock, coreTime } from '../clock'

/**
 * A full disk: writes and backups fail with an error a person can act on, and nothing already
 * committed is lost. With root on Linux the test mounts a real 3 MB tmpfs and fills it; elsewhere
 * the same checks run against SQLite's own page limit (PRAGMA max_page_count), which fails a
 * write with SQLITE_FULL exactly as a full disk does.
 */
const tempDir = useTempDirs()
const mounted: string[] = []

afterEach(() => {
  for (const dir of mounted.splice(0)) spawnSync('umount', ['-l', dir])
})

function mountTinyDisk(dir: string, bytes: number): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'porchlight-full', dir])
  if (result.status !== 0) return false
  mounted.push(dir)
  return true
}

/** Fills the file system until `leave` bytes remain free; returns the filler's path. */
function fillDisk(dir: string, leave: number): string {
  const filler = join(dir, 'filler.bin')
  const fd = openSync(filler, 'w')
  const chunk = Buffer.alloc(64 * 1024, 1)
  try {
    for (;;) {
      const { bavail, bsize } = statfsSync(dir)
      const free = bavail * bsize
      if (free <= leave) break
      writeSync(fd, chunk, 0, Math.min(chunk.length, free - leave))
    }
  } finally {
    closeSync(fd)
  }
  return filler
}

const canMount = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0

const SETUP = { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }

describe('a full disk', () => {
  it.skipIf(!canMount)('on a real 3 MB file system: sign-ins and backups fail with DISK_FULL / BACKUP_NO_SPACE and every committed write survives', async () => {
    const disk = tempDir()
    expect(mountTinyDisk(disk, 3 * 1024 * 1024)).toBe(true)
    const dbFile = join(disk, 'porchlight.db')
    const keyStore = new FileKeyStore(join(disk, 'porchlight.key'))
    const core = new PorchlightCore({ dbFile, keyStore, ...coreTime() })
    await core.start()
    const session: Session = { staff: null }
    const created = await dispatch('setup.create', SETUP, { core, session })
    expect(created.ok).toBe(true)
    const filler = fillDisk(disk, 640 * 1024)

    const acknowledged: number[] = []
    let refusal: { code: string; message: string } | null = null
    for (let n = 1; n <= 100_000 && !refusal; n++) {
      const envelope = await dispatch('participants.create', { firstName: `Full${n}`, lastName: 'Disk'.repeat(10) }, { core, session })
      if (envelope.ok) acknowledged.push((envelope.value as { id: number }).id)
      else refusal = envelope.error
    }
    expect(refusal?.code, refusal?.message).toBe('DISK_FULL')
    expect(refusal?.message).toMatch(/^The disk is full: free space .* then try again/)
    expect(acknowledged.length).toBeGreaterThan(0)

    // A backup onto the same full disk is refused with its own error, and leaves nothing half-written.
    const backups = join(disk, 'backups')
    mkdirSync(backups)
    const key = keyStore.load()!
    const backupError = await backupDatabase(core.database!, key, backups, { now: core.now() }).catch((error: unknown) => error)
    expect(backupError).toBeInstanceOf(BackupError)
    expect((backupError as BackupError).code).toBe('BACKUP_NO_SPACE')
    expect((backupError as BackupError).message).toMatch(/full\. Free some space/)
    expect(readdirSync(backups)).toEqual([])

    // Writes go on being refused while the disk stays full. A small one may still fit in WAL frames
    // already on disk, so write until one is refused; any acknowledged meanwhile must survive too.
    let refusedAgain: { code: string } | null = null
    for (let n = 1; n <= 1_000 && !refusedAgain; n++) {
      const envelope = await dispatch('participants.create', { firstName: `FullAgain${n}`, lastName: 'Disk'.repeat(10) }, { core, session })
      if (envelope.ok) acknowledged.push((envelope.value as { id: number }).id)
      else refusedAgain = envelope.error
    }
    expect(refusedAgain?.code).toBe('DISK_FULL')
    // Then free space: everything acknowledged is there.
    await core.close()
    rmSync(filler)
    const reopened = await openDatabase(dbFile, key)
    expect(integrityProblems(reopened.sqlite)).toEqual([])
    const ids = new Set(reopened.sqlite.prepare(`SELECT id FROM participants WHERE first_name LIKE 'Full%'`).pluck().all() as number[])
    const lost = acknowledged.filter((id) => !ids.has(id))
    expect(lost).toEqual([])
    // Nothing of the refused write was kept: exactly the acknowledged rows are there.
    expect(ids.size).toBe(acknowledged.length)
    await reopened.close()

    // With space again, the app writes normally.
    const again = new PorchlightCore({ dbFile, keyStore, ...coreTime() })
    await again.start()
    const after = await dispatch('auth.login', { username: 'robin', password: SETUP.password }, { core: again, session: { staff: null } })
    expect(after.ok).toBe(true)
    await again.close()
    console.log(`disk full (3 MB tmpfs): ${acknowledged.length} writes acknowledged before DISK_FULL, ${lost.length} lost; backup refused with BACKUP_NO_SPACE`)
  })

  it('at SQLite’s page limit (any machine): sign-ins fail with DISK_FULL, roll back whole, and every committed sign-in survives', async () => {
    const dir = tempDir()
    const file = join(dir, 'porchlight.db')
    const key = generateKey()
    const live = await createDatabase(file, key)
    const ctx = { db: live.db, staffId: null, now: runningClock(), timeZone: 'UTC' }
    const pages = live.sqlite.pragma('page_count', { simple: true }) as number
    live.sqlite.pragma(`max_page_count = ${pages + 8}`)
    const acknowledged: number[] = []
    let refusal: unknown = null
    for (let n = 1; n <= 100_000 && !refusal; n++) {
      try {
        await signIn(ctx, { participantId: null, anonymousCode: null, services: [{ serviceId: 1, quantity: 1 }], note: `full-${n}-${'x'.repeat(400)}` })
        acknowledged.push(n)
      } catch (error) {
        refusal = error
      }
    }
    expect(refusal).toBeInstanceOf(ServiceError)
    expect((refusal as ServiceError).code).toBe('DISK_FULL')
    expect((refusal as ServiceError).message).toMatch(/^The disk is full: free space .* then try again/)
    await live.close()

    const reopened = await openDatabase(file, key)
    const notes = reopened.sqlite.prepare(`SELECT note FROM visits WHERE note LIKE 'full-%'`).pluck().all() as string[]
    const present = new Set(notes.map((note) => Number(note.split('-')[1])))
    const lost = acknowledged.filter((n) => !present.has(n))
    expect(lost).toEqual([])
    expect(present.size).toBe(acknowledged.length)
    // The audit trail holds one row per acknowledged sign-in and none for the refused one.
    const audited = reopened.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'visit.sign_in'`).pluck().get() as number
    expect(audited).toBe(acknowledged.length)
    await reopened.close()
    console.log(`disk full (page limit): ${acknowledged.length} sign-ins acknowledged before DISK_FULL, ${lost.length} lost`)
  })
})

describe('what a failure of the storage tells the desk', () => {
  const failure = (code: string | undefined, message = 'failed') => Object.assign(new Error(message), code === undefined ? {} : { code })
  const refusal = (error: unknown) => {
    const refused = storageRefusal(error)
    return refused && { code: refused.code, key: refused.key }
  }

  it('names a full disk here or on the server, and a server that went away; anything else is not its business', () => {
    expect(refusal(failure('SQLITE_FULL'))).toEqual({ code: 'DISK_FULL', key: 'door.diskFull' })
    expect(refusal(failure('ENOSPC'))).toEqual({ code: 'DISK_FULL', key: 'door.diskFull' })
    expect(refusal(failure(undefined, 'database or disk is full'))).toEqual({ code: 'DISK_FULL', key: 'door.diskFull' })
    // PostgreSQL's SQLSTATEs: disk_full, a connection failure, the server shutting down.
    expect(refusal(failure('53100'))).toEqual({ code: 'DISK_FULL', key: 'door.serverDiskFull' })
    for (const code of ['08006', '08001', '57P01', '57P03', 'ECONNRESET', 'ECONNREFUSED']) expect(refusal(failure(code)), code).toEqual({ code: 'NOT_READY', key: 'door.serverGone' })
    expect(refusal(failure(undefined, 'Connection terminated unexpectedly'))).toEqual({ code: 'NOT_READY', key: 'door.serverGone' })
    // A unique violation, a check, a bug: the caller's to handle, as before.
    for (const code of ['23505', '23514', 'SQLITE_CONSTRAINT_CHECK', undefined]) expect(refusal(failure(code)), String(code)).toBeNull()
    expect(refusal('not an error')).toBeNull()
  })
})

import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { backupAndRotate, backupDatabase, BackupError, describeFsError } from '../../db/backup'
import { generateKey } from '../../db/keys'
import { createDatabase } from '../../db/open'
import { createParticipant } from '../../db/services/participants'
import { context, sha256File, tableCounts, useTempDirs } from './helpers'
import { TEST_START } from '../clock'

const tempDir = useTempDirs()

/** Real full and read-only file systems need a tmpfs mount, which needs root (CI containers often are). */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  const probe = join(tempDir(), 'probe')
  mkdirSync(probe)
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' })
    execFileSync('umount', [probe], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const mounted: string[] = []
afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', [dir], { stdio: 'ignore' })
})

function mountTmpfs(dir: string, options: string): void {
  mkdirSync(dir)
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' })
  mounted.push(dir)
}

async function center(dir: string) {
  const key = generateKey()
  const file = join(dir, 'live.db')
  const live = await createDatabase(file, key)
  const ctx = context(live)
  // Enough rows that the copy is far bigger than a 64 KiB drive.
  for (let i = 0; i < 400; i++) await createParticipant(ctx, { firstName: `Person${i}`, lastName: 'X'.repeat(200) })
  // The checkpoint those writes queued for the first idle moment (db/open.ts) runs now, not while
  // the backup is under way, so the live file's bytes change only if the backup changes them.
  await new Promise((resolve) => setImmediate(resolve))
  return { key, file, live }
}

async function failure(promise: Promise<unknown>): Promise<BackupError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof BackupError) return error
    throw error
  }
  throw new Error('expected a BackupError')
}

describe('backup to a drive that cannot take it', () => {
  it('maps the operating system’s and SQLite’s failures to errors that say what to do', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
    expect(describeFsError(full, '/media/usb')).toMatchObject({ code: 'BACKUP_NO_SPACE', message: expect.stringMatching(/full.*unchanged/) })
    expect(describeFsError(new Error('database or disk is full'), '/media/usb').code).toBe('BACKUP_NO_SPACE')
    const readOnly = Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' })
    expect(describeFsError(readOnly, '/media/usb')).toMatchObject({ code: 'BACKUP_FOLDER', message: expect.stringMatching(/write-protected/) })
    expect(describeFsError(new Error('attempt to write a readonly database'), '/media/usb').code).toBe('BACKUP_FOLDER')
    expect(describeFsError(new Error('I/O error'), '/media/usb')).toMatchObject({ code: 'BACKUP_FAILED', message: expect.stringMatching(/try again/) })
  })

  it.runIf(canMount())('a full drive: BACKUP_NO_SPACE, no partial file left, the live database untouched', async () => {
    const dir = tempDir()
    const { key, file, live } = await center(dir)
    const usb = join(dir, 'usb')
    mountTmpfs(usb, 'size=64k')
    const counts = tableCounts(live)
    const hash = sha256File(file)
    const error = await failure(backupAndRotate(live, key, usb, { daily: 7, weekly: 4 }, { now: new Date(TEST_START) }))
    expect(error.code).toBe('BACKUP_NO_SPACE')
    expect(error.message).toMatch(/is full/)
    expect(readdirSync(usb)).toEqual([])
    expect(tableCounts(live)).toEqual(counts)
    expect(sha256File(file)).toBe(hash)
    await live.close()
  })

  it.runIf(canMount())('a read-only drive (write-protected USB stick): BACKUP_FOLDER, the live database untouched', async () => {
    const dir = tempDir()
    const { key, file, live } = await center(dir)
    const usb = join(dir, 'usb')
    mountTmpfs(usb, 'ro,size=1m')
    const hash = sha256File(file)
    const error = await failure(backupDatabase(live, key, usb, { now: new Date(TEST_START) }))
    expect(error.code).toBe('BACKUP_FOLDER')
    expect(error.message).toMatch(/cannot write/)
    expect(readdirSync(usb)).toEqual([])
    expect(sha256File(file)).toBe(hash)
    await live.close()
  })
})

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3-multiple-ciphers'
import { describe, expect, it } from 'vitest'
import { backupDatabase, BackupError, listBackups, previewBackup, restoreDatabase, rotateBackups, tableCounts } from '../../db/backup'
import { generateKey, keyToHex } from '../../db/keys'
import { createDatabase, openDatabase } from '../../db/open'
import { createParticipant } from '../../db/services/participants'
import { signIn } from '../../db/services/visits'
import { sha256File, useTempDirs } from './helpers'
import { runningClock, TEST_START } from '../clock'

const tempDir = useTempDirs()

async function centerWithPeople(dir: string, people = 25) {
  const key = generateKey()
  const file = join(dir, 'live.db')
  const live = await createDatabase(file, key)
  const ctx = { db: live.db, staffId: null, now: runningClock() }
  for (let i = 0; i < people; i++) {
    const person = await createParticipant(ctx, { firstName: `Person${i}`, lastName: 'Backup', birthYear: 1970 + (i % 30) })
    await signIn(ctx, { participantId: person.id, services: [{ serviceId: 1, quantity: 1 }] })
  }
  return { key, file, live }
}

async function backupErrorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof BackupError) return error.code
    throw error
  }
  throw new Error('expected a BackupError')
}

describe('backups', () => {
  it('writes an encrypted, verified copy with a manifest of its row counts', async () => {
    const dir = tempDir()
    const { key, live } = await centerWithPeople(dir)
    const folder = join(dir, 'usb')
    mkdirSync(folder)
    const steps: string[] = []
    const manifest = await backupDatabase(live, key, folder, { now: new Date('2026-11-25T18:00:00Z'), onStep: (s) => steps.push(s) })
    expect(steps).toEqual(['copying', 'verifying', 'done'])
    expect(manifest.file).toBe('porchlight-20261125-180000.db')
    expect(manifest.counts.participants).toBe(25)
    expect(manifest.counts.visits).toBe(25)
    const copy = join(folder, manifest.file)
    expect(readFileSync(copy).includes('SQLite format 3')).toBe(false)
    expect(readFileSync(copy).includes('Person1')).toBe(false)
    expect(existsSync(`${copy}.partial`)).toBe(false)
    expect(JSON.parse(readFileSync(`${copy}.json`, 'utf8'))).toMatchObject({ format: 'porchlight-backup', sha256: sha256File(copy) })
    await live.close()
  })

  it('backup → damage the live file → restore: every row is back, the damaged file kept aside', async () => {
    const dir = tempDir()
    const { key, file, live } = await centerWithPeople(dir)
    const before = tableCounts(live.sqlite)
    const manifest = await backupDatabase(live, key, dir, { now: new Date(TEST_START) })
    await live.close()

    const bytes = readFileSync(file)
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff
    writeFileSync(file, bytes)
    const damaged = sha256File(file)
    await expect(openDatabase(file, key)).rejects.toMatchObject({ code: 'DB_DAMAGED' })

    const result = await restoreDatabase(file, join(dir, manifest.file), key, new Date(TEST_START))
    expect(sha256File(result.asideFile)).toBe(damaged)
    const restored = await openDatabase(file, key)
    expect(tableCounts(restored.sqlite)).toEqual(before)
    await restored.close()
  })

  it('refuses a backup made with another key, a foreign database and a truncated backup, leaving the live file byte-identical', async () => {
    const dir = tempDir()
    const { key, file, live } = await centerWithPeople(dir, 3)
    const manifest = await backupDatabase(live, key, dir, { now: new Date(TEST_START) })
    await live.close()
    const liveHash = sha256File(file)

    const other = await centerWithPeople(tempDir(), 1)
    const otherBackup = await backupDatabase(other.live, other.key, dir, { now: new Date('2020-01-01T00:00:00Z') })
    await other.live.close()
    expect(await backupErrorCode(restoreDatabase(file, join(dir, otherBackup.file), key, new Date(TEST_START)))).toBe('RESTORE_REFUSED')

    // An encrypted SQLite database with this key that is not a Porchlight database.
    const foreign = join(dir, 'foreign.db')
    const raw = new SqliteDatabase(foreign)
    raw.pragma(`cipher='sqlcipher'`)
    raw.pragma('legacy=4')
    raw.pragma(`key="x'${keyToHex(key)}'"`)
    raw.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (1)')
    raw.close()
    expect(await backupErrorCode(restoreDatabase(file, foreign, key, new Date(TEST_START)))).toBe('RESTORE_REFUSED')

    const truncated = join(dir, 'truncated.db')
    writeFileSync(truncated, readFileSync(join(dir, manifest.file)).subarray(0, 4096 + 1000))
    expect(await backupErrorCode(restoreDatabase(file, truncated, key, new Date(TEST_START)))).toBe('RESTORE_REFUSED')

    const plain = join(dir, 'plain.txt')
    writeFileSync(plain, 'hello')
    expect(await backupErrorCode(previewBackup(plain, key))).toBe('RESTORE_REFUSED')

    expect(sha256File(file)).toBe(liveHash)
    expect(existsSync(`${file}.restoring`)).toBe(false)
  })

  it('refuses a missing folder or a file in place of a folder, and changes nothing', async () => {
    const dir = tempDir()
    const { key, file, live } = await centerWithPeople(dir, 2)
    expect(await backupErrorCode(backupDatabase(live, key, join(dir, 'not-plugged-in'), { now: new Date(TEST_START) }))).toBe('BACKUP_FOLDER')
    writeFileSync(join(dir, 'a-file'), 'x')
    expect(await backupErrorCode(backupDatabase(live, key, join(dir, 'a-file'), { now: new Date(TEST_START) }))).toBe('BACKUP_FOLDER')
    await live.close()
    expect(listBackups(dir)).toEqual([])
    expect(existsSync(file)).toBe(true)
  })

  // Seven verified backups: on two busy cores, more than the default 30 s.
  it('rotates: keeps the newest of each of the last N days and N weeks, and always the newest', async () => {
    const dir = tempDir()
    const { key, live } = await centerWithPeople(dir, 1)
    const times = ['2026-11-02T09:00:00Z', '2026-11-09T09:00:00Z', '2026-11-16T09:00:00Z', '2026-11-23T09:00:00Z', '2026-11-24T09:00:00Z', '2026-11-25T09:00:00Z', '2026-11-25T17:00:00Z']
    for (const at of times) await backupDatabase(live, key, dir, { now: new Date(at) })
    await live.close()
    const removed = rotateBackups(dir, { daily: 2, weekly: 2 })
    const kept = listBackups(dir).map((b) => b.createdAt.toISOString())
    // Last 2 days: the 25th (its newest, 17:00) and the 24th. Last 2 ISO weeks: week 48 (23rd–29th,
    // already kept by its newest) and week 47, whose only backup is the 16th.
    expect(kept).toEqual(['2026-11-25T17:00:00.000Z', '2026-11-24T09:00:00.000Z', '2026-11-16T09:00:00.000Z'])
    expect(removed).toHaveLength(4)
    for (const file of removed) expect(existsSync(`${file}.json`)).toBe(false)
  }, 120_000)
})

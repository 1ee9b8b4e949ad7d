import { join } from 'node:path'
import { truncateSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EXIT, runAdmin, type AdminIo } from '../../db/cli/admin'
import { backupDatabase } from '../../db/backup'
import { PAGE_SIZE } from '../../db/cipher'
import { generateKey, type DbKey } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { SCHEMA_VERSION } from '../../db/migrations'
import { createDatabase } from '../../db/open'
import { recordBackupAttempt, setBackupSettings } from '../../db/services/backup-settings'
import { createParticipant } from '../../db/services/participants'
import { TEST_START } from '../clock'
import { context, useTempDirs } from './helpers'

const tempDir = useTempDirs()
const HOUR = 3_600_000

interface Center {
  file: string
  keyFile: string
  backups: string
  key: DbKey
}

/** A center as it should be: some people, a backup folder, a verified backup made at TEST_START. */
async function goodCenter(options: { backedUp?: boolean; future?: boolean } = {}): Promise<Center> {
  const dir = tempDir()
  const file = join(dir, 'porchlight.db')
  const keyFile = join(dir, 'porchlight.key')
  const backups = tempDir()
  const key = generateKey()
  new FileKeyStore(keyFile).save(key)
  const opened = await createDatabase(file, key)
  const ctx = context(opened, { now: () => new Date(TEST_START) })
  await createParticipant(ctx, { firstName: 'Rosalind', lastName: 'Okafor' })
  await setBackupSettings(ctx, { folder: backups, schedule: { kind: 'daily', time: '18:00' }, keepDaily: 7, keepWeekly: 8 })
  if (options.backedUp !== false) {
    const manifest = await backupDatabase(opened, key, backups, { now: new Date(TEST_START) })
    await recordBackupAttempt(ctx, { ok: true, scheduled: true, file: manifest.file, error: null })
  }
  if (options.future) opened.sqlite.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('9999_future', TEST_START)
  await opened.close()
  return { file, keyFile, backups, key }
}

async function doctor(center: Center, options: { hoursLater?: number; freeBytes?: AdminIo['freeBytes']; keyFile?: string } = {}) {
  const out: string[] = []
  const io: AdminIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => out.push(line),
    env: {},
    now: () => new Date(Date.parse(TEST_START) + (options.hoursLater ?? 1) * HOUR),
    ...(options.freeBytes ? { freeBytes: options.freeBytes } : {}),
  }
  const code = await runAdmin(['doctor', '--db', center.file, '--key-file', options.keyFile ?? center.keyFile], io)
  return { code, text: out.join('\n'), problems: out.filter((line) => line.startsWith('PROBLEM')) }
}

describe('admin doctor', () => {
  it('passes a good database with exit code 0, naming each check', async () => {
    const center = await goodCenter()
    const { code, text, problems } = await doctor(center)
    expect(problems).toEqual([])
    for (const check of ['key', 'pages', 'integrity', 'schema', 'disk', 'backup folder', 'last backup']) expect(text).toMatch(new RegExp(`^ok +${check}:`, 'm'))
    expect(text).toContain(`Schema version ${SCHEMA_VERSION}`)
    expect(text).toContain('All is well.')
    expect(code).toBe(EXIT.OK)
  })

  it('names a truncated file as damaged and says to restore', async () => {
    const center = await goodCenter()
    truncateSync(center.file, statSync(center.file).size - PAGE_SIZE)
    const { code, problems, text } = await doctor(center)
    expect(code).toBe(EXIT.DB_DAMAGED)
    expect(problems.join('\n')).toMatch(/pages: .*damaged \(it is shorter than it should be/)
    expect(text).toMatch(/What to do: Stop using this file: restore the latest verified backup/)
  })

  it('names a wrong key, and that the file may be fine', async () => {
    const center = await goodCenter()
    const other = join(tempDir(), 'other.key')
    new FileKeyStore(other).save(generateKey())
    const { code, problems, text } = await doctor(center, { keyFile: other })
    expect(code).toBe(EXIT.DB_WRONG_KEY)
    expect(problems.join('\n')).toMatch(/^PROBLEM key: The key does not open/m)
    expect(text).toContain("What to do: Use this center's key file")
  })

  it('names a full backup folder (simulated) while the rest is well', async () => {
    const center = await goodCenter()
    const { code, problems } = await doctor(center, { freeBytes: (path) => (path === center.backups ? 4096 : 50 * 1024 ** 3) })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(new RegExp(`^PROBLEM backup folder: The backup folder ${center.backups} is nearly full: 4.0 KB free`))
    expect(code).toBe(EXIT.DOCTOR_FINDINGS)
  })

  it('names a full drive beside the database', async () => {
    const center = await goodCenter()
    const { code, problems } = await doctor(center, { freeBytes: (path) => (path === center.backups ? 50 * 1024 ** 3 : 1024 * 1024) })
    expect(problems).toEqual([expect.stringMatching(/^PROBLEM disk: Only 1.0 MB free beside the database/)])
    expect(code).toBe(EXIT.DOCTOR_FINDINGS)
  })

  it('names a database from a newer version with both schema versions', async () => {
    const center = await goodCenter({ future: true })
    const { code, problems } = await doctor(center)
    expect(problems.join('\n')).toMatch(new RegExp(`^PROBLEM schema: .*database schema version 9999; this Porchlight reads up to version ${SCHEMA_VERSION}`, 'm'))
    expect(code).toBe(EXIT.DB_TOO_NEW)
  })

  it('names a stale last backup and a database never backed up', async () => {
    const stale = await doctor(await goodCenter(), { hoursLater: 24 * 5 })
    expect(stale.problems).toEqual([expect.stringMatching(/^PROBLEM last backup: The last backup \(porchlight-.*\.db\) is 5 days old/)])
    expect(stale.code).toBe(EXIT.DOCTOR_FINDINGS)
    const never = await doctor(await goodCenter({ backedUp: false }))
    expect(never.problems).toEqual(['PROBLEM last backup: No backup has ever been made of this database.'])
  })
})

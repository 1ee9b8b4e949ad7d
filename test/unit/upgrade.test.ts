import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeBackups, previewBackup } from '../../db/backup'
import { DbError } from '../../db/errors'
import { generateKey, type DbKey } from '../../db/keys'
import { migrationList, SCHEMA_VERSION } from '../../db/migrations'
import { appliedMigrations, createDatabase, openDatabase, useMigratedTemplate } from '../../db/open'
import { openWithSafeUpgrade, upgradeBackupDir } from '../../db/upgrade'
import { TEST_START } from '../clock'
import { sha256File, useTempDirs } from './helpers'

// This file proves creation, migrations or what a crash leaves: its databases are made for real,
// not copied from the run's migrated template (test/unit/setup.ts).
useMigratedTemplate(null)

const tempDir = useTempDirs()
const names = migrationList.map(([name]) => name)
/** The version the upgrade starts from: 0019 added one column to participant_merges. */
const PREVIOUS = '0019_merge_moves_more'
const PREVIOUS_VERSION = 19
const PENDING = names.slice(names.indexOf(PREVIOUS) + 1)
const LAST = names.at(-1)!
const now = new Date(TEST_START)

/**
 * A center's file as an earlier version left it: migrations through 0019. With `stillApplied`,
 * 0019's record is taken out while its column stays, so running it again throws (a duplicate
 * column): a migration that fails on a real file. 0018 (two new tables) is taken out too then, so
 * the upgrade has a step that succeeds before the one that throws.
 */
async function previousVersionFile(options: { stillApplied?: boolean } = {}): Promise<{ file: string; key: DbKey }> {
  const file = join(tempDir(), 'porchlight.db')
  const key = generateKey()
  const opened = await createDatabase(file, key, { through: PREVIOUS })
  // Written as that version's schema has it: today's services write columns it does not have yet.
  const at = now.toISOString()
  opened.sqlite
    .prepare(`INSERT INTO participants (code, first_name, last_name, name_key, created_at, updated_at) VALUES ('RO-0001', 'Rosalind', 'Okafor', 'okafor rosalind', ?, ?)`)
    .run(at, at)
  if (options.stillApplied) {
    expect(names[names.indexOf(PREVIOUS) - 1]).toBe('0018_safety')
    opened.sqlite.exec('DROP TABLE restrictions; DROP TABLE care_flags')
    opened.sqlite.prepare('DELETE FROM kysely_migration WHERE name IN (?, ?)').run('0018_safety', PREVIOUS)
  }
  await opened.close()
  expect(existsSync(`${file}-wal`)).toBe(false)
  return { file, key }
}

describe('safe upgrades', () => {
  it('makes a verified copy before migrating, keeps it, and removes it at the next good start', async () => {
    const { file, key } = await previousVersionFile()
    const dir = upgradeBackupDir(file)

    const first = await openWithSafeUpgrade(file, key, { now })
    expect(first.upgrade).toMatchObject({ from: PREVIOUS_VERSION, to: SCHEMA_VERSION, pending: PENDING })
    expect(appliedMigrations(first.opened.sqlite)).toContain(LAST)
    await first.opened.close()
    expect(describeBackups(dir).map((backup) => backup.status)).toEqual(['verified'])
    // The copy is the records as they were: the previous schema, the same people.
    const copy = await previewBackup(first.upgrade!.backup, key)
    expect(copy.migrations).not.toContain(LAST)
    expect(copy.counts.participants).toBe(1)

    const second = await openWithSafeUpgrade(file, key, { now })
    expect(second.upgrade).toBeNull()
    expect(second.removed).toEqual([first.upgrade!.backup])
    expect(existsSync(dir)).toBe(false)
    await second.opened.close()
  })

  it('a migration that throws leaves the database byte-identical and the copy verified', async () => {
    const { file, key } = await previousVersionFile({ stillApplied: true })
    const before = sha256File(file)

    const error = await openWithSafeUpgrade(file, key, { now }).then(
      () => null,
      (thrown: unknown) => thrown,
    )

    expect(error).toBeInstanceOf(DbError)
    const refused = error as DbError
    expect(refused.code).toBe('DB_UPGRADE_FAILED')
    // 0018 ran and was undone with the rest: the file is not left between two versions.
    expect(refused.ref.params).toMatchObject({ from: 16, to: SCHEMA_VERSION, step: PREVIOUS })
    expect(refused.message).toMatch(/duplicate column/)
    expect(refused.message).toMatch(/records are safe/)
    expect(sha256File(file)).toBe(before)
    // Nothing waits in a WAL to be written into it later.
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true)
    const [listed] = describeBackups(upgradeBackupDir(file))
    expect(listed?.status).toBe('verified')
    const backup = join(upgradeBackupDir(file), listed!.file)
    expect(refused.ref.params).toMatchObject({ backup })
    const copy = await previewBackup(backup, key)
    expect(copy.counts.participants).toBe(1)
    expect(copy.migrations).not.toContain(LAST)
  })

  it('refuses to migrate, changing nothing, when the copy cannot be made', async () => {
    const { file, key } = await previousVersionFile()
    const before = sha256File(file)
    // A file where the copy's folder should be: the folder cannot be made.
    writeFileSync(upgradeBackupDir(file), 'not a folder')
    const error = await openWithSafeUpgrade(file, key, { now }).catch((thrown: unknown) => thrown)
    expect((error as DbError).code).toBe('DB_UPGRADE_BACKUP')
    expect(sha256File(file)).toBe(before)
    const reopened = await openDatabase(file, key, { readonly: true })
    expect(appliedMigrations(reopened.sqlite)).not.toContain(LAST)
    await reopened.close()
  })

  it('refuses a database from a newer version, naming both schema versions', async () => {
    const file = join(tempDir(), 'porchlight.db')
    const key = generateKey()
    const opened = await createDatabase(file, key)
    opened.sqlite.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('9999_future', TEST_START)
    await opened.close()
    const error = (await openWithSafeUpgrade(file, key, { now }).catch((thrown: unknown) => thrown)) as DbError
    expect(error.code).toBe('DB_TOO_NEW')
    expect(error.message).toContain(`database schema version 9999; this Porchlight reads up to version ${SCHEMA_VERSION}`)
    expect(existsSync(upgradeBackupDir(file))).toBe(false)
  })
})

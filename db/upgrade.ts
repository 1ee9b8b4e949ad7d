import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { backupDatabase, BackupError, listBackups } from './backup'
import { dbErrors } from './errors'
import type { DbKey } from './keys'
import { MigrationFailed, openDatabase, type OpenDatabase, type OpenOptions, type Upgrade } from './open'

/**
 * Safe upgrades: a new version of Porchlight never migrates the only copy of the records. Before
 * the first migration runs on an existing database, a verified backup (the same routine, worker
 * and checks as every other backup) is written to a folder beside it; the migrations then run in
 * one transaction, so a failure leaves the file as it was and the copy is there besides. The copy
 * is kept until the next start that opens the upgraded file without trouble.
 */
export function upgradeBackupDir(dbFile: string): string {
  return join(dirname(dbFile), 'before-upgrade')
}

export interface SafeOpen {
  opened: OpenDatabase
  /** The upgrade this start made, with where its verified copy lies; null when none was needed. */
  upgrade: (Upgrade & { backup: string }) | null
  /** Copies from an earlier upgrade removed now that the upgraded file has opened again. */
  removed: string[]
}

export interface SafeOpenOptions {
  check?: OpenOptions['check']
  now: Date
  /** Where the copy goes; default: `before-upgrade` beside the database. */
  dir?: string
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function removeUpgradeCopies(dir: string): string[] {
  if (!existsSync(dir)) return []
  const removed = listBackups(dir).map((entry) => entry.file)
  for (const file of removed) {
    rmSync(`${file}.json`, { force: true })
    rmSync(file, { force: true })
  }
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true })
  return removed
}

/** Opens for writing as `openDatabase` does, with the verified copy before any migration. */
export async function openWithSafeUpgrade(file: string, key: DbKey, options: SafeOpenOptions): Promise<SafeOpen> {
  const dir = options.dir ?? upgradeBackupDir(file)
  let made: (Upgrade & { backup: string }) | null = null
  const beforeMigrate = async (upgrade: Upgrade): Promise<void> => {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      const manifest = await backupDatabase({ file }, key, dir, { now: options.now })
      made = { ...upgrade, backup: join(dir, manifest.file) }
    } catch (error) {
      throw dbErrors.upgradeBackupFailed(file, upgrade.from, upgrade.to, error instanceof BackupError ? error.ref : describe(error))
    }
  }
  let opened: OpenDatabase
  try {
    opened = await openDatabase(file, key, { check: options.check, beforeMigrate })
  } catch (error) {
    if (!(error instanceof MigrationFailed)) throw error
    const copy = made as (Upgrade & { backup: string }) | null
    throw dbErrors.upgradeFailed(error.upgrade.from, error.upgrade.to, error.step, error.reason, copy?.backup ?? dir)
  }
  // This start made the copy: it stays until the upgraded file has opened once more.
  const removed = made ? [] : removeUpgradeCopies(dir)
  return { opened, upgrade: made, removed }
}

import { statfsSync, statSync } from 'node:fs'
import SqliteDatabase from 'better-sqlite3-multiple-ciphers'
import type { Kysely } from 'kysely'
import type { Database } from './schema'
import { lastBackupAttempt, getBackupSettings } from './services/backup-settings'
import { lastIntegrityCheck } from './services/integrity-check'
import type { BackupAttempt, IntegrityCheck } from './types'

/**
 * The figures a careful IT person asks for first, read the same way by `admin doctor` and by
 * Help → About: free space, the backup folder, the last backup and integrity check. Nothing here
 * reads a record's contents.
 */

/** Bytes free to this account on the drive holding `path`; null when the drive cannot be read. */
export function freeBytes(path: string): number | null {
  try {
    const stats = statfsSync(path)
    return Number(stats.bavail) * Number(stats.bsize)
  } catch {
    return null
  }
}

/** A backup older than this is a finding: the schedule is daily, so two missed days mean trouble. */
export const BACKUP_STALE_HOURS = 48

/**
 * Room an upgrade's copy, the WAL and a day's work need beside the database: twice its size and
 * 100 MiB more. Below that, an upgrade is refused and writes may soon fail.
 */
export function spaceNeededBeside(dbBytes: number): number {
  return dbBytes * 2 + 100 * 1024 * 1024
}

/** A backup is a compact copy of the file: never larger than it, plus its manifest. */
export function spaceNeededForBackup(dbBytes: number): number {
  return dbBytes + 1024 * 1024
}

export interface BackupState {
  folder: string | null
  lastSuccess: BackupAttempt | null
  last: BackupAttempt | null
  integrity: IntegrityCheck | null
}

export async function backupState(db: Kysely<Database>): Promise<BackupState> {
  const { folder } = await getBackupSettings(db)
  const { last, lastSuccess } = await lastBackupAttempt(db)
  return { folder, last, lastSuccess, integrity: await lastIntegrityCheck(db) }
}

export function fileBytes(file: string): number | null {
  try {
    return statSync(file).size
  } catch {
    return null
  }
}

/**
 * What the database takes on disk: the main file, its write-ahead log (`-wal`: changes committed
 * but not yet copied into the main file, which SQLite folds back at a checkpoint) and the WAL's
 * shared-memory index (`-shm`). In WAL mode the main file alone can read a few kilobytes while the
 * records sit in the log, so the total is the honest figure. A part not there counts as 0.
 */
export interface DatabaseBytes {
  main: number | null
  wal: number | null
  shm: number | null
  /** Null only when the main file itself cannot be read. */
  total: number | null
}

export function databaseBytes(file: string): DatabaseBytes {
  const main = fileBytes(file)
  const wal = fileBytes(`${file}-wal`)
  const shm = fileBytes(`${file}-shm`)
  return { main, wal, shm, total: main === null ? null : main + (wal ?? 0) + (shm ?? 0) }
}

/** "3.2 GB": sizes for people, in the units a file manager shows. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

let engines: { sqlite: string; cipher: string } | null = null

/** SQLite's and the cipher library's versions, read once from an in-memory connection (no file is touched). */
export function engineVersions(): { sqlite: string; cipher: string } {
  if (!engines) {
    const memory = new SqliteDatabase(':memory:')
    try {
      const { sqlite, cipher } = memory.prepare('SELECT sqlite_version() AS sqlite, sqlite3mc_version() AS cipher').get() as { sqlite: string; cipher: string }
      engines = { sqlite, cipher: `${cipher}, writing SQLCipher 4 files` }
    } finally {
      memory.close()
    }
  }
  return engines
}

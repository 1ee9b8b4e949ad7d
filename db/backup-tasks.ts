import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readSync } from 'node:fs'
import type { DbKey } from './keys'
import type { Kysely } from 'kysely'
import { integrityProblems, openDatabase, type OpenDatabase, type Sqlite } from './open'
import type { ConnectedPostgres } from './postgres'
import type { Database } from './schema'
import type { ExportCenters, ExportWritten } from './export-types'
import type { RecordsImportProgress } from './records-import-types'
import { importRecords, previewRecords, type RecordsJob } from './services/records-import'

/**
 * The slow parts of backups, restores and the live file's integrity check. They run in the backup
 * worker thread (see backup-thread.ts), each on a connection of its own: WAL lets them read the
 * live file while main keeps writing, and main's event loop keeps answering the front desk.
 */
export type BackupTask =
  /** VACUUM INTO `partial`, then check the copy through and hash it. */
  | { kind: 'backup'; liveFile: string; partial: string }
  /** Check a backup (or a just-restored file) through; hash it when asked. */
  | { kind: 'inspect'; file: string; hash: boolean }
  /** PRAGMA integrity_check on the live file (read-only). */
  | { kind: 'integrity'; file: string }
  /** Every table a center owns as CSV in one zip at `target` (services/export), AES-256 when a password is given. */
  | { kind: 'export'; source: RecordsSource; target: string; password: string | null; createdAt: string; centers: ExportCenters }
  /** A center's old records from CSV or Excel: preview (reads only) or import (chunks behind a pending file). */
  | { kind: 'records'; source: RecordsSource; action: 'preview' | 'import'; job: RecordsJob }

/**
 * Where a worker finds the records: the live file on this PC, or the center's PostgreSQL server
 * through this PC's connection file (`serverFile`), opened with the key the task brings in memory,
 * or (the admin commands) through the URL they were given, handed over in memory as the key is.
 */
export type RecordsSource = { file: string } | { serverFile: string } | { serverUrl: string }

/** A name for the records a source holds, for "one at a time" and logs: never a password. */
export function sourceName(source: RecordsSource): string {
  if ('file' in source) return source.file
  if ('serverFile' in source) return source.serverFile
  const url = new URL(source.serverUrl)
  return `${url.hostname}:${url.port}${url.pathname}`
}

export type WorkerStep = 'copying' | 'verifying'

export interface Inspection {
  counts: Record<string, number>
  migrations: string[]
  sha256: string | null
}

export interface CopyMade extends Inspection {
  sha256: string
}

/** Which step a failure happened in, so main can tell a full drive from a copy that did not verify. */
export class TaskError extends Error {
  constructor(
    readonly phase: 'copying' | 'verifying' | 'counts',
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.name = 'TaskError'
  }
}

/**
 * Row counts of every table. An FTS5 table is left out: the search index (contentless, without
 * its sizes since 0065) cannot list its rows; its own tables (_data, _idx, _config) are counted.
 */
export function tableCounts(sqlite: Sqlite): Record<string, number> {
  const tables = sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE % USING fts5(%' ORDER BY name`)
    .pluck()
    .all() as string[]
  return Object.fromEntries(tables.map((name) => [name, (sqlite.prepare(`SELECT count(*) FROM "${name.replace(/"/g, '""')}"`).pluck().get() as number)]))
}

function dataVersion(sqlite: Sqlite): number {
  return sqlite.pragma('data_version', { simple: true }) as number
}

/** fsync a file written through a stream, so what is renamed or linked into place is on the disk. */
export function syncFile(file: string): void {
  const fd = openSync(file, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

const CHUNK = 4 * 1024 * 1024

/** sha256 of a file read in chunks: a 1 GB backup never sits in memory whole. */
export function hashFile(file: string): string {
  const hash = createHash('sha256')
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(CHUNK)
    for (let read; (read = readSync(fd, buffer, 0, CHUNK, null)) > 0; ) hash.update(buffer.subarray(0, read))
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}

/** Opens a file read-only with `check: 'full'` (pages, integrity_check) and reads what it holds. */
export async function inspectFile(file: string, key: DbKey, hash: boolean): Promise<Inspection> {
  const copy = await openDatabase(file, key, { readonly: true, check: 'full' })
  try {
    const hasMigrations = copy.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'kysely_migration'`).get()
    const migrations = hasMigrations ? (copy.sqlite.prepare(`SELECT name FROM kysely_migration ORDER BY name`).pluck().all() as string[]) : []
    return { counts: tableCounts(copy.sqlite), migrations, sha256: hash ? hashFile(file) : null }
  } finally {
    await copy.close()
  }
}

/** What the live file held just before the copy and, when anyone wrote during it, just after. */
interface Bracket {
  before: Record<string, number>
  after: Record<string, number>
  /** No other connection committed between the counts and the end of the copy. */
  sameSnapshot: boolean
}

/**
 * SQLite refuses VACUUM INTO inside an open transaction ("cannot VACUUM from within a
 * transaction"), so the counts and the copy cannot share one BEGIN. VACUUM INTO does read the
 * whole source in one read transaction of its own, so the copy is one moment by construction,
 * and its counts are read from the finished copy. To compare them with the live file at that same
 * moment, the live counts are read in a read transaction just before, with PRAGMA data_version;
 * if data_version is unchanged after the copy, no connection committed in between, so both
 * describe the same snapshot and must match exactly.
 */
function copyLive(live: Sqlite, partial: string): Bracket {
  live.exec('BEGIN')
  let before: Record<string, number>
  let version: number
  try {
    before = tableCounts(live)
    version = dataVersion(live)
  } finally {
    live.exec('COMMIT')
  }
  live.prepare('VACUUM INTO ?').run(partial)
  syncFile(partial)
  const sameSnapshot = dataVersion(live) === version
  return { before, after: sameSnapshot ? before : tableCounts(live), sameSnapshot }
}

/**
 * Tables whose counts do not describe the copy's moment. With the same snapshot, every count must
 * match. When the desk wrote during the copy, the live counts at the copy's moment are gone; then
 * the audit log, which only ever grows (its triggers refuse updates and deletes) and gains a row
 * in every write's transaction, must lie between its counts before and after, and every table
 * must be there.
 */
export function countsDisagree(copy: Record<string, number>, bracket: Bracket): string[] {
  const tables = Object.keys(bracket.before)
  const missing = tables.filter((table) => copy[table] === undefined)
  if (bracket.sameSnapshot) return tables.filter((table) => copy[table] !== bracket.before[table])
  const audit = copy.audit_log
  const auditOutside = audit !== undefined && (audit < (bracket.before.audit_log ?? 0) || audit > (bracket.after.audit_log ?? 0))
  return [...missing, ...(auditOutside ? ['audit_log'] : [])]
}

async function backup(liveFile: string, partial: string, key: DbKey, step: (s: WorkerStep) => void): Promise<CopyMade> {
  step('copying')
  let bracket: Bracket
  // check 'none': the live file's pages are checked at every start; this connection only reads.
  const live = await openDatabase(liveFile, key, { readonly: true, check: 'none' })
  // Main may be checkpointing; wait for it as main's own connection would.
  live.sqlite.pragma('busy_timeout = 5000')
  try {
    bracket = copyLive(live.sqlite, partial)
  } catch (error) {
    throw new TaskError('copying', error)
  } finally {
    await live.close()
  }
  step('verifying')
  let made: Inspection
  try {
    made = await inspectFile(partial, key, true)
  } catch (error) {
    throw new TaskError('verifying', error)
  }
  const disagree = countsDisagree(made.counts, bracket)
  if (disagree.length > 0) throw new TaskError('counts', disagree.join(', '))
  return { ...made, sha256: made.sha256! }
}

/**
 * The live file's check reads every page once, and pages it keeps are pages of the check's own
 * thread: main's 64 MiB cache (PAGE_CACHE_KIB) would only add as much to the process for the
 * check's length, left in the worker's malloc arena after it (issue 11). SQLite's default size.
 */
export const CHECK_CACHE_KIB = 16_000

/** integrity_check on a read-only connection; damage shows as the first lines of its report. */
async function integrity(file: string, key: DbKey): Promise<{ problems: string[] }> {
  let opened
  try {
    opened = await openDatabase(file, key, { readonly: true, check: 'none' })
  } catch (error) {
    return { problems: [error instanceof Error ? error.message : String(error)] }
  }
  try {
    opened.sqlite.pragma('busy_timeout = 5000')
    opened.sqlite.pragma(`cache_size = -${CHECK_CACHE_KIB}`)
    return { problems: integrityProblems(opened.sqlite).slice(0, 20) }
  } catch (error) {
    return { problems: [error instanceof Error ? error.message : String(error)] }
  } finally {
    await opened.close()
  }
}

/** How far a long task is: rows done of the total (an export), with the phase for an import. */
export type WorkerProgress = (progress: RecordsImportProgress | { done: number; total: number }) => void

/** The records a worker opened: the live file's connection, or a small pool on the server. */
export type WorkerRecords = { backend: 'sqlite'; opened: OpenDatabase } | { backend: 'postgres'; server: ConnectedPostgres }

/**
 * Opens the task's records on this worker's own connection. The file: beside the desk, waiting
 * its turn for the lock. The server: through the connection file, with one connection (an import's
 * staging tables belong to its session) unless told otherwise.
 */
async function openRecords(source: RecordsSource, key: DbKey, options: { readonly: boolean; poolSize?: number }): Promise<WorkerRecords> {
  if (!('file' in source)) {
    // Loaded here, not at the top: a backup's worker never needs the pg driver.
    const { connectPostgres, connectWithFile } = await import('./postgres')
    const poolSize = options.poolSize ?? 1
    const server = 'serverFile' in source ? await connectWithFile(source.serverFile, key, { poolSize }) : await connectPostgres(source.serverUrl, { poolSize })
    return { backend: 'postgres', server }
  }
  const opened = await openDatabase(source.file, key, { readonly: options.readonly, check: 'none' })
  return { backend: 'sqlite', opened }
}

function recordsDb(records: WorkerRecords): Kysely<Database> {
  return records.backend === 'sqlite' ? records.opened.db : records.server.db
}

function closeRecords(records: WorkerRecords): Promise<void> {
  return records.backend === 'sqlite' ? records.opened.close() : records.server.close()
}

/** The full export, on a read-only connection of its own: the desk keeps writing meanwhile. */
async function fullExport(task: Extract<BackupTask, { kind: 'export' }>, key: DbKey, progress: WorkerProgress): Promise<ExportWritten> {
  // Loaded here, not at the top: a backup's worker starts without the zip library.
  const { writeFullExport, appliedMigrations } = await import('./services/export/write')
  const records = await openRecords(task.source, key, { readonly: true, poolSize: 2 })
  if (records.backend === 'sqlite') records.opened.sqlite.pragma('busy_timeout = 5000')
  try {
    const db = recordsDb(records)
    const migrations = await appliedMigrations(db)
    return await writeFullExport(db, task.target, { password: task.password, createdAt: task.createdAt, migrations, centers: task.centers }, (done, total) => progress({ done, total }))
  } finally {
    await closeRecords(records)
  }
}

/** Opens the records for an import: it writes beside the desk, waiting its turn for the lock. */
async function records(task: Extract<BackupTask, { kind: 'records' }>, key: DbKey, progress: (p: RecordsImportProgress) => void): Promise<unknown> {
  const records = await openRecords(task.source, key, { readonly: false })
  if (records.backend === 'sqlite') {
    // The desk's own writes are a few milliseconds; an import waits for them, never the other way round for long.
    records.opened.sqlite.pragma('busy_timeout = 30000')
    // A large import touches every page of the roll-ups' indexes: keep them in memory (256 MB, this connection only).
    records.opened.sqlite.pragma('cache_size = -262144')
  }
  const target = records.backend === 'sqlite' ? records.opened : records.server
  try {
    return task.action === 'preview' ? await previewRecords(target, task.job, progress) : await importRecords(target, task.job, progress)
  } finally {
    await closeRecords(records)
  }
}

export function runTask(task: BackupTask, key: DbKey, step: (s: WorkerStep) => void, progress: WorkerProgress = () => {}): Promise<unknown> {
  switch (task.kind) {
    case 'backup':
      return backup(task.liveFile, task.partial, key, step)
    case 'inspect':
      return inspectFile(task.file, key, task.hash)
    case 'integrity':
      return integrity(task.file, key)
    case 'export':
      return fullExport(task, key, progress)
    case 'records':
      return records(task, key, progress)
  }
}

import { execFile } from 'node:child_process'
import { sql, type Kysely } from 'kysely'
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, delimiter, join } from 'node:path'
import { BackupError, checkFolder, describeFsError, rotateBackups, stamp, type RotationPolicy } from './backup'
import { usesTls, type PostgresConnection } from './pg-connect'
import { message } from '../shared/messages'
import { recordBackupAttempt, type BackupAttempt } from './services/backup-settings'
import type { ServiceContext } from './services/context'
import type { Database } from './schema'

/**
 * A copy of the records with PostgreSQL's own pg_dump, for a center whose records are on its
 * server. The server's own backups (the IT provider's) stay the primary ones and restore is done
 * on the server with pg_restore; this is the extra copy the Backups screen offers when pg_dump is
 * installed on this PC. The dump is written under a temporary name, checked with
 * `pg_restore --list`, and only then renamed to its final `.dump` name, so nothing half-written
 * is ever left looking like a good backup.
 */

/** A finished dump's name (the partial one starts with a dot): the only files the rotation may delete. */
export const DUMP_NAME = /^porchlight-(\d{8}-\d{6})\.dump$/

/** The tables whose data a dump must hold to count as good. */
const REQUIRED_DATA = ['audit_log', 'visits'] as const

export interface PgDumpTools {
  pgDump: string
  pgRestore: string
}

export interface PgDumpRun {
  file: string
  bytes: number
  createdAt: string
  /** Older dumps the rotation removed (file names), newest kept by the file backups' policy. */
  removed: string[]
}

/** Where pg_dump is usually installed besides PATH: Debian's versioned folders and the Windows installer's. */
function usualFolders(platform: NodeJS.Platform): string[] {
  const versioned = (root: string, tail: string[]): string[] => {
    try {
      return readdirSync(root)
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join(root, version, ...tail))
    } catch {
      return []
    }
  }
  if (platform === 'win32') return versioned('C:\\Program Files\\PostgreSQL', ['bin'])
  return versioned('/usr/lib/postgresql', ['bin'])
}

/**
 * The pg_dump (and its pg_restore beside it) this PC has, or null. `folders` replaces the
 * search (PATH and the usual folders) for tests.
 */
export function findPgDump(folders?: readonly string[], platform: NodeJS.Platform = process.platform): PgDumpTools | null {
  const exe = platform === 'win32' ? '.exe' : ''
  const search = folders ?? [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...usualFolders(platform)]
  for (const dir of search) {
    const pgDump = join(dir, `pg_dump${exe}`)
    const pgRestore = join(dir, `pg_restore${exe}`)
    if (existsSync(pgDump) && existsSync(pgRestore)) return { pgDump, pgRestore }
  }
  return null
}

/**
 * The child's environment: the password and TLS settings through libpq's variables, so the
 * password never appears on a command line (where other users of the PC could read it).
 */
export function pgDumpEnv(connection: PostgresConnection): NodeJS.ProcessEnv {
  const tls = usesTls(connection)
  return {
    ...process.env,
    PGHOST: connection.host.replace(/^\[(.*)\]$/, '$1'),
    PGPORT: String(connection.port),
    PGDATABASE: connection.database,
    PGUSER: connection.user,
    PGCONNECT_TIMEOUT: '10',
    PGSSLMODE: tls ? 'verify-full' : 'disable',
    ...(connection.auth === 'password' && connection.password !== undefined ? { PGPASSWORD: connection.password } : { PGPASSWORD: '' }),
    ...(tls ? { PGSSLROOTCERT: connection.caFile ?? 'system' } : {}),
    ...(connection.auth === 'certificate' && connection.certFile ? { PGSSLCERT: connection.certFile } : {}),
    ...(connection.auth === 'certificate' && connection.keyFile ? { PGSSLKEY: connection.keyFile } : {}),
  }
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr: String(stderr) }))
      else resolve({ stdout: String(stdout) })
    })
  })
}

/** pg_dump's refusal said for a person: a server newer than pg_dump, a full disk, an unwritable folder, else its own words. */
function dumpFailure(error: unknown, folder: string): BackupError {
  const stderr = (error as { stderr?: string }).stderr ?? ''
  const reason = stderr.trim().split('\n').slice(-2).join(' ') || (error instanceof Error ? error.message : String(error))
  const mismatch = /server version: ([\d.]+)[^;]*; pg_dump version: ([\d.]+)/.exec(stderr)
  if (mismatch || /version mismatch/i.test(stderr)) {
    return new BackupError('BACKUP_FAILED', message('backup.pgDumpTooOld', { server: mismatch?.[1] ?? '?', pgDump: mismatch?.[2] ?? '?' }))
  }
  if (/No space left on device/i.test(stderr)) return new BackupError('BACKUP_NO_SPACE', message('backup.noSpace', { folder }))
  if (/Permission denied|Read-only file system/i.test(stderr)) return new BackupError('BACKUP_FOLDER', message('backup.cannotWrite', { folder, reason: 'EACCES' }))
  return new BackupError('BACKUP_FAILED', message('backup.pgDumpFailed', { reason }))
}

/**
 * Runs pg_dump (custom format) into `folder`, checks the dump lists the audit log's and the
 * visits' data, and renames it into place; then, given a `keep` policy, deletes the older dumps
 * it does not keep (the same daily and weekly counts as the file backups; the new one is always
 * kept). Throws a BackupError, with nothing left behind and nothing deleted, when any step before
 * the rename fails. pg_dump runs as a child process, so the app's main thread stays free.
 */
export async function dumpPostgres(
  connection: PostgresConnection,
  folder: string,
  options: { now: Date; tools?: PgDumpTools | null; keep?: RotationPolicy; onStep?: (step: 'copying' | 'verifying') => void },
): Promise<PgDumpRun> {
  const tools = options.tools === undefined ? findPgDump() : options.tools
  if (!tools) throw new BackupError('BACKUP_FAILED', message('backup.pgDumpMissing'))
  checkFolder(folder)
  // Named by UTC like the file backups, so the name does not depend on this computer's zone.
  const name = `porchlight-${stamp(options.now)}.dump`
  const final = join(folder, name)
  const partial = join(folder, `.${name}.partial`)
  const env = pgDumpEnv(connection)
  try {
    options.onStep?.('copying')
    try {
      await run(tools.pgDump, ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`], env)
    } catch (error) {
      throw dumpFailure(error, folder)
    }
    options.onStep?.('verifying')
    let listing: string
    try {
      listing = (await run(tools.pgRestore, ['--list', partial], env)).stdout
    } catch (error) {
      throw new BackupError('BACKUP_FAILED', message('backup.notVerified', { reason: dumpFailure(error, folder).message }))
    }
    const missing = REQUIRED_DATA.filter((table) => !new RegExp(`TABLE DATA \\S+ ${table}(\\s|$)`, 'm').test(listing))
    if (missing.length > 0) throw new BackupError('BACKUP_FAILED', message('backup.notVerified', { reason: `no data for ${missing.join(', ')}` }))
    let removed: string[] = []
    try {
      renameSync(partial, final)
      if (options.keep) removed = rotateBackups(folder, options.keep, DUMP_NAME).map((file) => basename(file))
    } catch (error) {
      throw describeFsError(error, folder)
    }
    return { file: name, bytes: statSync(final).size, createdAt: options.now.toISOString(), removed }
  } finally {
    rmSync(partial, { force: true })
  }
}

/**
 * A pg_dump backup as a use case: dumps, then records the attempt where the file backups record
 * theirs (the last attempt and the last good one, with a backup.create or backup.failed audit row).
 * A failure is recorded and thrown.
 */
export async function backupPostgres(
  ctx: ServiceContext,
  connection: PostgresConnection,
  folder: string,
  options: { scheduled: boolean; tools?: PgDumpTools | null; keep?: RotationPolicy; onStep?: (step: 'copying' | 'verifying') => void },
): Promise<{ run: PgDumpRun; attempt: BackupAttempt }> {
  try {
    const run = await dumpPostgres(connection, folder, { now: ctx.now(), tools: options.tools, keep: options.keep, onStep: options.onStep })
    const attempt = await recordBackupAttempt(ctx, { ok: true, scheduled: options.scheduled, file: run.file, error: null }, { tool: 'pg_dump', bytes: run.bytes, removed: run.removed.length })
    return { run, attempt }
  } catch (error) {
    if (error instanceof BackupError) {
      await recordBackupAttempt(ctx, { ok: false, scheduled: options.scheduled, file: null, error: error.message, errorRef: error.ref }, { tool: 'pg_dump' })
    }
    throw error
  }
}

/** The scheduled dump's turn across the center's PCs ("porchdmp" in ASCII); apart from the write lock, so the desks never wait for it. */
const DUMP_TURN = 0x706f726368646d70n

/**
 * Runs `work` while this PC holds the center's one scheduled-dump turn: a session-level advisory
 * lock on a connection kept for the whole dump, so four PCs whose schedules fall due in the same
 * minute make one copy, not four. Returns null at once, doing nothing, when another PC holds it;
 * a PC that crashes mid-dump loses its connection and with it the turn.
 */
export async function inDumpTurn<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T | null> {
  return db.connection().execute(async (conn) => {
    const turn = sql.lit(DUMP_TURN.toString())
    const { rows } = await sql<{ got: boolean }>`SELECT pg_try_advisory_lock(${turn}::bigint) AS got`.execute(conn)
    if (!rows[0]?.got) return null
    try {
      return await work()
    } finally {
      await sql`SELECT pg_advisory_unlock(${turn}::bigint)`.execute(conn)
    }
  })
}

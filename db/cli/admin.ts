import { existsSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { backupAndRotate, backupDatabase, BackupError, previewBackup, restoreDatabase, tableCounts, type BackupErrorCode } from '../backup'
import { DbError, dbErrors, type DbErrorCode } from '../errors'
import { generateKey, type DbKey } from '../keys'
import { EnvKeyStore, FileKeyStore } from '../keystore-file'
import { migrationList } from '../migrations'
import { createDatabase, foreignKeyProblem, MigrationFailed, openDatabase, type OpenDatabase } from '../open'
import { openWithSafeUpgrade } from '../upgrade'
import { connectPostgres, openPostgres, probePostgres } from '../postgres'
import { postgresMigrationList } from '../migrations/postgres'
import { MoveCheckFailed, moveToPostgres, moveToSqlite, MoveRefused, type MoveResult } from '../move'
import { completeSetup } from '../services/setup'
import { seedDatabase, seedProfile } from '../seed'
import { verifyAuditChain } from '../services/audit'
import { findStaffByUsername, listStaff, oneTimePassword, resetStaffPassword } from '../services/staff-accounts'
import { ServiceError } from '../services/context'
import { reportCsv, reportJson } from '../services/reports/export'
import { funderReport } from '../services/reports/report'
import { FIRST_CENTER, listCenters } from '../services/centers'
import type { ReportScopeChoice } from '../report-types'
import { checkRollups, rebuildRollups } from '../services/reports/rollups'
import { getReportSettings } from '../services/reports/settings'
import { suppressionFor } from '../domain'
import { english } from '../../shared/messages'
import type { DirectoryPlan } from '../hsds-types'
import { exportDirectory } from '../services/hsds/export'
import { exportEverything } from '../services/export/run'
import { importDirectory, previewDirectoryImport } from '../services/hsds/import'
import { importRecordsCommand, ImportUsageError } from './import-records'
import { progressBar, type ProgressStream } from './progress'
import { doctor, doctorLines } from './doctor'
import { BACKUP_STALE_HOURS } from '../health'

/**
 * Porchlight's admin command line: create a database with its key file, verify a database
 * (integrity, audit chain), count rows, fill a test database with synthetic people. Everything is in `runAdmin` so tests can call it
 * in-process; the bottom of the file runs it when this file is the program.
 */

export interface AdminIo {
  /** One call per line; the line has no trailing newline. */
  stdout: (line: string) => void
  stderr: (line: string) => void
  env: NodeJS.ProcessEnv
  /** Where a progress bar goes (a terminal redraws it in place); default: lines on stderr. */
  progress?: ProgressStream
  /** Asks a question on a terminal and returns the answer; absent when nobody is there to answer. */
  ask?: (question: string) => Promise<string>
  /** The time (tests give theirs); default: the computer's clock. */
  now?: () => Date
  /** The zone for calendar days (tests give theirs); default: the computer's, the center's own. */
  timeZone?: string
  /** A drive's free space, for doctor (tests simulate a full drive); default: the file system's. */
  freeBytes?: (path: string) => number | null
}

/** Exit codes are part of the interface (scripts and schedulers branch on them); never renumber. */
export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  DB_MISSING: 3,
  DB_EMPTY: 4,
  DB_NOT_ENCRYPTED: 5,
  DB_NOT_DATABASE: 6,
  DB_WRONG_KEY: 7,
  DB_DAMAGED: 8,
  DB_TOO_NEW: 9,
  DB_EXISTS: 10,
  KEY_INVALID: 11,
  AUDIT_BROKEN: 12,
  DB_NOT_EMPTY: 13,
  BACKUP_FOLDER: 14,
  BACKUP_NO_SPACE: 15,
  BACKUP_FAILED: 16,
  RESTORE_REFUSED: 17,
  RESTORE_FAILED: 18,
  NOT_CONFIRMED: 19,
  REPORT_RANGE: 20,
  ROLLUPS_WRONG: 21,
  IMPORT_REFUSED: 22,
  DB_UPGRADE_BACKUP: 23,
  DB_UPGRADE_FAILED: 24,
  DOCTOR_FINDINGS: 25,
  STAFF_REFUSED: 26,
  PG_UNREACHABLE: 27,
  PG_NO_TLS: 28,
  PG_CERT_UNTRUSTED: 29,
  PG_LOGIN_REFUSED: 30,
  PG_NOT_ALLOWED: 31,
  PG_NO_DATABASE: 32,
  PG_TOO_OLD: 33,
  PG_FILE: 34,
  PG_FAILED: 35,
  MIGRATE_REFUSED: 36,
  MIGRATE_FAILED: 37,
} as const satisfies Record<
  DbErrorCode | BackupErrorCode | 'OK' | 'INTERNAL' | 'USAGE' | 'AUDIT_BROKEN' | 'DB_NOT_EMPTY' | 'NOT_CONFIRMED' | 'REPORT_RANGE' | 'ROLLUPS_WRONG' | 'IMPORT_REFUSED' | 'DOCTOR_FINDINGS' | 'STAFF_REFUSED' | 'MIGRATE_REFUSED' | 'MIGRATE_FAILED',
  number
>

export const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  init   --db FILE --key-file FILE
         Create a new encrypted database and a key file (64 hex characters, readable by you
         only). Refuses, changing nothing, if either file already exists.
  init   --postgres URL --center NAME --admin-name NAME --username NAME
         Prepare an empty database on the center's PostgreSQL server
         (postgres://user:password@host:5432/database; ?sslrootcert=CA.pem for the server's
         CA): Porchlight's schema, the center's name and its first admin, whose one-time
         password is printed once. TLS is required for any host but this computer, and the
         server must be PostgreSQL 13 or later. Refuses, changing nothing, a database that
         already holds anything.
  verify (--db FILE [--key-file FILE] | --postgres URL)
         Open read-only, run SQLite's full integrity check and foreign key check, check
         the audit log's hash chain, and recount the reports' roll-ups from the records
         they count. Prints a short report; exit code 0 means all is well. On the server
         (--postgres), the schema, the audit chain and the roll-ups (the server itself
         keeps the foreign keys and its pages); nothing is written.
  migrate --db FILE [--key-file FILE] --to URL
  migrate --from URL --to FILE [--key-file FILE]
         Move a center's records between its encrypted file and a PostgreSQL server, either
         way, so no center is locked in: every table, in one transaction on the target,
         read back and checked against the source table by table (row counts and content
         hashes); the audit log's chain still verifies. --to URL must be an empty database
         (create one; not prepared by init --postgres): a database holding anything is
         refused. --to FILE must not exist yet; it is encrypted with the key in --key-file
         (a new key is made and written there if that file does not exist yet) or in
         PORCHLIGHT_DB_KEY. The source is only read: close Porchlight on every PC first
         (from a server, PCs' writes wait until the copy is done). A failure part-way
         leaves the target as it was (an empty database, no file). Then run verify on it.
  rebuild-rollups (--db FILE [--key-file FILE] | --postgres URL)
         Throw the reports' roll-ups away and count them again from the records, in one
         transaction (when verify finds them wrong). Close Porchlight first.
  doctor --db FILE [--key-file FILE]
         Check what a center's PC needs for its records to be safe: the key, every page's
         MAC, integrity_check, the schema version, free disk space beside the database, the
         backup folder (there, writable, room for a backup) and the last backup's age (at
         most ${BACKUP_STALE_HOURS} hours). Prints each finding with what to do; exit code 0
         only when all is well. Never writes to the database.
  reset-password (--db FILE [--key-file FILE] | --postgres URL) --username NAME
         For a locked-out center (the only admin forgot the password): holding the key is the
         authority. Sets a one-time password for that account, printed once; at their next
         sign-in Porchlight makes them choose their own. Lifts a lockout. Written to the audit
         log. Porchlight may stay open meanwhile.
  stats  --db FILE [--key-file FILE]
         Print the number of rows in every table as JSON.
  seed   --db FILE [--key-file FILE] --participants N --days D [--seed S]
         [--visits-per-weekday V] [--force]
         Fill an existing database with synthetic people and D days of visits up to now, for
         demos, training and load tests: a few daily regulars and many occasional visitors,
         quieter weekends, a mix of services, some anonymous visits. The same seed gives the
         same people and visits. V defaults to N / 20. Refuses a database that already has
         participants unless --force (then adds to them). Never use it on a center's real records.
  backup --db FILE [--key-file FILE] --to DIR [--keep-daily N --keep-weekly N]
         Write an encrypted copy (same key) into DIR as porchlight-YYYYMMDD-HHMMSS.db, verify
         it (integrity check, row counts against the database) and write its manifest beside
         it. With --keep-daily/--keep-weekly, then delete older backups in DIR beyond the newest
         of each of the last N days and N weeks. Never writes to the database itself.
  report --db FILE [--key-file FILE] --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|json]
         [--out FILE] [--suppress N|off] [--center ID|all]
         Print the funder report for those days (both included), counted by the same rules as
         the dashboard: one line per figure (table, row, measure, value), each with the
         center's name and the range. --center names the center by its id (needed when the
         organization has several; the error lists them) or all for every center together. Counts from 1 to N are shown as "<N+1" (N: the center's
         report setting, 10 unless changed; --suppress off shows every count). --out writes
         the report to FILE instead of printing it. Never writes to the database.
  restore --db FILE [--key-file FILE] --from BACKUP [--yes]
         Check BACKUP through with the key and show what it holds, ask for confirmation (type
         RESTORE; --yes for scripts), then put it in place of FILE. The current FILE is kept
         beside it as FILE.before-restore-<time>; if the restored file fails its checks the
         current one is put back. Close Porchlight first.
  import-directory --db FILE [--key-file FILE] --from DIR [--dry-run] [--skip-bad-rows] [--center ID]
         Import the agency directory from a folder of Open Referral HSDS 3.0 files (CSV and
         datapackage.json) into one center's directory (each center keeps its own): --center
         names it by its id, needed when the organization has several (the error lists them).
         Prints what is new, changed, unchanged or removed and every problem (file, row,
         column). Any problem refuses the whole import, writing nothing, unless
         --skip-bad-rows (then those rows, and rows naming them, are left out and listed).
         --dry-run only reads and prints. Importing the same files again changes nothing.
  export-directory --db FILE [--key-file FILE] --to DIR [--center ID]
         Write one center's agency directory (--center, needed when there are several) as
         HSDS 3.0 files and datapackage.json into DIR (new or holding no HSDS files). The
         files hold agencies only, no one's records.
  export (--db FILE [--key-file FILE] | --postgres URL) --to DIR [--unencrypted] [--center ID|all]
         Write everything the center holds (people, visits, groups, referrals, consents,
         coaching, workforce and safety records, staff without passwords, the audit log) as
         CSV files with a data dictionary into one zip, DIR/porchlight-export-<time>.zip,
         encrypted with AES-256 under a new password printed once: write it down, it is kept
         nowhere. --unencrypted writes a plain zip that anyone who finds it can read: keep it
         only on an encrypted drive. --center names the center by its id (needed when the
         organization has several; the error lists them) or all for every center; the
         organization's own files (staff, services, settings, workforce, centers, the audit
         log) are whole either way, and export.json in the zip names the centers it holds.
         Never overwrites a file; never writes to the database except the audit log's row
         saying the export was made.
  import (--db FILE [--key-file FILE] | --postgres URL) (--participants CSV|XLSX | --visits CSV|XLSX) --mapping MAP.json
         [--dry-run] [--skip-bad-rows] [--duplicates-as-new]
         Import a center's old people list or sign-in log. MAP.json matches Porchlight's fields
         to the file's column headers, e.g. {"personId": "Client ID", "firstName": "First",
         "lastName": "Last"} or {"person": "Client ID", "date": "Date", "timeIn": "In",
         "services": "Services"}. Prints the dry run's counts and every problem (row, column);
         any problem refuses the whole import, writing nothing, unless --skip-bad-rows. Possible
         duplicates (people who look like someone already registered) are listed and refuse the
         import until reviewed in the app's Import records screen, or --duplicates-as-new makes
         them new people. All of the file counts or none of it. Rows imported before are never
         imported twice.

The key comes from --key-file, or else from the environment variable PORCHLIGHT_DB_KEY
(64 hex characters; spaces and dashes are ignored). verify and stats never write to the
database file (SQLite may create the usual FILE-wal and FILE-shm beside it).

Exit codes:
   0  all good
   1  unexpected error
   2  usage error (unknown command or option, missing option)
   3  DB_MISSING        no file at that path
   4  DB_EMPTY          the file is 0 bytes
   5  DB_NOT_ENCRYPTED  an unencrypted SQLite file, not a Porchlight database
   6  DB_NOT_DATABASE   not a database at all
   7  DB_WRONG_KEY      the key does not open this file
   8  DB_DAMAGED        damaged: failed page checks, integrity check or foreign key check
   9  DB_TOO_NEW        written by a newer Porchlight
  10  DB_EXISTS         init: the database or key file already exists; export: the zip already exists
  11  KEY_INVALID       the key or key file is missing or malformed
  12  AUDIT_BROKEN      the audit log's hash chain does not hold (it was altered)
  13  DB_NOT_EMPTY      seed: the database already has participants (add --force to add more)
  14  BACKUP_FOLDER     backup, export: the folder is missing, not a folder, or not writable
  15  BACKUP_NO_SPACE   backup: the folder's drive is full
  16  BACKUP_FAILED     backup: the copy could not be written or did not verify (removed); export: the zip could not be written
  17  RESTORE_REFUSED   restore: not a Porchlight backup, another key, damaged or from a newer Porchlight
  18  RESTORE_FAILED    restore: the restored file failed its checks; the current one was put back
  19  NOT_CONFIRMED     restore: not confirmed (no terminal to ask and no --yes, or a different answer)
  20  REPORT_RANGE      report: the range is not one Porchlight can count (reversed, not started, over 10 years)
  21  ROLLUPS_WRONG     verify: the reports' roll-ups do not match the records (run rebuild-rollups)
  22  IMPORT_REFUSED    import-directory, import: a file or row has a problem (nothing was written)
  23  DB_UPGRADE_BACKUP the copy made before an upgrade could not be made (nothing was changed)
  24  DB_UPGRADE_FAILED an upgrade failed and was undone (the file is as it was)
  25  DOCTOR_FINDINGS   doctor: the database opens, but something needs attention (see the lines)
  26  STAFF_REFUSED     reset-password: no such account, or it is deactivated (nothing was changed)
  27  PG_UNREACHABLE    --postgres: the server does not answer (host, port, firewall, pg_hba.conf)
  28  PG_NO_TLS         --postgres: the server offers no TLS, or the connection is not encrypted
  29  PG_CERT_UNTRUSTED --postgres: the server's certificate is not trusted (give ?sslrootcert=CA.pem)
  30  PG_LOGIN_REFUSED  --postgres: wrong password or client certificate
  31  PG_NOT_ALLOWED    --postgres: pg_hba.conf does not let this user in from here
  32  PG_NO_DATABASE    --postgres: no database of that name
  33  PG_TOO_OLD        --postgres: the server is older than PostgreSQL 13
  34  PG_FILE           --postgres: a certificate or key file cannot be read or used
  35  PG_FAILED         --postgres: anything else the server refused (the message says what)
  36  MIGRATE_REFUSED   migrate: the source's schema is older than this Porchlight, or it holds no records (nothing was written)
  37  MIGRATE_FAILED    migrate: the copy failed or did not match the source; it was undone (the target is as it was)`

class UsageError extends Error {}

type Command = 'init' | 'verify' | 'doctor' | 'reset-password' | 'stats' | 'seed' | 'backup' | 'restore' | 'report' | 'rebuild-rollups' | 'import-directory' | 'export-directory' | 'export' | 'import' | 'migrate'
const COMMANDS: readonly Command[] = ['init', 'verify', 'doctor', 'reset-password', 'stats', 'seed', 'backup', 'restore', 'report', 'rebuild-rollups', 'import-directory', 'export-directory', 'export', 'import', 'migrate']

const OPTIONS = {
  db: { type: 'string' },
  'key-file': { type: 'string' },
  participants: { type: 'string' },
  days: { type: 'string' },
  seed: { type: 'string' },
  'visits-per-weekday': { type: 'string' },
  force: { type: 'boolean' },
  to: { type: 'string' },
  from: { type: 'string' },
  'keep-daily': { type: 'string' },
  'keep-weekly': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  format: { type: 'string' },
  out: { type: 'string' },
  suppress: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'skip-bad-rows': { type: 'boolean' },
  'duplicates-as-new': { type: 'boolean' },
  unencrypted: { type: 'boolean' },
  username: { type: 'string' },
  postgres: { type: 'string' },
  center: { type: 'string' },
  'admin-name': { type: 'string' },
  visits: { type: 'string' },
  mapping: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

interface Parsed {
  command: Command | null
  db?: string
  keyFile?: string
  participants?: string
  days?: string
  seed?: string
  visitsPerWeekday?: string
  force: boolean
  to?: string
  from?: string
  keepDaily?: string
  keepWeekly?: string
  yes: boolean
  format?: string
  out?: string
  suppress?: string
  dryRun: boolean
  skipBadRows: boolean
  duplicatesAsNew?: boolean
  unencrypted: boolean
  username?: string
  postgres?: string
  center?: string
  adminName?: string
  visits?: string
  mapping?: string
  help: boolean
}

function parse(argv: readonly string[]): Parsed {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    // parseArgs' own messages name the offending option, which is what the person needs.
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { values, positionals } = parsed
  const help = values.help ?? false
  if (positionals.length === 0) return { command: null, help, force: false, yes: false, dryRun: false, skipBadRows: false, unencrypted: false }
  const [name, ...extra] = positionals
  if (!COMMANDS.includes(name as Command)) throw new UsageError(`Unknown command "${name}". Commands: ${COMMANDS.join(', ')}.`)
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`)
  const command = name as Command
  const seedOnly = ['participants', 'days', 'seed', 'visits-per-weekday', 'force'] as const
  // --participants is seed's count of people, and import's file of them.
  const stray = seedOnly.find((option) => values[option] !== undefined && !(command === 'import' && option === 'participants'))
  if (command !== 'seed' && stray) throw new UsageError(`--${stray} is an option of seed only.`)
  const owners: Record<string, Command[]> = {
    to: ['backup', 'report', 'export-directory', 'export', 'migrate'],
    unencrypted: ['export'],
    'keep-daily': ['backup'],
    'keep-weekly': ['backup'],
    from: ['restore', 'report', 'import-directory', 'migrate'],
    'dry-run': ['import-directory', 'import'],
    'skip-bad-rows': ['import-directory', 'import'],
    'duplicates-as-new': ['import'],
    visits: ['import'],
    mapping: ['import'],
    yes: ['restore'],
    format: ['report'],
    out: ['report'],
    suppress: ['report'],
    username: ['reset-password', 'init'],
    postgres: ['init', 'reset-password', 'verify', 'rebuild-rollups', 'export', 'import'],
    center: ['init', 'report', 'export', 'import-directory', 'export-directory'],
    'admin-name': ['init'],
  }
  const misplaced = Object.keys(owners).find((option) => values[option as keyof typeof values] !== undefined && !owners[option]!.includes(command))
  if (misplaced) throw new UsageError(`--${misplaced} is an option of ${owners[misplaced]!.join(' and ')} only.`)
  return {
    command,
    db: values.db,
    keyFile: values['key-file'],
    postgres: values.postgres,
    center: values.center,
    adminName: values['admin-name'],
    participants: values.participants,
    days: values.days,
    seed: values.seed,
    visitsPerWeekday: values['visits-per-weekday'],
    force: values.force ?? false,
    duplicatesAsNew: values['duplicates-as-new'] ?? false,
    to: values.to,
    from: values.from,
    keepDaily: values['keep-daily'],
    keepWeekly: values['keep-weekly'],
    yes: values.yes ?? false,
    format: values.format,
    out: values.out,
    suppress: values.suppress,
    dryRun: values['dry-run'] ?? false,
    skipBadRows: values['skip-bad-rows'] ?? false,
    unencrypted: values.unencrypted ?? false,
    username: values.username,
    visits: values.visits,
    mapping: values.mapping,
    help,
  }
}

/** A whole number from `min` to `max`, or a usage error naming the option. */
function wholeNumber(value: string | undefined, option: string, min: number, max: number, fallback?: number): number {
  if (value === undefined) {
    if (fallback !== undefined) return fallback
    throw new UsageError(`${option} N is needed.`)
  }
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max.toLocaleString('en-US')}, not "${value}".`)
  }
  return n
}

/** npm runs scripts from the package folder; INIT_CWD is where the person typed the command. */
function pathFrom(env: NodeJS.ProcessEnv, value: string): string {
  return resolve(env.INIT_CWD ?? process.cwd(), value)
}

function required(value: string | undefined, option: string, command: Command, env: NodeJS.ProcessEnv): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${command} needs ${option} FILE.`)
  return pathFrom(env, value)
}

function loadKey(keyFile: string | undefined, env: NodeJS.ProcessEnv): DbKey {
  // An explicit --key-file wins over the environment: what was typed is what was meant.
  if (keyFile !== undefined) {
    if (keyFile.trim() === '') throw new UsageError('--key-file needs a FILE.')
    return new FileKeyStore(pathFrom(env, keyFile)).load()
  }
  const store = new EnvKeyStore(env)
  if (!store.exists()) throw new UsageError('Give the key with --key-file FILE or the environment variable PORCHLIGHT_DB_KEY.')
  return store.load()
}

/**
 * `init --postgres URL`: the center's server database, prepared from an empty one: Porchlight's
 * schema, the center's name and its first admin with a one-time password (changed at the first
 * sign-in), and what to do on a bad day. A database holding anything already is refused, untouched.
 */
async function initPostgres(parsed: Parsed, io: AdminIo): Promise<number> {
  if (parsed.db || parsed.keyFile) throw new UsageError('init --postgres prepares a server database: leave out --db and --key-file.')
  const center = parsed.center?.trim()
  const adminName = parsed.adminName?.trim()
  const username = parsed.username?.trim()
  if (!center || !adminName || !username) throw new UsageError('init --postgres needs --center NAME, --admin-name NAME and --username NAME (the first admin).')
  const url = parsed.postgres!
  // Read first, writing nothing: someone else's database or a center's records are refused as they are.
  const found = await probePostgres(url)
  if (found.holds !== 'empty') {
    io.stderr(`${found.where} already holds Porchlight's records${found.centerName ? ` (${found.centerName})` : ''}. Nothing was changed; connect Porchlight to it instead.`)
    return EXIT.DB_EXISTS
  }
  const opened = await openPostgres(url)
  try {
    const ctx = { db: opened.db, staffId: null, now: clockOf(io), timeZone: zoneOf(io) }
    // completeSetup wants a password; the admin gets a one-time one instead, which Porchlight makes them replace.
    const staff = await completeSetup(ctx, { centerName: center, adminName, username, password: oneTimePassword() })
    const password = oneTimePassword()
    await resetStaffPassword(ctx, staff.id, password, { via: 'admin init --postgres' })
    io.stdout(`Prepared Porchlight's records on ${opened.where} (PostgreSQL ${opened.server.version}, ${opened.server.tls ? `TLS ${opened.server.tls}` : 'on this computer, no TLS'}).`)
    io.stdout(`Center: ${center}. First admin: ${adminName} (${username}), one-time password:`)
    io.stdout('')
    io.stdout(`    ${password}`)
    io.stdout('')
    io.stdout('It works once: at the first sign-in Porchlight asks for a password of their own. Give it in person.')
    io.stdout('')
    io.stdout('On each PC: first-run setup → "Connect to the center\'s PostgreSQL server", with this server, database and user.')
    io.stdout('Backups: the server\'s own (pg_dump, or the hosting provider\'s); see the README\'s section for IT.')
    io.stdout(`If every admin is locked out: npm run admin -- reset-password --postgres URL --username ${username}`)
    return EXIT.OK
  } finally {
    await opened.close()
  }
}

async function init(parsed: Parsed, io: AdminIo): Promise<number> {
  if (parsed.postgres !== undefined) return initPostgres(parsed, io)
  if (parsed.center || parsed.adminName || parsed.username) throw new UsageError('--center, --admin-name and --username are for init --postgres only.')
  const db = required(parsed.db, '--db', 'init', io.env)
  const keyFile = required(parsed.keyFile, '--key-file', 'init', io.env)
  if (db === keyFile) throw new UsageError('--db and --key-file must be different files.')
  // Every refusal happens before anything is created, so a refused init changes nothing.
  for (const path of [db, `${db}-wal`, `${db}-shm`, keyFile]) {
    if (existsSync(path)) throw dbErrors.exists(path)
  }
  for (const path of [db, keyFile]) {
    const folder = dirname(path)
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`The folder ${folder} does not exist; create it first.`)
  }
  const key = generateKey()
  const opened = await createDatabase(db, key)
  await opened.close()
  try {
    new FileKeyStore(keyFile).save(key)
  } catch (error) {
    // A database whose key was never written down can never be opened: do not leave it behind.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true })
    throw error
  }
  io.stdout(`Created the encrypted database: ${db}`)
  io.stdout(`Wrote its key (readable by this account only): ${keyFile}`)
  io.stdout('')
  io.stdout('Keep the key file safe. Without it nobody, including you, can open the database.')
  io.stdout('Keep a copy of it somewhere secure, apart from the database and its backups.')
  return EXIT.OK
}

/** Opens for reading only, after the byte-level checks in openDatabase, so a bad file stays untouched. */
async function openForReading(parsed: Parsed, command: Command, io: AdminIo, check: 'full' | 'quick'): Promise<OpenDatabase> {
  const db = required(parsed.db, '--db', command, io.env)
  const key = loadKey(parsed.keyFile, io.env)
  return openDatabase(db, key, { check, readonly: true })
}

/** The command's clock: the computer's (the tool runs at the center), or the test's. */
function clockOf(io: AdminIo): () => Date {
  return io.now ?? (() => new Date())
}

/** The command's zone for calendar days: the computer's, or the test's. */
function zoneOf(io: AdminIo): string {
  return io.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
}

/** Opens for writing; a database from an earlier version gets its verified copy before it is migrated. */
async function openForWriting(db: string, key: DbKey, io: AdminIo): Promise<OpenDatabase> {
  return (await openWithSafeUpgrade(db, key, { now: clockOf(io)() })).opened
}

async function doctorCommand(parsed: Parsed, io: AdminIo): Promise<number> {
  const db = required(parsed.db, '--db', 'doctor', io.env)
  const key = loadKey(parsed.keyFile, io.env)
  const result = await doctor(db, key, { now: clockOf(io)(), ...(io.freeBytes ? { freeBytes: io.freeBytes } : {}) })
  io.stdout(`Database: ${db}`)
  for (const line of doctorLines(result)) io.stdout(line)
  const problems = result.findings.filter((finding) => !finding.ok).length
  io.stdout(problems === 0 ? 'All is well.' : `${problems} finding(s) need attention.`)
  if (result.stoppedBy) return EXIT[result.stoppedBy.code]
  return problems === 0 ? EXIT.OK : EXIT.DOCTOR_FINDINGS
}

async function resetPasswordCommand(parsed: Parsed, io: AdminIo): Promise<number> {
  const username = parsed.username?.trim()
  if (!username) throw new UsageError('reset-password needs --username NAME.')
  // On the center's server, the server's own account (its password in the URL) is the authority.
  const opened = parsed.postgres !== undefined ? await openPostgres(parsed.postgres) : await openForWriting(required(parsed.db, '--db', 'reset-password', io.env), loadKey(parsed.keyFile, io.env), io)
  try {
    const ctx = { db: opened.db, staffId: null, now: clockOf(io), timeZone: zoneOf(io) }
    const account = await findStaffByUsername(ctx, username)
    if (!account || !account.active) {
      const admins = (await listStaff(ctx)).filter((staff) => staff.active && staff.role === 'admin').map((staff) => staff.username)
      io.stderr(`${account ? `The account "${username}" is deactivated.` : `No staff account is named "${username}".`} Nothing was changed. Active admins: ${admins.join(', ') || 'none'}.`)
      return EXIT.STAFF_REFUSED
    }
    const password = oneTimePassword()
    await resetStaffPassword(ctx, account.id, password, { via: 'admin reset-password' })
    io.stdout(`One-time password for ${account.displayName} (${account.username}, ${account.role}):`)
    io.stdout('')
    io.stdout(`    ${password}`)
    io.stdout('')
    io.stdout('It works once: at sign-in Porchlight asks them to choose their own password. Any lockout is lifted.')
    io.stdout('The reset is in the audit log. Give the password in person; it is not shown again.')
    return EXIT.OK
  } finally {
    await opened.close()
  }
}

async function verify(parsed: Parsed, io: AdminIo): Promise<number> {
  if (parsed.postgres !== undefined) return verifyPostgres(parsed, io)
  const opened = await openForReading(parsed, 'verify', io, 'full')
  try {
    const { sqlite } = opened
    const pages = Number(sqlite.pragma('page_count', { simple: true }))
    io.stdout(`Database: ${opened.file} (${pages} pages)`)
    io.stdout('Integrity check: ok')

    const orphans = foreignKeyProblem(sqlite)
    if (orphans !== null) {
      io.stderr(`Foreign key check: ${orphans}. Do not keep working in this file: restore the latest backup, and keep this one for investigation.`)
      return EXIT.DB_DAMAGED
    }
    io.stdout('Foreign key check: ok')

    const applied = new Set(
      (sqlite.prepare('SELECT name FROM kysely_migration').all() as Array<{ name: string }>).map((row) => row.name),
    )
    const pending = migrationList.filter(([name]) => !applied.has(name)).length
    return await verifyRecords(opened.db, { applied: applied.size, pending, what: 'file', repair: '--db FILE' }, io)
  } finally {
    await opened.close()
  }
}

/**
 * What `verify` checks on either backend once the storage itself passed: the schema's version,
 * the audit log's hash chain, and the roll-ups recounted from the records (at the current schema).
 */
async function verifyRecords(db: OpenDatabase['db'], schema: { applied: number; pending: number; what: string; repair: string }, io: AdminIo): Promise<number> {
  io.stdout(
    schema.pending === 0
      ? `Schema: up to date (${schema.applied} migrations)`
      : `Schema: ${schema.applied} migrations applied, ${schema.pending} will run when Porchlight next opens it`,
  )
  const chain = await verifyAuditChain(db)
  if (chain.firstBroken !== null) {
    io.stderr(
      `Audit log: the hash chain breaks at row ${chain.firstBroken} (${chain.reason ?? 'it does not match'}). ` +
        `The log was altered outside Porchlight. Keep this ${schema.what} unchanged for investigation and tell whoever is responsible for privacy at the center.`,
    )
    return EXIT.AUDIT_BROKEN
  }
  io.stdout(`Audit log: ${chain.rows} rows, hash chain intact`)

  if (schema.pending === 0) {
    const wrong = (await checkRollups(db)).filter((check) => check.missing + check.extra > 0)
    if (wrong.length > 0) {
      io.stderr(
        `Report roll-ups: ${wrong.map((check) => `${check.table} differs from the records (${check.missing} row(s) missing or different, ${check.extra} extra)`).join('; ')}. ` +
          `The records themselves are not affected. Close Porchlight and run: npm run admin -- rebuild-rollups ${schema.repair}`,
      )
      return EXIT.ROLLUPS_WRONG
    }
    io.stdout('Report roll-ups: recounted from the records, they match')
  }
  io.stdout('All checks passed.')
  return EXIT.OK
}

/** `verify --postgres URL`: the server keeps its own pages and foreign keys; the rest as on a file. Never writes. */
async function verifyPostgres(parsed: Parsed, io: AdminIo): Promise<number> {
  if (parsed.db !== undefined || parsed.keyFile !== undefined) throw new UsageError('verify --postgres checks a server database: leave out --db and --key-file.')
  const opened = await connectPostgres(parsed.postgres!, { poolSize: 2 })
  try {
    io.stdout(`Database: ${opened.where} (PostgreSQL ${opened.server.version}, ${opened.server.tls ? `TLS ${opened.server.tls}` : 'on this computer, no TLS'})`)
    if (opened.upgrade.from === 0) {
      io.stderr(`${opened.where} holds no Porchlight records (no schema yet).`)
      return EXIT.DB_EMPTY
    }
    const applied = postgresMigrationList.length - opened.upgrade.pending.length
    return await verifyRecords(opened.db, { applied, pending: opened.upgrade.pending.length, what: 'database', repair: '--postgres URL' }, io)
  } finally {
    await opened.close()
  }
}

async function stats(parsed: Parsed, io: AdminIo): Promise<number> {
  const opened = await openForReading(parsed, 'stats', io, 'quick')
  try {
    io.stdout(JSON.stringify(tableCounts(opened.sqlite), null, 2))
    return EXIT.OK
  } finally {
    await opened.close()
  }
}

async function seed(parsed: Parsed, io: AdminIo): Promise<number> {
  const participants = wholeNumber(parsed.participants, '--participants', 1, 1_000_000)
  const days = wholeNumber(parsed.days, '--days', 1, 3660)
  const seedValue = wholeNumber(parsed.seed, '--seed', 0, 2 ** 32 - 1, 20261125)
  const perWeekday = parsed.visitsPerWeekday === undefined ? undefined : wholeNumber(parsed.visitsPerWeekday, '--visits-per-weekday', 1, 100_000)
  const db = required(parsed.db, '--db', 'seed', io.env)
  const key = loadKey(parsed.keyFile, io.env)
  const opened = await openForWriting(db, key, io)
  try {
    const existing = (opened.sqlite.prepare('SELECT count(*) FROM participants').pluck().get() as number) ?? 0
    if (existing > 0 && !parsed.force) {
      io.stderr(
        `${db} already has ${existing.toLocaleString('en-US')} participants; seed fills test databases only. ` +
          'Add --force to add synthetic people to them anyway.',
      )
      return EXIT.DB_NOT_EMPTY
    }
    const bar = progressBar(io.progress ?? { write: (text: string) => io.stderr(text.replace(/\n$/, '')) })
    const result = await seedDatabase(opened, {
      participants,
      days,
      seed: seedValue,
      visitsPerWeekday: perWeekday,
      until: clockOf(io)(),
      timeZone: zoneOf(io),
      onProgress: (done, total, phase) => bar.update(done, total, phase),
    })
    bar.finish()
    io.stdout(
      `Seeded ${result.participants.toLocaleString('en-US')} participants and ${result.visits.toLocaleString('en-US')} visits ` +
        `(${result.anonymousVisits.toLocaleString('en-US')} anonymous, ${result.visitServices.toLocaleString('en-US')} services given) ` +
        `from ${result.firstDate} to ${result.lastDate}.`,
    )
    // The profile reads every visit: skip it where that would take a while.
    if (result.visits <= 200_000) io.stdout(JSON.stringify(seedProfile(opened.sqlite), null, 2))
    return EXIT.OK
  } finally {
    await opened.close()
  }
}

function barFor(io: AdminIo) {
  return progressBar(io.progress ?? { write: (text: string) => io.stderr(text.replace(/\n$/, '')) })
}

const STEPS = ['copying', 'verifying', 'rotating', 'done'] as const

async function backup(parsed: Parsed, io: AdminIo): Promise<number> {
  const to = required(parsed.to, '--to', 'backup', io.env)
  const rotate = parsed.keepDaily !== undefined || parsed.keepWeekly !== undefined
  const policy = {
    daily: wholeNumber(parsed.keepDaily, '--keep-daily', 1, 3650, 7),
    weekly: wholeNumber(parsed.keepWeekly, '--keep-weekly', 0, 520, 8),
  }
  const key = loadKey(parsed.keyFile, io.env)
  // Read-only: a backup never writes to the database it copies (VACUUM INTO only reads it).
  const opened = await openDatabase(required(parsed.db, '--db', 'backup', io.env), key, { check: 'quick', readonly: true })
  const bar = barFor(io)
  try {
    const onStep = (step: (typeof STEPS)[number]) => bar.update(STEPS.indexOf(step) + (step === 'done' ? 1 : 0), STEPS.length, step)
    const manifest = rotate
      ? (await backupAndRotate(opened, key, to, policy, { onStep, now: clockOf(io)() })).manifest
      : await backupDatabase(opened, key, to, { onStep: (step) => onStep(step === 'done' ? 'done' : step), now: clockOf(io)() })
    bar.finish()
    io.stdout(`Backup written and verified: ${resolve(to, manifest.file)}`)
    io.stdout(`${manifest.counts.participants ?? 0} participants, ${manifest.counts.visits ?? 0} visits, ${(manifest.bytes / 1024 / 1024).toFixed(1)} MB. It is encrypted with the same key.`)
    return EXIT.OK
  } finally {
    bar.finish()
    await opened.close()
  }
}

async function restore(parsed: Parsed, io: AdminIo): Promise<number> {
  const db = required(parsed.db, '--db', 'restore', io.env)
  const from = required(parsed.from, '--from', 'restore', io.env)
  if (db === from) throw new UsageError('--db and --from must be different files.')
  const key = loadKey(parsed.keyFile, io.env)
  const bar = barFor(io)
  bar.update(0, 3, 'checking')
  const preview = await previewBackup(from, key)
  bar.finish()
  io.stdout(`Backup: ${from}${preview.createdAt ? ` (made ${preview.createdAt})` : ''}`)
  io.stdout(`It holds ${preview.counts.participants ?? 0} participants, ${preview.counts.visits ?? 0} visits, ${preview.counts.staff ?? 0} staff accounts and ${preview.counts.audit_log ?? 0} audit rows; it passed its integrity check.`)
  io.stdout(existsSync(db) ? `It will replace ${db} (the current file is kept beside it).` : `It will be put at ${db}.`)
  if (!parsed.yes) {
    if (!io.ask) {
      io.stderr('Not restored: nobody to confirm. Run it in a terminal, or add --yes in a script.')
      return EXIT.NOT_CONFIRMED
    }
    const answer = await io.ask('Type RESTORE to go ahead: ')
    if (answer.trim() !== 'RESTORE') {
      io.stderr('Not restored; nothing was changed.')
      return EXIT.NOT_CONFIRMED
    }
  }
  bar.update(1, 3, 'restoring')
  const result = await restoreDatabase(db, from, key, clockOf(io)())
  bar.update(3, 3, 'done')
  bar.finish()
  io.stdout(`Restored and checked: ${db}`)
  if (existsSync(result.asideFile)) io.stdout(`The database it replaced is kept at ${result.asideFile}; delete it once you are sure.`)
  return EXIT.OK
}

async function rebuild(parsed: Parsed, io: AdminIo): Promise<number> {
  const opened = parsed.postgres !== undefined ? await openPostgres(parsed.postgres) : await openForWriting(required(parsed.db, '--db', 'rebuild-rollups', io.env), loadKey(parsed.keyFile, io.env), io)
  try {
    await rebuildRollups(opened.db)
    const wrong = (await checkRollups(opened.db)).filter((check) => check.missing + check.extra > 0)
    if (wrong.length > 0) {
      io.stderr(`Report roll-ups: still differ from the records after the rebuild (${wrong.map((check) => check.table).join(', ')}).`)
      return EXIT.ROLLUPS_WRONG
    }
    io.stdout('Report roll-ups: rebuilt from the records, and they match')
    return EXIT.OK
  } finally {
    await opened.close()
  }
}

/**
 * The center `--center` names: an id, all (the organization, where the command takes it), or none
 * when there is only one center in use; with several, the error names them.
 */
async function chosenCenter(db: OpenDatabase['db'], center: string | undefined, all: string | null): Promise<{ centerId: number; choice: ReportScopeChoice }> {
  const inUse = await listCenters(db)
  const known = await db.selectFrom('centers').select(['id', 'name']).orderBy('id').execute()
  const named = (list: Array<{ id: number; name: string }>) => list.map((c) => `${c.id} (${c.name})`).join(', ')
  if (center === 'all') {
    if (all === null) throw new UsageError(`This command works in one center: name it with --center ID. The centers: ${named(known)}.`)
    return { centerId: FIRST_CENTER, choice: 'organization' }
  }
  if (center === undefined) {
    if (inUse.length === 1) return { centerId: inUse[0]!.id, choice: 'center' }
    throw new UsageError(`This database holds several centers: ${named(inUse)}. Name one with --center ID${all === null ? '' : `, or ${all} with --center all`}.`)
  }
  const id = wholeNumber(center, '--center', 1, Number.MAX_SAFE_INTEGER)
  if (!known.some((c) => c.id === id)) throw new UsageError(`No center has the id ${id}. The centers: ${named(known)}.`)
  return { centerId: id, choice: 'center' }
}

/** `report --center` and `export --center`: one center, or all of them together. */
const reportCenter = (db: OpenDatabase['db'], center: string | undefined) => chosenCenter(db, center, 'count them together')

/** `import-directory` and `export-directory`: a directory is one center's. */
async function directoryCenter(db: OpenDatabase['db'], center: string | undefined): Promise<number> {
  return (await chosenCenter(db, center, null)).centerId
}

async function report(parsed: Parsed, io: AdminIo): Promise<number> {
  const format = parsed.format ?? 'csv'
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, not "${format}".`)
  if (parsed.from === undefined || parsed.to === undefined) throw new UsageError('report needs --from YYYY-MM-DD and --to YYYY-MM-DD.')
  const opened = await openForReading(parsed, 'report', io, 'quick')
  try {
    const ctx = { db: opened.db, staffId: null, now: clockOf(io), timeZone: zoneOf(io) }
    let threshold: number | null
    if (parsed.suppress === 'off') threshold = null
    else if (parsed.suppress !== undefined) threshold = wholeNumber(parsed.suppress, '--suppress', 1, 100)
    else threshold = suppressionFor(await getReportSettings(opened.db), 'leaves')
    const scope = await reportCenter(opened.db, parsed.center)
    let figures
    try {
      figures = await funderReport({ ...ctx, centerId: scope.centerId }, { from: parsed.from, to: parsed.to }, scope.choice)
    } catch (error) {
      if (error instanceof ServiceError) {
        io.stderr(error.message)
        return EXIT.REPORT_RANGE
      }
      throw error
    }
    const text = format === 'csv' ? reportCsv(figures, threshold) : `${JSON.stringify(reportJson(figures, threshold), null, 2)}\n`
    if (parsed.out !== undefined) {
      const out = pathFrom(io.env, parsed.out)
      writeFileSync(out, text, { mode: 0o600 })
      io.stdout(`Report written to ${out}`)
    } else {
      for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) io.stdout(line)
    }
    return EXIT.OK
  } finally {
    await opened.close()
  }
}

function printPlan(io: AdminIo, plan: DirectoryPlan): void {
  const c = plan.counts
  io.stdout(`Agencies: ${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged, ${c.removed} removed, ${c.deactivated} kept inactive (named by referrals).`)
  const r = plan.records
  io.stdout(`HSDS rows: ${r.new} new, ${r.changed} changed, ${r.unchanged} unchanged, ${r.removed} removed.`)
}

async function importDirectoryCommand(parsed: Parsed, io: AdminIo): Promise<number> {
  const from = required(parsed.from, '--from', 'import-directory', io.env)
  const opened = await openForWriting(required(parsed.db, '--db', 'import-directory', io.env), loadKey(parsed.keyFile, io.env), io)
  try {
    const ctx = { db: opened.db, staffId: null, now: clockOf(io), timeZone: zoneOf(io), centerId: await directoryCenter(opened.db, parsed.center) }
    const preview = await previewDirectoryImport(ctx, from)
    io.stdout(`Read ${preview.files.length} HSDS files from ${from}.`)
    printPlan(io, preview)
    for (const problem of preview.problems) io.stderr(english(problem.message))
    if (preview.problemCount > preview.problems.length) io.stderr(`… and ${preview.problemCount - preview.problems.length} more problems.`)
    const refused = preview.fatal || (preview.badRows > 0 && !parsed.skipBadRows)
    if (parsed.dryRun) {
      io.stdout(refused ? 'Dry run: this import would be refused; nothing was written.' : 'Dry run: nothing was written.')
      return refused ? EXIT.IMPORT_REFUSED : EXIT.OK
    }
    if (refused) {
      io.stderr(preview.fatal ? 'Not imported: a file cannot be read. Nothing was written.' : `Not imported: ${preview.badRows} rows have problems. Nothing was written. Fix them, or add --skip-bad-rows.`)
      return EXIT.IMPORT_REFUSED
    }
    const result = await importDirectory(ctx, from, { skipBadRows: parsed.skipBadRows })
    io.stdout('Imported.')
    printPlan(io, result)
    if (result.skipped.length > 0) {
      io.stdout(`Skipped ${result.skipped.length} rows:`)
      for (const problem of result.skipped) io.stdout(`  ${english(problem.message)}`)
    }
    return EXIT.OK
  } catch (error) {
    if (error instanceof ServiceError) {
      io.stderr(error.message)
      return EXIT.IMPORT_REFUSED
    }
    throw error
  } finally {
    await opened.close()
  }
}

async function exportDirectoryCommand(parsed: Parsed, io: AdminIo): Promise<number> {
  const to = required(parsed.to, '--to', 'export-directory', io.env)
  const opened = await openForWriting(required(parsed.db, '--db', 'export-directory', io.env), loadKey(parsed.keyFile, io.env), io)
  try {
    const result = await exportDirectory({ db: opened.db, staffId: null, now: clockOf(io), timeZone: zoneOf(io), centerId: await directoryCenter(opened.db, parsed.center) }, to)
    io.stdout(`Wrote ${result.files.length} HSDS files and datapackage.json with ${result.agencies} agencies to ${result.folder}.`)
    return EXIT.OK
  } catch (error) {
    if (error instanceof ServiceError) {
      io.stderr(error.message)
      return EXIT.USAGE
    }
    throw error
  } finally {
    await opened.close()
  }
}

async function exportCommand(parsed: Parsed, io: AdminIo): Promise<number> {
  const to = required(parsed.to, '--to', 'export', io.env)
  if (parsed.postgres !== undefined && (parsed.db !== undefined || parsed.keyFile !== undefined)) throw new UsageError('export --postgres reads a server database: leave out --db and --key-file.')
  // Read on the worker thread as the app does; on the server this process's own connection writes only the audit row.
  const key = parsed.postgres !== undefined ? null : loadKey(parsed.keyFile, io.env)
  const opened = parsed.postgres !== undefined ? await openPostgres(parsed.postgres, { poolSize: 2 }) : await openDatabase(required(parsed.db, '--db', 'export', io.env), key!)
  const source = 'file' in opened ? { file: opened.file } : { serverUrl: parsed.postgres! }
  const bar = progressBar(io.progress ?? { write: (text: string) => io.stderr(text.replace(/\n$/, '')) })
  try {
    const scope = await reportCenter(opened.db, parsed.center)
    const ctx = { db: opened.db, staffId: null, now: clockOf(io), timeZone: zoneOf(io), centerId: scope.centerId }
    const result = await exportEverything(source, key, ctx, { folder: to, encrypted: !parsed.unencrypted, scope: scope.choice }, (done, total) => bar.update(done, total, 'exporting'))
    bar.finish()
    const rows = result.files.reduce((sum, file) => sum + file.rows, 0)
    io.stdout(`Wrote ${result.file}: ${result.files.length} CSV files (${rows.toLocaleString('en-US')} rows), ${result.documents} documents, and data-dictionary.csv.`)
    if (result.password) {
      io.stdout(`The zip is encrypted (AES-256). Its password, shown this once and kept nowhere:\n\n    ${result.password}\n`)
      io.stdout('Write it down and keep it apart from the zip; without it the export cannot be opened.')
    } else {
      io.stdout('The zip is NOT encrypted: anyone who gets the file can read every record in it. Keep it only on an encrypted drive, never in email or a shared folder, and delete it when done.')
    }
    return EXIT.OK
  } catch (error) {
    bar.finish()
    if (error instanceof ServiceError) {
      io.stderr(error.message)
      return error.code === 'CONFLICT' ? EXIT.DB_EXISTS : EXIT.BACKUP_FAILED
    }
    throw error
  } finally {
    await opened.close()
  }
}

async function importRecords(parsed: Parsed, io: AdminIo): Promise<number> {
  if (parsed.postgres !== undefined && (parsed.db !== undefined || parsed.keyFile !== undefined)) throw new UsageError('import --postgres writes to a server database: leave out --db and --key-file.')
  // On the server: one connection, which holds the import's staging tables from the first chunk to the switch.
  const open = parsed.postgres !== undefined ? () => openPostgres(parsed.postgres!, { poolSize: 1 }) : () => openDatabase(required(parsed.db, '--db', 'import', io.env), loadKey(parsed.keyFile, io.env))
  const mapping = required(parsed.mapping, '--mapping', 'import', io.env)
  const file = (option: string | undefined) => (option === undefined ? undefined : pathFrom(io.env, option))
  const options = { participants: file(parsed.participants), visits: file(parsed.visits), mapping, dryRun: parsed.dryRun, skipBadRows: parsed.skipBadRows, duplicatesAsNew: parsed.duplicatesAsNew ?? false }
  const progress = () => progressBar(io.progress ?? { write: (text: string) => io.stderr(text.replace(/\n$/, '')) })
  try {
    const outcome = await importRecordsCommand(options, { stdout: io.stdout, stderr: io.stderr, progress, now: clockOf(io), timeZone: zoneOf(io) }, open)
    return outcome === 'ok' ? EXIT.OK : EXIT.IMPORT_REFUSED
  } catch (error) {
    if (error instanceof ImportUsageError) throw new UsageError(error.message)
    throw error
  }
}

const isPostgresUrl = (value: string) => /^postgres(ql)?:\/\//i.test(value.trim())

/** The new file's key: an existing key file's, a new one for a key file not there yet, or PORCHLIGHT_DB_KEY's. */
function keyForNewFile(keyFile: string | undefined, env: NodeJS.ProcessEnv): { key: DbKey; newKeyFile: string | null } {
  if (keyFile !== undefined && keyFile.trim() !== '') {
    const path = pathFrom(env, keyFile)
    if (existsSync(path)) return { key: new FileKeyStore(path).load(), newKeyFile: null }
    if (!existsSync(dirname(path))) throw new UsageError(`The folder ${dirname(path)} does not exist; create it first.`)
    return { key: generateKey(), newKeyFile: path }
  }
  return { key: loadKey(keyFile, env), newKeyFile: null }
}

function printMove(io: AdminIo, result: MoveResult, to: string): void {
  const tables = result.tables.filter((table) => result.digests[table.name]!.rows > 0).length
  io.stdout(`Copied ${result.rows.toLocaleString('en-US')} rows in ${result.tables.length} tables (${tables} holding rows) to ${to}.`)
  io.stdout('Read back and checked: every table has the same row count and content hash as the source.')
  io.stdout(
    result.chain.firstBroken === null
      ? `Audit log: ${result.chain.rows} rows, hash chain intact.`
      : `Audit log: copied as it was, and its hash chain breaks at row ${result.chain.firstBroken} on the source too (${result.chain.reason ?? 'it does not match'}).`,
  )
}

/**
 * `migrate`: a center's records from its encrypted file to an empty database on its server, or
 * back into a new file. Everything is refused before anything is written (a URL or file that is
 * wrong, a target holding records, a source at another schema); a failure while copying is undone.
 */
async function migrateCommand(parsed: Parsed, io: AdminIo): Promise<number> {
  const to = parsed.to?.trim()
  if (!to) throw new UsageError('migrate needs --to: a postgres:// URL (from --db FILE), or a new FILE (from --from URL).')
  const bar = barFor(io)
  const onProgress = (done: number, total: number, phase: string) => bar.update(done, total, phase)
  try {
    if (parsed.from !== undefined) {
      if (!isPostgresUrl(parsed.from)) throw new UsageError('--from takes the server\'s postgres:// URL; to move a file to a server, use --db FILE --to URL.')
      if (parsed.db !== undefined) throw new UsageError('migrate --from URL --to FILE writes a new file: leave out --db.')
      if (isPostgresUrl(to)) throw new UsageError('migrate copies between a file and a server: --to must be a new file here.')
      const file = pathFrom(io.env, to)
      if (parsed.keyFile !== undefined && pathFrom(io.env, parsed.keyFile) === file) throw new UsageError('--to and --key-file must be different files.')
      if (existsSync(file)) throw dbErrors.exists(file)
      const { key, newKeyFile } = keyForNewFile(parsed.keyFile, io.env)
      const result = await moveToSqlite(parsed.from, file, key, onProgress)
      bar.finish()
      if (newKeyFile) {
        try {
          new FileKeyStore(newKeyFile).save(key)
        } catch (error) {
          // A file whose key was never written down can never be opened: do not leave it behind.
          for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
          throw error
        }
      }
      printMove(io, result, file)
      io.stdout(newKeyFile ? `Its key is new, written to ${newKeyFile} (readable by this account only): keep it safe, and a copy apart from the file.` : 'It is encrypted with the key given.')
      io.stdout(`Next: npm run admin -- verify --db ${to}${parsed.keyFile ? ` --key-file ${parsed.keyFile}` : ''}`)
      return result.chain.firstBroken === null ? EXIT.OK : EXIT.AUDIT_BROKEN
    }
    if (!isPostgresUrl(to)) throw new UsageError('migrate --db FILE needs --to postgres://… (the server\'s empty database); to copy a server into a file, use --from URL --to FILE.')
    const file = required(parsed.db, '--db', 'migrate', io.env)
    const result = await moveToPostgres(file, loadKey(parsed.keyFile, io.env), to, onProgress)
    bar.finish()
    printMove(io, result, `${result.where} (PostgreSQL ${result.server.version}, ${result.server.tls ? `TLS ${result.server.tls}` : 'on this computer, no TLS'})`)
    io.stdout('The file was only read; keep it (and its key) until the server has run a while, then store it as an archive.')
    io.stdout('Next: npm run admin -- verify --postgres URL; then point each PC at the server (first-run setup).')
    return result.chain.firstBroken === null ? EXIT.OK : EXIT.AUDIT_BROKEN
  } catch (error) {
    bar.finish()
    if (error instanceof MoveRefused) {
      io.stderr(error.message)
      if (error.code === 'TARGET_HOLDS_RECORDS') return EXIT.DB_EXISTS
      return error.code === 'FOLDER' ? EXIT.USAGE : EXIT.MIGRATE_REFUSED
    }
    if (error instanceof UsageError || error instanceof DbError) throw error
    const reason = error instanceof MigrationFailed ? `the schema could not be built (${error.step}: ${error.reason})` : error instanceof Error ? error.message : String(error)
    io.stderr(`Not moved: ${reason}${error instanceof MoveCheckFailed ? '' : '.'} Everything was undone: the target is as it was (an empty database, or no file).`)
    return EXIT.MIGRATE_FAILED
  }
}

/** Runs one admin command and returns its exit code; never throws. */
export async function runAdmin(argv: readonly string[], io: AdminIo = processIo()): Promise<number> {
  try {
    const parsed = parse(argv)
    if (parsed.help) {
      io.stdout(USAGE)
      return EXIT.OK
    }
    switch (parsed.command) {
      case null:
        // No command is a mistake in a script, so it is a usage error, but still shows the usage.
        io.stderr(USAGE)
        return EXIT.USAGE
      case 'init':
        return await init(parsed, io)
      case 'verify':
        return await verify(parsed, io)
      case 'doctor':
        return await doctorCommand(parsed, io)
      case 'reset-password':
        return await resetPasswordCommand(parsed, io)
      case 'stats':
        return await stats(parsed, io)
      case 'seed':
        return await seed(parsed, io)
      case 'backup':
        return await backup(parsed, io)
      case 'restore':
        return await restore(parsed, io)
      case 'report':
        return await report(parsed, io)
      case 'rebuild-rollups':
        return await rebuild(parsed, io)
      case 'import-directory':
        return await importDirectoryCommand(parsed, io)
      case 'export-directory':
        return await exportDirectoryCommand(parsed, io)
      case 'export':
        return await exportCommand(parsed, io)
      case 'import':
        return await importRecords(parsed, io)
      case 'migrate':
        return await migrateCommand(parsed, io)
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\nRun "npm run admin -- --help" for usage.`)
      return EXIT.USAGE
    }
    if (error instanceof DbError || error instanceof BackupError) {
      io.stderr(error.message)
      return EXIT[error.code]
    }
    io.stderr(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    return EXIT.INTERNAL
  }
}

function processIo(): AdminIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    progress: process.stderr,
    ...(process.stdin.isTTY
      ? {
          ask: async (question: string) => {
            const rl = createInterface({ input: process.stdin, output: process.stderr })
            try {
              return await rl.question(question)
            } finally {
              rl.close()
            }
          },
        }
      : {}),
  }
}

function isMainModule(): boolean {
  const script = process.argv[1]
  if (!script) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMainModule()) {
  // exitCode rather than exit(): lets stdout drain when it is a pipe.
  void runAdmin(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}

import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import SqliteDatabase from 'better-sqlite3-multiple-ciphers'
import { CompiledQuery, Kysely, sql, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type KyselyConfig } from 'kysely'
import { Migrator, type MigrationProvider } from 'kysely/migration'
import { hmacKeyFor, PAGE_SIZE, pageMacMatches, readEncryptedHeader, scanPages } from './cipher'
import { DbError, dbErrors } from './errors'
import { keyToHex, type DbKey } from './keys'
import { migrationList, migrationRecord, SCHEMA_VERSION, schemaVersionOf } from './migrations'
import type { Database } from './schema'

export type Sqlite = InstanceType<typeof SqliteDatabase>

export interface OpenDatabase {
  readonly file: string
  readonly sqlite: Sqlite
  readonly db: Kysely<Database>
  close(): Promise<void>
}

export interface OpenOptions {
  /**
   * 'pages' checks every page's MAC and the file's length against its header: any damaged byte
   * is found, in about a tenth of integrity_check's time (what the app does at every start).
   * 'full' adds PRAGMA integrity_check (the b-trees and indexes agree), 'quick' adds quick_check.
   * 'none' checks the first page only.
   */
  check?: 'full' | 'quick' | 'pages' | 'none'
  /** Open without migrating or writing anything (verify, preview of a backup). */
  readonly?: boolean
  /**
   * Called before migrations run on a database that already holds records (never on a new one),
   * while no connection writes to the file: the safe upgrade makes its verified copy here. If it
   * throws, nothing is migrated and the file is left as it was.
   */
  beforeMigrate?: (upgrade: Upgrade) => Promise<void>
}

/** Migrations about to run on an existing database: from its schema version to this build's. */
export interface Upgrade {
  from: number
  to: number
  pending: string[]
}

/**
 * The upgrade failed and was rolled back as a whole (every pending migration runs in one
 * transaction): the file holds what it held before. `step` names the migration that threw.
 */
export class MigrationFailed extends Error {
  constructor(
    readonly upgrade: Upgrade,
    readonly step: string,
    readonly reason: string,
  ) {
    super(`Migration ${step} failed (schema ${upgrade.from} to ${upgrade.to}): ${reason}`)
    this.name = 'MigrationFailed'
  }
}

const MIGRATION_TABLE = 'kysely_migration'

/**
 * SQLite can do DDL inside a transaction, but kysely's SqliteAdapter says it cannot,
 * so its Migrator would run migrations bare. Saying yes makes `migrateToLatest()` one
 * transaction holding every pending migration and its record.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

/**
 * After some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) SQLite has already rolled the
 * transaction back by itself. kysely would then send ROLLBACK anyway, which fails with "no
 * transaction is active" and hides the error that matters (a full disk) behind a meaningless one.
 */
class RollbackOnceSqliteDriver extends SqliteDriver {
  /** `handle` is the connection itself, `sqlite` the same behind the statement cache. */
  constructor(
    private readonly sqlite: Sqlite,
    private readonly handle: Sqlite,
  ) {
    super({ database: sqlite })
  }

  /**
   * IMMEDIATE: a transaction takes the write lock at its BEGIN, waiting its turn (beginImmediate)
   * behind another connection that writes (a records import on the worker thread). A deferred one
   * would read first and, if that other writer committed meanwhile, fail at its first write with
   * SQLITE_BUSY_SNAPSHOT, which no busy timeout retries. A read-only connection cannot take it.
   */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.readonly) await connection.executeQuery(CompiledQuery.raw('begin'))
    else await beginImmediate(this.sqlite)
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.sqlite.inTransaction) return
    await super.rollbackTransaction(connection)
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection)
    checkpointWhenIdle(this.handle)
  }
}

/**
 * The WAL is folded back into the main file after the answer, not inside a write. SQLite's own
 * auto-checkpoint runs in the commit that crosses its 1,000 pages: with a sign-in or an attendance
 * mark writing some 30-60 pages, one write in 17-30 paid for writing back 1,000 pages and an fsync
 * of the main file, and the p95 of a mark sat on exactly those writes. Here a commit only counts;
 * every few commits a PASSIVE checkpoint is queued behind whatever the thread is doing (setImmediate
 * runs after the reply has gone out). A commit is durable in the WAL either way (synchronous=FULL):
 * this moves work, it does not skip it. The backstop below keeps the WAL bounded for a caller that
 * never lets the thread go idle (a tight loop of writes), where SQLite's own checkpoint takes over.
 */
const COMMITS_PER_CHECKPOINT = 8
/** Pages the WAL may reach before a commit checkpoints it inline, as SQLite does by itself at 1,000. */
export const WAL_BACKSTOP_PAGES = 4000
const idleCheckpoints = new WeakMap<Sqlite, { commits: number; queued: boolean }>()

function checkpointWhenIdle(sqlite: Sqlite): void {
  const state = idleCheckpoints.get(sqlite)
  if (!state) return
  state.commits += 1
  if (state.queued || state.commits < COMMITS_PER_CHECKPOINT) return
  state.queued = true
  setImmediate(() => {
    state.queued = false
    // A transaction open across an await (or a closed handle) is no moment to checkpoint: the next commit asks again.
    if (!sqlite.open || sqlite.inTransaction) return
    state.commits = 0
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      // Nothing is lost: the frames stay in the WAL, and the next checkpoint (or the backstop) folds them in.
    }
  }).unref()
}

/** The longest pause between two tries for the write lock: what a writer may wait past the lock's release. */
const LOCK_RETRY_MAX_MS = 5

const isBusy = (error: unknown) => error instanceof SqliteDatabase.SqliteError && error.code.startsWith('SQLITE_BUSY')

/**
 * BEGIN IMMEDIATE, waiting for the write lock without holding the thread. SQLite's own wait
 * (busy_timeout) sleeps inside the call: on main that froze the window and every other request
 * for as long as a records import's transaction held the lock on the worker thread (up to the 5 s
 * timeout). Each try here asks SQLite not to wait (busy_timeout 0 for that one statement, set back
 * before anything else can run on the handle); between tries a timer is awaited, for the
 * connection's own busy timeout in all, after which SQLite's "database is locked" is thrown as before.
 */
export async function beginImmediate(sqlite: Sqlite): Promise<void> {
  const timeout = Number(sqlite.pragma('busy_timeout', { simple: true }))
  const deadline = performance.now() + timeout
  for (let pause = 1; ; pause = Math.min(pause * 2, LOCK_RETRY_MAX_MS)) {
    sqlite.pragma('busy_timeout = 0')
    try {
      sqlite.exec('begin immediate')
      return
    } catch (error) {
      if (!isBusy(error) || performance.now() >= deadline) throw error
    } finally {
      sqlite.pragma(`busy_timeout = ${timeout}`)
    }
    await sleep(Math.min(pause, Math.max(0, deadline - performance.now())))
  }
}

/** Statements kept prepared, by their SQL text: enough for every query the app writes, a bound for ad-hoc ones. */
const STATEMENT_CACHE_SIZE = 500

/**
 * kysely prepares every query anew, and SQLite compiles a statement's triggers with it: a
 * sign-in's INSERT carries the reports' roll-up triggers (migration 0012), whose compiling
 * cost more than running them. The connection keeps its statements prepared instead (the
 * least recently used dropped past the bound). kysely runs one query at a time on the one
 * connection, a stream included, so a statement is never used twice at once; SQLite re-prepares
 * a statement by itself when a migration changes the schema under it.
 */
function withStatementCache(sqlite: Sqlite): Sqlite {
  const cache = new Map<string, ReturnType<Sqlite['prepare']>>()
  const prepare = (source: string) => {
    let statement = cache.get(source)
    if (statement) {
      cache.delete(source)
    } else {
      statement = sqlite.prepare(source)
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
    }
    cache.set(source, statement)
    return statement
  }
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') return prepare
      // The handle's own getters and methods run on the handle itself, not on the proxy.
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

class PorchlightSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: Sqlite) {
    super({ database: sqlite })
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter()
  }

  override createDriver(): Driver {
    return new RollbackOnceSqliteDriver(withStatementCache(this.sqlite), this.sqlite)
  }
}

function applyKey(sqlite: Sqlite, key: DbKey): void {
  // SQLCipher 4 at its standard settings, so any SQLCipher 4 tool opens the file with the key.
  sqlite.pragma(`cipher='sqlcipher'`)
  sqlite.pragma('legacy=4')
  sqlite.pragma(`key="x'${keyToHex(key)}'"`)
}

function readHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const read = readSync(fd, buffer, 0, bytes, 0)
    return buffer.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}

function readPage(fd: number, pageNumber: number): Buffer {
  const page = Buffer.alloc(PAGE_SIZE)
  const read = readSync(fd, page, 0, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE)
  return page.subarray(0, read)
}

/**
 * Decides, from the bytes alone and without letting SQLite open the file, whether this
 * key belongs to this file. Throws the specific error a person can act on.
 */
export function preflight(file: string, key: DbKey, options: { scan?: boolean } = {}): void {
  if (!existsSync(file)) throw dbErrors.missing(file)
  const size = statSync(file).size
  if (size === 0) throw dbErrors.empty(file)
  const head = readHead(file, 16)
  if (head.toString('latin1') === 'SQLite format 3\0') throw dbErrors.notEncrypted(file)
  if (size < PAGE_SIZE) throw dbErrors.notDatabase(file, `it is only ${size} bytes long`)

  const fd = openSync(file, 'r')
  try {
    const first = readPage(fd, 1)
    const hmacKey = hmacKeyFor(key, first.subarray(0, 16))
    const whole = size % PAGE_SIZE === 0
    if (pageMacMatches(first, 1, hmacKey)) {
      if (!whole) throw dbErrors.damaged(file, `it ends part-way through a page: ${size} bytes`)
      checkLength(file, first, key, size / PAGE_SIZE)
      if (options.scan) {
        const { firstBad, pages } = scanPages(fd, size, hmacKey)
        if (firstBad !== null) throw dbErrors.damaged(file, `page ${firstBad} of ${pages} fails its check`)
      }
      return
    }
    // Page 1 fails. If later pages pass with this key, the key is right and the file is damaged.
    const pages = Math.floor(size / PAGE_SIZE)
    for (let n = 2; n <= Math.min(pages, 64); n++) {
      if (pageMacMatches(readPage(fd, n), n, hmacKey)) throw dbErrors.damaged(file, 'its first page fails its check')
    }
    if (!whole) throw dbErrors.notDatabase(file, 'its size is not a whole number of database pages')
    throw dbErrors.wrongKey(file)
  } finally {
    closeSync(fd)
  }
}

/**
 * A file cut short at a page boundary passes every page check: its header still says how many
 * pages it should have. Only trusted with no WAL to replay, since a checkpoint that a crash
 * interrupted may have written the new header before the pages that follow it.
 */
function checkLength(file: string, first: Buffer, key: DbKey, pages: number): void {
  const header = readEncryptedHeader(first, key)
  if (!header) throw dbErrors.damaged(file, 'its first page does not hold a database header')
  const wal = `${file}-wal`
  const walEmpty = !existsSync(wal) || statSync(wal).size === 0
  if (walEmpty && header.pageCount !== null && pages < header.pageCount) {
    throw dbErrors.damaged(file, `it is shorter than it should be: ${pages} of ${header.pageCount} pages`)
  }
}

function runCheck(sqlite: Sqlite, file: string, check: 'full' | 'quick'): void {
  let rows: Array<Record<string, unknown>>
  try {
    rows = sqlite.pragma(check === 'full' ? 'integrity_check' : 'quick_check') as Array<Record<string, unknown>>
  } catch (error) {
    throw dbErrors.damaged(file, describe(error))
  }
  const problems = rows.map((row) => String(Object.values(row)[0])).filter((line) => line !== 'ok')
  if (problems.length > 0) throw dbErrors.damaged(file, problems.slice(0, 3).join('; '))
}

export function integrityProblems(sqlite: Sqlite): string[] {
  const rows = sqlite.pragma('integrity_check') as Array<Record<string, unknown>>
  return rows.map((row) => String(Object.values(row)[0])).filter((line) => line !== 'ok')
}

/**
 * Rows that refer to records that do not exist, said in one line (null when there are none):
 * integrity_check does not look at foreign keys, and a dangling reference is damage to the records.
 */
export function foreignKeyProblem(sqlite: Sqlite): string | null {
  const orphans = sqlite.pragma('foreign_key_check') as Array<{ table: string; rowid: number | null; parent: string }>
  if (orphans.length === 0) return null
  const first = orphans[0]!
  return `${orphans.length} row(s) refer to records that do not exist (first: ${first.table} row ${first.rowid ?? '?'} → ${first.parent})`
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The migrations a database holds (empty for a file without the migration table). */
export function appliedMigrations(sqlite: Sqlite): string[] {
  const table = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATION_TABLE)
  if (!table) return []
  const rows = sqlite.prepare(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`).all() as Array<{ name: string }>
  return rows.map((row) => row.name)
}

/** Refuses a file holding migrations this build does not know; returns those still to run. */
export function refuseNewerSchema(sqlite: Sqlite, file: string): Upgrade {
  const applied = appliedMigrations(sqlite)
  const known = new Set(migrationList.map(([name]) => name))
  const unknown = applied.filter((name) => !known.has(name))
  if (unknown.length > 0) throw dbErrors.tooNew(file, schemaVersionOf(applied), SCHEMA_VERSION, unknown)
  const done = new Set(applied)
  return { from: schemaVersionOf(applied), to: SCHEMA_VERSION, pending: migrationList.map(([name]) => name).filter((name) => !done.has(name)) }
}

/**
 * The page cache, in KiB (the driver's default is 16 MB). Every page read from the file is
 * decrypted and its MAC checked, so a dashboard over 1M visits that cycles through a small cache
 * pays that cipher work again on every call: at 16 MB the 12-month dashboard took 1.3 s of CPU on
 * the bench database, at 64 MB 0.65 s (256 MB gained nothing more). Pages are allocated as they
 * are read, so a small center's file never fills it.
 */
export const PAGE_CACHE_KIB = 65_536

/** What every read-write connection is set to (exported for the bench's unencrypted twin, which must differ by the cipher alone). */
export function setPragmas(sqlite: Sqlite): void {
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`)
  sqlite.pragma('journal_mode = WAL')
  // FULL: a commit is on disk (WAL fsynced) before Porchlight acknowledges it.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
}

/** This read-write connection checkpoints when idle (checkpointWhenIdle), with SQLite's own at the backstop. */
export function checkpointAfterAnswers(sqlite: Sqlite): void {
  sqlite.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`)
  idleCheckpoints.set(sqlite, { commits: 0, queued: false })
}

/** Applies every migration the file lacks: what opening does (exported for the bench's forward migration of an unencrypted copy). */
export async function migrate(db: Kysely<Database>, upgrade: Upgrade): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationRecord() }
  const migrator = new Migrator({ db, provider, migrationTableName: MIGRATION_TABLE })
  // Every pending migration in one transaction with its record: an upgrade that fails part-way
  // leaves the schema where it was, not between two versions.
  const target = upgrade.pending.at(-1)
  if (target === undefined) return
  // Foreign keys off for the upgrade, as SQLite's table-rebuild procedure asks: dropping a parent
  // table (0061 rebuilds closures and import_files) would otherwise delete its rows against their
  // children. The pragma cannot change inside the transaction, so it is set around it; a step
  // that rebuilds a table checks its children itself before the commit.
  await sql`PRAGMA foreign_keys = OFF`.execute(db)
  let outcome: Awaited<ReturnType<Migrator['migrateTo']>>
  try {
    outcome = await migrator.migrateTo(target)
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db)
  }
  const { error, results } = outcome
  if (!error) return
  const step = results?.find((result) => result.status === 'Error')?.migrationName ?? '(before the first migration)'
  throw new MigrationFailed(upgrade, step, describe(error))
}

/** A handle as the app drives it (kept statements included); exported for the bench's unencrypted twin. */
export function wrap(file: string, sqlite: Sqlite, log?: KyselyConfig['log']): OpenDatabase {
  const db = new Kysely<Database>({ dialect: new PorchlightSqliteDialect(sqlite), log })
  return {
    file,
    sqlite,
    db,
    // kysely's destroy closes the better-sqlite3 handle only if kysely ever ran a query on it;
    // a handle used directly (checks, backups) would stay open, and an open reader stops the last
    // writer's close from checkpointing the WAL into the main file.
    close: async () => {
      await db.destroy()
      if (sqlite.open) sqlite.close()
    },
  }
}

/** Keys a new connection and reads once, since a wrong key only shows at the first read. */
function connect(file: string, key: DbKey, readonly: boolean): Sqlite {
  const sqlite = new SqliteDatabase(file, { fileMustExist: true, readonly })
  try {
    applyKey(sqlite, key)
    try {
      sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
    } catch (error) {
      if (/not a database/i.test(describe(error))) throw dbErrors.wrongKey(file)
      throw dbErrors.damaged(file, describe(error))
    }
  } catch (error) {
    sqlite.close()
    throw error instanceof DbError ? error : dbErrors.damaged(file, describe(error))
  }
  return sqlite
}

/** Opens an existing Porchlight database. On any error the file is left byte-identical. */
export async function openDatabase(file: string, key: DbKey, options: OpenOptions = {}): Promise<OpenDatabase> {
  const check = options.check ?? 'full'
  preflight(file, key, { scan: check !== 'none' })
  // The checks run on a read-only connection. Closing the last read-write connection checkpoints
  // any WAL left by a crash into the main file, which must not happen to a file we then refuse.
  const reader = connect(file, key, true)
  let upgrade: Upgrade
  try {
    if (check === 'full' || check === 'quick') runCheck(reader, file, check)
    upgrade = refuseNewerSchema(reader, file)
  } catch (error) {
    reader.close()
    throw error instanceof DbError ? error : dbErrors.damaged(file, describe(error))
  }
  if (options.readonly) {
    reader.pragma(`cache_size = -${PAGE_CACHE_KIB}`)
    return wrap(file, reader)
  }
  reader.close()
  if (upgrade.pending.length > 0 && upgrade.from > 0 && options.beforeMigrate) await options.beforeMigrate(upgrade)

  const sqlite = connect(file, key, false)
  try {
    setPragmas(sqlite)
    checkpointAfterAnswers(sqlite)
  } catch (error) {
    sqlite.close()
    throw error instanceof DbError ? error : dbErrors.damaged(file, describe(error))
  }
  const opened = wrap(file, sqlite)
  try {
    if (upgrade.pending.length > 0) await migrate(opened.db, upgrade)
  } catch (error) {
    await opened.close()
    throw error
  }
  return opened
}

/** A database at the current schema, made by the real migrations, that tests copy (useMigratedTemplate). */
interface MigratedTemplate {
  bytes: Buffer
  key: DbKey
}

let migratedTemplate: MigratedTemplate | null = null

/**
 * Tests only: new databases at the current schema start as a copy of `template` (a closed file
 * that createDatabase made, and its key), re-encrypted under their own key, instead of running
 * every migration again: ~45 ms of CPU instead of ~0.5 s, and the unit and end-to-end suites make
 * hundreds. PRAGMA rekey gives the copy a new salt as well as the new key. `null` turns it off:
 * the tests that prove creation, migrations and upgrades (db-open, upgrade, ...) create for real.
 */
export function useMigratedTemplate(template: { file: string; key: DbKey } | null): void {
  if (process.versions.electron) throw new Error('useMigratedTemplate is for tests, never for the app')
  migratedTemplate = template && { bytes: readFileSync(template.file), key: template.key }
}

/** Creates a new encrypted database; refuses if anything is already at that path. */
/**
 * A new database at the current schema, or, with `through`, at the schema an earlier version of
 * Porchlight left (that migration and those before it): how the upgrade tests make a file to upgrade.
 */
export async function createDatabase(file: string, key: DbKey, options: { through?: string } = {}): Promise<OpenDatabase> {
  if (existsSync(file) || existsSync(`${file}-wal`)) throw dbErrors.exists(file)
  const template = options.through === undefined ? migratedTemplate : null
  // 'wx' fails if the file appeared meanwhile; 0600 keeps other accounts out even of the ciphertext.
  try {
    const fd = openSync(file, 'wx', 0o600)
    try {
      if (template) writeFileSync(fd, template.bytes)
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw dbErrors.exists(file)
    throw error
  }
  const sqlite = new SqliteDatabase(file)
  applyKey(sqlite, template ? template.key : key)
  // Before anything reads the file: SQLite3 Multiple Ciphers then writes a new salt too.
  if (template) rekeyDatabase({ sqlite }, key)
  setPragmas(sqlite)
  checkpointAfterAnswers(sqlite)
  const opened = wrap(file, sqlite)
  if (template) return opened
  const names = migrationList.map(([name]) => name)
  const through = options.through === undefined ? names.length : names.indexOf(options.through) + 1
  if (through === 0) throw new Error(`No migration is called ${options.through}.`)
  await migrate(opened.db, { from: 0, to: SCHEMA_VERSION, pending: names.slice(0, through) })
  return opened
}

/**
 * Re-encrypts every page under a new key. The old key stops working once this returns. In WAL
 * mode the re-encrypted pages land in the WAL first; the checkpoint writes them into the main
 * file at once, so the page checks at the next start (which read the main file) see the new key.
 */
export function rekeyDatabase(opened: Pick<OpenDatabase, 'sqlite'>, newKey: DbKey): void {
  opened.sqlite.pragma(`rekey="x'${keyToHex(newKey)}'"`)
  // Read back so a failed rekey surfaces here rather than at the next start.
  opened.sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
  opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
}

/** Whether SQLite itself can read the file with this key (through its WAL too). Read-only; never changes the file. */
export function keyReads(file: string, key: DbKey): boolean {
  try {
    connect(file, key, true).close()
    return true
  } catch {
    return false
  }
}

/**
 * After a crash between PRAGMA rekey and its checkpoint, the re-encrypted pages are in the WAL
 * and the main file is still (partly) under the old key, so the page checks, which read the main
 * file, refuse the new key. If SQLite reads the file with `key` through the WAL, checkpoint so
 * the main file catches up; returns false, with the file untouched, when the key does not read it.
 */
export function settleUnderKey(file: string, key: DbKey): boolean {
  if (!keyReads(file, key)) return false
  const writer = connect(file, key, false)
  try {
    writer.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    writer.close()
  }
  return true
}

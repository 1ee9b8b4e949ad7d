import { CompiledQuery, Kysely, PostgresDialect, PostgresDriver, sql, type DatabaseConnection, type Driver, type PostgresDialectConfig, type TransactionSettings } from 'kysely'
import { Migrator, type MigrationProvider } from 'kysely/migration'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { DbError } from './errors'
import { log } from './log'
import { ChangeListener, type ListenerEvents } from './pg-listen'
import { ConnectionFile } from './pg-connection-file'
import type { DbKey } from './keys'
import { checkServer, connectFailure, describeConnection, isConnectionLost, poolConfig, type PostgresConnection, type ServerFacts } from './pg-connect'
import { message } from '../shared/messages'
import { SCHEMA_VERSION, schemaVersionOf } from './migrations'
import { postgresMigrationList, postgresMigrationRecord } from './migrations/postgres'
import { MigrationFailed, type Upgrade } from './open'
import type { Database } from './schema'

/** The records on a PostgreSQL server: the same Kysely<Database> the services take from SQLite's OpenDatabase. */
export interface OpenPostgres {
  /** The server and database, without the password: for messages and logs. */
  readonly where: string
  readonly db: Kysely<Database>
  /** The server's version and this connection's TLS, as checked when it opened. */
  readonly server: ServerFacts
  /** False from a query that found the server gone until a probe (every PROBE_MS) reaches it again. */
  reachable(): boolean
  /**
   * A dedicated LISTEN connection for the center's changes (migration 0041), not started: call
   * `start()`. Its events name the sending server process; `ownBackend` tells this PC's own pool apart.
   */
  listen(events: ListenerEvents): ChangeListener
  /** Whether a server process is one of this pool's connections (a NOTIFY this PC sent itself). */
  ownBackend(pid: number): boolean
  close(): Promise<void>
}

/** How often a lost server is tried again, so the desk reconnects by itself soon after it is back. */
export const PROBE_MS = 2000

/**
 * Whether the server answers. A query that finds it gone marks it lost and starts a probe (a bare
 * SELECT 1 on the pool, past the services) every PROBE_MS until it answers; nothing the desk did is
 * queued or replayed meanwhile: the person at the desk tries again, which the constraints make safe.
 */
class ServerWatch {
  private lostSince: number | null = null
  private timer: NodeJS.Timeout | null = null
  private closed = false

  constructor(
    private readonly pool: pg.Pool,
    private readonly where: string,
  ) {}

  get reachable(): boolean {
    return this.lostSince === null
  }

  lost(error: unknown): void {
    if (this.lostSince !== null || this.closed) return
    this.lostSince = performance.now()
    log.warn('postgres.server_lost', { where: this.where }, error)
    this.schedule()
  }

  answered(): void {
    if (this.lostSince === null) return
    log.info('postgres.server_back', { where: this.where, ms: Math.round(performance.now() - this.lostSince) })
    this.lostSince = null
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = null
      this.pool.query('SELECT 1').then(
        () => this.answered(),
        () => {
          if (this.lostSince !== null && !this.closed) this.schedule()
        },
      )
    }, PROBE_MS)
    // A probe never keeps the process alive on its own.
    this.timer.unref()
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}

const MIGRATION_TABLE = 'kysely_migration'

/**
 * Every writing transaction takes this transaction-level advisory lock first, so writes follow
 * one another as SQLite's single writer makes them (BEGIN IMMEDIATE): a use case that reads, then
 * writes what it read ("not signed in yet, so sign in"; the audit chain's next link) sees no other
 * write land in between. Readers outside transactions never wait. The number is "porchlit" in ASCII.
 */
const WRITE_LOCK = 0x706f7263686c6974n

/** Connections whose queries already report a lost server (kysely keeps one per pooled client). */
const WATCHED = new WeakSet<DatabaseConnection>()

class SerializedPostgresDriver extends PostgresDriver {
  constructor(
    config: PostgresDialectConfig,
    private readonly watch: ServerWatch,
    private readonly where: string,
  ) {
    super(config)
  }

  /** A server gone is one error for every service, naming the server and what to check; anything else passes through. */
  private translate(error: unknown): unknown {
    if (!isConnectionLost(error)) return error
    this.watch.lost(error)
    return new DbError('PG_UNREACHABLE', message('pg.lost', { where: this.where }), error instanceof Error ? error.message : String(error))
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    let connection: DatabaseConnection
    try {
      connection = await super.acquireConnection()
    } catch (error) {
      throw this.translate(error)
    }
    if (!WATCHED.has(connection)) {
      // Patched in place: kysely releases the very object it handed out.
      const execute = connection.executeQuery.bind(connection)
      connection.executeQuery = async <R>(...args: Parameters<DatabaseConnection['executeQuery']>) => {
        try {
          const result = await execute<R>(...args)
          this.watch.answered()
          return result
        } catch (error) {
          throw this.translate(error)
        }
      }
      WATCHED.add(connection)
    }
    return connection
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // A read-only transaction cannot write, so it never waits for the writers' lock nor holds
    // writers up: the dashboard and the funder report (readSnapshot in db/backend.ts), and a full
    // export that reads one snapshot for minutes while every PC keeps signing people in.
    if (settings.accessMode === 'read only') return super.beginTransaction(connection, settings)
    if (settings.isolationLevel || settings.accessMode) {
      await super.beginTransaction(connection, settings)
      await connection.executeQuery(CompiledQuery.raw(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`))
      return
    }
    // One message, one round trip: without parameters pg sends it as a simple query, which may hold
    // two statements. Each round trip is a wake-up of the server and of this process, which on a
    // busy PC costs more than the statements themselves.
    await connection.executeQuery(CompiledQuery.raw(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`))
  }
}

class PorchlightPostgresDialect extends PostgresDialect {
  constructor(
    private readonly config: PostgresDialectConfig,
    private readonly watch: ServerWatch,
    private readonly where: string,
  ) {
    super(config)
  }

  override createDriver(): Driver {
    return new SerializedPostgresDriver(this.config, this.watch, this.where)
  }
}

/**
 * Runs `work` in a read-only REPEATABLE READ transaction opened once no PC is writing, with every
 * PC's writes held until it ends: one moment's records, with nothing acknowledged meanwhile that the
 * reader would miss (`admin migrate` from the server). The lock is taken for the session before
 * the transaction begins, so the transaction's snapshot comes after the last write that held it.
 */
export async function readWithWritesHeld<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${sql.lit(WRITE_LOCK.toString())}::bigint)`.execute(conn)
    try {
      return await conn.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work)
    } finally {
      await sql`SELECT pg_advisory_unlock(${sql.lit(WRITE_LOCK.toString())}::bigint)`.execute(conn)
    }
  })
}

const INT8 = 20
const NUMERIC = 1700

/**
 * SQLite hands integers and aggregates to the services as numbers; pg hands bigint and numeric
 * as strings (they may not fit a double). Porchlight's ids and counts fit easily, so they are
 * numbers here too, and one that would not fit is an error rather than a silently rounded id.
 */
function parseBigint(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new Error(`PostgreSQL returned ${text}, too large for a JavaScript number`)
  return value
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return parseBigint
    if (oid === NUMERIC) return Number
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text')
  },
} as pg.CustomTypesConfig

/** host:port/database of a connection URL, without user or password. */
export function describeUrl(url: string): string {
  try {
    return describeConnection(connectionFromUrl(url))
  } catch {
    return '(an unreadable PostgreSQL URL)'
  }
}

/**
 * A postgres:// URL (the admin command line, the tests) as connection details. `sslrootcert`
 * names a CA file, `sslcert`/`sslkey` a client certificate, as libpq spells them; TLS follows
 * the same rule as the app's (required, and verified, for any host but this PC).
 */
export function connectionFromUrl(url: string): PostgresConnection {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new DbError('PG_FAILED', message('pg.badUrl'))
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new DbError('PG_FAILED', message('pg.badUrl'))
  const param = (name: string) => parsed.searchParams.get(name) ?? undefined
  const certFile = param('sslcert')
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
  return {
    host: parsed.hostname || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: database || decodeURIComponent(parsed.username),
    user: decodeURIComponent(parsed.username),
    auth: certFile ? 'certificate' : 'password',
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(param('sslrootcert') ? { caFile: param('sslrootcert') } : {}),
    ...(certFile ? { certFile, keyFile: param('sslkey') } : {}),
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * The migrations the server's database holds, refusing one this build does not know (a newer
 * Porchlight wrote it) and a database that holds tables but not Porchlight's migration record
 * (someone else's database).
 */
async function pendingUpgrade(db: Kysely<Database>, where: string): Promise<Upgrade> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(db)
  const names = new Set(tables.rows.map((row) => row.name))
  let applied: string[] = []
  if (names.has(MIGRATION_TABLE)) {
    const rows = await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATION_TABLE)} ORDER BY name`.execute(db)
    applied = rows.rows.map((row) => row.name)
  } else if (names.size > 0) {
    throw new DbError('DB_NOT_DATABASE', message('pg.notPorchlight', { where, count: names.size }))
  }
  const known = new Set(postgresMigrationList.map(([name]) => name))
  const unknown = applied.filter((name) => !known.has(name))
  if (unknown.length > 0) {
    throw new DbError('DB_TOO_NEW', message('pg.tooNew', { where, found: schemaVersionOf(applied), known: SCHEMA_VERSION, versions: unknown.join(', ') }))
  }
  const done = new Set(applied)
  return { from: schemaVersionOf(applied), to: SCHEMA_VERSION, pending: postgresMigrationList.map(([name]) => name).filter((name) => !done.has(name)) }
}

/**
 * Applies the pending PostgreSQL migrations. Given a transaction (`admin migrate` builds the schema
 * and copies the records in one), they run inside it; given the pool, in a transaction of their own.
 */
export async function migratePostgres(db: Kysely<Database>, upgrade: Upgrade): Promise<void> {
  const target = upgrade.pending.at(-1)
  if (target === undefined) return
  const provider: MigrationProvider = { getMigrations: async () => postgresMigrationRecord() }
  // PostgreSQL's DDL is transactional: kysely runs every pending migration in one transaction,
  // under its own advisory lock, so two PCs starting at once do not both migrate.
  const migrator = new Migrator({ db, provider, migrationTableName: MIGRATION_TABLE })
  const { error, results } = await migrator.migrateTo(target)
  if (!error) return
  const step = results?.find((result) => result.status === 'Error')?.migrationName ?? '(before the first migration)'
  throw new MigrationFailed(upgrade, step, describe(error))
}

export interface PostgresOptions {
  /** Connections kept open; the desk needs few, reports and a worker a few more. */
  poolSize?: number
}

interface Connected {
  connection: PostgresConnection
  db: Kysely<Database>
  pool: pg.Pool
  watch: ServerWatch
  /** The server processes behind the pool's open connections. */
  pids: Set<number>
}

function processIdOf(client: pg.PoolClient): number | null {
  // pg sets processID from the server's BackendKeyData once connected; its types do not declare it.
  return (client as unknown as { processID?: number | null }).processID ?? null
}

function connect(target: string | PostgresConnection, poolSize: number): Connected {
  const connection = typeof target === 'string' ? connectionFromUrl(target) : target
  const where = describeConnection(connection)
  const pool = new pg.Pool({ ...poolConfig(connection), max: poolSize, types })
  const pids = new Set<number>()
  pool.on('connect', (client) => {
    const pid = processIdOf(client)
    if (pid !== null) pids.add(pid)
  })
  pool.on('remove', (client) => {
    const pid = processIdOf(client)
    if (pid !== null) pids.delete(pid)
  })
  // An idle connection the server drops (a restart, an administrator ending sessions) is reported as
  // the pool's 'error' event, which would otherwise end the whole process: the pool has already
  // discarded that connection and opens another for the next query; the log says it happened.
  pool.on('error', (error) => log.warn('postgres.connection_lost', { where }, error))
  // pg-pool listens only on idle connections: one kysely holds (through a transaction) whose server
  // goes away emits 'error' with no listener, which ended the whole process (pg-crash.test.ts). Its
  // query rejects with the same error (the desk's server-gone message), and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => undefined))
  // No JIT compilation: Porchlight's statements are short and index-driven, but a few of the
  // dashboard's are costed past jit_above_cost, and compiling them (80-400 ms on the bench server)
  // cost more than running them (the referral figures' 390 ms call was 80 ms without). A SET on
  // connect, rather than a startup option, passes through connection poolers; pg queues it ahead of
  // the first query the pool hands this connection.
  pool.on('connect', (client) => void client.query('SET jit = off').catch(() => undefined))
  const watch = new ServerWatch(pool, where)
  const db = new Kysely<Database>({ dialect: new PorchlightPostgresDialect({ pool, cursor: Cursor }, watch, where) })
  return { connection, db, pool, watch, pids }
}

async function serverFacts(pool: pg.Pool, connection: PostgresConnection): Promise<ServerFacts> {
  const client = await pool.connect()
  try {
    return await checkServer(client, connection)
  } finally {
    client.release()
  }
}

/**
 * Opens Porchlight's records on a PostgreSQL server, bringing an empty or older database to this
 * build's schema. Before anything is read: the connection is encrypted unless the server is this
 * PC, and the server is PostgreSQL 13 or later. Every refusal says what to check, never the password.
 */
export async function openPostgres(target: string | PostgresConnection, options: PostgresOptions = {}): Promise<OpenPostgres> {
  const connected = await connectPostgres(target, options)
  try {
    await migratePostgres(connected.db, connected.upgrade)
    // Only what the app holds on to: not the connection details (with their password).
    const { where, db, server, reachable, close, listen, ownBackend } = connected
    return { where, db, server, reachable, close, listen, ownBackend }
  } catch (error) {
    await connected.close()
    throw error instanceof MigrationFailed ? error : connectFailure(error, connected.connection)
  }
}

/** A server's database reached and checked as openPostgres does, and what its schema lacks, without writing anything. */
export interface ConnectedPostgres extends OpenPostgres {
  readonly connection: PostgresConnection
  readonly upgrade: Upgrade
}

/**
 * Connects and checks the server (TLS, version) and the schema (not someone else's, not newer),
 * leaving an older or empty schema as it is: for `admin verify` and `admin migrate`, which must not
 * upgrade a database they only read, or must build it inside their own transaction.
 */
export async function connectPostgres(target: string | PostgresConnection, options: PostgresOptions = {}): Promise<ConnectedPostgres> {
  const { connection, db, pool, watch, pids } = connect(target, options.poolSize ?? 8)
  const where = describeConnection(connection)
  const close = async () => {
    watch.close()
    await db.destroy()
  }
  try {
    const server = await serverFacts(pool, connection)
    const upgrade = await pendingUpgrade(db, where)
    const listen = (events: ListenerEvents) => new ChangeListener(connection, events)
    return { where, db, server, connection, upgrade, reachable: () => watch.reachable, listen, ownBackend: (pid: number) => pids.has(pid), close }
  } catch (error) {
    await close()
    throw connectFailure(error, connection)
  }
}

/**
 * The server as this PC reaches it, for a worker thread: the connection file opened with the key
 * main handed over in memory (the password is unwrapped here, never written or logged), checked
 * as at start. Main brought the schema up to date when it opened; a worker never migrates.
 */
export function connectWithFile(file: string, key: DbKey, options: PostgresOptions = {}): Promise<ConnectedPostgres> {
  return connectPostgres(new ConnectionFile(file).load(key), options)
}

/**
 * The first center's name in a database of any schema: before 0061 the settings held a copy
 * (center_name, the later word where it differed), since then its centers row alone (0045 made it).
 */
export async function firstCenterName(db: Kysely<Database>, schemaVersion: number): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'center_name').executeTakeFirst()
  if (row) return JSON.parse(row.value) as string
  if (schemaVersion < 45) return null
  return (await db.selectFrom('centers').select('name').where('id', '=', 1).executeTakeFirst())?.name ?? null
}

/** What "Test connection" found: the server, and what the database holds. Nothing is written. */
export interface PostgresProbe {
  where: string
  server: ServerFacts
  /** 'empty': Porchlight will build its schema; 'records': a center's records (set up or not yet). */
  holds: 'empty' | 'records'
  schemaVersion: number
  /** Schema steps this build would add on first open. */
  pending: number
  centerName: string | null
  setUp: boolean
}

/**
 * Connects, checks the server as opening would, and reads what the database holds, without
 * writing anything: for "Test connection" and `admin init --postgres`. A foreign database or
 * one from a newer Porchlight is refused with the same errors opening gives.
 */
export async function probePostgres(target: string | PostgresConnection): Promise<PostgresProbe> {
  const { connection, db, pool, watch } = connect(target, 1)
  const where = describeConnection(connection)
  try {
    const server = await serverFacts(pool, connection)
    const upgrade = await pendingUpgrade(db, where)
    const holds = upgrade.from === 0 ? 'empty' : 'records'
    let centerName: string | null = null
    let setUp = false
    if (holds === 'records') {
      const admin = await db.selectFrom('staff').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst()
      setUp = admin !== undefined
      // Before setup the first center is still 0045's placeholder ("Center 1"): no name to show yet.
      centerName = setUp ? await firstCenterName(db, upgrade.from) : null
    }
    return { where, server, holds, schemaVersion: upgrade.from, pending: upgrade.pending.length, centerName, setUp }
  } catch (error) {
    throw connectFailure(error, connection)
  } finally {
    watch.close()
    await db.destroy()
  }
}

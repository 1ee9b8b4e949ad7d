import { CompiledQuery, Kysely, PostgresDialect, PostgresDriver, sql, type DatabaseConnection, type Driver, type PostgresDialectConfig, type TransactionSettings } from 'kysely'
import { Migrator, type MigrationProvider } from 'kysely/migration'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { dbErrors } from './errors'
import { log } from './log'
import { SCHEMA_VERSION, schemaVersionOf } from './migrations'
import { postgresMigrationList, postgresMigrationRecord } from './migrations/postgres'
import { MigrationFailed, type Upgrade } from './open'
import type { Database } from './schema'

/** The records on a PostgreSQL server: the same Kysely<Database> the services take from SQLite's OpenDatabase. */
export interface OpenPostgres {
  /** The server and database, without the password: for messages and logs. */
  readonly where: string
  readonly db: Kysely<Database>
  close(): Promise<void>
}

const MIGRATION_TABLE = 'kysely_migration'

/**
 * Every writing transaction takes this transaction-level advisory lock first, so writes follow
 * one another as SQLite's single writer makes them (BEGIN IMMEDIATE): a use case that reads, then
 * writes what it read ("not signed in yet, so sign in"; the audit chain's next link) sees no other
 * write land in between. Readers outside transactions never wait. The number is "porchlit" in ASCII.
 */
const WRITE_LOCK = 0x706f7263686c6974n

class SerializedPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings)
    await connection.executeQuery(CompiledQuery.raw(`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`))
  }
}

class PorchlightPostgresDialect extends PostgresDialect {
  constructor(private readonly config: PostgresDialectConfig) {
    super(config)
  }

  override createDriver(): Driver {
    return new SerializedPostgresDriver(this.config)
  }
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
    const parsed = new URL(url)
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`
  } catch {
    return '(an unreadable PostgreSQL URL)'
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
    throw dbErrors.notDatabase(where, `it holds ${names.size} tables but no Porchlight schema`)
  }
  const known = new Set(postgresMigrationList.map(([name]) => name))
  const unknown = applied.filter((name) => !known.has(name))
  if (unknown.length > 0) throw dbErrors.tooNew(where, schemaVersionOf(applied), SCHEMA_VERSION, unknown)
  const done = new Set(applied)
  return { from: schemaVersionOf(applied), to: SCHEMA_VERSION, pending: postgresMigrationList.map(([name]) => name).filter((name) => !done.has(name)) }
}

async function migrate(db: Kysely<Database>, upgrade: Upgrade): Promise<void> {
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

/**
 * Opens Porchlight's records on a PostgreSQL server, bringing an empty or older database to this
 * build's schema. TLS, the key store and the first-run choice come with the connecting slice; this
 * is the storage seam under them.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<OpenPostgres> {
  const where = describeUrl(url)
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 8, types })
  // An idle connection the server drops (a restart, an administrator ending sessions) is reported as
  // the pool's 'error' event, which would otherwise end the whole process: the pool has already
  // discarded that connection and opens another for the next query; the log says it happened.
  pool.on('error', (error) => log.warn('postgres.connection_lost', { where }, error))
  const db = new Kysely<Database>({ dialect: new PorchlightPostgresDialect({ pool, cursor: Cursor }) })
  try {
    const upgrade = await pendingUpgrade(db, where)
    await migrate(db, upgrade)
  } catch (error) {
    await db.destroy()
    throw error
  }
  return { where, db, close: () => db.destroy() }
}

import { createHash } from 'node:crypto'
import { existsSync, linkSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { perBackend } from './backend'
import { syncFile } from './backup-tasks'
import { dbErrors } from './errors'
import type { DbKey } from './keys'
import { migrationList, SCHEMA_VERSION, schemaVersionOf } from './migrations'
import { appliedMigrations, createDatabase, foreignKeyProblem, openDatabase } from './open'
import { connectPostgres, firstCenterName, migratePostgres, readWithWritesHeld, type ConnectedPostgres } from './postgres'
import type { ServerFacts } from './pg-connect'
import type { Database } from './schema'
import { verifyAuditChain, type AuditVerification } from './services/audit'
import { isSearchIndex } from './services/export/dictionary'
import { foreignKeysOf } from './services/export/foreign-keys'

/**
 * Moving a center's records between its encrypted SQLite file and a PostgreSQL server, either way
 * (`admin migrate`): every table a center owns, copied in batches from a read transaction on the
 * source into one transaction on the target, then read back and compared table by table, by row
 * count and by a content hash that both backends give alike. The opening and closing of the two
 * ends (a new file, an empty server database) is the command's; this module copies and checks.
 *
 * - The target's schema is its own dialect's, built by its own migrations (so its migration
 *   history holds its own names); the rows the migrations seed (services, categories, settings)
 *   are replaced by the source's.
 * - The target's triggers are suspended while rows go in: the copied rows already hold what they
 *   keep (visit counts, report roll-ups), and rows that refuse changes (the audit log) are only
 *   inserted. The search index, spelled differently on each backend, is its dialect's business:
 *   a file's FTS5 triggers stay on and fill it as the people go in; on PostgreSQL its triggers are
 *   suspended too and it is built in one statement after the copy (a trigger per person cost
 *   about a millisecond each, far more while the new tables' statistics were stale).
 * - The report roll-ups are copied, not recounted: they are rows like any other, so the hash check
 *   covers them, and `admin verify` recounts them on either end.
 * - A column that refers to its own table (a merged person, a moved session) goes in empty and is
 *   filled once every row is in, so rows need no particular order.
 */

/** Rows per fetch: a cursor's round trip on PostgreSQL, a step of the statement on SQLite. */
const READ_BATCH = 5000
/** Parameters per INSERT, under SQLite's limit (32766) and PostgreSQL's (65535). */
const MAX_PARAMETERS = 16_000
const MAX_ROWS_PER_INSERT = 500

type AnyDb = Kysely<Record<string, Record<string, unknown>>>
type Row = Record<string, unknown>

export interface MovableTable {
  name: string
  /** Column names, sorted: the hash's order, the same on both backends whatever order the columns were added in. */
  columns: string[]
  /** Columns that refer to a table copied later or to this one: inserted empty, filled afterwards. */
  deferred: string[]
}

export interface TableDigest {
  rows: number
  /** sha256 per row of its canonical form, summed modulo 2^256: independent of row order and of collation. */
  hash: string
}

export type Digests = Record<string, TableDigest>

/** The SQL that differs between the two ends: triggers to suspend, the search index, identity counters to move on. */
interface MoveSql {
  /** The triggers to suspend while rows go in. */
  triggers(db: Kysely<Database>): Promise<Array<{ table: string; name: string; definition: string }>>
  suspend(db: Kysely<Database>, trigger: { table: string; name: string }): Promise<void>
  resume(db: Kysely<Database>, trigger: { table: string; name: string; definition: string }): Promise<void>
  /** After the copy: identity columns continue after the highest id copied (SQLite's rowids need nothing). */
  continueIds(db: Kysely<Database>): Promise<void>
  /** After the copy: the search index built from the copied people, where its triggers were suspended. */
  buildSearch(db: Kysely<Database>): Promise<void>
  /** Rows per INSERT statement for a table of `columns` columns. */
  rowsPerInsert(columns: number): number
  /** A batch of rows into a table, in one statement. */
  insert(db: Kysely<Database>, table: MovableTable, rows: Row[]): Promise<void>
  /**
   * Before the rows go in: the indexes that no constraint needs are dropped and their definitions
   * returned, to be built again once every row is in (one sort each instead of ten million entries
   * placed one at a time). SQLite keeps its indexes.
   */
  setIndexesAside(db: Kysely<Database>): Promise<string[]>
  restoreIndexes(db: Kysely<Database>, definitions: readonly string[]): Promise<void>
}

/** A multi-row INSERT through the builder, its parameters under both backends' limits. */
async function builderInsert(db: Kysely<Database>, table: MovableTable, rows: Row[]): Promise<void> {
  await (db as unknown as AnyDb).insertInto(table.name).values(rows).execute()
}
const builderRowsPerInsert = (columns: number) => Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / columns)))

const sqliteMove: MoveSql = {
  triggers: async (db) =>
    (
      await sql<{ table: string; name: string; definition: string }>`
        SELECT tbl_name AS "table", name, sql AS definition FROM sqlite_master
         WHERE type = 'trigger' AND name NOT LIKE 'participant\\_search%' ESCAPE '\\' ORDER BY rowid`.execute(db)
    ).rows,
  // SQLite cannot switch a trigger off: it is dropped and made again from its own text, in the same
  // transaction, in the order they were made (the order SQLite fires a table's triggers in).
  suspend: async (db, trigger) => {
    await sql`DROP TRIGGER ${sql.id(trigger.name)}`.execute(db)
  },
  resume: async (db, trigger) => {
    await sql.raw(trigger.definition).execute(db)
  },
  continueIds: async () => {},
  // Its triggers (left on) built it as the people went in.
  buildSearch: async () => {},
  rowsPerInsert: builderRowsPerInsert,
  insert: builderInsert,
  setIndexesAside: async () => [],
  restoreIndexes: async () => {},
}

/** Rows per statement on PostgreSQL: one parameter per column whatever the count, so only memory bounds it. */
const POSTGRES_ROWS_PER_INSERT = 5000

/** Each table's column types on the server, for the arrays' casts (read once per copy). */
const columnTypes = new WeakMap<Kysely<Database>, Map<string, Map<string, string>>>()

async function typesOf(db: Kysely<Database>, table: string): Promise<Map<string, string>> {
  let tables = columnTypes.get(db)
  if (!tables) columnTypes.set(db, (tables = new Map()))
  let types = tables.get(table)
  if (!types) {
    const { rows } = await sql<{ column: string; type: string }>`
      SELECT a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
       WHERE a.attrelid = to_regclass(${table}) AND a.attnum > 0 AND NOT a.attisdropped`.execute(db)
    types = new Map(rows.map((row) => [row.column, row.type]))
    tables.set(table, types)
  }
  return types
}

const postgresMove: MoveSql = {
  triggers: async (db) =>
    (
      await sql<{ table: string; name: string; definition: string }>`
        SELECT c.relname AS "table", t.tgname AS name, '' AS definition
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE NOT t.tgisinternal AND n.nspname = current_schema()
         ORDER BY t.tgname`.execute(db)
    ).rows,
  // Transactional, like everything else here: a copy that fails leaves them as they were.
  suspend: async (db, trigger) => {
    await sql`ALTER TABLE ${sql.table(trigger.table)} DISABLE TRIGGER ${sql.id(trigger.name)}`.execute(db)
  },
  resume: async (db, trigger) => {
    await sql`ALTER TABLE ${sql.table(trigger.table)} ENABLE TRIGGER ${sql.id(trigger.name)}`.execute(db)
  },
  continueIds: async (db) => {
    const identities = await sql<{ table: string; column: string }>`
      SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
       WHERE table_schema = current_schema() AND is_identity = 'YES'`.execute(db)
    for (const { table, column } of identities.rows) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), coalesce((SELECT max(${sql.ref(column)}) FROM ${sql.table(table)}), 0) + 1, false)`.execute(db)
    }
  },
  // One statement over every person (PostgreSQL migration 0051), in place of 100k trigger calls.
  buildSearch: async (db) => {
    await sql`SELECT participant_search_rebuild()`.execute(db)
  },
  rowsPerInsert: () => POSTGRES_ROWS_PER_INSERT,
  // One array per column, unnested into rows: thousands of rows in one statement with a handful of
  // parameters, where a VALUES list stops at 65535 parameters (a few hundred rows) and the server
  // parses and plans each one (the copy at full size was ~20,000 statements, 55 minutes under load).
  insert: async (db, table, rows) => {
    const types = await typesOf(db, table.name)
    const arrays = table.columns.map((column) => sql`${rows.map((row) => row[column] ?? null)}::${sql.raw(`${types.get(column)!}[]`)}`)
    await sql`INSERT INTO ${sql.table(table.name)} (${sql.join(table.columns.map((column) => sql.ref(column)))}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(db)
  },
  setIndexesAside: async (db) => {
    // Not one a constraint is built on or a foreign key leans on (pg_constraint.conindid names both).
    const { rows } = await sql<{ name: string; definition: string }>`
      SELECT ci.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ci.relnamespace
       WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
       ORDER BY ci.relname`.execute(db)
    for (const index of rows) await sql`DROP INDEX ${sql.id(index.name)}`.execute(db)
    return rows.map((index) => index.definition)
  },
  restoreIndexes: async (db, definitions) => {
    // Sorting in memory rather than on disk: the server's default (64 MB) spills the visits' indexes.
    await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(db)
    for (const definition of definitions) await sql.raw(definition).execute(db)
  },
}

const moveSql = perBackend<MoveSql>({ sqlite: sqliteMove, postgres: postgresMove })

/** The applied migrations' schema version, whichever backend (each has its own migration names). */
export async function schemaVersionIn(db: Kysely<Database>): Promise<number> {
  const rows = await (db as unknown as AnyDb).selectFrom('kysely_migration').select('name').execute()
  return schemaVersionOf(rows.map((row) => String(row.name)))
}

/**
 * Every table a center owns, in an order that inserts a row after the rows it refers to: all
 * tables but the search index (rebuilt by its triggers) and the migration history (each
 * backend's own). Where references go round in a circle, one of them is deferred. The references
 * of `alsoReferencesOf` count too (the other end of a copy).
 */
export async function movableTables(db: Kysely<Database>, alsoReferencesOf: Kysely<Database>[] = []): Promise<MovableTable[]> {
  const found = (await db.introspection.getTables()).filter(
    (table) => !table.isView && !isSearchIndex(table.name) && !table.name.startsWith('sqlite_') && !table.name.startsWith('kysely_'),
  )
  const refs = new Map<string, Array<{ column: string; table: string }>>()
  for (const table of found) {
    const seen = new Map<string, { column: string; table: string }>()
    for (const each of [db, ...alsoReferencesOf]) {
      for (const key of (await foreignKeysOf(each)(table.name).execute(each)).rows) seen.set(`${key.from}>${key.table}`, { column: key.from, table: key.table })
    }
    refs.set(table.name, [...seen.values()])
  }
  const remaining = new Map(found.map((table) => [table.name, table]))
  const ordered: MovableTable[] = []
  const deferredOf = (name: string) => refs.get(name)!.filter((ref) => ref.table === name || remaining.has(ref.table)).map((ref) => ref.column)
  while (remaining.size > 0) {
    const names = [...remaining.keys()].sort()
    // The first table whose references are all in already (its own table aside); failing that, a circle: defer the fewest.
    const ready = names.find((name) => refs.get(name)!.every((ref) => ref.table === name || !remaining.has(ref.table)))
    const next = ready ?? names.reduce((best, name) => (deferredOf(name).length < deferredOf(best).length ? name : best))
    const table = remaining.get(next)!
    ordered.push({ name: next, columns: table.columns.map((column) => column.name).sort(), deferred: deferredOf(next) })
    remaining.delete(next)
  }
  return ordered
}

/** A value as both backends hand it over, tagged by kind: integers as digits, text as is, bytes as base64. */
function canonical(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return Number.isInteger(value) ? `i${value}` : `r${value}`
  if (typeof value === 'bigint') return `i${value}`
  if (typeof value === 'boolean') return `i${value ? 1 : 0}`
  if (typeof value === 'string') return `s${value}`
  if (value instanceof Uint8Array) return `b${Buffer.from(value).toString('base64')}`
  return `j${JSON.stringify(value)}`
}

const MODULUS = 1n << 256n

/** A table's count and content hash, built row by row. */
export class TableHasher {
  private sum = 0n
  private count = 0
  constructor(private readonly columns: readonly string[]) {}

  add(row: Row): void {
    const text = JSON.stringify(this.columns.map((column) => canonical(row[column])))
    this.sum = (this.sum + BigInt(`0x${createHash('sha256').update(text).digest('hex')}`)) % MODULUS
    this.count += 1
  }

  digest(): TableDigest {
    return { rows: this.count, hash: this.sum.toString(16).padStart(64, '0') }
  }
}

/** A table's rows in batches; in id order where asked (the copy), else as stored (a hash does not care). */
function streamOf(db: AnyDb, table: MovableTable, ordered = true): AsyncIterableIterator<Row> {
  let query = db.selectFrom(table.name).select(table.columns)
  if (ordered && table.columns.includes('id')) query = query.orderBy('id')
  return query.stream(READ_BATCH)
}

/** Counts and content hashes of the given tables, read in batches. */
export async function tableDigests(db: Kysely<Database>, tables: readonly MovableTable[], onRows: (n: number) => void = () => {}): Promise<Digests> {
  const out: Digests = {}
  for (const table of tables) {
    const hasher = new TableHasher(table.columns)
    for await (const row of streamOf(db as unknown as AnyDb, table, false)) {
      hasher.add(row)
      onRows(1)
    }
    out[table.name] = hasher.digest()
  }
  return out
}

/** Rows per table, for the progress bar's total. */
export async function rowCounts(db: Kysely<Database>, tables: readonly MovableTable[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of tables) {
    const { n } = await (db as unknown as AnyDb).selectFrom(table.name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    out[table.name] = Number(n)
  }
  return out
}

export class MoveCheckFailed extends Error {}

export interface CopyResult {
  tables: MovableTable[]
  digests: Digests
  rows: number
}

export type MoveProgress = (done: number, total: number, phase: 'copying' | 'checking') => void

/**
 * Copies every table from `source` (a read transaction: one moment's records) into `target` (a
 * transaction on a database just built at the same schema), then reads the target back and
 * compares counts and hashes table by table; any difference throws, and the caller's transaction
 * rolls the target back.
 */
export async function copyRecords(source: Kysely<Database>, target: Kysely<Database>, onProgress: MoveProgress = () => {}): Promise<CopyResult> {
  // Both ends' references: a column SQLite could only add without its foreign key (center_id, 0045)
  // still orders the copy by the server's.
  const tables = await movableTables(source, [target])
  const targetTables = new Map((await movableTables(target)).map((table) => [table.name, table]))
  for (const table of tables) {
    const there = targetTables.get(table.name)
    if (!there || there.columns.join(',') !== table.columns.join(',')) {
      throw new MoveCheckFailed(`The table ${table.name} differs between the two databases (${there ? 'its columns' : 'missing on the target'}); they are not at the same schema.`)
    }
  }
  const [sourceVersion, targetVersion] = [await schemaVersionIn(source), await schemaVersionIn(target)]
  if (sourceVersion !== targetVersion) throw new MoveCheckFailed(`The source is at schema ${sourceVersion}, the target at ${targetVersion}.`)

  const counts = await rowCounts(source, tables)
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0)
  let done = 0
  onProgress(0, total, 'copying')

  const ends = moveSql(target)
  const triggers = await ends.triggers(target)
  for (const trigger of triggers) await ends.suspend(target, trigger)
  const into = target as unknown as AnyDb
  // The rows the target's migrations seeded (services, categories, settings) give way to the source's.
  for (const table of [...tables].reverse()) await into.deleteFrom(table.name).execute()
  const setAside = await ends.setIndexesAside(target)

  const sourceDigests: Digests = {}
  const later: Array<{ table: string; id: unknown; values: Row }> = []
  for (const table of tables) {
    const hasher = new TableHasher(table.columns)
    const perInsert = ends.rowsPerInsert(table.columns.length)
    if (table.deferred.length > 0 && !table.columns.includes('id')) throw new MoveCheckFailed(`The table ${table.name} refers to itself but has no id column.`)
    let batch: Row[] = []
    const flush = async () => {
      if (batch.length === 0) return
      await ends.insert(target, table, batch)
      done += batch.length
      onProgress(done, total, 'copying')
      batch = []
    }
    for await (const row of streamOf(source as unknown as AnyDb, table)) {
      hasher.add(row)
      const copy: Row = { ...row }
      const values: Row = {}
      for (const column of table.deferred) {
        if (copy[column] === null) continue
        values[column] = copy[column]
        copy[column] = null
      }
      if (Object.keys(values).length > 0) later.push({ table: table.name, id: row.id, values })
      batch.push(copy)
      if (batch.length >= perInsert) await flush()
    }
    await flush()
    sourceDigests[table.name] = hasher.digest()
  }
  for (const { table, id, values } of later) await into.updateTable(table).set(values).where('id', '=', id).execute()
  for (const trigger of triggers) await ends.resume(target, trigger)
  await ends.buildSearch(target)
  await ends.restoreIndexes(target, setAside)
  await ends.continueIds(target)

  let checked = 0
  onProgress(0, total, 'checking')
  const targetDigests = await tableDigests(target, tables, (n) => {
    checked += n
    if (checked % READ_BATCH === 0 || checked === total) onProgress(checked, total, 'checking')
  })
  onProgress(total, total, 'checking')
  const differ = tables.filter((table) => {
    const a = sourceDigests[table.name]!
    const b = targetDigests[table.name]!
    return a.rows !== b.rows || a.hash !== b.hash
  })
  if (differ.length > 0) {
    const what = differ.map((table) => `${table.name} (${sourceDigests[table.name]!.rows} rows read, ${targetDigests[table.name]!.rows} written${sourceDigests[table.name]!.rows === targetDigests[table.name]!.rows ? ', contents differ' : ''})`)
    throw new MoveCheckFailed(`The copy does not match the source: ${what.join('; ')}.`)
  }
  // Statistics for the query planner, as the copied tables now are.
  await sql`ANALYZE`.execute(target)
  return { tables, digests: sourceDigests, rows: total }
}

/** Why a move was refused before anything was written. */
export class MoveRefused extends Error {
  constructor(
    readonly code: 'TARGET_HOLDS_RECORDS' | 'SOURCE_OLD' | 'SOURCE_EMPTY' | 'FOLDER',
    message: string,
  ) {
    super(message)
    this.name = 'MoveRefused'
  }
}

export interface MoveResult extends CopyResult {
  /** The audit log's chain, checked on the target before the copy was committed. */
  chain: AuditVerification
  /** The server's end: where it is, its version and TLS. */
  where: string
  server: ServerFacts
}

function olderSource(where: string, found: number, how: string): MoveRefused {
  return new MoveRefused('SOURCE_OLD', `${where} is at schema ${found}, older than this Porchlight's (${SCHEMA_VERSION}). ${how} Then migrate it. Nothing was written.`)
}

/** The center's name in a database that holds Porchlight's schema, for a refusal that says whose it is. */
async function centerName(db: Kysely<Database>, schemaVersion: number): Promise<string | null> {
  try {
    return await firstCenterName(db, schemaVersion)
  } catch {
    return null
  }
}

/**
 * The server's database must be empty (no tables at all): the move builds the schema and copies the
 * records in one transaction, and never writes into a database that holds anything, not even one
 * `admin init --postgres` prepared (its first admin and audit rows would clash with the center's).
 */
async function refuseUnlessEmpty(target: ConnectedPostgres): Promise<void> {
  if (target.upgrade.from === 0) return
  throw holdsRecords(target.where, await centerName(target.db, target.upgrade.from))
}

function holdsRecords(where: string, center: string | null): MoveRefused {
  return new MoveRefused(
    'TARGET_HOLDS_RECORDS',
    `${where} already holds Porchlight's records${center ? ` (${center})` : ''}. migrate copies a center only into an empty database, so that nothing on a server is ever overwritten: create a new, empty database (without admin init --postgres) and give its URL. Nothing was written.`,
  )
}

/**
 * `admin migrate --db FILE --to URL`: the encrypted file's records into an empty database on the
 * center's server, schema and records in one transaction (a failure leaves the database empty).
 * The file is only read, and only once it passed `admin verify`'s checks of the storage (every
 * page, integrity_check, foreign_key_check): damage is refused before the server is even reached,
 * not copied there, where it would look like the server's own.
 */
export async function moveToPostgres(file: string, key: DbKey, url: string, onProgress: MoveProgress = () => {}): Promise<MoveResult> {
  const source = await openDatabase(file, key, { check: 'full', readonly: true })
  try {
    const orphans = foreignKeyProblem(source.sqlite)
    if (orphans !== null) throw dbErrors.damaged(file, orphans)
    const applied = new Set(appliedMigrations(source.sqlite))
    if (migrationList.some(([name]) => !applied.has(name))) {
      throw olderSource(file, schemaVersionOf([...applied]), 'Open it once with this version of Porchlight, which upgrades it after keeping a copy.')
    }
    const target = await connectPostgres(url, { poolSize: 2 })
    try {
      await refuseUnlessEmpty(target)
      const moved = await source.db.transaction().execute((from) =>
        target.db.transaction().execute(async (into) => {
          // Again inside the transaction: a PC's first-run setup may have built the schema since the check above.
          const tables = await sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()`.execute(into)
          if (Number(tables.rows[0]?.n) > 0) throw holdsRecords(target.where, null)
          await migratePostgres(into, target.upgrade)
          const copied = await copyRecords(from, into, onProgress)
          return { ...copied, chain: await verifyAuditChain(into) }
        }),
      )
      return { ...moved, where: target.where, server: target.server }
    } finally {
      await target.close()
    }
  } finally {
    await source.close()
  }
}

/** Where a move into a new file is built, beside it, until it is complete and checked. */
export function partialFileOf(file: string): string {
  return `${file}.migrating`
}

function removeFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
}

/**
 * `admin migrate --from URL --to FILE`: a server's records into a new encrypted file under `key`.
 * The file is built beside its place (FILE.migrating) and linked into place only when the copy
 * checked out, so FILE is whole or absent, and an existing FILE is never replaced. The server is
 * only read, as of one moment, with PCs' writes held until the copy is done.
 */
export async function moveToSqlite(url: string, file: string, key: DbKey, onProgress: MoveProgress = () => {}): Promise<MoveResult> {
  if (existsSync(file) || existsSync(`${file}-wal`)) throw dbErrors.exists(file)
  const folder = dirname(file)
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new MoveRefused('FOLDER', `The folder ${folder} does not exist; create it first. Nothing was written.`)
  const source = await connectPostgres(url, { poolSize: 2 })
  try {
    if (source.upgrade.from === 0) throw new MoveRefused('SOURCE_EMPTY', `${source.where} holds no Porchlight records to move. Nothing was written.`)
    if (source.upgrade.pending.length > 0) throw olderSource(source.where, source.upgrade.from, 'Start this version of Porchlight against it once, which upgrades its schema.')
    const partial = partialFileOf(file)
    // A move killed part-way leaves its partial file; it holds records, and is never a center's file.
    removeFile(partial)
    const created = await createDatabase(partial, key)
    let moved: Omit<MoveResult, 'where' | 'server'>
    try {
      moved = await readWithWritesHeld(source.db, (from) =>
        created.db.transaction().execute(async (into) => {
          const copied = await copyRecords(from, into, onProgress)
          return { ...copied, chain: await verifyAuditChain(into) }
        }),
      )
    } catch (error) {
      await created.close()
      removeFile(partial)
      throw error
    }
    await created.close()
    try {
      syncFile(partial)
      // A link, unlike a rename, refuses to replace a file that appeared meanwhile.
      linkSync(partial, file)
    } catch (error) {
      removeFile(partial)
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw dbErrors.exists(file)
      throw error
    }
    removeFile(partial)
    return { ...moved, where: source.where, server: source.server }
  } finally {
    await source.close()
  }
}

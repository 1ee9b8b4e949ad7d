import { sql, type Kysely } from 'kysely'
import type { Sqlite } from '../../db/open'

/**
 * A schema as both backends can state it, for comparing SQLite's with PostgreSQL's: the intent of
 * each column's type rather than its spelling (SQLite INTEGER and PostgreSQL bigint are both
 * 'integer'), and the constraints, indexes and triggers by what they cover.
 */
export interface TableShape {
  columns: Record<string, { type: string; notNull: boolean; default: string | null }>
  primaryKey: string[]
  /** UNIQUE constraints (unique indexes are in `indexes`), each as its columns joined by commas. */
  uniques: string[]
  /** 'column -> table.column' */
  foreignKeys: string[]
  /** How many CHECK constraints the table has (their text differs by dialect; their number must not). */
  checks: number
  /**
   * The word-like string literals its CHECKs allow or compare with ('in_person', 'array', ''),
   * each once, sorted: the allowed values must agree even where the checks' spelling does not
   * (GLOB patterns and regular expressions hold other characters and are left out).
   */
  checkValues: string[]
  triggers: string[]
}

export interface IndexShape {
  table: string
  columns: string[]
  unique: boolean
  /** The partial index's condition, normalized (see normalizeCondition), or null. */
  where: string | null
}

export interface SchemaShape {
  tables: Record<string, TableShape>
  indexes: Record<string, IndexShape>
}

/** Both dialects' spellings of one condition brought to one: no parentheses, casts or case, IN for = ANY (ARRAY[…]). */
export function normalizeCondition(text: string): string {
  return text
    .replace(/::[a-z ]+(\[\])?/gi, '')
    .replace(/= ANY \(ARRAY\[([^\]]*)\]\)/gi, 'IN ($1)')
    .replace(/[()]/g, ' ')
    .replace(/\s*,\s*/g, ', ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

function normalizeDefault(text: string | null): string | null {
  if (text === null) return null
  return text.replace(/::[a-z ]+$/i, '').trim()
}

const sorted = <T>(values: T[]): T[] => [...values].sort()

/** The word-like string literals in some SQL text, each once, sorted (see TableShape.checkValues). */
function wordLiterals(texts: string[]): string[] {
  const all = texts.flatMap((text) => [...text.matchAll(/'((?:[^']|'')*)'/g)].map((match) => match[1]!.replace(/''/g, "'")))
  return sorted([...new Set(all.filter((literal) => /^[\w ]*$/.test(literal)))])
}

/** The bodies of the CHECK (…) clauses in a CREATE TABLE statement, to their matching parenthesis. */
function checkBodies(createSql: string): string[] {
  const bodies: string[] = []
  for (const match of createSql.matchAll(/\bCHECK\s*\(/gi)) {
    let depth = 1
    let quoted = false
    let end = match.index + match[0].length
    for (; end < createSql.length && depth > 0; end++) {
      const char = createSql[end]
      if (char === "'") quoted = !quoted
      if (!quoted && char === '(') depth++
      if (!quoted && char === ')') depth--
    }
    bodies.push(createSql.slice(match.index + match[0].length, end - 1))
  }
  return bodies
}

/** Splits a CREATE TABLE's body at its top-level commas: one entry per column or table constraint. */
function definitions(createSql: string): string[] {
  const body = createSql.slice(createSql.indexOf('(') + 1, createSql.lastIndexOf(')'))
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let current = ''
  for (const char of body) {
    if (char === "'") quoted = !quoted
    if (!quoted && char === '(') depth++
    if (!quoted && char === ')') depth--
    if (!quoted && depth === 0 && char === ',') {
      parts.push(current.trim())
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current.trim())
  return parts.map((part) => part.replace(/--[^\n]*\n/g, ' ').trim())
}

function sqliteType(declared: string, definition: string, identity: boolean): string {
  if (identity) return 'integer identity'
  const type = declared.toUpperCase()
  if (type === 'INTEGER') return 'integer'
  if (type === 'BLOB') return 'bytes'
  if (type === 'TEXT') return /COLLATE\s+NOCASE/i.test(definition) ? 'text nocase' : 'text'
  return `sqlite ${declared || '(none)'}`
}

/** The shape of a SQLite database, leaving out `skip` (tables with no counterpart of the same kind, e.g. FTS5's). */
export function sqliteShape(sqlite: Sqlite, skip: (table: string) => boolean): SchemaShape {
  const all = <T>(query: string, ...params: unknown[]) => sqlite.prepare(query).all(...params) as T[]
  const tables: Record<string, TableShape> = {}
  const rows = all<{ name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name`,
  )
  for (const { name, sql: createSql } of rows.filter((row) => !skip(row.name))) {
    const info = all<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(`SELECT * FROM pragma_table_info(?)`, name)
    const defs = definitions(createSql)
    const keyColumns = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk)
    const rowidAlias = !/WITHOUT ROWID\s*$/i.test(createSql) && keyColumns.length === 1 && keyColumns[0]!.type.toUpperCase() === 'INTEGER'
    const columns: TableShape['columns'] = {}
    for (const column of info) {
      const definition = defs.find((d) => d.split(/\s+/)[0] === column.name) ?? ''
      columns[column.name] = {
        type: sqliteType(column.type, definition, rowidAlias && column.pk === 1),
        notNull: column.notnull === 1 || column.pk > 0,
        default: normalizeDefault(column.dflt_value),
      }
    }
    const uniques = all<{ name: string; origin: string }>(`SELECT name, origin FROM pragma_index_list(?)`, name)
      .filter((index) => index.origin === 'u')
      .map((index) => all<{ name: string }>(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, index.name).map((c) => c.name).join(','))
    const foreignKeys = all<{ from: string; table: string; to: string }>(`SELECT * FROM pragma_foreign_key_list(?)`, name).map(
      (fk) => `${fk.from} -> ${fk.table}.${fk.to}`,
    )
    const triggers = all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, name).map((t) => t.name)
    tables[name] = {
      columns,
      primaryKey: keyColumns.map((c) => c.name),
      uniques: sorted(uniques),
      foreignKeys: sorted(foreignKeys),
      checks: (createSql.match(/\bCHECK\s*\(/gi) ?? []).length,
      checkValues: wordLiterals(checkBodies(createSql)),
      triggers: sorted(triggers),
    }
  }
  const indexes: Record<string, IndexShape> = {}
  for (const index of all<{ name: string; tbl_name: string; sql: string }>(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)) {
    if (skip(index.tbl_name)) continue
    const where = /\bWHERE\b([\s\S]*)$/i.exec(index.sql)?.[1] ?? null
    indexes[index.name] = {
      table: index.tbl_name,
      columns: all<{ name: string }>(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, index.name).map((c) => c.name),
      unique: /^CREATE UNIQUE/i.test(index.sql),
      where: where === null ? null : normalizeCondition(where),
    }
  }
  return { tables, indexes }
}

function postgresType(column: { data_type: string; udt_name: string; collation_name: string | null; is_identity: string }): string {
  if (column.is_identity === 'YES') return 'integer identity'
  if (column.data_type === 'bigint') return 'integer'
  if (column.data_type === 'bytea') return 'bytes'
  if (column.data_type === 'text') return column.collation_name === 'C' ? 'text' : `text collated ${column.collation_name ?? 'by the database default'}`
  if (column.udt_name === 'citext') return 'text nocase'
  return `postgres ${column.data_type}`
}

/** The shape of the PostgreSQL database's current schema, leaving out `skip`. */
export async function postgresShape<DB>(db: Kysely<DB>, skip: (table: string) => boolean): Promise<SchemaShape> {
  const rows = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows
  const tableNames = (
    await rows<{ name: string }>(sql`SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely_%' ORDER BY 1`)
  )
    .map((row) => row.name)
    .filter((name) => !skip(name))
  const tables: Record<string, TableShape> = {}
  for (const name of tableNames) {
    const info = await rows<{ column_name: string; data_type: string; udt_name: string; collation_name: string | null; is_identity: string; is_nullable: string; column_default: string | null }>(
      sql`SELECT column_name, data_type, udt_name, collation_name, is_identity, is_nullable, column_default
          FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${name} ORDER BY ordinal_position`,
    )
    const columns: TableShape['columns'] = {}
    for (const column of info) {
      columns[column.column_name] = { type: postgresType(column), notNull: column.is_nullable === 'NO', default: normalizeDefault(column.column_default) }
    }
    const constraints = await rows<{ contype: string; columns: string[]; target: string | null; target_columns: string[] | null; definition: string }>(
      sql`SELECT c.contype, pg_get_constraintdef(c.oid) AS definition,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            c.confrelid::regclass::text AS target,
            ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS target_columns
          FROM pg_constraint c WHERE c.conrelid = ${name}::regclass`,
    )
    const triggers = await rows<{ name: string }>(sql`SELECT tgname AS name FROM pg_trigger WHERE tgrelid = ${name}::regclass AND NOT tgisinternal`)
    tables[name] = {
      columns,
      primaryKey: constraints.find((c) => c.contype === 'p')?.columns ?? [],
      uniques: sorted(constraints.filter((c) => c.contype === 'u').map((c) => c.columns.join(','))),
      foreignKeys: sorted(constraints.filter((c) => c.contype === 'f').map((c) => `${c.columns[0]} -> ${c.target}.${c.target_columns?.[0]}`)),
      checks: constraints.filter((c) => c.contype === 'c').length,
      checkValues: wordLiterals(constraints.filter((c) => c.contype === 'c').map((c) => c.definition)),
      triggers: sorted(triggers.map((t) => t.name)),
    }
  }
  const indexes: Record<string, IndexShape> = {}
  const indexRows = await rows<{ name: string; table: string; unique: boolean; columns: string[]; where: string | null }>(
    sql`SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS table, i.indisunique AS unique,
          ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k) AS columns,
          pg_get_expr(i.indpred, i.indrelid, true) AS where
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u'))`,
  )
  for (const index of indexRows) {
    if (skip(index.table) || index.table.startsWith('kysely_')) continue
    indexes[index.name] = { table: index.table, columns: index.columns, unique: index.unique, where: index.where === null ? null : normalizeCondition(index.where) }
  }
  return { tables, indexes }
}

import { sql, type RawBuilder } from 'kysely'
import { perBackend } from '../../backend'

/**
 * A table's foreign keys (column → table it refers to), from each backend's own catalog: the
 * export's one raw fragment (the dictionary's "refers to"), and the order `admin migrate` copies in.
 */
export const foreignKeysOf = perBackend<(table: string) => RawBuilder<{ from: string; table: string }>>({
  sqlite: (table) => sql`SELECT "from", "table" FROM pragma_foreign_key_list(${table})`,
  postgres: (table) =>
    sql`SELECT a.attname AS "from", c.confrelid::regclass::text AS "table"
          FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND c.conrelid = CAST(${table} AS regclass)`,
})

/**
 * A table's primary-key columns where the catalog calls them nullable: SQLite's `INTEGER PRIMARY
 * KEY` (and a key column without NOT NULL) reads as nullable though it is never empty; the server
 * makes every key column NOT NULL itself, so there it is none.
 */
export const keyColumnsOf = perBackend<(table: string) => RawBuilder<{ name: string }>>({
  sqlite: (table) => sql`SELECT name FROM pragma_table_info(${table}) WHERE pk > 0`,
  postgres: () => sql`SELECT NULL AS name WHERE false`,
})

/** The server's column types in the words of the file's (SQLite's affinities), so both exports' dictionaries read alike. */
const SERVER_TYPES: Readonly<Record<string, string>> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  bool: 'integer',
  text: 'text',
  citext: 'text',
  varchar: 'text',
  bytea: 'blob',
  float4: 'real',
  float8: 'real',
  numeric: 'numeric',
}

/** A column's type as the data dictionary names it, from what each backend's catalog says. */
export const columnTypeOf = perBackend<(dataType: string) => string>({
  sqlite: (dataType) => dataType.toLowerCase() || 'any',
  postgres: (dataType) => SERVER_TYPES[dataType.toLowerCase()] ?? dataType.toLowerCase(),
})

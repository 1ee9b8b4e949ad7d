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

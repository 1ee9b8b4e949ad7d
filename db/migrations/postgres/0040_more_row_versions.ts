import { sql, type Kysely } from 'kysely'
import { moreRowVersionTables } from '../0040_more_row_versions'

// Frozen in time: this file must never import application code or today's schema types.

/** PostgreSQL's twin of SQLite's 0040_more_row_versions: the same column, in PostgreSQL's integer. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of moreRowVersionTables) await sql.raw(`ALTER TABLE ${table} ADD COLUMN row_version bigint NOT NULL DEFAULT 1 CHECK (row_version > 0)`).execute(db)
}

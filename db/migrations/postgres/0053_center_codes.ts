import { sql, type Kysely } from 'kysely'
import { centerCodeStatements } from '../0053_center_codes'

// Frozen in time: this file must never import application code or today's schema types.

/** PostgreSQL's twin of SQLite's 0053_center_codes: the same index (same words), the version in PostgreSQL's integer. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of centerCodeStatements) await sql.raw(statement).execute(db)
  await sql`ALTER TABLE settings ADD COLUMN row_version bigint NOT NULL DEFAULT 1 CHECK (row_version > 0)`.execute(db)
}

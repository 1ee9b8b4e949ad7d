import { sql, type Kysely } from 'kysely'
import { oneOpenVisitStatements } from '../0034_one_open_visit'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0034_one_open_visit: the column in PostgreSQL's integer, then the
 * same marking of earlier repeats and the same two unique indexes (their words are the same in
 * both dialects, so they come from SQLite's migration, itself frozen).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE visits ADD COLUMN repeat_confirmed bigint NOT NULL DEFAULT 0 CHECK (repeat_confirmed IN (0, 1))`).execute(db)
  for (const statement of oneOpenVisitStatements) await sql.raw(statement).execute(db)
}

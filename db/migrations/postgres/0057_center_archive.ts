import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/** PostgreSQL's twin of SQLite's 0057_center_archive: when a center was archived (never deleted). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE centers ADD COLUMN archived_at text COLLATE "C"`.execute(db)
}

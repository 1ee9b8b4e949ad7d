import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A center the organization no longer runs is archived, never deleted (issue 15): its records stay
 * where they are, nobody can be granted it or switch to it, and an admin can bring it back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE centers ADD COLUMN archived_at TEXT`.execute(db)
}

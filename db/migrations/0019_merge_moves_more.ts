import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A merge moves the person's coaching (engagements, contacts, plan goals and their history) and
 * safety records (restrictions, care flags) too, and undo must put back exactly those rows:
 * `moved_more` holds them as a JSON object, table name → ids, so a table added later needs no
 * new column. Merges made before this migration moved none of them: '{}'.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE participant_merges ADD COLUMN moved_more TEXT NOT NULL DEFAULT '{}'`).execute(db)
}

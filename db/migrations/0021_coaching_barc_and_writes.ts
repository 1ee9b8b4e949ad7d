import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A BARC-10 can be taken at a coaching contact (a meeting): the contact points to it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE coaching_contacts ADD COLUMN assessment_id INTEGER REFERENCES assessments(id)`).execute(db)
}

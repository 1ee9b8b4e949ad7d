import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * The dashboard and the funder report count visits by day and by person (db/services/reports).
 * Both indexes they walk gain the columns those counts read, so a year of visits is counted
 * inside the index without fetching each row: a range's visits with who came (visits_by_date),
 * and a person's visits in order with their day and whether they were voided
 * (visits_by_participant: "was this their first visit?"). The same two indexes, wider, rather
 * than two more: every sign-in writes each index of visits, and each written page costs its
 * encryption.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `DROP INDEX visits_by_date`,
    `CREATE INDEX visits_by_date ON visits(visit_date, signed_in_at, participant_id, anonymous_code, voided_at)`,
    `DROP INDEX visits_by_participant`,
    `CREATE INDEX visits_by_participant ON visits(participant_id, signed_in_at, visit_date, voided_at)`,
  ]) {
    await sql.raw(statement).execute(db)
  }
}

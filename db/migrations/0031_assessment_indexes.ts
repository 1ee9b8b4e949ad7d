import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Recovery capital (reports) reads, for each person with an assessment in the range, their first
 * and latest total: two look-ups per person through assessments_participant, each of which went
 * on to the assessment's row (a wide one: the ten answers and a note) for voided_at, id and total.
 * With those in the index the look-ups, and the pass that finds the people, stay in the index.
 * The range's assessments are found through assessments_taken_on, which now carries the person
 * as well, so counting the people assessed in a range reads no row either.
 */
const statements = [
  `DROP INDEX assessments_participant`,
  `CREATE INDEX assessments_participant ON assessments(participant_id, taken_on, id, voided_at, total)`,
  `DROP INDEX assessments_taken_on`,
  `CREATE INDEX assessments_taken_on ON assessments(taken_on, participant_id) WHERE voided_at IS NULL`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

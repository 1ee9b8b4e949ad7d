import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * "Already here today?" asks for one person's open visits today, newest first. With only
 * (participant_id, visit_date) in visits_open_by_person, a database without statistics (a
 * center's file is never analyzed) preferred visits_by_participant (participant_id,
 * signed_in_at), which gives the order for free but walks every visit the person ever made.
 * With signed_in_at as its third column this index answers both the filter and the order, so no
 * other index can look cheaper, with or without statistics.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP INDEX visits_open_by_person`).execute(db)
  await sql
    .raw(`CREATE INDEX visits_open_by_person ON visits(participant_id, visit_date, signed_in_at) WHERE signed_out_at IS NULL AND voided_at IS NULL`)
    .execute(db)
}

import { sql, type Kysely } from 'kysely'
import { addDay } from './0012_report_rollups'

// Frozen in time: this file must never import application code or today's schema types (0012's
// SQL text is itself frozen, so reusing it here is the same as copying it).

/**
 * Fewer pages written by the busiest writes.
 *
 * - A referral made, an assessment taken and a group mark of present or late each add one active
 *   day (report_person_months kind 2) to the person's month, exactly as a sign-in does. 0012 made
 *   them recount the person's whole month instead: every one of their rows of the month deleted and
 *   inserted again (and both returns tables moved row by row), even for an absent mark, which
 *   counts for nothing. Their updates and deletions still recount, as before.
 * - participants_last_visit (0001) is the sixth index carrying last_visit_at, which every sign-in
 *   changes; nothing reads it any more (the desk's search walks participant_search in recency
 *   order, and the list's "last visit" sort has participants_list_last_visit).
 * - attendance_counted: the dashboard's group figures read a range's marks session by session.
 */

const activeDay = (participant: string, day: string) => addDay(participant, `''`, 'SELECT 2 AS kind', '0', day)
const sessionDate = `(SELECT s.session_date FROM group_sessions s WHERE s.id = NEW.session_id)`

export const statements = [
  `DROP TRIGGER report_referrals_insert`,
  `CREATE TRIGGER report_referrals_insert AFTER INSERT ON referrals WHEN NEW.participant_id IS NOT NULL
   BEGIN ${activeDay('NEW.participant_id', 'NEW.referred_on')} END`,
  `DROP TRIGGER report_assessments_insert`,
  `CREATE TRIGGER report_assessments_insert AFTER INSERT ON assessments WHEN NEW.participant_id IS NOT NULL AND NEW.voided_at IS NULL
   BEGIN ${activeDay('NEW.participant_id', 'NEW.taken_on')} END`,
  `DROP TRIGGER report_attendance_insert`,
  `CREATE TRIGGER report_attendance_insert AFTER INSERT ON attendance WHEN NEW.participant_id IS NOT NULL AND NEW.status IN ('present', 'late')
   BEGIN ${activeDay('NEW.participant_id', sessionDate)} END`,
  `DROP INDEX participants_last_visit`,
  // The reports count a range's marks from its sessions (by date) out: this index answers each
  // session's marks without reading the rows, where SQLite would otherwise read every mark ever made.
  `CREATE INDEX attendance_counted ON attendance(session_id, status, participant_id, anonymous_code)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

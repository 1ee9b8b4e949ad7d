import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * report_group_days: per group and day that group had a session, what the reports add up over a
 * range (reports/figures.ts, groupFigures), so five years of groups cost some 12,000 summed rows
 * rather than every mark and every enrolled person's every session:
 *   - attended: people present or late in a session of the group that day (rule 6: once a day,
 *     however many sessions; a registered person by id, anyone else by code);
 *   - expected / came, on a day the group held a session: the people enrolled that day, and those
 *     of them present or late in a held session of the group that day (the enrolled rate).
 * group_id 0 holds, per day with any session, the people attended over all groups (a person in
 * two groups on one day is one person-day there).
 *
 * Kept by triggers in the same transaction as every write to attendance, sessions and enrollments:
 * each recounts the (group, day) rows it touches from the rows, with the same statement `admin
 * verify` recounts every row with (reports/rollups.ts holds today's copy). SQLite's SQL; a
 * PostgreSQL backend brings its own migration.
 */

const ATTENDED = `('present', 'late')`

/**
 * Recounts the rows of the (group, day) pairs `pairs` selects (columns group_id, day), and of
 * those days over all groups (group 0): deleted, then counted again where a session remains.
 */
function refresh(pairs: string): string {
  const all = `SELECT k.group_id, k.day FROM (${pairs}) k UNION SELECT 0, k.day FROM (${pairs}) k`
  return `
  DELETE FROM report_group_days WHERE (group_id, day) IN (${all});
  INSERT INTO report_group_days (day, group_id, attended, expected, came) ${rowsFor(pairs)};`
}

/** The rows of the (group, day) pairs `pairs` selects that have a session, and of their days over all groups, counted from the rows. */
const rowsFor = (pairs: string) => `
  SELECT k.day, k.group_id,
         (SELECT count(*) FROM (SELECT DISTINCT t.participant_id, CASE WHEN t.participant_id IS NULL THEN t.anonymous_code END
            FROM group_sessions s JOIN attendance t ON t.session_id = s.id
           WHERE s.session_date = k.day AND (k.group_id = 0 OR s.group_id = k.group_id) AND t.status IN ${ATTENDED}
             AND (t.participant_id IS NOT NULL OR t.anonymous_code IS NOT NULL))),
         (SELECT count(DISTINCT e.participant_id) FROM enrollments e
           WHERE k.held = 1 AND e.group_id = k.group_id AND e.enrolled_on IS NOT NULL AND e.enrolled_on <= k.day
             AND (e.ended_on IS NULL OR e.ended_on >= k.day)),
         (SELECT count(DISTINCT e.participant_id) FROM enrollments e
           WHERE k.held = 1 AND e.group_id = k.group_id AND e.enrolled_on IS NOT NULL AND e.enrolled_on <= k.day
             AND (e.ended_on IS NULL OR e.ended_on >= k.day)
             AND EXISTS (SELECT 1 FROM group_sessions o JOIN attendance a ON a.session_id = o.id
                          WHERE o.group_id = k.group_id AND o.session_date = k.day AND o.status = 'held'
                            AND a.participant_id = e.participant_id AND a.status IN ${ATTENDED}))
    FROM (SELECT s.group_id, s.session_date AS day, max(CASE WHEN s.status = 'held' THEN 1 ELSE 0 END) AS held
            FROM (SELECT DISTINCT p.group_id, p.day FROM (${pairs}) p) p JOIN group_sessions s ON s.group_id = p.group_id AND s.session_date = p.day
           GROUP BY s.group_id, s.session_date
          UNION ALL
          SELECT 0, s.session_date, 0
            FROM (SELECT DISTINCT p.day FROM (${pairs}) p) p JOIN group_sessions s ON s.session_date = p.day
           GROUP BY s.session_date) k`

const sessionOf = (row: string) => `SELECT s.group_id, s.session_date AS day FROM group_sessions s WHERE s.id = ${row}.session_id`
const sessionPair = (row: string) => `SELECT ${row}.group_id AS group_id, ${row}.session_date AS day`
const enrolledDays = (row: string) => `SELECT s.group_id, s.session_date AS day FROM group_sessions s
  WHERE s.group_id = ${row}.group_id AND ${row}.enrolled_on IS NOT NULL AND s.session_date >= ${row}.enrolled_on
    AND (${row}.ended_on IS NULL OR s.session_date <= ${row}.ended_on)`

export const statements = [
  `CREATE TABLE report_group_days (
     day TEXT NOT NULL,
     group_id INTEGER NOT NULL,
     attended INTEGER NOT NULL,
     expected INTEGER NOT NULL,
     came INTEGER NOT NULL,
     PRIMARY KEY (day, group_id)
   ) WITHOUT ROWID`,
  `CREATE TRIGGER report_group_days_mark_insert AFTER INSERT ON attendance BEGIN ${refresh(sessionOf('NEW'))} END`,
  `CREATE TRIGGER report_group_days_mark_update AFTER UPDATE OF session_id, participant_id, anonymous_code, status ON attendance
   BEGIN ${refresh(`${sessionOf('OLD')} UNION ${sessionOf('NEW')}`)} END`,
  `CREATE TRIGGER report_group_days_mark_delete AFTER DELETE ON attendance BEGIN ${refresh(sessionOf('OLD'))} END`,
  `CREATE TRIGGER report_group_days_session_insert AFTER INSERT ON group_sessions BEGIN ${refresh(sessionPair('NEW'))} END`,
  `CREATE TRIGGER report_group_days_session_update AFTER UPDATE OF group_id, session_date, status ON group_sessions
   BEGIN ${refresh(`${sessionPair('OLD')} UNION ${sessionPair('NEW')}`)} END`,
  `CREATE TRIGGER report_group_days_session_delete AFTER DELETE ON group_sessions BEGIN ${refresh(sessionPair('OLD'))} END`,
  `CREATE TRIGGER report_group_days_enrollment_insert AFTER INSERT ON enrollments BEGIN ${refresh(enrolledDays('NEW'))} END`,
  `CREATE TRIGGER report_group_days_enrollment_update AFTER UPDATE OF group_id, participant_id, enrolled_on, ended_on ON enrollments
   BEGIN ${refresh(`${enrolledDays('OLD')} UNION ${enrolledDays('NEW')}`)} END`,
  `CREATE TRIGGER report_group_days_enrollment_delete AFTER DELETE ON enrollments BEGIN ${refresh(enrolledDays('OLD'))} END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
  await sql.raw(`INSERT INTO report_group_days (day, group_id, attended, expected, came) ${rowsFor('SELECT s.group_id, s.session_date AS day FROM group_sessions s')} ORDER BY 1, 2`).execute(db)
}

import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0027_group_days: report_group_days, per group and day that group
 * had a session, the people who attended (rule 6: once a day, a registered person by id, anyone
 * else by code), and on a day it held a session the people enrolled (expected) and those of them
 * present or late (came); group 0 holds each day's attendance over all groups. Kept by triggers of
 * the same names in the same transaction as every write to attendance, sessions and enrollments,
 * each recounting the (group, day) rows it touches, and those days' group 0 rows, from the rows.
 *
 * Spelled for PostgreSQL: text COLLATE "C" and bigint as in the baseline, an ordinary table where
 * SQLite's is WITHOUT ROWID. SQLite's triggers inline the recount once per trigger with the pairs
 * as a subquery; here it is one function, report_group_days_refresh, taking the pairs as two
 * arrays (group ids, days), and each trigger function gathers its pairs and calls it.
 */

const tables = [
  `CREATE TABLE report_group_days (
     day text COLLATE "C" NOT NULL,
     group_id bigint NOT NULL,
     attended bigint NOT NULL,
     expected bigint NOT NULL,
     came bigint NOT NULL,
     PRIMARY KEY (day, group_id)
   )`,
]

const ATTENDED = `('present', 'late')`
const PAIRS = `unnest(of_groups, of_days) AS p(group_id, day)`

const functions = [
  // The rows of the given (group, day) pairs and of their days over all groups (group 0):
  // deleted, then counted again where a session remains.
  `CREATE FUNCTION report_group_days_refresh(of_groups bigint[], of_days text[]) RETURNS void LANGUAGE sql AS $$
     DELETE FROM report_group_days r
      USING (SELECT p.group_id, p.day FROM ${PAIRS} UNION SELECT 0, p.day FROM ${PAIRS}) k
      WHERE r.group_id = k.group_id AND r.day = k.day;
     INSERT INTO report_group_days (day, group_id, attended, expected, came)
     SELECT k.day, k.group_id,
            (SELECT count(*) FROM (SELECT DISTINCT t.participant_id, CASE WHEN t.participant_id IS NULL THEN t.anonymous_code END
               FROM group_sessions s JOIN attendance t ON t.session_id = s.id
              WHERE s.session_date = k.day AND (k.group_id = 0 OR s.group_id = k.group_id) AND t.status IN ${ATTENDED}
                AND (t.participant_id IS NOT NULL OR t.anonymous_code IS NOT NULL)) m),
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
               FROM (SELECT DISTINCT p.group_id, p.day FROM ${PAIRS}) p JOIN group_sessions s ON s.group_id = p.group_id AND s.session_date = p.day
              GROUP BY s.group_id, s.session_date
             UNION ALL
             SELECT 0, s.session_date, 0
               FROM (SELECT DISTINCT p.day FROM ${PAIRS}) p JOIN group_sessions s ON s.session_date = p.day
              GROUP BY s.session_date) k
      ORDER BY 1, 2;
   $$`,
]

const sessionOf = (row: string) => `SELECT s.group_id, s.session_date AS day FROM group_sessions s WHERE s.id = ${row}.session_id`
const sessionPair = (row: string) => `SELECT ${row}.group_id AS group_id, ${row}.session_date AS day`
const enrolledDays = (row: string) => `SELECT s.group_id, s.session_date AS day FROM group_sessions s
  WHERE s.group_id = ${row}.group_id AND ${row}.enrolled_on IS NOT NULL AND s.session_date >= ${row}.enrolled_on
    AND (${row}.ended_on IS NULL OR s.session_date <= ${row}.ended_on)`

/** A trigger and its function, both called `name`, which recount the (group, day) pairs `pairs` selects. */
function trigger(name: string, timing: string, table: string, pairs: string): string[] {
  return [
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM report_group_days_refresh(array_agg(k.group_id), array_agg(k.day)) FROM (${pairs}) k;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER ${name} ${timing} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  ]
}

const triggers = [
  ...trigger('report_group_days_mark_insert', 'AFTER INSERT', 'attendance', sessionOf('NEW')),
  ...trigger('report_group_days_mark_update', 'AFTER UPDATE OF session_id, participant_id, anonymous_code, status', 'attendance', `${sessionOf('OLD')} UNION ${sessionOf('NEW')}`),
  ...trigger('report_group_days_mark_delete', 'AFTER DELETE', 'attendance', sessionOf('OLD')),
  ...trigger('report_group_days_session_insert', 'AFTER INSERT', 'group_sessions', sessionPair('NEW')),
  ...trigger('report_group_days_session_update', 'AFTER UPDATE OF group_id, session_date, status', 'group_sessions', `${sessionPair('OLD')} UNION ${sessionPair('NEW')}`),
  ...trigger('report_group_days_session_delete', 'AFTER DELETE', 'group_sessions', sessionPair('OLD')),
  ...trigger('report_group_days_enrollment_insert', 'AFTER INSERT', 'enrollments', enrolledDays('NEW')),
  ...trigger('report_group_days_enrollment_update', 'AFTER UPDATE OF group_id, participant_id, enrolled_on, ended_on', 'enrollments', `${enrolledDays('OLD')} UNION ${enrolledDays('NEW')}`),
  ...trigger('report_group_days_enrollment_delete', 'AFTER DELETE', 'enrollments', enrolledDays('OLD')),
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...functions, ...triggers]) await sql.raw(statement).execute(db)
  // Every (group, day) with a session so far, and those days over all groups.
  await sql.raw(`SELECT report_group_days_refresh(array_agg(s.group_id), array_agg(s.session_date)) FROM group_sessions s`).execute(db)
}

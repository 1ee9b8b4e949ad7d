import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * report_group_people: one row per group, person and month with the days the person attended
 * that group in the month (rule 6: present or late, on the session's day; a registered person by
 * id, anyone else by code, under participant_id 0), their first and last such day, and their last
 * such day in that group before the month (prev_day). Group 0 holds the same over all groups.
 *
 * Unduplicated people per group over a range are then counted without DISTINCT, as people.ts does
 * for visits: a person counts once, on their first row in the range, which is a row of the
 * range's first month with a day in the range, or a later row (up to the last month, starting by
 * the range's end) whose prev_day is before the range. Attendance marks are not summed per day:
 * a person in the same group in two months of a range is one person, because the second month's
 * row has its prev_day inside the range.
 *
 * Kept by triggers in the same transaction as every write to attendance (and to a session's
 * group or day, though a session with marks can be neither moved nor deleted): each recounts the
 * (group, person, month) rows it touches, and their group 0 rows, from the marks, then sets the
 * prev_day of that person's later rows. `admin verify` recounts every row (reports/rollups.ts
 * holds today's copy). A sign-in writes no attendance, so it writes nothing here.
 */

export const ATTENDED = `('present', 'late')`
export const bit = (date: string) => `(1 << (CAST(substr(${date}, 9, 2) AS INTEGER) - 1))`

/** The person's last attended day in the row's group before the row's month. */
export const prevDay = `(SELECT r2.last_day FROM report_group_people r2 WHERE r2.group_id = report_group_people.group_id
  AND r2.participant_id = report_group_people.participant_id AND r2.code = report_group_people.code
  AND r2.month < report_group_people.month ORDER BY r2.month DESC LIMIT 1)`

/**
 * Recounts the (group, person, month) rows `keys` selects (columns g, p, c, m; c null for a mark
 * of no one), and the same over all groups: deleted, counted again from the marks, then the
 * prev_day of the person's rows from that month on set again. The rows recounted are every
 * (group, person) of the keys in every month of the keys (at most two of each), so that the
 * deletion can go through the primary key (a four-column IN made SQLite read the whole table).
 * The code's marks are found from the month's sessions (CROSS JOIN keeps SQLite to that order;
 * left to itself it read every coded mark ever made).
 */
export function refresh(keys: string): string {
  const all = `SELECT k.g, k.p, k.c, k.m FROM (${keys}) k WHERE k.c IS NOT NULL UNION SELECT 0, k.p, k.c, k.m FROM (${keys}) k WHERE k.c IS NOT NULL`
  const people = `SELECT DISTINCT a.g, a.p, a.c FROM (${all}) a`
  const months = `SELECT DISTINCT a.m FROM (${all}) a`
  const recounted = `SELECT w.g, w.p, w.c, n.m FROM (${people}) w CROSS JOIN (${months}) n`
  return `
  DELETE FROM report_group_people WHERE (group_id, participant_id, code) IN (${people}) AND month IN (${months});
  INSERT INTO report_group_people (group_id, participant_id, code, month, days, first_day, last_day)
    SELECT g, p, c, m, sum(DISTINCT ${bit('day')}), min(day), max(day) FROM (
      SELECT k.g, k.p, k.c, k.m, s.session_date AS day
        FROM (${recounted}) k JOIN attendance t ON t.participant_id = k.p JOIN group_sessions s ON s.id = t.session_id
       WHERE k.p > 0 AND t.status IN ${ATTENDED} AND (k.g = 0 OR s.group_id = k.g)
         AND s.session_date >= k.m || '-01' AND s.session_date <= k.m || '-31'
      UNION ALL
      SELECT k.g, k.p, k.c, k.m, s.session_date
        FROM (${recounted}) k CROSS JOIN group_sessions s CROSS JOIN attendance t
       WHERE k.p = 0 AND s.session_date >= k.m || '-01' AND s.session_date <= k.m || '-31' AND (k.g = 0 OR s.group_id = k.g)
         AND t.session_id = s.id AND t.anonymous_code = k.c AND t.participant_id IS NULL AND t.status IN ${ATTENDED}
    ) GROUP BY g, p, c, m;
  UPDATE report_group_people SET prev_day = ${prevDay}
   WHERE (group_id, participant_id, code) IN (${people})
     AND month >= (SELECT min(a.m) FROM (${all}) a) AND prev_day IS NOT ${prevDay};`
}

/** The keys of one mark (the PostgreSQL twin uses the same words). */
export const markOf = (row: string) => `SELECT s.group_id AS g, coalesce(${row}.participant_id, 0) AS p,
  CASE WHEN ${row}.participant_id IS NULL THEN ${row}.anonymous_code ELSE '' END AS c, substr(s.session_date, 1, 7) AS m
  FROM group_sessions s WHERE s.id = ${row}.session_id`
/** The keys of a session's marks, at the session's group and day as `row` has them. */
export const sessionMarks = (row: string) => `SELECT ${row}.group_id AS g, coalesce(t.participant_id, 0) AS p,
  CASE WHEN t.participant_id IS NULL THEN t.anonymous_code ELSE '' END AS c, substr(${row}.session_date, 1, 7) AS m
  FROM attendance t WHERE t.session_id = ${row}.id`

export const statements = [
  `CREATE TABLE report_group_people (
     group_id INTEGER NOT NULL,
     participant_id INTEGER NOT NULL,
     code TEXT NOT NULL,
     month TEXT NOT NULL,
     days INTEGER NOT NULL,
     first_day TEXT NOT NULL,
     last_day TEXT NOT NULL,
     prev_day TEXT,
     PRIMARY KEY (group_id, participant_id, code, month)
   ) WITHOUT ROWID`,
  // The range's count reads this index alone, month by month.
  `CREATE INDEX report_group_people_range ON report_group_people(month, group_id, prev_day, first_day, days)`,
  `CREATE TRIGGER report_group_people_mark_insert AFTER INSERT ON attendance WHEN NEW.status IN ${ATTENDED}
   BEGIN ${refresh(markOf('NEW'))} END`,
  `CREATE TRIGGER report_group_people_mark_update AFTER UPDATE OF session_id, participant_id, anonymous_code, status ON attendance
   BEGIN ${refresh(`${markOf('OLD')} UNION ${markOf('NEW')}`)} END`,
  `CREATE TRIGGER report_group_people_mark_delete AFTER DELETE ON attendance WHEN OLD.status IN ${ATTENDED}
   BEGIN ${refresh(markOf('OLD'))} END`,
  `CREATE TRIGGER report_group_people_session_update AFTER UPDATE OF group_id, session_date ON group_sessions
   WHEN OLD.group_id IS NOT NEW.group_id OR OLD.session_date IS NOT NEW.session_date
   BEGIN ${refresh(`${sessionMarks('OLD')} UNION ${sessionMarks('NEW')}`)} END`,
]

/**
 * Every row, counted from the marks (reports/rollups.ts holds today's copy for `admin verify`);
 * `days` is the backend's aggregate of the days' bits (the PostgreSQL twin passes its own).
 */
export const backfillWith = (days: string) => `INSERT INTO report_group_people (group_id, participant_id, code, month, days, first_day, last_day, prev_day)
  SELECT g, p, c, m, days, first_day, last_day, lag(last_day) OVER (PARTITION BY g, p, c ORDER BY m) FROM (
    SELECT g, p, c, m, ${days} AS days, min(day) AS first_day, max(day) AS last_day FROM (
      SELECT s.group_id AS g, coalesce(t.participant_id, 0) AS p, CASE WHEN t.participant_id IS NULL THEN t.anonymous_code ELSE '' END AS c,
             substr(s.session_date, 1, 7) AS m, s.session_date AS day
        FROM attendance t JOIN group_sessions s ON s.id = t.session_id
       WHERE t.status IN ${ATTENDED} AND (t.participant_id IS NOT NULL OR t.anonymous_code IS NOT NULL)
    ) d GROUP BY g, p, c, m
    UNION ALL
    SELECT 0, p, c, m, ${days}, min(day), max(day) FROM (
      SELECT coalesce(t.participant_id, 0) AS p, CASE WHEN t.participant_id IS NULL THEN t.anonymous_code ELSE '' END AS c,
             substr(s.session_date, 1, 7) AS m, s.session_date AS day
        FROM attendance t JOIN group_sessions s ON s.id = t.session_id
       WHERE t.status IN ${ATTENDED} AND (t.participant_id IS NOT NULL OR t.anonymous_code IS NOT NULL)
    ) d GROUP BY p, c, m
  ) counted`

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
  await sql.raw(backfillWith(`sum(DISTINCT ${bit('day')})`)).execute(db)
}

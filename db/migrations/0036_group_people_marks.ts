import { sql, type Kysely } from 'kysely'
import { statements as groupDays } from './0027_group_days'
import { ATTENDED, bit, markOf, prevDay, refresh } from './0032_group_people'

// Frozen in time: this file must never import application code or today's schema types (0027 and
// 0032 are themselves frozen, so taking their SQL text from there is the same as copying it).

/**
 * report_group_people (0032) kept with fewer writes when a mark starts to count. Adding a present
 * or late mark can only add its day to the person's row of the session's month in that group and
 * in group 0, so that is all it does now: an upsert of those two rows that leaves a row alone
 * when the day was already counted (two sessions of a group the same day, or two groups for group
 * 0), and the previous day of the person's next later row, if there is one (a past session marked
 * late). 0032 deleted and inserted again every row it recounted, rewriting the table's and its
 * index's pages even when nothing changed, and read the person's marks of the month to do it.
 *
 * A change of status between present and late, or between absent and excused, changes nothing
 * here and now writes nothing; absent or excused to present or late adds as an insert does. A
 * mark that stops counting, or moves to another session or person (a merge), still recounts, as
 * does a deletion: a day can be counted by another mark, which only a recount sees.
 */

/** The same session and person (or code) before and after an update. */
const SAME_MARK = `OLD.session_id = NEW.session_id AND OLD.participant_id IS NEW.participant_id AND OLD.anonymous_code IS NEW.anonymous_code`

/**
 * report_group_days (0027) too: its triggers deleted the rows they recount by (group_id, day) IN
 * (...), which SQLite answered by reading the whole table (13,546 rows on the bench database, at
 * every mark); named in the primary key's order, (day, group_id), the deletion goes through the
 * key. A mark that does not count (absent, excused), inserted or deleted, or an update that keeps
 * its session, person and whether it counts, changes no day's figures, and now runs nothing.
 */
function groupDaysTrigger(statement: string): string {
  const name = /^CREATE TRIGGER (\w+)/.exec(statement)![1]!
  let trigger = statement.replace(/DELETE FROM report_group_days WHERE \(group_id, day\) IN \((.*?)\);\n {2}INSERT/s, (_, all: string) =>
    `DELETE FROM report_group_days WHERE (day, group_id) IN (SELECT a.day, a.group_id FROM (${all}) a);\n  INSERT`)
  const when: Record<string, [string, string]> = {
    report_group_days_mark_insert: ['AFTER INSERT ON attendance BEGIN', `AFTER INSERT ON attendance WHEN NEW.status IN ${ATTENDED} BEGIN`],
    report_group_days_mark_delete: ['AFTER DELETE ON attendance BEGIN', `AFTER DELETE ON attendance WHEN OLD.status IN ${ATTENDED} BEGIN`],
    report_group_days_mark_update: ['ON attendance\n   BEGIN', `ON attendance\n   WHEN NOT (${SAME_MARK} AND (OLD.status IN ${ATTENDED}) = (NEW.status IN ${ATTENDED}))\n   BEGIN`],
  }
  if (when[name]) trigger = trigger.replace(...when[name])
  // 0027's text is frozen: a replacement that finds nothing is a mistake here, not a change there.
  if (trigger === statement || (when[name] && !trigger.includes(when[name][1]))) throw new Error(`0036: ${name} not rewritten`)
  return trigger
}
const groupDaysTriggers = groupDays.filter((statement) => statement.startsWith('CREATE TRIGGER')).map(groupDaysTrigger)

/** The mark `row` as a (group, person, code, day, month) key, in its group or in group 0 (code null for a mark of no one). */
const keyOf = (row: string, group: string) => `SELECT ${group} AS g, coalesce(${row}.participant_id, 0) AS p,
  CASE WHEN ${row}.participant_id IS NULL THEN ${row}.anonymous_code ELSE '' END AS c, s.session_date AS d, substr(s.session_date, 1, 7) AS m
  FROM group_sessions s WHERE s.id = ${row}.session_id`

/** The next later row's prev_day, set again, for the mark `row` in `group` (the session's group, or 0). */
function nextRow(row: string, group: string): string {
  const person = `coalesce(${row}.participant_id, 0)`
  const code = `CASE WHEN ${row}.participant_id IS NULL THEN ${row}.anonymous_code ELSE '' END`
  const month = `substr((SELECT s.session_date FROM group_sessions s WHERE s.id = ${row}.session_id), 1, 7)`
  return `UPDATE report_group_people SET prev_day = ${prevDay}
   WHERE group_id = ${group} AND participant_id = ${person} AND code = ${code}
     AND month = (SELECT min(r3.month) FROM report_group_people r3 WHERE r3.group_id = ${group} AND r3.participant_id = ${person} AND r3.code = ${code} AND r3.month > ${month})
     AND prev_day IS NOT ${prevDay};`
}

/** The mark `row` counted: its day added to its two rows, made if missing, and the next rows' prev_day. */
export function add(row: string): string {
  const group = `(SELECT s.group_id FROM group_sessions s WHERE s.id = ${row}.session_id)`
  return `
  INSERT INTO report_group_people (group_id, participant_id, code, month, days, first_day, last_day, prev_day)
    SELECT x.g, x.p, x.c, x.m, ${bit('x.d')}, x.d, x.d, (SELECT r2.last_day FROM report_group_people r2
             WHERE r2.group_id = x.g AND r2.participant_id = x.p AND r2.code = x.c AND r2.month < x.m ORDER BY r2.month DESC LIMIT 1)
      FROM (${keyOf(row, 's.group_id')} UNION ALL ${keyOf(row, '0')}) x WHERE x.c IS NOT NULL
    ON CONFLICT (group_id, participant_id, code, month) DO UPDATE
       SET days = days | excluded.days, first_day = min(first_day, excluded.first_day), last_day = max(last_day, excluded.last_day)
     WHERE (days & excluded.days) = 0;
  ${nextRow(row, group)}
  ${nextRow(row, '0')}`
}

/** The update only starts the mark counting. */
export const STARTS_COUNTING = `${SAME_MARK} AND OLD.status NOT IN ${ATTENDED} AND NEW.status IN ${ATTENDED}`
/** The update may uncount a day: the mark moved, or stopped counting. */
export const NEEDS_RECOUNT = `NOT (${SAME_MARK}) OR (OLD.status IN ${ATTENDED} AND NEW.status NOT IN ${ATTENDED})`

export const statements = [
  `DROP TRIGGER report_group_people_mark_insert`,
  `CREATE TRIGGER report_group_people_mark_insert AFTER INSERT ON attendance WHEN NEW.status IN ${ATTENDED}
   BEGIN ${add('NEW')} END`,
  `DROP TRIGGER report_group_people_mark_update`,
  `CREATE TRIGGER report_group_people_mark_update AFTER UPDATE OF session_id, participant_id, anonymous_code, status ON attendance
   WHEN ${NEEDS_RECOUNT}
   BEGIN ${refresh(`${markOf('OLD')} UNION ${markOf('NEW')}`)} END`,
  `CREATE TRIGGER report_group_people_mark_counts AFTER UPDATE OF session_id, participant_id, anonymous_code, status ON attendance
   WHEN ${STARTS_COUNTING}
   BEGIN ${add('NEW')} END`,
  ...groupDaysTriggers.flatMap((trigger) => [`DROP TRIGGER ${/^CREATE TRIGGER (\w+)/.exec(trigger)![1]}`, trigger]),
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

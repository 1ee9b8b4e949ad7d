import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A range that starts mid-month counts, in its first month, the people with a day on or after its
 * start: the rows of that month whose last day is on or after it. Those were found by reading the
 * whole month of report_person_months (some 40,000 rows at a busy center) and of
 * report_group_people, row by row, for the current period and the one before it.
 *
 * report_last_days and report_group_last_days hold how many rows of each month have each last day
 * (by kind, service and coded; by group), so that count is at most 31 summed rows per key. Kept by
 * triggers on the two roll-ups they count, row by row in the same transaction: a row in adds one at
 * its last day, a row out takes one away, a row whose last day moves (a sign-in on a later day of
 * the month) moves one from the old day to the new; a sign-in on a day already counted changes
 * nothing here. Keyed by month and day first, so a sign-in's additions (each kind and service, a
 * group and all groups) share one page, and its removals, at the person's previous day of the
 * month, one more (often the same: a page holds a week or so of days). `admin verify`
 * recounts both from the rows (reports/rollups.ts). The words are the same in PostgreSQL, whose
 * twin takes them from here.
 */

/** Adds (`sign` 1) or takes away (-1) one report_person_months row (`row`: NEW or OLD) at its last day. */
export const lastDayDelta = (row: string, sign: 1 | -1) => [
  `INSERT INTO report_last_days AS t (month, kind, service_id, coded, last_day, people)
     VALUES (${row}.month, ${row}.kind, ${row}.service_id, CASE WHEN ${row}.participant_id = 0 THEN 1 ELSE 0 END, ${row}.last_day, ${sign})
     ON CONFLICT (month, last_day, kind, service_id, coded) DO UPDATE SET people = t.people + excluded.people;`,
  `DELETE FROM report_last_days WHERE people = 0 AND month = ${row}.month AND kind = ${row}.kind AND service_id = ${row}.service_id
     AND coded = CASE WHEN ${row}.participant_id = 0 THEN 1 ELSE 0 END AND last_day = ${row}.last_day;`,
]

/** The same for one report_group_people row. */
export const groupLastDayDelta = (row: string, sign: 1 | -1) => [
  `INSERT INTO report_group_last_days AS t (month, group_id, last_day, people)
     VALUES (${row}.month, ${row}.group_id, ${row}.last_day, ${sign})
     ON CONFLICT (month, last_day, group_id) DO UPDATE SET people = t.people + excluded.people;`,
  `DELETE FROM report_group_last_days WHERE people = 0 AND month = ${row}.month AND group_id = ${row}.group_id AND last_day = ${row}.last_day;`,
]

/** When a row's count moves: its last day, or (never done today, but counted right if it were) its month or key. */
export const MOVED = {
  person: ['month', 'kind', 'service_id', 'participant_id', 'last_day'],
  group: ['month', 'group_id', 'last_day'],
} as const

/** Both tables from their roll-ups (the backfill; reports/rollups.ts has the same for verify). */
export const BACKFILL = [
  `INSERT INTO report_last_days (month, kind, service_id, coded, last_day, people)
   SELECT month, kind, service_id, CASE WHEN participant_id = 0 THEN 1 ELSE 0 END, last_day, count(*)
     FROM report_person_months GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 5, 2, 3, 4`,
  `INSERT INTO report_group_last_days (month, group_id, last_day, people)
   SELECT month, group_id, last_day, count(*) FROM report_group_people GROUP BY 1, 2, 3 ORDER BY 1, 3, 2`,
]

const tables = [
  `CREATE TABLE report_last_days (
     month TEXT NOT NULL,
     kind INTEGER NOT NULL,
     service_id INTEGER NOT NULL,
     coded INTEGER NOT NULL,
     last_day TEXT NOT NULL,
     people INTEGER NOT NULL,
     PRIMARY KEY (month, last_day, kind, service_id, coded)
   ) WITHOUT ROWID`,
  `CREATE TABLE report_group_last_days (
     month TEXT NOT NULL,
     group_id INTEGER NOT NULL,
     last_day TEXT NOT NULL,
     people INTEGER NOT NULL,
     PRIMARY KEY (month, last_day, group_id)
   ) WITHOUT ROWID`,
]

/** SQLite spells "differs" IS NOT; PostgreSQL, IS DISTINCT FROM (its twin's words). */
const differs = (columns: readonly string[]) => columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')

const triggers = [
  `CREATE TRIGGER report_last_days_insert AFTER INSERT ON report_person_months BEGIN ${lastDayDelta('NEW', 1).join(' ')} END`,
  `CREATE TRIGGER report_last_days_delete AFTER DELETE ON report_person_months BEGIN ${lastDayDelta('OLD', -1).join(' ')} END`,
  `CREATE TRIGGER report_last_days_update AFTER UPDATE OF ${MOVED.person.join(', ')} ON report_person_months WHEN ${differs(MOVED.person)}
   BEGIN ${[...lastDayDelta('OLD', -1), ...lastDayDelta('NEW', 1)].join(' ')} END`,
  `CREATE TRIGGER report_group_last_days_insert AFTER INSERT ON report_group_people BEGIN ${groupLastDayDelta('NEW', 1).join(' ')} END`,
  `CREATE TRIGGER report_group_last_days_delete AFTER DELETE ON report_group_people BEGIN ${groupLastDayDelta('OLD', -1).join(' ')} END`,
  `CREATE TRIGGER report_group_last_days_update AFTER UPDATE OF ${MOVED.group.join(', ')} ON report_group_people WHEN ${differs(MOVED.group)}
   BEGIN ${[...groupLastDayDelta('OLD', -1), ...groupLastDayDelta('NEW', 1)].join(' ')} END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...BACKFILL, ...triggers]) await sql.raw(statement).execute(db)
}

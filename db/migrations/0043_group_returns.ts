import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * The groups' people over a range (each person once per group, and once over all groups) counted
 * every row of report_group_people after the range's first month whose previous day came before
 * the range: some 40,000 rows a year at a busy center, for the current period and the one before.
 *
 * report_group_month_returns and report_group_day_returns hold, as report_month_returns and
 * report_day_returns (0012) do for report_person_months, how many rows of each month and group have
 * their previous day in each earlier month ('' for none) and on each earlier day; a range is then
 * counted from some hundreds of summed rows (reports/people.ts). Kept by triggers on
 * report_group_people, row by row in the same transaction: a row in adds one, a row out takes one
 * away, a row whose previous day moves (a mark on an earlier month entered late) moves one. A mark
 * on a person already counted in the month changes nothing here. Keyed by month and previous month
 * first, so a mark's group and all groups (group 0) land side by side. `admin verify` recounts both from
 * the marks (reports/rollups.ts). The words are the same in PostgreSQL, whose twin takes them from here.
 */

const prevMonth = (row: string) => `coalesce(substr(${row}.prev_day, 1, 7), '')`

/** Adds (`sign` 1) or takes away (-1) one report_group_people row (`row`: NEW or OLD) from both returns tables. */
export const groupReturnsDelta = (row: string, sign: 1 | -1) => [
  `INSERT INTO report_group_month_returns AS t (month, group_id, prev_month, people) VALUES (${row}.month, ${row}.group_id, ${prevMonth(row)}, ${sign})
     ON CONFLICT (month, prev_month, group_id) DO UPDATE SET people = t.people + excluded.people;`,
  `DELETE FROM report_group_month_returns WHERE people = 0 AND month = ${row}.month AND group_id = ${row}.group_id AND prev_month = ${prevMonth(row)};`,
  `INSERT INTO report_group_day_returns AS t (month, group_id, prev_day, people) SELECT ${row}.month, ${row}.group_id, ${row}.prev_day, ${sign} WHERE ${row}.prev_day IS NOT NULL
     ON CONFLICT (prev_day, month, group_id) DO UPDATE SET people = t.people + excluded.people;`,
  `DELETE FROM report_group_day_returns WHERE people = 0 AND prev_day = ${row}.prev_day AND month = ${row}.month AND group_id = ${row}.group_id;`,
]

/** When a row moves between returns: its previous day, or (never done today, but counted right if it were) its month or group. */
export const MOVED = ['month', 'group_id', 'prev_day'] as const

/** Both tables from report_group_people (the backfill; reports/rollups.ts has the same for verify). */
export const BACKFILL = [
  `INSERT INTO report_group_month_returns (month, group_id, prev_month, people)
   SELECT month, group_id, coalesce(substr(prev_day, 1, 7), ''), count(*) FROM report_group_people GROUP BY 1, 2, 3 ORDER BY 1, 3, 2`,
  `INSERT INTO report_group_day_returns (month, group_id, prev_day, people)
   SELECT month, group_id, prev_day, count(*) FROM report_group_people WHERE prev_day IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 3, 1, 2`,
]

const tables = [
  `CREATE TABLE report_group_month_returns (
     month TEXT NOT NULL,
     group_id INTEGER NOT NULL,
     prev_month TEXT NOT NULL,
     people INTEGER NOT NULL,
     PRIMARY KEY (month, prev_month, group_id)
   ) WITHOUT ROWID`,
  `CREATE TABLE report_group_day_returns (
     month TEXT NOT NULL,
     group_id INTEGER NOT NULL,
     prev_day TEXT NOT NULL,
     people INTEGER NOT NULL,
     PRIMARY KEY (prev_day, month, group_id)
   ) WITHOUT ROWID`,
]

const triggers = [
  `CREATE TRIGGER report_group_returns_insert AFTER INSERT ON report_group_people BEGIN ${groupReturnsDelta('NEW', 1).join(' ')} END`,
  `CREATE TRIGGER report_group_returns_delete AFTER DELETE ON report_group_people BEGIN ${groupReturnsDelta('OLD', -1).join(' ')} END`,
  `CREATE TRIGGER report_group_returns_update AFTER UPDATE OF ${MOVED.join(', ')} ON report_group_people
   WHEN ${MOVED.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}
   BEGIN ${[...groupReturnsDelta('OLD', -1), ...groupReturnsDelta('NEW', 1)].join(' ')} END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...BACKFILL, ...triggers]) await sql.raw(statement).execute(db)
}

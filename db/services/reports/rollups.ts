import { sql, type Kysely, type RawBuilder } from 'kysely'
import { perBackend } from '../../backend'
import type { Database } from '../../schema'
import { visibleVisitText } from '../visible-visits'

/**
 * The reports' roll-ups as the rows say they should be: what `admin verify` compares them with,
 * and what a rebuild writes. The triggers of migrations 0012, 0026, 0027, 0032, 0037, 0038, 0042 and 0043 keep them in step with every write;
 * this is today's copy of the same counting (by the rules in rules.ts), written once more on
 * purpose so that a fault in the triggers shows as a difference. The check and the rebuild run on
 * both backends (RecountSpelling holds what differs); the records import's count is SQLite's.
 */

/** A visit that counts is also visible: not part of a records import still going in (migration 0029). */
const VISIBLE = visibleVisitText('v')

/**
 * What the recount's SQL text spells differently on each backend, the only place it does. Both
 * spell a day's bit and a visit's quarter-hour slot as their triggers do (PostgreSQL through the
 * functions its baseline migration made for its triggers).
 */
interface RecountSpelling {
  /** Bit d-1 for day d of a 'YYYY-MM-DD' date. */
  bit(date: string): string
  /** The quarter hour an ISO instant falls in, as an ISO instant (UTC). */
  slot(instant: string): string
  /** A table of the records, named so that a temporary table cannot shadow it. */
  records(table: string): string
  /** A temporary table of this connection. */
  temp(table: string): string
}

const sqliteSpelling: RecountSpelling = {
  bit: (date) => `(1 << (CAST(substr(${date}, 9, 2) AS INTEGER) - 1))`,
  slot: (instant) =>
    `(strftime('%Y-%m-%dT%H:', ${instant}) || printf('%02d', (CAST(strftime('%M', ${instant}) AS INTEGER) / 15) * 15) || ':00.000Z')`,
  records: (table) => `main.${table}`,
  temp: (table) => `temp.${table}`,
}

const postgresSpelling: RecountSpelling = {
  bit: (date) => `report_bit(${date})`,
  slot: (instant) => `report_slot(${instant})`,
  records: (table) => table,
  temp: (table) => `pg_temp.${table}`,
}

const month = (date: string) => `substr(${date}, 1, 7)`
const pid = (v: string) => `coalesce(${v}.participant_id, 0)`
const code = (v: string) => `(CASE WHEN ${v}.participant_id IS NULL THEN ${v}.anonymous_code ELSE '' END)`

const DAYS_COLUMNS = 'day, service_id, slot, visits, registered, coded, quantity'
const MONTHS_COLUMNS = 'month, participant_id, code, kind, service_id, days, first_day, last_day, prev_day'
const MONTH_RETURNS_COLUMNS = 'month, kind, service_id, coded, prev_month, people'
const DAY_RETURNS_COLUMNS = 'month, kind, service_id, coded, prev_day, people'

/** The counting of the days and person months, and of the returns from person months, in one backend's spelling. */
function countingIn(s: RecountSpelling) {
  /** `days`: a condition on v.visit_date narrowing the count to some days ('' for all); `visible`: which visits count. */
  const expectedDays = (days = '', visible = VISIBLE) => `
  SELECT v.visit_date AS day, 0 AS service_id, ${s.slot('v.signed_in_at')} AS slot, count(*) AS visits, count(v.participant_id) AS registered,
         count(v.anonymous_code) AS coded, 0 AS quantity
    FROM visits v WHERE v.voided_at IS NULL AND ${visible} ${days} GROUP BY 1, 3
  UNION ALL
  SELECT v.visit_date, vs.service_id, '', count(*), 0, 0, sum(vs.quantity)
    FROM visits v JOIN visit_services vs ON vs.visit_id = v.id WHERE v.voided_at IS NULL AND ${visible} ${days} GROUP BY 1, 2`

  /** `people(column)`: a condition narrowing the count to some registered people ('' for everyone); `visible`: which visits count. */
  const expectedMonths = (people: (column: string) => string = () => '', visible = VISIBLE) => `
  SELECT m AS month, p AS participant_id, c AS code, k AS kind, s AS service_id, days, first_day, last_day,
         lag(last_day) OVER (PARTITION BY p, c, k, s ORDER BY m) AS prev_day FROM (
    SELECT ${month('v.visit_date')} AS m, ${pid('v')} AS p, ${code('v')} AS c, 1 AS k, 0 AS s,
           sum(DISTINCT ${s.bit('v.visit_date')}) AS days, min(v.visit_date) AS first_day, max(v.visit_date) AS last_day
      FROM visits v WHERE v.voided_at IS NULL AND ${visible} AND ${code('v')} IS NOT NULL ${people('v.participant_id')} GROUP BY 1, 2, 3
    UNION ALL
    SELECT ${month('d.day')}, d.pid, '', 2, 0, sum(DISTINCT ${s.bit('d.day')}), min(d.day), max(d.day) FROM (
      SELECT v.participant_id AS pid, v.visit_date AS day FROM visits v WHERE v.voided_at IS NULL AND ${visible} AND v.participant_id IS NOT NULL ${people('v.participant_id')}
      UNION ALL SELECT r.participant_id, r.referred_on FROM referrals r WHERE true ${people('r.participant_id')}
      UNION ALL SELECT a.participant_id, a.taken_on FROM assessments a WHERE a.voided_at IS NULL ${people('a.participant_id')}
      UNION ALL SELECT t.participant_id, s.session_date FROM attendance t JOIN group_sessions s ON s.id = t.session_id
        WHERE t.participant_id IS NOT NULL AND t.status IN ('present', 'late') ${people('t.participant_id')}
    ) d GROUP BY 1, 2
    UNION ALL
    SELECT ${month('v.visit_date')}, ${pid('v')}, ${code('v')}, 3, vs.service_id, sum(DISTINCT ${s.bit('v.visit_date')}), min(v.visit_date), max(v.visit_date)
      FROM visits v JOIN visit_services vs ON vs.visit_id = v.id WHERE v.voided_at IS NULL AND ${visible} AND ${code('v')} IS NOT NULL ${people('v.participant_id')} GROUP BY 1, 2, 3, 5
  ) AS counted`

  // A comparison is 0 or 1 on SQLite, a boolean on PostgreSQL: cast, as `coded` is a number in both.
  const monthReturnsOf = (rows: string) =>
    `SELECT month, kind, service_id, CAST(participant_id = 0 AS INTEGER), coalesce(substr(prev_day, 1, 7), ''), count(*) FROM (${rows}) AS r GROUP BY 1, 2, 3, 4, 5`
  const dayReturnsOf = (rows: string) =>
    `SELECT month, kind, service_id, CAST(participant_id = 0 AS INTEGER), prev_day, count(*) FROM (${rows}) AS r WHERE prev_day IS NOT NULL GROUP BY 1, 2, 3, 4, 5`

  return { expectedDays, expectedMonths, monthReturnsOf, dayReturnsOf }
}

/** The import's count (prepareImportCount, countImportIn) is SQLite's alone for now. */
const { expectedDays, expectedMonths, monthReturnsOf, dayReturnsOf } = countingIn(sqliteSpelling)

const REFERRAL_STATES_COLUMNS = 'referred_on, referral_id, type, status_now, accepted_at, got_help_at, last_at, last_status, last_follow_up_on'
/** Each referral's row of report_referral_states (migration 0026): its first acceptance and help, and its latest event. */
const EXPECTED_REFERRAL_STATES = `
  SELECT r.referred_on, r.id AS referral_id, r.type, r.status AS status_now,
         (SELECT min(e.at) FROM referral_events e WHERE e.referral_id = r.id AND e.status IN ('eligible', 'got_help')) AS accepted_at,
         (SELECT min(e.at) FROM referral_events e WHERE e.referral_id = r.id AND e.status = 'got_help') AS got_help_at,
         (SELECT max(e.at) FROM referral_events e WHERE e.referral_id = r.id) AS last_at,
         (SELECT e.status FROM referral_events e WHERE e.referral_id = r.id ORDER BY e.id DESC LIMIT 1) AS last_status,
         (SELECT e.follow_up_on FROM referral_events e WHERE e.referral_id = r.id ORDER BY e.id DESC LIMIT 1) AS last_follow_up_on
    FROM referrals r`

const REFERRAL_MONTHS_COLUMNS = 'month, type, status, made, accepted, connected'
/** report_referral_months (migration 0038): each month's referrals by kind and status at their latest event, from the referrals' rows. */
const EXPECTED_REFERRAL_MONTHS = `
  SELECT substr(s.referred_on, 1, 7), s.type, coalesce(s.last_status, s.status_now), count(*), count(s.accepted_at), count(s.got_help_at)
    FROM (${EXPECTED_REFERRAL_STATES}) AS s GROUP BY 1, 2, 3`

const GROUP_DAYS_COLUMNS = 'day, group_id, attended, expected, came'
/** One group's marks as rule 6 counts them: (group, day, person), a person being an id or else a code. */
const GROUP_MARKS = `SELECT DISTINCT s.group_id, s.session_date AS day, t.participant_id AS pid, CASE WHEN t.participant_id IS NULL THEN t.anonymous_code END AS code
    FROM attendance t JOIN group_sessions s ON s.id = t.session_id
   WHERE t.status IN ('present', 'late') AND (t.participant_id IS NOT NULL OR t.anonymous_code IS NOT NULL)`
/**
 * report_group_days (migration 0027), counted here group by group rather than day by day as the
 * triggers do: every (group, day) with a session, and every such day over all groups (group 0).
 */
const EXPECTED_GROUP_DAYS = `
  SELECT k.day, k.group_id, coalesce(a.n, 0), coalesce(x.expected, 0), coalesce(x.came, 0)
    FROM (SELECT DISTINCT group_id, session_date AS day FROM group_sessions UNION SELECT DISTINCT 0, session_date FROM group_sessions) k
    LEFT JOIN (SELECT m.group_id, m.day, count(*) AS n FROM (${GROUP_MARKS}) m GROUP BY 1, 2
               UNION ALL SELECT 0, d.day, count(*) FROM (SELECT DISTINCT m.day, m.pid, m.code FROM (${GROUP_MARKS}) m) d GROUP BY 2) a
      ON a.group_id = k.group_id AND a.day = k.day
    LEFT JOIN (SELECT x.group_id, x.day, count(*) AS expected, sum(x.came) AS came FROM (
                 SELECT DISTINCT s.group_id, s.session_date AS day, e.participant_id,
                        CAST(EXISTS (SELECT 1 FROM group_sessions h JOIN attendance t ON t.session_id = h.id WHERE h.group_id = s.group_id
                                  AND h.session_date = s.session_date AND h.status = 'held' AND t.participant_id = e.participant_id
                                  AND t.status IN ('present', 'late')) AS INTEGER) AS came
                   FROM group_sessions s JOIN enrollments e ON e.group_id = s.group_id
                  WHERE s.status = 'held' AND e.enrolled_on IS NOT NULL AND e.enrolled_on <= s.session_date
                    AND (e.ended_on IS NULL OR e.ended_on >= s.session_date)) x GROUP BY 1, 2) x
      ON x.group_id = k.group_id AND x.day = k.day`

const GROUP_PEOPLE_COLUMNS = 'group_id, participant_id, code, month, days, first_day, last_day, prev_day'
/**
 * report_group_people (migration 0032) as rule 6 counts it: per group (and over all groups, group
 * 0), person (an id, or 0 and a code) and month, the days attended, the first and last, and the
 * last before the month; from each group's distinct (day, person) marks.
 */
const expectedGroupPeople = (s: RecountSpelling) => `
  SELECT g, p, c, m, days, first_day, last_day, lag(last_day) OVER (PARTITION BY g, p, c ORDER BY m) AS prev_day FROM (
    SELECT d.g, d.p, d.c, substr(d.day, 1, 7) AS m, sum(${s.bit('d.day')}) AS days, min(d.day) AS first_day, max(d.day) AS last_day FROM (
      SELECT DISTINCT x.g, coalesce(x.pid, 0) AS p, coalesce(x.code, '') AS c, x.day
        FROM (SELECT k.group_id AS g, k.pid, k.code, k.day FROM (${GROUP_MARKS}) k UNION ALL SELECT 0, k.pid, k.code, k.day FROM (${GROUP_MARKS}) k) x
       WHERE x.pid IS NOT NULL OR x.code IS NOT NULL
    ) d GROUP BY 1, 2, 3, 4
  ) AS counted`

const ASSESSMENT_STEPS_COLUMNS = 'taken_on, participant_id, assessment_id, first_total, total, earlier, next_on'
/** report_assessment_steps (migration 0037): each counted assessment with the person's first total, whether they have an earlier one, and the day of their next. */
const EXPECTED_ASSESSMENT_STEPS = `
  SELECT a.taken_on, a.participant_id, a.id, first_value(a.total) OVER w, a.total, CASE WHEN row_number() OVER w > 1 THEN 1 ELSE 0 END, lead(a.taken_on) OVER w
    FROM assessments a WHERE a.voided_at IS NULL
  WINDOW w AS (PARTITION BY a.participant_id ORDER BY a.taken_on, a.id)`

const LAST_DAYS_COLUMNS = 'month, kind, service_id, coded, last_day, people'
/** report_last_days (migration 0042): how many person months of each month have each last day, from the expected person months. */
const lastDaysOf = (rows: string) =>
  `SELECT month, kind, service_id, CAST(participant_id = 0 AS INTEGER), last_day, count(*) FROM (${rows}) AS r GROUP BY 1, 2, 3, 4, 5`

const GROUP_LAST_DAYS_COLUMNS = 'month, group_id, last_day, people'
/** report_group_last_days (migration 0042): the same for each group's people, from the group people as rule 6 counts them. */
const groupLastDaysOf = (groupPeople: string) => `SELECT m, g, last_day, count(*) FROM (${groupPeople}) AS x GROUP BY 1, 2, 3`

const GROUP_MONTH_RETURNS_COLUMNS = 'month, group_id, prev_month, people'
const GROUP_DAY_RETURNS_COLUMNS = 'month, group_id, prev_day, people'
/** report_group_month_returns and report_group_day_returns (migration 0043), from the group people as rule 6 counts them. */
const groupMonthReturnsOf = (groupPeople: string) => `SELECT m, g, coalesce(substr(prev_day, 1, 7), ''), count(*) FROM (${groupPeople}) AS x GROUP BY 1, 2, 3`
const groupDayReturnsOf = (groupPeople: string) => `SELECT m, g, prev_day, count(*) FROM (${groupPeople}) AS x WHERE prev_day IS NOT NULL GROUP BY 1, 2, 3`

interface Rollup {
  table: (typeof ROLLUP_TABLES)[number]
  columns: string
  /** The rows it should hold, from the expected days and person months counted once into temporary tables. */
  expected: string
}

/** Every roll-up `admin verify` recounts and a rebuild writes again. */
export const ROLLUP_TABLES = [
  'report_days',
  'report_person_months',
  'report_month_returns',
  'report_day_returns',
  'report_referral_states',
  // After report_referral_states: a rebuild empties it once the states' rows are gone, and the states' triggers fill it again.
  'report_referral_months',
  'report_group_days',
  'report_group_people',
  'report_assessment_steps',
  // These four are filled by the triggers of report_person_months and report_group_people as a rebuild writes them.
  'report_last_days',
  'report_group_last_days',
  'report_group_month_returns',
  'report_group_day_returns',
] as const

/** Everything the check and the rebuild run, in one backend's spelling. */
function recountIn(spelling: RecountSpelling) {
  const counting = countingIn(spelling)
  const { temp } = spelling
  const rollups: Rollup[] = [
    { table: 'report_days', columns: DAYS_COLUMNS, expected: `SELECT ${DAYS_COLUMNS} FROM ${temp('expected_days')}` },
    { table: 'report_person_months', columns: MONTHS_COLUMNS, expected: `SELECT ${MONTHS_COLUMNS} FROM ${temp('expected_months')}` },
    { table: 'report_month_returns', columns: MONTH_RETURNS_COLUMNS, expected: counting.monthReturnsOf(`SELECT * FROM ${temp('expected_months')}`) },
    { table: 'report_day_returns', columns: DAY_RETURNS_COLUMNS, expected: counting.dayReturnsOf(`SELECT * FROM ${temp('expected_months')}`) },
    { table: 'report_referral_states', columns: REFERRAL_STATES_COLUMNS, expected: EXPECTED_REFERRAL_STATES },
    { table: 'report_referral_months', columns: REFERRAL_MONTHS_COLUMNS, expected: EXPECTED_REFERRAL_MONTHS },
    { table: 'report_group_days', columns: GROUP_DAYS_COLUMNS, expected: EXPECTED_GROUP_DAYS },
    { table: 'report_group_people', columns: GROUP_PEOPLE_COLUMNS, expected: expectedGroupPeople(spelling) },
    { table: 'report_assessment_steps', columns: ASSESSMENT_STEPS_COLUMNS, expected: EXPECTED_ASSESSMENT_STEPS },
    { table: 'report_last_days', columns: LAST_DAYS_COLUMNS, expected: lastDaysOf(`SELECT * FROM ${temp('expected_months')}`) },
    { table: 'report_group_last_days', columns: GROUP_LAST_DAYS_COLUMNS, expected: groupLastDaysOf(expectedGroupPeople(spelling)) },
    { table: 'report_group_month_returns', columns: GROUP_MONTH_RETURNS_COLUMNS, expected: groupMonthReturnsOf(expectedGroupPeople(spelling)) },
    { table: 'report_group_day_returns', columns: GROUP_DAY_RETURNS_COLUMNS, expected: groupDayReturnsOf(expectedGroupPeople(spelling)) },
  ]
  return { spelling, rollups, groupPeople: expectedGroupPeople(spelling), days: counting.expectedDays(), months: counting.expectedMonths() }
}

const recountFor = perBackend({ sqlite: recountIn(sqliteSpelling), postgres: recountIn(postgresSpelling) })

export interface RollupCheck {
  table: Rollup['table']
  /** Rows the roll-up should hold and does not (or holds with other counts). */
  missing: number
  /** Rows it holds that the records do not give. */
  extra: number
}

const raw = (text: string): RawBuilder<unknown> => sql.raw(text)

/**
 * Recounts every roll-up from the rows and says, table by table, how far each is from them. Writes
 * only temporary tables (so it runs on a database opened read-only); use one connection at a time.
 */
export async function checkRollups(db: Kysely<Database>): Promise<RollupCheck[]> {
  const { spelling, rollups, days, months } = recountFor(db)
  // Temporary tables belong to one connection: on PostgreSQL's pool, hold one for the whole check.
  return db.connection().execute(async (conn) => {
    const count = async (query: string) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM (${raw(query)}) AS q`.execute(conn)).rows[0]?.n ?? 0)
    try {
      await sql`CREATE TEMP TABLE expected_days AS ${raw(days)}`.execute(conn)
      await sql`CREATE TEMP TABLE expected_months AS ${raw(months)}`.execute(conn)
      const out: RollupCheck[] = []
      for (const rollup of rollups) {
        const actual = `SELECT ${rollup.columns} FROM ${spelling.records(rollup.table)}`
        out.push({ table: rollup.table, missing: await count(`${rollup.expected} EXCEPT ${actual}`), extra: await count(`${actual} EXCEPT ${rollup.expected}`) })
      }
      return out
    } finally {
      await sql`DROP TABLE IF EXISTS ${raw(spelling.temp('expected_days'))}`.execute(conn)
      await sql`DROP TABLE IF EXISTS ${raw(spelling.temp('expected_months'))}`.execute(conn)
    }
  })
}

/**
 * Throws the roll-ups away and counts them again from the rows, in one transaction (the repair
 * when `admin verify` finds them wrong). The returns tables and report_last_days fill through the person months'
 * triggers, report_referral_months through the referral states', report_group_last_days and the group returns through the group people's.
 */
export async function rebuildRollups(db: Kysely<Database>): Promise<void> {
  const { days, months, groupPeople } = recountFor(db)
  await db.transaction().execute(async (trx) => {
    for (const table of ROLLUP_TABLES) await trx.deleteFrom(table).execute()
    await sql`INSERT INTO report_days (${raw(DAYS_COLUMNS)}) ${raw(days)}`.execute(trx)
    await sql`INSERT INTO report_person_months (${raw(MONTHS_COLUMNS)}) ${raw(months)}`.execute(trx)
    await sql`INSERT INTO report_referral_states (${raw(REFERRAL_STATES_COLUMNS)}) ${raw(EXPECTED_REFERRAL_STATES)} ORDER BY 1, 2`.execute(trx)
    await sql`INSERT INTO report_group_days (${raw(GROUP_DAYS_COLUMNS)}) ${raw(EXPECTED_GROUP_DAYS)} ORDER BY 1, 2`.execute(trx)
    await sql`INSERT INTO report_group_people (${raw(GROUP_PEOPLE_COLUMNS)}) ${raw(groupPeople)} ORDER BY 1, 2, 3, 4`.execute(trx)
    await sql`INSERT INTO report_assessment_steps (${raw(ASSESSMENT_STEPS_COLUMNS)}) ${raw(EXPECTED_ASSESSMENT_STEPS)} ORDER BY 1, 2, 3`.execute(trx)
  })
}

/** The triggers that keep the returns tables in step with report_person_months row by row. */
const PERSON_MONTH_TRIGGERS = ['report_person_months_insert', 'report_person_months_delete', 'report_person_months_update']

/**
 * A records import's roll-ups, counted in two steps so that its switch (records-import/write.ts)
 * holds the write lock briefly. SQLite's SQL and this connection's temporary tables: call both on
 * the same connection, the first outside any transaction, the second inside the switch's.
 *
 * prepareImportCount, before the switch, takes no lock: it counts the person months of the file's
 * people as they will be once the file counts (import_new), beside their rows as they are now
 * (import_old), and the file's own additions to report_days (import_days_add: a day's counts are
 * sums, so the file's visits add to them whatever else happened that day).
 *
 * countImportIn, in the switch: a person whose rows moved since (the desk signed them in, a merge)
 * is counted again there, from the rows; everyone else's counted rows go in as prepared. That is
 * exact: a person's rows are their active days, month by month, so rows unchanged mean days
 * unchanged, and the file's days join them the same way. The returns tables move by the difference
 * between the rows taken out and put in, never recounted whole.
 */
const PREPARED = ['import_people', 'import_old', 'import_new', 'import_days_add', 'import_month_add', 'import_day_add', 'import_changed', 'import_returns'] as const

const ofFile = (fileId: number) => `(${VISIBLE} OR v.import_file_id = ${Math.trunc(fileId)})`
const fileVisits = (fileId: number) => `AND v.import_file_id = ${Math.trunc(fileId)}`

async function dropPrepared(db: Kysely<Database>): Promise<void> {
  for (const table of PREPARED) await sql`DROP TABLE IF EXISTS ${sql.id('temp', table)}`.execute(db)
}

export async function prepareImportCount(db: Kysely<Database>, fileId: number): Promise<void> {
  await dropPrepared(db)
  const inPeople = (column: string) => `AND ${column} IN (SELECT participant_id FROM temp.import_people)`
  await sql`CREATE TEMP TABLE import_people AS SELECT DISTINCT participant_id FROM visits WHERE import_file_id = ${fileId} AND participant_id IS NOT NULL`.execute(db)
  await sql`CREATE TEMP TABLE import_old AS SELECT ${raw(MONTHS_COLUMNS)} FROM main.report_person_months WHERE code = '' AND participant_id IN (SELECT participant_id FROM temp.import_people)`.execute(db)
  await sql`CREATE TEMP TABLE import_new AS SELECT * FROM (${raw(expectedMonths(inPeople, ofFile(fileId)))}) ORDER BY 1, 2, 3, 4, 5`.execute(db)
  await sql`CREATE TEMP TABLE import_days_add AS ${raw(expectedDays(fileVisits(fileId), ofFile(fileId)))}`.execute(db)
  // What the new rows add to the returns tables, grouped here so the switch does not group them under its lock.
  await sql`CREATE TEMP TABLE import_month_add AS ${raw(monthReturnsOf('SELECT * FROM temp.import_new'))}`.execute(db)
  await sql`CREATE TEMP TABLE import_day_add AS ${raw(dayReturnsOf('SELECT * FROM temp.import_new'))}`.execute(db)
}

/** Inside the switch, after the file's pending mark is cleared (its visits count now). Drops the prepared tables. */
export async function countImportIn(trx: Kysely<Database>, fileId: number): Promise<void> {
  const person = (column: string) => `AND ${column} IN (SELECT participant_id FROM temp.import_changed)`
  // Who must be counted again here: rows changed since they were prepared, or the file's people changed (a merge moved its visits).
  await sql`CREATE TEMP TABLE import_changed AS
    SELECT participant_id FROM (SELECT ${raw(MONTHS_COLUMNS)} FROM main.report_person_months WHERE code = '' AND participant_id IN (SELECT participant_id FROM temp.import_people)
                                EXCEPT SELECT * FROM temp.import_old)
    UNION SELECT participant_id FROM (SELECT * FROM temp.import_old EXCEPT
                                SELECT ${raw(MONTHS_COLUMNS)} FROM main.report_person_months WHERE code = '' AND participant_id IN (SELECT participant_id FROM temp.import_people))
    UNION SELECT participant_id FROM (SELECT DISTINCT participant_id FROM visits WHERE import_file_id = ${fileId} AND participant_id IS NOT NULL
                                EXCEPT SELECT participant_id FROM temp.import_people)
    UNION SELECT participant_id FROM (SELECT participant_id FROM temp.import_people
                                EXCEPT SELECT DISTINCT participant_id FROM visits WHERE import_file_id = ${fileId} AND participant_id IS NOT NULL)`.execute(trx)
  await sql`INSERT INTO temp.import_people SELECT participant_id FROM temp.import_changed WHERE participant_id NOT IN (SELECT participant_id FROM temp.import_people)`.execute(trx)
  const affected = `SELECT ${MONTHS_COLUMNS} FROM main.report_person_months WHERE code = '' AND participant_id IN (SELECT participant_id FROM temp.import_people)`
  const triggers = (await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${sql.join(PERSON_MONTH_TRIGGERS)})`.execute(trx)).rows
  for (const name of PERSON_MONTH_TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.id(name)}`.execute(trx)
  // The returns tables: minus the rows taken out, plus the rows put in (the prepared ones grouped
  // beforehand, less those of people counted again here, plus theirs as counted here).
  const changed = `SELECT ${MONTHS_COLUMNS} FROM main.report_person_months WHERE code = '' AND participant_id IN (SELECT participant_id FROM temp.import_changed)`
  await sql`CREATE TEMP TABLE import_returns AS SELECT *, -1 AS sign FROM (${raw(affected)})`.execute(trx)
  await sql`INSERT INTO temp.import_returns SELECT *, -1 FROM temp.import_new WHERE participant_id IN (SELECT participant_id FROM temp.import_changed)`.execute(trx)
  await sql`DELETE FROM report_person_months WHERE code = '' AND participant_id IN (SELECT participant_id FROM temp.import_people)`.execute(trx)
  await sql`INSERT INTO report_person_months (${raw(MONTHS_COLUMNS)}) SELECT * FROM temp.import_new WHERE participant_id NOT IN (SELECT participant_id FROM temp.import_changed)`.execute(trx)
  await sql`INSERT INTO report_person_months (${raw(MONTHS_COLUMNS)}) SELECT * FROM (${raw(expectedMonths(person))}) ORDER BY 1, 2, 3, 4, 5`.execute(trx)
  await sql`INSERT INTO temp.import_returns SELECT *, 1 FROM (${raw(changed)})`.execute(trx)
  await sql`INSERT INTO report_month_returns (${raw(MONTH_RETURNS_COLUMNS)})
    SELECT month, kind, service_id, coded, prev_month, sum(people) FROM (
      SELECT month, kind, service_id, participant_id = 0 AS coded, coalesce(substr(prev_day, 1, 7), '') AS prev_month, sign AS people FROM temp.import_returns
      UNION ALL SELECT * FROM temp.import_month_add
    ) GROUP BY 1, 2, 3, 4, 5 HAVING sum(people) <> 0
    ON CONFLICT DO UPDATE SET people = people + excluded.people`.execute(trx)
  await sql`INSERT INTO report_day_returns (${raw(DAY_RETURNS_COLUMNS)})
    SELECT month, kind, service_id, coded, prev_day, sum(people) FROM (
      SELECT month, kind, service_id, participant_id = 0 AS coded, prev_day, sign AS people FROM temp.import_returns WHERE prev_day IS NOT NULL
      UNION ALL SELECT * FROM temp.import_day_add
    ) GROUP BY 1, 2, 3, 4, 5 HAVING sum(people) <> 0
    ON CONFLICT DO UPDATE SET people = people + excluded.people`.execute(trx)
  await sql`DELETE FROM report_month_returns WHERE people = 0`.execute(trx)
  await sql`DELETE FROM report_day_returns WHERE people = 0`.execute(trx)
  await sql`INSERT INTO report_days (${raw(DAYS_COLUMNS)}) SELECT * FROM temp.import_days_add WHERE true
    ON CONFLICT DO UPDATE SET visits = visits + excluded.visits, registered = registered + excluded.registered, coded = coded + excluded.coded, quantity = quantity + excluded.quantity`.execute(trx)
  for (const trigger of triggers) await sql.raw(trigger.sql).execute(trx)
  await dropPrepared(trx)
}

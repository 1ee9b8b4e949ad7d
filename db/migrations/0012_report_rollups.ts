import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Roll-ups for the dashboard and the funder report, kept by triggers in the same transaction as
 * every write to the rows they count (visits, their services, voids, merges and their undoing,
 * referrals, assessments, group attendance), so no write path can forget them. `admin verify`
 * recounts them from the rows (db/services/reports/rollups.ts holds today's copy of the same
 * statements).
 *
 * - report_days: per day, the counted visits by the quarter hour they signed in in (service_id 0;
 *   the slot is a UTC instant, so the center's clock is applied when counting, as for the raw rows),
 *   and per service the visits that included it and the items handed out (slot '').
 * - report_person_months: one row per person, month and kind of activity (1 visited: registered
 *   people and anonymous codes; 2 active by counting rule 4: registered people; 3 given a service),
 *   with the days of the month they were active as bits, their first and last such day, and their
 *   last such day before the month (prev_day).
 * - report_month_returns / report_day_returns: how many rows of a month have their prev_day in
 *   each earlier month / on each earlier day. Unduplicated people over a range are then counted
 *   without DISTINCT: a person counts once, on their first row in the range, which is the row
 *   whose prev_day falls before the range (see reports/people.ts).
 *
 * A sign-in's work lands on the newest pages of report_days and on the person's row of this
 * month (all kinds of one person sit side by side): one or two more pages written, not a scan.
 */

/** Bit d-1 for day d of a 'YYYY-MM-DD' date. */
const bit = (date: string) => `(1 << (CAST(substr(${date}, 9, 2) AS INTEGER) - 1))`
/** The quarter hour an ISO instant falls in, as an ISO instant. */
const slot = (instant: string) =>
  `(strftime('%Y-%m-%dT%H:', ${instant}) || printf('%02d', (CAST(strftime('%M', ${instant}) AS INTEGER) / 15) * 15) || ':00.000Z')`
const month = (date: string) => `substr(${date}, 1, 7)`
/** A visit's person in the roll-ups: (participant_id, code); code is null for an anonymous visit without one (no one to count). */
const pid = (v: string) => `coalesce(${v}.participant_id, 0)`
const code = (v: string) => `(CASE WHEN ${v}.participant_id IS NULL THEN ${v}.anonymous_code ELSE '' END)`
const ATTENDED = `('present', 'late')`

/** The person's last day of a kind before month m (from the roll-up itself). */
const prevDay = (p: string, c: string, kind: string, service: string, m: string) =>
  `(SELECT r2.last_day FROM report_person_months r2 WHERE r2.participant_id = ${p} AND r2.code = ${c} AND r2.kind = ${kind}
     AND r2.service_id = ${service} AND r2.month < ${m} ORDER BY r2.month DESC LIMIT 1)`

/** Visits of one person in one month, through the person's (or code's) index, bounded by sign-in time. */
function personVisits(p: string, c: string, m: string, alias = 'v'): string {
  const bounds = `${alias}.signed_in_at >= date(${m} || '-01', '-1 day') AND ${alias}.signed_in_at < date(${m} || '-01', '+1 month', '+1 day')
    AND ${alias}.visit_date >= ${m} || '-01' AND ${alias}.visit_date < date(${m} || '-01', '+1 month') AND ${alias}.voided_at IS NULL`
  return `((${p} > 0 AND ${alias}.participant_id = ${p}) OR (${p} = 0 AND ${alias}.participant_id IS NULL AND ${alias}.anonymous_code = ${c})) AND ${bounds}`
}

/** Recounts one person's rows of one month from the rows, and the prev_day of their later rows. */
function refreshPerson(p: string, c: string, m: string): string {
  const rows = `
    SELECT ${m}, ${p}, ${c}, 1, 0, sum(DISTINCT ${bit('v.visit_date')}), min(v.visit_date), max(v.visit_date), ${prevDay(p, c, '1', '0', m)}
      FROM visits v WHERE ${personVisits(p, c, m)} HAVING count(*) > 0
    UNION ALL
    SELECT ${m}, ${p}, ${c}, 2, 0, sum(DISTINCT ${bit('d.day')}), min(d.day), max(d.day), ${prevDay(p, c, '2', '0', m)}
      FROM (
        SELECT v.visit_date AS day FROM visits v WHERE ${personVisits(p, c, m)}
        UNION ALL SELECT r.referred_on FROM referrals r WHERE r.participant_id = ${p} AND ${month('r.referred_on')} = ${m}
        UNION ALL SELECT a.taken_on FROM assessments a WHERE a.participant_id = ${p} AND a.voided_at IS NULL AND ${month('a.taken_on')} = ${m}
        UNION ALL SELECT s.session_date FROM attendance t JOIN group_sessions s ON s.id = t.session_id
          WHERE t.participant_id = ${p} AND t.status IN ${ATTENDED} AND ${month('s.session_date')} = ${m}
      ) d WHERE ${p} > 0 HAVING count(*) > 0
    UNION ALL
    SELECT ${m}, ${p}, ${c}, 3, vs.service_id, sum(DISTINCT ${bit('v.visit_date')}), min(v.visit_date), max(v.visit_date), ${prevDay(p, c, '3', 'vs.service_id', m)}
      FROM visits v JOIN visit_services vs ON vs.visit_id = v.id WHERE ${personVisits(p, c, m)} GROUP BY vs.service_id`
  return `
    DELETE FROM report_person_months WHERE month = ${m} AND participant_id = ${p} AND code = ${c};
    INSERT INTO report_person_months (month, participant_id, code, kind, service_id, days, first_day, last_day, prev_day)
      SELECT * FROM (${rows}) WHERE ${c} IS NOT NULL;
    UPDATE report_person_months SET prev_day = ${prevDay(p, c, 'report_person_months.kind', 'report_person_months.service_id', 'report_person_months.month')}
      WHERE participant_id = ${p} AND code = ${c} AND month > ${m}
        AND prev_day IS NOT ${prevDay(p, c, 'report_person_months.kind', 'report_person_months.service_id', 'report_person_months.month')};`
}

/** Recounts one day of report_days from the rows. */
function refreshDay(day: string): string {
  return `
    DELETE FROM report_days WHERE day = ${day};
    INSERT INTO report_days (day, service_id, slot, visits, registered, coded, quantity)
      SELECT v.visit_date, 0, ${slot('v.signed_in_at')}, count(*), count(v.participant_id), count(v.anonymous_code), 0
        FROM visits v WHERE v.visit_date = ${day} AND v.voided_at IS NULL GROUP BY 3
      UNION ALL
      SELECT v.visit_date, vs.service_id, '', count(*), 0, 0, sum(vs.quantity)
        FROM visits v JOIN visit_services vs ON vs.visit_id = v.id WHERE v.visit_date = ${day} AND v.voided_at IS NULL GROUP BY 2;`
}

/** A new activity of a kind on a day: the person's row of the month gains the day (or is made). Also used by 0016. */
export function addDay(p: string, c: string, kinds: string, service: string, day: string): string {
  const m = month(day)
  return `
    INSERT INTO report_person_months (month, participant_id, code, kind, service_id, days, first_day, last_day, prev_day)
      SELECT ${m}, ${p}, ${c}, k.kind, ${service}, ${bit(day)}, ${day}, ${day}, ${prevDay(p, c, 'k.kind', service, m)}
        FROM (${kinds}) k WHERE ${c} IS NOT NULL
      ON CONFLICT DO UPDATE SET days = days | excluded.days, last_day = max(last_day, excluded.last_day);
    -- first_day is in an index: set only when it moves (a day entered late), so a sign-in does not rewrite that index's pages.
    UPDATE report_person_months SET first_day = ${day}
      WHERE month = ${m} AND participant_id = ${p} AND code = ${c} AND kind IN (SELECT kind FROM (${kinds})) AND service_id = ${service} AND first_day > ${day};
    UPDATE report_person_months SET prev_day = ${day}
      WHERE participant_id = ${p} AND code = ${c} AND kind IN (SELECT kind FROM (${kinds})) AND service_id = ${service} AND month > ${m}
        AND month = (SELECT min(r3.month) FROM report_person_months r3 WHERE r3.participant_id = ${p} AND r3.code = ${c}
          AND r3.kind = report_person_months.kind AND r3.service_id = ${service} AND r3.month > ${m})
        AND (prev_day IS NULL OR prev_day < ${day});`
}

const returnsDelta = (row: string, delta: number) => `
    INSERT INTO report_month_returns (month, kind, service_id, coded, prev_month, people)
      VALUES (${row}.month, ${row}.kind, ${row}.service_id, ${row}.participant_id = 0, coalesce(substr(${row}.prev_day, 1, 7), ''), ${delta})
      ON CONFLICT DO UPDATE SET people = people + excluded.people;
    DELETE FROM report_month_returns WHERE people = 0 AND month = ${row}.month AND kind = ${row}.kind AND service_id = ${row}.service_id
      AND coded = (${row}.participant_id = 0) AND prev_month = coalesce(substr(${row}.prev_day, 1, 7), '');
    INSERT INTO report_day_returns (month, kind, service_id, coded, prev_day, people)
      SELECT ${row}.month, ${row}.kind, ${row}.service_id, ${row}.participant_id = 0, ${row}.prev_day, ${delta} WHERE ${row}.prev_day IS NOT NULL
      ON CONFLICT DO UPDATE SET people = people + excluded.people;
    DELETE FROM report_day_returns WHERE people = 0 AND month = ${row}.month AND kind = ${row}.kind AND service_id = ${row}.service_id
      AND coded = (${row}.participant_id = 0) AND prev_day = ${row}.prev_day;`

const VISIT_PEOPLE_CHANGED = `OLD.participant_id IS NOT NEW.participant_id OR OLD.anonymous_code IS NOT NEW.anonymous_code
  OR OLD.visit_date IS NOT NEW.visit_date OR (OLD.voided_at IS NULL) <> (NEW.voided_at IS NULL)`
const VISIT_DAY_CHANGED = `OLD.visit_date IS NOT NEW.visit_date OR OLD.signed_in_at IS NOT NEW.signed_in_at OR (OLD.voided_at IS NULL) <> (NEW.voided_at IS NULL)
  OR (OLD.participant_id IS NULL) <> (NEW.participant_id IS NULL) OR OLD.anonymous_code IS NOT NEW.anonymous_code`

/** refreshPerson for the person and month of a referral, assessment or attendance row (registered people only). */
const refreshOf = (p: string, day: string) => refreshPerson(`coalesce(${p}, 0)`, `(CASE WHEN ${p} IS NULL THEN NULL ELSE '' END)`, month(day))
const sessionDate = (row: string) => `(SELECT s.session_date FROM group_sessions s WHERE s.id = ${row}.session_id)`

export const tables = [
  `CREATE TABLE report_days (
     day TEXT NOT NULL,
     service_id INTEGER NOT NULL,
     slot TEXT NOT NULL,
     visits INTEGER NOT NULL,
     registered INTEGER NOT NULL,
     coded INTEGER NOT NULL,
     quantity INTEGER NOT NULL,
     PRIMARY KEY (day, service_id, slot)
   ) WITHOUT ROWID`,
  `CREATE TABLE report_person_months (
     month TEXT NOT NULL,
     participant_id INTEGER NOT NULL,
     code TEXT NOT NULL,
     kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
     service_id INTEGER NOT NULL,
     days INTEGER NOT NULL,
     first_day TEXT NOT NULL,
     last_day TEXT NOT NULL,
     prev_day TEXT,
     PRIMARY KEY (month, participant_id, code, kind, service_id)
   ) WITHOUT ROWID`,
  `CREATE INDEX report_person_months_person ON report_person_months(participant_id, code, kind, service_id, month)`,
  `CREATE INDEX report_person_months_first ON report_person_months(kind, service_id, month, first_day, prev_day)`,
  `CREATE TABLE report_month_returns (
     month TEXT NOT NULL,
     kind INTEGER NOT NULL,
     service_id INTEGER NOT NULL,
     coded INTEGER NOT NULL,
     prev_month TEXT NOT NULL,
     people INTEGER NOT NULL,
     PRIMARY KEY (month, kind, service_id, coded, prev_month)
   ) WITHOUT ROWID`,
  `CREATE TABLE report_day_returns (
     month TEXT NOT NULL,
     kind INTEGER NOT NULL,
     service_id INTEGER NOT NULL,
     coded INTEGER NOT NULL,
     prev_day TEXT NOT NULL,
     people INTEGER NOT NULL,
     PRIMARY KEY (prev_day, month, kind, service_id, coded)
   ) WITHOUT ROWID`,
]

export const triggers = [
  // The returns tables follow report_person_months row by row.
  `CREATE TRIGGER report_person_months_insert AFTER INSERT ON report_person_months BEGIN ${returnsDelta('NEW', 1)} END`,
  `CREATE TRIGGER report_person_months_delete AFTER DELETE ON report_person_months BEGIN ${returnsDelta('OLD', -1)} END`,
  `CREATE TRIGGER report_person_months_update AFTER UPDATE OF prev_day ON report_person_months WHEN OLD.prev_day IS NOT NEW.prev_day
   BEGIN ${returnsDelta('OLD', -1)} ${returnsDelta('NEW', 1)} END`,

  // The desk's sign-in: counted as it comes, without recounting.
  `CREATE TRIGGER report_visits_insert AFTER INSERT ON visits WHEN NEW.voided_at IS NULL
   BEGIN
     INSERT INTO report_days (day, service_id, slot, visits, registered, coded, quantity)
       VALUES (NEW.visit_date, 0, ${slot('NEW.signed_in_at')}, 1, NEW.participant_id IS NOT NULL, NEW.anonymous_code IS NOT NULL, 0)
       ON CONFLICT DO UPDATE SET visits = visits + 1, registered = registered + excluded.registered, coded = coded + excluded.coded;
     ${addDay(pid('NEW'), code('NEW'), `SELECT 1 AS kind UNION ALL SELECT 2 WHERE NEW.participant_id IS NOT NULL`, '0', 'NEW.visit_date')}
   END`,
  `CREATE TRIGGER report_visit_services_insert AFTER INSERT ON visit_services
   WHEN (SELECT voided_at FROM visits WHERE id = NEW.visit_id) IS NULL
   BEGIN
     INSERT INTO report_days (day, service_id, slot, visits, registered, coded, quantity)
       SELECT v.visit_date, NEW.service_id, '', 1, 0, 0, NEW.quantity FROM visits v WHERE v.id = NEW.visit_id
       ON CONFLICT DO UPDATE SET visits = visits + 1, quantity = quantity + excluded.quantity;
     ${addDay(
       `(SELECT ${pid('v')} FROM visits v WHERE v.id = NEW.visit_id)`,
       `(SELECT ${code('v')} FROM visits v WHERE v.id = NEW.visit_id)`,
       `SELECT 3 AS kind`,
       'NEW.service_id',
       '(SELECT v.visit_date FROM visits v WHERE v.id = NEW.visit_id)',
     )}
   END`,

  // Everything else (voids, edits, merges and their undoing, deletions): the day and the person's month recounted.
  `CREATE TRIGGER report_visits_update_days AFTER UPDATE OF visit_date, signed_in_at, voided_at, participant_id, anonymous_code ON visits
   WHEN ${VISIT_DAY_CHANGED}
   BEGIN ${refreshDay('OLD.visit_date')} ${refreshDay('NEW.visit_date')} END`,
  `CREATE TRIGGER report_visits_update_people AFTER UPDATE OF visit_date, voided_at, participant_id, anonymous_code ON visits
   WHEN ${VISIT_PEOPLE_CHANGED}
   BEGIN ${refreshPerson(pid('OLD'), code('OLD'), month('OLD.visit_date'))} ${refreshPerson(pid('NEW'), code('NEW'), month('NEW.visit_date'))} END`,
  `CREATE TRIGGER report_visits_delete AFTER DELETE ON visits
   BEGIN ${refreshDay('OLD.visit_date')} ${refreshPerson(pid('OLD'), code('OLD'), month('OLD.visit_date'))} END`,
  ...(['UPDATE', 'DELETE'] as const).map(
    (event) => `CREATE TRIGGER report_visit_services_${event.toLowerCase()} AFTER ${event} ON visit_services
   BEGIN
     ${refreshDay('(SELECT visit_date FROM visits WHERE id = OLD.visit_id)')}
     ${refreshPerson(`(SELECT ${pid('v')} FROM visits v WHERE v.id = OLD.visit_id)`, `(SELECT ${code('v')} FROM visits v WHERE v.id = OLD.visit_id)`, `(SELECT ${month('v.visit_date')} FROM visits v WHERE v.id = OLD.visit_id)`)}
     ${event === 'UPDATE' ? refreshDay('(SELECT visit_date FROM visits WHERE id = NEW.visit_id)') : ''}
     ${event === 'UPDATE' ? refreshPerson(`(SELECT ${pid('v')} FROM visits v WHERE v.id = NEW.visit_id)`, `(SELECT ${code('v')} FROM visits v WHERE v.id = NEW.visit_id)`, `(SELECT ${month('v.visit_date')} FROM visits v WHERE v.id = NEW.visit_id)`) : ''}
   END`,
  ),

  // Rule 4's other activities: referrals made, assessments taken, group attendance. (A session with
  // attendance cannot be moved to another day, so its date never changes under a mark.)
  `CREATE TRIGGER report_referrals_insert AFTER INSERT ON referrals BEGIN ${refreshOf('NEW.participant_id', 'NEW.referred_on')} END`,
  `CREATE TRIGGER report_referrals_update AFTER UPDATE OF participant_id, referred_on ON referrals
   WHEN OLD.participant_id IS NOT NEW.participant_id OR OLD.referred_on IS NOT NEW.referred_on
   BEGIN ${refreshOf('OLD.participant_id', 'OLD.referred_on')} ${refreshOf('NEW.participant_id', 'NEW.referred_on')} END`,
  `CREATE TRIGGER report_referrals_delete AFTER DELETE ON referrals BEGIN ${refreshOf('OLD.participant_id', 'OLD.referred_on')} END`,
  `CREATE TRIGGER report_assessments_insert AFTER INSERT ON assessments BEGIN ${refreshOf('NEW.participant_id', 'NEW.taken_on')} END`,
  `CREATE TRIGGER report_assessments_update AFTER UPDATE OF participant_id, taken_on, voided_at ON assessments
   WHEN OLD.participant_id IS NOT NEW.participant_id OR OLD.taken_on IS NOT NEW.taken_on OR (OLD.voided_at IS NULL) <> (NEW.voided_at IS NULL)
   BEGIN ${refreshOf('OLD.participant_id', 'OLD.taken_on')} ${refreshOf('NEW.participant_id', 'NEW.taken_on')} END`,
  `CREATE TRIGGER report_assessments_delete AFTER DELETE ON assessments BEGIN ${refreshOf('OLD.participant_id', 'OLD.taken_on')} END`,
  `CREATE TRIGGER report_attendance_insert AFTER INSERT ON attendance WHEN NEW.participant_id IS NOT NULL
   BEGIN ${refreshOf('NEW.participant_id', sessionDate('NEW'))} END`,
  `CREATE TRIGGER report_attendance_update AFTER UPDATE OF participant_id, status, session_id ON attendance
   WHEN OLD.participant_id IS NOT NEW.participant_id OR OLD.status IS NOT NEW.status OR OLD.session_id IS NOT NEW.session_id
   BEGIN ${refreshOf('OLD.participant_id', sessionDate('OLD'))} ${refreshOf('NEW.participant_id', sessionDate('NEW'))} END`,
  `CREATE TRIGGER report_attendance_delete AFTER DELETE ON attendance WHEN OLD.participant_id IS NOT NULL
   BEGIN ${refreshOf('OLD.participant_id', sessionDate('OLD'))} END`,
]

/** The roll-ups as the rows say they should be (the backfill; reports/rollups.ts has the same for verify). */
export const backfill = [
  `INSERT INTO report_days (day, service_id, slot, visits, registered, coded, quantity)
     SELECT v.visit_date, 0, ${slot('v.signed_in_at')}, count(*), count(v.participant_id), count(v.anonymous_code), 0
       FROM visits v WHERE v.voided_at IS NULL GROUP BY 1, 3
     UNION ALL
     SELECT v.visit_date, vs.service_id, '', count(*), 0, 0, sum(vs.quantity)
       FROM visits v JOIN visit_services vs ON vs.visit_id = v.id WHERE v.voided_at IS NULL GROUP BY 1, 2`,
  `INSERT INTO report_person_months (month, participant_id, code, kind, service_id, days, first_day, last_day, prev_day)
     SELECT m, p, c, k, s, days, first_day, last_day, lag(last_day) OVER (PARTITION BY p, c, k, s ORDER BY m) FROM (
       SELECT ${month('v.visit_date')} AS m, ${pid('v')} AS p, ${code('v')} AS c, 1 AS k, 0 AS s,
              sum(DISTINCT ${bit('v.visit_date')}) AS days, min(v.visit_date) AS first_day, max(v.visit_date) AS last_day
         FROM visits v WHERE v.voided_at IS NULL AND ${code('v')} IS NOT NULL GROUP BY 1, 2, 3
       UNION ALL
       SELECT ${month('d.day')}, d.pid, '', 2, 0, sum(DISTINCT ${bit('d.day')}), min(d.day), max(d.day) FROM (
         SELECT v.participant_id AS pid, v.visit_date AS day FROM visits v WHERE v.voided_at IS NULL AND v.participant_id IS NOT NULL
         UNION ALL SELECT r.participant_id, r.referred_on FROM referrals r
         UNION ALL SELECT a.participant_id, a.taken_on FROM assessments a WHERE a.voided_at IS NULL
         UNION ALL SELECT t.participant_id, s.session_date FROM attendance t JOIN group_sessions s ON s.id = t.session_id
           WHERE t.participant_id IS NOT NULL AND t.status IN ${ATTENDED}
       ) d GROUP BY 1, 2
       UNION ALL
       SELECT ${month('v.visit_date')}, ${pid('v')}, ${code('v')}, 3, vs.service_id, sum(DISTINCT ${bit('v.visit_date')}), min(v.visit_date), max(v.visit_date)
         FROM visits v JOIN visit_services vs ON vs.visit_id = v.id WHERE v.voided_at IS NULL AND ${code('v')} IS NOT NULL GROUP BY 1, 2, 3, 5
     )`,
]

/** The returns tables from report_person_months (the backfill fills them in one pass rather than through the triggers). */
export const returnsFromRows = [
  `INSERT INTO report_month_returns (month, kind, service_id, coded, prev_month, people)
     SELECT month, kind, service_id, participant_id = 0, coalesce(substr(prev_day, 1, 7), ''), count(*) FROM report_person_months GROUP BY 1, 2, 3, 4, 5`,
  `INSERT INTO report_day_returns (month, kind, service_id, coded, prev_day, people)
     SELECT month, kind, service_id, participant_id = 0, prev_day, count(*) FROM report_person_months WHERE prev_day IS NOT NULL GROUP BY 1, 2, 3, 4, 5`,
]

/**
 * Where each referral made in a range stood at its end, and when it first got help, is read from
 * its history for every referral of the range: the history's index carries the event's time and
 * status, so that is read inside the index.
 */
const referralHistory = [`DROP INDEX referral_events_referral`, `CREATE INDEX referral_events_referral ON referral_events(referral_id, id, at, status)`]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...backfill, ...returnsFromRows, ...triggers, ...referralHistory]) await sql.raw(statement).execute(db)
}

import type { DateRange } from '../../report-types'
import { reportDialectFor } from './dialect'
import { addDays, addMonths, monthStart } from './range'
import type { ReportDb } from './rules'

/**
 * Unduplicated people over a range, read from the roll-ups (migration 0012) instead of the rows.
 * A person has one row per month and kind of activity in report_person_months, with the days of
 * the month they were active and `prev_day`, their last such day before the month. Over a range
 * from F to T a person counts once, on their first row with a day in the range:
 *   - a row of F's month when it has a day on or after F;
 *   - a row of a later month (up to T's) when their previous day is before F.
 * The second kind is counted from the returns tables (how many rows of a month have their
 * previous day in each earlier month, or on each earlier day), so a year costs a few hundred
 * summed rows rather than a scan of every person. F's month, when F is not its first day, counts
 * its rows whose last day is on or after F, summed by day in report_last_days (migration 0042).
 * T's month then loses the rows whose first day comes after T. A range within one month is
 * counted so too when it starts on the 1st or ends on the month's last day (whole months, "this
 * month so far"); only one strictly inside a month reads its month row by row, since a row with
 * days on both sides of it and none in it would count by its first and last days alone.
 *
 * The same rules as rules.ts (voids, merges, codes, rule 4's activities): the roll-ups are built
 * from the rows by exactly those rules, and `admin verify` recounts them.
 */

export const KIND = { visited: 1, active: 2, service: 3 } as const

export interface PeopleCount {
  kind: number
  serviceId: number
  /** 1: anonymous people (by code); 0: registered people. */
  coded: number
  people: number
  /** People whose first activity of this kind ever falls in the range (meaningful for kind visited). */
  fresh: number
}

export interface PeopleCounts {
  rows: PeopleCount[]
  /** Visited people (registered and by code) per month of the range, each month counted on its own (for the monthly chart). */
  visitedByMonth: Map<string, number>
}

const num = (value: unknown): number => Number(value ?? 0)
const monthOf = (date: string) => date.slice(0, 7)
const dayOf = (date: string) => Number(date.slice(8, 10))

/** Bits for days `from` to `to` (1-based, inclusive) of a month. */
function dayMask(from: number, to: number): number {
  let mask = 0
  for (let day = from; day <= to; day++) mask += 2 ** (day - 1)
  return mask
}

type Key = `${number}:${number}:${number}`
const keyOf = (row: { kind: number; service_id: number; coded: number }): Key => `${num(row.kind)}:${num(row.service_id)}:${num(row.coded)}`

class Tally {
  readonly people = new Map<Key, number>()
  readonly fresh = new Map<Key, number>()
  add(map: 'people' | 'fresh', key: Key, n: number): void {
    this[map].set(key, (this[map].get(key) ?? 0) + n)
  }
  result(visitedByMonth: Map<string, number>): PeopleCounts {
    const keys = new Set([...this.people.keys(), ...this.fresh.keys()])
    const rows = [...keys].map((key) => {
      const [kind, serviceId, coded] = key.split(':').map(Number) as [number, number, number]
      return { kind, serviceId, coded, people: this.people.get(key) ?? 0, fresh: this.fresh.get(key) ?? 0 }
    })
    return { rows, visitedByMonth }
  }
}

/** Every kind's unduplicated people over the range, and the visited people of each month in it. */
export async function countPeople(db: ReportDb, range: DateRange): Promise<PeopleCounts> {
  const d = reportDialectFor(db)
  // Every (kind, service) pair, so the index on (kind, service_id, month, first_day) is used for T's month.
  const services = (await db.selectFrom('services').select('id').execute()).map((s) => s.id)
  const { from, to } = range
  const first = monthOf(from)
  const last = monthOf(to)
  const tally = new Tally()
  const byMonth = new Map<string, number>()
  const addMonth = (m: string, n: number) => byMonth.set(m, (byMonth.get(m) ?? 0) + n)

  /** One month's rows read one by one: those with a day among `mask`'s, and (for `fresh`) those with no earlier day whose first day is from `from` to `to`. */
  const scanMonth = (month: string, mask: number) =>
    db
      .selectFrom('report_person_months as r')
      .where('r.month', '=', month)
      .select((eb) => [
        'r.kind',
        'r.service_id',
        eb(eb.ref('r.participant_id'), '=', 0).$castTo<number>().as('coded'),
        eb.fn.sum<number>(d.anyDay(eb.ref('r.days'), mask)).as('people'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('r.prev_day', 'is', null), eb('r.first_day', '>=', from), eb('r.first_day', '<=', to)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('fresh'),
      ])
      .groupBy(['r.kind', 'r.service_id', 'coded'])
      .execute()

  const fromIsMonthStart = dayOf(from) === 1
  const toIsMonthEnd = to === addDays(addMonths(monthStart(to), 1), -1)
  if (first === last && !fromIsMonthStart && !toIsMonthEnd) {
    // Strictly inside one month: its rows, each with a day in the range.
    for (const row of await scanMonth(first, dayMask(dayOf(from), dayOf(to)))) {
      tally.add('people', keyOf(row), num(row.people))
      tally.add('fresh', keyOf(row), num(row.fresh))
      if (num(row.kind) === KIND.visited) addMonth(first, num(row.people))
    }
    return tally.result(byMonth)
  }

  // F's month: its rows with a day on or after F, which are those whose last day is on or after F
  // (all of them, counted from the returns table, when F is the 1st): a few summed rows of
  // report_last_days (migration 0042) rather than the month's rows one by one.
  const head = fromIsMonthStart
    ? await db
        .selectFrom('report_month_returns as m')
        .where('m.month', '=', first)
        .select(['m.kind', 'm.service_id', 'm.coded', (eb) => eb.fn.sum<number>('m.people').as('people')])
        .groupBy(['m.kind', 'm.service_id', 'm.coded'])
        .execute()
    : await db
        .selectFrom('report_last_days as l')
        .where('l.month', '=', first)
        .where('l.last_day', '>=', from)
        .select(['l.kind', 'l.service_id', 'l.coded', (eb) => eb.fn.sum<number>('l.people').as('people')])
        .groupBy(['l.kind', 'l.service_id', 'l.coded'])
        .execute()
  for (const row of head) {
    tally.add('people', keyOf(row), num(row.people))
    if (num(row.kind) === KIND.visited) addMonth(first, num(row.people))
  }

  // Later months: rows whose previous day is before F (by month before F's month, by day within it).
  const later = await db
    .selectFrom('report_month_returns as m')
    .where('m.month', '>', first)
    .where('m.month', '<=', last)
    .select((eb) => [
      'm.month',
      'm.kind',
      'm.service_id',
      'm.coded',
      eb.fn.sum<number>('m.people').as('all'),
      eb.fn.sum<number>(eb.case().when('m.prev_month', '<', first).then(eb.ref('m.people')).else(0).end()).as('before'),
    ])
    .groupBy(['m.month', 'm.kind', 'm.service_id', 'm.coded'])
    .execute()
  for (const row of later) {
    tally.add('people', keyOf(row), num(row.before))
    if (num(row.kind) === KIND.visited) addMonth(row.month, num(row.all))
  }
  if (!fromIsMonthStart) {
    const sameMonth = await db
      .selectFrom('report_day_returns as r')
      .where('r.month', '>', first)
      .where('r.month', '<=', last)
      .where('r.prev_day', '>=', monthStart(from))
      .where('r.prev_day', '<', from)
      .select(['r.kind', 'r.service_id', 'r.coded', (eb) => eb.fn.sum<number>('r.people').as('people')])
      .groupBy(['r.kind', 'r.service_id', 'r.coded'])
      .execute()
    for (const row of sameMonth) tally.add('people', keyOf(row), num(row.people))
  }

  // T's month: rows whose first day comes after T had nothing in the range.
  if (!toIsMonthEnd) {
    const after = await db
      .selectFrom('report_person_months as r')
      .where('r.kind', 'in', [KIND.visited, KIND.active, KIND.service])
      .where('r.service_id', 'in', [0, ...services])
      .where('r.month', '=', last)
      .where('r.first_day', '>', to)
      .select((eb) => [
        'r.kind',
        'r.service_id',
        eb(eb.ref('r.participant_id'), '=', 0).$castTo<number>().as('coded'),
        eb.fn.countAll<number>().as('all'),
        eb.fn.sum<number>(eb.case().when(eb.or([eb('r.prev_day', 'is', null), eb('r.prev_day', '<', from)])).then(1).else(0).end()).as('counted'),
      ])
      .groupBy(['r.kind', 'r.service_id', 'coded'])
      .execute()
    for (const row of after) {
      tally.add('people', keyOf(row), -num(row.counted))
      if (num(row.kind) === KIND.visited) addMonth(last, -num(row.all))
    }
  }

  // New people (of those who visited): rows with no previous day whose first day is in the range.
  const fresh = await db
    .selectFrom('report_month_returns as m')
    .where('m.kind', '=', KIND.visited)
    .where('m.month', '>=', first)
    .where('m.month', '<=', last)
    .where('m.prev_month', '=', '')
    .select(['m.kind', 'm.service_id', 'm.coded', (eb) => eb.fn.sum<number>('m.people').as('people')])
    .groupBy(['m.kind', 'm.service_id', 'm.coded'])
    .execute()
  for (const row of fresh) tally.add('fresh', keyOf(row), num(row.people))
  // F's month before F and T's month after T, each through the index on (kind, service_id, month, first_day).
  const outside = (month: string, side: '<' | '>', day: string) =>
    db
      .selectFrom('report_person_months as r')
      .where('r.kind', '=', KIND.visited)
      .where('r.service_id', '=', 0)
      .where('r.month', '=', month)
      .where('r.first_day', side, day)
      .where('r.prev_day', 'is', null)
      .select((eb) => ['r.kind', 'r.service_id', eb(eb.ref('r.participant_id'), '=', 0).$castTo<number>().as('coded'), eb.fn.countAll<number>().as('n')])
      .groupBy(['r.kind', 'r.service_id', 'coded'])
      .execute()
  const outsideRows = [...(await outside(first, '<', from)), ...(await outside(last, '>', to))]
  for (const row of outsideRows) tally.add('fresh', keyOf(row), -num(row.n))
  return tally.result(byMonth)
}

/** One kind's count from the tally (0 when nobody). */
export function peopleOf(counts: PeopleCounts, kind: number, filter: { serviceId?: number; coded?: number } = {}): { people: number; fresh: number } {
  let people = 0
  let fresh = 0
  for (const row of counts.rows) {
    if (row.kind !== kind) continue
    if (filter.serviceId !== undefined && row.serviceId !== filter.serviceId) continue
    if (filter.coded !== undefined && row.coded !== filter.coded) continue
    people += row.people
    fresh += row.fresh
  }
  return { people, fresh }
}

/**
 * One row (`pid`) per registered person active in the range (counting rule 4), from the roll-up:
 * each person's first row in the range, found as countPeople counts them. The same people as
 * activePeople in rules.ts, without a DISTINCT over every visit of the range.
 */
export function activeIn(db: ReportDb, range: DateRange) {
  const d = reportDialectFor(db)
  const { from, to } = range
  const first = monthOf(from)
  const last = monthOf(to)
  const rows = () => db.selectFrom('report_person_months as r').where('r.kind', '=', KIND.active).where('r.service_id', '=', 0)
  const head = rows()
    .where('r.month', '=', first)
    .where((eb) => eb(d.anyDay(eb.ref('r.days'), dayMask(dayOf(from), first === last ? dayOf(to) : 31)), '=', 1))
    .select('r.participant_id as pid')
  if (first === last) return head
  return head.unionAll(
    rows()
      .where('r.month', '>', first)
      .where('r.month', '<=', last)
      .where((eb) => eb.or([eb('r.prev_day', 'is', null), eb('r.prev_day', '<', from)]))
      .where((eb) => eb.or([eb('r.month', '<', last), eb('r.first_day', '<=', to)]))
      .select('r.participant_id as pid'),
  )
}

/**
 * Each registered person (`pid`) whose first counted visit is on or after `from`, with its day
 * (`first_day`): their visited row with no earlier day, from the month of `from` on. Rule 5's
 * first visit, read from report_person_months_first alone rather than from each person's visits.
 */
export function firstVisitsFrom(db: ReportDb, from: string) {
  return db
    .selectFrom('report_person_months as r')
    .where('r.kind', '=', KIND.visited)
    .where('r.service_id', '=', 0)
    .where('r.month', '>=', monthOf(from))
    .where('r.first_day', '>=', from)
    .where('r.prev_day', 'is', null)
    .where('r.participant_id', '!=', 0)
    .select(['r.participant_id as pid', 'r.first_day'])
}

/**
 * Unduplicated people per group over the range (rule 6), and over all groups under group 0, from
 * report_group_people (migration 0032) as countPeople counts from report_person_months: each person
 * once, on their first row in the range (a row of the first month with a day in the range, or a
 * later row whose previous day is before the range and whose first day is by its end). A range
 * within one month reads that month's rows; a longer one sums the first month's rows by last day
 * (report_group_last_days, migration 0042) and the later months' by previous day
 * (report_group_month_returns and report_group_day_returns, migration 0043), then takes away the
 * last month's rows whose first day comes after the range.
 */
export async function groupPeople(db: ReportDb, range: DateRange): Promise<Map<number, number>> {
  const d = reportDialectFor(db)
  const { from, to } = range
  const first = monthOf(from)
  const last = monthOf(to)
  let rows: Array<{ group_id: number; people: number }>
  if (first === last) {
    rows = await db
      .selectFrom('report_group_people as r')
      .where('r.month', '=', first)
      .select((eb) => ['r.group_id', eb.fn.sum<number>(d.anyDay(eb.ref('r.days'), dayMask(dayOf(from), dayOf(to)))).as('people')])
      .groupBy('r.group_id')
      .execute()
  } else {
    rows = await db
      // The first month's rows with a day on or after the start: their last day is.
      .selectFrom('report_group_last_days as l')
      .where('l.month', '=', first)
      .where('l.last_day', '>=', from)
      .select((eb) => ['l.group_id', eb.fn.sum<number>('l.people').as('people')])
      .groupBy('l.group_id')
      // Later months' rows whose previous day is in a month before the first (or none)...
      .unionAll(
        db
          .selectFrom('report_group_month_returns as m')
          .where('m.month', '>', first)
          .where('m.month', '<=', last)
          .where('m.prev_month', '<', first)
          .select((eb) => ['m.group_id', eb.fn.sum<number>('m.people').as('people')])
          .groupBy('m.group_id'),
      )
      // ...or in the first month before the start.
      .unionAll(
        db
          .selectFrom('report_group_day_returns as r')
          .where('r.prev_day', '>=', monthStart(from))
          .where('r.prev_day', '<', from)
          .where('r.month', '>', first)
          .where('r.month', '<=', last)
          .select((eb) => ['r.group_id', eb.fn.sum<number>('r.people').as('people')])
          .groupBy('r.group_id'),
      )
      // The last month's rows counted above whose first day comes after the end had nothing in the range.
      .unionAll(
        db
          .selectFrom('report_group_people as r')
          .where('r.month', '=', last)
          .where('r.first_day', '>', to)
          .where((eb) => eb.or([eb('r.prev_day', 'is', null), eb('r.prev_day', '<', from)]))
          .select((eb) => ['r.group_id', eb.neg(eb.fn.countAll<number>()).as('people')])
          .groupBy('r.group_id'),
      )
      .execute()
  }
  const people = new Map<number, number>()
  for (const row of rows) people.set(num(row.group_id), (people.get(num(row.group_id)) ?? 0) + num(row.people))
  return people
}

import type { QueryCreator } from 'kysely'
import type { Database } from '../../schema'
import { OPEN_REFERRAL_STATUSES, REFERRAL_STATUSES, REFERRAL_TYPES } from '../../types'
import { AGE_BANDS } from '../../report-types'
import type {
  DateRange,
  Demographics,
  DemographicRow,
  GroupFigures,
  Grain,
  HeatCell,
  PeopleFigures,
  RecoveryCapitalFigures,
  ReferralFigures,
  SeriesPoint,
  ServiceFigure,
  VisitFigures,
} from '../../report-types'
import { literals, reportDialectFor } from './dialect'
import type { OffsetSpan } from './range'
import { addDays, addMonths, buckets, monthStart } from './range'
import { activeIn, countPeople, firstVisitsFrom, groupPeople, KIND, peopleOf, type PeopleCounts } from './people'
import { countedVisits, referralsOfScope, referralStates, type ReportDb } from './rules'
import { allGroupsFromRows, heatmapFromRows, peopleFromRows, seriesFromRows, servicesFromRows, visitsFromRows } from './by-rows'
import { inScope, personKey, WHOLE_DATABASE, type CountScope } from './scope'

// Every figure of the dashboard and the funder report, each one SQL aggregate over the rules'
// queries. Shares and means are null, never NaN, when there is nothing to divide by.
// Each takes the report's scope (scope.ts): the figures a roll-up gives are counted from the rows
// (by-rows.ts) when the roll-ups, which have no center, cannot answer for it.

const num = (value: unknown): number => Number(value ?? 0)
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null)
const meanOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value))

/** Unduplicated people from the roll-ups (people.ts): the same rules as activePeople and newPeople in rules.ts. */
export async function peopleFigures(db: ReportDb, range: DateRange, counted?: PeopleCounts, scope: CountScope = WHOLE_DATABASE): Promise<PeopleFigures> {
  if (!scope.rollups) return peopleFromRows(db, range, scope)
  const counts = counted ?? (await countPeople(db, range))
  const reg = peopleOf(counts, KIND.active, { coded: 0 }).people
  const anon = peopleOf(counts, KIND.visited, { coded: 1 }).people
  const fresher = peopleOf(counts, KIND.visited, { coded: 0 }).fresh
  return { people: reg + anon, registered: reg, anonymousPeople: anon, newPeople: fresher, returningPeople: reg - fresher }
}

/** The visits' rows of report_days in the range (rule 1: the roll-up holds only counted visits). */
function visitDays(db: ReportDb, range: DateRange) {
  return db.selectFrom('report_days as r').where('r.service_id', '=', 0).where('r.day', '>=', range.from).where('r.day', '<=', range.to)
}

export async function visitFigures(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE): Promise<VisitFigures> {
  if (!scope.rollups) return visitsFromRows(db, range, scope)
  const row = await visitDays(db, range)
    .select((eb) => [eb.fn.sum<number>('r.visits').as('visits'), eb.fn.sum<number>('r.registered').as('registered'), eb.fn.sum<number>('r.coded').as('coded')])
    .executeTakeFirstOrThrow()
  const visits = num(row.visits)
  const registeredVisits = num(row.registered)
  const anonymousVisits = visits - registeredVisits
  return { visits, registeredVisits, anonymousVisits, anonymousUncodedVisits: anonymousVisits - num(row.coded) }
}

/**
 * Visits and people per day, week or month; buckets with no visit come back as zeros. Monthly
 * people come from the roll-ups; a day's or a week's (ranges of half a year at most) from the rows.
 */
export async function visitSeries(db: ReportDb, range: DateRange, grain: Grain, counted?: PeopleCounts, scope: CountScope = WHOLE_DATABASE): Promise<SeriesPoint[]> {
  if (!scope.rollups) return seriesFromRows(db, range, grain, scope)
  const d = reportDialectFor(db)
  // Summed by day first, in the roll-up's key order (no sort), so only the days are then sorted into weeks or months, not every quarter hour.
  const byDay = visitDays(db, range).select((eb) => ['r.day', eb.fn.sum<number>('r.visits').as('visits')]).groupBy('r.day')
  const visits = await db
    .selectFrom(byDay.as('v'))
    .select((eb) => [d.bucket(eb.ref('v.day'), grain).as('start'), eb.fn.sum<number>('v.visits').as('visits')])
    .groupBy('start')
    .execute()
  const people = new Map<string, number>()
  if (grain === 'month') {
    const counts = counted ?? (await countPeople(db, range))
    for (const [month, n] of counts.visitedByMonth) people.set(`${month}-01`, n)
  } else {
    const rows =
      grain === 'week'
        ? await peopleByWeek(db, range)
        : await countedVisits(db, range)
            .select((eb) => [
              d.bucket(eb.ref('v.visit_date'), grain).as('start'),
              eb.fn.count<number>('v.participant_id').distinct().as('registered'),
              eb.fn.count<number>('v.anonymous_code').distinct().as('anonymous'),
            ])
            .groupBy('start')
            .execute()
    for (const row of rows) people.set(row.start, num(row.registered) + num(row.anonymous))
  }
  const byStart = new Map(visits.map((row) => [row.start, num(row.visits)]))
  return buckets(range, grain).map((start) => ({ start, visits: byStart.get(start) ?? 0, people: people.get(start) ?? 0 }))
}

/**
 * Different people (registered, and anonymous by code) in each week of a range, each week its own
 * aggregate over its days of the date index, joined by UNION ALL into one statement. Grouped by a
 * week worked out row by row, a quarter's visits were all sorted in a temporary B-tree: the range
 * change's slowest statement on the full data (about twice this, same figures).
 */
async function peopleByWeek(db: ReportDb, range: DateRange) {
  const weeks = buckets(range, 'week').map((start) => {
    const end = addDays(start, 6)
    return countedVisits(db, { from: start < range.from ? range.from : start, to: end > range.to ? range.to : end }).select((eb) => [
      eb.cast<string>(eb.val(start), 'text').as('start'),
      eb.fn.count<number>('v.participant_id').distinct().as('registered'),
      eb.fn.count<number>('v.anonymous_code').distinct().as('anonymous'),
    ])
  })
  const [first, ...rest] = weeks
  return first ? rest.reduce((all, week) => all.unionAll(week), first).execute() : []
}

/**
 * When the center is busiest: visits by weekday and hour of sign-in on the center's clock (each
 * quarter hour of the roll-up on its own clock). Summed by day and hour first, so the weekday is
 * worked out once a day rather than once a slot.
 */
export async function visitHeatmap(db: ReportDb, range: DateRange, spans: OffsetSpan[], scope: CountScope = WHOLE_DATABASE): Promise<HeatCell[]> {
  if (!scope.rollups) return heatmapFromRows(db, range, spans, scope)
  const d = reportDialectFor(db)
  const byDay = visitDays(db, range)
    .select((eb) => ['r.day', d.slotHour(eb.ref('r.slot'), spans).as('hour'), eb.fn.sum<number>('r.visits').as('visits')])
    .groupBy(['r.day', 'hour'])
  const rows = await db
    .selectFrom(byDay.as('h'))
    .select((eb) => [d.weekday(eb.ref('h.day')).as('weekday'), 'h.hour', eb.fn.sum<number>('h.visits').as('visits')])
    .groupBy(['weekday', 'h.hour'])
    .orderBy('weekday')
    .orderBy('h.hour')
    .execute()
  return rows.map((row) => ({ weekday: num(row.weekday), hour: num(row.hour), visits: num(row.visits) }))
}

/** Each service given in the range (and every service still offered, at zero), in catalog order. */
export async function serviceFigures(db: ReportDb, range: DateRange, counted?: PeopleCounts, scope: CountScope = WHOLE_DATABASE): Promise<ServiceFigure[]> {
  if (!scope.rollups) return servicesOfScope(db, range, scope)
  const counts = counted ?? (await countPeople(db, range))
  const given = db
    .selectFrom('report_days as r')
    .where('r.service_id', '>', 0)
    .where('r.day', '>=', range.from)
    .where('r.day', '<=', range.to)
    .select((eb) => ['r.service_id', eb.fn.sum<number>('r.visits').as('times'), eb.fn.sum<number>('r.quantity').as('quantity')])
    .groupBy('r.service_id')
  const rows = await db
    .selectFrom('services as s')
    .leftJoin(given.as('g'), 'g.service_id', 's.id')
    .select(['s.id', 's.key', 's.name_en', 's.name_es', 's.has_quantity', 'g.times', 'g.quantity'])
    .where((eb) => eb.or([eb('s.retired_at', 'is', null), eb('g.times', 'is not', null)]))
    .orderBy('s.sort_order')
    .orderBy('s.id')
    .execute()
  return rows.map((row) => ({
    serviceId: row.id,
    key: row.key,
    nameEn: row.name_en,
    nameEs: row.name_es,
    hasQuantity: row.has_quantity === 1,
    times: num(row.times),
    people: peopleOf(counts, KIND.service, { serviceId: row.id }).people,
    quantity: num(row.quantity),
  }))
}

/** Every service given in the scope (and every service still offered, at zero), in catalog order, from the rows. */
async function servicesOfScope(db: ReportDb, range: DateRange, scope: CountScope): Promise<ServiceFigure[]> {
  const given = await servicesFromRows(db, range, scope)
  const catalog = await db.selectFrom('services as s').select(['s.id', 's.key', 's.name_en', 's.name_es', 's.has_quantity', 's.retired_at']).orderBy('s.sort_order').orderBy('s.id').execute()
  return catalog
    .filter((row) => row.retired_at === null || given.has(row.id))
    .map((row) => ({
      serviceId: row.id,
      key: row.key,
      nameEn: row.name_en,
      nameEs: row.name_es,
      hasQuantity: row.has_quantity === 1,
      times: given.get(row.id)?.times ?? 0,
      people: given.get(row.id)?.people ?? 0,
      quantity: given.get(row.id)?.quantity ?? 0,
    }))
}

/**
 * A range's whole months ('YYYY-MM', from and to; null when it covers none) and the days outside
 * them: the first month's days from the range's start when that is not the 1st, the last month's
 * to its end when that is not the month's last day.
 */
export function wholeMonths(range: DateRange): { months: { from: string; to: string } | null; edges: DateRange[] } {
  const firstWhole = range.from === monthStart(range.from) ? range.from : addMonths(monthStart(range.from), 1)
  const afterLast = addMonths(monthStart(range.to), 1)
  const lastWholeEnd = range.to === addDays(afterLast, -1) ? range.to : addDays(monthStart(range.to), -1)
  if (firstWhole > lastWholeEnd) return { months: null, edges: [range] }
  const edges: DateRange[] = []
  if (range.from < firstWhole) edges.push({ from: range.from, to: addDays(firstWhole, -1) })
  if (range.to > lastWholeEnd) edges.push({ from: addDays(lastWholeEnd, 1), to: range.to })
  return { months: { from: firstWhole.slice(0, 7), to: lastWholeEnd.slice(0, 7) }, edges }
}

const COUNTS = ['made', 'accepted', 'connected', 'connected_later', 'past_follow_up'] as const

/**
 * Referrals made in the range by kind and by where they stood at its end (their history says),
 * accepted and connected by then, connected only later, the open ones past their follow-up, and
 * the median days from referral to connection.
 *
 * Each referral is counted where it stands at its latest event, from report_referral_months
 * (migration 0038) for the range's whole months and from report_referral_states for the days of
 * the months it cuts; the few whose latest event came on or after the range's end (a range that
 * ended in the past) are then moved, by kind and status, from there to where they stood at the end.
 */
export async function referralFigures(db: ReportDb, range: DateRange, endInstant: string, spans: OffsetSpan[], scope: CountScope = WHOLE_DATABASE): Promise<ReferralFigures> {
  const d = reportDialectFor(db)
  type Counts = Record<(typeof COUNTS)[number], number>
  const groups = new Map<string, Counts & { type: string; status: string }>()
  const add = (type: string, status: string, counts: Partial<Counts>, sign: 1 | -1 = 1) => {
    const key = `${type}\t${status}`
    const group = groups.get(key) ?? { type, status, made: 0, accepted: 0, connected: 0, connected_later: 0, past_follow_up: 0 }
    for (const name of COUNTS) group[name] += sign * num(counts[name])
    groups.set(key, group)
  }
  // report_referral_months has no center: a scope it cannot answer for reads every day from the referrals' states.
  const { months, edges } = scope.rollups ? wholeMonths(range) : { months: null, edges: [range] }
  const states = (days: DateRange) =>
    db
      .selectFrom('report_referral_states as r')
      .where('r.referred_on', '>=', days.from)
      .where('r.referred_on', '<=', days.to)
      .$if(scope.centers !== null, (qb) => qb.where('r.referral_id', 'in', referralsOfScope(db, scope)))

  // Where each stands at its latest event: so far made, accepted and connected is whether it ever was.
  if (months) {
    const rows = await db
      .selectFrom('report_referral_months as m')
      .where('m.month', '>=', months.from)
      .where('m.month', '<=', months.to)
      .select((eb) => ['m.type', 'm.status', eb.fn.sum<number>('m.made').as('made'), eb.fn.sum<number>('m.accepted').as('accepted'), eb.fn.sum<number>('m.connected').as('connected')])
      .groupBy(['m.type', 'm.status'])
      .execute()
    for (const row of rows) add(row.type, row.status, row)
  }
  for (const days of edges) {
    const rows = await states(days)
      .select((eb) => [
        'r.type',
        eb.fn.coalesce('r.last_status', 'r.status_now').as('status'),
        eb.fn.countAll<number>().as('made'),
        eb.fn.count<number>('r.accepted_at').as('accepted'),
        eb.fn.count<number>('r.got_help_at').as('connected'),
      ])
      .groupBy(['r.type', 'status'])
      .execute()
    for (const row of rows) add(row.type, row.status, row)
  }

  // Those with an event on or after the end: out of where they stand now, into where they stood then.
  const moved = await db
    .selectFrom(referralStates(db, range, endInstant, { unsettledOnly: true, scope }).as('s'))
    .select((eb) => {
      const counted = (condition: ReturnType<typeof eb.and>) => eb.fn.sum<number>(eb.case().when(condition).then(1).else(0).end())
      return [
        's.type',
        's.status',
        's.latest_status',
        eb.fn.countAll<number>().as('made'),
        eb.fn.count<number>('s.accepted_at').as('ever_accepted'),
        eb.fn.count<number>('s.got_help_at').as('ever_connected'),
        counted(eb.and([eb('s.accepted_at', '<', endInstant)])).as('accepted'),
        counted(eb.and([eb('s.got_help_at', '<', endInstant)])).as('connected'),
        counted(eb.and([eb('s.got_help_at', '>=', endInstant)])).as('connected_later'),
        counted(eb.and([eb('s.status', 'in', [...OPEN_REFERRAL_STATUSES]), eb('s.follow_up_on', '<', range.to)])).as('past_follow_up'),
      ]
    })
    .groupBy(['s.type', 's.status', 's.latest_status'])
    .execute()
  for (const row of moved) {
    add(row.type, row.latest_status, { made: row.made, accepted: row.ever_accepted, connected: row.ever_connected }, -1)
    add(row.type, row.status, row)
  }

  // The open ones that stood at their latest event by the end, past their follow-up (through the
  // partial index of open referrals, whose condition is written out so that it is used).
  const past = await states(range)
    .where('r.last_status', 'in', literals(OPEN_REFERRAL_STATUSES))
    .where('r.last_at', '<', endInstant)
    .where('r.last_follow_up_on', '<', range.to)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()

  // The median over every referral of the range connected by the end, the day counted on the center's clock.
  const days = states(range)
    .where('r.got_help_at', '<', endInstant)
    .select((eb) => d.daysBetween(eb.ref('r.referred_on'), d.localDate(eb.ref('r.got_help_at').$castTo<string>(), spans)).as('value'))
  const median = await db.selectNoFrom(d.median(days).as('median')).executeTakeFirstOrThrow()

  const all = [...groups.values()]
  const sum = (rows: typeof all, key: keyof Counts) => rows.reduce((total, row) => total + row[key], 0)
  const open: string[] = [...OPEN_REFERRAL_STATUSES]
  const openGroups = all.filter((row) => open.includes(row.status))
  const made = sum(all, 'made')
  const connected = sum(all, 'connected')
  const openCount = sum(openGroups, 'made')
  const pastFollowUp = sum(openGroups, 'past_follow_up') + num(past.n)
  return {
    made,
    byType: REFERRAL_TYPES.map((type) => {
      const rows = all.filter((row) => row.type === type)
      return { type, made: sum(rows, 'made'), connected: sum(rows, 'connected') }
    }),
    byStatus: REFERRAL_STATUSES.map((status) => ({ status, count: sum(all.filter((row) => row.status === status), 'made') })),
    accepted: sum(all, 'accepted'),
    connected,
    connectedShare: share(connected, made),
    connectedLater: sum(all, 'connected_later'),
    medianDaysToConnect: meanOrNull(median.median),
    open: openCount,
    openPastFollowUp: pastFollowUp,
    openPastFollowUpShare: share(pastFollowUp, openCount),
  }
}

/** Two-sided 95 % Student's t critical values for 1–30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
]

/** t(0.975, df): the table up to 30, then the Cornish–Fisher expansion (error < 0.001). */
export function tCritical(df: number): number {
  if (df <= 30) return T975[df - 1]!
  const z = 1.959964
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
}

/** A 95 % interval from an aggregate's n, sum and sum of squares; null below n = 2. */
export function meanInterval(n: number, sum: number, sumSquares: number): { low: number; high: number } | null {
  if (n < 2) return null
  const mean = sum / n
  const variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1))
  const half = tCritical(n - 1) * Math.sqrt(variance / n)
  return { low: mean - half, high: mean + half }
}

export const BARC10_REMISSION_CUTOFF = 47

/** Each counted assessment with its record's first total, whether it has an earlier one, and its next one's day (the roll-up, migration 0037). */
function recordSteps(db: ReportDb) {
  return db.selectFrom('report_assessment_steps as x')
}

/**
 * The same steps as report_assessment_steps keeps for each record, but for each organization person
 * (scope.ts personKey: the records an admin matched across centers are one person), counted from
 * the assessments themselves: only for the organization while the centers match people.
 */
function stepsByPerson(db: ReportDb, scope: CountScope) {
  const counted = db
    .selectFrom('assessments as a')
    .where('a.voided_at', 'is', null)
    .select(['a.id', 'a.taken_on', 'a.total', personKey(db, scope, 'a.participant_id').as('person')])
  // Each window: the person's assessments in order (as 0037's PARTITION BY participant_id ORDER BY taken_on, id).
  return db.selectFrom(counted.as('s')).select((eb) => [
    's.taken_on',
    's.id as assessment_id',
    's.total',
    eb.fn.agg<number>('first_value', ['s.total']).over((ob) => ob.partitionBy('s.person').orderBy('s.taken_on').orderBy('s.id')).as('first_total'),
    eb.case().when(eb.fn.agg<number>('row_number', []).over((ob) => ob.partitionBy('s.person').orderBy('s.taken_on').orderBy('s.id')), '>', 1).then(1).else(0).end().as('earlier'),
    eb.fn.agg<string | null>('lead', ['s.taken_on']).over((ob) => ob.partitionBy('s.person').orderBy('s.taken_on').orderBy('s.id')).as('next_on'),
  ])
}

/**
 * BARC-10 change over the people whose latest assessment by the range's end falls in the range
 * and who have an earlier one: first ever against latest, each person once. Read from
 * report_assessment_steps (migration 0037, kept by triggers): a person's latest assessment by the
 * range's end is their row in the range whose next one comes after the end (or never), which
 * carries their first total and whether they have an earlier one; the people assessed in the
 * range are the same rows, one each. One pass over the range's rows, no DISTINCT, no look-ups.
 * With the centers matching people, the organization's figures follow each organization person
 * instead (stepsByPerson): their first assessment at any center against their latest.
 */
export async function recoveryCapitalFigures(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE): Promise<RecoveryCapitalFigures> {
  const steps = scope.byOrgKey ? (db.selectFrom(stepsByPerson(db, scope).as('x')) as unknown as ReturnType<typeof recordSteps>) : recordSteps(db)
  const row = await steps
    .where('x.taken_on', '>=', range.from)
    .where('x.taken_on', '<=', range.to)
    // A person's assessments are their record's, so one center's are its own records' (each record once, also for the organization).
    .$if(scope.centers !== null, (qb) => qb.where('x.assessment_id', 'in', db.selectFrom('assessments as ac').select('ac.id').$call(inScope(scope, 'ac'))))
    .where((eb) => eb.or([eb('x.next_on', 'is', null), eb('x.next_on', '>', range.to)]))
    .select((eb) => {
      // Only the people with an earlier assessment have a change; the others are null here, which the aggregates skip.
      const paired = (column: 'x.first_total' | 'x.total') => eb.case().when('x.earlier', '=', 1).then(eb.ref(column)).end()
      // In parentheses: kysely writes `a - b * a - b` otherwise.
      const change = eb.parens('x.total', '-', eb.ref('x.first_total'))
      const whenPaired = (value: Parameters<typeof eb.case>[0]) => eb.case().when('x.earlier', '=', 1).then(value).else(0).end()
      const atOrAbove = (column: 'x.first_total' | 'x.total') => eb.fn.sum<number>(eb.case().when(eb.and([eb('x.earlier', '=', 1), eb(column, '>=', BARC10_REMISSION_CUTOFF)])).then(1).else(0).end())
      return [
        eb.fn.countAll<number>().as('assessed'),
        eb.fn.sum<number>('x.earlier').as('n'),
        eb.fn.avg<number>(paired('x.first_total')).as('mean_first'),
        eb.fn.avg<number>(paired('x.total')).as('mean_latest'),
        eb.fn.sum<number>(whenPaired(change)).as('sum_change'),
        eb.fn.sum<number>(whenPaired(eb(change, '*', change))).as('sum_squares'),
        atOrAbove('x.first_total').as('first_47'),
        atOrAbove('x.total').as('latest_47'),
      ]
    })
    .executeTakeFirstOrThrow()
  const n = num(row.n)
  const sum = num(row.sum_change)
  return {
    assessed: num(row.assessed),
    n,
    meanFirst: n > 0 ? meanOrNull(row.mean_first) : null,
    meanLatest: n > 0 ? meanOrNull(row.mean_latest) : null,
    meanChange: n > 0 ? sum / n : null,
    changeCi: meanInterval(n, sum, num(row.sum_squares)),
    shareAtOrAbove47First: share(num(row.first_47), n),
    shareAtOrAbove47Latest: share(num(row.latest_47), n),
  }
}

/**
 * The registered people counted in the range, with their record and (`f.first_day`) their first
 * counted visit's day when that is on or after the range's start. Taken in order of id (a
 * materialized CTE keeps the order; a subquery's ORDER BY would be dropped), so that their records
 * are read page after page rather than all over the file: each page is then decrypted once, not
 * once for each person on it.
 */
function countedPeople(db: ReportDb, range: DateRange, scope: CountScope) {
  // The scope's records (a record's center is where it was registered); by organization person key, one record of each person (the lowest id).
  const records = db
    .selectFrom(activeIn(db, range).as('a'))
    .select('a.pid')
    .$if(scope.centers !== null, (qb) => qb.where('a.pid', 'in', db.selectFrom('participants as pc').select('pc.id').$call(inScope(scope, 'pc'))))
  const people = scope.byOrgKey
    ? (db
        .selectFrom(records.as('k'))
        .select((eb) => eb.fn.min<number>('k.pid').as('pid'))
        .groupBy(personKey(db, scope, 'k.pid')) as unknown as typeof records)
    : records
  return db
    .with((cte) => cte('u').materialized(), () => db.selectFrom(people.as('a')).select('a.pid').orderBy('a.pid'))
    .with((cte) => cte('f').materialized(), () => firstVisitsFrom(db, range.from))
    .selectFrom('u')
    .innerJoin('participants as p', 'p.id', 'u.pid')
    .leftJoin('f', 'f.pid', 'u.pid')
}

type Dimension = 'gender' | 'race_ethnicity' | 'veteran' | 'housing'

/** One demographic table: answers counted together when equal but for case and spaces; both fixed rows always shown, last. */
function table(rows: Array<{ dim: string; value: string; label: string | null; count: number }>, dim: Dimension): DemographicRow[] {
  const mine = rows.filter((row) => row.dim === dim)
  const fixed = ['declined', 'not_asked']
  const counted = mine.filter((row) => !fixed.includes(row.value)).map((row) => ({ value: row.value, label: row.label ?? row.value, count: num(row.count) }))
  counted.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  return [...counted, ...fixed.map((value) => ({ value, label: value, count: num(mine.find((row) => row.value === value)?.count) }))]
}

/**
 * Demographics of the registered people counted in the range, in one statement: the people
 * are found once (a materialized CTE, one row each with their age band and answers), then
 * counted by each question. Empty answers are 'not_asked'.
 */
export async function demographics(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE): Promise<Demographics> {
  const d = reportDialectFor(db)
  // Each person with their first counted visit's day, when it is on or after the range's start:
  // before it (or never), their age is taken at the start.
  const withFirstVisit = countedPeople(db, range, scope).select([
    'p.birth_date',
    'p.birth_year',
    'p.gender',
    'p.race_ethnicity',
    'p.veteran_status',
    'p.housing_status',
    'f.first_day as first_visit',
  ])
  type FirstVisitRow = Awaited<ReturnType<typeof withFirstVisit.execute>>[number]
  const people = (qc: QueryCreator<Database & { fv: FirstVisitRow }>) => qc.selectFrom('fv as p').select((eb) => {
    const on = d.later(eb.val(range.from), eb.fn.coalesce('p.first_visit', eb.val(range.from)))
    const answer = (column: 'p.gender' | 'p.race_ethnicity' | 'p.veteran_status' | 'p.housing_status') =>
      eb.fn<string | null>('nullif', [eb.fn<string>('lower', [eb.fn<string>('trim', [eb.ref(column)])]), eb.val('')])
    const shown = (column: 'p.gender' | 'p.race_ethnicity') => eb.fn<string | null>('trim', [eb.ref(column)])
    return [
      d.ageAt(eb.ref('p.birth_date'), eb.ref('p.birth_year'), on).as('age'),
      eb.fn.coalesce(answer('p.gender'), eb.val('not_asked')).as('gender'),
      shown('p.gender').as('gender_shown'),
      eb.fn.coalesce(answer('p.race_ethnicity'), eb.val('not_asked')).as('race_ethnicity'),
      shown('p.race_ethnicity').as('race_shown'),
      eb.fn.coalesce(answer('p.veteran_status'), eb.val('not_asked')).as('veteran'),
      eb.fn.coalesce(answer('p.housing_status'), eb.val('not_asked')).as('housing'),
    ]
  })
  const rows = await db
    .with((cte) => cte('fv').materialized(), () => withFirstVisit)
    .with((cte) => cte('d').materialized(), people)
    .selectFrom('d')
    .select((eb) => [
      eb.val('age').as('dim'),
      eb
        .case()
        .when('d.age', 'is', null)
        .then('not_asked')
        .when('d.age', '<', 18)
        .then('under_18')
        .when('d.age', '<', 25)
        .then('18_24')
        .when('d.age', '<', 35)
        .then('25_34')
        .when('d.age', '<', 45)
        .then('35_44')
        .when('d.age', '<', 55)
        .then('45_54')
        .when('d.age', '<', 65)
        .then('55_64')
        .else('65_plus')
        .end()
        .as('value'),
      eb.val<string | null>(null).as('label'),
      eb.fn.countAll<number>().as('count'),
    ])
    .groupBy('value')
    .unionAll((eb) => eb.selectFrom('d').select((s) => [s.val('gender').as('dim'), 'd.gender as value', s.fn.min('d.gender_shown').as('label'), s.fn.countAll<number>().as('count')]).groupBy('d.gender'))
    .unionAll((eb) =>
      eb.selectFrom('d').select((s) => [s.val('race_ethnicity').as('dim'), 'd.race_ethnicity as value', s.fn.min('d.race_shown').as('label'), s.fn.countAll<number>().as('count')]).groupBy('d.race_ethnicity'),
    )
    .unionAll((eb) => eb.selectFrom('d').select((s) => [s.val('veteran').as('dim'), 'd.veteran as value', s.val<string | null>(null).as('label'), s.fn.countAll<number>().as('count')]).groupBy('d.veteran'))
    .unionAll((eb) => eb.selectFrom('d').select((s) => [s.val('housing').as('dim'), 'd.housing as value', s.val<string | null>(null).as('label'), s.fn.countAll<number>().as('count')]).groupBy('d.housing'))
    .execute()
  const ages = new Map(rows.filter((row) => row.dim === 'age').map((row) => [row.value, num(row.count)]))
  const all = rows as Array<{ dim: string; value: string; label: string | null; count: number }>
  return {
    age: AGE_BANDS.map((value) => ({ value, count: ages.get(value) ?? 0 })),
    gender: table(all, 'gender'),
    raceEthnicity: table(all, 'race_ethnicity'),
    veteran: table(all, 'veteran'),
    housing: table(all, 'housing'),
  }
}

/**
 * Groups in the range (rule 6): sessions held, and attendance as person-days (a person present or
 * late in several sessions of a day counts once), by group and over all groups; the rate is the
 * enrolled people's attended days over their expected days in held sessions, as on the group page.
 * The days are summed from report_group_days, the people (each once over the range) counted from
 * report_group_people.
 */
export async function groupFigures(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE): Promise<GroupFigures> {
  const sessions = () => db.selectFrom('group_sessions as s').where('s.session_date', '>=', range.from).where('s.session_date', '<=', range.to)
  const held = await sessions()
    .innerJoin('groups as g', 'g.id', 's.group_id')
    .$call(inScope(scope, 'g'))
    .select((eb) => ['g.id', 'g.name', eb.fn.sum<number>(eb.case().when('s.status', '=', 'held').then(1).else(0).end()).as('held')])
    .groupBy(['g.id', 'g.name'])
    .orderBy('g.name')
    .execute()
  // Attendance as person-days (rule 6) and the enrolled expected and came, per group and over all
  // groups (group 0), summed from report_group_days (migration 0027, kept by triggers).
  const days = await db
    .selectFrom('report_group_days as r')
    .where('r.day', '>=', range.from)
    .where('r.day', '<=', range.to)
    .select((eb) => ['r.group_id', eb.fn.sum<number>('r.attended').as('attendance'), eb.fn.sum<number>('r.expected').as('expected'), eb.fn.sum<number>('r.came').as('came')])
    .groupBy('r.group_id')
    .execute()
  const perGroup = new Map(days.map((row) => [row.group_id, row]))
  const peopleOfGroup = await groupPeople(db, range)
  // A group is one center's, so its own rows are right for any scope; over all groups (0) they are every center's.
  const allGroups = scope.rollups ? { attendance: num(perGroup.get(0)?.attendance), people: peopleOfGroup.get(0) ?? 0 } : await allGroupsFromRows(db, range, scope)
  const groups = held.map((row) => ({
    groupId: row.id,
    name: row.name,
    sessionsHeld: num(row.held),
    attendance: num(perGroup.get(row.id)?.attendance),
    people: peopleOfGroup.get(row.id) ?? 0,
    attendanceRate: share(num(perGroup.get(row.id)?.came), num(perGroup.get(row.id)?.expected)),
  }))
  return {
    groups,
    sessionsHeld: groups.reduce((sum, g) => sum + g.sessionsHeld, 0),
    attendance: allGroups.attendance,
    people: allGroups.people,
  }
}

import type { DateRange, Grain, HeatCell, PeopleFigures, SeriesPoint, VisitFigures } from '../../report-types'
import { reportDialectFor } from './dialect'
import type { OffsetSpan } from './range'
import { buckets } from './range'
import { activePeople, countedAttendance, countedVisits, newPeople, type ReportDb } from './rules'
import { codeKey, personKey, type CountScope } from './scope'

/**
 * The figures the roll-ups give, counted from the rows of a scope the roll-ups cannot answer for
 * (one center of several, or the organization counted by center or by person key: scope.ts). The
 * same rules as rules.ts, through its queries; each figure one SQL aggregate. Over a long range of
 * a large center these read every counted visit of the range, which the roll-ups avoid: the price
 * of a second center until the roll-ups carry the center.
 */

const num = (value: unknown): number => Number(value ?? 0)

/** Unduplicated people: registered (by record, or by organization person key) and anonymous (by code at a center). */
export async function peopleFromRows(db: ReportDb, range: DateRange, scope: CountScope): Promise<PeopleFigures> {
  const registered = await db
    .selectFrom(activePeople(db, range, scope).as('u'))
    .select((eb) => eb.fn.count<number>(personKey(db, scope, 'u.pid')).distinct().as('n'))
    .executeTakeFirstOrThrow()
  const anonymous = await countedVisits(db, range, scope)
    .select((eb) => eb.fn.count<number>(codeKey('v')).distinct().as('n'))
    .executeTakeFirstOrThrow()
  const fresh = await db
    .selectFrom(newPeople(db, range, scope).as('n'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const reg = num(registered.n)
  const anon = num(anonymous.n)
  return { people: reg + anon, registered: reg, anonymousPeople: anon, newPeople: num(fresh.n), returningPeople: reg - num(fresh.n) }
}

export async function visitsFromRows(db: ReportDb, range: DateRange, scope: CountScope): Promise<VisitFigures> {
  const row = await countedVisits(db, range, scope)
    .select((eb) => [eb.fn.countAll<number>().as('visits'), eb.fn.count<number>('v.participant_id').as('registered'), eb.fn.count<number>('v.anonymous_code').as('coded')])
    .executeTakeFirstOrThrow()
  const visits = num(row.visits)
  const anonymousVisits = visits - num(row.registered)
  return { visits, registeredVisits: num(row.registered), anonymousVisits, anonymousUncodedVisits: anonymousVisits - num(row.coded) }
}

/** Visits and people per day, week or month (each bucket's people counted on their own). */
export async function seriesFromRows(db: ReportDb, range: DateRange, grain: Grain, scope: CountScope): Promise<SeriesPoint[]> {
  const d = reportDialectFor(db)
  const rows = await countedVisits(db, range, scope)
    .select((eb) => [
      d.bucket(eb.ref('v.visit_date'), grain).as('start'),
      eb.fn.countAll<number>().as('visits'),
      eb.fn.count<number>(personKey(db, scope, 'v.participant_id')).distinct().as('registered'),
      eb.fn.count<number>(codeKey('v')).distinct().as('anonymous'),
    ])
    .groupBy('start')
    .execute()
  const byStart = new Map(rows.map((row) => [row.start, row]))
  return buckets(range, grain).map((start) => {
    const row = byStart.get(start)
    return { start, visits: num(row?.visits), people: num(row?.registered) + num(row?.anonymous) }
  })
}

/** Visits by weekday and hour of sign-in on the center's clock. */
export async function heatmapFromRows(db: ReportDb, range: DateRange, spans: OffsetSpan[], scope: CountScope): Promise<HeatCell[]> {
  const d = reportDialectFor(db)
  const rows = await countedVisits(db, range, scope)
    .select((eb) => [d.weekday(eb.ref('v.visit_date')).as('weekday'), d.localHour(eb.ref('v.signed_in_at'), spans).as('hour'), eb.fn.countAll<number>().as('visits')])
    .groupBy(['weekday', 'hour'])
    .orderBy('weekday')
    .orderBy('hour')
    .execute()
  return rows.map((row) => ({ weekday: num(row.weekday), hour: num(row.hour), visits: num(row.visits) }))
}

/** Per service given in the range: visits with it, items handed out, and people (registered and by code). */
export async function servicesFromRows(db: ReportDb, range: DateRange, scope: CountScope): Promise<Map<number, { times: number; quantity: number; people: number }>> {
  const rows = await countedVisits(db, range, scope)
    .innerJoin('visit_services as vs', 'vs.visit_id', 'v.id')
    .select((eb) => [
      'vs.service_id',
      eb.fn.countAll<number>().as('times'),
      eb.fn.sum<number>('vs.quantity').as('quantity'),
      eb.fn.count<number>(personKey(db, scope, 'v.participant_id')).distinct().as('registered'),
      eb.fn.count<number>(codeKey('v')).distinct().as('anonymous'),
    ])
    .groupBy('vs.service_id')
    .execute()
  return new Map(rows.map((row) => [row.service_id, { times: num(row.times), quantity: num(row.quantity), people: num(row.registered) + num(row.anonymous) }]))
}

/** Over all of the scope's groups (rule 6): attendance as person-days, and the people who attended. */
export async function allGroupsFromRows(db: ReportDb, range: DateRange, scope: CountScope): Promise<{ attendance: number; people: number }> {
  const marks = countedAttendance(db, range, scope).where((eb) => eb.or([eb('t.participant_id', 'is not', null), eb('t.anonymous_code', 'is not', null)]))
  const days = await db
    .selectFrom(
      marks
        .select([personKey(db, scope, 't.participant_id').as('pid'), codeKey('t').as('code'), 's.session_date'])
        .distinct()
        .as('d'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const people = await marks
    .select((eb) => [eb.fn.count<number>(personKey(db, scope, 't.participant_id')).distinct().as('registered'), eb.fn.count<number>(codeKey('t')).distinct().as('anonymous')])
    .executeTakeFirstOrThrow()
  return { attendance: num(days.n), people: num(people.registered) + num(people.anonymous) }
}

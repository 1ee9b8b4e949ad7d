import type { DateRange, DrillFilter, DrillList, DrillPage, DrillPerson, RangeRequest, ReportScopeChoice } from '../../report-types'
import { appendAudit } from '../audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from '../context'
import { countings, type Counting } from './dashboard'
import { reportDialectFor } from './dialect'
import { addDays, addMonths, resolveRange } from './range'
import { activePeople, countedVisits, newPeople, referralStates, type ReportDb } from './rules'
import { countScope, type CountScope } from './scope'

export interface DrillRequest {
  range: RangeRequest
  list: DrillList
  filter: DrillFilter
  offset: number
  limit: number
  /** The window's center (the default) or every center (an organization admin). */
  scope?: ReportScopeChoice
}

function person(row: { pid: number | null; code: string | null; first_name: string | null; nickname: string | null; last_name: string | null }): DrillPerson | null {
  return row.pid === null ? null : { id: row.pid, code: row.code!, firstName: row.first_name, nickname: row.nickname, lastName: row.last_name }
}

/** The days of one bucket of the visits chart, inside the period. */
function bucketDays(period: DateRange, start: string, grain: 'day' | 'week' | 'month'): DateRange {
  const end = grain === 'day' ? start : grain === 'week' ? addDays(start, 6) : addDays(addMonths(start, 1), -1)
  return { from: start > period.from ? start : period.from, to: end < period.to ? end : period.to }
}

async function visitsPage(db: ReportDb, counting: Counting, grain: 'day' | 'week' | 'month', request: DrillRequest, scope: CountScope): Promise<DrillPage> {
  const d = reportDialectFor(db)
  const { filter } = request
  const days = filter.bucketStart ? bucketDays(counting.range, filter.bucketStart, grain) : counting.range
  let query = countedVisits(db, days, scope)
  if (filter.serviceId !== undefined) {
    const serviceId = filter.serviceId
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom('visit_services as vs').select('vs.visit_id').whereRef('vs.visit_id', '=', 'v.id').where('vs.service_id', '=', serviceId)),
    )
  }
  if (filter.weekday !== undefined) query = query.where((eb) => eb(d.weekday(eb.ref('v.visit_date')), '=', filter.weekday!))
  if (filter.hour !== undefined) query = query.where((eb) => eb(d.localHour(eb.ref('v.signed_in_at'), counting.spans), '=', filter.hour!))
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  const rows = await query
    .leftJoin('participants as p', 'p.id', 'v.participant_id')
    .select(['v.id', 'v.visit_date', 'v.signed_in_at', 'v.anonymous_code', 'p.id as pid', 'p.code', 'p.first_name', 'p.nickname', 'p.last_name'])
    .orderBy('v.signed_in_at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(request.limit)
    .offset(request.offset)
    .execute()
  return {
    list: 'visits',
    total: Number(total),
    rows: rows.map((row) => ({ id: row.id, visitDate: row.visit_date, signedInAt: row.signed_in_at, anonymousCode: row.anonymous_code, person: person(row) })),
  }
}

async function peoplePage(db: ReportDb, counting: Counting, request: DrillRequest, scope: CountScope): Promise<DrillPage> {
  const range = counting.range
  const which = request.filter.people ?? 'all'
  let universe = db.selectFrom(activePeople(db, range, scope).as('u')).select('u.pid')
  if (which === 'new') universe = db.selectFrom(newPeople(db, range, scope).as('u')).select('u.pid')
  if (which === 'returning') universe = universe.where('u.pid', 'not in', newPeople(db, range, scope))
  const { total } = await db
    .selectFrom(universe.as('x'))
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom(universe.as('x'))
    .innerJoin('participants as p', 'p.id', 'x.pid')
    .leftJoin(
      countedVisits(db, range, scope)
        .select((eb) => ['v.participant_id', eb.fn.countAll<number>().as('n')])
        .groupBy('v.participant_id')
        .as('c'),
      'c.participant_id',
      'p.id',
    )
    .select(['p.id as pid', 'p.code', 'p.first_name', 'p.nickname', 'p.last_name', 'c.n as visits'])
    .orderBy('p.name_key')
    .orderBy('p.id')
    .limit(request.limit)
    .offset(request.offset)
    .execute()
  return { list: 'people', total: Number(total), rows: rows.map((row) => ({ ...person(row)!, visits: Number(row.visits ?? 0) })) }
}

async function referralsPage(db: ReportDb, counting: Counting, request: DrillRequest, scope: CountScope): Promise<DrillPage> {
  const { filter } = request
  let query = db.selectFrom(referralStates(db, counting.range, counting.endInstant, { scope }).as('s'))
  if (filter.referralType) query = query.where('s.type', '=', filter.referralType)
  if (filter.status) query = query.where('s.status', '=', filter.status)
  if (filter.connected !== undefined) {
    query = filter.connected
      ? query.where('s.got_help_at', '<', counting.endInstant)
      : query.where((eb) => eb.or([eb('s.got_help_at', 'is', null), eb('s.got_help_at', '>=', counting.endInstant)]))
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  const rows = await query
    .innerJoin('referrals as r', 'r.id', 's.id')
    .innerJoin('participants as p', 'p.id', 'r.participant_id')
    .innerJoin('agencies as a', 'a.id', 'r.agency_id')
    .select(['s.id', 's.type', 's.status', 's.referred_on', 'a.name as agency_name', 'p.id as pid', 'p.code', 'p.first_name', 'p.nickname', 'p.last_name'])
    .orderBy('s.referred_on', 'desc')
    .orderBy('s.id', 'desc')
    .limit(request.limit)
    .offset(request.offset)
    .execute()
  return {
    list: 'referrals',
    total: Number(total),
    rows: rows.map((row) => ({ id: row.id, type: row.type, status: row.status, referredOn: row.referred_on, agencyName: row.agency_name, person: person(row)! })),
  }
}

/**
 * The list behind a figure: the visits, people or referrals it counted, by the same rules, a
 * page at a time. It shows people's names, so it is audited like any other look at records:
 * which list, which range and who was on the page.
 */
export async function drillDown(ctx: ServiceContext, request: DrillRequest): Promise<DrillPage> {
  const range = resolveRange(ctx, request.range)
  const pair = countings(ctx, range)
  const counting = request.filter.period === 'previous' ? pair.previous : pair.current
  if (request.filter.bucketStart !== undefined && (request.filter.bucketStart > counting.range.to || bucketDays(counting.range, request.filter.bucketStart, range.grain).to < counting.range.from)) {
    throw new ServiceError('VALIDATION', 'reports.outsideRange', { field: 'bucketStart' })
  }
  return inTransaction(ctx, async (trx) => {
    // The list shows records, one row each, so it is never keyed by organization person (scope.ts).
    const scope: CountScope = { ...(await countScope({ ...ctx, db: trx }, request.scope)), byOrgKey: false }
    const page =
      request.list === 'visits'
        ? await visitsPage(trx, counting, range.grain, request, scope)
        : request.list === 'people'
          ? await peoplePage(trx, counting, request, scope)
          : await referralsPage(trx, counting, request, scope)
    const shown = page.list === 'people' ? page.rows.map((row) => row.id) : page.rows.flatMap((row) => (row.person ? [row.person.id] : []))
    await appendAudit(trx, isoNow(ctx), {
      staffId: ctx.staffId,
      action: 'report.drill_down',
      detail: { list: request.list, scope: scope.choice, from: counting.range.from, to: counting.range.to, filter: request.filter, offset: request.offset, rows: page.rows.length, total: page.total, people: [...new Set(shown)] },
    })
    return page
  })
}

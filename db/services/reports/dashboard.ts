import { readSnapshot } from '../../backend'
import type { Compared, DashboardData, DateRange, RangeRequest, ReportScopeChoice, ResolvedRange } from '../../report-types'
import { isoNow, localDate, localDayStart, type ServiceContext } from '../context'
import { coachingFigures } from './coaching'
import { groupFigures, peopleFigures, recoveryCapitalFigures, referralFigures, serviceFigures, visitFigures, visitHeatmap, visitSeries } from './figures'
import { addDays, offsetSpans, resolveRange, type OffsetSpan } from './range'
import { countPeople, type PeopleCounts } from './people'
import type { ReportDb } from './rules'
import { safetyFigures } from './safety'
import { countScope, scopeInfo, scopeName } from './scope'

/** What every figure of a range needs besides the database: its days, its end as an instant, the center's clock. */
export interface Counting {
  range: DateRange
  /** The start of the day after the range, in the center's zone: "by the range's end". */
  endInstant: string
  spans: OffsetSpan[]
}

/** The counted stretches of a resolved range (the range cut at today, and the one before it). */
export function countings(ctx: ServiceContext, range: ResolvedRange): Compared<Counting> {
  const current = { from: range.from, to: range.countedTo }
  const start = new Date(localDayStart(ctx, range.previous.from)).getTime()
  const end = localDayStart(ctx, addDays(range.countedTo, 1))
  // Offsets from the previous period's start to now: referrals may have connected since.
  const spans = offsetSpans(ctx.timeZone, start, Math.max(ctx.now().getTime(), new Date(end).getTime()))
  const at = (r: DateRange): Counting => ({ range: r, endInstant: localDayStart(ctx, addDays(r.to, 1)), spans })
  return { current: at(current), previous: at(range.previous) }
}

async function both<T>(pair: Compared<Counting>, figure: (c: Counting) => Promise<T>): Promise<Compared<T>> {
  return { current: await figure(pair.current), previous: await figure(pair.previous) }
}

/**
 * Every dashboard figure for a range and the period before it, counted by the rules in
 * rules.ts inside one read transaction, so the figures agree with one another: the window's
 * center's, or (`scope` 'organization', an organization admin only) every center's (scope.ts).
 */
export async function dashboard(ctx: ServiceContext, request: RangeRequest, choice: ReportScopeChoice = 'center'): Promise<DashboardData> {
  const range = resolveRange(ctx, request)
  const pair = countings(ctx, range)
  return readSnapshot(ctx.db, async (trx) => {
    const db: ReportDb = trx
    const tx = { ...ctx, db }
    const scope = await countScope(tx, choice)
    // Each period's people are counted once and shared by the figures that need them (from the roll-ups only).
    const counted = new Map<Counting, Promise<PeopleCounts | undefined>>()
    const people = (c: Counting) => {
      if (!counted.has(c)) counted.set(c, scope.rollups ? countPeople(db, c.range) : Promise.resolve(undefined))
      return counted.get(c)!
    }
    return {
      centerName: await scopeName(tx, scope),
      scope: await scopeInfo(tx, scope),
      range,
      countedAt: isoNow(ctx),
      today: localDate(ctx),
      summary: await both(pair, async (c) => ({ people: await peopleFigures(db, c.range, await people(c), scope), visits: await visitFigures(db, c.range, scope) })),
      series: await both(pair, async (c) => visitSeries(db, c.range, range.grain, await people(c), scope)),
      heatmap: await visitHeatmap(db, pair.current.range, pair.current.spans, scope),
      services: await both(pair, async (c) => serviceFigures(db, c.range, await people(c), scope)),
      referrals: await both(pair, (c) => referralFigures(db, c.range, c.endInstant, c.spans, scope)),
      recoveryCapital: await both(pair, (c) => recoveryCapitalFigures(db, c.range, scope)),
      groups: await both(pair, (c) => groupFigures(db, c.range, scope)),
      safety: await both(pair, (c) => safetyFigures(db, c.range, c.endInstant, scope)),
      coaching: await both(pair, (c) => coachingFigures(db, c.range, scope)),
    }
  })
}

import { readSnapshot } from '../../backend'
import type { FunderReport, RangeRequest, ReportScopeChoice } from '../../report-types'
import { isoNow, type ServiceContext } from '../context'
import { coachingFigures } from './coaching'
import { countings } from './dashboard'
import { demographics, groupFigures, peopleFigures, recoveryCapitalFigures, referralFigures, serviceFigures, visitFigures } from './figures'
import { countPeople } from './people'
import { resolveRange } from './range'
import { safetyFigures } from './safety'
import { countScope, scopeInfo, scopeName } from './scope'

/** The catalog key whose quantity is the naloxone kits a funder asks about. */
export const NALOXONE_KEY = 'naloxone'

/**
 * The funder report for one range: the dashboard's figures for that range (same rules, same
 * queries) and the demographics of the people counted, in one read transaction.
 */
export async function funderReport(ctx: ServiceContext, request: RangeRequest, choice: ReportScopeChoice = 'center'): Promise<FunderReport> {
  const range = resolveRange(ctx, request)
  const { current } = countings(ctx, range)
  return readSnapshot(ctx.db, async (db) => {
    const tx = { ...ctx, db }
    const scope = await countScope(tx, choice)
    const people = scope.rollups ? await countPeople(db, current.range) : undefined
    const services = await serviceFigures(db, current.range, people, scope)
    return {
      centerName: await scopeName(tx, scope),
      scope: await scopeInfo(tx, scope),
      range,
      countedAt: isoNow(ctx),
      people: await peopleFigures(db, current.range, people, scope),
      visits: await visitFigures(db, current.range, scope),
      services,
      naloxoneKits: services.find((service) => service.key === NALOXONE_KEY)?.quantity ?? 0,
      referrals: await referralFigures(db, current.range, current.endInstant, current.spans, scope),
      recoveryCapital: await recoveryCapitalFigures(db, current.range, scope),
      groups: await groupFigures(db, current.range, scope),
      coaching: await coachingFigures(db, current.range, scope),
      demographics: await demographics(db, current.range, scope),
      safety: await safetyFigures(db, current.range, current.endInstant, scope),
    }
  })
}

import { readSnapshot } from '../../backend'
import type { FunderReport, RangeRequest } from '../../report-types'
import { isoNow, type ServiceContext } from '../context'
import { centerId } from '../centers'
import { getCenterName } from '../setup'
import { coachingFigures } from './coaching'
import { countings } from './dashboard'
import { demographics, groupFigures, peopleFigures, recoveryCapitalFigures, referralFigures, serviceFigures, visitFigures } from './figures'
import { countPeople } from './people'
import { resolveRange } from './range'
import { safetyFigures } from './safety'

/** The catalog key whose quantity is the naloxone kits a funder asks about. */
export const NALOXONE_KEY = 'naloxone'

/**
 * The funder report for one range: the dashboard's figures for that range (same rules, same
 * queries) and the demographics of the people counted, in one read transaction.
 */
export async function funderReport(ctx: ServiceContext, request: RangeRequest): Promise<FunderReport> {
  const range = resolveRange(ctx, request)
  const { current } = countings(ctx, range)
  return readSnapshot(ctx.db, async (db) => {
    const people = await countPeople(db, current.range)
    const services = await serviceFigures(db, current.range, people)
    return {
      centerName: (await getCenterName(db, centerId(ctx))) ?? '',
      range,
      countedAt: isoNow(ctx),
      people: await peopleFigures(db, current.range, people),
      visits: await visitFigures(db, current.range),
      services,
      naloxoneKits: services.find((service) => service.key === NALOXONE_KEY)?.quantity ?? 0,
      referrals: await referralFigures(db, current.range, current.endInstant, current.spans),
      recoveryCapital: await recoveryCapitalFigures(db, current.range),
      groups: await groupFigures(db, current.range),
      coaching: await coachingFigures(db, current.range),
      demographics: await demographics(db, current.range),
      safety: await safetyFigures(db, current.range, current.endInstant),
    }
  })
}

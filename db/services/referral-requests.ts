import type { ReferralRequest } from '../types'
import { appendAudit } from './audit'
import { centerId, inCenter } from './centers'
import { inTransaction, isoNow, localDate, type ServiceContext } from './context'
import { visibleVisit } from './visible-visits'

export type { ReferralRequest }

/** How far back a "Referral" ticked at the desk still waits for a peer specialist. */
export const REQUEST_DAYS = 14

/**
 * People who asked for a referral at the desk (the "Referral" service on a visit) and have had
 * no referral made since: the peer specialists' work list shows them until one is made. Derived
 * from the visits themselves, so nothing can fall out of step with what the desk recorded; the
 * newest request per person, newest first. The look is audited like any list of people.
 */
export async function listReferralRequests(ctx: ServiceContext): Promise<ReferralRequest[]> {
  const since = localDate(ctx, new Date(ctx.now().getTime() - REQUEST_DAYS * 86_400_000))
  const rows = await ctx.db
    .selectFrom('visits as v')
    .innerJoin('visit_services as vs', 'vs.visit_id', 'v.id')
    .innerJoin('services as s', 's.id', 'vs.service_id')
    .innerJoin('participants as p', 'p.id', 'v.participant_id')
    .$call(inCenter(ctx, 'v'))
    .select(['v.id as visitId', 'v.visit_date as visitDate', 'v.signed_in_at as signedInAt', 'p.id as participantId', 'p.first_name as firstName', 'p.nickname', 'p.last_name as lastName', 'p.code'])
    .where('s.key', '=', 'referral')
    .where('v.visit_date', '>=', since)
    .where('v.voided_at', 'is', null)
    .where(visibleVisit('v'))
    .where('p.merged_into', 'is', null)
    .where('p.deleted_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('referrals as r').select('r.id').where('r.center_id', '=', centerId(ctx)).whereRef('r.participant_id', '=', 'v.participant_id').whereRef('r.referred_on', '>=', 'v.visit_date'))),
    )
    .orderBy('v.signed_in_at', 'desc')
    .limit(200)
    .execute()
  const seen = new Set<number>()
  const requests = rows.filter((row) => !seen.has(row.participantId) && seen.add(row.participantId))
  await inTransaction(ctx, (trx) =>
    appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'referral.requests', detail: { rows: requests.length, participantIds: requests.map((r) => r.participantId) } }),
  )
  return requests.map((row) => ({
    visitId: row.visitId,
    visitDate: row.visitDate,
    signedInAt: row.signedInAt,
    person: { id: row.participantId, firstName: row.firstName, nickname: row.nickname, lastName: row.lastName, code: row.code },
  }))
}

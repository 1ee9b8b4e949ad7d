import type { ReferralSummary } from '../types'

export type { ReferralSummary }
import { appendAudit } from './audit'
import { centerId, inCenter } from './centers'
import { consentById } from './consents'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext } from './context'
import { addDays } from './reports/range'
import { getCenterName } from './setup'
import { visibleVisit } from './visible-visits'

/** How far back "attendance" on a summary looks: what an intake worker asks ("has she been coming?"). */
export const SUMMARY_ATTENDANCE_DAYS = 90

/**
 * Builds the summary for one referral and records the disclosure (who, to which agency, what) in
 * the audit log, where a person's accounting of disclosures finds it. Refused, with nothing
 * written, when the referral shares nothing or its consent no longer holds.
 */
export async function referralSummary(ctx: ServiceContext, referralId: number): Promise<ReferralSummary> {
  return inTransaction(ctx, async (trx) => {
    const today = localDate(ctx)
    const referral = await trx
      .selectFrom('referrals as r')
      .$call(inCenter(ctx, 'r'))
      .innerJoin('agencies as a', 'a.id', 'r.agency_id')
      .innerJoin('participants as p', 'p.id', 'r.participant_id')
      .select([
        'r.id',
        'r.participant_id',
        'r.agency_id',
        'r.type',
        'r.status',
        'r.note',
        'r.referred_on',
        'r.follow_up_on',
        'r.consent_id',
        'a.name as agency_name',
        'a.contact_name',
        'a.phone as agency_phone',
        'a.address',
        'p.first_name',
        'p.nickname',
        'p.last_name',
        'p.birth_date',
        'p.birth_year',
        'p.phone',
        'p.preferred_language',
        'p.pronouns',
      ])
      .where('r.id', '=', referralId)
      .executeTakeFirst()
    if (!referral) throw new ServiceError('NOT_FOUND', 'referrals.notFound')
    if (referral.consent_id === null) {
      throw new ServiceError('VALIDATION', 'referrals.summaryNoConsent', { field: 'consentId' })
    }
    const consent = await consentById(trx, ctx, referral.consent_id, today)
    if (!consent || consent.state !== 'active') {
      const agency = referral.agency_name
      if (!consent) throw new ServiceError('VALIDATION', 'referrals.summaryNoRecord', { field: 'consentId', agency })
      if (consent.state === 'revoked') throw new ServiceError('VALIDATION', 'referrals.summaryRevoked', { field: 'consentId', agency, date: consent.revokedAt!.slice(0, 10) })
      if (consent.state === 'expired') throw new ServiceError('VALIDATION', 'referrals.summaryExpired', { field: 'consentId', agency, date: consent.expiresOn })
      throw new ServiceError('VALIDATION', 'referrals.summaryNotStarted', { field: 'consentId', agency, date: consent.signedOn })
    }
    const allows = new Set(consent.information)
    const summary: ReferralSummary = {
      centerName: (await getCenterName(trx, centerId(ctx))) ?? '',
      printedOn: today,
      referral: { id: referral.id, type: referral.type, referredOn: referral.referred_on, followUpOn: referral.follow_up_on },
      agency: { name: referral.agency_name, contactName: referral.contact_name, phone: referral.agency_phone, address: referral.address },
      person: { firstName: referral.first_name, nickname: referral.nickname, lastName: referral.last_name, birthDate: referral.birth_date, birthYear: referral.birth_year },
      consent: { signedOn: consent.signedOn, expiresOn: consent.expiresOn, purpose: consent.purpose, information: consent.information },
    }
    if (allows.has('contact')) summary.contact = { phone: referral.phone, preferredLanguage: referral.preferred_language, pronouns: referral.pronouns }
    if (allows.has('attendance')) {
      const since = addDays(today, -SUMMARY_ATTENDANCE_DAYS)
      // Counted under the kept record: visits of records merged into it were moved onto it.
      const visits = await trx
        .selectFrom('visits')
        .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('visit_date').as('last')])
        .$call(inCenter(ctx, 'visits'))
        .where('participant_id', '=', referral.participant_id)
        .where('voided_at', 'is', null)
        .where(visibleVisit())
        .where('visit_date', '>=', since)
        .executeTakeFirstOrThrow()
      const sessions = await trx
        .selectFrom('attendance as t')
        .innerJoin('group_sessions as s', 's.id', 't.session_id')
        .select((eb) => eb.fn.count<number>('t.session_id').distinct().as('count'))
        .$call(inCenter(ctx, 't'))
        .where('t.participant_id', '=', referral.participant_id)
        .where('t.status', 'in', ['present', 'late'])
        .where('s.session_date', '>=', since)
        .executeTakeFirstOrThrow()
      summary.attendance = { since, visits: Number(visits.count), lastVisit: visits.last ?? null, groupSessions: Number(sessions.count) }
    }
    if (allows.has('referral_status')) {
      const events = await trx.selectFrom('referral_events').select(['at', 'status']).where('referral_id', '=', referral.id).orderBy('id').execute()
      summary.referralStatus = { status: referral.status, note: referral.note, events: events.map((e) => ({ on: localDate(ctx, new Date(e.at)), status: e.status })) }
    }
    await appendAudit(trx, isoNow(ctx), {
      staffId: ctx.staffId,
      action: 'referral.disclose',
      targetType: 'participant',
      targetId: referral.participant_id,
      detail: { referralId: referral.id, agencyId: referral.agency_id, agencyName: referral.agency_name, consentId: consent.id, information: consent.information },
    })
    return summary
  })
}

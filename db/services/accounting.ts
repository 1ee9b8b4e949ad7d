import { DISCLOSURE_ACTIONS, type AuditAction } from '../audit-actions'
import type { Accounting, ConsentInformation, Disclosure } from '../types'
import { appendAudit } from './audit'
import { personRecords } from './audit-people'
import { inTransaction, isoNow, localDate, localDayStart, ServiceError, type ServiceContext } from './context'

export type { Accounting, Disclosure }

/** HIPAA's right to an accounting (45 CFR §164.528) reaches back six years; so does the default period. */
export const ACCOUNTING_YEARS = 6

export interface AccountingRequest {
  participantId: number
  /** Center-local dates, both included; by default the six years up to today. */
  from?: string
  to?: string
}

function nextDay(date: string): string {
  const at = new Date(`${date}T00:00:00Z`)
  at.setUTCDate(at.getUTCDate() + 1)
  return at.toISOString().slice(0, 10)
}

/** The same calendar day `years` earlier (29 February falls back to the 28th), plus one: six whole years up to and including `to`. */
function yearsBefore(to: string, years: number): string {
  const [year, month, day] = to.split('-').map(Number) as [number, number, number]
  const at = new Date(Date.UTC(year - years, month - 1, day))
  if (at.getUTCMonth() !== month - 1) at.setUTCDate(0)
  return nextDay(at.toISOString().slice(0, 10))
}

/**
 * One person's accounting of disclosures (HIPAA §164.528, 42 CFR §2.24): every time their
 * information went to someone outside the center in the period, to whom, what and why. Those are
 * the referrals shared under a consent (a referral made without one sent nothing about them) and
 * any row of the log whose action is a disclosure (DISCLOSURE_ACTIONS). A merged person's
 * accounting covers all their records, asked by any of them. Producing it is itself a look at
 * the person's record, so it is audited in the same transaction.
 */
export async function accountingOfDisclosures(ctx: ServiceContext, request: AccountingRequest, disclosureActions: readonly AuditAction[] = DISCLOSURE_ACTIONS): Promise<Accounting> {
  const today = localDate(ctx)
  const to = request.to ?? today
  const from = request.from ?? yearsBefore(to, ACCOUNTING_YEARS)
  if (from > to) throw new ServiceError('VALIDATION', 'audit.periodBackwards', { field: 'to' })
  if (from > today) throw new ServiceError('VALIDATION', 'audit.periodFuture', { field: 'from' })
  return inTransaction(ctx, async (trx) => {
    const { person, records, askedFor } = await personRecords(trx, request.participantId)
    const ids = records.map((record) => record.id)
    const start = localDayStart(ctx, from)
    const end = localDayStart(ctx, nextDay(to))

    const referrals = await trx
      .selectFrom('referrals as r')
      .innerJoin('consents as c', 'c.id', 'r.consent_id')
      .innerJoin('agencies as a', 'a.id', 'r.agency_id')
      .leftJoin('staff as s', 's.id', 'r.created_by')
      .select(['r.id', 'r.participant_id', 'r.created_at', 'r.consent_id', 'a.name as agency', 'c.information', 'c.purpose', 'c.revoked_at', 's.display_name as staff'])
      .where('r.participant_id', 'in', ids)
      .where('r.created_at', '>=', start)
      .where('r.created_at', '<', end)
      .execute()
    const disclosures: Disclosure[] = referrals.map((row) => ({
      at: row.created_at,
      kind: 'referral',
      recipient: row.agency,
      information: JSON.parse(row.information) as ConsentInformation[],
      purpose: row.purpose,
      staffName: row.staff,
      participantId: row.participant_id,
      referralId: row.id,
      consentId: row.consent_id,
      consentRevokedAt: row.revoked_at,
    }))

    if (disclosureActions.length > 0) {
      const logged = await trx
        .selectFrom('audit_log')
        .leftJoin('staff', 'staff.id', 'audit_log.staff_id')
        .select(['audit_log.at', 'audit_log.action', 'audit_log.target_id', 'audit_log.detail', 'staff.display_name'])
        .where('audit_log.action', 'in', disclosureActions)
        .where('audit_log.target_type', '=', 'participant')
        .where('audit_log.target_id', 'in', ids)
        .where('audit_log.at', '>=', start)
        .where('audit_log.at', '<', end)
        .execute()
      const details = logged.map((row) => ({ ...row, detail: (row.detail ? JSON.parse(row.detail) : {}) as Record<string, unknown> }))
      const agencyIds = [...new Set(details.flatMap((row) => (typeof row.detail.agencyId === 'number' ? [row.detail.agencyId] : [])))]
      const agencies = new Map(
        agencyIds.length > 0 ? (await trx.selectFrom('agencies').select(['id', 'name']).where('id', 'in', agencyIds).execute()).map((a) => [a.id, a.name] as const) : [],
      )
      for (const row of details) {
        const { agencyId, recipient, information, purpose } = row.detail
        disclosures.push({
          at: row.at,
          kind: row.action,
          recipient: (typeof agencyId === 'number' ? agencies.get(agencyId) : undefined) ?? (typeof recipient === 'string' ? recipient : ''),
          information: Array.isArray(information) ? information.filter((item): item is string => typeof item === 'string') : [],
          purpose: typeof purpose === 'string' ? purpose : null,
          staffName: row.display_name,
          participantId: row.target_id!,
          referralId: typeof row.detail.referralId === 'number' ? row.detail.referralId : null,
          consentId: typeof row.detail.consentId === 'number' ? row.detail.consentId : null,
          consentRevokedAt: null,
        })
      }
    }
    disclosures.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))

    const producedAt = isoNow(ctx)
    await appendAudit(trx, producedAt, {
      staffId: ctx.staffId,
      action: 'participant.accounting',
      targetType: 'participant',
      targetId: person.id,
      detail: { from, to, rows: disclosures.length, records: ids.length },
    })
    return {
      person: { id: person.id, code: person.code, firstName: person.first_name, nickname: person.nickname, lastName: person.last_name },
      records,
      askedFor,
      from,
      to,
      producedAt,
      disclosures,
    }
  })
}

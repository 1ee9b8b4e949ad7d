import type { ConsentRow } from '../schema'
import type { Consent, ConsentInformation, ConsentState } from '../types'
import { activeAgency } from './agencies'
import { appendAudit } from './audit'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx } from './context'
import { centerId, inCenter, type CenterScope } from './centers'
import { activeParticipant, resolveParticipant } from './profile'

export type { Consent }

export interface ConsentInput {
  participantId: number
  agencyId: number
  purpose: string
  information: ConsentInformation[]
  signedOn: string
  expiresOn: string
}

/** Part 2 consents name an end; five years is a generous outer limit a typo (2206) would pass. */
const MAX_YEARS = 5

/** Whether a consent may be relied on, on the center's calendar day `today`. */
export function consentState(row: Pick<ConsentRow, 'revoked_at' | 'signed_on' | 'expires_on'>, today: string): ConsentState {
  if (row.revoked_at !== null) return 'revoked'
  if (row.signed_on > today) return 'not_yet'
  if (row.expires_on < today) return 'expired'
  return 'active'
}

function selectConsents(db: ServiceContext['db'] | Trx, scope: CenterScope) {
  return db
    .selectFrom('consents as c')
    .$call(inCenter(scope, 'c'))
    .innerJoin('agencies as a', 'a.id', 'c.agency_id')
    .leftJoin('staff as s', 's.id', 'c.created_by')
    .selectAll('c')
    .select(['a.name as agency_name', 's.display_name as created_by_name'])
}

type SelectedConsent = ConsentRow & { agency_name: string; created_by_name: string | null }

function toConsent(row: SelectedConsent, today: string): Consent {
  return {
    id: row.id,
    participantId: row.participant_id,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    purpose: row.purpose,
    information: JSON.parse(row.information) as ConsentInformation[],
    signedOn: row.signed_on,
    expiresOn: row.expires_on,
    revokedAt: row.revoked_at,
    revokeNote: row.revoke_note,
    state: consentState(row, today),
    createdAt: row.created_at,
    createdByName: row.created_by_name,
  }
}

export async function consentById(db: ServiceContext['db'] | Trx, scope: CenterScope, id: number, today: string): Promise<Consent | null> {
  const row = await selectConsents(db, scope).where('c.id', '=', id).executeTakeFirst()
  return row ? toConsent(row, today) : null
}

/**
 * A person's consents, newest first, with whether each can be relied on today. The read is
 * audited: which agencies a person agreed to share with says something about them.
 */
export async function listConsents(ctx: ServiceContext, participantId: number): Promise<Consent[]> {
  return inTransaction(ctx, async (trx) => {
    const { row } = await resolveParticipant(trx, participantId, ctx)
    const rows = await selectConsents(trx, ctx).where('c.participant_id', '=', row.id).orderBy('c.signed_on', 'desc').orderBy('c.id', 'desc').execute()
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'consent.list', targetType: 'participant', targetId: row.id, detail: { rows: rows.length } })
    const today = localDate(ctx)
    return rows.map((consent) => toConsent(consent, today))
  })
}

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-') as [string, string, string]
  return `${String(Number(y) + years).padStart(4, '0')}-${m}-${d}`
}

/** Records a consent the person signed (the signed form is kept as the center keeps its paper). */
export async function createConsent(ctx: ServiceContext, input: ConsentInput): Promise<Consent> {
  const purpose = input.purpose.replace(/\s+/g, ' ').trim()
  if (!purpose) throw new ServiceError('VALIDATION', 'consents.purpose', { field: 'purpose' })
  const information = [...new Set(input.information)]
  if (information.length === 0) throw new ServiceError('VALIDATION', 'consents.information', { field: 'information' })
  const today = localDate(ctx)
  if (input.signedOn > today) throw new ServiceError('VALIDATION', 'consents.signedFuture', { field: 'signedOn' })
  if (input.expiresOn < input.signedOn) throw new ServiceError('VALIDATION', 'consents.endBeforeSigned', { field: 'expiresOn' })
  if (input.expiresOn < today) throw new ServiceError('VALIDATION', 'consents.endPassed', { field: 'expiresOn' })
  if (input.expiresOn > addYears(input.signedOn, MAX_YEARS)) {
    throw new ServiceError('VALIDATION', 'consents.tooLong', { field: 'expiresOn', years: MAX_YEARS })
  }
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const person = await activeParticipant(trx, input.participantId, ctx)
    await activeAgency(trx, ctx, input.agencyId)
    const row = await trx
      .insertInto('consents')
      .values({
        center_id: centerId(ctx),
        participant_id: person.id,
        agency_id: input.agencyId,
        purpose,
        information: JSON.stringify(information),
        signed_on: input.signedOn,
        expires_on: input.expiresOn,
        revoked_at: null,
        revoked_by: null,
        revoke_note: null,
        created_by: ctx.staffId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'consent.create',
      targetType: 'participant',
      targetId: person.id,
      detail: { consentId: row.id, agencyId: input.agencyId, information, expiresOn: input.expiresOn },
    })
    return (await consentById(trx, ctx, row.id, today))!
  })
}

/**
 * The person withdrew their consent. Nothing more may be shared under it from now on; what was
 * shared before stays shared (Part 2 revocation is not retroactive), and the referrals made under
 * it show the consent as revoked.
 */
export async function revokeConsent(ctx: ServiceContext, id: number, note?: string | null): Promise<Consent> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const row = await trx.selectFrom('consents').selectAll().where('id', '=', id).$call(inCenter(ctx, 'consents')).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'consents.notFound')
    if (row.revoked_at !== null) throw new ServiceError('CONFLICT', 'consents.alreadyRevoked', { revokedAt: row.revoked_at })
    await trx
      .updateTable('consents')
      .set({ revoked_at: now, revoked_by: ctx.staffId, revoke_note: note?.trim() || null, updated_at: now })
      .where('id', '=', id)
      .$call(inCenter(ctx, 'consents'))
      .execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'consent.revoke', targetType: 'participant', targetId: row.participant_id, detail: { consentId: id } })
    return (await consentById(trx, ctx, id, localDate(ctx)))!
  })
}

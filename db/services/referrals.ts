import { sql } from 'kysely'
import {
  isClosedStatus,
  type ReferralDetails,
  type ReferralEvent,
  type ReferralFilter,
  type ReferralPage,
  type ReferralRow,
  type ReferralStatus,
  type ReferralType,
} from '../types'
import { activeAgency } from './agencies'
import { appendAudit } from './audit'
import { consentById, consentState } from './consents'
import { message } from '../../shared/messages'
import { centerId, inCenter, type CenterScope } from './centers'
import { checkRowVersion, inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx } from './context'
import { activeParticipant, resolveParticipant } from './profile'
import { addDays } from './reports/range'

export type { ReferralDetails, ReferralFilter, ReferralPage, ReferralRow }

export interface NewReferral {
  participantId: number
  agencyId: number
  type: ReferralType
  note?: string | null
  /** Defaults to today. */
  referredOn?: string
  followUpOn?: string | null
  /** The consent under which the person's information goes to the agency; null: nothing is shared. */
  consentId?: number | null
  /** The desk was told of a referral to the same agency in the last week and means another. */
  allowRecent?: boolean
}

/** A second referral of one person to one agency within this many days is asked about first. */
export const RECENT_REFERRAL_DAYS = 7

export interface ReferralChange {
  status?: ReferralStatus
  /** null clears it. */
  followUpOn?: string | null
  /** What happened, for the history (a call made, a message left). */
  note?: string | null
  outcomeNote?: string | null
  /** The version the screen read it at (ReferralDetails.version); left out, the change applies to whatever is there. */
  version?: number
}

function selectRows(db: ServiceContext['db'] | Trx, scope: CenterScope) {
  return db
    .selectFrom('referrals as r')
    .$call(inCenter(scope, 'r'))
    .innerJoin('participants as p', 'p.id', 'r.participant_id')
    .innerJoin('agencies as a', 'a.id', 'r.agency_id')
    .leftJoin('consents as c', 'c.id', 'r.consent_id')
    .select([
      'r.id',
      'r.participant_id',
      'p.code',
      'p.first_name',
      'p.nickname',
      'p.last_name',
      'r.agency_id',
      'a.name as agency_name',
      'r.type',
      'r.status',
      'r.referred_on',
      'r.follow_up_on',
      'r.closed_on',
      'r.updated_at',
      'c.revoked_at as consent_revoked_at',
      'c.signed_on as consent_signed_on',
      'c.expires_on as consent_expires_on',
    ])
}

type SelectedRow = Awaited<ReturnType<ReturnType<typeof selectRows>['executeTakeFirstOrThrow']>>

function toRow(row: SelectedRow, today: string): ReferralRow {
  return {
    id: row.id,
    person: { id: row.participant_id, code: row.code, firstName: row.first_name, nickname: row.nickname, lastName: row.last_name },
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    type: row.type,
    status: row.status,
    referredOn: row.referred_on,
    followUpOn: row.follow_up_on,
    closedOn: row.closed_on,
    consentState:
      row.consent_signed_on === null || row.consent_expires_on === null
        ? null
        : consentState({ revoked_at: row.consent_revoked_at, signed_on: row.consent_signed_on, expires_on: row.consent_expires_on }, today),
    updatedAt: row.updated_at,
  }
}

/**
 * One page of referrals. 'open' and 'due' (open, follow-up today or overdue) come in the order
 * they need a call: earliest follow-up first, those with no date last. 'closed' and 'all' come
 * newest first. The read is audited: the list names people and what they were referred for.
 */
export async function listReferrals(ctx: ServiceContext, filter: ReferralFilter, offset: number, limit: number): Promise<ReferralPage> {
  return inTransaction(ctx, async (trx) => {
    const today = localDate(ctx)
    const view = filter.view ?? 'open'
    let participantId: number | undefined
    if (filter.participantId !== undefined) participantId = (await resolveParticipant(trx, filter.participantId, ctx)).row.id
    let query = selectRows(trx, ctx)
    if (view === 'open') query = query.where('r.closed_on', 'is', null)
    if (view === 'due') query = query.where('r.closed_on', 'is', null).where('r.follow_up_on', '<=', today)
    if (view === 'closed') query = query.where('r.closed_on', 'is not', null)
    if (filter.type !== undefined) query = query.where('r.type', '=', filter.type)
    if (filter.agencyId !== undefined) query = query.where('r.agency_id', '=', filter.agencyId)
    if (participantId !== undefined) query = query.where('r.participant_id', '=', participantId)
    const ordered =
      view === 'open' || view === 'due'
        ? query.orderBy(sql`r.follow_up_on IS NULL`).orderBy('r.follow_up_on').orderBy('r.referred_on').orderBy('r.id')
        : query.orderBy('r.referred_on', 'desc').orderBy('r.id', 'desc')
    const rows = await ordered.limit(limit).offset(offset).execute()
    const { total } = await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
    let dueQuery = trx.selectFrom('referrals').select((eb) => eb.fn.countAll<number>().as('due')).$call(inCenter(ctx, 'referrals')).where('closed_on', 'is', null).where('follow_up_on', '<=', today)
    if (participantId !== undefined) dueQuery = dueQuery.where('participant_id', '=', participantId)
    const { due } = await dueQuery.executeTakeFirstOrThrow()
    await appendAudit(trx, isoNow(ctx), {
      staffId: ctx.staffId,
      action: 'referral.list',
      ...(participantId !== undefined ? { targetType: 'participant', targetId: participantId } : {}),
      detail: { view, offset, rows: rows.length, total: Number(total) },
    })
    return { rows: rows.map((row) => toRow(row, today)), total: Number(total), dueCount: Number(due) }
  })
}

async function details(trx: Trx, scope: CenterScope, id: number, today: string): Promise<ReferralDetails> {
  const row = await selectRows(trx, scope)
    .leftJoin('staff as s', 's.id', 'r.created_by')
    .select(['r.note', 'r.outcome_note', 'r.consent_id', 'r.created_at', 'r.row_version', 's.display_name as created_by_name'])
    .where('r.id', '=', id)
    .executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'referrals.notFound')
  const events = await trx
    .selectFrom('referral_events as e')
    .leftJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.id', 'e.status', 'e.follow_up_on', 'e.note', 'e.at', 's.display_name'])
    .where('e.referral_id', '=', id)
    .orderBy('e.id')
    .execute()
  return {
    ...toRow(row, today),
    note: row.note,
    outcomeNote: row.outcome_note,
    consent: row.consent_id === null ? null : await consentById(trx, scope, row.consent_id, today),
    createdByName: row.created_by_name,
    createdAt: row.created_at,
    events: events.map((e): ReferralEvent => ({ id: e.id, status: e.status, followUpOn: e.follow_up_on, note: e.note, at: e.at, staffName: e.display_name })),
    version: row.row_version,
  }
}

/** One referral with its history and consent; the read is audited against the person. */
export async function getReferral(ctx: ServiceContext, id: number): Promise<ReferralDetails> {
  return inTransaction(ctx, async (trx) => {
    const referral = await details(trx, ctx, id, localDate(ctx))
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'referral.view', targetType: 'participant', targetId: referral.person.id, detail: { referralId: id } })
    return referral
  })
}

function text(value: string | null | undefined): string | null {
  return value?.replace(/[ \t]+/g, ' ').trim() || null
}

/**
 * Makes a referral. When something about the person is shared with the agency it must be under
 * a consent that names that agency and holds today (42 CFR Part 2); the consent is recorded on
 * the referral so it can be shown, and checked again, later.
 */
export async function createReferral(ctx: ServiceContext, input: NewReferral): Promise<ReferralDetails> {
  const today = localDate(ctx)
  const referredOn = input.referredOn ?? today
  if (referredOn > today) throw new ServiceError('VALIDATION', 'referrals.future', { field: 'referredOn' })
  if (input.followUpOn && input.followUpOn < referredOn) {
    throw new ServiceError('VALIDATION', 'referrals.followUpBefore', { field: 'followUpOn' })
  }
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const person = await activeParticipant(trx, input.participantId, ctx)
    const agency = await activeAgency(trx, ctx, input.agencyId)
    const takes = await trx.selectFrom('agency_referral_types').select('type').where('agency_id', '=', agency.id).where('type', '=', input.type).executeTakeFirst()
    if (!takes) {
      throw new ServiceError('VALIDATION', 'referrals.typeNotTaken', {
        agency: agency.name,
        type: message(`referralType.${input.type}`),
        field: 'agencyId',
      })
    }
    if (input.consentId != null) {
      const consent = await trx.selectFrom('consents').selectAll().where('id', '=', input.consentId).$call(inCenter(ctx, 'consents')).executeTakeFirst()
      if (!consent || consent.participant_id !== person.id || consent.agency_id !== agency.id) {
        throw new ServiceError('VALIDATION', 'referrals.chooseConsent', { field: 'consentId', agency: agency.name })
      }
      const state = consentState(consent, today)
      if (state !== 'active') {
        if (state === 'revoked') throw new ServiceError('VALIDATION', 'referrals.consentRevoked', { field: 'consentId' })
        if (state === 'expired') throw new ServiceError('VALIDATION', 'referrals.consentExpired', { field: 'consentId', date: consent.expires_on })
        throw new ServiceError('VALIDATION', 'referrals.consentNotStarted', { field: 'consentId', date: consent.signed_on })
      }
    }
    // Asked after the hard refusals: a question is no use when the answer cannot be saved anyway.
    if (!input.allowRecent) {
      const recent = await trx
        .selectFrom('referrals')
        .select(['id', 'referred_on', 'status', 'type'])
        .$call(inCenter(ctx, 'referrals'))
        .where('participant_id', '=', person.id)
        .where('agency_id', '=', agency.id)
        .where('referred_on', '>=', addDays(referredOn, -RECENT_REFERRAL_DAYS))
        .orderBy('referred_on', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst()
      if (recent) {
        throw new ServiceError('RECENT_REFERRAL', 'referrals.recent', {
          agency: agency.name,
          date: recent.referred_on,
          referralId: recent.id,
          referredOn: recent.referred_on,
          status: recent.status,
          type: recent.type,
          agencyName: agency.name,
        })
      }
    }
    const followUpOn = input.followUpOn ?? null
    const row = await trx
      .insertInto('referrals')
      .values({
        center_id: centerId(ctx),
        participant_id: person.id,
        agency_id: agency.id,
        type: input.type,
        status: 'pending',
        consent_id: input.consentId ?? null,
        note: text(input.note),
        referred_on: referredOn,
        follow_up_on: followUpOn,
        outcome_note: null,
        closed_on: null,
        created_by: ctx.staffId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.insertInto('referral_events').values({ referral_id: row.id, status: 'pending', follow_up_on: followUpOn, note: null, staff_id: ctx.staffId, at: now }).execute()
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'referral.create',
      targetType: 'participant',
      targetId: person.id,
      detail: { referralId: row.id, agencyId: agency.id, type: input.type, shared: input.consentId != null },
    })
    return details(trx, ctx, row.id, today)
  })
}

/**
 * Moves a referral along: a new status, a new follow-up date, a note of what happened, the
 * outcome. Each status or follow-up change, or note, is a line in its history. Reaching a
 * closed status records the day and clears the follow-up; reopening clears the closed day.
 */
export async function updateReferral(ctx: ServiceContext, id: number, change: ReferralChange): Promise<ReferralDetails> {
  const today = localDate(ctx)
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const row = await trx.selectFrom('referrals').selectAll().where('id', '=', id).$call(inCenter(ctx, 'referrals')).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'referrals.notFound')
    checkRowVersion(row, change.version)
    const status = change.status ?? row.status
    const closing = isClosedStatus(status)
    let followUpOn = change.followUpOn !== undefined ? change.followUpOn : row.follow_up_on
    if (closing) {
      if (change.followUpOn) throw new ServiceError('VALIDATION', 'referrals.closedFollowUp', { field: 'followUpOn' })
      followUpOn = null
    }
    if (followUpOn && followUpOn < row.referred_on) {
      throw new ServiceError('VALIDATION', 'referrals.followUpBeforeDate', { field: 'followUpOn', date: row.referred_on })
    }
    const note = text(change.note)
    const outcomeNote = change.outcomeNote !== undefined ? text(change.outcomeNote) : row.outcome_note
    const fields: string[] = []
    if (status !== row.status) fields.push('status')
    if (followUpOn !== row.follow_up_on) fields.push('followUpOn')
    if (outcomeNote !== row.outcome_note) fields.push('outcomeNote')
    if (note) fields.push('note')
    if (fields.length === 0) return details(trx, ctx, id, today)
    const closedOn = closing ? (isClosedStatus(row.status) ? row.closed_on : today) : null
    const saved = await trx
      .updateTable('referrals')
      .set({ status, follow_up_on: followUpOn, outcome_note: outcomeNote, closed_on: closedOn, updated_at: now, row_version: row.row_version + 1 })
      .where('id', '=', id)
      .where('row_version', '=', row.row_version)
      .$call(inCenter(ctx, 'referrals'))
      .executeTakeFirst()
    if (Number(saved.numUpdatedRows) !== 1) throw new ServiceError('STALE', 'door.changedElsewhere')
    if (status !== row.status || followUpOn !== row.follow_up_on || note) {
      await trx.insertInto('referral_events').values({ referral_id: id, status, follow_up_on: followUpOn, note, staff_id: ctx.staffId, at: now }).execute()
    }
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'referral.update',
      targetType: 'participant',
      targetId: row.participant_id,
      detail: { referralId: id, fields, ...(status !== row.status ? { from: row.status, to: status } : {}) },
    })
    return details(trx, ctx, id, today)
  })
}

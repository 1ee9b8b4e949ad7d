import { centerId, inCenter, type CenterScope } from './centers'
import { sql } from 'kysely'
import type { VisitChangeKind } from '../schema'
import { appendAudit } from './audit'
import { checkServiceRequired } from './center-settings'
import { brokeUnique, inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx, type UniqueIndex } from './context'
import { prefixEnd } from './duplicates'
import { normalizeName } from './participant-fields'
import { refreshLastVisit, resolveParticipant } from './profile'
import { askManagerToday } from './restrictions'
import { addDays } from '../domain/calendar'
import type { AnonymousCodeSummary, TodayVisit } from '../types'
import { visibleVisit } from './visible-visits'

export type { AnonymousCodeSummary, TodayVisit }

type Db = ServiceContext['db'] | Trx

export interface ServiceLine {
  serviceId: number
  quantity: number
}

export interface SignInInput {
  /** A registered person, or null for an anonymous visit. */
  participantId: number | null
  /** For anonymous visits: an optional short code the visitor chose. */
  anonymousCode?: string | null
  services: ServiceLine[]
  note?: string | null
  /** The desk confirmed that this person, already here, should be signed in again. */
  allowRepeat?: boolean
  /** Signed in by the person themselves at a kiosk that this staff member started. */
  kiosk?: { startedBy: number }
  /**
   * A manager signs in a person under a restriction after seeing them. The door lets only
   * managers and admins set it (handlers/visits.ts); it is audited as an override.
   */
  managerOverride?: boolean
}


export function normalizeCode(code: string | null | undefined): string | null {
  const cleaned = code ? normalizeName(code).replace(/\s/g, '').toUpperCase() : ''
  return cleaned || null
}

/** One new visit row (the desk's sign-in, or the visit group attendance makes). */
export async function insertVisit(
  trx: Trx,
  ctx: ServiceContext,
  now: string,
  visit: { participantId: number | null; anonymousCode: string | null; visitDate: string; signedInAt: string; signedOutAt: string | null; note: string | null; repeatConfirmed?: boolean },
): Promise<{ id: number }> {
  return trx
    .insertInto('visits')
    .values({
      participant_id: visit.participantId,
      anonymous_code: visit.anonymousCode,
      visit_date: visit.visitDate,
      signed_in_at: visit.signedInAt,
      signed_out_at: visit.signedOutAt,
      note: visit.note,
      created_by: ctx.staffId,
      created_at: now,
      updated_at: now,
      voided_at: null,
      void_reason: null,
      repeat_confirmed: visit.repeatConfirmed ? 1 : 0,
      center_id: centerId(ctx),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export async function signIn(ctx: ServiceContext, input: SignInInput): Promise<TodayVisit> {
  const anonymousCode = input.participantId === null ? normalizeCode(input.anonymousCode) : null
  const serviceIds = new Set<number>()
  for (const line of input.services) {
    if (serviceIds.has(line.serviceId)) throw new ServiceError('VALIDATION', 'visits.serviceTwice')
    serviceIds.add(line.serviceId)
  }
  // Whose open visit the sign-in looked for, kept for the refusal if another PC's lands first.
  let asked: { who: OpenVisitOwner; day: string } | undefined
  return inTransaction(ctx, async (trx): Promise<TodayVisit> => {
    await checkServiceRequired(trx, input.services.length)
    const now = isoNow(ctx)
    const today = localDate(ctx)
    // A record merged away since the desk found it signs in the person it was merged into.
    const person = input.participantId === null ? null : (await resolveParticipant(trx, input.participantId, ctx)).row
    const participantId = person?.id ?? null
    // Before anything else about the visit: the desk learns only that a manager is needed.
    const restricted = participantId !== null && (await askManagerToday(ctx, trx, participantId))
    if (restricted && !input.managerOverride) throw new ServiceError('RESTRICTED', 'restrictions.askManager')
    const catalog =
      input.services.length === 0
        ? []
        : await trx
            .selectFrom('services')
            .select(['id', 'has_quantity', 'retired_at', 'key', 'name_en', 'name_es', 'sort_order'])
            .where('id', 'in', [...serviceIds])
            .execute()
    if (input.services.length > 0) {
      for (const line of input.services) {
        const service = catalog.find((s) => s.id === line.serviceId)
        if (!service || service.retired_at) throw new ServiceError('VALIDATION', 'visits.serviceRetired')
        if (!service.has_quantity && line.quantity !== 1) throw new ServiceError('VALIDATION', 'visits.noQuantity')
      }
    }
    const who = participantId !== null ? { participantId } : anonymousCode ? { anonymousCode } : null
    if (who) asked = { who, day: today }
    if (!input.allowRepeat && who) {
      const already = await openVisitOf(trx, ctx, who, today)
      if (already) throw alreadySignedIn(already)
    }
    // The insert also counts the visit and sets the person's last_visit_at (visits_count_insert,
    // 0066): one write of their row, as their list entries move once.
    const note = input.note?.trim() || null
    const visit = await insertVisit(trx, ctx, now, {
      participantId,
      anonymousCode,
      visitDate: today,
      signedInAt: now,
      signedOutAt: null,
      note,
      repeatConfirmed: input.allowRepeat === true && who !== null && (await openVisitOf(trx, ctx, who, today)) !== undefined,
    })
    if (input.services.length > 0) {
      await trx
        .insertInto('visit_services')
        .values(input.services.map((line) => ({ visit_id: visit.id, service_id: line.serviceId, quantity: line.quantity })))
        .execute()
    }
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'visit.sign_in',
      targetType: 'visit',
      targetId: visit.id,
      detail: {
        participantId,
        services: input.services.length,
        ...(input.kiosk ? { kiosk: true, kioskStartedBy: input.kiosk.startedBy } : {}),
      },
    })
    if (restricted) {
      await appendAudit(trx, now, { staffId: ctx.staffId, action: 'restriction.override', targetType: 'participant', targetId: participantId, detail: { visitId: visit.id } })
    }
    // The answer is what was just written, as visitsWhere would read it back: that read was two
    // more round trips to a server after the commit.
    const lines = input.services.map((line) => ({ ...line, service: catalog.find((s) => s.id === line.serviceId)! }))
    lines.sort((a, b) => a.service.sort_order - b.service.sort_order)
    return {
      id: visit.id,
      signedInAt: now,
      signedOutAt: null,
      anonymousCode,
      note,
      participant: person && { id: person.id, code: person.code, firstName: person.first_name, nickname: person.nickname, lastName: person.last_name },
      services: lines.map(({ service, quantity }) => ({ serviceId: service.id, key: service.key, nameEn: service.name_en, nameEs: service.name_es, quantity })),
    }
  }).catch((error: unknown) => refuseSecondOpenVisit(ctx, error, asked))
}

type OpenVisitOwner = { participantId: number } | { anonymousCode: string }

/** The one open, not voided visit a person (or anonymous code) may have per day (migration 0034). */
export const ONE_OPEN_VISIT: readonly UniqueIndex[] = [
  { name: 'visits_one_open_person', table: 'visits', columns: ['participant_id', 'visit_date'] },
  { name: 'visits_one_open_code', table: 'visits', columns: ['center_id', 'anonymous_code', 'visit_date'] },
]

/**
 * The newest open visit of this person (or code) on a day, repeats included: the desk's "already here".
 * A visit of `day` was signed in on that local day, which begins no earlier than the UTC day
 * before in any time zone (UTC+14 at the most): that lower bound reads the person's last two days
 * from visits_by_participant, with no index of open visits to keep on every sign-in (migration
 * 0065). A code's look-up keeps visits_by_anonymous_code, which the bound would lose to visits_by_date.
 */
async function openVisitOf(db: Db, scope: CenterScope, who: OpenVisitOwner, day: string): Promise<{ id: number; signed_in_at: string } | undefined> {
  let open = db
    .selectFrom('visits')
    .select(['id', 'signed_in_at'])
    .$call(inCenter(scope, 'visits'))
    .where('visit_date', '=', day)
    .where('signed_out_at', 'is', null)
    .where('voided_at', 'is', null)
    .where(visibleVisit())
  open =
    'participantId' in who
      ? open.where('participant_id', '=', who.participantId).where('signed_in_at', '>=', addDays(day, -1))
      : open.where('anonymous_code', '=', who.anonymousCode)
  return open.orderBy('signed_in_at', 'desc').executeTakeFirst()
}

function alreadySignedIn(already: { id: number; signed_in_at: string } | undefined): ServiceError {
  return new ServiceError('ALREADY_SIGNED_IN', 'visits.alreadySignedIn', already ? { visitId: already.id, signedInAt: already.signed_in_at } : {})
}

/**
 * Another PC signed the same person in between this desk's check and its write: the unique index
 * refused the second open visit and the transaction rolled back. The desk hears what it hears when
 * it finds the person already here, with the visit the other PC made (read after the rollback).
 * Any other failure passes through.
 */
async function refuseSecondOpenVisit(ctx: ServiceContext, error: unknown, asked: { who: OpenVisitOwner; day: string } | undefined): Promise<never> {
  if (!ONE_OPEN_VISIT.some((index) => brokeUnique(error, index))) throw error
  throw alreadySignedIn(asked && (await openVisitOf(ctx.db, ctx, asked.who, asked.day)))
}

export interface TodayFilter {
  /** 'here': not signed out yet; 'left': signed out; 'all' (default): both. */
  status?: 'here' | 'left' | 'all'
  /** Only visits that included this service. */
  serviceId?: number
}

async function visitsWhere(ctx: ServiceContext, filter: { id: number } | ({ date: string } & TodayFilter)): Promise<TodayVisit[]> {
  let query = ctx.db
    .selectFrom('visits as v')
    .leftJoin('participants as p', 'p.id', 'v.participant_id')
    .select([
      'v.id',
      'v.signed_in_at',
      'v.signed_out_at',
      'v.anonymous_code',
      'v.note',
      'p.id as participant_id',
      'p.code',
      'p.first_name',
      'p.nickname',
      'p.last_name',
    ])
    .where('v.voided_at', 'is', null)
    .where(visibleVisit('v'))
    .$call(inCenter(ctx, 'v'))
  if ('id' in filter) {
    query = query.where('v.id', '=', filter.id)
  } else {
    query = query.where('v.visit_date', '=', filter.date)
    if (filter.status === 'here') query = query.where('v.signed_out_at', 'is', null)
    if (filter.status === 'left') query = query.where('v.signed_out_at', 'is not', null)
    const serviceId = filter.serviceId
    if (serviceId !== undefined) {
      query = query.where(({ exists, selectFrom }) =>
        exists(selectFrom('visit_services as f').select('f.visit_id').whereRef('f.visit_id', '=', 'v.id').where('f.service_id', '=', serviceId)),
      )
    }
  }
  const rows = await query.orderBy('v.signed_in_at', 'desc').orderBy('v.id', 'desc').execute()
  if (rows.length === 0) return []
  const lines = await ctx.db
    .selectFrom('visit_services as vs')
    .innerJoin('services as s', 's.id', 'vs.service_id')
    .select(['vs.visit_id', 'vs.service_id', 'vs.quantity', 's.key', 's.name_en', 's.name_es', 's.sort_order'])
    .where('vs.visit_id', 'in', rows.map((row) => row.id))
    .orderBy('s.sort_order')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    signedInAt: row.signed_in_at,
    signedOutAt: row.signed_out_at,
    anonymousCode: row.anonymous_code,
    note: row.note,
    participant:
      row.participant_id === null
        ? null
        : { id: row.participant_id, code: row.code!, firstName: row.first_name, nickname: row.nickname, lastName: row.last_name },
    services: lines
      .filter((line) => line.visit_id === row.id)
      .map((line) => ({ serviceId: line.service_id, key: line.key, nameEn: line.name_en, nameEs: line.name_es, quantity: line.quantity })),
  }))
}

/** Everyone signed in today (the center's date), newest first; voided visits never show. */
export function todayVisits(ctx: ServiceContext, filter: TodayFilter = {}): Promise<TodayVisit[]> {
  return visitsWhere(ctx, { date: localDate(ctx), ...filter })
}

/** One visit as the board shows it (any day), or NOT_FOUND if it is not there or was voided. */
export async function visitById(ctx: ServiceContext, id: number): Promise<TodayVisit> {
  const [visit] = await visitsWhere(ctx, { id })
  if (!visit) throw new ServiceError('NOT_FOUND', 'visits.notFound')
  return visit
}

// ----- Changes to a visit after sign-in. Each is written to visit_changes (what it was, what it
// became, who, when and, for edits and voids, why) and to the audit log, in one transaction.

interface VisitState {
  signedInAt: string
  signedOutAt: string | null
  note: string | null
  services: ServiceLine[]
  voidedAt: string | null
  voidReason: string | null
}

async function visitState(trx: Trx, scope: CenterScope, visitId: number) {
  const visit = await trx.selectFrom('visits').selectAll().where('id', '=', visitId).$call(inCenter(scope, 'visits')).executeTakeFirst()
  if (!visit) throw new ServiceError('NOT_FOUND', 'visits.notFound')
  const lines = await trx
    .selectFrom('visit_services')
    .select(['service_id as serviceId', 'quantity'])
    .where('visit_id', '=', visitId)
    .orderBy('service_id')
    .execute()
  const state: VisitState = {
    signedInAt: visit.signed_in_at,
    signedOutAt: visit.signed_out_at,
    note: visit.note,
    services: lines,
    voidedAt: visit.voided_at,
    voidReason: visit.void_reason,
  }
  return { visit, state }
}

export async function recordChange(
  trx: Trx,
  ctx: ServiceContext,
  at: string,
  change: { visitId: number; kind: VisitChangeKind; reason: string | null; before: Partial<VisitState>; after: Partial<VisitState> },
): Promise<void> {
  await trx
    .insertInto('visit_changes')
    .values({
      visit_id: change.visitId,
      kind: change.kind,
      reason: change.reason,
      before: JSON.stringify(change.before),
      after: JSON.stringify(change.after),
      staff_id: ctx.staffId,
      at,
    })
    .execute()
}

function refuseVoided(voidedAt: string | null): void {
  if (voidedAt !== null) throw new ServiceError('CONFLICT', 'visits.voided')
}

function requireReason(reason: string): string {
  const text = reason.replace(/\s+/g, ' ').trim()
  if (text.length < 3) throw new ServiceError('VALIDATION', 'visits.reason', { field: 'reason' })
  return text
}

/** Signs one visit out now: the person has left. The board shows how long they stayed. */
export async function signOut(ctx: ServiceContext, visitId: number): Promise<TodayVisit> {
  await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const { visit } = await visitState(trx, ctx, visitId)
    refuseVoided(visit.voided_at)
    if (visit.signed_out_at !== null) {
      throw new ServiceError('CONFLICT', 'visits.alreadySignedOut', { signedOutAt: visit.signed_out_at })
    }
    // Never before the sign-in, even if this computer's clock was changed in between.
    const at = now < visit.signed_in_at ? visit.signed_in_at : now
    await trx.updateTable('visits').set({ signed_out_at: at, updated_at: now }).where('id', '=', visitId).$call(inCenter(ctx, 'visits')).execute()
    await recordChange(trx, ctx, now, { visitId, kind: 'sign_out', reason: null, before: { signedOutAt: null }, after: { signedOutAt: at } })
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'visit.sign_out', targetType: 'visit', targetId: visitId })
  })
  return visitById(ctx, visitId)
}

/** End of day: signs out everyone still here today. */
/**
 * End of day: everyone still here today signs out at `at` (the moment it is pressed, unless the
 * desk takes the closing time it proposes when pressed late), or at their sign-in if later.
 */
export async function signOutAll(ctx: ServiceContext, options: { at?: string } = {}): Promise<{ count: number }> {
  const when = options.at ?? isoNow(ctx)
  if (Date.parse(when) > ctx.now().getTime() + 60_000) throw new ServiceError('VALIDATION', 'visits.signOutFuture', { field: 'at' })
  if (localDate(ctx, new Date(when)) !== localDate(ctx)) throw new ServiceError('VALIDATION', 'visits.signOutToday', { field: 'at' })
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const open = await trx
      .selectFrom('visits')
      .select(['id', 'signed_in_at'])
      .where('visit_date', '=', localDate(ctx))
      .where('signed_out_at', 'is', null)
      .where('voided_at', 'is', null)
      .where(visibleVisit())
      .$call(inCenter(ctx, 'visits'))
      .execute()
    for (const visit of open) {
      const at = when < visit.signed_in_at ? visit.signed_in_at : new Date(when).toISOString()
      await trx.updateTable('visits').set({ signed_out_at: at, updated_at: now }).where('id', '=', visit.id).$call(inCenter(ctx, 'visits')).execute()
      await recordChange(trx, ctx, now, { visitId: visit.id, kind: 'sign_out_all', reason: null, before: { signedOutAt: null }, after: { signedOutAt: at } })
    }
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'visit.sign_out_all', detail: { count: open.length, at: when, visitIds: open.map((v) => v.id) } })
    return { count: open.length }
  })
}

export interface VisitUpdateInput {
  services: ServiceLine[]
  /** Left out: unchanged. Null or blank: cleared. */
  note?: string | null
  /** ISO-8601 instant. Left out: unchanged. */
  signedInAt?: string
  /** ISO-8601 instant. Left out: unchanged; null: back to "still here". */
  signedOutAt?: string | null
  reason: string
}

/** A clock may be a minute off between desks; an hour ahead is a typo. */
const FUTURE_SLACK_MS = 5 * 60_000

function instant(text: string, field: string): string {
  const at = new Date(text)
  if (Number.isNaN(at.getTime())) throw new ServiceError('VALIDATION', 'visits.dateTime', { field })
  return at.toISOString()
}

/**
 * Corrects a visit: its services, note and times. A reason is required; what it was and what
 * it became are kept in visit_changes. Services retired since the visit may stay on it, but
 * no retired service can be added.
 */
export async function updateVisit(ctx: ServiceContext, visitId: number, input: VisitUpdateInput): Promise<TodayVisit> {
  const reason = requireReason(input.reason)
  const ids = new Set<number>()
  for (const line of input.services) {
    if (ids.has(line.serviceId)) throw new ServiceError('VALIDATION', 'visits.serviceTwice', { field: 'services' })
    ids.add(line.serviceId)
  }
  // Reopening a visit ("still here") while another is open that day breaks the one-open-visit rule.
  let asked: { who: OpenVisitOwner; day: string } | undefined
  await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const { visit, state: before } = await visitState(trx, ctx, visitId)
    refuseVoided(visit.voided_at)
    await checkServiceRequired(trx, input.services.length)

    const signedInAt = input.signedInAt !== undefined ? instant(input.signedInAt, 'signedInAt') : before.signedInAt
    const signedOutAt =
      input.signedOutAt === undefined ? before.signedOutAt : input.signedOutAt === null ? null : instant(input.signedOutAt, 'signedOutAt')
    const latest = ctx.now().getTime() + FUTURE_SLACK_MS
    if (new Date(signedInAt).getTime() > latest) throw new ServiceError('VALIDATION', 'visits.signInFuture', { field: 'signedInAt' })
    if (signedOutAt !== null && new Date(signedOutAt).getTime() > latest) {
      throw new ServiceError('VALIDATION', 'visits.signOutFuture', { field: 'signedOutAt' })
    }
    if (signedOutAt !== null && signedOutAt < signedInAt) {
      throw new ServiceError('VALIDATION', 'visits.signOutBeforeIn', { field: 'signedOutAt' })
    }

    if (ids.size > 0) {
      const catalog = await trx.selectFrom('services').select(['id', 'has_quantity', 'retired_at']).where('id', 'in', [...ids]).execute()
      const onVisit = new Map(before.services.map((line) => [line.serviceId, line.quantity]))
      for (const line of input.services) {
        const service = catalog.find((s) => s.id === line.serviceId)
        if (!service || (service.retired_at && !onVisit.has(line.serviceId))) {
          throw new ServiceError('VALIDATION', 'visits.serviceRetired', { field: 'services' })
        }
        if (!service.has_quantity && line.quantity !== 1 && onVisit.get(line.serviceId) !== line.quantity) {
          throw new ServiceError('VALIDATION', 'visits.noQuantity', { field: 'services' })
        }
      }
    }

    const after: VisitState = {
      ...before,
      signedInAt,
      signedOutAt,
      note: input.note === undefined ? before.note : input.note?.trim() || null,
      services: [...input.services].map(({ serviceId, quantity }) => ({ serviceId, quantity })).sort((a, b) => a.serviceId - b.serviceId),
    }
    if (JSON.stringify(after) === JSON.stringify(before)) return

    const day = localDate(ctx, new Date(after.signedInAt))
    if (visit.participant_id !== null) asked = { who: { participantId: visit.participant_id }, day }
    else if (visit.anonymous_code !== null) asked = { who: { anonymousCode: visit.anonymous_code }, day }
    await trx
      .updateTable('visits')
      .set({
        signed_in_at: after.signedInAt,
        signed_out_at: after.signedOutAt,
        visit_date: day,
        note: after.note,
        updated_at: now,
      })
      .where('id', '=', visitId)
      .execute()
    await trx.deleteFrom('visit_services').where('visit_id', '=', visitId).execute()
    if (after.services.length > 0) {
      await trx
        .insertInto('visit_services')
        .values(after.services.map((line) => ({ visit_id: visitId, service_id: line.serviceId, quantity: line.quantity })))
        .execute()
    }
    if (after.signedInAt !== before.signedInAt) await refreshLastVisit(trx, ctx, [visit.participant_id])
    const { voidedAt: _v, voidReason: _r, ...beforeShown } = before
    const { voidedAt: _v2, voidReason: _r2, ...afterShown } = after
    await recordChange(trx, ctx, now, { visitId, kind: 'edit', reason, before: beforeShown, after: afterShown })
    const fields = (['signedInAt', 'signedOutAt', 'note', 'services'] as const).filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'visit.edit', targetType: 'visit', targetId: visitId, detail: { fields } })
  }).catch((error: unknown) => refuseSecondOpenVisit(ctx, error, asked))
  return visitById(ctx, visitId)
}

/**
 * Voids a visit entered by mistake: it stays in the records (and in the person's history,
 * marked) but no longer counts anywhere and leaves today's board. A reason is required.
 */
export async function voidVisit(ctx: ServiceContext, visitId: number, reasonText: string): Promise<void> {
  const reason = requireReason(reasonText)
  await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const { visit } = await visitState(trx, ctx, visitId)
    if (visit.voided_at !== null) throw new ServiceError('CONFLICT', 'visits.alreadyVoided', { voidedAt: visit.voided_at })
    // The visit-count trigger takes it off the person's count.
    await trx.updateTable('visits').set({ voided_at: now, void_reason: reason, updated_at: now }).where('id', '=', visitId).$call(inCenter(ctx, 'visits')).execute()
    await refreshLastVisit(trx, ctx, [visit.participant_id])
    await recordChange(trx, ctx, now, {
      visitId,
      kind: 'void',
      reason,
      before: { voidedAt: null, voidReason: null },
      after: { voidedAt: now, voidReason: reason },
    })
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'visit.void', targetType: 'visit', targetId: visitId })
  })
}

const MAX_CODES = 20
/** With nothing typed yet, the codes seen this recently are offered. */
const RECENT_CODE_DAYS = 30

/**
 * Anonymous codes starting with what the desk typed (or, with nothing typed, the ones used in
 * the last 30 days), most recently seen first, each with its last visit and how many visits
 * it has: "the same code again" is one tap, and a new code can be told from a returning one.
 */
export async function anonymousCodes(ctx: ServiceContext, prefix: string): Promise<AnonymousCodeSummary[]> {
  const start = normalizeCode(prefix)
  let query = ctx.db
    .selectFrom('visits')
    .select(['anonymous_code', sql<string>`max(signed_in_at)`.as('last_visit_at'), sql<number>`count(*)`.as('visits')])
    .where('anonymous_code', 'is not', null)
    .where('voided_at', 'is', null)
    .where(visibleVisit())
    .$call(inCenter(ctx, 'visits'))
  if (start) query = query.where('anonymous_code', '>=', start).where('anonymous_code', '<', prefixEnd(start))
  let grouped = query.groupBy('anonymous_code')
  if (!start) {
    const since = new Date(ctx.now().getTime() - RECENT_CODE_DAYS * 86_400_000).toISOString()
    grouped = grouped.having(sql<string>`max(signed_in_at)`, '>=', since)
  }
  const rows = await grouped.orderBy('last_visit_at', 'desc').orderBy('anonymous_code').limit(MAX_CODES).execute()
  return rows.map((row) => ({ code: row.anonymous_code!, lastVisitAt: row.last_visit_at, visits: row.visits }))
}

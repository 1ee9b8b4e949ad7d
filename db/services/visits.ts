import { appendAudit } from './audit'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext } from './context'
import { normalizeName } from './participants'
import type { TodayVisit } from '../types'

export type { TodayVisit }

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
}


function normalizeCode(code: string | null | undefined): string | null {
  const cleaned = code ? normalizeName(code).replace(/\s/g, '').toUpperCase() : ''
  return cleaned || null
}

export async function signIn(ctx: ServiceContext, input: SignInInput): Promise<TodayVisit> {
  const anonymousCode = input.participantId === null ? normalizeCode(input.anonymousCode) : null
  const serviceIds = new Set<number>()
  for (const line of input.services) {
    if (serviceIds.has(line.serviceId)) throw new ServiceError('VALIDATION', 'A service is listed twice; pick each service once.')
    serviceIds.add(line.serviceId)
  }
  const visitId = await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const today = localDate(ctx)
    if (input.participantId !== null) {
      const person = await trx
        .selectFrom('participants')
        .select('id')
        .where('id', '=', input.participantId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()
      if (!person) throw new ServiceError('NOT_FOUND', 'That person is not in the records any more. Search again.')
    }
    if (input.services.length > 0) {
      const catalog = await trx
        .selectFrom('services')
        .select(['id', 'has_quantity', 'retired_at'])
        .where('id', 'in', [...serviceIds])
        .execute()
      for (const line of input.services) {
        const service = catalog.find((s) => s.id === line.serviceId)
        if (!service || service.retired_at) throw new ServiceError('VALIDATION', 'One of the chosen services is no longer offered. Refresh and pick again.')
        if (!service.has_quantity && line.quantity !== 1) throw new ServiceError('VALIDATION', 'Only items such as meals or kits take a quantity.')
      }
    }
    if (!input.allowRepeat && (input.participantId !== null || anonymousCode)) {
      let open = trx
        .selectFrom('visits')
        .select(['id', 'signed_in_at'])
        .where('visit_date', '=', today)
        .where('signed_out_at', 'is', null)
        .where('voided_at', 'is', null)
      open = input.participantId !== null ? open.where('participant_id', '=', input.participantId) : open.where('anonymous_code', '=', anonymousCode)
      const already = await open.orderBy('signed_in_at', 'desc').executeTakeFirst()
      if (already) {
        throw new ServiceError('ALREADY_SIGNED_IN', 'This person is already signed in today and has not signed out.', {
          visitId: already.id,
          signedInAt: already.signed_in_at,
        })
      }
    }
    const visit = await trx
      .insertInto('visits')
      .values({
        participant_id: input.participantId,
        anonymous_code: anonymousCode,
        visit_date: today,
        signed_in_at: now,
        signed_out_at: null,
        note: input.note?.trim() || null,
        created_by: ctx.staffId,
        created_at: now,
        updated_at: now,
        voided_at: null,
        void_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (input.services.length > 0) {
      await trx
        .insertInto('visit_services')
        .values(input.services.map((line) => ({ visit_id: visit.id, service_id: line.serviceId, quantity: line.quantity })))
        .execute()
    }
    if (input.participantId !== null) {
      await trx.updateTable('participants').set({ last_visit_at: now }).where('id', '=', input.participantId).execute()
    }
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'visit.sign_in',
      targetType: 'visit',
      targetId: visit.id,
      detail: { participantId: input.participantId, services: input.services.length },
    })
    return visit.id
  })
  const [visit] = await visitsWhere(ctx, { id: visitId })
  return visit!
}

async function visitsWhere(ctx: ServiceContext, filter: { id: number } | { date: string }): Promise<TodayVisit[]> {
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
  query = 'id' in filter ? query.where('v.id', '=', filter.id) : query.where('v.visit_date', '=', filter.date)
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

/** Everyone signed in today (the center's date), newest first. */
export function todayVisits(ctx: ServiceContext): Promise<TodayVisit[]> {
  return visitsWhere(ctx, { date: localDate(ctx) })
}

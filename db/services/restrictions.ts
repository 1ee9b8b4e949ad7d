import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import type { Restriction, RestrictionKind } from '../types'
import { appendAudit } from './audit'
import { centerId } from './centers'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx } from './context'
import { activeParticipant, resolveParticipant } from './profile'

export type { Restriction }

export interface RestrictionInput {
  participantId: number
  kind: RestrictionKind
  reason: string
  /** Defaults to today. */
  startsOn?: string
  /** The first day the person may come again; required for 'not_on_site'. */
  endsOn?: string | null
}

/** A restriction longer than this is almost surely a typo in the year (2207). */
const MAX_YEARS = 5

/**
 * The records that count as this person: the kept record and those merged into it, so a
 * restriction made on a record merged away later still holds at the desk. A subquery, not a list
 * read first: one statement less in every sign-in (a restriction's person is a participant row).
 */
function personIds(db: Kysely<Database>, participantId: number) {
  return db
    .selectFrom('participants')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', participantId), eb('merged_into', '=', participantId)]))
}

/**
 * Whether the person must see a manager before signing in today. It answers yes or no and
 * nothing else: this is what the desk and the kiosk may learn. A restriction ends by itself:
 * on its end date it no longer counts, with nothing to run or update.
 */
export async function askManagerToday(ctx: ServiceContext, db: Kysely<Database>, participantId: number): Promise<boolean> {
  const today = localDate(ctx)
  const row = await db
    .selectFrom('restrictions')
    .select('id')
    .where('participant_id', 'in', personIds(db, participantId))
    .where('lifted_at', 'is', null)
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>', today)]))
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

function toRestriction(
  row: { id: number; participant_id: number; kind: RestrictionKind; reason: string; starts_on: string; ends_on: string | null; lifted_at: string | null; lifted_by_name: string | null; created_at: string; created_by_name: string | null },
  today: string,
): Restriction {
  return {
    id: row.id,
    participantId: row.participant_id,
    kind: row.kind,
    reason: row.reason,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    active: row.lifted_at === null && row.starts_on <= today && (row.ends_on === null || row.ends_on > today),
    liftedAt: row.lifted_at,
    liftedByName: row.lifted_by_name,
    createdAt: row.created_at,
    createdByName: row.created_by_name,
  }
}

function restrictionsQuery(trx: Trx) {
  return trx
    .selectFrom('restrictions as r')
    .leftJoin('staff as c', 'c.id', 'r.created_by')
    .leftJoin('staff as l', 'l.id', 'r.lifted_by')
    .select(['r.id', 'r.participant_id', 'r.kind', 'r.reason', 'r.starts_on', 'r.ends_on', 'r.lifted_at', 'r.created_at'])
    .select(['c.display_name as created_by_name', 'l.display_name as lifted_by_name'])
}

/** A person's restrictions, newest first, reasons included: for managers and admins (the door checks), and audited as a look. */
export async function listRestrictions(ctx: ServiceContext, participantId: number): Promise<Restriction[]> {
  return inTransaction(ctx, async (trx) => {
    const { row: person } = await resolveParticipant(trx, participantId, ctx)
    const rows = await restrictionsQuery(trx)
      .where('r.participant_id', 'in', personIds(trx, person.id))
      .orderBy('r.starts_on', 'desc')
      .orderBy('r.id', 'desc')
      .execute()
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'restriction.list', targetType: 'participant', targetId: person.id, detail: { count: rows.length } })
    const today = localDate(ctx)
    return rows.map((row) => toRestriction(row, today))
  })
}

function addYears(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`
}

export async function createRestriction(ctx: ServiceContext, input: RestrictionInput): Promise<Restriction> {
  const today = localDate(ctx)
  const startsOn = input.startsOn ?? today
  const endsOn = input.endsOn ?? null
  const reason = input.reason.trim()
  if (reason.length < 3) throw new ServiceError('VALIDATION', 'restrictions.reason', { field: 'reason' })
  if (input.kind === 'not_on_site' && endsOn === null) throw new ServiceError('VALIDATION', 'restrictions.endRequired', { field: 'endsOn' })
  if (endsOn !== null && endsOn <= startsOn) throw new ServiceError('VALIDATION', 'restrictions.endBeforeStart', { field: 'endsOn' })
  if (endsOn !== null && endsOn > addYears(startsOn, MAX_YEARS)) throw new ServiceError('VALIDATION', 'restrictions.tooLong', { field: 'endsOn' })
  if (startsOn > addYears(today, 1) || startsOn < addYears(today, -1)) throw new ServiceError('VALIDATION', 'restrictions.startFar', { field: 'startsOn' })
  return inTransaction(ctx, async (trx) => {
    const person = await activeParticipant(trx, input.participantId, ctx)
    const now = isoNow(ctx)
    const { id } = await trx
      .insertInto('restrictions')
      .values({ participant_id: person.id, center_id: centerId(ctx), kind: input.kind, reason, starts_on: startsOn, ends_on: endsOn, lifted_at: null, lifted_by: null, created_by: ctx.staffId, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    // The reason stays out of the audit log, which admins browse: it lives only in the restriction.
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'restriction.create',
      targetType: 'participant',
      targetId: person.id,
      detail: { restrictionId: id, kind: input.kind, startsOn, endsOn },
    })
    return toRestriction((await restrictionsQuery(trx).where('r.id', '=', id).executeTakeFirstOrThrow()), today)
  })
}

/** Ends a restriction early. Lifting one already lifted or already over is refused: nothing to do. */
export async function liftRestriction(ctx: ServiceContext, id: number): Promise<Restriction> {
  const today = localDate(ctx)
  return inTransaction(ctx, async (trx) => {
    const row = await restrictionsQuery(trx).where('r.id', '=', id).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'restrictions.notFound')
    if (row.lifted_at !== null) throw new ServiceError('CONFLICT', 'restrictions.alreadyLifted')
    if (row.ends_on !== null && row.ends_on <= today) throw new ServiceError('CONFLICT', 'restrictions.alreadyEnded')
    const now = isoNow(ctx)
    await trx.updateTable('restrictions').set({ lifted_at: now, lifted_by: ctx.staffId }).where('id', '=', id).execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'restriction.lift', targetType: 'participant', targetId: row.participant_id, detail: { restrictionId: id } })
    return toRestriction((await restrictionsQuery(trx).where('r.id', '=', id).executeTakeFirstOrThrow()), today)
  })
}

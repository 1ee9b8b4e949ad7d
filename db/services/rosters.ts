import type { Enrollment } from '../groups-types'
import { appendAudit } from './audit'
import { centerId, inCenter, type CenterScope } from './centers'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx } from './context'
import { activeParticipant } from './profile'

/**
 * Rosters of closed groups. Each enrollment is a row with its dates and reason, never rewritten
 * into another one: the history of who was in the group when is what the rates are computed from.
 * A full group takes people on a waitlist, first come first offered.
 */

export function personName(first: string | null, nickname: string | null, last: string | null): string {
  return [first ?? nickname, last].filter(Boolean).join(' ') || '—'
}

/** First name and last initial: all a sign-in sheet left on a table may show. */
export function sheetName(first: string | null, nickname: string | null, last: string | null): string {
  return [first ?? nickname, last ? `${last.trim().charAt(0).toUpperCase()}.` : null].filter(Boolean).join(' ') || '—'
}

async function rosterGroup(trx: Trx, scope: CenterScope, groupId: number) {
  const group = await trx.selectFrom('groups').select(['id', 'kind', 'capacity', 'archived_at']).where('id', '=', groupId).$call(inCenter(scope, 'groups')).executeTakeFirst()
  if (!group) throw new ServiceError('NOT_FOUND', 'groups.notFound', { field: 'groupId' })
  if (group.archived_at) throw new ServiceError('VALIDATION', 'rosters.archived', { field: 'groupId' })
  if (group.kind !== 'closed') throw new ServiceError('VALIDATION', 'rosters.openGroup', { field: 'groupId' })
  return group
}

async function enrolledCount(trx: Trx, scope: CenterScope, groupId: number): Promise<number> {
  const row = await trx.selectFrom('enrollments').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId).where('status', '=', 'enrolled').$call(inCenter(scope, 'enrollments')).executeTakeFirstOrThrow()
  return Number(row.n)
}

function fullError(capacity: number): ServiceError {
  return new ServiceError('VALIDATION', 'rosters.full', { field: 'capacity', capacity })
}

export interface EnrollInput {
  groupId: number
  participantId: number
  /** Defaults to today. */
  date?: string
  /** When the group is full, put them on the waitlist instead of refusing. */
  waitlist?: boolean
}

export async function enroll(ctx: ServiceContext, input: EnrollInput): Promise<Enrollment> {
  const today = localDate(ctx)
  const date = input.date ?? today
  if (date > today) throw new ServiceError('VALIDATION', 'rosters.future', { field: 'date' })
  const id = await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const group = await rosterGroup(trx, ctx, input.groupId)
    const person = await activeParticipant(trx, input.participantId, ctx)
    // Overlap: still on the roster or waitlist, or a past enrollment that ended after this date.
    const overlap = await trx
      .selectFrom('enrollments')
      .select(['id', 'status'])
      .$call(inCenter(ctx, 'enrollments'))
      .where('group_id', '=', group.id)
      .where('participant_id', '=', person.id)
      .where((eb) => eb.or([eb('status', '!=', 'ended'), eb.and([eb('ended_on', '>=', date), eb('enrolled_on', 'is not', null)])]))
      .executeTakeFirst()
    if (overlap) {
      throw new ServiceError('VALIDATION', overlap.status === 'waitlisted' ? 'rosters.alreadyWaitlisted' : 'rosters.alreadyEnrolled', { field: 'participantId' })
    }
    const full = group.capacity !== null && (await enrolledCount(trx, ctx, group.id)) >= group.capacity
    if (full && !input.waitlist) throw fullError(group.capacity!)
    const row = await trx
      .insertInto('enrollments')
      .values({
        center_id: centerId(ctx),
        group_id: group.id,
        participant_id: person.id,
        status: full ? 'waitlisted' : 'enrolled',
        requested_on: date,
        enrolled_on: full ? null : date,
        ended_on: null,
        end_reason: null,
        created_by: ctx.staffId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: full ? 'enrollment.waitlist' : 'enrollment.create', targetType: 'participant', targetId: person.id, detail: { groupId: group.id, enrollmentId: row.id, date } })
    return row.id
  })
  return enrollmentById(ctx, id)
}

/** Ends an enrollment (or takes someone off the waitlist); returns who is first on the waitlist now. */
export async function unenroll(ctx: ServiceContext, input: { enrollmentId: number; date?: string; reason: string }): Promise<{ ended: Enrollment; nextOnWaitlist: Enrollment | null }> {
  const reason = input.reason.trim()
  if (!reason) throw new ServiceError('VALIDATION', 'rosters.endReason', { field: 'reason' })
  const date = input.date ?? localDate(ctx)
  const groupId = await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const row = await trx.selectFrom('enrollments').selectAll().where('id', '=', input.enrollmentId).$call(inCenter(ctx, 'enrollments')).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'rosters.notFound')
    if (row.status === 'ended') throw new ServiceError('CONFLICT', 'rosters.alreadyEnded')
    if (row.enrolled_on !== null && date < row.enrolled_on) throw new ServiceError('VALIDATION', 'rosters.endBeforeStart', { field: 'date' })
    await trx.updateTable('enrollments').set({ status: 'ended', ended_on: date, end_reason: reason, updated_at: now }).where('id', '=', row.id).$call(inCenter(ctx, 'enrollments')).execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'enrollment.end', targetType: 'participant', targetId: row.participant_id, detail: { groupId: row.group_id, enrollmentId: row.id, date } })
    return row.group_id
  })
  const next = await ctx.db.selectFrom('enrollments').select('id').$call(inCenter(ctx, 'enrollments')).where('group_id', '=', groupId).where('status', '=', 'waitlisted').orderBy('requested_on').orderBy('id').executeTakeFirst()
  return { ended: await enrollmentById(ctx, input.enrollmentId), nextOnWaitlist: next ? await enrollmentById(ctx, next.id) : null }
}

/** Offers a waitlisted person the place: they join the roster today if there is room. */
export async function admitFromWaitlist(ctx: ServiceContext, enrollmentId: number): Promise<Enrollment> {
  await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const row = await trx.selectFrom('enrollments').selectAll().where('id', '=', enrollmentId).$call(inCenter(ctx, 'enrollments')).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'rosters.notFound')
    if (row.status !== 'waitlisted') throw new ServiceError('CONFLICT', 'rosters.notWaitlisted')
    const group = await rosterGroup(trx, ctx, row.group_id)
    if (group.capacity !== null && (await enrolledCount(trx, ctx, group.id)) >= group.capacity) throw fullError(group.capacity)
    await trx.updateTable('enrollments').set({ status: 'enrolled', enrolled_on: localDate(ctx), updated_at: now }).where('id', '=', row.id).$call(inCenter(ctx, 'enrollments')).execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'enrollment.admit', targetType: 'participant', targetId: row.participant_id, detail: { groupId: row.group_id, enrollmentId: row.id } })
  })
  return enrollmentById(ctx, enrollmentId)
}

function enrollmentQuery(db: ServiceContext['db'] | Trx, scope: CenterScope) {
  return db
    .selectFrom('enrollments as e')
    .$call(inCenter(scope, 'e'))
    .innerJoin('participants as p', 'p.id', 'e.participant_id')
    .selectAll('e')
    .select(['p.first_name', 'p.nickname', 'p.last_name'])
}

type EnrollmentRow = Awaited<ReturnType<ReturnType<typeof enrollmentQuery>['executeTakeFirstOrThrow']>>

function toEnrollment(row: EnrollmentRow): Enrollment {
  return {
    id: row.id,
    participantId: row.participant_id,
    name: personName(row.first_name, row.nickname, row.last_name),
    status: row.status,
    requestedOn: row.requested_on,
    enrolledOn: row.enrolled_on,
    endedOn: row.ended_on,
    endReason: row.end_reason,
  }
}

async function enrollmentById(ctx: ServiceContext, id: number): Promise<Enrollment> {
  const row = await enrollmentQuery(ctx.db, ctx).where('e.id', '=', id).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'rosters.notFound')
  return toEnrollment(row)
}

/** The whole enrollment history of a group: current roster, then the waitlist in order, then ended ones. */
export async function groupRoster(db: ServiceContext['db'] | Trx, scope: CenterScope, groupId: number): Promise<Enrollment[]> {
  const rows = await enrollmentQuery(db, scope).where('e.group_id', '=', groupId).orderBy('e.requested_on').orderBy('e.id').execute()
  const rank = { enrolled: 0, waitlisted: 1, ended: 2 } as const
  return rows.map(toEnrollment).sort((a, b) => rank[a.status] - rank[b.status] || (a.status === 'waitlisted' ? 0 : a.name.localeCompare(b.name)))
}

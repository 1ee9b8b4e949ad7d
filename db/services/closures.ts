import type { Closure, ClosurePreview } from '../groups-types'
import { appendAudit } from './audit'
import { centerId, inCenter } from './centers'
import { brokeUnique, inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx, type UniqueIndex } from './context'
import { addDays } from './group-schedule'
import { ensureSessions, ensureWindow, MAX_AHEAD_DAYS } from './groups'

/** One closure a day per center (migration 0061): two centers may close on the same day. */
const CLOSURE_DAY: UniqueIndex = { name: 'closures_center_day', table: 'closures', columns: ['center_id', 'closed_on'] }

/**
 * A center's closed days. A closure cancels every session that day in every group of the center, and deleting
 * it brings back the ones it cancelled. A past day with attendance cannot be closed: the people
 * came, and the record says so.
 */

async function dayPreview(trx: Trx, ctx: ServiceContext, date: string): Promise<ClosurePreview> {
  // Sessions that day may not be made yet (a closure months ahead): make them first.
  await ensureSessions(trx, ctx, date, date)
  const sessions = await trx
    .selectFrom('group_sessions as s')
    .innerJoin('groups as g', 'g.id', 's.group_id')
    .select(['s.id', 's.group_id', 'g.name'])
    .$call(inCenter(ctx, 's'))
    // A person's marks and a code's apart, each through its partial index.
    .select((eb) =>
      eb
        .or([
          eb.exists(eb.selectFrom('attendance as a').select('a.id').whereRef('a.session_id', '=', 's.id').where('a.participant_id', 'is not', null)),
          eb.exists(eb.selectFrom('attendance as a').select('a.id').whereRef('a.session_id', '=', 's.id').where('a.anonymous_code', 'is not', null)),
        ])
        .as('has_attendance'),
    )
    .where('s.session_date', '=', date)
    .where('s.status', '!=', 'cancelled')
    .execute()
  const groupNames = [...new Set(sessions.map((s) => s.name))].sort()
  return { date, sessions: sessions.length, groups: groupNames.length, groupNames, withAttendance: sessions.filter((s) => Boolean(s.has_attendance)).length }
}

function checkDate(ctx: ServiceContext, date: string, preview: ClosurePreview): void {
  if (preview.withAttendance > 0 && date <= localDate(ctx)) {
    throw new ServiceError('VALIDATION', 'closures.attendance', { field: 'date', date })
  }
}

/** What closing the center that day would cancel ("3 sessions in 2 groups"), before anything is saved. */
export async function previewClosure(ctx: ServiceContext, date: string): Promise<ClosurePreview> {
  return inTransaction(ctx, async (trx) => dayPreview(trx, ctx, date))
}

export async function createClosure(ctx: ServiceContext, input: { date: string; reason: string }): Promise<Closure> {
  const reason = input.reason.trim()
  if (!reason) throw new ServiceError('VALIDATION', 'closures.reason', { field: 'reason' })
  if (input.date > addDays(localDate(ctx), MAX_AHEAD_DAYS)) throw new ServiceError('VALIDATION', 'closures.tooFar', { field: 'date' })
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const already = () => new ServiceError('VALIDATION', 'closures.already', { field: 'date', date: input.date })
    if (await trx.selectFrom('closures').select('id').where('closed_on', '=', input.date).$call(inCenter(ctx, 'closures')).executeTakeFirst()) throw already()
    const preview = await dayPreview(trx, ctx, input.date)
    checkDate(ctx, input.date, preview)
    // The check above is this center's; the index settles two PCs closing the same day at once.
    const closure = await trx
      .insertInto('closures')
      .values({ center_id: centerId(ctx), closed_on: input.date, reason, created_by: ctx.staffId, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw brokeUnique(error, CLOSURE_DAY) ? already() : error
      })
    const cancelled = await trx
      .updateTable('group_sessions')
      .set({ status: 'cancelled', closure_id: closure.id, updated_at: now })
      .$call(inCenter(ctx, 'group_sessions'))
      .where('session_date', '=', input.date)
      .where('status', '!=', 'cancelled')
      .executeTakeFirst()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'closure.create', targetType: 'closure', targetId: closure.id, detail: { date: input.date, sessions: Number(cancelled.numUpdatedRows) } })
    return { id: closure.id, date: input.date, reason, cancelledSessions: Number(cancelled.numUpdatedRows) }
  })
}

/** Deleting a closure brings its sessions back as scheduled. */
export async function deleteClosure(ctx: ServiceContext, closureId: number): Promise<{ restoredSessions: number }> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const closure = await trx.selectFrom('closures').selectAll().where('id', '=', closureId).$call(inCenter(ctx, 'closures')).executeTakeFirst()
    if (!closure) throw new ServiceError('NOT_FOUND', 'closures.notFound')
    const restored = await trx
      .updateTable('group_sessions')
      .set({ status: 'scheduled', closure_id: null, updated_at: now })
      .$call(inCenter(ctx, 'group_sessions'))
      .where('closure_id', '=', closureId)
      .executeTakeFirst()
    await trx.deleteFrom('closures').where('id', '=', closureId).$call(inCenter(ctx, 'closures')).execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'closure.delete', targetType: 'closure', targetId: closureId, detail: { date: closure.closed_on, sessions: Number(restored.numUpdatedRows) } })
    return { restoredSessions: Number(restored.numUpdatedRows) }
  })
}

/** Closures from a day on (default: today), soonest first, with how many sessions each cancelled. */
export async function listClosures(ctx: ServiceContext, from?: string): Promise<Closure[]> {
  return inTransaction(ctx, async (trx) => {
    await ensureWindow(trx, ctx)
    const rows = await trx
      .selectFrom('closures as c')
      .select(['c.id', 'c.closed_on', 'c.reason'])
      .$call(inCenter(ctx, 'c'))
      .select((eb) => eb.selectFrom('group_sessions as s').select(eb.fn.countAll<number>().as('n')).whereRef('s.closure_id', '=', 'c.id').as('cancelled'))
      .where('c.closed_on', '>=', from ?? localDate(ctx))
      .orderBy('c.closed_on')
      .execute()
    return rows.map((row) => ({ id: row.id, date: row.closed_on, reason: row.reason, cancelledSessions: Number(row.cancelled ?? 0) }))
  })
}

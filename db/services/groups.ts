import type { Selectable } from 'kysely'
import type { GroupSessionsTable } from '../schema'
import { ATTENDED, type GroupKind, type GroupSession, type GroupSummary, type SchedulePattern, type StaffRef } from '../groups-types'
import { appendAudit } from './audit'
import { centerId, inCenter, type CenterScope } from './centers'
import { checkRowVersion, inTransaction, isoNow, localDate, saveVersioned, ServiceError, type ServiceContext, type Trx } from './context'
import { addDays, checkSchedule, expandSchedule, localInstant, schedulePattern, scheduleText } from './group-schedule'
import { normalizeName } from './participant-fields'

type Db = ServiceContext['db'] | Trx

/** Sessions exist this far ahead of today, so the week view and the facilitator's day need no expansion. */
export const ROLLING_DAYS = 28
/** Sessions are made on demand up to this far ahead, and no further: a closure or a week view years out has nothing to show. */
export const MAX_AHEAD_DAYS = 730

/** The center's zone: every schedule is written and expanded in it. */
export function centerZone(ctx: ServiceContext): string {
  return ctx.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
}

export interface GroupInput {
  name: string
  description?: string | null
  kind: GroupKind
  room?: string | null
  capacity?: number | null
  seriesLength?: number | null
  durationMinutes: number
  facilitatorIds: number[]
  /** A form pattern, RFC 5545 text, or null for a group with one-off sessions only. */
  schedule: { pattern: SchedulePattern } | { text: string } | null
}

function scheduleOf(ctx: ServiceContext, schedule: GroupInput['schedule']): string | null {
  if (schedule === null) return null
  const text = 'pattern' in schedule ? scheduleText(schedule.pattern, centerZone(ctx)) : schedule.text.trim().replace(/\r\n/g, '\n')
  checkSchedule(text, centerZone(ctx))
  return text
}

async function checkFacilitators(trx: Trx, ids: number[]): Promise<void> {
  if (ids.length === 0) throw new ServiceError('VALIDATION', 'groups.chooseFacilitator', { field: 'facilitatorIds' })
  const found = await trx.selectFrom('staff').select('id').where('id', 'in', ids).where('active', '=', 1).execute()
  if (found.length !== new Set(ids).size) throw new ServiceError('VALIDATION', 'groups.facilitatorInactive', { field: 'facilitatorIds' })
}

async function staffOf(db: Db, groupIds: number[]): Promise<Map<number, StaffRef[]>> {
  const out = new Map<number, StaffRef[]>()
  if (groupIds.length === 0) return out
  const rows = await db
    .selectFrom('group_facilitators as f')
    .innerJoin('staff as s', 's.id', 'f.staff_id')
    .select(['f.group_id', 's.id', 's.display_name'])
    .where('f.group_id', 'in', groupIds)
    .orderBy('s.display_name')
    .execute()
  for (const row of rows) out.set(row.group_id, [...(out.get(row.group_id) ?? []), { id: row.id, name: row.display_name }])
  return out
}

/**
 * Makes the sessions of every active scheduled group (or the ones given) up to `through`,
 * starting the day after each group's last materialized day (or `from` for a new one). Days
 * the center is closed get their session too, cancelled by the closure, so the week shows why.
 */
export async function ensureSessions(trx: Trx, ctx: ServiceContext, from: string, until: string, groupIds?: number[]): Promise<number> {
  const limit = addDays(localDate(ctx), MAX_AHEAD_DAYS)
  const through = until < limit ? until : limit
  let query = trx
    .selectFrom('groups')
    .select(['id', 'schedule', 'materialized_through', 'duration_minutes'])
    // The window's center's groups: each center's sessions are made when that center reads them.
    .$call(inCenter(ctx, 'groups'))
    .where('archived_at', 'is', null)
    .where('schedule', 'is not', null)
    .where((eb) => eb.or([eb('materialized_through', 'is', null), eb('materialized_through', '<', through)]))
  if (groupIds) query = query.where('id', 'in', groupIds)
  const groups = await query.execute()
  if (groups.length === 0) return 0
  const zone = centerZone(ctx)
  const now = isoNow(ctx)
  const closures = new Map((await trx.selectFrom('closures').select(['id', 'closed_on']).$call(inCenter(ctx, 'closures')).where('closed_on', '>=', from).where('closed_on', '<=', through).execute()).map((c) => [c.closed_on, c.id]))
  let made = 0
  for (const group of groups) {
    // Always on from where the group left off, so no day is ever skipped between two expansions.
    const start = group.materialized_through ? addDays(group.materialized_through, 1) : from
    const occurrences = start <= through ? expandSchedule(group.schedule!, start, through, zone) : []
    // A day that still has a session from an earlier version of the schedule (moved, or with a
    // topic) keeps that one: a new start time must not give the group a second session that day.
    const kept = new Set(
      occurrences.length === 0
        ? []
        : (
            await trx
              .selectFrom('group_sessions')
              .select('occurrence_key')
              .$call(inCenter(ctx, 'group_sessions'))
              .where('group_id', '=', group.id)
              .where('occurrence_key', '>=', start)
              .where('occurrence_key', '<', addDays(through, 1))
              .execute()
          ).map((row) => row.occurrence_key!.slice(0, 10)),
    )
    for (const occ of occurrences) {
      if (kept.has(occ.date)) continue
      const closure = closures.get(occ.date)
      const result = await trx
        .insertInto('group_sessions')
        .values({
          center_id: centerId(ctx),
          group_id: group.id,
          occurrence_key: occ.key,
          session_date: occ.date,
          start_time: occ.time,
          starts_at: occ.startsAt,
          ends_at: new Date(Date.parse(occ.startsAt) + group.duration_minutes * 60_000).toISOString(),
          room: null,
          status: closure ? 'cancelled' : 'scheduled',
          cancel_reason: null,
          closure_id: closure ?? null,
          moved_from: null,
          makeup_for: null,
          topic: null,
          note: null,
          cover_staff_id: null,
          created_at: now,
          updated_at: now,
        })
        // A session already made for this occurrence (perhaps moved or cancelled since) stays as it is.
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst()
      made += Number(result.numInsertedOrUpdatedRows ?? 0)
    }
    await trx.updateTable('groups').set({ materialized_through: through }).where('id', '=', group.id).$call(inCenter(ctx, 'groups')).execute()
  }
  return made
}

/** The rolling window, from today: called by every read that shows sessions. */
export function ensureWindow(trx: Trx, ctx: ServiceContext, through?: string): Promise<number> {
  const today = localDate(ctx)
  const end = addDays(today, ROLLING_DAYS)
  return ensureSessions(trx, ctx, today, through && through > end ? through : end)
}

/**
 * A changed schedule replaces the sessions it made from today on that nothing happened in yet
 * (no attendance, not moved, no topic or note), then makes them again from the new rule.
 */
async function rescheduleFuture(trx: Trx, ctx: ServiceContext, groupId: number): Promise<void> {
  const today = localDate(ctx)
  await trx
    .deleteFrom('group_sessions')
    .$call(inCenter(ctx, 'group_sessions'))
    .where('group_id', '=', groupId)
    .where('session_date', '>=', today)
    .where('occurrence_key', 'is not', null)
    .where('moved_from', 'is', null)
    .where('topic', 'is', null)
    .where('note', 'is', null)
    .where('anonymous_count', '=', 0)
    .where((eb) => eb.or([eb('status', '=', 'scheduled'), eb('closure_id', 'is not', null)]))
    // Each attendance row is a person's or a code's, and each kind has its own (partial) index:
    // `session_id = ?` alone can use neither and reads the whole table, once per session.
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('attendance').select('id').whereRef('attendance.session_id', '=', 'group_sessions.id').where('attendance.participant_id', 'is not', null))))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('attendance').select('id').whereRef('attendance.session_id', '=', 'group_sessions.id').where('attendance.anonymous_code', 'is not', null))))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('group_sessions as m').select('m.id').whereRef('m.group_id', '=', 'group_sessions.group_id').whereRef('m.makeup_for', '=', 'group_sessions.id'))))
    .execute()
  await trx.updateTable('groups').set({ materialized_through: addDays(today, -1) }).where('id', '=', groupId).$call(inCenter(ctx, 'groups')).execute()
  await ensureSessions(trx, ctx, today, addDays(today, ROLLING_DAYS), [groupId])
}

function cleanText(text: string | null | undefined): string | null {
  return text?.trim() || null
}

/** Creates a group, or updates one when `id` is given; a changed schedule re-makes its future sessions. */
export async function saveGroup(ctx: ServiceContext, input: GroupInput & { id?: number; version?: number }): Promise<GroupSummary> {
  const name = input.name.trim()
  if (!name) throw new ServiceError('VALIDATION', 'groups.nameRequired', { field: 'name' })
  if (input.kind === 'open' && input.seriesLength) throw new ServiceError('VALIDATION', 'groups.seriesForClosed', { field: 'seriesLength' })
  const schedule = scheduleOf(ctx, input.schedule)
  const id = await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    await checkFacilitators(trx, input.facilitatorIds)
    const nameKey = normalizeName(name)
    const clash = await trx.selectFrom('groups').select('id').where('name_key', '=', nameKey).where('archived_at', 'is', null).$call(inCenter(ctx, 'groups')).executeTakeFirst()
    if (clash && clash.id !== input.id) throw new ServiceError('VALIDATION', 'groups.nameTaken', { field: 'name' })
    const values = {
      name,
      name_key: nameKey,
      description: cleanText(input.description),
      kind: input.kind,
      room: cleanText(input.room),
      capacity: input.capacity ?? null,
      series_length: input.seriesLength ?? null,
      duration_minutes: input.durationMinutes,
      schedule,
      updated_at: now,
    }
    let groupId: number
    let scheduleChanged = true
    if (input.id === undefined) {
      groupId = (await trx.insertInto('groups').values({ ...values, center_id: centerId(ctx), materialized_through: null, archived_at: null, created_by: ctx.staffId, created_at: now }).returning('id').executeTakeFirstOrThrow()).id
    } else {
      const before = await trx.selectFrom('groups').select(['id', 'schedule', 'archived_at', 'kind', 'duration_minutes', 'row_version']).where('id', '=', input.id).$call(inCenter(ctx, 'groups')).executeTakeFirst()
      if (!before) throw new ServiceError('NOT_FOUND', 'groups.notFound')
      if (before.archived_at) throw new ServiceError('CONFLICT', 'groups.archived')
      if (before.kind === 'closed' && input.kind === 'open') {
        const roster = await trx.selectFrom('enrollments').select('id').where('group_id', '=', input.id).where('status', '!=', 'ended').$call(inCenter(ctx, 'enrollments')).executeTakeFirst()
        if (roster) throw new ServiceError('VALIDATION', 'groups.rosterNotEmpty', { field: 'kind' })
      }
      scheduleChanged = before.schedule !== schedule || before.duration_minutes !== input.durationMinutes
      groupId = input.id
      await saveVersioned(trx, 'groups', before, input.version, values, centerId(ctx))
      await trx.deleteFrom('group_facilitators').where('group_id', '=', groupId).execute()
    }
    await trx.insertInto('group_facilitators').values([...new Set(input.facilitatorIds)].map((staffId) => ({ group_id: groupId, staff_id: staffId }))).execute()
    if (scheduleChanged) await rescheduleFuture(trx, ctx, groupId)
    await appendAudit(trx, now, { staffId: ctx.staffId, action: input.id === undefined ? 'group.create' : 'group.update', targetType: 'group', targetId: groupId, detail: { scheduleChanged } })
    return groupId
  })
  return getGroupSummary(ctx.db, id, ctx)
}

/** An archived group keeps its sessions and attendance; its future empty sessions go, and it makes no more. */
export async function archiveGroup(ctx: ServiceContext, groupId: number, version?: number): Promise<GroupSummary> {
  await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const group = await trx.selectFrom('groups').select(['id', 'archived_at', 'row_version']).where('id', '=', groupId).$call(inCenter(ctx, 'groups')).executeTakeFirst()
    if (!group) throw new ServiceError('NOT_FOUND', 'groups.notFound')
    if (group.archived_at) throw new ServiceError('CONFLICT', 'groups.alreadyArchived')
    checkRowVersion(group, version)
    await rescheduleFuture(trx, ctx, groupId)
    await saveVersioned(trx, 'groups', group, version, { archived_at: now, updated_at: now }, centerId(ctx))
    await trx
      .deleteFrom('group_sessions')
      .$call(inCenter(ctx, 'group_sessions'))
      .where('group_id', '=', groupId)
      .where('session_date', '>=', localDate(ctx))
      .where('status', '=', 'scheduled')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('attendance').select('id').whereRef('attendance.session_id', '=', 'group_sessions.id').where('attendance.participant_id', 'is not', null))))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('attendance').select('id').whereRef('attendance.session_id', '=', 'group_sessions.id').where('attendance.anonymous_code', 'is not', null))))
      .execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'group.archive', targetType: 'group', targetId: groupId })
  })
  return getGroupSummary(ctx.db, groupId, ctx)
}

function groupSummaryQuery(db: Db, scope: CenterScope, today: string) {
  return db
    .selectFrom('groups as g')
    .$call(inCenter(scope, 'g'))
    .selectAll('g')
    .select((eb) => [
      eb.selectFrom('enrollments as e').select(eb.fn.countAll<number>().as('n')).whereRef('e.group_id', '=', 'g.id').where('e.status', '=', 'enrolled').as('enrolled_count'),
      eb.selectFrom('enrollments as e').select(eb.fn.countAll<number>().as('n')).whereRef('e.group_id', '=', 'g.id').where('e.status', '=', 'waitlisted').as('waitlist_count'),
      eb
        .selectFrom('group_sessions as s')
        .select('s.id')
        .whereRef('s.group_id', '=', 'g.id')
        .where('s.session_date', '>=', today)
        .where('s.status', '=', 'scheduled')
        .orderBy('s.session_date')
        .orderBy('s.start_time')
        .limit(1)
        .as('next_session_id'),
    ])
}

type GroupRow = Awaited<ReturnType<ReturnType<typeof groupSummaryQuery>['executeTakeFirstOrThrow']>>

async function toSummaries(db: Db, scope: CenterScope, rows: GroupRow[]): Promise<GroupSummary[]> {
  const staff = await staffOf(db, rows.map((r) => r.id))
  const nextIds = rows.map((r) => r.next_session_id).filter((id): id is number => id !== null)
  const next = new Map(
    nextIds.length ? (await db.selectFrom('group_sessions').select(['id', 'session_date', 'start_time']).where('id', 'in', nextIds).$call(inCenter(scope, 'group_sessions')).execute()).map((s) => [s.id, s]) : [],
  )
  return rows.map((row) => {
    const session = row.next_session_id !== null ? next.get(row.next_session_id) : undefined
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      kind: row.kind,
      room: row.room,
      capacity: row.capacity,
      seriesLength: row.series_length,
      durationMinutes: row.duration_minutes,
      schedule: row.schedule,
      pattern: row.schedule ? schedulePattern(row.schedule) : null,
      facilitators: staff.get(row.id) ?? [],
      archivedAt: row.archived_at,
      enrolledCount: Number(row.enrolled_count ?? 0),
      waitlistCount: Number(row.waitlist_count ?? 0),
      nextSession: session ? { id: session.id, date: session.session_date, startTime: session.start_time } : null,
      version: row.row_version,
    }
  })
}

export async function getGroupSummary(db: Db, groupId: number, ctx: ServiceContext): Promise<GroupSummary> {
  const row = await groupSummaryQuery(db, ctx, localDate(ctx)).where('g.id', '=', groupId).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'groups.notFound')
  return (await toSummaries(db, ctx, [row]))[0]!
}

/** Groups by name, archived ones only when asked; a facilitator's own only when `staffId` is given. */
export async function listGroups(ctx: ServiceContext, options: { archived?: boolean; facilitatorId?: number } = {}): Promise<GroupSummary[]> {
  return inTransaction(ctx, async (trx) => {
    await ensureWindow(trx, ctx)
    let query = groupSummaryQuery(trx, ctx, localDate(ctx)).orderBy('g.name')
    if (!options.archived) query = query.where('g.archived_at', 'is', null)
    if (options.facilitatorId !== undefined) {
      const staffId = options.facilitatorId
      query = query.where(({ exists, selectFrom }) => exists(selectFrom('group_facilitators as f').select('f.group_id').whereRef('f.group_id', '=', 'g.id').where('f.staff_id', '=', staffId)))
    }
    return toSummaries(trx, ctx, await query.execute())
  })
}

// ----- Sessions

export function sessionQuery(db: Db, scope: CenterScope) {
  return db
    .selectFrom('group_sessions as s')
    .$call(inCenter(scope, 's'))
    .innerJoin('groups as g', 'g.id', 's.group_id')
    .leftJoin('staff as c', 'c.id', 's.cover_staff_id')
    .selectAll('s')
    .select(['g.name as group_name', 'g.kind', 'g.room as group_room', 'c.display_name as cover_name'])
    // Named and by code apart, each through its partial index (see rescheduleFuture).
    .select((eb) => [
      eb.selectFrom('attendance as a').select(eb.fn.countAll<number>().as('n')).whereRef('a.session_id', '=', 's.id').where('a.participant_id', 'is not', null).where('a.status', 'in', [...ATTENDED]).as('attended_named'),
      eb.selectFrom('attendance as a').select(eb.fn.countAll<number>().as('n')).whereRef('a.session_id', '=', 's.id').where('a.anonymous_code', 'is not', null).where('a.status', 'in', [...ATTENDED]).as('attended_codes'),
    ])
}

type SessionRow = Selectable<GroupSessionsTable> & { group_name: string; kind: GroupKind; group_room: string | null; cover_name: string | null; attended_named: number | null; attended_codes: number | null }

export async function toSessions(db: Db, rows: SessionRow[]): Promise<GroupSession[]> {
  const staff = await staffOf(db, [...new Set(rows.map((r) => r.group_id))])
  return rows.map((row) => ({
    id: row.id,
    groupId: row.group_id,
    groupName: row.group_name,
    kind: row.kind,
    date: row.session_date,
    startTime: row.start_time,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    room: row.room ?? row.group_room,
    status: row.status,
    cancelReason: row.cancel_reason,
    closureId: row.closure_id,
    movedFrom: row.moved_from,
    makeupFor: row.makeup_for,
    topic: row.topic,
    note: row.note,
    anonymousCount: row.anonymous_count,
    coverStaff: row.cover_staff_id !== null ? { id: row.cover_staff_id, name: row.cover_name ?? '' } : null,
    facilitators: staff.get(row.group_id) ?? [],
    headcount: Number(row.attended_named ?? 0) + Number(row.attended_codes ?? 0) + row.anonymous_count,
    version: row.row_version,
  }))
}

export async function getSession(db: Db, scope: CenterScope, sessionId: number): Promise<GroupSession> {
  const row = await sessionQuery(db, scope).where('s.id', '=', sessionId).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'sessions.notFound', { field: 'sessionId' })
  return (await toSessions(db, [row]))[0]!
}

/** Every session from `from` to `to` (inclusive), in time order; made from the schedules first if needed. */
export async function sessionsBetween(ctx: ServiceContext, from: string, to: string, options: { facilitatorId?: number } = {}): Promise<GroupSession[]> {
  return inTransaction(ctx, async (trx) => {
    await ensureWindow(trx, ctx, to)
    let query = sessionQuery(trx, ctx).where('s.session_date', '>=', from).where('s.session_date', '<=', to)
    if (options.facilitatorId !== undefined) query = whereRuns(query, options.facilitatorId, localDate(ctx))
    return toSessions(trx, await query.orderBy('s.session_date').orderBy('s.start_time').orderBy('g.name').execute())
  })
}

/** A facilitator's sessions: their own groups', and any they cover today. */
function whereRuns<Q extends ReturnType<typeof sessionQuery>>(query: Q, staffId: number, today: string): Q {
  return query.where((eb) =>
    eb.or([
      eb.exists(eb.selectFrom('group_facilitators as f').select('f.group_id').whereRef('f.group_id', '=', 's.group_id').where('f.staff_id', '=', staffId)),
      eb.and([eb('s.cover_staff_id', '=', staffId), eb('s.session_date', '=', today)]),
    ]),
  ) as Q
}

/** May this facilitator run the session (their group, or one they cover today)? */
export async function facilitatorRunsSession(ctx: ServiceContext, staffId: number, sessionId: number): Promise<boolean> {
  const row = await whereRuns(sessionQuery(ctx.db, ctx), staffId, localDate(ctx)).where('s.id', '=', sessionId).select('s.id').executeTakeFirst()
  return row !== undefined
}

export async function facilitatorLeadsGroup(ctx: ServiceContext, staffId: number, groupId: number): Promise<boolean> {
  const row = await ctx.db.selectFrom('group_facilitators').select('group_id').where('group_id', '=', groupId).where('staff_id', '=', staffId).executeTakeFirst()
  return row !== undefined
}

/** The session to open for a facilitator: one of theirs starting within the hour, or under way. */
export async function dueSession(ctx: ServiceContext, staffId: number): Promise<GroupSession | null> {
  const today = localDate(ctx)
  const sessions = await sessionsBetween(ctx, today, today, { facilitatorId: staffId })
  const now = ctx.now().getTime()
  return sessions.find((s) => s.status !== 'cancelled' && Date.parse(s.startsAt) - now <= 60 * 60_000 && Date.parse(s.endsAt) > now) ?? null
}

async function editableSession(trx: Trx, scope: CenterScope, sessionId: number) {
  const row = await trx.selectFrom('group_sessions').selectAll().where('id', '=', sessionId).$call(inCenter(scope, 'group_sessions')).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'sessions.notFound', { field: 'sessionId' })
  return row
}

async function hasAttendance(trx: Trx, scope: CenterScope, sessionId: number): Promise<boolean> {
  const named = await trx.selectFrom('attendance').select('id').where('session_id', '=', sessionId).where('participant_id', 'is not', null).$call(inCenter(scope, 'attendance')).limit(1).executeTakeFirst()
  return named !== undefined || (await trx.selectFrom('attendance').select('id').where('session_id', '=', sessionId).where('anonymous_code', 'is not', null).$call(inCenter(scope, 'attendance')).limit(1).executeTakeFirst()) !== undefined
}

export interface SessionRecordInput {
  sessionId: number
  topic?: string | null
  note?: string | null
  anonymousCount?: number
  /** Records that it did not meet; false puts a did-not-meet session back to scheduled. */
  didNotMeet?: boolean
  /** The session's version as the form read it (GroupSession.version); left out, the change applies to whatever is there. */
  version?: number
}

/** The facilitator's part: topic, a short note, the anonymous headcount, "did not meet". */
export async function recordSession(ctx: ServiceContext, input: SessionRecordInput): Promise<GroupSession> {
  await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const session = await editableSession(trx, ctx, input.sessionId)
    // A form read before another PC's save hears that first: what it would refuse for may be that save's.
    checkRowVersion(session, input.version)
    if (session.status === 'cancelled') throw new ServiceError('VALIDATION', 'sessions.cancelledRestoreFirst', { field: 'sessionId' })
    const set: Partial<Selectable<GroupSessionsTable>> = { updated_at: now }
    if (input.topic !== undefined) set.topic = cleanText(input.topic)
    if (input.note !== undefined) set.note = cleanText(input.note)
    if (input.anonymousCount !== undefined) {
      if (session.session_date > localDate(ctx)) throw new ServiceError('VALIDATION', 'sessions.headcountFuture', { field: 'anonymousCount' })
      set.anonymous_count = input.anonymousCount
      if (input.anonymousCount > 0 && session.status !== 'held') set.status = 'held'
    }
    if (input.didNotMeet === true) {
      const attended = (await getSession(trx, ctx, session.id)).headcount - session.anonymous_count > 0
      if (attended || (input.anonymousCount ?? session.anonymous_count) > 0) {
        throw new ServiceError('VALIDATION', 'sessions.marksPresent', { field: 'didNotMeet' })
      }
      set.status = 'did_not_meet'
    } else if (input.didNotMeet === false && session.status === 'did_not_meet') {
      set.status = 'scheduled'
    }
    await saveVersioned(trx, 'group_sessions', session, input.version, set, centerId(ctx))
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'session.record', targetType: 'session', targetId: session.id, detail: { status: set.status ?? session.status } })
  })
  return getSession(ctx.db, ctx, input.sessionId)
}

export type SessionChange =
  | { kind: 'cancel'; reason: string }
  | { kind: 'restore' }
  | { kind: 'move'; date: string; startTime?: string; room?: string | null }
  | { kind: 'cover'; staffId: number | null }

async function closureOn(trx: Trx, scope: CenterScope, date: string) {
  return trx.selectFrom('closures').select(['id', 'reason']).where('closed_on', '=', date).$call(inCenter(scope, 'closures')).executeTakeFirst()
}

/** A manager's changes to one session: cancel with a reason, restore, move, or who covers it. */
export async function changeSession(ctx: ServiceContext, sessionId: number, change: SessionChange, version?: number): Promise<GroupSession> {
  await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const session = await editableSession(trx, ctx, sessionId)
    checkRowVersion(session, version)
    const set: Partial<Selectable<GroupSessionsTable>> = { updated_at: now }
    if (change.kind === 'cancel') {
      const reason = change.reason.trim()
      if (!reason) throw new ServiceError('VALIDATION', 'sessions.cancelReason', { field: 'reason' })
      if (await hasAttendance(trx, ctx, sessionId)) throw new ServiceError('VALIDATION', 'sessions.cannotCancel', { field: 'sessionId' })
      Object.assign(set, { status: 'cancelled', cancel_reason: reason })
    } else if (change.kind === 'restore') {
      if (session.status !== 'cancelled') throw new ServiceError('CONFLICT', 'sessions.notCancelled')
      if (session.closure_id !== null) throw new ServiceError('VALIDATION', 'sessions.closedDay', { field: 'sessionId' })
      Object.assign(set, { status: 'scheduled', cancel_reason: null })
    } else if (change.kind === 'move') {
      if (await hasAttendance(trx, ctx, sessionId)) throw new ServiceError('VALIDATION', 'sessions.cannotMove', { field: 'date' })
      if (change.date < localDate(ctx)) throw new ServiceError('VALIDATION', 'sessions.movePast', { field: 'date' })
      const closure = await closureOn(trx, ctx, change.date)
      if (closure) throw new ServiceError('VALIDATION', 'sessions.closedOn', { field: 'date', reason: closure.reason })
      const group = await trx.selectFrom('groups').select('duration_minutes').where('id', '=', session.group_id).$call(inCenter(ctx, 'groups')).executeTakeFirstOrThrow()
      const time = change.startTime ?? session.start_time
      const startsAt = localInstant(change.date, time, centerZone(ctx))
      Object.assign(set, {
        session_date: change.date,
        start_time: time,
        starts_at: startsAt,
        ends_at: new Date(Date.parse(startsAt) + group.duration_minutes * 60_000).toISOString(),
        moved_from: session.moved_from ?? session.session_date,
        ...(change.room !== undefined ? { room: cleanText(change.room) } : {}),
        ...(session.status === 'cancelled' && session.closure_id !== null ? { status: 'scheduled', closure_id: null } : {}),
      })
    } else {
      if (change.staffId !== null) await checkFacilitators(trx, [change.staffId])
      set.cover_staff_id = change.staffId
    }
    await saveVersioned(trx, 'group_sessions', session, version, set, centerId(ctx))
    await appendAudit(trx, now, { staffId: ctx.staffId, action: `session.${change.kind}`, targetType: 'session', targetId: sessionId, detail: change.kind === 'move' ? { from: session.session_date, to: change.date } : undefined })
  })
  return getSession(ctx.db, ctx, sessionId)
}

export interface OneOffInput {
  groupId: number
  date: string
  startTime: string
  room?: string | null
  topic?: string | null
  /** The session this one makes up for: attending it counts toward the series in its place. */
  makeupFor?: number | null
}

/** An extra session outside the schedule (or a make-up for one that was cancelled). */
export async function createOneOffSession(ctx: ServiceContext, input: OneOffInput): Promise<GroupSession> {
  const id = await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const group = await trx.selectFrom('groups').select(['id', 'archived_at', 'duration_minutes']).where('id', '=', input.groupId).$call(inCenter(ctx, 'groups')).executeTakeFirst()
    if (!group) throw new ServiceError('NOT_FOUND', 'groups.notFound', { field: 'groupId' })
    if (group.archived_at) throw new ServiceError('VALIDATION', 'groups.archivedNoSessions', { field: 'groupId' })
    const closure = await closureOn(trx, ctx, input.date)
    if (closure) throw new ServiceError('VALIDATION', 'sessions.closedOn', { field: 'date', reason: closure.reason })
    if (input.date > addDays(localDate(ctx), MAX_AHEAD_DAYS)) throw new ServiceError('VALIDATION', 'sessions.tooFar', { field: 'date' })
    if (input.makeupFor) {
      const original = await trx.selectFrom('group_sessions').select(['group_id', 'status']).where('id', '=', input.makeupFor).$call(inCenter(ctx, 'group_sessions')).executeTakeFirst()
      if (!original || original.group_id !== group.id) throw new ServiceError('VALIDATION', 'sessions.makeupSameGroup', { field: 'makeupFor' })
      // Only a session that did not happen can be made up, and once: the series counts it once.
      if (original.status !== 'cancelled' && original.status !== 'did_not_meet') {
        throw new ServiceError('VALIDATION', 'sessions.makeupNotHeld', { field: 'makeupFor' })
      }
      const already = await trx.selectFrom('group_sessions').select('session_date').where('makeup_for', '=', input.makeupFor).$call(inCenter(ctx, 'group_sessions')).executeTakeFirst()
      if (already) throw new ServiceError('VALIDATION', 'sessions.makeupAlready', { field: 'makeupFor', date: already.session_date })
    }
    const startsAt = localInstant(input.date, input.startTime, centerZone(ctx))
    const row = await trx
      .insertInto('group_sessions')
      .values({
        center_id: centerId(ctx),
        group_id: group.id,
        occurrence_key: null,
        session_date: input.date,
        start_time: input.startTime,
        starts_at: startsAt,
        ends_at: new Date(Date.parse(startsAt) + group.duration_minutes * 60_000).toISOString(),
        room: cleanText(input.room),
        status: 'scheduled',
        cancel_reason: null,
        closure_id: null,
        moved_from: null,
        makeup_for: input.makeupFor ?? null,
        topic: cleanText(input.topic),
        note: null,
        cover_staff_id: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'session.create', targetType: 'session', targetId: row.id, detail: { groupId: group.id, makeupFor: input.makeupFor ?? null } })
    return row.id
  })
  return getSession(ctx.db, ctx, id)
}

/**
 * Active staff, id and display name only: for choosing facilitators and who covers a session,
 * and for naming a colleague involved in an incident (`staff.directory`, open to every role).
 */
export async function activeStaff(ctx: ServiceContext): Promise<StaffRef[]> {
  const rows = await ctx.db.selectFrom('staff').select(['id', 'display_name']).where('active', '=', 1).orderBy('display_name').execute()
  return rows.map((row) => ({ id: row.id, name: row.display_name }))
}

import type { Selectable } from 'kysely'
import type { GroupSessionsTable, Participant } from '../schema'
import { ATTENDED, type AttendanceMark, type AttendanceStatus, type MarkAnswer, type SessionSheet } from '../groups-types'
import { appendAudit } from './audit'
import { centerId, inCenter, type CenterScope } from './centers'
import { brokeUnique, inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx, type UniqueIndex } from './context'
import { getSession } from './groups'
import { groupVisitServiceId } from './group-settings'
import { refreshLastVisit, resolveParticipant } from './profile'
import { personName, sheetName } from './rosters'
import { insertVisit, normalizeCode, ONE_OPEN_VISIT, recordChange } from './visits'
import { visibleVisit } from './visible-visits'

/**
 * Attendance. A present or late mark counts toward the person's visit that day: the one the desk
 * signed them in with, or, when they came only for the group, a visit attendance makes with the
 * center's "group" service. So a person who came for a group and a meal is one visit, and two
 * groups in a day are still one visit. Absences are saved too, so rates are honest.
 */

type SessionRow = Selectable<GroupSessionsTable>
type Db = ServiceContext['db'] | Trx
type Who = { participantId: number } | { code: string }

/** A session attendance may be recorded in: not cancelled, and not a future day. */
async function markableSession(trx: Trx, ctx: ServiceContext, sessionId: number): Promise<SessionRow> {
  const session = await trx.selectFrom('group_sessions').selectAll().where('id', '=', sessionId).$call(inCenter(ctx, 'group_sessions')).executeTakeFirst()
  if (!session) throw new ServiceError('NOT_FOUND', 'sessions.notFound', { field: 'sessionId' })
  if (session.status === 'cancelled') throw new ServiceError('VALIDATION', 'attendance.cancelled', { field: 'sessionId' })
  if (session.session_date > localDate(ctx)) throw new ServiceError('VALIDATION', 'attendance.later', { field: 'sessionId' })
  return session
}

/** The visit that day for this person (or anonymous code), made if there is none. */
async function attachVisit(trx: Trx, ctx: ServiceContext, session: SessionRow, who: Who, now: string): Promise<{ visitId: number; created: boolean }> {
  let query = trx.selectFrom('visits').select('id').$call(inCenter(ctx, 'visits')).where('visit_date', '=', session.session_date).where('voided_at', 'is', null).where(visibleVisit())
  query = 'participantId' in who ? query.where('participant_id', '=', who.participantId) : query.where('anonymous_code', '=', who.code)
  const existing = await query.orderBy('signed_in_at').limit(1).executeTakeFirst()
  if (existing) return { visitId: existing.id, created: false }
  const today = session.session_date === localDate(ctx)
  // Came for the group: in at its start (or now, if marked early); a past day's visit also ends with it.
  const signedIn = session.starts_at < now ? session.starts_at : now
  const visit = await insertVisit(trx, ctx, now, {
    participantId: 'participantId' in who ? who.participantId : null,
    anonymousCode: 'code' in who ? who.code : null,
    visitDate: session.session_date,
    signedInAt: signedIn,
    signedOutAt: today ? null : session.ends_at,
    note: null,
  })
  const service = await groupVisitServiceId(trx)
  if (service !== null) await trx.insertInto('visit_services').values({ visit_id: visit.id, service_id: service, quantity: 1 }).execute()
  // The insert counted the visit and moved last_visit_at forward to it (visits_count_insert, 0066).
  return { visitId: visit.id, created: true }
}

/**
 * A mark no longer counts (changed to absent, or cleared): a visit this attendance made goes with
 * it, unless another group that day still counts toward it, which then carries it.
 */
async function detachVisit(trx: Trx, ctx: ServiceContext, row: { id: number; visit_id: number | null; created_visit: number; participant_id: number | null }, now: string): Promise<void> {
  if (row.visit_id === null) return
  if (row.created_visit === 1) {
    const other = await trx.selectFrom('attendance').select('id').where('visit_id', '=', row.visit_id).where('id', '!=', row.id).where('status', 'in', [...ATTENDED]).$call(inCenter(ctx, 'attendance')).executeTakeFirst()
    if (other) {
      await trx.updateTable('attendance').set({ created_visit: 1 }).where('id', '=', other.id).$call(inCenter(ctx, 'attendance')).execute()
    } else {
      const reason = 'Group attendance changed: the person was not there.'
      await trx.updateTable('visits').set({ voided_at: now, void_reason: reason, updated_at: now }).where('id', '=', row.visit_id).$call(inCenter(ctx, 'visits')).execute()
      await recordChange(trx, ctx, now, { visitId: row.visit_id, kind: 'void', reason, before: { voidedAt: null, voidReason: null }, after: { voidedAt: now, voidReason: reason } })
      await refreshLastVisit(trx, ctx, [row.participant_id])
    }
  }
  await trx.updateTable('attendance').set({ visit_id: null, created_visit: 0 }).where('id', '=', row.id).$call(inCenter(ctx, 'attendance')).execute()
}

/** Writes one mark inside the caller's transaction; returns whether anything changed, and the follow-up the mark now has. */
async function writeMark(
  trx: Trx,
  ctx: ServiceContext,
  session: SessionRow,
  who: Who,
  status: AttendanceStatus | null,
  now: string,
  followUp?: string | null,
): Promise<{ changed: boolean; followUp: string | null }> {
  let query = trx.selectFrom('attendance').selectAll().where('session_id', '=', session.id).$call(inCenter(ctx, 'attendance'))
  query = 'participantId' in who ? query.where('participant_id', '=', who.participantId) : query.where('anonymous_code', '=', who.code)
  const row = await query.executeTakeFirst()
  const counts = status !== null && ATTENDED.includes(status)
  if (row && status === null) {
    await detachVisit(trx, ctx, row, now)
    await trx.deleteFrom('attendance').where('id', '=', row.id).$call(inCenter(ctx, 'attendance')).execute()
    return { changed: true, followUp: null }
  }
  if (status === null) return { changed: false, followUp: null }
  const follow = followUp === undefined ? (row?.follow_up ?? null) : followUp?.trim() || null
  if (row && row.status === status && row.follow_up === follow) return { changed: false, followUp: follow }
  let visit = { visitId: row?.visit_id ?? null, created: row?.created_visit === 1 }
  if (counts && visit.visitId === null) {
    const attached = await attachVisit(trx, ctx, session, who, now)
    visit = { visitId: attached.visitId, created: attached.created }
  }
  if (row) {
    if (!counts) await detachVisit(trx, ctx, row, now)
    await trx
      .updateTable('attendance')
      .set({ status, follow_up: follow, recorded_by: ctx.staffId, updated_at: now, ...(counts ? { visit_id: visit.visitId, created_visit: visit.created ? 1 : 0 } : {}) })
      .where('id', '=', row.id)
      .$call(inCenter(ctx, 'attendance'))
      .execute()
  } else {
    await trx
      .insertInto('attendance')
      .values({
        center_id: centerId(ctx),
        session_id: session.id,
        participant_id: 'participantId' in who ? who.participantId : null,
        anonymous_code: 'code' in who ? who.code : null,
        status,
        visit_id: counts ? visit.visitId : null,
        created_visit: counts && visit.created ? 1 : 0,
        follow_up: follow,
        recorded_by: ctx.staffId,
        created_at: now,
        updated_at: now,
      })
      .execute()
  }
  return { changed: true, followUp: follow }
}

/** One mark per person (or code) per session. */
const ONE_MARK: readonly UniqueIndex[] = [
  { name: 'attendance_person', table: 'attendance', columns: ['session_id', 'participant_id'] },
  { name: 'attendance_code', table: 'attendance', columns: ['session_id', 'anonymous_code'] },
]

/**
 * Two PCs marking the same person at once (a facilitator's laptop and the desk's sheet), or a
 * mark making a visit while the desk signs the person in: the second writer's transaction is
 * refused by a unique index (one mark per session; one open visit a day) and runs once more, now
 * finding the first one's mark or visit and updating it. The later tap wins, as it does on one PC.
 */
async function marking<T>(ctx: ServiceContext, work: (trx: Trx) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(ctx, work)
  } catch (error) {
    if (![...ONE_MARK, ...ONE_OPEN_VISIT].some((index) => brokeUnique(error, index))) throw error
    return inTransaction(ctx, work)
  }
}

async function markHeld(trx: Trx, session: SessionRow, now: string): Promise<void> {
  // The session was read through the window's center (markableSession): its own center keeps the write there.
  if (session.status !== 'held') await trx.updateTable('group_sessions').set({ status: 'held', updated_at: now }).where('id', '=', session.id).where('center_id', '=', session.center_id).execute()
}

export interface MarkInput {
  sessionId: number
  participantId: number
  /** null clears the mark. */
  status: AttendanceStatus | null
  /** A short, non-clinical note for a peer specialist; null clears it; absent leaves it. */
  followUp?: string | null
}

/**
 * One person's mark: one tap or one key on the attendance screen. It answers with what changed
 * (the session's counts and the person's row), not the whole sheet: reading that back cost more
 * than the write (every visit of the day, for "here today"), and the screen reads it behind.
 */
export async function markAttendance(ctx: ServiceContext, input: MarkInput): Promise<MarkAnswer> {
  return marking(ctx, async (trx) => {
    const now = isoNow(ctx)
    const session = await markableSession(trx, ctx, input.sessionId)
    const { row: person } = await resolveParticipant(trx, input.participantId, ctx)
    if (input.followUp && input.status === null) throw new ServiceError('VALIDATION', 'attendance.followUpNeedsMark', { field: 'followUp' })
    const { changed, followUp } = await writeMark(trx, ctx, session, { participantId: person.id }, input.status, now, input.followUp)
    if (changed && input.status !== null) await markHeld(trx, session, now)
    if (changed) {
      await appendAudit(trx, now, { staffId: ctx.staffId, action: 'attendance.mark', targetType: 'participant', targetId: person.id, detail: { sessionId: session.id, status: input.status, followUp: input.followUp ? true : undefined } })
    }
    return markAnswer(trx, ctx, session.id, person, input.status, followUp)
  })
}

/** The session after a mark, and the person's row as sessionSheet shows it: two reads of one session and one person. */
export async function markAnswer(trx: Trx, ctx: CenterScope, sessionId: number, person: Pick<Participant, 'id' | 'first_name' | 'nickname' | 'last_name' | 'code'>, status: AttendanceStatus | null, followUp: string | null): Promise<MarkAnswer> {
  const session = await getSession(trx, ctx, sessionId)
  const facts = await trx
    .selectFrom('participants as p')
    .select((eb) => [
      // As sessionSheet's roster: enrolled on the session's day, not waitlisted.
      eb
        .exists(
          eb
            .selectFrom('enrollments as e')
            .select('e.id')
            .whereRef('e.participant_id', '=', 'p.id')
            .where('e.group_id', '=', session.groupId)
            .where('e.status', '!=', 'waitlisted')
            .where('e.enrolled_on', '<=', session.date)
            .where((w) => w.or([w('e.ended_on', 'is', null), w('e.ended_on', '>=', session.date)])),
        )
        .as('enrolled'),
      // As its "here today": a visit that day that no group's attendance made.
      eb
        .exists(
          eb
            .selectFrom('visits as v')
            .select('v.id')
            .whereRef('v.participant_id', '=', 'p.id')
            .where('v.visit_date', '=', session.date)
            .where('v.voided_at', 'is', null)
            .where(visibleVisit('v'))
            .where((w) => w.not(w.exists(w.selectFrom('attendance as c').select('c.id').whereRef('c.visit_id', '=', 'v.id').where('c.created_visit', '=', 1).where('c.participant_id', 'is not', null)))),
        )
        .as('here'),
    ])
    .where('p.id', '=', person.id)
    .$call(inCenter(ctx, 'p'))
    .executeTakeFirstOrThrow()
  // exists() is 0/1 on SQLite and a boolean on PostgreSQL.
  const enrolled = session.kind === 'closed' && Boolean(facts.enrolled)
  return {
    session,
    person: {
      participantId: person.id,
      name: personName(person.first_name, person.nickname, person.last_name),
      sheetName: sheetName(person.first_name, person.nickname, person.last_name),
      code: person.code,
      status,
      enrolled,
      followUp,
      hereToday: Boolean(facts.here),
    },
    listed: enrolled || status !== null,
  }
}

export interface MarkManyInput {
  sessionId: number
  marks: Array<{ participantId: number; status: AttendanceStatus }>
  /** Needed when a mark would replace a different one already saved. */
  overwrite?: boolean
}

/** "Everyone present", or a paper sheet entered later: many marks in one transaction. */
export async function markMany(ctx: ServiceContext, input: MarkManyInput): Promise<SessionSheet> {
  await marking(ctx, async (trx) => {
    const now = isoNow(ctx)
    const session = await markableSession(trx, ctx, input.sessionId)
    const ids = new Set<number>()
    const resolved: Array<{ participantId: number; status: AttendanceStatus }> = []
    for (const mark of input.marks) {
      const { row } = await resolveParticipant(trx, mark.participantId, ctx)
      if (ids.has(row.id)) throw new ServiceError('VALIDATION', 'attendance.listedTwice', { field: 'marks' })
      ids.add(row.id)
      resolved.push({ participantId: row.id, status: mark.status })
    }
    if (!input.overwrite && resolved.length > 0) {
      const existing = await trx.selectFrom('attendance').select(['participant_id', 'status']).where('session_id', '=', session.id).where('participant_id', 'in', [...ids]).$call(inCenter(ctx, 'attendance')).execute()
      const differing = existing.filter((row) => resolved.find((m) => m.participantId === row.participant_id)!.status !== row.status)
      if (differing.length > 0) {
        throw new ServiceError('CONFLICT', 'attendance.marksDiffer', { field: 'overwrite', count: differing.length })
      }
    }
    let changed = 0
    for (const mark of resolved) if ((await writeMark(trx, ctx, session, { participantId: mark.participantId }, mark.status, now)).changed) changed++
    if (changed > 0) await markHeld(trx, session, now)
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'attendance.mark_many', targetType: 'session', targetId: session.id, detail: { marks: resolved.length, changed, participants: [...ids] } })
  })
  return sessionSheet(ctx, input.sessionId, { audit: false })
}

/** Anonymous attendance by a chosen code, for open meetings; counted once a day like a named person. */
export async function markAnonymous(ctx: ServiceContext, input: { sessionId: number; code: string; status: AttendanceStatus | null }): Promise<SessionSheet> {
  const code = normalizeCode(input.code)
  if (!code) throw new ServiceError('VALIDATION', 'attendance.codeRequired', { field: 'code' })
  await marking(ctx, async (trx) => {
    const now = isoNow(ctx)
    const session = await markableSession(trx, ctx, input.sessionId)
    const group = await trx.selectFrom('groups').select('kind').where('id', '=', session.group_id).$call(inCenter(ctx, 'groups')).executeTakeFirstOrThrow()
    if (group.kind !== 'open') throw new ServiceError('VALIDATION', 'attendance.anonymousOpenOnly', { field: 'code' })
    if ((await writeMark(trx, ctx, session, { code }, input.status, now)).changed) {
      if (input.status !== null) await markHeld(trx, session, now)
      await appendAudit(trx, now, { staffId: ctx.staffId, action: 'attendance.anonymous', targetType: 'session', targetId: session.id, detail: { status: input.status } })
    }
  })
  return sessionSheet(ctx, input.sessionId, { audit: false })
}

/**
 * The attendance screen: the roster (enrolled on the session's day) and everyone already marked,
 * with who of them signed in at the desk, and who signed in that day and is not in the list yet.
 * The look is audited: it lists people's names.
 */
export async function sessionSheet(ctx: ServiceContext, sessionId: number, options: { audit?: boolean } = {}): Promise<SessionSheet> {
  const read = async (trx: Db): Promise<SessionSheet> => {
    const session = await getSession(trx, ctx, sessionId)
    // People's marks and codes' marks in two reads, each through its partial index: `session_id = ?`
    // alone can use neither and would read every mark ever taken.
    const named = await trx
      .selectFrom('attendance as a')
      .innerJoin('participants as p', 'p.id', 'a.participant_id')
      .select(['a.participant_id', 'a.status', 'a.follow_up', 'p.first_name', 'p.nickname', 'p.last_name', 'p.code'])
      .$call(inCenter(ctx, 'a'))
      .where('a.session_id', '=', sessionId)
      .where('a.participant_id', 'is not', null)
      .execute()
    const coded = await trx.selectFrom('attendance').select(['anonymous_code', 'status']).where('session_id', '=', sessionId).where('anonymous_code', 'is not', null).$call(inCenter(ctx, 'attendance')).execute()
    const roster =
      session.kind === 'closed'
        ? await trx
            .selectFrom('enrollments as e')
            .innerJoin('participants as p', 'p.id', 'e.participant_id')
            .select(['p.id', 'p.first_name', 'p.nickname', 'p.last_name', 'p.code'])
            .$call(inCenter(ctx, 'e'))
            .where('e.group_id', '=', session.groupId)
            .where('e.status', '!=', 'waitlisted')
            .where('e.enrolled_on', '<=', session.date)
            .where((eb) => eb.or([eb('e.ended_on', 'is', null), eb('e.ended_on', '>=', session.date)]))
            .execute()
        : []
    // Visits that group attendance made that day are not "here today" (signed in at the desk): the
    // few of them, found through that day's sessions, rather than a look-up per visit of the day.
    const madeByGroups = new Set(
      (
        await trx
          .selectFrom('attendance as c')
          .innerJoin('group_sessions as d', 'd.id', 'c.session_id')
          .select('c.visit_id')
          .$call(inCenter(ctx, 'd'))
          .where('d.session_date', '=', session.date)
          .where('c.participant_id', 'is not', null)
          .where('c.created_visit', '=', 1)
          .execute()
      ).map((row) => row.visit_id),
    )
    const signedIn = await trx
      .selectFrom('visits as v')
      .innerJoin('participants as p', 'p.id', 'v.participant_id')
      .select(['v.id as visit_id', 'p.id', 'p.first_name', 'p.nickname', 'p.last_name', 'p.code'])
      .$call(inCenter(ctx, 'v'))
      .where('v.visit_date', '=', session.date)
      .where('v.voided_at', 'is', null)
      .where(visibleVisit('v'))
      .where('p.merged_into', 'is', null)
      .where('p.deleted_at', 'is', null)
      .execute()
    const here = signedIn.filter((v) => !madeByGroups.has(v.visit_id))
    const hereIds = new Set(here.map((p) => p.id))
    const people = new Map<number, AttendanceMark>()
    for (const p of roster) {
      people.set(p.id, { participantId: p.id, name: personName(p.first_name, p.nickname, p.last_name), sheetName: sheetName(p.first_name, p.nickname, p.last_name), code: p.code, status: null, enrolled: true, followUp: null, hereToday: hereIds.has(p.id) })
    }
    for (const m of named) {
      if (m.participant_id === null) continue
      const entry = people.get(m.participant_id) ?? {
        participantId: m.participant_id,
        name: personName(m.first_name, m.nickname, m.last_name),
        sheetName: sheetName(m.first_name, m.nickname, m.last_name),
        code: m.code ?? '',
        status: null,
        enrolled: false,
        followUp: null,
        hereToday: hereIds.has(m.participant_id),
      }
      people.set(m.participant_id, { ...entry, status: m.status, followUp: m.follow_up })
    }
    const hereToday = [...new Map(here.filter((p) => !people.has(p.id)).map((p) => [p.id, { participantId: p.id, name: personName(p.first_name, p.nickname, p.last_name), sheetName: sheetName(p.first_name, p.nickname, p.last_name), code: p.code }])).values()]
    const group = await trx.selectFrom('groups').select('series_length').where('id', '=', session.groupId).$call(inCenter(ctx, 'groups')).executeTakeFirstOrThrow()
    let seriesNumber: number | null = null
    if (group.series_length !== null) {
      // Held sessions before this one, a make-up standing in for the one it makes up for.
      const before = await trx
        .selectFrom('group_sessions')
        .select((eb) => eb.fn.count<number>(eb.fn.coalesce('makeup_for', 'id')).distinct().as('n'))
        .$call(inCenter(ctx, 'group_sessions'))
        .where('group_id', '=', session.groupId)
        .where('status', '=', 'held')
        .where('starts_at', '<', session.startsAt)
        .where('id', '!=', session.makeupFor ?? -1)
        .executeTakeFirstOrThrow()
      seriesNumber = Number(before.n) + 1
    }
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)
    return {
      session,
      seriesNumber,
      people: [...people.values()].sort(byName),
      hereToday: hereToday.sort(byName),
      anonymous: coded.map((m) => ({ code: m.anonymous_code!, status: m.status })),
    }
  }
  if (options.audit === false) return read(ctx.db)
  return inTransaction(ctx, async (trx) => {
    const sheet = await read(trx)
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'session.sheet', targetType: 'session', targetId: sessionId, detail: { people: sheet.people.length, hereToday: sheet.hereToday.length } })
    return sheet
  })
}

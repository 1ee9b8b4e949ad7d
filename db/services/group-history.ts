import { ATTENDED, type GroupDetails, type GroupHistoryRow, type GroupRates, type PersonGroupHistory, type PersonGroupRow } from '../groups-types'
import { appendAudit } from './audit'
import { inCenter, type CenterScope } from './centers'
import { inTransaction, isoNow, localDate, type ServiceContext, type Trx } from './context'
import { addDays } from './group-schedule'
import { ensureWindow, getGroupSummary, sessionQuery, toSessions } from './groups'
import { resolveParticipant } from './profile'
import { groupRoster } from './rosters'

/**
 * History and rates. Every rate divides what was recorded by what was expected: in a held session,
 * an enrolled person with no mark counts as absent, so a rate never reads 100 % because absences
 * were not saved. Sessions that did not meet or were cancelled expect no one.
 */

/** "New attendees" are people whose first time in the group was this recent. */
export const NEW_ATTENDEE_DAYS = 30

type Db = ServiceContext['db'] | Trx

/** Past sessions of a group, newest first, with headcount and the enrolled expected and attended. */
async function historyRows(db: Db, scope: CenterScope, groupId: number, today: string): Promise<GroupHistoryRow[]> {
  const rows = await db
    .selectFrom('group_sessions as s')
    .$call(inCenter(scope, 's'))
    .select(['s.id', 's.session_date', 's.status', 's.topic', 's.anonymous_count'])
    .select((eb) => [
      // Named and by code apart, each through its partial index: `session_id = ?` alone reads every mark.
      eb.selectFrom('attendance as a').select(eb.fn.countAll<number>().as('n')).whereRef('a.session_id', '=', 's.id').where('a.participant_id', 'is not', null).where('a.status', 'in', [...ATTENDED]).as('attended_named'),
      eb.selectFrom('attendance as a').select(eb.fn.countAll<number>().as('n')).whereRef('a.session_id', '=', 's.id').where('a.anonymous_code', 'is not', null).where('a.status', 'in', [...ATTENDED]).as('attended_codes'),
      eb
        .selectFrom('enrollments as e')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('e.group_id', '=', 's.group_id')
        .where('e.enrolled_on', 'is not', null)
        .whereRef('e.enrolled_on', '<=', 's.session_date')
        .where((w) => w.or([w('e.ended_on', 'is', null), w('e.ended_on', '>=', w.ref('s.session_date'))]))
        .as('expected'),
      eb
        .selectFrom('attendance as a')
        .innerJoin('enrollments as e', (join) => join.onRef('e.participant_id', '=', 'a.participant_id').onRef('e.group_id', '=', 's.group_id'))
        .select((f) => f.fn.count<number>('a.id').distinct().as('n'))
        .whereRef('a.session_id', '=', 's.id')
        .where('a.status', 'in', [...ATTENDED])
        .where('e.enrolled_on', 'is not', null)
        .whereRef('e.enrolled_on', '<=', 's.session_date')
        .where((w) => w.or([w('e.ended_on', 'is', null), w('e.ended_on', '>=', w.ref('s.session_date'))]))
        .as('enrolled_attended'),
    ])
    .where('s.group_id', '=', groupId)
    .where('s.session_date', '<=', today)
    .orderBy('s.session_date', 'desc')
    .orderBy('s.start_time', 'desc')
    .execute()
  // The group's make-ups, read once (makeup_for has no index of its own).
  const madeUp = new Set((await db.selectFrom('group_sessions').select('makeup_for').$call(inCenter(scope, 'group_sessions')).where('group_id', '=', groupId).where('makeup_for', 'is not', null).execute()).map((m) => m.makeup_for))
  return rows.map((row) => ({
    sessionId: row.id,
    date: row.session_date,
    status: row.status,
    topic: row.topic,
    headcount: Number(row.attended_named ?? 0) + Number(row.attended_codes ?? 0) + row.anonymous_count,
    enrolledExpected: row.status === 'held' ? Number(row.expected ?? 0) : 0,
    enrolledAttended: Number(row.enrolled_attended ?? 0),
    madeUp: madeUp.has(row.id),
  }))
}

async function newAttendees(db: Db, scope: CenterScope, groupId: number, since: string): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('attendance as a')
        .innerJoin('group_sessions as s', 's.id', 'a.session_id')
        .select((f) => ['a.participant_id', f.fn.min('s.session_date').as('first')])
        .$call(inCenter(scope, 's'))
        .where('s.group_id', '=', groupId)
        .where('a.participant_id', 'is not', null)
        .where('a.status', 'in', [...ATTENDED])
        .groupBy('a.participant_id')
        .as('firsts'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('firsts.first', '>=', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function ratesOf(history: GroupHistoryRow[], fresh: number): GroupRates {
  const held = history.filter((h) => h.status === 'held')
  const expected = held.reduce((sum, h) => sum + h.enrolledExpected, 0)
  return {
    sessionsHeld: held.length,
    sessionsDidNotMeet: history.filter((h) => h.status === 'did_not_meet').length,
    sessionsCancelled: history.filter((h) => h.status === 'cancelled').length,
    averageHeadcount: held.length ? Math.round((held.reduce((sum, h) => sum + h.headcount, 0) / held.length) * 10) / 10 : null,
    enrolledRate: expected ? held.reduce((sum, h) => sum + h.enrolledAttended, 0) / expected : null,
    newAttendees: fresh,
  }
}

/** The group page: details, roster with its history, rates over the group's life, past and coming sessions. */
export async function groupDetails(ctx: ServiceContext, groupId: number): Promise<GroupDetails> {
  return inTransaction(ctx, async (trx) => {
    await ensureWindow(trx, ctx)
    const today = localDate(ctx)
    const group = await getGroupSummary(trx, groupId, ctx)
    const history = await historyRows(trx, ctx, groupId, today)
    const upcoming = await toSessions(
      trx,
      await sessionQuery(trx, ctx).where('s.group_id', '=', groupId).where('s.session_date', '>', today).where('s.session_date', '<=', addDays(today, 28)).orderBy('s.session_date').orderBy('s.start_time').execute(),
    )
    const roster = await groupRoster(trx, ctx, groupId)
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'group.view', targetType: 'group', targetId: groupId, detail: { roster: roster.length } })
    return { group, roster, rates: ratesOf(history, await newAttendees(trx, ctx, groupId, addDays(today, -NEW_ATTENDEE_DAYS))), history, upcoming }
  })
}

/** A person's groups for the profile: attended, rate while enrolled, last time, streak; and facilitators' follow-ups. */
export async function personGroupHistory(ctx: ServiceContext, participantId: number): Promise<PersonGroupHistory> {
  return inTransaction(ctx, async (trx) => {
    const { row: person } = await resolveParticipant(trx, participantId, ctx)
    const today = localDate(ctx)
    const marks = await trx
      .selectFrom('attendance as a')
      .innerJoin('group_sessions as s', 's.id', 'a.session_id')
      .select(['s.id', 's.group_id', 's.session_date', 'a.status', 'a.follow_up'])
      .$call(inCenter(ctx, 'a'))
      .where('a.participant_id', '=', person.id)
      .execute()
    const enrollments = await trx.selectFrom('enrollments').selectAll().$call(inCenter(ctx, 'enrollments')).where('participant_id', '=', person.id).where('enrolled_on', 'is not', null).execute()
    const groupIds = [...new Set([...marks.map((m) => m.group_id), ...enrollments.map((e) => e.group_id)])]
    const groups = groupIds.length ? await trx.selectFrom('groups').select(['id', 'name', 'kind']).where('id', 'in', groupIds).$call(inCenter(ctx, 'groups')).execute() : []
    const rows: PersonGroupRow[] = []
    for (const group of groups) {
      const mine = enrollments.filter((e) => e.group_id === group.id)
      const attendedIds = new Set(marks.filter((m) => m.group_id === group.id && ATTENDED.includes(m.status)).map((m) => m.id))
      const firstMark = marks.filter((m) => m.group_id === group.id).reduce<string | null>((min, m) => (min === null || m.session_date < min ? m.session_date : min), null)
      const from = [firstMark, ...mine.map((e) => e.enrolled_on)].filter((d): d is string => d !== null).sort()[0] ?? today
      const held = await trx.selectFrom('group_sessions').select(['id', 'session_date']).$call(inCenter(ctx, 'group_sessions')).where('group_id', '=', group.id).where('status', '=', 'held').where('session_date', '>=', from).where('session_date', '<=', today).orderBy('session_date', 'desc').orderBy('start_time', 'desc').execute()
      const enrolledOn = (date: string) => mine.some((e) => e.enrolled_on! <= date && (e.ended_on === null || e.ended_on >= date))
      // Closed groups expect the person at every held session while enrolled; open ones expect no one.
      const relevant = group.kind === 'closed' ? held.filter((s) => enrolledOn(s.session_date) || attendedIds.has(s.id)) : held.filter((s) => attendedIds.has(s.id) || s.session_date >= from)
      const expected = group.kind === 'closed' ? held.filter((s) => enrolledOn(s.session_date)) : []
      let streak = 0
      for (const session of relevant) {
        if (!attendedIds.has(session.id)) break
        streak++
      }
      const attendedDates = held.filter((s) => attendedIds.has(s.id)).map((s) => s.session_date)
      rows.push({
        groupId: group.id,
        groupName: group.name,
        attended: attendedIds.size,
        expected: expected.length,
        rate: expected.length ? expected.filter((s) => attendedIds.has(s.id)).length / expected.length : null,
        lastAttended: attendedDates[0] ?? null,
        streak,
        enrolled: mine.some((e) => e.status === 'enrolled'),
      })
    }
    const names = new Map(groups.map((g) => [g.id, g.name]))
    const followUps = marks
      .filter((m) => m.follow_up !== null)
      .sort((a, b) => b.session_date.localeCompare(a.session_date))
      .slice(0, 20)
      .map((m) => ({ sessionId: m.id, groupName: names.get(m.group_id) ?? '', date: m.session_date, note: m.follow_up! }))
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'participant.groups', targetType: 'participant', targetId: person.id, detail: { groups: rows.length } })
    return { groups: rows.sort((a, b) => (b.lastAttended ?? '').localeCompare(a.lastAttended ?? '') || a.groupName.localeCompare(b.groupName)), followUps }
  })
}

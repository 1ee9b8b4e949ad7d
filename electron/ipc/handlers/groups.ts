import { markAnonymous, markAttendance, markMany, sessionSheet } from '../../../db/services/attendance'
import { attendanceLetter } from '../../../db/services/attendance-letter'
import { createClosure, deleteClosure, listClosures, previewClosure } from '../../../db/services/closures'
import { ServiceError, localDate, type ServiceContext } from '../../../db/services/context'
import { addDays } from '../../../db/services/group-schedule'
import { groupDetails, personGroupHistory } from '../../../db/services/group-history'
import { groupSettings, saveGroupSettings } from '../../../db/services/group-settings'
import {
  activeStaff,
  archiveGroup,
  changeSession,
  createOneOffSession,
  dueSession,
  facilitatorLeadsGroup,
  facilitatorRunsSession,
  getSession,
  listGroups,
  recordSession,
  saveGroup,
  sessionsBetween,
} from '../../../db/services/groups'
import { admitFromWaitlist, enroll, unenroll } from '../../../db/services/rosters'
import type { groupsChannels } from '../contract/groups'
import type { CallContext, FeatureHandlers } from './types'

/** The facilitator's own staff id, or null for roles that see every group. */
function facilitator(call: CallContext): number | null {
  const staff = call.session.staff
  return staff?.role === 'facilitator' ? staff.id : null
}

/** A facilitator runs their own groups' sessions and any session they cover today; other roles any. */
export async function mayRunSession(ctx: ServiceContext, call: CallContext, sessionId: number): Promise<void> {
  const staffId = facilitator(call)
  if (staffId !== null && !(await facilitatorRunsSession(ctx, staffId, sessionId))) throw new ServiceError('FORBIDDEN', 'groups.notYours')
}

/** Groups and attendance: thin calls into db/, with the facilitator's scope checked here in main. */
export const groupsHandlers: FeatureHandlers<typeof groupsChannels> = {
  'groups.list': async ({ archived }, call) => {
    const staffId = facilitator(call)
    return listGroups(call.core.context(call.session), { archived, ...(staffId !== null ? { facilitatorId: staffId } : {}) })
  },
  'groups.get': async ({ id }, call) => {
    const ctx = call.core.context(call.session)
    const staffId = facilitator(call)
    if (staffId !== null && !(await facilitatorLeadsGroup(ctx, staffId, id))) throw new ServiceError('FORBIDDEN', 'groups.notYours')
    return groupDetails(ctx, id)
  },
  'groups.save': async (input, call) => saveGroup(call.core.context(call.session), { ...input, description: input.description ?? null, room: input.room ?? null }),
  'groups.archive': async ({ id, version }, call) => archiveGroup(call.core.context(call.session), id, version),
  'groups.staff': async (_input, call) => activeStaff(call.core.context(call.session)),
  'groups.enroll': async (input, call) => enroll(call.core.context(call.session), input),
  'groups.unenroll': async (input, call) => unenroll(call.core.context(call.session), input),
  'groups.admit': async ({ enrollmentId }, call) => admitFromWaitlist(call.core.context(call.session), enrollmentId),
  'groups.personHistory': async ({ participantId }, call) => personGroupHistory(call.core.context(call.session), participantId),
  'sessions.today': async (_input, call) => {
    const ctx = call.core.context(call.session)
    const today = localDate(ctx)
    const staffId = facilitator(call)
    const sessions = await sessionsBetween(ctx, today, today, staffId !== null ? { facilitatorId: staffId } : {})
    return { sessions, due: staffId !== null ? await dueSession(ctx, staffId) : null }
  },
  'sessions.week': async ({ from }, call) => {
    const staffId = facilitator(call)
    return sessionsBetween(call.core.context(call.session), from, addDays(from, 6), staffId !== null ? { facilitatorId: staffId } : {})
  },
  'sessions.sheet': async ({ sessionId }, call) => {
    const ctx = call.core.context(call.session)
    await mayRunSession(ctx, call, sessionId)
    return sessionSheet(ctx, sessionId)
  },
  'sessions.mark': async (input, call) => {
    const ctx = call.core.context(call.session)
    await mayRunSession(ctx, call, input.sessionId)
    return markAttendance(ctx, input)
  },
  'sessions.markMany': async (input, call) => {
    const ctx = call.core.context(call.session)
    await mayRunSession(ctx, call, input.sessionId)
    return markMany(ctx, input)
  },
  'sessions.markAnonymous': async (input, call) => {
    const ctx = call.core.context(call.session)
    await mayRunSession(ctx, call, input.sessionId)
    return markAnonymous(ctx, input)
  },
  // The front desk adds a person who says they are here for a group, to one of today's sessions.
  'sessions.addPerson': async ({ sessionId, participantId }, call) => {
    const ctx = call.core.context(call.session)
    await mayRunSession(ctx, call, sessionId)
    if (call.session.staff?.role === 'front_desk' && (await getSession(ctx.db, ctx, sessionId)).date !== localDate(ctx)) {
      throw new ServiceError('FORBIDDEN', 'groups.deskTodayOnly')
    }
    return (await markAttendance(ctx, { sessionId, participantId, status: 'present' })).session
  },
  'sessions.record': async (input, call) => {
    const ctx = call.core.context(call.session)
    await mayRunSession(ctx, call, input.sessionId)
    return recordSession(ctx, input)
  },
  'sessions.change': async ({ sessionId, change, version }, call) =>
    changeSession(call.core.context(call.session), sessionId, change.kind === 'move' ? { ...change, room: change.room } : change, version),
  'sessions.create': async (input, call) => createOneOffSession(call.core.context(call.session), input),
  'closures.list': async (_input, call) => listClosures(call.core.context(call.session)),
  'closures.preview': async ({ date }, call) => previewClosure(call.core.context(call.session), date),
  'closures.create': async (input, call) => createClosure(call.core.context(call.session), input),
  'closures.delete': async ({ id }, call) => deleteClosure(call.core.context(call.session), id),
  'groups.attendanceLetter': async (input, call) => attendanceLetter(call.core.context(call.session), input),
  'groups.settings': async (_input, call) => groupSettings(call.core.context(call.session).db),
  'groups.saveSettings': async (input, call) => saveGroupSettings(call.core.context(call.session), input),
}

import type { Selectable } from 'kysely'
import {
  addDays,
  MAX_CONTACT_MINUTES,
  MAX_MEETINGS_AT_ONCE,
  OPEN_ENGAGEMENT,
  weekdayOf,
  type CoachOf,
  type CoachRef,
  type CoachingRecord,
  type Contact,
  type ContactKind,
  type Engagement,
  type EngagementEvent,
  type EngagementStatus,
  type Meeting,
  type MeetingKind,
  type Pathway,
  type RecoveryStage,
} from '../coaching-types'
import type { CoachingContactsTable, CoachingEngagementsTable, CoachingMeetingsTable } from '../schema'
import { appendAudit } from './audit'
import { coachingSettings } from './coaching-settings'
import { planOf } from './coaching-plan'
import { centerId, inCenter, type CenterScope } from './centers'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx } from './context'
import { expandSchedule, scheduleText } from './group-schedule'
import { centerZone } from './groups'
import { activeParticipant, resolveParticipant } from './profile'

/**
 * Peer coaching: engagements (a participant and their coach over a planned length), the meetings
 * scheduled in them and the contacts logged. Every write is one transaction with its audit row;
 * every refusal is checked before anything is written.
 */

type Db = ServiceContext['db'] | Trx

const COACH_ROLES = ['peer_specialist', 'manager'] as const

export interface StartInput {
  participantId: number
  coachId: number
  backupId?: number | null
  /** Defaults to today. */
  startedOn?: string
  /** Defaults to the center's setting. */
  plannedDays?: number
  stage: RecoveryStage
  pathways: Pathway[]
}

export interface ScheduleInput {
  engagementId: number
  date: string
  time: string
  kind: MeetingKind
  /** Every `intervalWeeks` weeks on the first date's weekday, up to `until` (inclusive); null for one meeting. */
  repeat?: { intervalWeeks: number; until: string } | null
}

export interface ContactInput {
  /** Null for an anonymous warmline call, linked to a person later. */
  participantId: number | null
  /** Defaults to the person's open engagement, when it had started by the contact's date. */
  engagementId?: number | null
  /** The scheduled meeting this contact was: it becomes held. */
  meetingId?: number | null
  callerLabel?: string | null
  contactOn: string
  minutes: number
  kind: ContactKind
  topics: string[]
  note?: string | null
  nextSteps?: string | null
}

async function staffRef(db: Db, id: number | null): Promise<CoachRef | null> {
  if (id === null) return null
  const row = await db.selectFrom('staff').select(['id', 'display_name']).where('id', '=', id).executeTakeFirst()
  return row ? { id: row.id, name: row.display_name } : null
}

/** A coach is an active peer specialist or manager. */
async function checkCoach(db: Db, id: number, field: string): Promise<CoachRef> {
  const row = await db.selectFrom('staff').select(['id', 'display_name', 'role', 'active']).where('id', '=', id).executeTakeFirst()
  if (!row || !row.active || !(COACH_ROLES as readonly string[]).includes(row.role)) throw new ServiceError('VALIDATION', 'coaching.coachInvalid', { field })
  return { id: row.id, name: row.display_name }
}

/** The staff who can coach, for the pickers. */
export async function listCoaches(ctx: ServiceContext): Promise<CoachRef[]> {
  const rows = await ctx.db
    .selectFrom('staff')
    .select(['id', 'display_name'])
    .where('active', '=', 1)
    .where('role', 'in', COACH_ROLES)
    .orderBy('display_name')
    .execute()
  return rows.map((row) => ({ id: row.id, name: row.display_name }))
}

async function engagementRow(db: Db, scope: CenterScope, id: number): Promise<Selectable<CoachingEngagementsTable>> {
  const row = await db.selectFrom('coaching_engagements').selectAll().where('id', '=', id).$call(inCenter(scope, 'coaching_engagements')).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'coaching.notFound')
  return row
}

async function openEngagementRow(db: Db, scope: CenterScope, id: number): Promise<Selectable<CoachingEngagementsTable>> {
  const row = await engagementRow(db, scope, id)
  if (!OPEN_ENGAGEMENT.includes(row.status)) throw new ServiceError('CONFLICT', 'coaching.notOpen')
  return row
}

async function addEvent(trx: Trx, ctx: ServiceContext, engagementId: number, kind: EngagementEvent['kind'], detail: Record<string, unknown>): Promise<void> {
  await trx
    .insertInto('coaching_events')
    .values({ engagement_id: engagementId, kind, on_date: localDate(ctx), detail: JSON.stringify(detail), staff_id: ctx.staffId, created_at: isoNow(ctx) })
    .execute()
}

async function toEngagements(db: Db, rows: Array<Selectable<CoachingEngagementsTable>>): Promise<Engagement[]> {
  if (rows.length === 0) return []
  const ids = rows.map((row) => row.id)
  const events = await db
    .selectFrom('coaching_events as e')
    .leftJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.id', 'e.engagement_id', 'e.kind', 'e.on_date', 'e.detail', 'e.created_at', 's.display_name'])
    .where('e.engagement_id', 'in', ids)
    .orderBy('e.id')
    .execute()
  const staffIds = [...new Set(rows.flatMap((row) => [row.coach_id, row.backup_id]).filter((id): id is number => id !== null))]
  const staff = new Map((await db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', staffIds).execute()).map((s) => [s.id, { id: s.id, name: s.display_name }]))
  return rows.map((row) => ({
    id: row.id,
    participantId: row.participant_id,
    coach: staff.get(row.coach_id)!,
    backup: row.backup_id === null ? null : (staff.get(row.backup_id) ?? null),
    startedOn: row.started_on,
    plannedDays: row.planned_days,
    endsOn: row.ends_on,
    stage: row.stage,
    pathways: JSON.parse(row.pathways) as Pathway[],
    status: row.status,
    statusReason: row.status_reason,
    events: events
      .filter((event) => event.engagement_id === row.id)
      .map((event) => ({ id: event.id, kind: event.kind, on: event.on_date, detail: JSON.parse(event.detail) as Record<string, unknown>, byName: event.display_name, at: event.created_at })),
  }))
}

async function getEngagement(db: Db, scope: CenterScope, id: number): Promise<Engagement> {
  return (await toEngagements(db, [await engagementRow(db, scope, id)]))[0]!
}

/** The person's open engagement and its coach, if any. */
async function openCoach(db: Db, scope: CenterScope, participantId: number): Promise<{ engagementId: number; coach: CoachRef } | null> {
  const row = await db
    .selectFrom('coaching_engagements as e')
    .innerJoin('staff as s', 's.id', 'e.coach_id')
    .select(['e.id', 's.id as coach_id', 's.display_name'])
    .$call(inCenter(scope, 'e'))
    .where('e.participant_id', '=', participantId)
    .where('e.status', 'in', OPEN_ENGAGEMENT)
    .executeTakeFirst()
  return row ? { engagementId: row.id, coach: { id: row.coach_id, name: row.display_name } } : null
}

/** Pairs a person with a coach. A second open engagement is refused (and the unique index holds it under a race). */
export async function startEngagement(ctx: ServiceContext, input: StartInput): Promise<Engagement> {
  const today = localDate(ctx)
  const startedOn = input.startedOn ?? today
  if (startedOn > today) throw new ServiceError('VALIDATION', 'coaching.future', { field: 'startedOn' })
  if (input.backupId != null && input.backupId === input.coachId) throw new ServiceError('VALIDATION', 'coaching.sameCoach', { field: 'backupId' })
  return inTransaction(ctx, async (trx) => {
    const person = await activeParticipant(trx, input.participantId, ctx)
    const coach = await checkCoach(trx, input.coachId, 'coachId')
    if (input.backupId != null) await checkCoach(trx, input.backupId, 'backupId')
    const open = await openCoach(trx, ctx, person.id)
    if (open) throw new ServiceError('CONFLICT', 'coaching.secondCoach', { name: open.coach.name, engagementId: open.engagementId })
    const plannedDays = input.plannedDays ?? (await coachingSettings(trx)).plannedDays
    const now = isoNow(ctx)
    const row = await trx
      .insertInto('coaching_engagements')
      .values({
        center_id: centerId(ctx),
        participant_id: person.id,
        coach_id: coach.id,
        backup_id: input.backupId ?? null,
        started_on: startedOn,
        planned_days: plannedDays,
        ends_on: addDays(startedOn, plannedDays),
        stage: input.stage,
        pathways: JSON.stringify([...new Set(input.pathways)]),
        status: 'active',
        status_reason: null,
        ended_on: null,
        created_by: ctx.staffId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await addEvent(trx, ctx, row.id, 'start', { coachId: coach.id, startedOn, plannedDays })
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'engagement.start', targetType: 'participant', targetId: person.id, detail: { engagementId: row.id } })
    return getEngagement(trx, ctx, row.id)
  })
}

/** The person's stage of recovery, pathways and backup coach, as they change. */
export async function updateEngagement(
  ctx: ServiceContext,
  input: { engagementId: number; stage?: RecoveryStage; pathways?: Pathway[]; backupId?: number | null },
): Promise<Engagement> {
  return inTransaction(ctx, async (trx) => {
    const row = await openEngagementRow(trx, ctx, input.engagementId)
    if (input.backupId != null) {
      if (input.backupId === row.coach_id) throw new ServiceError('VALIDATION', 'coaching.sameCoach', { field: 'backupId' })
      await checkCoach(trx, input.backupId, 'backupId')
    }
    const before = { stage: row.stage, pathways: JSON.parse(row.pathways) as Pathway[], backupId: row.backup_id }
    const after = {
      stage: input.stage ?? before.stage,
      pathways: input.pathways ? [...new Set(input.pathways)] : before.pathways,
      backupId: input.backupId === undefined ? before.backupId : input.backupId,
    }
    const now = isoNow(ctx)
    await trx
      .updateTable('coaching_engagements')
      .set({ stage: after.stage, pathways: JSON.stringify(after.pathways), backup_id: after.backupId, updated_at: now })
      .where('id', '=', row.id)
      .$call(inCenter(ctx, 'coaching_engagements'))
      .execute()
    await addEvent(trx, ctx, row.id, 'update', { before, after })
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'engagement.update', targetType: 'participant', targetId: row.participant_id, detail: { engagementId: row.id } })
    return getEngagement(trx, ctx, row.id)
  })
}

/** Pauses, resumes, completes or closes an engagement, with the reason. Completed and closed are final. */
export async function setEngagementStatus(ctx: ServiceContext, input: { engagementId: number; status: EngagementStatus; reason: string }): Promise<Engagement> {
  return inTransaction(ctx, async (trx) => {
    const row = await openEngagementRow(trx, ctx, input.engagementId)
    if (row.status === input.status) throw new ServiceError('CONFLICT', 'coaching.sameStatus')
    const now = isoNow(ctx)
    const ending = !OPEN_ENGAGEMENT.includes(input.status)
    await trx
      .updateTable('coaching_engagements')
      .set({ status: input.status, status_reason: input.reason.trim(), ended_on: ending ? localDate(ctx) : null, updated_at: now })
      .where('id', '=', row.id)
      .$call(inCenter(ctx, 'coaching_engagements'))
      .execute()
    if (ending) {
      // Meetings still ahead will not happen: they are cancelled with the engagement's reason, not left on the calendar.
      await trx
        .updateTable('coaching_meetings')
        .set({ status: 'cancelled', reason: input.reason.trim(), updated_at: now })
        .$call(inCenter(ctx, 'coaching_meetings'))
        .where('engagement_id', '=', row.id)
        .where('status', '=', 'scheduled')
        .where('meeting_on', '>=', localDate(ctx))
        .execute()
    }
    await addEvent(trx, ctx, row.id, 'status', { from: row.status, to: input.status, reason: input.reason.trim() })
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'engagement.status', targetType: 'participant', targetId: row.participant_id, detail: { engagementId: row.id, status: input.status } })
    return getEngagement(trx, ctx, row.id)
  })
}

/** Renews for another period: the planned end moves on by `days`. */
/** An engagement's planned length in all, renewals included: ten years (coaching_engagements' CHECK). */
const MAX_PLANNED_DAYS = 3650

export async function renewEngagement(ctx: ServiceContext, input: { engagementId: number; days: number }): Promise<Engagement> {
  return inTransaction(ctx, async (trx) => {
    const row = await openEngagementRow(trx, ctx, input.engagementId)
    // The plan's whole length is capped (the table's CHECK): say how much is left rather than fail there.
    const left = MAX_PLANNED_DAYS - row.planned_days
    if (input.days > left) throw new ServiceError('VALIDATION', 'coaching.renewTooLong', { field: 'days', max: MAX_PLANNED_DAYS, left: Math.max(0, left) })
    const now = isoNow(ctx)
    const endsOn = addDays(row.ends_on, input.days)
    await trx
      .updateTable('coaching_engagements')
      .set({ planned_days: row.planned_days + input.days, ends_on: endsOn, updated_at: now })
      .where('id', '=', row.id)
      .$call(inCenter(ctx, 'coaching_engagements'))
      .execute()
    await addEvent(trx, ctx, row.id, 'renew', { from: row.ends_on, to: endsOn, days: input.days })
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'engagement.renew', targetType: 'participant', targetId: row.participant_id, detail: { engagementId: row.id, endsOn } })
    return getEngagement(trx, ctx, row.id)
  })
}

/** Hands the engagement to another coach; its contacts, meetings and events stay with it. */
export async function transferEngagement(ctx: ServiceContext, input: { engagementId: number; coachId: number; reason: string }): Promise<Engagement> {
  return inTransaction(ctx, async (trx) => {
    const row = await openEngagementRow(trx, ctx, input.engagementId)
    if (row.coach_id === input.coachId) throw new ServiceError('VALIDATION', 'coaching.transferSame', { field: 'coachId' })
    const coach = await checkCoach(trx, input.coachId, 'coachId')
    const now = isoNow(ctx)
    await trx
      .updateTable('coaching_engagements')
      // The new coach cannot also be the backup.
      .set({ coach_id: coach.id, backup_id: row.backup_id === coach.id ? null : row.backup_id, updated_at: now })
      .where('id', '=', row.id)
      .$call(inCenter(ctx, 'coaching_engagements'))
      .execute()
    await addEvent(trx, ctx, row.id, 'transfer', { fromCoachId: row.coach_id, toCoachId: coach.id, fromName: (await staffRef(trx, row.coach_id))?.name ?? null, toName: coach.name, reason: input.reason.trim() })
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'engagement.transfer', targetType: 'participant', targetId: row.participant_id, detail: { engagementId: row.id, from: row.coach_id, to: coach.id } })
    return getEngagement(trx, ctx, row.id)
  })
}

/**
 * Schedules one meeting, or a weekly series (RFC 5545 text expanded with rrule-temporal, as group
 * schedules are) up to a last day within the engagement. The engagement is bounded, so the series
 * is written out as rows at once.
 */
export async function scheduleMeetings(ctx: ServiceContext, input: ScheduleInput): Promise<Meeting[]> {
  return inTransaction(ctx, async (trx) => {
    const row = await openEngagementRow(trx, ctx, input.engagementId)
    if (input.date < row.started_on) throw new ServiceError('VALIDATION', 'coaching.beforeStart', { field: 'date', date: row.started_on })
    const last = input.repeat ? input.repeat.until : input.date
    if (input.date > row.ends_on) throw new ServiceError('VALIDATION', 'coaching.afterEnd', { field: 'date', date: row.ends_on })
    if (last > row.ends_on) throw new ServiceError('VALIDATION', 'coaching.afterEnd', { field: 'until', date: row.ends_on })
    let schedule: string | null = null
    let dates: Array<{ date: string; time: string }> = [{ date: input.date, time: input.time }]
    if (input.repeat) {
      const zone = centerZone(ctx)
      schedule = scheduleText(
        { startDate: input.date, startTime: input.time, frequency: 'weekly', interval: input.repeat.intervalWeeks, weekdays: [weekdayOf(input.date)], until: input.repeat.until },
        zone,
      )
      dates = expandSchedule(schedule, input.date, input.repeat.until, zone)
      if (dates.length === 0) throw new ServiceError('VALIDATION', 'coaching.noOccurrence', { field: 'until' })
      if (dates.length > MAX_MEETINGS_AT_ONCE) throw new ServiceError('VALIDATION', 'coaching.tooMany', { field: 'until', max: MAX_MEETINGS_AT_ONCE })
    }
    const now = isoNow(ctx)
    const ids = await trx
      .insertInto('coaching_meetings')
      .values(
        dates.map((at) => ({
          center_id: centerId(ctx),
          engagement_id: row.id,
          meeting_on: at.date,
          start_time: at.time,
          kind: input.kind,
          status: 'scheduled' as const,
          reason: null,
          schedule,
          created_by: ctx.staffId,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute()
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'meeting.schedule',
      targetType: 'participant',
      targetId: row.participant_id,
      detail: { engagementId: row.id, meetings: ids.length, first: dates[0]!.date, last: dates.at(-1)!.date },
    })
    const meetings = await trx.selectFrom('coaching_meetings as m').leftJoin('coaching_contacts as c', 'c.meeting_id', 'm.id').selectAll('m').select('c.id as contact_id').$call(inCenter(ctx, 'm')).where('m.id', 'in', ids.map((r) => r.id)).orderBy('m.meeting_on').execute()
    return meetings.map(toMeeting)
  })
}

function toMeeting(row: Selectable<CoachingMeetingsTable> & { contact_id: number | null }): Meeting {
  return { id: row.id, engagementId: row.engagement_id, date: row.meeting_on, time: row.start_time, kind: row.kind, status: row.status, reason: row.reason, contactId: row.contact_id }
}

/** A scheduled meeting that did not happen: missed (the person did not come) or cancelled, with the reason. */
export async function changeMeeting(ctx: ServiceContext, input: { meetingId: number; status: 'missed' | 'cancelled'; reason: string }): Promise<Meeting> {
  return inTransaction(ctx, async (trx) => {
    const meeting = await trx.selectFrom('coaching_meetings').selectAll().where('id', '=', input.meetingId).$call(inCenter(ctx, 'coaching_meetings')).executeTakeFirst()
    if (!meeting) throw new ServiceError('NOT_FOUND', 'coaching.notFound')
    if (meeting.status !== 'scheduled') throw new ServiceError('CONFLICT', 'coaching.meetingDone')
    const engagement = await engagementRow(trx, ctx, meeting.engagement_id)
    const now = isoNow(ctx)
    await trx.updateTable('coaching_meetings').set({ status: input.status, reason: input.reason.trim(), updated_at: now }).where('id', '=', meeting.id).$call(inCenter(ctx, 'coaching_meetings')).execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'meeting.change', targetType: 'participant', targetId: engagement.participant_id, detail: { meetingId: meeting.id, status: input.status } })
    return toMeeting({ ...meeting, status: input.status, reason: input.reason.trim(), contact_id: null })
  })
}

function toContact(row: Selectable<CoachingContactsTable> & { staff_name: string | null; barc_total: number | null }): Contact {
  return {
    id: row.id,
    participantId: row.participant_id,
    engagementId: row.engagement_id,
    meetingId: row.meeting_id,
    callerLabel: row.caller_label,
    contactOn: row.contact_on,
    minutes: row.minutes,
    kind: row.kind,
    topics: JSON.parse(row.topics) as string[],
    note: row.note,
    nextSteps: row.next_steps,
    staffName: row.staff_name,
    barc: row.assessment_id === null || row.barc_total === null ? null : { assessmentId: row.assessment_id, total: row.barc_total },
  }
}

function selectContacts(db: Db, scope: CenterScope) {
  return db
    .selectFrom('coaching_contacts as c')
    .$call(inCenter(scope, 'c'))
    .leftJoin('staff as s', 's.id', 'c.staff_id')
    // A voided BARC-10 no longer counts: the contact shows none, and one can be taken again elsewhere.
    .leftJoin('assessments as a', (join) => join.onRef('a.id', '=', 'c.assessment_id').on('a.voided_at', 'is', null))
    .selectAll('c')
    .select(['s.display_name as staff_name', 'a.total as barc_total'])
}

/** Logs a contact: with a person (and their engagement), or an anonymous warmline call. */
export async function logContact(ctx: ServiceContext, input: ContactInput): Promise<Contact> {
  const today = localDate(ctx)
  if (input.contactOn > today) throw new ServiceError('VALIDATION', 'coaching.future', { field: 'contactOn' })
  if (input.minutes > MAX_CONTACT_MINUTES) throw new ServiceError('VALIDATION', 'coaching.tooLong', { field: 'minutes' })
  if (input.participantId === null && (input.kind !== 'warmline' || input.engagementId != null || input.meetingId != null)) {
    throw new ServiceError('VALIDATION', 'coaching.anonymousOnlyCalls', { field: 'participantId' })
  }
  return inTransaction(ctx, async (trx) => {
    const { topics: known } = await coachingSettings(trx)
    const unknown = input.topics.find((topic) => !known.includes(topic))
    if (unknown !== undefined) throw new ServiceError('VALIDATION', 'coaching.topicUnknown', { field: 'topics', topic: unknown })
    let participantId: number | null = null
    let engagement: Selectable<CoachingEngagementsTable> | undefined
    if (input.participantId !== null) {
      participantId = (await activeParticipant(trx, input.participantId, ctx)).id
      if (input.engagementId != null) {
        engagement = await engagementRow(trx, ctx, input.engagementId)
        if (engagement.participant_id !== participantId) throw new ServiceError('VALIDATION', 'coaching.engagementOther', { field: 'engagementId' })
      } else {
        engagement = await trx
          .selectFrom('coaching_engagements')
          .selectAll()
          .$call(inCenter(ctx, 'coaching_engagements'))
          .where('participant_id', '=', participantId)
          .where('status', 'in', OPEN_ENGAGEMENT)
          .where('started_on', '<=', input.contactOn)
          .executeTakeFirst()
      }
      if (engagement && input.contactOn < engagement.started_on) throw new ServiceError('VALIDATION', 'coaching.beforeStart', { field: 'contactOn', date: engagement.started_on })
    }
    if (input.meetingId != null) {
      const meeting = await trx.selectFrom('coaching_meetings').selectAll().where('id', '=', input.meetingId).$call(inCenter(ctx, 'coaching_meetings')).executeTakeFirst()
      if (!meeting) throw new ServiceError('NOT_FOUND', 'coaching.notFound')
      if (!engagement || meeting.engagement_id !== engagement.id) throw new ServiceError('VALIDATION', 'coaching.meetingOther', { field: 'meetingId' })
      if (meeting.status !== 'scheduled') throw new ServiceError('CONFLICT', 'coaching.meetingDone')
    }
    const now = isoNow(ctx)
    const row = await trx
      .insertInto('coaching_contacts')
      .values({
        center_id: centerId(ctx),
        participant_id: participantId,
        engagement_id: engagement?.id ?? null,
        meeting_id: input.meetingId ?? null,
        caller_label: input.callerLabel?.trim() || null,
        contact_on: input.contactOn,
        minutes: input.minutes,
        kind: input.kind,
        topics: JSON.stringify([...new Set(input.topics)]),
        note: input.note?.trim() || null,
        next_steps: input.nextSteps?.trim() || null,
        staff_id: ctx.staffId,
        assessment_id: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (input.meetingId != null) await trx.updateTable('coaching_meetings').set({ status: 'held', updated_at: now }).where('id', '=', input.meetingId).$call(inCenter(ctx, 'coaching_meetings')).execute()
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'contact.log',
      ...(participantId === null ? {} : { targetType: 'participant', targetId: participantId }),
      detail: { contactId: row.id, kind: input.kind },
    })
    return toContact(await selectContacts(trx, ctx).where('c.id', '=', row.id).executeTakeFirstOrThrow())
  })
}

/** Anonymous warmline calls not yet linked to a person, newest first. */
export async function warmlineCalls(ctx: ServiceContext): Promise<Contact[]> {
  return inTransaction(ctx, async (trx) => {
    const rows = await selectContacts(trx, ctx).where('c.participant_id', 'is', null).orderBy('c.contact_on', 'desc').orderBy('c.id', 'desc').limit(200).execute()
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'contact.warmline', detail: { rows: rows.length } })
    return rows.map(toContact)
  })
}

/** The caller registered (or was found): their anonymous call becomes part of their record. */
export async function linkContact(ctx: ServiceContext, input: { contactId: number; participantId: number }): Promise<Contact> {
  return inTransaction(ctx, async (trx) => {
    const row = await trx.selectFrom('coaching_contacts').selectAll().where('id', '=', input.contactId).$call(inCenter(ctx, 'coaching_contacts')).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'coaching.notFound')
    if (row.participant_id !== null) throw new ServiceError('CONFLICT', 'coaching.alreadyLinked')
    const person = await activeParticipant(trx, input.participantId, ctx)
    const now = isoNow(ctx)
    await trx.updateTable('coaching_contacts').set({ participant_id: person.id, updated_at: now }).where('id', '=', row.id).$call(inCenter(ctx, 'coaching_contacts')).execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'contact.link', targetType: 'participant', targetId: person.id, detail: { contactId: row.id } })
    return toContact(await selectContacts(trx, ctx).where('c.id', '=', row.id).executeTakeFirstOrThrow())
  })
}

/** Everything about the person's coaching, for their profile. The read is audited. */
export async function coachingRecord(ctx: ServiceContext, participantId: number): Promise<CoachingRecord> {
  return inTransaction(ctx, async (trx) => {
    const { row: person } = await resolveParticipant(trx, participantId, ctx)
    const engagements = await toEngagements(
      trx,
      await trx.selectFrom('coaching_engagements').selectAll().$call(inCenter(ctx, 'coaching_engagements')).where('participant_id', '=', person.id).orderBy('started_on', 'desc').orderBy('id', 'desc').execute(),
    )
    const current = engagements.find((e) => OPEN_ENGAGEMENT.includes(e.status)) ?? null
    const meetings =
      engagements.length === 0
        ? []
        : await trx
            .selectFrom('coaching_meetings as m')
            .leftJoin('coaching_contacts as c', 'c.meeting_id', 'm.id')
            .selectAll('m')
            .select('c.id as contact_id')
            .$call(inCenter(ctx, 'm'))
            .where('m.engagement_id', 'in', engagements.map((e) => e.id))
            .where('m.meeting_on', '>=', addDays(localDate(ctx), -60))
            .orderBy('m.meeting_on')
            .orderBy('m.start_time')
            .limit(200)
            .execute()
    const contacts = await selectContacts(trx, ctx).where('c.participant_id', '=', person.id).orderBy('c.contact_on', 'desc').orderBy('c.id', 'desc').limit(200).execute()
    const plan = await planOf(trx, person.id)
    const barcRows = await trx
      .selectFrom('assessments')
      .select(['total', 'taken_on'])
      .$call(inCenter(ctx, 'assessments'))
      .where('participant_id', '=', person.id)
      .where('voided_at', 'is', null)
      .orderBy('taken_on', 'desc')
      .orderBy('id', 'desc')
      .limit(2)
      .execute()
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'coaching.view', targetType: 'participant', targetId: person.id })
    return {
      participantId: person.id,
      current,
      past: engagements.filter((e) => e !== current),
      meetings: meetings.map(toMeeting),
      contacts: contacts.map(toContact),
      goals: plan.goals,
      planHistory: plan.history,
      barc: barcRows[0] ? { total: barcRows[0].total, takenOn: barcRows[0].taken_on, change: barcRows[1] ? barcRows[0].total - barcRows[1].total : null } : null,
    }
  })
}

/** What the front desk may know: the open engagement's coach, and nothing else. */
export async function coachOf(ctx: ServiceContext, participantId: number): Promise<CoachOf> {
  const { row: person } = await resolveParticipant(ctx.db, participantId, ctx)
  return { coach: (await openCoach(ctx.db, ctx, person.id))?.coach ?? null }
}

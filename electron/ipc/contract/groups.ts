import { z } from 'zod'
import {
  ATTENDANCE_STATUSES,
  GROUP_KINDS,
  MONTH_WEEKS,
  WEEKDAYS,
  type AttendanceLetter,
  type Closure,
  type ClosurePreview,
  type Enrollment,
  type GroupDetails,
  type GroupSession,
  type GroupSettings,
  type GroupSummary,
  type MarkAnswer,
  type PersonGroupHistory,
  type SessionSheet,
  type StaffRef,
} from '../../../db/groups-types'
import { channel, id as ref, optionalText as text, rowVersion, says } from './common'

/**
 * Groups and attendance: each channel's zod input and result type. Who may call each is in
 * permissions.ts; which group or session a facilitator may touch is checked in handlers/groups.ts.
 */

const date = () => z.iso.date(says('input.date'))
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, says('input.time'))
const whole = (min: number, max: number) =>
  z.number().int().min(min).max(max)
const why = z.string().trim().min(3, says('input.reason')).max(300)

const schedulePattern = z
  .object({
    startDate: date(),
    startTime: time,
    frequency: z.enum(['weekly', 'monthly']),
    interval: whole(1, 4),
    weekdays: z.array(z.enum(WEEKDAYS)).min(1, says('schedule.chooseDay')).max(7),
    monthWeek: z.literal(MONTH_WEEKS).nullable().optional(),
    until: date().nullable().optional(),
    exDates: z.array(date()).max(200).optional(),
    rDates: z.array(date()).max(200).optional(),
  })
  .strict()

const groupInput = z
  .object({
    id: ref().optional(),
    /** The group's version as the form read it: a save over another PC's is refused (STALE). */
    version: rowVersion().optional(),
    name: z.string().trim().min(1, says('groups.nameRequired')).max(100),
    description: text(1000),
    kind: z.enum(GROUP_KINDS),
    room: text(60),
    capacity: whole(1, 500).nullable().optional(),
    seriesLength: whole(1, 200).nullable().optional(),
    durationMinutes: whole(5, 600),
    facilitatorIds: z.array(ref()).min(1, says('groups.chooseFacilitator')).max(10),
    schedule: z
      .union([
        z.object({ pattern: schedulePattern }).strict(),
        z.object({ text: z.string().min(1).max(4000) }).strict(),
      ])
      .nullable(),
  })
  .strict()

const status = z.enum(ATTENDANCE_STATUSES)
const sessionId = ref()

export const groupsChannels = {
  'groups.list': channel<GroupSummary[]>()({ input: z.object({ archived: z.boolean().optional() }).strict() }),
  'groups.get': channel<GroupDetails>()({ input: z.object({ id: ref() }).strict() }),
  'groups.save': channel<GroupSummary>()({ input: groupInput }),
  'groups.archive': channel<GroupSummary>()({ input: z.object({ id: ref(), version: rowVersion().optional() }).strict() }),
  'groups.staff': channel<StaffRef[]>()({ input: z.object({}).strict() }),
  'groups.enroll': channel<Enrollment>()({
    input: z.object({ groupId: ref(), participantId: ref(), date: date().optional(), waitlist: z.boolean().optional() }).strict(),
  }),
  'groups.unenroll': channel<{ ended: Enrollment; nextOnWaitlist: Enrollment | null }>()({
    input: z.object({ enrollmentId: ref(), date: date().optional(), reason: why }).strict(),
  }),
  'groups.admit': channel<Enrollment>()({ input: z.object({ enrollmentId: ref() }).strict() }),
  'groups.personHistory': channel<PersonGroupHistory>()({ input: z.object({ participantId: ref() }).strict() }),
  'sessions.today': channel<{ sessions: GroupSession[]; due: GroupSession | null }>()({ input: z.object({}).strict() }),
  'sessions.week': channel<GroupSession[]>()({ input: z.object({ from: date() }).strict() }),
  'sessions.sheet': channel<SessionSheet>()({ input: z.object({ sessionId }).strict() }),
  'sessions.mark': channel<MarkAnswer>()({
    input: z.object({ sessionId, participantId: ref(), status: status.nullable(), followUp: text(300) }).strict(),
  }),
  'sessions.markMany': channel<SessionSheet>()({
    input: z
      .object({
        sessionId,
        marks: z.array(z.object({ participantId: ref(), status }).strict()).min(1, says('input.markOne')).max(500),
        overwrite: z.boolean().optional(),
      })
      .strict(),
  }),
  'sessions.markAnonymous': channel<SessionSheet>()({
    input: z
      .object({
        sessionId,
        code: z.string().trim().min(1, says('attendance.codeRequired')).max(12).regex(/^[\p{L}\p{N}\s-]*$/u, says('input.lettersDigits')),
        status: status.nullable(),
      })
      .strict(),
  }),
  'sessions.addPerson': channel<GroupSession>()({ input: z.object({ sessionId, participantId: ref() }).strict() }),
  'sessions.record': channel<GroupSession>()({
    input: z
      .object({ sessionId, topic: text(120), note: text(500), anonymousCount: whole(0, 1000).optional(), didNotMeet: z.boolean().optional(), version: rowVersion().optional() })
      .strict(),
  }),
  'sessions.change': channel<GroupSession>()({
    input: z
      .object({
        sessionId,
        /** The session's version as the screen read it: a change over another PC's is refused (STALE). */
        version: rowVersion().optional(),
        change: z.discriminatedUnion(
          'kind',
          [
            z.object({ kind: z.literal('cancel'), reason: why }).strict(),
            z.object({ kind: z.literal('restore') }).strict(),
            z.object({ kind: z.literal('move'), date: date(), startTime: time.optional(), room: text(60) }).strict(),
            z.object({ kind: z.literal('cover'), staffId: ref().nullable() }).strict(),
          ],
          says('input.changeWhat'),
        ),
      })
      .strict(),
  }),
  'sessions.create': channel<GroupSession>()({
    input: z.object({ groupId: ref(), date: date(), startTime: time, room: text(60), topic: text(120), makeupFor: ref().nullable().optional() }).strict(),
  }),
  'closures.list': channel<Closure[]>()({ input: z.object({}).strict() }),
  'closures.preview': channel<ClosurePreview>()({ input: z.object({ date: date() }).strict() }),
  'closures.create': channel<Closure>()({ input: z.object({ date: date(), reason: z.string().trim().min(1, says('closures.reason')).max(200) }).strict() }),
  'closures.delete': channel<{ restoredSessions: number }>()({ input: z.object({ id: ref() }).strict() }),
  'groups.attendanceLetter': channel<AttendanceLetter>()({
    input: z.object({ participantId: ref(), from: date(), to: date(), reason: why }).strict(),
  }),
  'groups.settings': channel<GroupSettings>()({ input: z.object({}).strict() }),
  'groups.saveSettings': channel<GroupSettings>()({
    input: z.object({ visitServiceKey: z.string().trim().min(1, says('groups.chooseService')).max(60), atDesk: z.boolean() }).strict(),
  }),
} as const

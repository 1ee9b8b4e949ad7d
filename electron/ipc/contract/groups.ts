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
  type PersonGroupHistory,
  type SessionSheet,
  type StaffRef,
} from '../../../db/groups-types'
import { channel, id as ref, optionalText as text } from './common'

/**
 * Groups and attendance: each channel's zod input and result type. Who may call each is in
 * permissions.ts; which group or session a facilitator may touch is checked in handlers/groups.ts.
 */

const date = (what: string) => z.iso.date({ message: `Enter ${what} as a date like 2026-01-31.` })
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Enter a time like 18:30.' })
const whole = (min: number, max: number, what: string) =>
  z.number({ message: `Enter ${what}.` }).int({ message: 'Enter a whole number.' }).min(min, { message: `At least ${min}.` }).max(max, { message: `At most ${max}.` })
const why = z.string().trim().min(3, { message: 'Say briefly why (at least 3 characters).' }).max(300, { message: 'Use at most 300 characters.' })

const schedulePattern = z
  .object({
    startDate: date('the first day'),
    startTime: time,
    frequency: z.enum(['weekly', 'monthly'], { message: 'Choose weekly or monthly.' }),
    interval: whole(1, 4, 'how many weeks apart'),
    weekdays: z.array(z.enum(WEEKDAYS, { message: 'Choose a day of the week.' })).min(1, { message: 'Choose at least one day.' }).max(7),
    monthWeek: z.literal(MONTH_WEEKS, { message: 'Choose which week of the month.' }).nullable().optional(),
    until: date('the last day').nullable().optional(),
    exDates: z.array(date('a skipped day')).max(200).optional(),
    rDates: z.array(date('an extra day')).max(200).optional(),
  })
  .strict()

const groupInput = z
  .object({
    id: ref('a group').optional(),
    name: z.string().trim().min(1, { message: 'Enter the group\'s name.' }).max(100, { message: 'Use at most 100 characters.' }),
    description: text(1000),
    kind: z.enum(GROUP_KINDS, { message: 'Choose open or closed.' }),
    room: text(60),
    capacity: whole(1, 500, 'the capacity').nullable().optional(),
    seriesLength: whole(1, 200, 'the number of sessions').nullable().optional(),
    durationMinutes: whole(5, 600, 'how long it lasts'),
    facilitatorIds: z.array(ref('a facilitator')).min(1, { message: 'Choose at least one facilitator.' }).max(10),
    schedule: z
      .union([
        z.object({ pattern: schedulePattern }).strict(),
        z.object({ text: z.string().min(1, { message: 'Enter the schedule.' }).max(4000, { message: 'Use at most 4000 characters.' }) }).strict(),
      ])
      .nullable(),
  })
  .strict()

const status = z.enum(ATTENDANCE_STATUSES, { message: 'Choose present, absent, excused or late.' })
const sessionId = ref('a session')

export const groupsChannels = {
  'groups.list': channel<GroupSummary[]>()({ input: z.object({ archived: z.boolean().optional() }).strict() }),
  'groups.get': channel<GroupDetails>()({ input: z.object({ id: ref('a group') }).strict() }),
  'groups.save': channel<GroupSummary>()({ input: groupInput }),
  'groups.archive': channel<GroupSummary>()({ input: z.object({ id: ref('a group') }).strict() }),
  'groups.staff': channel<StaffRef[]>()({ input: z.object({}).strict() }),
  'groups.enroll': channel<Enrollment>()({
    input: z.object({ groupId: ref('a group'), participantId: ref('a person'), date: date('the enrollment date').optional(), waitlist: z.boolean().optional() }).strict(),
  }),
  'groups.unenroll': channel<{ ended: Enrollment; nextOnWaitlist: Enrollment | null }>()({
    input: z.object({ enrollmentId: ref('an enrollment'), date: date('the end date').optional(), reason: why }).strict(),
  }),
  'groups.admit': channel<Enrollment>()({ input: z.object({ enrollmentId: ref('an enrollment') }).strict() }),
  'groups.personHistory': channel<PersonGroupHistory>()({ input: z.object({ participantId: ref('a person') }).strict() }),
  'sessions.today': channel<{ sessions: GroupSession[]; due: GroupSession | null }>()({ input: z.object({}).strict() }),
  'sessions.week': channel<GroupSession[]>()({ input: z.object({ from: date('the first day of the week') }).strict() }),
  'sessions.sheet': channel<SessionSheet>()({ input: z.object({ sessionId }).strict() }),
  'sessions.mark': channel<SessionSheet>()({
    input: z.object({ sessionId, participantId: ref('a person'), status: status.nullable(), followUp: text(300) }).strict(),
  }),
  'sessions.markMany': channel<SessionSheet>()({
    input: z
      .object({
        sessionId,
        marks: z.array(z.object({ participantId: ref('a person'), status }).strict()).min(1, { message: 'Mark at least one person.' }).max(500),
        overwrite: z.boolean().optional(),
      })
      .strict(),
  }),
  'sessions.markAnonymous': channel<SessionSheet>()({
    input: z
      .object({
        sessionId,
        code: z.string().trim().min(1, { message: 'Enter the code.' }).max(12, { message: 'Use at most 12 letters or digits.' }).regex(/^[\p{L}\p{N}\s-]*$/u, { message: 'Use letters and digits only.' }),
        status: status.nullable(),
      })
      .strict(),
  }),
  'sessions.addPerson': channel<GroupSession>()({ input: z.object({ sessionId, participantId: ref('a person') }).strict() }),
  'sessions.record': channel<GroupSession>()({
    input: z.object({ sessionId, topic: text(120), note: text(500), anonymousCount: whole(0, 1000, 'the headcount').optional(), didNotMeet: z.boolean().optional() }).strict(),
  }),
  'sessions.change': channel<GroupSession>()({
    input: z
      .object({
        sessionId,
        change: z.discriminatedUnion(
          'kind',
          [
            z.object({ kind: z.literal('cancel'), reason: why }).strict(),
            z.object({ kind: z.literal('restore') }).strict(),
            z.object({ kind: z.literal('move'), date: date('the new day'), startTime: time.optional(), room: text(60) }).strict(),
            z.object({ kind: z.literal('cover'), staffId: ref('a staff member').nullable() }).strict(),
          ],
          { message: 'Choose what to change.' },
        ),
      })
      .strict(),
  }),
  'sessions.create': channel<GroupSession>()({
    input: z.object({ groupId: ref('a group'), date: date('the day'), startTime: time, room: text(60), topic: text(120), makeupFor: ref('a session').nullable().optional() }).strict(),
  }),
  'closures.list': channel<Closure[]>()({ input: z.object({}).strict() }),
  'closures.preview': channel<ClosurePreview>()({ input: z.object({ date: date('the closed day') }).strict() }),
  'closures.create': channel<Closure>()({ input: z.object({ date: date('the closed day'), reason: z.string().trim().min(1, { message: 'Say why the center is closed.' }).max(200, { message: 'Use at most 200 characters.' }) }).strict() }),
  'closures.delete': channel<{ restoredSessions: number }>()({ input: z.object({ id: ref('a closure') }).strict() }),
  'groups.attendanceLetter': channel<AttendanceLetter>()({
    input: z.object({ participantId: ref('a person'), from: date('the first day'), to: date('the last day'), reason: why }).strict(),
  }),
  'groups.settings': channel<GroupSettings>()({ input: z.object({}).strict() }),
  'groups.saveSettings': channel<GroupSettings>()({
    input: z.object({ visitServiceKey: z.string().trim().min(1, { message: 'Choose a service.' }).max(60, { message: 'Use at most 60 characters.' }), atDesk: z.boolean({ message: 'Say whether the desk offers it.' }) }).strict(),
  }),
} as const

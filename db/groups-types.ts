/**
 * Groups and attendance: the pure lists and shapes the services return and the renderer shows.
 * No Node, no SQL: this file moves to db/domain/ with the others.
 */

export const GROUP_KINDS = ['open', 'closed'] as const
export type GroupKind = (typeof GROUP_KINDS)[number]

export const SESSION_STATUSES = ['scheduled', 'held', 'did_not_meet', 'cancelled'] as const
export type SessionStatus = (typeof SESSION_STATUSES)[number]

export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused', 'late'] as const
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number]
/** The marks that count as having come: they attach to (or make) a visit. */
export const ATTENDED: readonly AttendanceStatus[] = ['present', 'late']

export const ENROLLMENT_STATUSES = ['waitlisted', 'enrolled', 'ended'] as const
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number]

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** Which week of the month a monthly group meets: 1st to 5th, or -1 for the last. */
export const MONTH_WEEKS = [1, 2, 3, 4, 5, -1] as const
export type MonthWeek = (typeof MONTH_WEEKS)[number]

/** The schedule form's shape; stored as RFC 5545 text, which stays the truth. */
export interface SchedulePattern {
  /** First day it may meet, YYYY-MM-DD at the center. */
  startDate: string
  /** HH:MM at the center. */
  startTime: string
  frequency: 'weekly' | 'monthly'
  /** Weekly: every 1 to 4 weeks. */
  interval: number
  /** Weekly: the days it meets. Monthly: one day, met in `monthWeek`. */
  weekdays: Weekday[]
  monthWeek?: MonthWeek | null
  /** Last day it may meet, or null for no end. */
  until?: string | null
  /** Days skipped (EXDATE) and extra days (RDATE), YYYY-MM-DD at the start time. */
  exDates?: string[]
  rDates?: string[]
}

export interface StaffRef {
  id: number
  name: string
}

export interface GroupSummary {
  id: number
  name: string
  description: string | null
  kind: GroupKind
  room: string | null
  capacity: number | null
  seriesLength: number | null
  durationMinutes: number
  /** RFC 5545 text, or null for a group with one-off sessions only. */
  schedule: string | null
  /** The form's view of the schedule, when the text is one the form can show. */
  pattern: SchedulePattern | null
  facilitators: StaffRef[]
  archivedAt: string | null
  enrolledCount: number
  waitlistCount: number
  nextSession: { id: number; date: string; startTime: string } | null
  /** Raised by each save or archiving by a form (migration 0040). */
  version: number
}

export interface GroupSession {
  id: number
  groupId: number
  groupName: string
  kind: GroupKind
  date: string
  startTime: string
  startsAt: string
  endsAt: string
  room: string | null
  status: SessionStatus
  cancelReason: string | null
  closureId: number | null
  movedFrom: string | null
  makeupFor: number | null
  topic: string | null
  note: string | null
  anonymousCount: number
  coverStaff: StaffRef | null
  facilitators: StaffRef[]
  /** Present or late, named and anonymous. */
  headcount: number
  /** Raised by each save of its topic, note, headcount or status by a form (migration 0040). */
  version: number
}

export interface Enrollment {
  id: number
  participantId: number
  name: string
  status: EnrollmentStatus
  requestedOn: string
  enrolledOn: string | null
  endedOn: string | null
  endReason: string | null
}

export interface AttendanceMark {
  participantId: number
  name: string
  /** First name and last initial, for the printed sign-in sheet. */
  sheetName: string
  code: string
  status: AttendanceStatus | null
  /** Enrolled on the session's day (closed groups). */
  enrolled: boolean
  followUp: string | null
  /** Signed in at the desk that day. */
  hereToday: boolean
}

export interface SessionSheet {
  session: GroupSession
  seriesNumber: number | null
  /** Roster and everyone already marked, in name order. */
  people: AttendanceMark[]
  /** Signed in at the desk that day and not in the list above. */
  hereToday: Array<{ participantId: number; name: string; sheetName: string; code: string }>
  anonymous: Array<{ code: string; status: AttendanceStatus }>
}

/**
 * What one mark changed on the attendance screen, rather than the whole sheet read again: the
 * session (its headcount and status) and the person's row. The screen puts it into the sheet it
 * shows and reads the sheet again behind it.
 */
export interface MarkAnswer {
  session: GroupSession
  /** The person's row after the mark (a merged-away record answers as the one it was merged into). */
  person: AttendanceMark
  /** On the list (enrolled, or marked); when not, and signed in at the desk, back under "here today". */
  listed: boolean
}

export interface GroupRates {
  sessionsHeld: number
  sessionsDidNotMeet: number
  sessionsCancelled: number
  averageHeadcount: number | null
  /** Attended ÷ expected, over held sessions, for people enrolled on the day; unmarked counts as absent. */
  enrolledRate: number | null
  newAttendees: number
}

export interface GroupHistoryRow {
  sessionId: number
  date: string
  status: SessionStatus
  topic: string | null
  headcount: number
  enrolledExpected: number
  enrolledAttended: number
  /** A make-up session stands in for this one (which was cancelled or did not meet). */
  madeUp: boolean
}

export interface GroupDetails {
  group: GroupSummary
  roster: Enrollment[]
  rates: GroupRates
  history: GroupHistoryRow[]
  upcoming: GroupSession[]
}

export interface PersonGroupRow {
  groupId: number
  groupName: string
  attended: number
  expected: number
  rate: number | null
  lastAttended: string | null
  /** The person's most recent held sessions of this group attended in a row. */
  streak: number
  enrolled: boolean
}

export interface PersonGroupHistory {
  groups: PersonGroupRow[]
  followUps: Array<{ sessionId: number; groupName: string; date: string; note: string }>
}

export interface Closure {
  id: number
  date: string
  reason: string
  cancelledSessions: number
}

export interface ClosurePreview {
  date: string
  sessions: number
  groups: number
  groupNames: string[]
  /** Sessions of that day that already have attendance recorded (the closure is then refused). */
  withAttendance: number
}

/** The center's groups settings. */
export interface GroupSettings {
  /** The service a visit made by group attendance carries (a catalog key). */
  visitServiceKey: string
  /** Whether the desk's service toggles offer it too (the 'group' service is for attendance only). */
  atDesk: boolean
}

/** An attendance letter for one person: what they asked for, printed with first name and last initial. */
export interface AttendanceLetter {
  centerName: string
  /** First name and last initial. */
  name: string
  from: string
  to: string
  issuedOn: string
  sessions: Array<{ date: string; startTime: string; groupName: string }>
}

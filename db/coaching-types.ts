/**
 * Peer coaching: the pure lists and shapes the services return and the renderer shows.
 * No Node, no SQL.
 */
import { addDays, daysBetween } from './domain/calendar'
import type { ContactKind, LifeArea, MeetingKind, Pathway, RecoveryStage } from './domain/coaching'

export { addDays, daysBetween }
export { CONTACT_KINDS, LIFE_AREAS, MEETING_KINDS, PATHWAYS, RECOVERY_STAGES } from './domain/coaching'
export type { ContactKind, LifeArea, MeetingKind, Pathway, RecoveryStage }

export const ENGAGEMENT_STATUSES = ['active', 'paused', 'completed', 'closed'] as const
export type EngagementStatus = (typeof ENGAGEMENT_STATUSES)[number]
/** An engagement in one of these holds the person's primary coach: one at a time. */
export const OPEN_ENGAGEMENT: readonly EngagementStatus[] = ['active', 'paused']

export const MEETING_STATUSES = ['scheduled', 'held', 'missed', 'cancelled'] as const
export type MeetingStatus = (typeof MEETING_STATUSES)[number]

export const PLAN_PROGRESS = ['not_started', 'in_progress', 'done', 'set_aside'] as const
export type PlanProgress = (typeof PLAN_PROGRESS)[number]
/** A step in one of these is still to do: it counts as due once its target date has come. */
export const OPEN_PROGRESS: readonly PlanProgress[] = ['not_started', 'in_progress']

/** A contact lasts at most a day. */
export const MAX_CONTACT_MINUTES = 24 * 60
/** Weekly meetings for up to a year at once: more is a mistake, not a schedule. */
export const MAX_MEETINGS_AT_ONCE = 60

export interface CoachingSettings {
  /** The planned length of a new engagement, in days. */
  plannedDays: number
  /** Days without contact after which the caseload highlights a person. */
  staleAfterDays: number
  /** Days before its planned end when an engagement shows as nearing its end. */
  nearingEndDays: number
  /** The topics a contact can touch, the center's own list. */
  topics: string[]
}

export interface CoachRef {
  id: number
  name: string
}

export interface EngagementEvent {
  id: number
  kind: 'start' | 'update' | 'status' | 'renew' | 'transfer'
  on: string
  detail: Record<string, unknown>
  byName: string | null
  at: string
}

export interface Engagement {
  id: number
  participantId: number
  coach: CoachRef
  backup: CoachRef | null
  startedOn: string
  plannedDays: number
  endsOn: string
  stage: RecoveryStage
  pathways: Pathway[]
  status: EngagementStatus
  statusReason: string | null
  events: EngagementEvent[]
}

export interface Meeting {
  id: number
  engagementId: number
  date: string
  time: string
  kind: MeetingKind
  status: MeetingStatus
  reason: string | null
  contactId: number | null
}

export interface Contact {
  id: number
  participantId: number | null
  engagementId: number | null
  meetingId: number | null
  /** For an anonymous warmline call: how the caller can be recognised later (a first name, a description). */
  callerLabel: string | null
  contactOn: string
  minutes: number
  kind: ContactKind
  topics: string[]
  note: string | null
  nextSteps: string | null
  staffName: string | null
  /** The BARC-10 taken at this contact, if one was (and not voided). */
  barc: { assessmentId: number; total: number } | null
}

export interface PlanStep {
  id: number
  goalId: number
  text: string
  targetOn: string | null
  progress: PlanProgress
  doneOn: string | null
}

export interface PlanGoal {
  id: number
  participantId: number
  area: LifeArea
  title: string
  setOn: string
  progress: PlanProgress
  steps: PlanStep[]
}

export interface PlanChange {
  id: number
  goalId: number
  stepId: number | null
  change: Record<string, unknown>
  byName: string | null
  at: string
}

export interface CoachingRecord {
  participantId: number
  /** The open engagement (active or paused), if any. */
  current: Engagement | null
  /** Earlier engagements, newest first. */
  past: Engagement[]
  /** Scheduled meetings from today on, and recent ones with their outcome. */
  meetings: Meeting[]
  /** Contacts, newest first (the latest 200). */
  contacts: Contact[]
  goals: PlanGoal[]
  planHistory: PlanChange[]
  /** The latest recovery-capital (BARC-10) total and its change from the one before, for beside the plan. */
  barc: { total: number; takenOn: string; change: number | null } | null
}

/** What the front desk may know: whether the person has a coach, and who, to call them over. */
export interface CoachOf {
  coach: CoachRef | null
}

export interface CaseloadRow {
  engagementId: number
  participantId: number
  name: string
  code: string
  coach: CoachRef
  status: EngagementStatus
  startedOn: string
  endsOn: string
  lastContactOn: string | null
  /** Days since the last contact, or since the engagement started when there has been none. */
  daysSinceContact: number
  /** Past the center's threshold without contact. */
  stale: boolean
  nextMeeting: { date: string; time: string; kind: MeetingKind } | null
  /** Open plan steps whose target date has come. */
  stepsDue: number
  daysLeft: number
  nearingEnd: boolean
}

export interface Caseload {
  today: string
  settings: Pick<CoachingSettings, 'staleAfterDays' | 'nearingEndDays'>
  rows: CaseloadRow[]
}

/** The caseload's figures for one engagement on a given day: pure, so a test can set the day. */
export function caseloadFigures(
  input: { startedOn: string; endsOn: string; lastContactOn: string | null },
  today: string,
  settings: Pick<CoachingSettings, 'staleAfterDays' | 'nearingEndDays'>,
): Pick<CaseloadRow, 'daysSinceContact' | 'stale' | 'daysLeft' | 'nearingEnd'> {
  const since = input.lastContactOn && input.lastContactOn > input.startedOn ? input.lastContactOn : input.startedOn
  const daysSinceContact = Math.max(0, daysBetween(since, today))
  const daysLeft = daysBetween(today, input.endsOn)
  return {
    daysSinceContact,
    stale: daysSinceContact > settings.staleAfterDays,
    daysLeft,
    nearingEnd: daysLeft <= settings.nearingEndDays,
  }
}

const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const

/** The RFC 5545 weekday of a calendar date. */
export function weekdayOf(date: string): (typeof WEEKDAY_CODES)[number] {
  return WEEKDAY_CODES[new Date(`${date}T00:00:00Z`).getUTCDay()]!
}

/** The recovery plan on paper, for the person to take home: theirs, so it names them as they would sign. */
export interface PlanSheet {
  centerName: string
  /** First name and last initial. */
  name: string
  /** The open engagement's coach, if any. */
  coach: string | null
  printedOn: string
  language: 'en' | 'es'
  /** Goals still being worked on and those met; goals set aside are left off the person's copy. */
  goals: PlanGoal[]
}

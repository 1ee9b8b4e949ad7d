/**
 * The shapes of the dashboard and the funder report, as plain types (no Node, no SQL), so the
 * renderer sees them through the IPC contract. Dates are the center's calendar dates, YYYY-MM-DD.
 */
import type { SafetyFigures } from './incident-types'
import type { ReferralStatus, ReferralType } from './types'

/** Ranges a manager picks in one click; each is computed in main from its clock, in the center's zone. */
export const RANGE_PRESETS = ['this_month', 'last_month', 'this_quarter', 'last_quarter', 'this_year', 'last_12_months'] as const
export type RangePreset = (typeof RANGE_PRESETS)[number]

export type RangeRequest = { preset: RangePreset } | { from: string; to: string }

/** Whose figures: the window's center, or (an organization admin only) every center together. */
export const REPORT_SCOPES = ['center', 'organization'] as const
export type ReportScopeChoice = (typeof REPORT_SCOPES)[number]

/** Both ends inclusive. */
export interface DateRange {
  from: string
  to: string
}

/** How the visits chart groups days: it follows the range's length. */
export type Grain = 'day' | 'week' | 'month'

/** A range as the figures were counted: what was asked, and the stretch before it of the same kind. */
export interface ResolvedRange extends DateRange {
  preset: RangePreset | null
  /** The asked range cut at today: no figure counts a day that has not come yet. */
  countedTo: string
  previous: DateRange
  grain: Grain
  /** Days in the range (both ends counted). */
  days: number
}

export interface PeopleFigures {
  /** Registered people plus anonymous visitors told apart by their code. */
  people: number
  registered: number
  /** Distinct codes on anonymous visits; an anonymous visit without a code counts no one. */
  anonymousPeople: number
  /** Registered people whose first visit ever falls in the range. */
  newPeople: number
  /** Every other registered person active in the range. */
  returningPeople: number
}

export interface VisitFigures {
  visits: number
  registeredVisits: number
  anonymousVisits: number
  /** Anonymous visits without a code: visits, but no one can be counted for them. */
  anonymousUncodedVisits: number
}

export interface SeriesPoint {
  /** The first day of the bucket (a Monday for weeks, the 1st for months). */
  start: string
  visits: number
  people: number
}

export interface HeatCell {
  /** 0 Monday … 6 Sunday. */
  weekday: number
  /** 0 … 23, the center's clock. */
  hour: number
  visits: number
}

export interface ServiceFigure {
  serviceId: number
  key: string
  nameEn: string
  nameEs: string
  hasQuantity: boolean
  /** Visits on which it was given. */
  times: number
  /** Different people (registered, and anonymous ones by code) who received it. */
  people: number
  /** Items handed out (equals `times` for a service without a quantity). */
  quantity: number
}

export interface ReferralTypeFigure {
  type: ReferralType
  made: number
  connected: number
}

export interface ReferralFigures {
  /** Referrals made in the range (by their referral date). */
  made: number
  byType: ReferralTypeFigure[]
  /** Where the referrals made in the range stood at the range's end. */
  byStatus: Array<{ status: ReferralStatus; count: number }>
  /** The funnel: made → accepted by the agency (reached 'eligible' or beyond to 'got_help') → got help, each by the range's end. */
  accepted: number
  connected: number
  /** Share of `made` that got help by the range's end; null when none were made. */
  connectedShare: number | null
  /** Referrals made in the range that got help only after it ended (shown, never counted as connected). */
  connectedLater: number
  /** Median days from the referral to "got help", over those connected; null when none were. */
  medianDaysToConnect: number | null
  /** Open at the range's end with their follow-up date already past. */
  openPastFollowUp: number
  /** Of the referrals still open at the range's end; null when none were open. */
  openPastFollowUpShare: number | null
  open: number
}

export interface RecoveryCapitalFigures {
  /** People with at least one assessment in the range. */
  assessed: number
  /** People whose latest assessment by the range's end is in the range and who have an earlier one: the n of every figure below. */
  n: number
  meanFirst: number | null
  meanLatest: number | null
  meanChange: number | null
  /** 95 % confidence interval of the mean change (Student's t); null below n = 2. */
  changeCi: { low: number; high: number } | null
  /** BARC-10 total of 47 or more, the published cut-off associated with sustained remission. */
  shareAtOrAbove47First: number | null
  shareAtOrAbove47Latest: number | null
}

/** One group's figures over a range (rule 6: a person once a day, under the record they were merged into). */
export interface GroupFigure {
  groupId: number
  name: string
  /** Sessions held in the range. */
  sessionsHeld: number
  /** Person-days: each person (registered, or anonymous by code) once a day, present or late. */
  attendance: number
  /** Different people who attended. */
  people: number
  /** Enrolled people's attended days ÷ their expected days, over held sessions; null when none were expected. */
  attendanceRate: number | null
}

export interface GroupFigures {
  groups: GroupFigure[]
  /** Over every group: held sessions, and each person once a day however many groups they attended. */
  sessionsHeld: number
  attendance: number
  people: number
}

/** Peer coaching in a range (db/services/reports/coaching.ts says how each is counted). */
export interface CoachingFigures {
  activeEngagements: number
  contacts: number
  contactsByKind: Array<{ kind: 'in_person' | 'phone' | 'video' | 'text' | 'outreach' | 'warmline'; count: number }>
  /** Of the contacts, warmline calls (anonymous ones included). */
  warmlineCalls: number
  medianDaysBetweenContacts: number | null
  engagementsCompleted: number
  planGoalsMet: number
}

export interface Compared<T> {
  current: T
  previous: T
}

export interface Summary {
  people: PeopleFigures
  visits: VisitFigures
}

/** Whose figures a dashboard or report holds (issue 15). */
export interface ReportScopeInfo {
  choice: ReportScopeChoice
  /** Counted once per person across centers (the organization, with matching agreed). */
  matchPeople: boolean
  /** The organization's figures may be asked for here: an organization admin, several centers in use. */
  organizationOffered: boolean
}

export interface DashboardData {
  centerName: string
  scope: ReportScopeInfo
  range: ResolvedRange
  /** When the figures were counted (ISO), and the center's date then. */
  countedAt: string
  today: string
  summary: Compared<Summary>
  series: Compared<SeriesPoint[]>
  heatmap: HeatCell[]
  services: Compared<ServiceFigure[]>
  referrals: Compared<ReferralFigures>
  recoveryCapital: Compared<RecoveryCapitalFigures>
  groups: Compared<GroupFigures>
  /** Incidents, overdose responses and restrictions (reports/safety.ts). */
  safety: Compared<SafetyFigures>
  coaching: Compared<CoachingFigures>
}

/** One line of a demographic table: a value as recorded, or 'not_asked' (left empty) or 'declined'. */
export interface DemographicRow {
  /** Trimmed and lower-case, so "Woman" and "woman " count together; the key in exports. */
  value: string
  /** As most often typed (the first spelling in sort order), for showing a free-text answer. */
  label: string
  count: number
}

export const AGE_BANDS = ['under_18', '18_24', '25_34', '35_44', '45_54', '55_64', '65_plus', 'not_asked'] as const
export type AgeBand = (typeof AGE_BANDS)[number]

export interface Demographics {
  /** Age at the later of the range's first day and the person's first visit. */
  age: Array<{ value: AgeBand; count: number }>
  gender: DemographicRow[]
  raceEthnicity: DemographicRow[]
  veteran: DemographicRow[]
  housing: DemographicRow[]
}

/** The funder report: one range, every figure counted by the same rules as the dashboard. */
export interface FunderReport {
  centerName: string
  scope: ReportScopeInfo
  range: ResolvedRange
  countedAt: string
  people: PeopleFigures
  visits: VisitFigures
  services: ServiceFigure[]
  /** Naloxone kits handed out (the quantity of the catalog's naloxone service). */
  naloxoneKits: number
  referrals: ReferralFigures
  recoveryCapital: RecoveryCapitalFigures
  groups: GroupFigures
  coaching: CoachingFigures
  /** Of the registered people counted in the range. */
  demographics: Demographics
  /** Incidents, overdose responses and restrictions (reports/safety.ts). */
  safety: SafetyFigures
}

/** Small-count suppression: counts from 1 to `threshold` are shown as "<threshold+1". */
export interface ReportSettings {
  suppressionThreshold: number
  /** Suppress on screen too (exports always suppress unless asked not to). */
  suppressOnScreen: boolean
}

// ----- Drill-down: the list behind a figure, counted by the same rules.

export type DrillList = 'visits' | 'people' | 'referrals'

export interface DrillFilter {
  /** Which of the two periods: the range (default) or the one before it. */
  period?: 'current' | 'previous'
  /** visits: one bucket of the visits chart (its first day; the range's grain gives its length). */
  bucketStart?: string
  /** visits: those that included this service. */
  serviceId?: number
  /** visits: one cell of the weekday × hour chart. */
  weekday?: number
  hour?: number
  /** people: all counted, or only the new or the returning ones. */
  people?: 'all' | 'new' | 'returning'
  /** referrals: of one kind, standing at one status at the range's end, or connected by then. */
  referralType?: ReferralType
  status?: ReferralStatus
  connected?: boolean
}

export interface DrillPerson {
  id: number
  code: string
  firstName: string | null
  nickname: string | null
  lastName: string | null
}

export interface DrillVisitRow {
  id: number
  visitDate: string
  signedInAt: string
  person: DrillPerson | null
  anonymousCode: string | null
}

export interface DrillPersonRow extends DrillPerson {
  /** Counted visits in the period. */
  visits: number
}

export interface DrillReferralRow {
  id: number
  person: DrillPerson
  type: ReferralType
  /** As it stood at the end of the period. */
  status: ReferralStatus
  referredOn: string
  agencyName: string
}

export type DrillPage =
  | { list: 'visits'; rows: DrillVisitRow[]; total: number }
  | { list: 'people'; rows: DrillPersonRow[]; total: number }
  | { list: 'referrals'; rows: DrillReferralRow[]; total: number }

/** What a manager sees first: the day's follow-ups and anything that needs IT. */
export interface ManagerHome {
  today: string
  /** Open referrals whose follow-up date is today or past (the referrals work list's "due"). */
  dueFollowUps: number
  /** The latest backup, when it failed. */
  failedBackup: { at: string; error: string | null } | null
  /** The latest full check of the records file, when it found damage. */
  failedCheck: { at: string; problems: string[] } | null
}

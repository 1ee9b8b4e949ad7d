import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** ISO-8601 UTC timestamp text, e.g. 2026-11-25T14:03:00.000Z. */
type Timestamp = string
/** Local calendar date at the center, YYYY-MM-DD. */
type LocalDate = string
/** 0 or 1: SQLite has no boolean. */
type Flag = number

import type { ContactKind, EngagementStatus, LifeArea, MeetingKind, MeetingStatus, PlanProgress, RecoveryStage } from './coaching-types'
import type { IncidentKind, OverdoseOutcome } from './incident-types'
import type { CareFlagKind, HousingStatus, ReferralStatus, ReferralType, RestrictionKind, Role, VeteranStatus } from './types'

export { ROLES, type Role } from './types'

export interface SettingsTable {
  key: string
  value: string
  updated_at: Timestamp
  /** Moves on with each save of the center's settings (migration 0053), the one key edited from several PCs. */
  row_version: ColumnType<number, number | undefined, number>
}

export interface StaffTable {
  id: Generated<number>
  username: string
  display_name: string
  role: Role
  password_hash: string
  active: ColumnType<Flag, Flag | undefined, Flag>
  failed_logins: ColumnType<number, number | undefined, number>
  locked_until: Timestamp | null
  must_change_password: ColumnType<Flag, Flag | undefined, Flag>
  created_at: Timestamp
  updated_at: Timestamp
  /** Raised by each edit a form shows (migration 0040): an edit read at an older version is refused. */
  row_version: ColumnType<number, number | undefined, number>
  /** The center the account works in unless an admin grants more (staff_centers), migration 0045. */
  home_center_id: ColumnType<number, number | undefined, number>
}

export interface ParticipantsTable {
  id: Generated<number>
  /** Short code a person can say or show; survives name changes and merges. */
  code: string
  first_name: string | null
  nickname: string | null
  last_name: string | null
  birth_year: number | null
  phone: string | null
  /** Digits only, for finding someone by the last four of their number. */
  phone_digits: string | null
  /** Lower-case, accent-free names for matching ("José" finds "jose"). */
  name_key: string
  last_visit_at: Timestamp | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
  /** Raised by each edit a form shows (migration 0035): an edit read at an older version is refused. */
  row_version: ColumnType<number, number | undefined, number>
  // 0002_front_desk: optional fields (which ones a center collects is its field rules).
  birth_date: ColumnType<LocalDate | null, LocalDate | null | undefined, LocalDate | null>
  pronouns: ColumnType<string | null, string | null | undefined, string | null>
  gender: ColumnType<string | null, string | null | undefined, string | null>
  race_ethnicity: ColumnType<string | null, string | null | undefined, string | null>
  veteran_status: ColumnType<VeteranStatus | null, VeteranStatus | null | undefined, VeteranStatus | null>
  housing_status: ColumnType<HousingStatus | null, HousingStatus | null | undefined, HousingStatus | null>
  preferred_language: ColumnType<string | null, string | null | undefined, string | null>
  heard_about: ColumnType<string | null, string | null | undefined, string | null>
  emergency_contact_name: ColumnType<string | null, string | null | undefined, string | null>
  emergency_contact_phone: ColumnType<string | null, string | null | undefined, string | null>
  /** Set while this record is merged into another one. */
  merged_into: ColumnType<number | null, number | null | undefined, number | null>
  /** Normalized single names (see normalizeName), for duplicate checks and the kiosk. */
  first_key: ColumnType<string | null, string | null | undefined, string | null>
  nick_key: ColumnType<string | null, string | null | undefined, string | null>
  last_key: ColumnType<string | null, string | null | undefined, string | null>
  /** Visits that count (not voided); kept by triggers on visits, never written by the app. */
  visit_count: ColumnType<number, never, never>
  /** 0006_backups: when the retention policy de-identified this record (it is then also deleted_at). */
  deidentified_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
  /** The records import it came from (migration 0052); null for the desk's own. Invisible while that import is pending. */
  import_file_id: ColumnType<number | null, number | null | undefined, never>
}

export interface ServicesTable {
  id: Generated<number>
  key: string
  name_en: string
  name_es: string
  has_quantity: ColumnType<Flag, Flag | undefined, Flag>
  sort_order: number
  retired_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface VisitsTable {
  id: Generated<number>
  /** Null for an anonymous visit. */
  participant_id: number | null
  /** Optional short code an anonymous returning visitor chose, for honest unduplicated counts. */
  anonymous_code: string | null
  visit_date: LocalDate
  signed_in_at: Timestamp
  signed_out_at: Timestamp | null
  note: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  voided_at: Timestamp | null
  void_reason: string | null
  /** The records import it came from (migration 0029); null for the desk's own. Invisible while that import is pending. */
  import_file_id: ColumnType<number | null, number | null | undefined, never>
  /**
   * 1: the desk signed the person in again on purpose while an earlier visit that day was still
   * open (migration 0034). Only visits with 0 are held to one open visit per person per day.
   */
  repeat_confirmed: ColumnType<number, number | undefined, number>
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface VisitServicesTable {
  visit_id: number
  service_id: number
  quantity: number
}

export interface AuditLogTable {
  id: Generated<number>
  at: Timestamp
  staff_id: number | null
  action: string
  target_type: string | null
  target_id: number | null
  detail: string | null
  prev_hash: string
  hash: string
}

export interface ParticipantMergesTable {
  id: Generated<number>
  kept_id: number
  merged_id: number
  merged_code: string
  /** JSON array of visit ids moved to the kept record. */
  moved_visit_ids: string
  /** JSON array of alias codes that the merged record had and that moved with it. */
  moved_alias_codes: string
  merged_by: number | null
  merged_at: Timestamp
  /** 0007_referrals: JSON arrays of the referrals and consents moved to the kept record. */
  moved_referral_ids: ColumnType<string, string | undefined, string>
  moved_consent_ids: ColumnType<string, string | undefined, string>
  /** 0008_assessments: JSON array of the assessments moved to the kept record. */
  moved_assessment_ids: ColumnType<string, string | undefined, string>
  /** 0011_groups: JSON array of the attendance rows moved to the kept record. */
  moved_attendance_ids: ColumnType<string, string | undefined, string>
  /** JSON object, table name → ids moved: coaching and safety records (0019). */
  moved_more: ColumnType<string, string | undefined, string>
  note: string | null
  undone_at: Timestamp | null
  undone_by: number | null
  updated_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface ParticipantAliasesTable {
  code: string
  participant_id: number
  /** The merge that made this code point here. */
  merge_id: number
  created_at: Timestamp
}

export type VisitChangeKind = 'edit' | 'void' | 'sign_out' | 'sign_out_all'

/** Append-only: every edit, void and sign-out of a visit, with the reason and JSON before/after. */
export interface VisitChangesTable {
  id: Generated<number>
  visit_id: number
  kind: VisitChangeKind
  reason: string | null
  before: string
  after: string
  staff_id: number | null
  at: Timestamp
}

// ----- 0007_referrals: the resource directory, consents to share, referrals and their history

export interface AgenciesTable {
  id: Generated<number>
  name: string
  /** Lower-case, accent-free name: two agencies cannot share a name. */
  name_key: string
  contact_name: string | null
  phone: string | null
  email: string | null
  address: string | null
  website: string | null
  hours: string | null
  notes: string | null
  /** When someone last confirmed these details are right. */
  verified_on: LocalDate | null
  active: ColumnType<Flag, Flag | undefined, Flag>
  created_at: Timestamp
  updated_at: Timestamp
  /** Raised by each edit a form shows (migration 0040): an edit read at an older version is refused. */
  row_version: ColumnType<number, number | undefined, number>
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface AgencyReferralTypesTable {
  agency_id: number
  type: ReferralType
}

export interface ConsentsTable {
  id: Generated<number>
  participant_id: number
  /** The one recipient this consent names. */
  agency_id: number
  purpose: string
  /** JSON array of ConsentInformation: the kinds of information that may be shared. */
  information: string
  signed_on: LocalDate
  expires_on: LocalDate
  revoked_at: Timestamp | null
  revoked_by: number | null
  revoke_note: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface ReferralsTable {
  id: Generated<number>
  participant_id: number
  agency_id: number
  type: ReferralType
  status: ReferralStatus
  /** The consent under which information was shared; null: nothing about the person was shared. */
  consent_id: number | null
  note: string | null
  referred_on: LocalDate
  follow_up_on: LocalDate | null
  outcome_note: string | null
  /** The day it reached a closed status; null while open. */
  closed_on: LocalDate | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** Raised by each edit a form shows (migration 0035): an edit read at an older version is refused. */
  row_version: ColumnType<number, number | undefined, number>
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

/** Append-only: every status or follow-up change of a referral. */
export interface ReferralEventsTable {
  id: Generated<number>
  referral_id: number
  status: ReferralStatus
  follow_up_on: LocalDate | null
  note: string | null
  staff_id: number | null
  at: Timestamp
}

// ----- 0008_assessments: recovery capital, repeated over time

export interface AssessmentsTable {
  id: Generated<number>
  participant_id: number
  instrument: 'barc10'
  taken_on: LocalDate
  /** JSON array of ten answers, 1 (strongly disagree) to 6 (strongly agree). */
  answers: string
  total: number
  note: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  voided_at: Timestamp | null
  voided_by: number | null
  void_reason: string | null
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

// ----- 0011_groups: groups, their schedules and sessions, closures, rosters and attendance

export type GroupKindDb = 'open' | 'closed'
export type SessionStatusDb = 'scheduled' | 'held' | 'did_not_meet' | 'cancelled'
export type EnrollmentStatusDb = 'waitlisted' | 'enrolled' | 'ended'
export type AttendanceStatusDb = 'present' | 'absent' | 'excused' | 'late'

export interface GroupsTable {
  id: Generated<number>
  name: string
  /** Lower-case, accent-free name: two active groups cannot share a name. */
  name_key: string
  description: string | null
  kind: GroupKindDb
  room: string | null
  capacity: number | null
  series_length: number | null
  duration_minutes: number
  /** RFC 5545: DTSTART;TZID=<center zone>, RRULE, optional EXDATE/RDATE lines. Null: one-off sessions only. */
  schedule: string | null
  /** Sessions exist for every occurrence up to this day. */
  materialized_through: LocalDate | null
  archived_at: Timestamp | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** Raised by each edit a form shows (migration 0040): an edit read at an older version is refused. */
  row_version: ColumnType<number, number | undefined, number>
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface GroupFacilitatorsTable {
  group_id: number
  staff_id: number
}

export interface ClosuresTable {
  id: Generated<number>
  closed_on: LocalDate
  reason: string
  created_by: number | null
  created_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface GroupSessionsTable {
  id: Generated<number>
  group_id: number
  /** The schedule occurrence it came from (local YYYY-MM-DDTHH:MM); null for a one-off. */
  occurrence_key: string | null
  session_date: LocalDate
  /** Local HH:MM at the center. */
  start_time: string
  starts_at: Timestamp
  ends_at: Timestamp
  /** Null: the group's room. */
  room: string | null
  status: SessionStatusDb
  cancel_reason: string | null
  closure_id: number | null
  /** The day it was scheduled for, when it was moved. */
  moved_from: LocalDate | null
  makeup_for: number | null
  topic: string | null
  note: string | null
  anonymous_count: ColumnType<number, number | undefined, number>
  /** Staff member covering this one session (a facilitator may then run it). */
  cover_staff_id: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** Raised by each edit a form shows (migration 0040): an edit read at an older version is refused. */
  row_version: ColumnType<number, number | undefined, number>
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface EnrollmentsTable {
  id: Generated<number>
  group_id: number
  participant_id: number
  status: EnrollmentStatusDb
  requested_on: LocalDate
  enrolled_on: LocalDate | null
  ended_on: LocalDate | null
  end_reason: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface AttendanceTable {
  id: Generated<number>
  session_id: number
  participant_id: number | null
  anonymous_code: string | null
  status: AttendanceStatusDb
  /** The visit this attendance counted toward (present or late only). */
  visit_id: number | null
  /** 1 when marking this attendance made the visit (no desk sign-in that day). */
  created_visit: ColumnType<Flag, Flag | undefined, Flag>
  /** A facilitator's follow-up flag for a peer specialist (short, non-clinical); null: none. */
  follow_up: string | null
  recorded_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

/** Roll-ups of the reports, kept by triggers (migration 0012); see db/services/reports/rollups.ts. */
export interface ReportDaysTable {
  day: string
  /** 0: the visits themselves; otherwise the service given. */
  service_id: number
  /** Visits: the quarter hour they signed in in (an ISO instant); services: ''. */
  slot: string
  visits: number
  registered: number
  coded: number
  quantity: number
}

export interface ReportPersonMonthsTable {
  /** YYYY-MM */
  month: string
  /** 0 for an anonymous code. */
  participant_id: number
  /** '' for a registered person. */
  code: string
  /** 1 visited, 2 active (counting rule 4), 3 given the service. */
  kind: number
  service_id: number
  /** Bit d-1 set: active on day d of the month. */
  days: number
  first_day: string
  last_day: string
  /** Their last day of the same kind before this month. */
  prev_day: string | null
}

/** Per referral, what the reports judge it by apart from the range's end (migration 0026; reports/rules.ts). */
export interface ReportReferralStatesTable {
  referred_on: string
  referral_id: number
  type: ReferralType
  /** The referral row's own status (what counts when it has no event). */
  status_now: ReferralStatus
  /** When it first reached eligible or got_help; when it first got help. */
  accepted_at: Timestamp | null
  got_help_at: Timestamp | null
  /** The latest instant among its events (null: it has none). */
  last_at: Timestamp | null
  /** Its latest event's (by id) status and follow-up date. */
  last_status: ReferralStatus | null
  last_follow_up_on: string | null
}

/** Per group and day it had a session (group 0: over all groups), what the reports sum (migration 0027). */
export interface ReportGroupDaysTable {
  day: string
  group_id: number
  /** People present or late that day, once each (rule 6). */
  attended: number
  /** On a day a session was held: the people enrolled, and those of them who came. */
  expected: number
  came: number
}

/** Per group (0: any group), person (an id, or 0 and a code) and month: the days attended (migration 0032). */
/** 0037_assessment_steps: one row per counted (not voided) assessment, for recovery capital. */
export interface ReportAssessmentStepsTable {
  taken_on: string
  participant_id: number
  assessment_id: number
  /** The person's first counted total ever (by day, then id). */
  first_total: number
  total: number
  /** 1 when the person has an earlier counted assessment, else 0. */
  earlier: number
  /** The day of the person's next counted assessment (null: this is their latest). */
  next_on: string | null
}

/** 0038_referral_months: per month made, kind and status at the latest event, the referrals' counts. */
export interface ReportReferralMonthsTable {
  month: string
  type: ReferralType
  status: ReferralStatus
  made: number
  /** Of those, how many were ever accepted (eligible or got help), and how many got help. */
  accepted: number
  connected: number
}

export interface ReportGroupPeopleTable {
  group_id: number
  participant_id: number
  code: string
  month: string
  /** Bit d-1 for each day d of the month the person was present or late in a session of the group. */
  days: number
  first_day: string
  last_day: string
  /** Their last such day in the group before the month. */
  prev_day: string | null
}

export interface ReportMonthReturnsTable {
  month: string
  kind: number
  service_id: number
  coded: number
  /** YYYY-MM of prev_day, '' for none. */
  prev_month: string
  people: number
}

/** 0042: how many report_person_months rows of a month have each last day (by kind, service and coded). */
export interface ReportLastDaysTable {
  month: string
  kind: number
  service_id: number
  coded: number
  last_day: string
  people: number
}

/** 0042: how many report_group_people rows of a month have each last day, by group (0: all groups). */
export interface ReportGroupLastDaysTable {
  month: string
  group_id: number
  last_day: string
  people: number
}

/** 0043: how many report_group_people rows of a month and group have their previous day in each earlier month ('' for none). */
export interface ReportGroupMonthReturnsTable {
  month: string
  group_id: number
  prev_month: string
  people: number
}

/** 0043: the same by the previous day itself. */
export interface ReportGroupDayReturnsTable {
  month: string
  group_id: number
  prev_day: string
  people: number
}

export interface ReportDayReturnsTable {
  month: string
  kind: number
  service_id: number
  coded: number
  prev_day: string
  people: number
}

// ----- 0013_coaching: engagements, their events, meetings, contacts, and the recovery plan

export interface CoachingEngagementsTable {
  id: Generated<number>
  participant_id: number
  coach_id: number
  backup_id: number | null
  started_on: LocalDate
  planned_days: number
  ends_on: LocalDate
  stage: RecoveryStage
  /** JSON array of pathways. */
  pathways: string
  status: EngagementStatus
  status_reason: string | null
  ended_on: LocalDate | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface CoachingEventsTable {
  id: Generated<number>
  engagement_id: number
  kind: 'start' | 'update' | 'status' | 'renew' | 'transfer'
  on_date: LocalDate
  /** JSON object: what changed. */
  detail: string
  staff_id: number | null
  created_at: Timestamp
}

export interface CoachingMeetingsTable {
  id: Generated<number>
  engagement_id: number
  meeting_on: LocalDate
  start_time: string
  kind: MeetingKind
  status: MeetingStatus
  reason: string | null
  /** The RFC 5545 text a recurring meeting was expanded from, null for a one-off. */
  schedule: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface CoachingContactsTable {
  id: Generated<number>
  participant_id: number | null
  engagement_id: number | null
  meeting_id: number | null
  caller_label: string | null
  contact_on: LocalDate
  minutes: number
  kind: ContactKind
  /** JSON array of topic names. */
  topics: string
  note: string | null
  next_steps: string | null
  staff_id: number | null
  /** The BARC-10 taken at this contact, if one was. */
  assessment_id: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface PlanGoalsTable {
  id: Generated<number>
  participant_id: number
  area: LifeArea
  title: string
  set_on: LocalDate
  progress: PlanProgress
  done_on: LocalDate | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface PlanStepsTable {
  id: Generated<number>
  goal_id: number
  text: string
  target_on: LocalDate | null
  progress: PlanProgress
  done_on: LocalDate | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface PlanChangesTable {
  id: Generated<number>
  participant_id: number
  goal_id: number
  step_id: number | null
  /** JSON object: before and after. */
  change: string
  staff_id: number | null
  created_at: Timestamp
}

// ----- 0018_safety: restrictions and care flags (issue 19)

export interface RestrictionsTable {
  id: Generated<number>
  participant_id: number
  kind: RestrictionKind
  /** Read by managers and admins only: never in an answer to another role. */
  reason: string
  starts_on: LocalDate
  ends_on: LocalDate | null
  lifted_at: Timestamp | null
  lifted_by: number | null
  created_by: number | null
  created_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface CareFlagsTable {
  id: Generated<number>
  participant_id: number
  kind: CareFlagKind
  note: string | null
  created_by: number | null
  created_at: Timestamp
  removed_at: Timestamp | null
  removed_by: number | null
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

// ----- 0024_incidents: incident reports (issue 19)

export interface IncidentsTable {
  id: Generated<number>
  kind: IncidentKind
  occurred_at: Timestamp
  /** The center's calendar day of occurred_at: the reports count by it. */
  occurred_on: LocalDate
  summary: string
  location: string | null
  naloxone_doses: number | null
  ems_called: number | null
  outcome: OverdoseOutcome | null
  narrative: string | null
  actions_taken: string | null
  follow_up: string | null
  critical: number
  review_note: string | null
  closed_at: Timestamp | null
  closed_by: number | null
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

export interface IncidentPeopleTable {
  id: Generated<number>
  incident_id: number
  participant_id: number | null
  staff_id: number | null
  description: string | null
}

export interface IncidentHistoryTable {
  id: Generated<number>
  incident_id: number
  action: 'create' | 'update' | 'close'
  /** JSON object: field → { before, after }. */
  changes: string
  staff_id: number | null
  at: Timestamp
}

// ----- Issue 16: the peer workforce (migration 0014)

export interface WorkforceCategoriesTable {
  id: Generated<number>
  key: string
  name_en: string
  name_es: string
  position: number
  active: ColumnType<Flag, Flag | undefined, Flag>
}

export interface WorkforceCredentialKindsTable {
  id: Generated<number>
  key: string
  name_en: string
  name_es: string
  period_months: number
  required_minutes: number
  /** JSON object: category key → minutes required in that category per period. */
  category_minutes: string
  position: number
  active: ColumnType<Flag, Flag | undefined, Flag>
}

export interface WorkforceDocumentsTable {
  id: Generated<number>
  staff_id: number
  file_name: string
  mime: 'application/pdf' | 'image/png' | 'image/jpeg'
  size: number
  sha256: string
  content: Uint8Array
  created_by: number | null
  created_at: Timestamp
}

export interface WorkforceCredentialsTable {
  id: Generated<number>
  staff_id: number
  kind_id: number
  issuer: string
  number: string | null
  issued_on: LocalDate
  expires_on: LocalDate | null
  document_id: number | null
  renews_id: number | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface WorkforceTrainingTable {
  id: Generated<number>
  staff_id: number
  taken_on: LocalDate
  title: string
  provider: string | null
  minutes: number
  category_id: number
  document_id: number | null
  confirmed_by: number | null
  confirmed_at: Timestamp | null
  created_by: number | null
  created_at: Timestamp
}

export interface WorkforceSupervisionTable {
  id: Generated<number>
  staff_id: number
  supervisor_id: number
  held_on: LocalDate
  minutes: number
  format: 'individual' | 'group'
  note: string | null
  created_by: number | null
  created_at: Timestamp
}

/** A file of a center's old records imported (migration 0022). */
export interface ImportFilesTable {
  id: Generated<number>
  kind: 'participants' | 'visits'
  sha256: string
  file_name: string
  rows: number
  counts: string
  staff_id: number | null
  imported_at: Timestamp
  /** 1 while its rows go in chunk by chunk (migration 0029): none of them counts until it is 0. */
  pending: ColumnType<number, number | undefined, number>
  /** The center that owns the row (migration 0045); stamped from the session, never moved. */
  center_id: ColumnType<number, number | undefined, never>
}

/** Each imported row's identity and what it became. */
export interface ImportRowsTable {
  kind: 'participants' | 'visits'
  row_key: string
  file_id: number
  target_id: number
  /** Its file's center (migration 0061): a row's identity is the center's, so two centers may import the same file. Always given. */
  center_id: ColumnType<number, number, never>
}

/** A center of the organization (migration 0045); the first is center 1. */
export interface CentersTable {
  id: Generated<number>
  name: string
  created_at: Timestamp
  row_version: ColumnType<number, number | undefined, number>
  /** Archived, never deleted (migration 0057): nobody switches to it or is granted it. */
  archived_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>
}

/** A center an account may work in beside its home center, granted by an admin. */
export interface StaffCentersTable {
  staff_id: number
  center_id: number
}

export interface Database {
  centers: CentersTable
  staff_centers: StaffCentersTable
  settings: SettingsTable
  staff: StaffTable
  participants: ParticipantsTable
  services: ServicesTable
  visits: VisitsTable
  visit_services: VisitServicesTable
  audit_log: AuditLogTable
  participant_merges: ParticipantMergesTable
  participant_aliases: ParticipantAliasesTable
  visit_changes: VisitChangesTable
  agencies: AgenciesTable
  agency_referral_types: AgencyReferralTypesTable
  consents: ConsentsTable
  referrals: ReferralsTable
  referral_events: ReferralEventsTable
  assessments: AssessmentsTable
  groups: GroupsTable
  group_facilitators: GroupFacilitatorsTable
  closures: ClosuresTable
  group_sessions: GroupSessionsTable
  enrollments: EnrollmentsTable
  attendance: AttendanceTable
  report_days: ReportDaysTable
  report_person_months: ReportPersonMonthsTable
  report_month_returns: ReportMonthReturnsTable
  report_day_returns: ReportDayReturnsTable
  report_referral_states: ReportReferralStatesTable
  report_group_days: ReportGroupDaysTable
  report_group_people: ReportGroupPeopleTable
  report_assessment_steps: ReportAssessmentStepsTable
  report_referral_months: ReportReferralMonthsTable
  report_last_days: ReportLastDaysTable
  report_group_last_days: ReportGroupLastDaysTable
  report_group_month_returns: ReportGroupMonthReturnsTable
  report_group_day_returns: ReportGroupDayReturnsTable
  coaching_engagements: CoachingEngagementsTable
  coaching_events: CoachingEventsTable
  coaching_meetings: CoachingMeetingsTable
  coaching_contacts: CoachingContactsTable
  plan_goals: PlanGoalsTable
  plan_steps: PlanStepsTable
  plan_changes: PlanChangesTable
  restrictions: RestrictionsTable
  care_flags: CareFlagsTable
  incidents: IncidentsTable
  incident_people: IncidentPeopleTable
  incident_history: IncidentHistoryTable
  workforce_categories: WorkforceCategoriesTable
  workforce_credential_kinds: WorkforceCredentialKindsTable
  workforce_documents: WorkforceDocumentsTable
  workforce_credentials: WorkforceCredentialsTable
  workforce_training: WorkforceTrainingTable
  workforce_supervision: WorkforceSupervisionTable
  import_files: ImportFilesTable
  import_rows: ImportRowsTable
  write_requests: WriteRequestsTable
  person_matches: PersonMatchesTable
  person_match_dismissals: PersonMatchDismissalsTable
}

/** 0050: a write's request id and its answer, so a retry of a write whose answer was lost is not made twice. */
export interface WriteRequestsTable {
  request_id: string
  channel: string
  staff_id: number | null
  /** The write's answer, as JSON. */
  result: string
  created_at: string
}

/**
 * 0060: a person's records matched across centers (issue 15 point 4), one row per matched record.
 * `org_person_id` is the group's key: the smallest record id in it (db/services/person-matches.ts keeps it so).
 */
export interface PersonMatchesTable {
  participant_id: number
  org_person_id: number
  /** The record's center, as the record's own (a merge within a center keeps it). */
  center_id: number
  matched_by: number | null
  matched_at: string
  /** The merge that carried this match from its merged record to the kept one, while it stands. */
  merge_id: number | null
  row_version: ColumnType<number, number | undefined, number>
}

/** 0060: two records an admin said are not the same person (lower id first), not proposed again. */
export interface PersonMatchDismissalsTable {
  low_id: number
  high_id: number
  dismissed_by: number | null
  dismissed_at: string
}

export type Staff = Selectable<StaffTable>
export type NewStaff = Insertable<StaffTable>
export type Participant = Selectable<ParticipantsTable>
export type NewParticipant = Insertable<ParticipantsTable>
export type ParticipantUpdate = Updateable<ParticipantsTable>
export type Service = Selectable<ServicesTable>
export type Visit = Selectable<VisitsTable>
export type Agencies = Selectable<AgenciesTable>
export type ConsentRow = Selectable<ConsentsTable>
export type ReferralRowDb = Selectable<ReferralsTable>

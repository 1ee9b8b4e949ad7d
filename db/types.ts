/**
 * The shapes that cross the IPC door, as plain types with no Node or database imports, so the
 * renderer's type-check (tsconfig.web.json) can see them without seeing db/ itself.
 */
import type { MessageRef } from '../shared/messages'
import type { CareFlagKind, ConsentInformation, ConsentState, HousingStatus, ReferralStatus, ReferralType, RestrictionKind, Role, VeteranStatus } from './domain'

export { CARE_FLAG_KINDS, RESTRICTION_KINDS, ROLES } from './domain'
export type { CareFlagKind, RestrictionKind, Role }


/** A center of the organization (issue 15): its id and name. */
export interface CenterSummary {
  id: number
  name: string
}

/** One center as the admin's Centers screen lists it. */
export interface CenterRow extends CenterSummary {
  /** False once archived: its records stay, but nobody works in it. */
  active: boolean
  /** The row version the screen read (a rename or archive over another PC's change is refused). */
  version: number
  /** Active accounts that work there (home center or granted); admins work in every center and are not counted. */
  staff: number
  /** People registered there (merged and deleted records apart). */
  people: number
}

/**
 * The organization's counting rule (issue 15 point 4): when the centers have agreed to match
 * people, a person who visits two centers counts once for the organization; otherwise once per center.
 */
export interface CountingRule {
  matchPeople: boolean
}

/**
 * One record in the cross-center matching review (issue 15 point 4): only what an admin needs to
 * decide whether two records are one person (names, date of birth, center, last visit).
 */
export interface MatchRecord {
  id: number
  centerId: number
  centerName: string
  firstName: string | null
  nickname: string | null
  lastName: string | null
  birthDate: string | null
  birthYear: number | null
  lastVisitAt: string | null
}

/** Two records of different centers that the duplicate check's scorer says may be one person. */
export interface MatchCandidate {
  first: MatchRecord
  second: MatchRecord
  reasons: DuplicateReason[]
}

/** Records confirmed to be one person: `key` is the organization person key they count under. */
export interface MatchGroup {
  key: number
  records: Array<MatchRecord & { version: number; matchedAt: string }>
}

/** The review: offered only while the centers match people; matches made before are kept (and listed) either way. */
export interface PersonMatchesOverview extends CountingRule {
  candidates: MatchCandidate[]
  groups: MatchGroup[]
}

/** The Centers screen: every center, archived ones last, and the counting rule. */
export interface CentersOverview extends CountingRule {
  centers: CenterRow[]
}

/** The centers one account works in: its home center and the others an admin granted. */
export interface StaffCenters {
  staffId: number
  homeCenterId: number
  otherCenterIds: number[]
}

export interface StaffSummary {
  id: number
  username: string
  displayName: string
  role: Role
}

export interface ParticipantSummary {
  id: number
  code: string
  firstName: string | null
  nickname: string | null
  lastName: string | null
  birthYear: number | null
  phoneLast4: string | null
  lastVisitAt: string | null
}

export interface CatalogService {
  id: number
  key: string
  nameEn: string
  nameEs: string
  hasQuantity: boolean
  /** Offered among the desk's and the kiosk's toggles (false: recorded by group attendance only). */
  atDesk?: boolean
}

export interface TodayVisit {
  id: number
  signedInAt: string
  signedOutAt: string | null
  participant: { id: number; code: string; firstName: string | null; nickname: string | null; lastName: string | null } | null
  anonymousCode: string | null
  services: Array<{ serviceId: number; key: string; nameEn: string; nameEs: string; quantity: number }>
  note: string | null
}

// ----- Issue 3: the front desk (field rules, duplicates, merges, profiles, lists, catalog, visits, kiosk)

// The participant fields, their rules and fixed answers live in ./domain (the renderer imports them from there).
export { FIELD_RULES, HOUSING_STATUSES, PARTICIPANT_FIELDS, VETERAN_STATUSES } from './domain'
export type { FieldRule, FieldRules, HousingStatus, ParticipantField, VeteranStatus } from './domain'

/** Everything a profile shows about a person. Dates are YYYY-MM-DD, instants ISO-8601 UTC. */
export interface ParticipantDetails extends ParticipantSummary {
  birthDate: string | null
  /** The whole number as entered (the summary only carries the last four digits). */
  phone: string | null
  pronouns: string | null
  gender: string | null
  raceEthnicity: string | null
  veteranStatus: VeteranStatus | null
  housingStatus: HousingStatus | null
  preferredLanguage: string | null
  heardAbout: string | null
  emergencyContactName: string | null
  emergencyContactPhone: string | null
  /** Codes of records merged into this one: they still find this person. */
  aliases: string[]
  /** Visits that count (voided ones do not). */
  visitCount: number
  createdAt: string
  updatedAt: string
  /** The row version this was read at: an edit sends it back, and is refused if another PC saved in between. */
  version: number
}

export type DuplicateReason = 'same_name_birth_year' | 'similar_name' | 'same_phone'
export interface DuplicateCandidate extends ParticipantSummary {
  reasons: DuplicateReason[]
}

export interface VisitServiceLine {
  serviceId: number
  key: string
  nameEn: string
  nameEs: string
  quantity: number
}

/** One visit in a person's history. Voided visits are listed (marked) but never counted. */
export interface VisitRecord {
  id: number
  visitDate: string
  signedInAt: string
  signedOutAt: string | null
  services: VisitServiceLine[]
  note: string | null
  voidedAt: string | null
  voidReason: string | null
}

/** How often a person received a service, over visits that were not voided. */
export interface ServiceTotal {
  serviceId: number
  key: string
  nameEn: string
  nameEs: string
  /** Visits that included it. */
  visits: number
  /** Sum of quantities (equals `visits` for services without a quantity). */
  quantity: number
}

export interface MergeRecord {
  id: number
  keptId: number
  mergedId: number
  /** The merged record's own code, now an alias of the kept person while the merge stands. */
  mergedCode: string
  /** Exactly the visits that moved, so undo can move them back. */
  movedVisitIds: number[]
  mergedAt: string
  mergedBy: number | null
  mergedByName: string | null
  note: string | null
  undoneAt: string | null
  undoneBy: number | null
  undoneByName: string | null
}

export interface ParticipantProfile {
  participant: ParticipantDetails
  /** Newest first. */
  visits: VisitRecord[]
  servicesReceived: ServiceTotal[]
  /** Merges this person took part in (kept or merged), newest first. */
  merges: MergeRecord[]
  /** Set when the id asked for was merged: the id asked for; `participant` is who it went to. */
  redirectedFrom?: number
  /**
   * A facilitator's view: only the names, code, pronouns and preferred language carry values
   * (what running a group needs); every other field is empty and there are no visits, services
   * or merges. The screen shows it as such, never as "not recorded".
   */
  limited?: boolean
}

export type ParticipantSortColumn = 'name' | 'lastVisit' | 'created' | 'visits' | 'birthYear'
export type SortDirection = 'asc' | 'desc'

export interface ParticipantListRow {
  id: number
  code: string
  firstName: string | null
  nickname: string | null
  lastName: string | null
  birthYear: number | null
  phoneLast4: string | null
  lastVisitAt: string | null
  visitCount: number
  createdAt: string
}

export interface ParticipantListPage {
  rows: ParticipantListRow[]
  /** Rows matching the filter, for the virtualized table's scroll height. */
  total: number
}

export interface AnonymousCodeSummary {
  code: string
  lastVisitAt: string
  /** Visits under this code that count (not voided). */
  visits: number
}

/** A catalog entry as the admin screen sees it, retired ones included. */
export interface ServiceAdmin extends CatalogService {
  sortOrder: number
  retiredAt: string | null
}

/** What the self check-in screen may show about a match: never a last name, phone or note. */
/** The second thing only the person knows, asked when a name and year fit more than one record. */
export type KioskFactor = 'phone' | 'birthday' | 'code'

/**
 * What a kiosk look-up tells the screen: never a name or an id. 'found': one record fits (the
 * screen greets the person with the name they typed); 'ask': several fit, ask one of these;
 * 'none': nobody fits; 'desk': it cannot be settled here (too many, a second answer that did not
 * fit, or too many tries in a minute): please ask at the front desk.
 */
export type KioskAnswer = { kind: 'found' } | { kind: 'ask'; factors: KioskFactor[] } | { kind: 'none' } | { kind: 'desk' }

export type SessionMode = 'desk' | 'kiosk'

// ----- Issue 4: staff accounts, idle lock, audit viewer

/** A staff account as the admin's staff screen sees it (never the password hash). */
export interface StaffAccount {
  id: number
  username: string
  displayName: string
  role: Role
  active: boolean
  /** Set while repeated wrong passwords keep the account locked; ISO UTC. */
  lockedUntil: string | null
  mustChangePassword: boolean
  createdAt: string
  /** Raised by each change of name, role or active by an admin's form (migration 0040); not by sign-ins or password resets. */
  version: number
}

/** Security settings an admin can change. */
/** The center's opening hours, HH:MM on one calendar day; End of day and forgotten visits close at closesAt. */
export interface CenterHours {
  opensAt: string
  closesAt: string
}

/** How the center runs: its name, its clock, the kiosk and what a visit must hold. */
export interface CenterSettings {
  /** The window's center's name: its centers row, the one the Centers screen renames (migration 0061). */
  centerName: string
  /** That centers row's version: a name saved from a form read at an older one is refused as changed on another PC. */
  nameVersion: number
  /** IANA zone ("America/New_York"): the center's calendar days, closing time and group schedules. */
  timeZone: string
  /** Seconds without a touch before the kiosk goes back to its welcome screen. */
  kioskResetSeconds: number
  /** When on, a visit with no service is refused (the desk, the kiosk and corrections). */
  requireService: boolean
  /** The center-wide part's row version (migration 0053): a save read at an older one is refused as changed on another PC. */
  version: number
}

/** Visits left open on earlier days that Porchlight closed at those days' closing time. */
export interface AutoClose {
  /** When Porchlight closed them. */
  at: string
  count: number
}

export interface SecuritySettings {
  /** Seconds without input before a staff window locks to a password screen. */
  idleLockSeconds: number
}

/** What belongs to one PC, not the center: kept in a file on that PC (db/pc-settings.ts). */
export interface PcSettings {
  idleLockSeconds: number
  kioskResetSeconds: number
}

export interface AuditRow {
  id: number
  at: string
  staffId: number | null
  staffName: string | null
  action: string
  targetType: string | null
  targetId: number | null
  detail: Record<string, unknown> | null
  /** The people the row is about (its target, a visit's person, the people a list showed), at most AUDIT_ROW_PEOPLE of them. */
  people: AuditPerson[]
  /** How many more people the row names than `people` holds. */
  morePeople: number
  /** The directory's name for the agency the row is about (its target, or `agencyId` in its detail). */
  agencyName: string | null
}

/** The most people an audit row shows by name; a list of a hundred says "and 97 more". */
export const AUDIT_ROW_PEOPLE = 3

/** A person an audit row names, as an admin reads the log: the record the row names, and where it lives now. */
export interface AuditPerson {
  /** The record's id as the row wrote it (a merged record's old id stays findable). */
  id: number
  code: string
  firstName: string | null
  nickname: string | null
  lastName: string | null
  /** Set when this record was merged away: the person it now belongs to. */
  mergedInto: { id: number; code: string; firstName: string | null; nickname: string | null; lastName: string | null } | null
  /** Removed under the retention policy: only the id and code remain. */
  removed: boolean
}

/**
 * One disclosure of a person's information to someone outside the center (HIPAA §164.528,
 * 42 CFR §2.24): when, to whom, what, why, and who at the center sent it.
 */
export interface Disclosure {
  at: string
  /** 'referral': a referral shared under a consent; otherwise the audit action that recorded it. */
  kind: string
  recipient: string
  /** The kinds of information sent (a consent's list); empty when the record does not say. */
  information: string[]
  purpose: string | null
  staffName: string | null
  /** The record (of a merged person's records) it was sent from. */
  participantId: number
  referralId: number | null
  consentId: number | null
  /** When the consent it went under was revoked later, if it was: the disclosure still happened. */
  consentRevokedAt: string | null
}

/** A person's accounting of disclosures for a period (center-local dates, both included). */
export interface Accounting {
  person: { id: number; code: string; firstName: string | null; nickname: string | null; lastName: string | null }
  /** Every record the accounting covers: the person's own and those merged into it. */
  records: Array<{ id: number; code: string }>
  /** Set when the id asked for was merged into `person`. */
  askedFor: number | null
  from: string
  to: string
  producedAt: string
  disclosures: Disclosure[]
}

export interface AuditPage {
  rows: AuditRow[]
  total: number
}

export interface AuditFilter {
  staffId?: number
  action?: string
  /** Center-local dates, YYYY-MM-DD, both inclusive. */
  from?: string
  to?: string
  targetType?: string
  targetId?: number
  /** A person: rows about any of their records (merged ones too), their visits, and lists that showed them. */
  participantId?: number
}

// ----- Backups and retention (0006_backups)

export interface BackupListing {
  /** The file name inside the folder. */
  file: string
  createdAt: string
  bytes: number
  /**
   * 'verified': checked when it was made (opened, integrity check, row counts matched) and its
   * size is still the size recorded then; 'changed': its size differs from its manifest (cut short
   * or altered since); 'unverified': no manifest beside it. A preview checks the contents in full.
   */
  status: 'verified' | 'changed' | 'unverified'
  counts: Record<string, number> | null
}

export interface BackupPreview {
  file: string
  bytes: number
  createdAt: string | null
  counts: Record<string, number>
  migrations: string[]
}

export type BackupSchedule = { kind: 'off' } | { kind: 'daily'; time: string } | { kind: 'hourly'; every: number }

export interface BackupSettings {
  /** An absolute folder path (a USB drive or a network share), or null when none is chosen yet. */
  folder: string | null
  schedule: BackupSchedule
  keepDaily: number
  keepWeekly: number
  /** When these settings were last saved: a new schedule counts from here. */
  savedAt: string | null
}

export interface BackupAttempt {
  at: string
  ok: boolean
  scheduled: boolean
  file: string | null
  /** English, for the audit log and the command line. */
  error: string | null
  /** The same as a shared-catalog key, for the backups screen in its own language (absent on attempts recorded before it). */
  errorRef?: MessageRef
}

/** The latest PRAGMA integrity_check of the live file (a backup checks only its rebuilt copy). */
export interface IntegrityCheck {
  at: string
  ok: boolean
  scheduled: boolean
  /** The first lines integrity_check reported (empty when ok). */
  problems: string[]
}

export type RetentionMode = 'deidentify' | 'purge'

export interface RetentionPolicy {
  enabled: boolean
  years: number
  mode: RetentionMode
}

export interface RetentionPreview {
  policy: RetentionPolicy
  /** Records with activity before this instant are due. */
  cutoff: string
  /** People (records that show) who would be de-identified. */
  people: number
  /** Records merged into them, de-identified with them. */
  mergedRecords: number
  /** Their visits: kept, with dates and services, detached from any name. */
  visits: number
  /** Of those visits, how many carry a note that would be cleared. */
  visitNotes: number
  /** Recorded edits of those visits whose before/after would be redacted. */
  visitChanges: number
  /** Their referrals (0007): kept with kind, agency, dates and outcome status; notes cleared. */
  referrals: number
  /** Their consents: kept with recipient and dates; the purpose wording cleared. */
  consents: number
  /** Their recovery-capital assessments (0008): kept with dates and scores; notes cleared. */
  assessments: number
}

export interface RetentionResult extends RetentionPreview {
  appliedAt: string
}

// ----- Referrals, agencies and consents (0007_referrals)

// The referral types and statuses and what a consent covers live in ./domain (the renderer imports them from there).
export { CLOSED_REFERRAL_STATUSES, CONSENT_INFORMATION, isClosedStatus, OPEN_REFERRAL_STATUSES, REFERRAL_STATUSES, REFERRAL_TYPES } from './domain'
export type { ConsentInformation, ConsentState, ReferralStatus, ReferralType } from './domain'

export interface Agency {
  id: number
  name: string
  types: ReferralType[]
  contactName: string | null
  phone: string | null
  email: string | null
  address: string | null
  website: string | null
  hours: string | null
  notes: string | null
  verifiedOn: string | null
  active: boolean
  /** Referrals to it that are still open. */
  openReferrals: number
  updatedAt: string
  /** Raised by each save or (de)activation by a form (migration 0040). */
  version: number
}


export interface Consent {
  id: number
  participantId: number
  agencyId: number
  agencyName: string
  purpose: string
  information: ConsentInformation[]
  signedOn: string
  expiresOn: string
  revokedAt: string | null
  revokeNote: string | null
  state: ConsentState
  createdAt: string
  createdByName: string | null
}

export interface ReferralPerson {
  id: number
  code: string
  firstName: string | null
  nickname: string | null
  lastName: string | null
}

/** Someone who ticked "Referral" at the desk and has had no referral made since. */
export interface ReferralRequest {
  visitId: number
  visitDate: string
  signedInAt: string
  person: ReferralPerson
}

export interface ReferralRow {
  id: number
  person: ReferralPerson
  agencyId: number
  agencyName: string
  type: ReferralType
  status: ReferralStatus
  referredOn: string
  followUpOn: string | null
  closedOn: string | null
  /** The consent it was shared under, as it stands today; null: nothing was shared. */
  consentState: ConsentState | null
  updatedAt: string
}

export interface ReferralEvent {
  id: number
  status: ReferralStatus
  followUpOn: string | null
  note: string | null
  at: string
  staffName: string | null
}

export interface ReferralDetails extends ReferralRow {
  note: string | null
  outcomeNote: string | null
  consent: Consent | null
  createdByName: string | null
  createdAt: string
  /** Oldest first: how it got where it is. */
  events: ReferralEvent[]
  /** The row version this was read at: an update sends it back, and is refused if another PC saved in between. */
  version: number
}

export type ReferralView = 'open' | 'due' | 'closed' | 'all'

export interface ReferralFilter {
  view?: ReferralView
  type?: ReferralType
  agencyId?: number
  participantId?: number
}

export interface ReferralPage {
  rows: ReferralRow[]
  total: number
  /** Open referrals whose follow-up date is today or past, whatever the view, type or agency (one person's, when filtered to a person). */
  dueCount: number
}

// ----- Recovery capital (0008_assessments)

/** BARC-10: ten statements, each answered 1 (strongly disagree) to 6 (strongly agree). */
export const BARC10_ITEMS = 10
export const BARC10_MIN = 1
export const BARC10_MAX = 6

export interface Assessment {
  id: number
  participantId: number
  instrument: 'barc10'
  takenOn: string
  answers: number[]
  /** 10 to 60. */
  total: number
  note: string | null
  createdAt: string
  createdByName: string | null
  voidedAt: string | null
  voidReason: string | null
}

/**
 * A referral summary for the agency: only what the person's consent lets go to that agency, and
 * the notice against redisclosure that 42 CFR §2.32 requires on every disclosure made with consent.
 */
export interface ReferralSummary {
  centerName: string
  /** The center's day it was printed. */
  printedOn: string
  referral: { id: number; type: ReferralType; referredOn: string; followUpOn: string | null }
  agency: { name: string; contactName: string | null; phone: string | null; address: string | null }
  person: { firstName: string | null; nickname: string | null; lastName: string | null; birthDate: string | null; birthYear: number | null }
  consent: { signedOn: string; expiresOn: string; purpose: string; information: ConsentInformation[] }
  /** Each present only when the consent names it. */
  contact?: { phone: string | null; preferredLanguage: string | null; pronouns: string | null }
  attendance?: { since: string; visits: number; lastVisit: string | null; groupSessions: number }
  referralStatus?: { status: ReferralStatus; note: string | null; events: { on: string; status: ReferralStatus }[] }
}

// ----- Issue 19: safety at the door (restrictions, care flags)


/** A restriction as a manager reads it, reason included. No other role ever receives this shape. */
export interface Restriction {
  id: number
  participantId: number
  kind: RestrictionKind
  reason: string
  startsOn: string
  /** The first day the person may come again (exclusive end); null: until a manager lifts it. */
  endsOn: string | null
  /** In force today: started, not yet ended, not lifted. */
  active: boolean
  liftedAt: string | null
  liftedByName: string | null
  createdAt: string
  createdByName: string | null
}


/** One short, non-clinical line the desk sees at check-in. */
export interface CareFlag {
  id: number
  kind: CareFlagKind
  note: string | null
  createdAt: string
}

/**
 * What the desk sees at check-in: whether to ask a manager first, and the care flags. Never the
 * reason for a restriction, its kind or its dates: the desk only needs to know to ask.
 */
export interface CheckInNotice {
  askManager: boolean
  flags: CareFlag[]
}

/**
 * The peer workforce (issue 16): the pure lists, shapes and period rules the services use and the
 * renderer shows. No Node, no SQL: this file moves to db/domain/ with the others.
 */
import { addDays, addMonths, daysBetween } from './domain/calendar'
import type { Role } from './types'

export { addDays, addMonths, daysBetween }

/** A credential expiring within this many days is 'expiring' and shows on the manager's home. */
export const EXPIRING_DAYS = 60
/** A specialist short of training hours with fewer days than this left in the period is reminded. */
export const SHORT_HOURS_DAYS = 90
/** A scanned copy: PDF, PNG or JPEG, at most this many bytes. */
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
export const DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const
export type DocumentType = (typeof DOCUMENT_TYPES)[number]
export const SUPERVISION_FORMATS = ['individual', 'group'] as const
export type SupervisionFormat = (typeof SUPERVISION_FORMATS)[number]
export const CREDENTIAL_STATUSES = ['active', 'expiring', 'expired', 'renewed'] as const
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number]
/** At most this many hours of training or supervision in one person's day. */
export const MAX_HOURS_A_DAY = 24

export interface WorkforceCategory {
  id: number
  key: string
  nameEn: string
  nameEs: string
  active: boolean
}

export interface CredentialKind {
  id: number
  key: string
  nameEn: string
  nameEs: string
  periodMonths: number
  requiredHours: number
  /** Category key → hours of the total that must be in that category each period. */
  categoryHours: Record<string, number>
}

export interface WorkforceDocument {
  id: number
  fileName: string
  mime: DocumentType
  size: number
}

/** A file sent from the screen: its name and its bytes as base64 (type-checked by content in main). */
export interface DocumentUpload {
  fileName: string
  base64: string
}

export interface Credential {
  id: number
  staffId: number
  kindId: number
  kindNameEn: string
  kindNameEs: string
  issuer: string
  number: string | null
  issuedOn: string
  expiresOn: string | null
  status: CredentialStatus
  /** Days from today to expiry (negative once expired); null without an expiry date. */
  daysLeft: number | null
  document: WorkforceDocument | null
  /** The credential this one renewed, and the one that renewed it: the renewal history. */
  renewsId: number | null
  renewedById: number | null
}

export interface TrainingEntry {
  id: number
  staffId: number
  takenOn: string
  title: string
  provider: string | null
  hours: number
  categoryId: number
  categoryKey: string
  categoryNameEn: string
  categoryNameEs: string
  document: WorkforceDocument | null
  /** A specialist's own entry counts once a manager confirms it. */
  confirmed: boolean
  confirmedByName: string | null
  createdByName: string | null
}

export interface SupervisionEntry {
  id: number
  staffId: number
  supervisorId: number
  supervisorName: string
  heldOn: string
  hours: number
  format: SupervisionFormat
  note: string | null
}

export interface CategoryProgress {
  key: string
  nameEn: string
  nameEs: string
  requiredHours: number
  doneHours: number
  missingHours: number
}

/** One credential's current renewal period: what is done and what is still missing. */
export interface PeriodProgress {
  credentialId: number
  kindNameEn: string
  kindNameEs: string
  from: string
  to: string
  daysLeft: number
  requiredHours: number
  /** Confirmed training in the period. */
  doneHours: number
  /** Logged but not yet confirmed: not counted. */
  pendingHours: number
  /** The larger of the total still missing and the category hours still missing. */
  missingHours: number
  categories: CategoryProgress[]
  supervisionHours: number
}

/** Work and supervision side by side, one calendar month. */
export interface WorkMonth {
  month: string
  groupHours: number
  deskHours: number
  /** Minutes of the coaching contacts they logged, in hours. */
  coachingHours: number
  supervisionHours: number
  trainingHours: number
}

export interface WorkforceStaff {
  id: number
  displayName: string
  role: Role
}

export interface WorkforcePerson {
  staff: WorkforceStaff
  credentials: Credential[]
  training: TrainingEntry[]
  supervision: SupervisionEntry[]
  progress: PeriodProgress[]
  months: WorkMonth[]
}

export interface WorkforceOverviewRow extends WorkforceStaff {
  /** The worst status of their current credentials; null with none recorded. */
  status: CredentialStatus | null
  nextExpiry: string | null
  pendingTraining: number
  missingHours: number
}

export interface WorkforceLists {
  kinds: CredentialKind[]
  categories: WorkforceCategory[]
  /** Whom the viewer may pick: everyone active for a manager or admin, oneself for a specialist. */
  staff: WorkforceStaff[]
}

/** A credential kind as the settings screen edits it: archived ones too, and how many credentials hold it. */
export interface KindSetting extends CredentialKind {
  /** Archived kinds stay on the credentials that hold them and are no longer offered for new ones. */
  active: boolean
  credentials: number
}

/** A training category as the settings screen edits it: how much training uses it, which kinds require it. */
export interface CategorySetting extends WorkforceCategory {
  training: number
  /** The credential kinds whose requirement counts hours in this category. */
  requiredBy: Array<{ id: number; nameEn: string; nameEs: string }>
}

export interface WorkforceSettings {
  kinds: KindSetting[]
  categories: CategorySetting[]
}

/** At most this many hours in a kind's requirement for one period (a long initial training is about 100). */
export const MAX_REQUIRED_HOURS = 1000

interface CredentialReminder {
  staffId: number
  displayName: string
  credentialId: number
  kindNameEn: string
  kindNameEs: string
  /** The expiry, or the period's last day. */
  date: string
  days: number
}

export type WorkforceReminder =
  | (CredentialReminder & { kind: 'expiring' })
  | (CredentialReminder & { kind: 'expired' })
  | (CredentialReminder & { kind: 'short_hours'; missingHours: number })
  | { kind: 'unconfirmed'; staffId: number; displayName: string; count: number }

export interface WorkforceReportRow extends WorkforceStaff {
  status: CredentialStatus | null
  credentials: number
  trainingHours: number
  supervisionHours: number
}

/** The workforce page of the funder report, over a range of days. */
export interface WorkforceReport {
  from: string
  to: string
  /** Staff with any credential or entry, by the worst status of their current credentials (on `to`). */
  byStatus: Record<CredentialStatus | 'none', number>
  trainingHours: number
  trainingByCategory: Array<{ key: string; nameEn: string; nameEs: string; hours: number }>
  supervisionHours: number
  rows: WorkforceReportRow[]
}

// ----- Dates and periods, on calendar days (YYYY-MM-DD), in UTC arithmetic so no zone can shift a day.

export function credentialStatus(expiresOn: string | null, today: string, renewed: boolean): CredentialStatus {
  if (renewed) return 'renewed'
  if (expiresOn === null) return 'active'
  if (expiresOn < today) return 'expired'
  return daysBetween(today, expiresOn) <= EXPIRING_DAYS ? 'expiring' : 'active'
}

const SEVERITY: Record<CredentialStatus, number> = { renewed: 0, active: 1, expiring: 2, expired: 3 }
export function worstStatus(statuses: CredentialStatus[]): CredentialStatus | null {
  const current = statuses.filter((s) => s !== 'renewed')
  return current.length === 0 ? null : current.reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a))
}

/**
 * The renewal period a credential's training counts toward, both ends included. With an expiry
 * date it is the period that ends on it (never before issue); without one, periods of the kind's
 * length follow each other from the issue date and the one holding `today` is current.
 */
export function renewalPeriod(issuedOn: string, expiresOn: string | null, periodMonths: number, today: string): { from: string; to: string } {
  if (expiresOn !== null) {
    const start = addDays(addMonths(expiresOn, -periodMonths), 1)
    return { from: start > issuedOn ? start : issuedOn, to: expiresOn }
  }
  let from = issuedOn
  let next = addMonths(issuedOn, periodMonths)
  for (let n = 1; next <= today; n += 1) {
    from = next
    next = addMonths(issuedOn, periodMonths * (n + 1))
  }
  return { from, to: addDays(next, -1) }
}

export interface CountedTraining {
  takenOn: string
  minutes: number
  categoryKey: string
  confirmed: boolean
}

/** Hours from minutes, to two decimals (what a person reads and a CSV holds). */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100
}

/**
 * Totals for one period against a kind's requirement, and what is still missing. Only confirmed
 * training counts; pending hours are shown beside it. Category hours are part of the total, so a
 * person with the total done but no ethics still misses the ethics hours.
 */
export function periodTotals(
  period: { from: string; to: string },
  requirement: { requiredMinutes: number; categoryMinutes: Record<string, number> },
  training: CountedTraining[],
): { doneMinutes: number; pendingMinutes: number; missingMinutes: number; categories: Array<{ key: string; requiredMinutes: number; doneMinutes: number; missingMinutes: number }> } {
  const inPeriod = training.filter((t) => t.takenOn >= period.from && t.takenOn <= period.to)
  const done = inPeriod.filter((t) => t.confirmed)
  const doneMinutes = done.reduce((sum, t) => sum + t.minutes, 0)
  const pendingMinutes = inPeriod.filter((t) => !t.confirmed).reduce((sum, t) => sum + t.minutes, 0)
  const categories = Object.entries(requirement.categoryMinutes).map(([key, requiredMinutes]) => {
    const categoryDone = done.filter((t) => t.categoryKey === key).reduce((sum, t) => sum + t.minutes, 0)
    return { key, requiredMinutes, doneMinutes: categoryDone, missingMinutes: Math.max(0, requiredMinutes - categoryDone) }
  })
  const categoryMissing = categories.reduce((sum, c) => sum + c.missingMinutes, 0)
  const missingMinutes = Math.max(requirement.requiredMinutes - doneMinutes, categoryMissing, 0)
  return { doneMinutes, pendingMinutes, missingMinutes, categories }
}

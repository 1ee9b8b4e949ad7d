import { todayIso } from '../lib/fields'
import type { ConsentInformation, ConsentState, ReferralStatus, ReferralType } from '../lib/types'

// The renderer may not import db/, so the lists are repeated here; a missing one fails to compile.
export const REFERRAL_TYPES = ['treatment', 'detox', 'mat', 'housing', 'employment', 'transport', 'mental_health', 'other'] as const satisfies readonly ReferralType[]
export const OPEN_STATUSES = ['pending', 'needs_client_action', 'eligible'] as const satisfies readonly ReferralStatus[]
export const CLOSED_STATUSES = [
  'got_help',
  'couldnt_contact',
  'not_eligible',
  'no_capacity',
  'couldnt_get_help',
  'no_longer_interested',
  'referred_elsewhere',
] as const satisfies readonly ReferralStatus[]
export const CONSENT_INFORMATION = ['contact', 'attendance', 'referral_status', 'recovery_goals', 'substance_use'] as const satisfies readonly ConsentInformation[]
type _AllListed = [ReferralType, ReferralStatus, ConsentInformation] extends [
  (typeof REFERRAL_TYPES)[number],
  (typeof OPEN_STATUSES)[number] | (typeof CLOSED_STATUSES)[number],
  (typeof CONSENT_INFORMATION)[number],
]
  ? true
  : never
export const allReferralListsComplete: _AllListed = true

export function isClosed(status: ReferralStatus): boolean {
  return (CLOSED_STATUSES as readonly string[]).includes(status)
}

/** Open steps in calm colors, a good ending green, the other endings grey: the list reads at a glance. */
export const STATUS_COLORS: Record<ReferralStatus, string> = {
  pending: 'blue',
  needs_client_action: 'orange',
  eligible: 'cyan',
  got_help: 'green',
  couldnt_contact: 'gray',
  not_eligible: 'gray',
  no_capacity: 'gray',
  couldnt_get_help: 'gray',
  no_longer_interested: 'gray',
  referred_elsewhere: 'grape',
}

export const CONSENT_COLORS: Record<ConsentState, string> = {
  active: 'green',
  expired: 'gray',
  revoked: 'red',
  not_yet: 'yellow',
}

/** A calendar day N days from today, for default follow-up and consent end dates. */
export function daysFromToday(days: number): string {
  return todayIso(new Date(Date.now() + days * 86_400_000))
}

/** Formats a YYYY-MM-DD calendar day without letting the time zone move it. */
export function formatDay(day: string, language: string): string {
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))
}

/** A status badge shows its whole label: "Waiting on the…" tells a tired person nothing. */
export const NO_TRUNCATE = { root: { maxWidth: 'none', height: 'auto' }, label: { overflow: 'visible', whiteSpace: 'normal' as const } }

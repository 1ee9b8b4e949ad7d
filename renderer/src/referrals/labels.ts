import { todayIso } from '../lib/fields'
import type { ConsentState, ReferralStatus } from '../lib/types'
import { dateTimeFormat } from '../../../shared/intl'

// db's own lists (db/domain), under the names the referral screens use.
export {
  CLOSED_REFERRAL_STATUSES as CLOSED_STATUSES,
  CONSENT_INFORMATION,
  isClosedStatus as isClosed,
  OPEN_REFERRAL_STATUSES as OPEN_STATUSES,
  REFERRAL_TYPES,
} from '../../../db/domain'

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
  return dateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))
}

/** A status badge shows its whole label: "Waiting on the…" tells a tired person nothing. */
export const NO_TRUNCATE = { root: { maxWidth: 'none', height: 'auto' }, label: { overflow: 'visible', whiteSpace: 'normal' as const } }

import type { Language } from '../i18n'
import { dateTimeFormat, numberFormat } from '../../../shared/intl'

/** A center calendar day, YYYY-MM-DD, read as that day wherever this computer is. */
function noonUtc(date: string): Date {
  return new Date(`${date}T12:00:00Z`)
}

/** With the weekday, which a group's day is known by: "Wed, Nov 25" / "mié, 25 nov" (referrals/labels has the plain date). */
export function formatDay(date: string, language: Language, long = false): string {
  return dateTimeFormat(language, { timeZone: 'UTC', weekday: long ? 'long' : 'short', month: long ? 'long' : 'short', day: 'numeric', ...(long ? { year: 'numeric' } : {}) }).format(noonUtc(date))
}

export function shiftDay(date: string, days: number): string {
  const at = noonUtc(date)
  at.setUTCDate(at.getUTCDate() + days)
  return at.toISOString().slice(0, 10)
}

/** The Monday of the week a day is in. */
export function weekStart(date: string): string {
  const weekday = (noonUtc(date).getUTCDay() + 6) % 7
  return shiftDay(date, -weekday)
}

export function percent(rate: number | null, language: Language): string {
  return rate === null ? '—' : numberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(rate)
}

import type { TFunction } from 'i18next'
import type { Language } from '../i18n'
import { getCenterZone, zonedDay, zonedInstantOf, zonedTime } from './zone'
import { dateTimeFormat, relativeTimeFormat } from '../../../shared/intl'

/** The parts of a person the desk needs to tell them apart; both search results and visits have them. */
export interface NameParts {
  firstName: string | null
  nickname: string | null
  lastName: string | null
}

function lastInitial(lastName: string | null): string | null {
  const first = lastName?.trim().charAt(0)
  return first ? `${first.toLocaleUpperCase()}.` : null
}

/**
 * How the desk says a name: first name, nickname in quotes, last initial. Only the initial,
 * so a glance at the screen by someone waiting in line does not give away a full name.
 */
export function shortName(person: NameParts): string {
  return [person.firstName, person.nickname ? `“${person.nickname}”` : null, lastInitial(person.lastName)]
    .filter(Boolean)
    .join(' ')
}

export function anonymousName(t: TFunction, code: string | null): string {
  return code ? t('person.anonymousWithCode', { code }) : t('person.anonymous')
}

/** Who a visit was for, as the desk says it. */
export function visitorName(
  t: TFunction,
  visit: { participant: NameParts | null; anonymousCode: string | null },
): string {
  return visit.participant ? shortName(visit.participant) : anonymousName(t, visit.anonymousCode)
}

/** HH:mm in the center's time zone, 24-hour as the brief for the desk asks. */
export function formatTime(iso: string, language: Language): string {
  return dateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: getCenterZone() }).format(new Date(iso))
}

/** A date the desk can read at a glance ("Nov 3, 2026" / "3 nov 2026"). */
export function formatDate(iso: string, language: Language): string {
  return dateTimeFormat(language, { dateStyle: 'medium', timeZone: getCenterZone() }).format(new Date(iso))
}

/**
 * The search's rows ask these again for every answer (twenty people, each answer new objects), and
 * Intl's formatToParts and format were most of a row's cost: kept per zone and second (a zone's
 * day turns only on a second's boundary) or per text, and dropped whole once large.
 */
const dayNumbers = new Map<string, number>()
const lastVisitDates = new Map<string, string>()
const CACHE_LIMIT = 5000

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const known = cache.get(key)
  if (known !== undefined) return known
  if (cache.size >= CACHE_LIMIT) cache.clear()
  const made = make()
  cache.set(key, made)
  return made
}

/** Days since 1970 of the center's calendar day of an instant. */
function dayNumber(at: Date): number {
  return remember(dayNumbers, `${getCenterZone() ?? ''}|${Math.floor(at.getTime() / 1000)}`, () => Date.parse(`${zonedDay(at)}T00:00:00Z`) / 86_400_000)
}

/** "today" / "yesterday" for the last two days, else a date: recent visits matter most at the desk. */
export function formatLastVisit(iso: string, language: Language, now: Date = new Date()): string {
  const diff = dayNumber(now) - dayNumber(new Date(iso))
  if (diff === 0 || diff === 1) {
    return relativeTimeFormat(language, { numeric: 'auto' }).format(-diff, 'day')
  }
  return remember(lastVisitDates, `${language}|${getCenterZone() ?? ''}|${iso}`, () => formatDate(iso, language))
}

/** "45 min", "2 h 05 min": how long someone has been (or was) on site. */
export function formatDuration(t: TFunction, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000))
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return hours > 0 ? t('duration.hm', { h: hours, m: String(rest).padStart(2, '0') }) : t('duration.m', { m: rest })
}

/** The center's "HH:mm" of a timestamp, for a time field. */
export function toTimeField(iso: string): string {
  return zonedTime(new Date(iso))
}

/** A time field's "HH:mm" on the same center day as `dayOf`, back to an ISO timestamp. */
export function fromTimeField(dayOf: string, time: string): string {
  return zonedInstantOf(zonedDay(new Date(dayOf)), time).toISOString()
}

/** The whole name, for staff screens about one person (the profile, a merge): never on the kiosk. */
export function fullName(person: NameParts): string {
  return [person.firstName, person.nickname ? `“${person.nickname}”` : null, person.lastName].filter(Boolean).join(' ')
}

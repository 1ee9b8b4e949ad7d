import type { TFunction } from 'i18next'
import type { Language } from '../i18n'

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

/** HH:mm in the computer's time zone, 24-hour as the brief for the desk asks. */
export function formatTime(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso))
}

/** A date the desk can read at a glance ("Nov 3, 2026" / "3 nov 2026"). */
export function formatDate(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(iso))
}

/** "today" / "yesterday" for the last two days, else a date: recent visits matter most at the desk. */
export function formatLastVisit(iso: string, language: Language, now: Date = new Date()): string {
  const day = (d: Date) => Math.floor((d.getTime() - d.getTimezoneOffset() * 60_000) / 86_400_000)
  const diff = day(now) - day(new Date(iso))
  if (diff === 0 || diff === 1) {
    return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(-diff, 'day')
  }
  return formatDate(iso, language)
}

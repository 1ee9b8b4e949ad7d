import { RRuleTemporal } from 'rrule-temporal'
import { Temporal } from 'temporal-polyfill'
import { MONTH_WEEKS, WEEKDAYS, type MonthWeek, type SchedulePattern, type Weekday } from '../groups-types'
import { ServiceError } from './context'

/**
 * A group's schedule is RFC 5545 text (DTSTART;TZID=<center zone>, RRULE, EXDATE, RDATE), expanded
 * by rrule-temporal, which works in wall-clock time in the zone: a 6:30 pm group stays at 6:30 pm
 * across daylight-saving changes. An occurrence whose wall time does not exist (2:30 am on a
 * spring-forward night) is skipped, as RFC 5545 3.3.10 requires; one on a fall-back night happens
 * once, at the first of the two times. The text is the truth; the form's pattern is read back from it.
 */

export interface Occurrence {
  /** The occurrence's local date and time, YYYY-MM-DDTHH:MM: what a session is keyed by. */
  key: string
  date: string
  time: string
  startsAt: string
}

/** More than this many sessions in a year is a mistake (a daily or hourly rule), not a group. */
export const MAX_PER_YEAR = 1000

const compact = (date: string, time: string) => `${date.replaceAll('-', '')}T${time.replace(':', '')}00`

const ON_SCHEDULE = { field: 'schedule' } as const

/** The RFC 5545 text for the schedule form's pattern, in the center's zone. */
export function scheduleText(pattern: SchedulePattern, timeZone: string): string {
  if (pattern.weekdays.length === 0) throw new ServiceError('VALIDATION', 'schedule.chooseDay', ON_SCHEDULE)
  let byDay = pattern.weekdays.join(',')
  if (pattern.frequency === 'monthly') {
    if (pattern.weekdays.length !== 1 || !pattern.monthWeek) throw new ServiceError('VALIDATION', 'schedule.monthly', ON_SCHEDULE)
    byDay = `${pattern.monthWeek}${pattern.weekdays[0]}`
  }
  const parts = [`FREQ=${pattern.frequency === 'weekly' ? 'WEEKLY' : 'MONTHLY'}`]
  if (pattern.interval > 1) parts.push(`INTERVAL=${pattern.interval}`)
  parts.push(`BYDAY=${byDay}`)
  if (pattern.until) {
    // UNTIL is UTC when DTSTART has a zone (RFC 5545): the last instant of that day at the center.
    const end = Temporal.PlainDate.from(pattern.until).add({ days: 1 }).toZonedDateTime(timeZone).subtract({ seconds: 1 }).toInstant()
    parts.push(`UNTIL=${end.toString({ smallestUnit: 'second' }).replace(/[-:]/g, '')}`)
  }
  const lines = [`DTSTART;TZID=${timeZone}:${compact(pattern.startDate, pattern.startTime)}`, `RRULE:${parts.join(';')}`]
  const dates = (list: string[] | undefined) => [...new Set(list ?? [])].sort().map((day) => compact(day, pattern.startTime))
  if (pattern.exDates?.length) lines.push(`EXDATE;TZID=${timeZone}:${dates(pattern.exDates).join(',')}`)
  if (pattern.rDates?.length) lines.push(`RDATE;TZID=${timeZone}:${dates(pattern.rDates).join(',')}`)
  return lines.join('\n')
}

const iso = (stamp: string) => `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`

/** The form's pattern read back from text this app wrote; null for text it cannot show as a form. */
export function schedulePattern(text: string): SchedulePattern | null {
  const lines = Object.fromEntries(text.split(/\r?\n/).map((line) => [line.split(/[;:]/, 1)[0]!, line]))
  const start = /^DTSTART;TZID=[^:]+:(\d{8})T(\d{2})(\d{2})00$/.exec(lines.DTSTART ?? '')
  const rule = /^RRULE:(.+)$/.exec(lines.RRULE ?? '')
  if (!start || !rule) return null
  const fields = Object.fromEntries(rule[1]!.split(';').map((part) => part.split('=') as [string, string]))
  const frequency = fields.FREQ === 'WEEKLY' ? 'weekly' : fields.FREQ === 'MONTHLY' ? 'monthly' : null
  if (!frequency || !fields.BYDAY) return null
  const days = fields.BYDAY.split(',').map((day) => /^(-?\d)?([A-Z]{2})$/.exec(day))
  if (days.some((d) => !d || !(WEEKDAYS as readonly string[]).includes(d[2]!))) return null
  const monthWeek = frequency === 'monthly' ? (Number(days[0]![1]) as MonthWeek) : null
  if (frequency === 'monthly' && (days.length !== 1 || !(MONTH_WEEKS as readonly number[]).includes(monthWeek ?? 0))) return null
  const list = (line: string | undefined) => (line ? line.slice(line.indexOf(':') + 1).split(',').map(iso) : [])
  let until: string | null = null
  if (fields.UNTIL) {
    const zone = /TZID=([^:]+)/.exec(lines.DTSTART!)![1]!
    const instant = Temporal.Instant.from(`${iso(fields.UNTIL)}T${fields.UNTIL.slice(9, 11)}:${fields.UNTIL.slice(11, 13)}:${fields.UNTIL.slice(13, 15)}Z`)
    until = instant.toZonedDateTimeISO(zone).toPlainDate().toString()
  }
  return {
    startDate: iso(start[1]!),
    startTime: `${start[2]}:${start[3]}`,
    frequency,
    interval: Number(fields.INTERVAL ?? 1),
    weekdays: days.map((d) => d![2] as Weekday),
    monthWeek,
    until,
    exDates: list(lines.EXDATE),
    rDates: list(lines.RDATE),
  }
}

function parse(text: string): RRuleTemporal<Temporal.ZonedDateTime> {
  try {
    return new RRuleTemporal({ rruleString: text, temporal: Temporal })
  } catch (error) {
    throw new ServiceError('VALIDATION', 'schedule.invalidRule', { ...ON_SCHEDULE, reason: error instanceof Error ? error.message : 'unreadable' })
  }
}

/**
 * Refuses a schedule that is not in the center's zone, never produces a session, or produces more
 * than MAX_PER_YEAR in its first year. Nothing is written before this passes.
 */
export function checkSchedule(text: string, timeZone: string): void {
  const zone = /^DTSTART;TZID=([^:;]+):\d{8}T\d{6}$/m.exec(text)?.[1]
  if (!zone) throw new ServiceError('VALIDATION', 'schedule.needsStart', ON_SCHEDULE)
  if (zone !== timeZone) throw new ServiceError('VALIDATION', 'schedule.wrongZone', { ...ON_SCHEDULE, zone: timeZone, given: zone })
  const rule = parse(text)
  let first: Temporal.ZonedDateTime[]
  try {
    // Bounded: a rule that never matches gives up after the library's iteration cap, not forever.
    first = rule.all((_, index) => index <= MAX_PER_YEAR)
  } catch {
    first = []
  }
  if (first.length === 0) throw new ServiceError('VALIDATION', 'schedule.never', ON_SCHEDULE)
  if (first.length > MAX_PER_YEAR) {
    const yearAfter = first[0]!.add({ years: 1 })
    if (Temporal.ZonedDateTime.compare(first[MAX_PER_YEAR]!, yearAfter) < 0) {
      throw new ServiceError('VALIDATION', 'schedule.tooMany', { ...ON_SCHEDULE, max: MAX_PER_YEAR })
    }
  }
}

/** Every occurrence whose local date is within [from, to] (YYYY-MM-DD, inclusive) at the center. */
export function expandSchedule(text: string, from: string, to: string, timeZone: string): Occurrence[] {
  const rule = parse(text)
  const start = Temporal.PlainDate.from(from).toZonedDateTime(timeZone)
  const end = Temporal.PlainDate.from(to).add({ days: 1 }).toZonedDateTime(timeZone)
  return rule
    .between(new Date(start.epochMilliseconds), new Date(end.epochMilliseconds - 1), true)
    .map((at) => {
      const local = at.withTimeZone(timeZone)
      const date = local.toPlainDate().toString()
      const time = local.toPlainTime().toString({ smallestUnit: 'minute' })
      return { key: `${date}T${time}`, date, time, startsAt: new Date(local.epochMilliseconds).toISOString() }
    })
}

/** The instant a local date and time at the center happen (a time skipped by a clock change moves later). */
export function localInstant(date: string, time: string, timeZone: string): string {
  const at = Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timeZone, { disambiguation: 'compatible' })
  return new Date(at.epochMilliseconds).toISOString()
}

/** A calendar day moved by a number of days, YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString()
}

import type { DateRange, Grain, RangePreset, RangeRequest, ResolvedRange } from '../../report-types'
import { localDate, ServiceError, type ServiceContext } from '../context'

// Calendar arithmetic on YYYY-MM-DD strings. A calendar date has no zone: the zone only decides
// which date "today" is (localDate), so UTC arithmetic on the date itself is exact.

const DAY_MS = 86_400_000

function parts(date: string): [number, number, number] {
  return date.split('-').map(Number) as [number, number, number]
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

function utc(date: string): number {
  const [y, m, d] = parts(date)
  return Date.UTC(y, m - 1, d)
}

export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && fromUtc(utc(date)) === date
}

export function addDays(date: string, days: number): string {
  return fromUtc(utc(date) + days * DAY_MS)
}

/** Days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utc(b) - utc(a)) / DAY_MS)
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** The same day `months` months away; the 31st becomes the last day of a shorter month, and a month's last day stays its last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date)
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = (index % 12) + 1
  const last = lastDayOfMonth(year, month)
  const day = d === lastDayOfMonth(y, m) ? last : Math.min(d, last)
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`
}

/** Monday of the date's week (ISO weeks). */
export function weekStart(date: string): string {
  const weekday = (new Date(utc(date)).getUTCDay() + 6) % 7
  return addDays(date, -weekday)
}

/** Months each preset spans: its previous period is the same stretch that many months earlier. */
const PRESET_MONTHS: Record<RangePreset, number> = {
  this_month: 1,
  last_month: 1,
  this_quarter: 3,
  last_quarter: 3,
  this_year: 12,
  last_12_months: 12,
}

function presetRange(preset: RangePreset, today: string): DateRange {
  const [y, m] = parts(today)
  const quarterStart = `${y}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`
  switch (preset) {
    case 'this_month':
      return { from: monthStart(today), to: addDays(addMonths(monthStart(today), 1), -1) }
    case 'last_month': {
      const from = addMonths(monthStart(today), -1)
      return { from, to: addDays(monthStart(today), -1) }
    }
    case 'this_quarter':
      return { from: quarterStart, to: addDays(addMonths(quarterStart, 3), -1) }
    case 'last_quarter':
      return { from: addMonths(quarterStart, -3), to: addDays(quarterStart, -1) }
    case 'this_year':
      return { from: `${y}-01-01`, to: `${y}-12-31` }
    case 'last_12_months':
      return { from: addDays(addMonths(today, -12), 1), to: today }
  }
}

export const MAX_RANGE_YEARS = 10

function grainFor(days: number): Grain {
  if (days <= 62) return 'day'
  if (days <= 190) return 'week'
  return 'month'
}

/**
 * Turns what the manager asked for into the range the figures count, or a clear refusal: a date
 * that is not on the calendar, a range that ends before it starts, one that has not started yet,
 * one over ten years. A range reaching past today is counted up to today, and its previous
 * period is the same stretch before it (for a preset, the same days one period earlier: this
 * month so far beside the same days of last month).
 */
export function resolveRange(ctx: ServiceContext, request: RangeRequest): ResolvedRange {
  const today = localDate(ctx)
  const preset = 'preset' in request ? request.preset : null
  const { from, to } = preset ? presetRange(preset, today) : (request as DateRange)
  if (!isCalendarDate(from)) throw new ServiceError('VALIDATION', 'reports.fromDate', { field: 'from' })
  if (!isCalendarDate(to)) throw new ServiceError('VALIDATION', 'reports.toDate', { field: 'to' })
  if (to < from) throw new ServiceError('VALIDATION', 'reports.endsBeforeStart', { field: 'to' })
  if (from > today) throw new ServiceError('VALIDATION', 'reports.notStarted', { field: 'from' })
  if (to >= addMonths(from, MAX_RANGE_YEARS * 12)) {
    throw new ServiceError('VALIDATION', 'reports.tooLong', { field: 'from', years: MAX_RANGE_YEARS })
  }
  const countedTo = to > today ? today : to
  const days = daysBetween(from, countedTo) + 1
  let previous: DateRange
  if (preset) {
    const months = PRESET_MONTHS[preset]
    previous = { from: addMonths(from, -months), to: addMonths(countedTo, -months) }
  } else {
    previous = { from: addDays(from, -days), to: addDays(from, -1) }
  }
  return { from, to, preset, countedTo, previous, grain: grainFor(days), days }
}

/** The first day of every bucket from `from` to `to`, so a chart shows the quiet days as zeros. */
export function buckets(range: DateRange, grain: Grain): string[] {
  const first = grain === 'day' ? range.from : grain === 'week' ? weekStart(range.from) : monthStart(range.from)
  const out: string[] = []
  for (let at = first; at <= range.to; at = grain === 'day' ? addDays(at, 1) : grain === 'week' ? addDays(at, 7) : addMonths(at, 1)) out.push(at)
  return out
}

// ----- The center's clock: where its UTC offset changes (daylight saving) within a stretch of time.

const offsetFormats = new Map<string | undefined, Intl.DateTimeFormat>()

/** Minutes the center's clock is ahead of UTC at an instant. */
export function offsetMinutes(timeZone: string | undefined, at: number): number {
  let format = offsetFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
    offsetFormats.set(timeZone, format)
  }
  const p = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]))
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!)
  return Math.round((wall - Math.floor(at / 60_000) * 60_000) / 60_000)
}

/** A stretch of time with one UTC offset: from `since` (ms; -Infinity for the first) on. */
export interface OffsetSpan {
  since: number
  minutes: number
}

/**
 * The offsets in force from `start` to `end` (ms), with the instant each took effect. Sampled
 * every 6 hours, then narrowed to the millisecond: zones change their offset at most a few times a year.
 */
export function offsetSpans(timeZone: string | undefined, start: number, end: number): OffsetSpan[] {
  const step = 6 * 3_600_000
  const spans: OffsetSpan[] = [{ since: -Infinity, minutes: offsetMinutes(timeZone, start) }]
  for (let at = start; at < end; at += step) {
    const next = Math.min(at + step, end)
    const minutes = offsetMinutes(timeZone, next)
    if (minutes === spans[spans.length - 1]!.minutes) continue
    let low = at
    let high = next
    while (high - low > 1) {
      const mid = low + Math.floor((high - low) / 2)
      if (offsetMinutes(timeZone, mid) === minutes) high = mid
      else low = mid
    }
    spans.push({ since: high, minutes })
  }
  return spans
}

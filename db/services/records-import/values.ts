import { createRequire } from 'node:module'
import { HOUSING_STATUSES, VETERAN_STATUSES, type HousingStatus, type VeteranStatus } from '../../domain/participant-fields'
import { normalizeName } from '../participant-fields'

/**
 * One cell's text as a date, a time of day, a phone number or a fixed answer: the forms old
 * spreadsheets use. Each returns null when the text is not one (the caller names the row and column).
 */

const pad = (n: number) => String(n).padStart(2, '0')

function realDay(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return null
  const at = new Date(Date.UTC(year, month - 1, day))
  return at.getUTCMonth() === month - 1 ? `${year}-${pad(month)}-${pad(day)}` : null
}

/**
 * date-fns, read on the first date that needs it (CommonJS, from its own files). Imported as an ES
 * module at the top, Node loaded every one of its ~250 modules into main and each worker: +330 MB
 * resident and seconds at start (+14 MB this way, and only for a file with such dates).
 */
let dateFns: { parse: typeof import('date-fns/parse').parse; isValid: typeof import('date-fns/isValid').isValid } | null = null
function readDateFns(): NonNullable<typeof dateFns> {
  if (!dateFns) {
    const require = createRequire(import.meta.url)
    dateFns = { parse: (require('date-fns/parse') as typeof import('date-fns/parse')).parse, isValid: (require('date-fns/isValid') as typeof import('date-fns/isValid')).isValid }
  }
  return dateFns
}

/** Forms beyond the two quick ones below, tried in order (US month first: this is a US app). */
const DATE_FORMATS = ['M/d/yy', 'M-d-yyyy', 'M-d-yy', 'M.d.yyyy', 'yyyy/M/d', 'MMM d, yyyy', 'MMMM d, yyyy', 'MMM d yyyy', 'd MMM yyyy', 'd MMMM yyyy', 'yyyyMMdd']

/**
 * A date as YYYY-MM-DD: ISO (2024-03-05, with a time after it or not), US (3/5/2024, 03/05/24,
 * 3-5-2024), or written out (Mar 5, 2024; 5 March 2024). `today` (the center's YYYY-MM-DD) settles a
 * two-digit year: the center's year, not the year in this computer's zone (they differ on New Year's Eve).
 */
export function parseDay(text: string, today: string): string | null {
  const value = text.trim()
  // The two forms nearly every file uses, without date-fns: 200,000 rows parse in milliseconds.
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(value)
  if (match) return realDay(Number(match[1]), Number(match[2]), Number(match[3]))
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: .*)?$/.exec(value)
  if (match) return realDay(Number(match[3]), Number(match[1]), Number(match[2]))
  // date-fns sets and reads the fields in the machine's zone, the same zone both ways, so the day
  // comes back as written; only the reference is built here, mid-year in the center's year.
  const reference = new Date(Number(today.slice(0, 4)), 6, 1)
  const { parse, isValid } = readDateFns()
  for (const format of DATE_FORMATS) {
    const at = parse(value, format, reference)
    if (isValid(at)) return realDay(at.getFullYear(), at.getMonth() + 1, at.getDate())
  }
  return null
}

/** A time of day as HH:MM (24-hour): 9:30, 09:30:00, 9:30 AM, 9:30pm, 9 pm, 1330, or the time in "2024-03-05 09:30". */
export function parseTime(text: string): string | null {
  let value = text.trim().toLowerCase().replace(/\./g, '')
  const stamp = /^\d{4}-\d{1,2}-\d{1,2}[t ](.+)$/.exec(value)
  if (stamp) value = stamp[1]!.replace(/(z|[+-]\d{2}:?\d{2})$/, '')
  const match = /^(\d{1,2})(?::?(\d{2}))?(?::(\d{2})(?:\d*)?)?\s*(am|pm|a|p)?$/.exec(value)
  if (!match) return null
  let hour = Number(match[1])
  const minute = Number(match[2] ?? '0')
  const half = match[4]
  if (minute > 59) return null
  if (half) {
    if (hour < 1 || hour > 12) return null
    hour = (hour % 12) + (half.startsWith('p') ? 12 : 0)
  } else if (hour > 23 || (match[2] === undefined && value.length > 2)) {
    return null
  }
  return `${pad(hour)}:${pad(minute)}`
}

/** A phone number's digits, from any common way of writing it; null when it is not one. */
export function parsePhone(text: string): string | null {
  const value = text.trim()
  if (!/^[+\d\s().\-/x]+$/i.test(value)) return null
  const digits = value.replace(/x.*$/i, '').replace(/\D/g, '')
  return digits.length >= 7 && digits.length <= 15 ? value.replace(/\s+/g, ' ') : null
}

const VETERAN_WORDS: Record<string, VeteranStatus> = { y: 'yes', yes: 'yes', si: 'yes', true: 'yes', '1': 'yes', n: 'no', no: 'no', false: 'no', '0': 'no' }

export function parseVeteran(text: string): VeteranStatus | null {
  const key = normalizeName(text)
  if ((VETERAN_STATUSES as readonly string[]).includes(key)) return key as VeteranStatus
  return VETERAN_WORDS[key] ?? null
}

export function parseHousing(text: string): HousingStatus | null {
  const key = normalizeName(text).replace(/[\s-]+/g, '_')
  return (HOUSING_STATUSES as readonly string[]).includes(key) ? (key as HousingStatus) : null
}

/**
 * The UTC instant of a wall-clock time on a day in the center's zone. The zone's offset is asked
 * once per day and hour (an Intl formatter per row would cost 200,000 formatters).
 */
export class CenterClock {
  private readonly offsets = new Map<string, number>()
  private readonly format: Intl.DateTimeFormat

  constructor(timeZone: string | undefined) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
  }

  private offsetAt(at: number): number {
    const parts = this.format.formatToParts(new Date(at))
    const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
    return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')) - Math.floor(at / 60_000) * 60_000
  }

  instant(day: string, time: string): string {
    const wall = Date.parse(`${day}T${time}:00.000Z`)
    const key = `${day}T${time.slice(0, 2)}`
    let offset = this.offsets.get(key)
    if (offset === undefined) {
      offset = this.offsetAt(wall - this.offsetAt(wall))
      this.offsets.set(key, offset)
    }
    return new Date(wall - offset).toISOString()
  }
}

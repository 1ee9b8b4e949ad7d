import { dateTimeFormat } from '../../../shared/intl'

/**
 * The center's time zone on screen. Main counts days, closing times and group sessions in the
 * center's zone (Settings → Center); the screens show times in the same zone, so a PC whose
 * clock is set to another zone still shows the desk's day as the records keep it. Set once from
 * app.status; until then (and in tests that never set it) this computer's zone.
 */
let centerZone: string | undefined

export function setCenterZone(zone: string | undefined): void {
  centerZone = zone
}

export function getCenterZone(): string | undefined {
  return centerZone
}

function parts(at: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const list = dateTimeFormat('en-US', {
    timeZone: centerZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(list.find((p) => p.type === type)?.value ?? 0)
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The center's calendar day of an instant, YYYY-MM-DD. */
export function zonedDay(at: Date): string {
  const p = parts(at)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`
}

/** The center's wall-clock "HH:mm" of an instant. */
export function zonedTime(at: Date): string {
  const p = parts(at)
  return `${pad(p.hour)}:${pad(p.minute)}`
}

/** The instant a wall-clock "HH:mm" happens on a center's day (the later one on a fall-back night's repeat). */
export function zonedInstantOf(day: string, time: string): Date {
  const naive = Date.parse(`${day}T${time}:00Z`)
  const offset = (at: Date) => {
    const p = parts(at)
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at.getTime() / 1000) * 1000
  }
  let at = new Date(naive - offset(new Date(naive)))
  at = new Date(naive - offset(at))
  return at
}

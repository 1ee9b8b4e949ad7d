import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../schema'

/** Who is acting and when; every use case takes one. `staffId` is null only before anyone signed in. */
export interface ServiceContext {
  readonly db: Kysely<Database>
  readonly staffId: number | null
  readonly now: () => Date
  /** IANA time zone of the center, for "today"; defaults to this computer's. */
  readonly timeZone?: string
}

export type Trx = Transaction<Database>

export type ServiceErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'ALREADY_SIGNED_IN'
  | 'ALREADY_SET_UP'
  | 'AUTH_FAILED'
  | 'LOCKED_OUT'
  | 'NOT_READY'
  | 'WRONG_PASSPHRASE'
  | 'DISK_FULL'
  | 'RESTORE_FAILED'
  /** Allowed by role, refused by scope: a facilitator and another facilitator's group. */
  | 'FORBIDDEN'
  /** The same person to the same agency within a week: asked first, allowed on purpose. */
  | 'RECENT_REFERRAL'

/** An expected refusal, with a message fit to show to the person at the desk. */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'ServiceError'
  }
}

export function isoNow(ctx: ServiceContext): string {
  return ctx.now().toISOString()
}

/** The center's calendar date for an instant, YYYY-MM-DD. */
/** Building an Intl formatter costs a fifth of a millisecond; every sign-in needs one. */
const dateFormats = new Map<string | undefined, Intl.DateTimeFormat>()

export function localDate(ctx: ServiceContext, at: Date = ctx.now()): string {
  let format = dateFormats.get(ctx.timeZone)
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dateFormats.set(ctx.timeZone, format)
  }
  return format.format(at)
}

/** SQLite's "database or disk is full" (SQLITE_FULL), or the operating system's ENOSPC beneath it. */
export function isDiskFull(error: unknown): boolean {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || (error instanceof Error && /database or disk is full|no space left/i.test(error.message))
}

export const DISK_FULL_MESSAGE =
  'The disk is full: free space on this computer (empty the recycle bin, move or delete large files), then try again. ' +
  'What you just entered was not saved; everything saved before it is safe.'

/**
 * Runs a use case in one transaction: all of it commits, or none of it does. A full disk rolls
 * the transaction back like any other failure, and is reported as DISK_FULL, which a person can act on.
 */
export async function inTransaction<T>(ctx: ServiceContext, work: (trx: Trx) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction().execute(work)
  } catch (error) {
    if (isDiskFull(error)) throw new ServiceError('DISK_FULL', DISK_FULL_MESSAGE)
    throw error
  }
}

/** How far the center's clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffset(timeZone: string | undefined, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

/** The instant (ISO UTC) a center's calendar day YYYY-MM-DD starts, for comparing with timestamps. */
export function localDayStart(ctx: ServiceContext, date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const midnightUtc = Date.UTC(year, month - 1, day)
  let at = midnightUtc - zoneOffset(ctx.timeZone, new Date(midnightUtc))
  // Across a daylight-saving change the offset at the guess can differ from the one at midnight.
  const again = midnightUtc - zoneOffset(ctx.timeZone, new Date(at))
  if (again !== at) at = again
  return new Date(at).toISOString()
}

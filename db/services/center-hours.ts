import type { ExpressionBuilder, Kysely } from 'kysely'
import { dateTimeFormat } from '../../shared/intl'
import type { Database } from '../schema'
import type { AutoClose, CenterHours } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext } from './context'
import { putSetting } from './settings-store'
import { visibleVisit } from './visible-visits'

export type { AutoClose, CenterHours }

const KEY = 'center_hours'
const LAST_AUTO_CLOSE = 'visits_auto_close'

/** What most drop-in centers keep; an admin sets the center's own under Settings. */
export const DEFAULT_HOURS: Readonly<CenterHours> = Object.freeze({ opensAt: '09:00', closesAt: '17:00' })

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/

export async function getCenterHours(db: Kysely<Database>): Promise<CenterHours> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  if (!row) return { ...DEFAULT_HOURS }
  try {
    const stored = JSON.parse(row.value) as Partial<CenterHours>
    if (typeof stored.opensAt === 'string' && typeof stored.closesAt === 'string' && TIME.test(stored.opensAt) && TIME.test(stored.closesAt)) {
      return { opensAt: stored.opensAt, closesAt: stored.closesAt }
    }
  } catch {
    // A damaged value falls back to the defaults rather than stopping the desk.
  }
  return { ...DEFAULT_HOURS }
}

export async function setCenterHours(ctx: ServiceContext, hours: CenterHours): Promise<CenterHours> {
  if (!TIME.test(hours.opensAt)) throw new ServiceError('VALIDATION', 'hours.opensAt', { field: 'opensAt' })
  if (!TIME.test(hours.closesAt)) throw new ServiceError('VALIDATION', 'hours.closesAt', { field: 'closesAt' })
  // A day's visits belong to one calendar day: hours past midnight would put them on the next.
  if (hours.closesAt <= hours.opensAt) {
    throw new ServiceError('VALIDATION', 'hours.closesBeforeOpens', { field: 'closesAt' })
  }
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    await putSetting(trx, KEY, hours, at)
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'settings.hours', detail: { ...hours } })
    return { ...hours }
  })
}

/**
 * The UTC offset, in minutes, that a time zone has at an instant. The formatter is the shared one:
 * each new Intl.DateTimeFormat holds some 8 KB of ICU data outside V8's heap that only a full
 * collection frees. Two per visit left open (10,225 in the bench's data) had 100 MB of it alive
 * at the start's end, and glibc kept the 173 MB heap they had grown for the rest of the run.
 */
function offsetMinutes(at: Date, timeZone?: string): number {
  const parts = dateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000)
}

/**
 * The instant a wall-clock time of a center's calendar day happens, in its time zone: 17:00 on
 * 2027-03-14 in New York is 21:00 UTC (after the spring change), on 2027-03-13 it was 22:00.
 */
export function zonedInstant(day: string, time: string, timeZone?: string): Date {
  const naive = Date.parse(`${day}T${time}:00Z`)
  let at = new Date(naive - offsetMinutes(new Date(naive), timeZone) * 60_000)
  // Once more with the offset at the guess itself, for a day whose offset changes before `time`.
  at = new Date(naive - offsetMinutes(at, timeZone) * 60_000)
  return at
}

/** Today's closing time as an instant; End of day proposes it once the center has closed. */
export async function closingToday(ctx: ServiceContext): Promise<Date> {
  const hours = await getCenterHours(ctx.db)
  return zonedInstant(localDate(ctx), hours.closesAt, ctx.timeZone)
}

/** Rows of visit_changes written per INSERT: 7 values each, well under either engine's limit on parameters. */
const CHANGES_PER_INSERT = 500

/**
 * Visits still open from an earlier day (nobody pressed End of day) are closed at that day's
 * closing time, or at their sign-in when that came later, so a forgotten evening does not
 * count as a week on site. Each is recorded as a sign-out by no staff member, with the reason,
 * and the run is audited and remembered for the desk's notice. Runs when the records open and
 * at midnight while Porchlight runs; a run with nothing to close writes nothing.
 *
 * One UPDATE per day left open (the closing instant is the day's own, by the center's zone, which
 * SQL cannot work out on SQLite), each returning what it closed for the visit_changes rows: the
 * first start on a file with years of forgotten visits closed some 10,000 of them one statement
 * at a time, twice per visit.
 */
export async function closeStaleVisits(ctx: ServiceContext): Promise<AutoClose | null> {
  const today = localDate(ctx)
  // The days are found and their visits closed by the same test, re-checked inside the transaction.
  const leftOpen = (eb: ExpressionBuilder<Database, 'visits'>) => eb.and([eb('signed_out_at', 'is', null), eb('voided_at', 'is', null), visibleVisit()])
  const days = await ctx.db.selectFrom('visits').select('visit_date').distinct().where('visit_date', '<', today).where(leftOpen).orderBy('visit_date').execute()
  if (days.length === 0) return null
  const hours = await getCenterHours(ctx.db)
  const system: ServiceContext = { ...ctx, staffId: null }
  return inTransaction(system, async (trx) => {
    const now = isoNow(ctx)
    const closed: Array<{ id: number; signed_out_at: string | null }> = []
    for (const { visit_date: day } of days) {
      const closing = zonedInstant(day, hours.closesAt, ctx.timeZone).toISOString()
      const rows = await trx
        .updateTable('visits')
        .set((eb) => ({
          signed_out_at: eb.case().when('signed_in_at', '>', closing).then(eb.ref('signed_in_at')).else(closing).end(),
          updated_at: now,
        }))
        .where('visit_date', '=', day)
        .where(leftOpen)
        .returning(['id', 'signed_out_at'])
        .execute()
      closed.push(...rows)
    }
    // Another desk (on a shared server) may have closed them first: then nothing is written here.
    if (closed.length === 0) return null
    closed.sort((a, b) => a.id - b.id)
    for (let start = 0; start < closed.length; start += CHANGES_PER_INSERT) {
      await trx
        .insertInto('visit_changes')
        .values(
          closed.slice(start, start + CHANGES_PER_INSERT).map((visit) => ({
            visit_id: visit.id,
            kind: 'sign_out_all' as const,
            reason: 'Left open on an earlier day: closed by Porchlight at that day’s closing time.',
            before: JSON.stringify({ signedOutAt: null }),
            after: JSON.stringify({ signedOutAt: visit.signed_out_at }),
            staff_id: null,
            at: now,
          })),
        )
        .execute()
    }
    const result = { at: now, count: closed.length }
    await putSetting(trx, LAST_AUTO_CLOSE, result, now)
    await appendAudit(trx, now, { staffId: null, action: 'visit.auto_close', detail: { count: closed.length, visitIds: closed.map((v) => v.id) } })
    return result
  })
}

/** The last time Porchlight closed forgotten visits, for the desk's notice that day. */
export async function lastAutoClose(ctx: ServiceContext): Promise<AutoClose | null> {
  const row = await ctx.db.selectFrom('settings').select('value').where('key', '=', LAST_AUTO_CLOSE).executeTakeFirst()
  if (!row) return null
  const stored = JSON.parse(row.value) as AutoClose
  // Only today's: yesterday's notice has been seen, or no longer matters.
  return localDate(ctx, new Date(stored.at)) === localDate(ctx) ? stored : null
}

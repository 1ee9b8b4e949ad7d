import { hoursOf, type SupervisionEntry, type TrainingEntry, type WorkMonth } from '../workforce-types'
import { localDate, type ServiceContext } from './context'
import { visibleVisit } from './visible-visits'

/**
 * Work hours from what Porchlight already records, per calendar month: no time clock. A month's
 * figures come from
 *  - groups facilitated: sessions held, run by the person (their group, or one they covered);
 *  - desk shifts: the span between the first and the last check-in they recorded each day (a day
 *    with one check-in counts as no time: the record cannot say how long they stayed);
 *  - coaching contacts: the minutes of the contacts they logged.
 */
export async function workMonths(ctx: ServiceContext, staffId: number, count: number, training: TrainingEntry[], supervision: SupervisionEntry[]): Promise<WorkMonth[]> {
  const today = localDate(ctx)
  const months = lastMonths(today, count)
  const from = `${months[0]}-01`
  const group = await groupMinutes(ctx, staffId, from, today)
  const desk = await deskMinutes(ctx, staffId, from, today)
  const coaching = await coachingMinutes(ctx, staffId, from, today)
  return months.map((month) => ({
    month,
    groupHours: hoursOf(group.get(month) ?? 0),
    deskHours: hoursOf(desk.get(month) ?? 0),
    coachingHours: hoursOf(coaching.get(month) ?? 0),
    supervisionHours: hoursOf(supervision.filter((s) => s.heldOn.startsWith(month)).reduce((sum, s) => sum + Math.round(s.hours * 60), 0)),
    trainingHours: hoursOf(training.filter((t) => t.confirmed && t.takenOn.startsWith(month)).reduce((sum, t) => sum + Math.round(t.hours * 60), 0)),
  }))
}

/** The `count` calendar months up to and including today's, oldest first, as YYYY-MM. */
export function lastMonths(today: string, count: number): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number]
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1))
    return at.toISOString().slice(0, 7)
  })
}

function add(map: Map<string, number>, month: string, minutes: number): void {
  map.set(month, (map.get(month) ?? 0) + minutes)
}

async function groupMinutes(ctx: ServiceContext, staffId: number, from: string, to: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .selectFrom('group_sessions as s')
    .select(['s.session_date', 's.starts_at', 's.ends_at'])
    .where('s.status', '=', 'held')
    .where('s.session_date', '>=', from)
    .where('s.session_date', '<=', to)
    .where((eb) =>
      eb.or([
        eb('s.cover_staff_id', '=', staffId),
        eb.and([
          eb('s.cover_staff_id', 'is', null),
          eb.exists(eb.selectFrom('group_facilitators as f').select('f.staff_id').whereRef('f.group_id', '=', 's.group_id').where('f.staff_id', '=', staffId)),
        ]),
      ]),
    )
    .execute()
  const minutes = new Map<string, number>()
  for (const r of rows) add(minutes, r.session_date.slice(0, 7), Math.max(0, Math.round((Date.parse(r.ends_at) - Date.parse(r.starts_at)) / 60_000)))
  return minutes
}

async function deskMinutes(ctx: ServiceContext, staffId: number, from: string, to: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .selectFrom('visits')
    .select((eb) => ['visit_date', eb.fn.min('signed_in_at').as('first'), eb.fn.max('signed_in_at').as('last')])
    .where('created_by', '=', staffId)
    .where('voided_at', 'is', null)
    .where(visibleVisit())
    .where('visit_date', '>=', from)
    .where('visit_date', '<=', to)
    .groupBy('visit_date')
    .execute()
  const minutes = new Map<string, number>()
  for (const r of rows) add(minutes, r.visit_date.slice(0, 7), Math.max(0, Math.round((Date.parse(r.last) - Date.parse(r.first)) / 60_000)))
  return minutes
}

/** Minutes of the coaching contacts the person logged (meetings, calls, warmline), by month. */
async function coachingMinutes(ctx: ServiceContext, staffId: number, from: string, to: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .selectFrom('coaching_contacts')
    .select((eb) => ['contact_on', eb.fn.sum<number>('minutes').as('minutes')])
    .where('staff_id', '=', staffId)
    .where('contact_on', '>=', from)
    .where('contact_on', '<=', to)
    .groupBy('contact_on')
    .execute()
  const minutes = new Map<string, number>()
  for (const r of rows) add(minutes, r.contact_on.slice(0, 7), Number(r.minutes))
  return minutes
}

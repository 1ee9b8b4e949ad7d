import { CONTACT_KINDS, type ContactKind } from '../../coaching-types'
import type { CoachingFigures, DateRange } from '../../report-types'
import { reportDialectFor } from './dialect'
import type { ReportDb } from './rules'
import { inScope, personKey, WHOLE_DATABASE, type CountScope } from './scope'

/**
 * Peer coaching's figures for a range, under the counting rules of rules.ts (merges move coaching
 * rows to the kept record, migration 0019, so a person is counted once under it):
 *
 * - Active engagements: open (active or paused) on at least one of the range's days: started by
 *   its last day, and not ended before its first.
 * - Contacts: logged on the range's days, by kind; anonymous warmline calls count as contacts
 *   (they are calls taken), never as people.
 * - Median days between contacts: for each registered person (the organization's person when the
 *   centers match people), the days from one day they were contacted to the next, both in the
 *   range (two contacts on one day are one day); the median of all those gaps. Anonymous calls have no person to measure between.
 * - Engagements completed: ended as completed (not closed early) on a day in the range.
 * - Plan goals met: marked done on a day in the range.
 *
 * Aggregates in SQL only; date arithmetic and the median go through the report dialect.
 */
export async function coachingFigures(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE): Promise<CoachingFigures> {
  const d = reportDialectFor(db)
  const inRange = <T extends string>(column: T) => [column, range.from, range.to] as const
  const active = await db
    .selectFrom('coaching_engagements as e')
    .$call(inScope(scope, 'e'))
    .where('e.started_on', '<=', range.to)
    .where((eb) => eb.or([eb('e.ended_on', 'is', null), eb('e.ended_on', '>=', range.from)]))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const completed = await db
    .selectFrom('coaching_engagements as e')
    .$call(inScope(scope, 'e'))
    .where('e.status', '=', 'completed')
    .where('e.ended_on', '>=', range.from)
    .where('e.ended_on', '<=', range.to)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const [column, from, to] = inRange('c.contact_on')
  const kinds = await db
    .selectFrom('coaching_contacts as c')
    .$call(inScope(scope, 'c'))
    .where(column, '>=', from)
    .where(column, '<=', to)
    .select((eb) => ['c.kind', eb.fn.countAll<number>().as('n')])
    .groupBy('c.kind')
    .execute()
  const goals = await db
    .selectFrom('plan_goals as g')
    .where('g.progress', '=', 'done')
    // A plan's goals have no center of their own: their person's record has.
    .$if(scope.centers !== null, (qb) => qb.where('g.participant_id', 'in', db.selectFrom('participants as pc').select('pc.id').$call(inScope(scope, 'pc'))))
    .where('g.done_on', '>=', range.from)
    .where('g.done_on', '<=', range.to)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  // Each registered person's contact days in the range, then the gap back to their previous one.
  const days = db
    .selectFrom('coaching_contacts as c')
    .$call(inScope(scope, 'c'))
    .where('c.participant_id', 'is not', null)
    .where('c.contact_on', '>=', range.from)
    .where('c.contact_on', '<=', range.to)
    // The organization's person when the centers match people (scope.ts personKey): their contacts at two centers are one run of days.
    .select([personKey(db, scope, 'c.participant_id').as('person'), 'c.contact_on'])
    .distinct()
  const gaps = db
    .selectFrom(days.as('p'))
    .select((eb) => [eb.fn.agg<string | null>('lag', ['p.contact_on']).over((ob) => ob.partitionBy('p.person').orderBy('p.contact_on')).as('before'), 'p.contact_on'])
  const values = db
    .selectFrom(gaps.as('g'))
    .where('g.before', 'is not', null)
    .select((eb) => d.daysBetween(eb.ref('g.before') as never, eb.ref('g.contact_on')).as('value'))
  // No FROM: a one-row table borrowed for the purpose answered nothing once it was empty.
  const median = await db.selectNoFrom(d.median(values).as('median')).executeTakeFirst()
  const byKind = new Map(kinds.map((row) => [row.kind, Number(row.n)]))
  const contactsByKind = CONTACT_KINDS.map((kind: ContactKind) => ({ kind, count: byKind.get(kind) ?? 0 }))
  return {
    activeEngagements: Number(active.n),
    contacts: contactsByKind.reduce((sum, row) => sum + row.count, 0),
    contactsByKind,
    warmlineCalls: byKind.get('warmline') ?? 0,
    medianDaysBetweenContacts: median?.median ?? null,
    engagementsCompleted: Number(completed.n),
    planGoalsMet: Number(goals.n),
  }
}

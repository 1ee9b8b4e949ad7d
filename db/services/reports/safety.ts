import { INCIDENT_KINDS, type SafetyFigures } from '../../incident-types'
import type { DateRange } from '../../report-types'
import type { ReportDb } from './rules'
import { inScope, personKeyOf, WHOLE_DATABASE, type CountScope } from './scope'

/**
 * Safety figures (issue 19), counted by the same rules as every other figure:
 *
 * - An incident counts on the center's calendar day it happened (`occurred_on`), open or closed:
 *   a report still being completed is still an incident that happened.
 * - An overdose response is an incident of kind 'overdose'. A reversal is one where naloxone was
 *   given on site (at least one dose) and an outcome is recorded (the person came round: responded,
 *   was transported, or declined transport).
 * - Naloxone doses are those given on site in overdose responses, never the kits handed out (a
 *   service on a visit, counted with the services).
 * - Restrictions in force: people (a merged person once, under the record they were merged into;
 *   with the centers matching people, the organization's person once) under a restriction in
 *   force at the end of the range's last counted day: started by then, not yet ended, not lifted
 *   before the day was out.
 *
 * All SQL aggregates through kysely's builder; no hand-written SQL is needed here.
 */
const num = (value: unknown): number => Number(value ?? 0)

function incidentsIn(db: ReportDb, range: DateRange, scope: CountScope) {
  return db.selectFrom('incidents as i').where('i.occurred_on', '>=', range.from).where('i.occurred_on', '<=', range.to).$call(inScope(scope, 'i'))
}

/** `endInstant` is the start of the day after the range, in the center's zone (dashboard.ts `Counting`). */
export async function safetyFigures(db: ReportDb, range: DateRange, endInstant: string, scope: CountScope = WHOLE_DATABASE): Promise<SafetyFigures> {
  const overdose = await incidentsIn(db, range, scope)
    .where('i.kind', '=', 'overdose')
    .select((eb) => [
      eb.fn.countAll<number>().as('responses'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('i.naloxone_doses', '>', 0), eb('i.outcome', 'is not', null)])).then(1).else(0).end()).as('reversals'),
      eb.fn.sum<number>('i.naloxone_doses').as('doses'),
    ])
    .executeTakeFirstOrThrow()
  // Each kind named: the index led by the kind (incidents_overdose) then gives them kind by kind, already grouped, not sorted afterwards.
  const byKind = await incidentsIn(db, range, scope)
    .where('i.kind', 'in', [...INCIDENT_KINDS])
    .select((eb) => ['i.kind', eb.fn.countAll<number>().as('count')])
    .groupBy('i.kind')
    .execute()
  const counts = new Map(byKind.map((row) => [row.kind, num(row.count)]))
  // From the restrictions out, each person looked up by id (a deleted one gives null, which a
  // distinct count leaves out): joined, SQLite chose to read every participant first.
  const inForce = await db
    .selectFrom('restrictions as r')
    .$call(inScope(scope, 'r'))
    .where('r.starts_on', '<=', range.to)
    .where((eb) => eb.or([eb('r.ends_on', 'is', null), eb('r.ends_on', '>', range.to)]))
    .where((eb) => eb.or([eb('r.lifted_at', 'is', null), eb('r.lifted_at', '>=', endInstant)]))
    .select((eb) =>
      eb.fn
        .count<number>(
          eb
            .selectFrom('participants as p')
            .whereRef('p.id', '=', 'r.participant_id')
            .where('p.deleted_at', 'is', null)
            // The organization's person when the centers match people (scope.ts personKey), else the record.
            .select((o) => personKeyOf(db, scope, o.fn.coalesce('p.merged_into', 'p.id')).as('person')),
        )
        .distinct()
        .as('people'),
    )
    .executeTakeFirstOrThrow()
  return {
    overdoseResponses: num(overdose.responses),
    reversals: num(overdose.reversals),
    naloxoneDoses: num(overdose.doses),
    incidentsByKind: INCIDENT_KINDS.map((kind) => ({ kind, count: counts.get(kind) ?? 0 })),
    restrictionsInForce: num(inForce.people),
  }
}

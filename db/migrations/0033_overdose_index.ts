import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * The safety figures (reports/safety.ts) count a range's overdose responses, reversals and
 * naloxone doses: incidents_day found them by day and kind, then each one's row was read for its
 * doses and outcome, some 5,000 scattered look-ups a year at a busy center. With the doses and the
 * outcome in an index led by the kind, the count reads that index alone. Incidents are written a
 * few times a day, so the extra index costs the desk nothing it would notice.
 */
export const statements = [`CREATE INDEX incidents_overdose ON incidents(kind, occurred_on, naloxone_doses, outcome)`]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * With several PCs on one PostgreSQL server, "not signed in yet, so sign in" must hold even when
 * two desks (or a desk and the kiosk) ask at the same moment. A unique index makes it the
 * database's rule rather than each writer's check: one open, not voided visit per person (or
 * anonymous code) per day. The same words serve both dialects.
 *
 * The desk may sign someone in a second time on purpose ("already here since 10:42; sign in
 * again?"): that visit carries repeat_confirmed = 1 and stands outside the rule. Imported visits
 * are history, not sign-ins (a spreadsheet may list a person twice a day), and stand outside it too.
 * Visits already held twice on a day (the repeats confirmed before this column) are marked as
 * repeats, all but the earliest, so the index can be built over any existing file.
 */
const open = (alias: string) => `${alias}.signed_out_at IS NULL AND ${alias}.voided_at IS NULL AND ${alias}.import_file_id IS NULL`

const markRepeats = (column: string) => `UPDATE visits SET repeat_confirmed = 1
  WHERE ${column} IS NOT NULL AND ${open('visits')}
    AND EXISTS (SELECT 1 FROM visits o WHERE o.${column} = visits.${column} AND o.visit_date = visits.visit_date AND ${open('o')}
      AND (o.signed_in_at < visits.signed_in_at OR (o.signed_in_at = visits.signed_in_at AND o.id < visits.id)))`

const rule = `signed_out_at IS NULL AND voided_at IS NULL AND repeat_confirmed = 0 AND import_file_id IS NULL`

export const oneOpenVisitStatements = [
  markRepeats('participant_id'),
  markRepeats('anonymous_code'),
  `CREATE UNIQUE INDEX visits_one_open_person ON visits(participant_id, visit_date) WHERE participant_id IS NOT NULL AND ${rule}`,
  `CREATE UNIQUE INDEX visits_one_open_code ON visits(anonymous_code, visit_date) WHERE anonymous_code IS NOT NULL AND ${rule}`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE visits ADD COLUMN repeat_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (repeat_confirmed IN (0, 1))`).execute(db)
  for (const statement of oneOpenVisitStatements) await sql.raw(statement).execute(db)
}

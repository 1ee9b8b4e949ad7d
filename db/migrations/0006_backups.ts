import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Retention. A person with no activity for the center's chosen number of years is de-identified,
 * not deleted: the row stays (so past visit counts, unduplicated-person counts and service
 * totals do not change) but everything that could name them is cleared, and it is hidden like a
 * deleted record. `deidentified_at` says when; it is never cleared.
 *
 * visit_changes stays append-only, with one exception: a row may be redacted (its before/after
 * replaced by {"redacted":true} and its reason by "[removed]"), and nothing else may change.
 */
const statements = [
  `ALTER TABLE participants ADD COLUMN deidentified_at TEXT`,
  `CREATE INDEX participants_deidentified ON participants(deidentified_at) WHERE deidentified_at IS NOT NULL`,
  `DROP TRIGGER visit_changes_no_update`,
  `CREATE TRIGGER visit_changes_no_update BEFORE UPDATE ON visit_changes
     WHEN NOT (NEW.before = '{"redacted":true}' AND NEW.after = '{"redacted":true}'
       AND (NEW.reason IS NULL OR NEW.reason = '[removed]')
       AND NEW.id = OLD.id AND NEW.visit_id = OLD.visit_id AND NEW.kind = OLD.kind
       AND NEW.staff_id IS OLD.staff_id AND NEW.at = OLD.at)
     BEGIN SELECT RAISE(ABORT, 'visit_changes is append-only'); END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

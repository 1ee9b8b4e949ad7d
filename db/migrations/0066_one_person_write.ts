import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A sign-in writes its person's row once (issue 11: the cipher's work is per page written).
 *
 * The visit's insert raised visit_count (this trigger), then the sign-in set last_visit_at in a
 * second statement. participants_list_visits is ordered by (visit_count, last_visit_at), so the
 * person's entry moved twice: to (count + 1, the old last visit), somewhere inside that count's
 * range, then to the range's end; the middle stop cost a leaf page of its own. The trigger now
 * moves both at once. last_visit_at only goes forward here, to the latest visit that counts, as
 * the desk's sign-in, a group mark and a records import already kept it (a visit entered for an
 * earlier day leaves it alone); voids, edits and merges still recompute it from the visits.
 * PostgreSQL's twin takes the same words for the update.
 */
const PENDING_FILES = `(SELECT f.id FROM import_files f WHERE f.pending = 1)`

/** The person's row after one more visit that counts, signed in at NEW.signed_in_at. */
export const countVisit = `UPDATE participants SET visit_count = visit_count + 1,
       last_visit_at = CASE WHEN last_visit_at IS NULL OR last_visit_at < NEW.signed_in_at THEN NEW.signed_in_at ELSE last_visit_at END
     WHERE id = NEW.participant_id;`

const statements = [
  `DROP TRIGGER visits_count_insert`,
  `CREATE TRIGGER visits_count_insert AFTER INSERT ON visits
     WHEN (NEW.participant_id IS NOT NULL AND NEW.voided_at IS NULL) AND (NEW.import_file_id IS NULL OR NEW.import_file_id NOT IN ${PENDING_FILES})
     BEGIN ${countVisit} END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0029_import_pending: a records import written in chunks behind a
 * pending file. import_files.pending is 1 while its rows go in; visits.import_file_id names the
 * file a visit came from (and joins the two visit indexes the reports count inside); a visit of a
 * pending file is invisible to the roll-ups and to people's visit counts until the switch counts
 * the file once.
 *
 * SQLite's migration rewrites its triggers from their own text; this one rewrites PostgreSQL's
 * functions from theirs (pg_get_functiondef), with the same two changes:
 * - every count of visits `v` (in report_refresh_day and report_refresh_person here, where the
 *   baseline put the recounts SQLite's triggers inline) gains the visibility test;
 * - each trigger function on visits or visit_services returns at once for an invisible visit.
 *   SQLite adds that to the trigger's WHEN; a PostgreSQL WHEN cannot hold a subquery, so it is the
 *   function's first statement, as the baseline already does for report_visit_services_insert.
 */

const PENDING_FILES = `(SELECT f.id FROM import_files f WHERE f.pending = 1)`
const visible = (alias: string) => `(${alias}.import_file_id IS NULL OR ${alias}.import_file_id NOT IN ${PENDING_FILES})`
// As SQLite's WHEN: a visit no longer there is not visible (null), and the trigger does nothing.
const visibleById = (visitId: string) => `coalesce((SELECT ${visible('pv')} FROM visits pv WHERE pv.id = ${visitId}), false)`

/** The trigger functions on visits and visit_services, and the test of the row (NEW or OLD) each asks. */
const GATED: Record<string, string> = {
  visits_count_insert: visible('NEW'),
  visits_count_update: visible('NEW'),
  visits_count_delete: visible('OLD'),
  report_visits_insert: visible('NEW'),
  report_visits_update_days: visible('NEW'),
  report_visits_update_people: visible('NEW'),
  report_visits_delete: visible('OLD'),
  report_visit_services_insert: visibleById('NEW.visit_id'),
  report_visit_services_update: visibleById('NEW.visit_id'),
  report_visit_services_delete: visibleById('OLD.visit_id'),
}

/** A plpgsql function's definition that returns at once unless `condition` holds. */
function gate(name: string, definition: string, condition: string): string {
  const begin = /\bBEGIN\b/.exec(definition)
  if (!begin) throw new Error(`0029: the function ${name} has no BEGIN`)
  const at = begin.index + begin[0].length
  return `${definition.slice(0, at)}\n       IF NOT ${condition} THEN RETURN NULL; END IF;${definition.slice(at)}`
}

/** Every count of visits (alias v, as the baseline writes them) leaves pending visits out. */
const countVisible = (text: string): string => text.replaceAll('v.voided_at IS NULL', `v.voided_at IS NULL AND ${visible('v')}`)

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE import_files ADD COLUMN pending bigint NOT NULL DEFAULT 0 CHECK (pending IN (0, 1))`).execute(db)
  await sql.raw(`ALTER TABLE visits ADD COLUMN import_file_id bigint REFERENCES import_files(id)`).execute(db)
  await sql.raw(`CREATE INDEX visits_by_import_file ON visits(import_file_id) WHERE import_file_id IS NOT NULL`).execute(db)
  // As SQLite's: the two indexes the reports count visits inside carry the file too, so asking
  // whether a visit is visible reads no row.
  await sql.raw(`DROP INDEX visits_by_date`).execute(db)
  await sql.raw(`CREATE INDEX visits_by_date ON visits(visit_date, signed_in_at, participant_id, anonymous_code, voided_at, import_file_id)`).execute(db)
  await sql.raw(`DROP INDEX visits_by_participant`).execute(db)
  await sql.raw(`CREATE INDEX visits_by_participant ON visits(participant_id, signed_in_at, visit_date, voided_at, import_file_id)`).execute(db)
  const functions = (
    await sql<{ name: string; definition: string }>`
      SELECT p.proname AS name, pg_get_functiondef(p.oid) AS definition FROM pg_proc p
       WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind = 'f'
         -- Porchlight's own: not those of the extensions (citext, pg_trgm, unaccent) in the same schema.
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
       ORDER BY p.proname`.execute(db)
  ).rows
  const missing = Object.keys(GATED).filter((name) => !functions.some((f) => f.name === name))
  if (missing.length > 0) throw new Error(`0029: no trigger function ${missing.join(', ')}`)
  for (const { name, definition } of functions) {
    const counted = countVisible(definition)
    const condition = GATED[name]
    const text = condition ? gate(name, counted, condition) : counted
    if (text !== definition) await sql.raw(text).execute(db)
  }
}

import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A records import written in chunks, so the desk never waits behind it (db/services/records-import/write.ts).
 *
 * - import_files.pending: 1 while an import's rows are going in, chunk by chunk, each chunk its own
 *   short transaction; one last transaction sets it to 0, and only then do its visits count. A crash
 *   leaves it at 1: the next import discards those rows (none-or-all, as the user sees it).
 * - visits.import_file_id: the file a visit came from (null for the desk's own). A visit of a
 *   pending file is invisible: every list, count and report asks for visible visits only, and the
 *   triggers that keep the roll-ups and people's visit counts leave such a visit out, whatever
 *   happens to it (inserted, moved by a merge, deleted by a discard), until the switch counts the
 *   file's people and days once.
 *
 * The triggers are rewritten from their own text in sqlite_master (what 0002, 0012 and 0016 made):
 * every count of visits `v` gains the visibility test, and each trigger on visits or visit_services
 * gains a WHEN that passes only a visible visit.
 */

const PENDING_FILES = `(SELECT f.id FROM import_files f WHERE f.pending = 1)`
const visible = (alias: string) => `(${alias}.import_file_id IS NULL OR ${alias}.import_file_id NOT IN ${PENDING_FILES})`
const visibleById = (visitId: string) => `(SELECT ${visible('pv')} FROM visits pv WHERE pv.id = ${visitId})`

/** The triggers on visits and visit_services, and the row (NEW or OLD) whose visibility each asks. */
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

/** A trigger's text with `condition` added to its WHEN (or given one). */
export function gate(text: string, condition: string): string {
  const begin = /\bBEGIN\b/.exec(text)
  if (!begin) throw new Error(`0029: a trigger without BEGIN: ${text.slice(0, 80)}`)
  const head = text.slice(0, begin.index).trimEnd()
  const body = text.slice(begin.index)
  const when = /\sWHEN\s/.exec(head)
  const gatedHead = when ? `${head.slice(0, when.index)} WHEN (${head.slice(when.index + when[0].length)}) AND ${condition}` : `${head} WHEN ${condition}`
  return `${gatedHead}\n   ${body}`
}

/** Every count of visits in a trigger's body (alias v, as 0012 writes them) leaves pending visits out. */
export const countVisible = (text: string): string => text.replaceAll('v.voided_at IS NULL', `v.voided_at IS NULL AND ${visible('v')}`)

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE import_files ADD COLUMN pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1))`).execute(db)
  await sql.raw(`ALTER TABLE visits ADD COLUMN import_file_id INTEGER REFERENCES import_files(id)`).execute(db)
  // A file's visits at the switch and at a discard. One column: a chunk's entries go at the end of the index, not all over it.
  await sql.raw(`CREATE INDEX visits_by_import_file ON visits(import_file_id) WHERE import_file_id IS NOT NULL`).execute(db)
  // The reports count a range's visits, and each person's first visit, inside these two indexes
  // (0010): every such read now asks whether the visit is visible, so they carry the file too.
  await sql.raw(`DROP INDEX visits_by_date`).execute(db)
  await sql.raw(`CREATE INDEX visits_by_date ON visits(visit_date, signed_in_at, participant_id, anonymous_code, voided_at, import_file_id)`).execute(db)
  await sql.raw(`DROP INDEX visits_by_participant`).execute(db)
  await sql.raw(`CREATE INDEX visits_by_participant ON visits(participant_id, signed_in_at, visit_date, voided_at, import_file_id)`).execute(db)
  const triggers = (await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`.execute(db)).rows
  for (const trigger of triggers) {
    const condition = GATED[trigger.name]
    const counted = countVisible(trigger.sql)
    const text = condition ? gate(counted, condition) : counted
    if (text === trigger.sql) continue
    await sql.raw(`DROP TRIGGER ${trigger.name}`).execute(db)
    await sql.raw(text).execute(db)
  }
}

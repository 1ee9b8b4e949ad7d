import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0052_people_pending: participants.import_file_id names the records
 * import a person came from; a person of a pending file is invisible to every read until the
 * switch. As on SQLite no trigger changes (the search table's rows go in with the person, and a
 * discard's delete takes them out through the existing triggers).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE participants ADD COLUMN import_file_id bigint REFERENCES import_files(id)`).execute(db)
  await sql.raw(`CREATE INDEX participants_by_import_file ON participants(import_file_id, center_id) WHERE import_file_id IS NOT NULL`).execute(db)
}

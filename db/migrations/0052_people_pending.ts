import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A people list imported in chunks behind a pending file, as a sign-in log is (0029), so the desk
 * never waits behind 20,000 people going in as one transaction.
 *
 * participants.import_file_id: the records import a person came from (null for the desk's own). A
 * person of a pending file is invisible: every list, search, count, check and per-person lookup
 * asks for visible people only (db/services/visible-visits.ts), as it asks for visible visits. Their
 * search index rows go in with them, chunk by chunk, so the switch only clears the file's pending
 * mark; a discard deletes them (the search triggers take their index rows with them). No trigger
 * changes: nothing else can point at an invisible person (every write resolves its person through
 * the same visibility test), and a new person has no visits, roll-ups or counts yet.
 *
 * The index counts a file's people at the switch and finds them at a discard; center_id in it lets
 * the list's total subtract a center's pending people without reading a row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE participants ADD COLUMN import_file_id INTEGER REFERENCES import_files(id)`).execute(db)
  await sql.raw(`CREATE INDEX participants_by_import_file ON participants(import_file_id, center_id) WHERE import_file_id IS NOT NULL`).execute(db)
}

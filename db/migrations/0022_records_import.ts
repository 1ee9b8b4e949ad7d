import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A center's old records brought in from CSV or Excel (db/services/records-import/).
 *
 * - import_files: each file imported, by the sha256 of its bytes and its kind, so the same file
 *   given again is recognised; with what it did (counts as JSON) and who did it.
 * - import_rows: each imported row's identity (a hash of what the row says, or the old system's
 *   id for a person), so a row seen before, in this file or another, is never imported twice;
 *   target_id is the participant or visit it became (or matched).
 */
export const statements = [
  `CREATE TABLE import_files (
     id INTEGER PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('participants', 'visits')),
     sha256 TEXT NOT NULL,
     file_name TEXT NOT NULL,
     rows INTEGER NOT NULL,
     counts TEXT NOT NULL,
     staff_id INTEGER REFERENCES staff(id),
     imported_at TEXT NOT NULL,
     UNIQUE (kind, sha256)
   )`,
  `CREATE TABLE import_rows (
     kind TEXT NOT NULL CHECK (kind IN ('participants', 'visits')),
     row_key TEXT NOT NULL,
     file_id INTEGER NOT NULL REFERENCES import_files(id),
     target_id INTEGER NOT NULL,
     PRIMARY KEY (kind, row_key)
   ) WITHOUT ROWID`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

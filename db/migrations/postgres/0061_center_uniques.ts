import { sql, type Kysely } from 'kysely'
import { centerUniqueIndexes } from '../0061_center_uniques'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0061_center_uniques: the same rules by center, swapped in place
 * (no rebuild: PostgreSQL drops a constraint by its name). A closed day and an imported file are
 * unique per center; an imported row's identity is its center's (import_rows gains center_id,
 * filled from its file, and its key becomes (center_id, kind, row_key)). The HSDS state and
 * center 1's name move as on SQLite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE closures DROP CONSTRAINT closures_closed_on_key`.execute(db)
  await sql`ALTER TABLE import_files DROP CONSTRAINT import_files_kind_sha256_key`.execute(db)
  for (const statement of centerUniqueIndexes) await sql.raw(statement).execute(db)
  // A constant default adds the column without rewriting the table; only other centers' rows are then updated.
  await sql`ALTER TABLE import_rows ADD COLUMN center_id bigint NOT NULL DEFAULT 1 CHECK (center_id > 0) REFERENCES centers(id)`.execute(db)
  await sql`UPDATE import_rows r SET center_id = f.center_id FROM import_files f WHERE f.id = r.file_id AND f.center_id <> 1`.execute(db)
  await sql`ALTER TABLE import_rows DROP CONSTRAINT import_rows_pkey, ADD PRIMARY KEY (center_id, kind, row_key)`.execute(db)
  await sql`UPDATE settings SET key = 'directory.hsds.1' WHERE key = 'directory.hsds'`.execute(db)
  const named = sql.raw(`(SELECT trim(value::json #>> '{}') FROM settings WHERE key = 'center_name')`)
  await sql`
    UPDATE centers SET name = ${named}, row_version = row_version + 1
     WHERE id = 1 AND length(${named}) BETWEEN 1 AND 100 AND name <> ${named}
       AND NOT EXISTS (SELECT 1 FROM centers other WHERE other.id <> 1 AND other.name = ${named})`.execute(db)
  await sql`DELETE FROM settings WHERE key = 'center_name'`.execute(db)
}

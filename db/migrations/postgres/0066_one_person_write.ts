import { sql, type Kysely } from 'kysely'
import { countVisit } from '../0066_one_person_write'

// Frozen in time: this file must never import application code or today's schema types (SQLite's
// 0066 is a migration, frozen the same way).

/**
 * PostgreSQL's twin of SQLite's 0066_one_person_write: the visit's insert raises visit_count and
 * moves last_visit_at forward in one update, so a sign-in writes its person's row (a new tuple,
 * with an entry in each of its indexes) once instead of twice. The function keeps 0029's first
 * statement: a visit of a pending import file counts only when the file is switched on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION visits_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NOT (NEW.import_file_id IS NULL OR NEW.import_file_id NOT IN (SELECT f.id FROM import_files f WHERE f.pending = 1)) THEN RETURN NULL; END IF;
         ${countVisit}
         RETURN NULL;
       END $$`,
    )
    .execute(db)
}

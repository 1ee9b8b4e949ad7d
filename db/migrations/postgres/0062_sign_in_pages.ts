import { sql, type Kysely } from 'kysely'
import { listIndexes } from '../0062_sign_in_pages'

// Frozen in time: this file must never import application code or today's schema types (SQLite's
// 0062 is a migration, frozen the same way).

/**
 * PostgreSQL's twin of SQLite's 0062_sign_in_pages: the same list indexes without last_visit_at
 * (the list's ties break by id on both backends, and the schemas stay alike). The search blocks'
 * size is FTS5's own: PostgreSQL's search table has nothing like it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of listIndexes) await sql.raw(statement).execute(db)
}

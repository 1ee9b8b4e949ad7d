import { sql, type Kysely } from 'kysely'
import { visitIndexes } from '../0065_sign_in_ratio'

// Frozen in time: this file must never import application code or today's schema types (SQLite's
// 0065 is a migration, frozen the same way).

/**
 * PostgreSQL's twin of SQLite's 0065_sign_in_ratio: visits_open_by_person goes on both backends
 * ("already here today?" reads visits_by_participant from the day before on), so the schemas stay
 * alike. The search index's change is FTS5's own: PostgreSQL's search table is a plain table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of visitIndexes) await sql.raw(statement).execute(db)
}

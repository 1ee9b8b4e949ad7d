import { sql, type Kysely } from 'kysely'
import { statements } from '../0058_fewer_sign_in_pages'

// Frozen in time: this file must never import application code or today's schema types (SQLite's
// 0058 is a migration, frozen the same way).

/** PostgreSQL's twin of SQLite's 0058_fewer_sign_in_pages: the same index dropped. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

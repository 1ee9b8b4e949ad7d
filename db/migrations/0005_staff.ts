import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * The audit viewer filters by staff member, action, target and date and pages newest first.
 * Each index ends in id so a filtered page is read in order without sorting the whole log.
 * (`at` grows with id, but an index on it lets a date range start where it should.)
 */
const statements = [
  `CREATE INDEX audit_log_by_staff ON audit_log(staff_id, id)`,
  `CREATE INDEX audit_log_by_action ON audit_log(action, id)`,
  `CREATE INDEX audit_log_by_target ON audit_log(target_type, target_id, id)`,
  `CREATE INDEX audit_log_by_at ON audit_log(at)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

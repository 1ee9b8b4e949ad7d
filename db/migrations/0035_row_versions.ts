import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A row version on the records two PCs may have open in a form at once: a person's details and a
 * referral. An edit carries the version it was read at and is refused when the row has moved on
 * since ("changed on another PC"), instead of the later save silently undoing the earlier one.
 * The services raise it on the edits a form shows (not on a sign-in's last_visit_at, say, which
 * would refuse an edit for a change nobody sees). The same words serve both dialects, but for
 * the integer's name (the twin's).
 */
export const rowVersionTables = ['participants', 'referrals'] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of rowVersionTables) await sql.raw(`ALTER TABLE ${table} ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1 CHECK (row_version > 0)`).execute(db)
}

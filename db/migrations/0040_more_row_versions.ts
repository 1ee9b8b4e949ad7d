import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Row versions (as 0035's on people and referrals) on the next records two PCs may have open in
 * a form at once: a group session (its topic, note, cancelling or moving it), a group, an agency,
 * a staff account. The services raise it on the edits a form shows; a save read at an older
 * version is refused ("changed on another PC") instead of undoing the other PC's.
 */
export const moreRowVersionTables = ['group_sessions', 'groups', 'agencies', 'staff'] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of moreRowVersionTables) await sql.raw(`ALTER TABLE ${table} ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1 CHECK (row_version > 0)`).execute(db)
}

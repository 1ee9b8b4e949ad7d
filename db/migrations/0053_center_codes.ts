import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Several centers on one server (issue 15):
 * - An anonymous code is a center's: two centers may each have a visitor who chose "NS1", and
 *   each signs theirs in on the same day. The one-open-visit rule of 0034 for codes (one open,
 *   not voided visit per code per day) now holds per center.
 * - A center's agency directory and its groups have names unique within the center, not the organization.
 * - Center settings carry a row version (as 0035/0040 gave other edited rows): a save read at an
 *   older version is refused instead of overwriting what another PC saved. Settings are key/value
 *   rows; the center's settings row ('center') is the one that counts.
 * The same words serve both dialects.
 */
const rule = `signed_out_at IS NULL AND voided_at IS NULL AND repeat_confirmed = 0 AND import_file_id IS NULL`

export const centerCodeStatements = [
  `DROP INDEX visits_one_open_code`,
  `CREATE UNIQUE INDEX visits_one_open_code ON visits(center_id, anonymous_code, visit_date) WHERE anonymous_code IS NOT NULL AND ${rule}`,
  // The agency directory and the groups are each center's (0045 gave them center_id): two centers may each list "Harbor Treatment".
  `DROP INDEX agencies_name`,
  `CREATE UNIQUE INDEX agencies_name ON agencies(center_id, name_key)`,
  `DROP INDEX groups_name_key`,
  `CREATE UNIQUE INDEX groups_name_key ON groups(center_id, name_key) WHERE archived_at IS NULL`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of centerCodeStatements) await sql.raw(statement).execute(db)
  await sql`ALTER TABLE settings ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1 CHECK (row_version > 0)`.execute(db)
}

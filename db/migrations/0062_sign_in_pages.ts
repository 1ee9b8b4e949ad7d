import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Fewer pages written by a sign-in (issue 11: the cipher's work is per page written).
 *
 * - The participant list's name, created and birth-year indexes (0002) carried last_visit_at
 *   second, to break ties by last visit; every sign-in changes last_visit_at, so each moved an
 *   entry in all three (about 3 of a sign-in's ~38 pages, bench/mark-pages.ts WRITE=sign-in).
 *   Their ties now break by id, which every index holds anyway: those entries no longer move on a
 *   sign-in. The visits sort keeps last_visit_at (a sign-in moves its entry anyway, as the count
 *   changes; the date filters' total reads it there), and the last-visit sort its own index.
 * - FTS5 writes its index in blocks of up to 4,050 bytes (its default pgsz), which fit a plain
 *   4,096-byte page but not an encrypted one (SQLCipher keeps 80 bytes of each page): every
 *   block spilled onto an overflow page, and rewriting one (a sign-in moves the person's search
 *   row, 0003) freed and took pages from the free list, writing its trunk and page 1 as well.
 *   Blocks of 3,900 bytes fit (FTS5 overshoots its target by a few bytes), and 'optimize' writes
 *   the whole index again in them, as one segment.
 */
const ACTIVE = 'merged_into IS NULL AND deleted_at IS NULL'

export const listIndexes = [
  `DROP INDEX participants_list_name`,
  `CREATE INDEX participants_list_name ON participants(name_key) WHERE ${ACTIVE}`,
  `DROP INDEX participants_list_created`,
  `CREATE INDEX participants_list_created ON participants(created_at) WHERE ${ACTIVE}`,
  `DROP INDEX participants_list_birth_year`,
  `CREATE INDEX participants_list_birth_year ON participants(birth_year) WHERE ${ACTIVE}`,
]

const searchBlocks = [
  `INSERT INTO participant_search (participant_search, rank) VALUES ('pgsz', 3900)`,
  `INSERT INTO participant_search (participant_search) VALUES ('optimize')`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...listIndexes, ...searchBlocks]) await sql.raw(statement).execute(db)
}

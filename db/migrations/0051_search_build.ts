import type { Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * The search index's upkeep at scale: on PostgreSQL (the twin) a per-person refresh that stays on
 * the primary key while statistics are stale, and a one-statement rebuild for admin migrate.
 * SQLite needs nothing: its planner finds a person by rowid whatever its statistics say, and
 * a copy into a file keeps FTS5's triggers on. The step
 * exists so both backends keep one numbering (test/unit/pg-schema.test.ts).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {
  // Nothing to build on SQLite (see above).
}

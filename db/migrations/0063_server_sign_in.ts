import type { Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * A sign-in's work on the PostgreSQL server (issue 14), PostgreSQL only (the twin): functions the
 * triggers call for every sign-in keep their plans, and a sign-in moves the person's search row
 * to its new place in the recency order instead of deleting and writing it again. SQLite needs
 * nothing: its triggers' statements are compiled once per connection, and its FTS5 row is keyed by
 * the rowid alone. The step exists so both backends keep one numbering (test/unit/pg-schema.test.ts).
 */
export async function up(_db: Kysely<unknown>): Promise<void> {
  // Nothing to change on SQLite (see above).
}

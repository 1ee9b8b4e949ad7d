import type { Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * The live screens' change feed. On PostgreSQL (the twin) triggers send a NOTIFY inside each writing
 * transaction, so other PCs hear of a change when it commits. SQLite needs nothing: its records
 * have one writer, this PC's main process, which tells its own windows itself. The step exists so
 * both backends keep one numbering (test/unit/pg-schema.test.ts).
 */
export const changeFeedTables = ['visits', 'participants', 'referrals', 'attendance'] as const

export async function up(_db: Kysely<unknown>): Promise<void> {
  // Nothing to build on SQLite (see above).
}

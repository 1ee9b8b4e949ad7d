import { sql } from 'kysely'
import { perBackend } from '../backend'
import type { Trx } from './context'

/**
 * Work only one PC may do at a time, whichever PC starts it: a retention run (two at once would
 * both count the records due, and the second would de-identify what the first already had).
 */
export type RunLock = 'retention'

/** PostgreSQL advisory lock keys, one per kind of run ("pl_reten" in ASCII), apart from the write lock (db/postgres.ts). */
const KEYS: Readonly<Record<RunLock, bigint>> = { retention: 0x706c5f726574656en }

/**
 * Holds `lock` until the transaction ends. On PostgreSQL a transaction-level advisory lock (as the
 * write lock every writing transaction takes, but its own, so the run stays alone even if that
 * lock is ever narrowed); on SQLite nothing more is needed: BEGIN IMMEDIATE gives the file one
 * writer at a time, on whichever PC it is opened.
 */
export const holdRunLock = perBackend<(trx: Trx, lock: RunLock) => Promise<void>>({
  sqlite: async () => {},
  postgres: async (trx, lock) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.raw(KEYS[lock].toString())})`.execute(trx)
  },
})

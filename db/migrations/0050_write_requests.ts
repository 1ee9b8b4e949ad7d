import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Writes with no natural key (a referral made, a coaching contact logged) carry a request id from
 * the screen. The id and the write's answer are kept, in the write's own transaction, so a retry
 * of a write whose answer was lost (the server went away after its COMMIT) gets that answer back
 * instead of making the record twice. Kept a day, then pruned by the next such write.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE write_requests (
    request_id TEXT PRIMARY KEY NOT NULL,
    channel TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff(id),
    result TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`.execute(db)
  await sql`CREATE INDEX write_requests_by_time ON write_requests(created_at)`.execute(db)
}

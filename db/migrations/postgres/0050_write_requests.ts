import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/** PostgreSQL's twin of SQLite's 0050_write_requests: the same table, in PostgreSQL's types. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE write_requests (
    request_id text COLLATE "C" PRIMARY KEY,
    channel text COLLATE "C" NOT NULL,
    staff_id bigint REFERENCES staff(id),
    result text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL
  )`.execute(db)
  await sql`CREATE INDEX write_requests_by_time ON write_requests(created_at)`.execute(db)
}

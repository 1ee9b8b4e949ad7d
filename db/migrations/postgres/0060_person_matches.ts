import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/** PostgreSQL's twin of SQLite's 0060_person_matches: a person's records matched across centers, and pairs said not to be. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE person_matches (
    participant_id bigint PRIMARY KEY REFERENCES participants(id),
    org_person_id bigint NOT NULL REFERENCES participants(id),
    center_id bigint NOT NULL CHECK (center_id > 0) REFERENCES centers(id),
    matched_by bigint REFERENCES staff(id),
    matched_at text COLLATE "C" NOT NULL,
    merge_id bigint REFERENCES participant_merges(id),
    row_version bigint NOT NULL DEFAULT 1 CHECK (row_version > 0),
    CHECK (org_person_id <= participant_id)
  )`.execute(db)
  await sql`CREATE INDEX person_matches_group ON person_matches(org_person_id)`.execute(db)
  await sql`CREATE TABLE person_match_dismissals (
    low_id bigint NOT NULL REFERENCES participants(id),
    high_id bigint NOT NULL REFERENCES participants(id),
    dismissed_by bigint REFERENCES staff(id),
    dismissed_at text COLLATE "C" NOT NULL,
    PRIMARY KEY (low_id, high_id),
    CHECK (low_id < high_id)
  )`.execute(db)
}

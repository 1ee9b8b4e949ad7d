import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Matching a person's records across centers (issue 15 point 4). Each center registers its own
 * record of a person; when the centers have agreed to match people, an admin says which records
 * are the same person. One row per matched record: `org_person_id` is the match group's key (the
 * smallest record id in the group, so a record never matched keeps its own id as its key without
 * colliding with a group's). `merge_id` is set while a merge within a center carried this match
 * from the merged record to the kept one, so undoing that merge carries it back.
 * `person_match_dismissals` holds the pairs an admin said are not the same person, so they are
 * not proposed again (lower id first). WITHOUT ROWID: the record's id is a key, never a new row's number.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE person_matches (
    participant_id INTEGER PRIMARY KEY REFERENCES participants(id),
    org_person_id INTEGER NOT NULL REFERENCES participants(id),
    center_id INTEGER NOT NULL CHECK (center_id > 0) REFERENCES centers(id),
    matched_by INTEGER REFERENCES staff(id),
    matched_at TEXT NOT NULL,
    merge_id INTEGER REFERENCES participant_merges(id),
    row_version INTEGER NOT NULL DEFAULT 1 CHECK (row_version > 0),
    CHECK (org_person_id <= participant_id)
  ) WITHOUT ROWID`.execute(db)
  await sql`CREATE INDEX person_matches_group ON person_matches(org_person_id)`.execute(db)
  await sql`CREATE TABLE person_match_dismissals (
    low_id INTEGER NOT NULL REFERENCES participants(id),
    high_id INTEGER NOT NULL REFERENCES participants(id),
    dismissed_by INTEGER REFERENCES staff(id),
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (low_id, high_id),
    CHECK (low_id < high_id)
  ) WITHOUT ROWID`.execute(db)
}

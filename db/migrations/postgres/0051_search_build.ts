import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * The search index's upkeep at scale (PostgreSQL only; SQLite's 0051 is empty).
 *
 * 1. participant_search_refresh looks the person up by id alone, behind a MATERIALIZED fence, and
 *    tests whether they are findable after. With the liveness test beside `id = person`, a planner
 *    whose statistics still say "empty table" (a new database filled in one transaction: admin
 *    migrate, a first import) chose a partial index whose predicate is that test and walked all of
 *    it for each row: 10 ms per person at 30,000 people and growing, so a 100k-person copy stalled.
 * 2. participant_search_rebuild() builds the whole index in one statement, for a copy that
 *    suspends the per-row triggers while the people go in (db/move.ts).
 * 3. participant_search_not_ascii: the few names holding a character beyond ASCII, for the search's
 *    word-start test that pg_trgm cannot answer from its index (db/services/search-postgres.ts):
 *    with it, a one- or two-letter keystroke reads two indexes instead of every name. The
 *    predicate is written as the search writes it, or the planner would not use the index.
 * 4. participant_search_birth: four digits typed (the last four of a phone) may be a birth year
 *    too; without an index on birth, that OR read every row (~140 ms on 100k people under load).
 */
const phone = `CASE WHEN length(p.phone_digits) >= 4 THEN p.phone_digits || ' ' || right(p.phone_digits, 7) || ' ' || right(p.phone_digits, 4) END`

/** participant_search_refresh's statements (0063 keeps them, in plpgsql). */
export const refreshPerson = `
         DELETE FROM participant_search WHERE participant_id = person;
         INSERT INTO participant_search (rowid, participant_id, name, code, phone, birth)
           WITH p AS MATERIALIZED (SELECT * FROM participants WHERE id = person)
           SELECT participant_search_key(p.last_visit_at, p.id), p.id, p.name_key,
                  p.code || coalesce(' ' || (SELECT string_agg(a.code, ' ') FROM participant_aliases a WHERE a.participant_id = p.id), ''),
                  ${phone}, p.birth_year::text
             FROM p WHERE p.merged_into IS NULL AND p.deleted_at IS NULL;`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`CREATE OR REPLACE FUNCTION participant_search_refresh(person bigint) RETURNS void LANGUAGE sql AS $$${refreshPerson}
       $$`).execute(db)
  await sql
    .raw(
      `CREATE FUNCTION participant_search_rebuild() RETURNS void LANGUAGE sql AS $$
         DELETE FROM participant_search;
         INSERT INTO participant_search (rowid, participant_id, name, code, phone, birth)
           SELECT participant_search_key(p.last_visit_at, p.id), p.id, p.name_key,
                  p.code || coalesce(' ' || a.codes, ''),
                  ${phone}, p.birth_year::text
             FROM participants p
             LEFT JOIN (SELECT participant_id, string_agg(code, ' ') AS codes FROM participant_aliases GROUP BY participant_id) a
               ON a.participant_id = p.id
            WHERE p.merged_into IS NULL AND p.deleted_at IS NULL;
       $$`,
    )
    .execute(db)
  await sql`CREATE INDEX participant_search_birth ON participant_search (birth)`.execute(db)
  await sql.raw(`CREATE INDEX participant_search_not_ascii ON participant_search (rowid) WHERE name ~ '[^\\x01-\\x7f]'`).execute(db)
}

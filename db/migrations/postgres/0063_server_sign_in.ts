import { sql, type Kysely } from 'kysely'
import { refreshPerson } from './0051_search_build'

// Frozen in time: this file must never import application code or today's schema types (0051 is a
// migration, frozen the same way).

/**
 * A sign-in's work on the server (issue 14: sign-in p95 < 15 ms at 100k people / 1M visits).
 *
 * 1. report_prev_day and participant_search_refresh were LANGUAGE sql functions with a FROM
 *    clause, which PostgreSQL cannot inline: it parsed and planned their statements again on every
 *    call, and a sign-in calls them from its triggers several times (report_add_day once per kind
 *    and service; the search row once). The same statements in plpgsql keep their plans for the
 *    session. participant_search_refresh keeps 0051's MATERIALIZED fence (a lookup by id alone).
 * 2. participant_search_update: when only last_visit_at changed (a sign-in), the person's search
 *    row only moves in the recency order, so its key is updated in place; a change of anything the
 *    search matches, or of whether the person is findable, still rebuilds the row as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION report_prev_day(who bigint, person_code text, of_kind bigint, service bigint, before_month text) RETURNS text
       LANGUAGE plpgsql STABLE AS $$
       BEGIN
         RETURN (SELECT r2.last_day FROM report_person_months r2 WHERE r2.participant_id = who AND r2.code = person_code AND r2.kind = of_kind
           AND r2.service_id = service AND r2.month < before_month ORDER BY r2.month DESC LIMIT 1);
       END $$`,
    )
    .execute(db)
  await sql.raw(`CREATE OR REPLACE FUNCTION participant_search_refresh(person bigint) RETURNS void LANGUAGE plpgsql AS $$ BEGIN${refreshPerson}
       END $$`).execute(db)
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION participant_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.name_key IS NOT DISTINCT FROM NEW.name_key AND OLD.code IS NOT DISTINCT FROM NEW.code
            AND OLD.phone_digits IS NOT DISTINCT FROM NEW.phone_digits AND OLD.birth_year IS NOT DISTINCT FROM NEW.birth_year
            AND OLD.merged_into IS NOT DISTINCT FROM NEW.merged_into AND OLD.deleted_at IS NOT DISTINCT FROM NEW.deleted_at THEN
           UPDATE participant_search SET rowid = participant_search_key(NEW.last_visit_at, NEW.id) WHERE participant_id = NEW.id;
           RETURN NULL;
         END IF;
         PERFORM participant_search_refresh(NEW.id);
         UPDATE participant_search_state SET names_version = names_version + 1
           WHERE id = 1 AND (OLD.name_key IS DISTINCT FROM NEW.name_key
             OR (OLD.merged_into IS NULL AND OLD.deleted_at IS NULL) <> (NEW.merged_into IS NULL AND NEW.deleted_at IS NULL));
         RETURN NULL;
       END $$`,
    )
    .execute(db)
}

import { sql, type Kysely } from 'kysely'
import { backfillWith, markOf, sessionMarks } from '../0032_group_people'

// Frozen in time: this file must never import application code or today's schema types (SQLite's
// 0032 is itself frozen, so taking its keys' and backfill's SQL text from there is the same as copying it).

/**
 * PostgreSQL's twin of SQLite's 0032_group_people: report_group_people, one row per group, person
 * and month with the days the person attended the group (rule 6; a registered person by id,
 * anyone else by code under participant_id 0), their first and last such day and their last such
 * day in the group before the month; group 0 holds the same over all groups. Kept by triggers of
 * the same names in the same transaction as every write to attendance and to a session's group or
 * day, each recounting the (group, person, month) rows it touches, and their group 0 rows.
 *
 * Spelled for PostgreSQL: text COLLATE "C" and bigint as in the baseline, an ordinary table where
 * SQLite's is WITHOUT ROWID. The recount is one function, report_group_people_refresh, taking the
 * keys as four arrays; each trigger function gathers its keys and calls it.
 */

const ATTENDED = `('present', 'late')`
const KEYS = `unnest(of_groups, of_people, of_codes, of_months) AS k(g, p, c, m)`
/** The keys given, and the same over all groups (group 0); none for a mark of no one (code null). */
const ALL = `(SELECT k.g, k.p, k.c, k.m FROM ${KEYS} WHERE k.c IS NOT NULL UNION SELECT 0, k.p, k.c, k.m FROM ${KEYS} WHERE k.c IS NOT NULL)`

const tables = [
  `CREATE TABLE report_group_people (
     group_id bigint NOT NULL,
     participant_id bigint NOT NULL,
     code text COLLATE "C" NOT NULL,
     month text COLLATE "C" NOT NULL,
     days bigint NOT NULL,
     first_day text COLLATE "C" NOT NULL,
     last_day text COLLATE "C" NOT NULL,
     prev_day text COLLATE "C",
     PRIMARY KEY (group_id, participant_id, code, month)
   )`,
  `CREATE INDEX report_group_people_range ON report_group_people(month, group_id, prev_day, first_day, days)`,
]

const prevDay = `(SELECT r2.last_day FROM report_group_people r2 WHERE r2.group_id = r.group_id
  AND r2.participant_id = r.participant_id AND r2.code = r.code AND r2.month < r.month ORDER BY r2.month DESC LIMIT 1)`

const functions = [
  `CREATE FUNCTION report_group_people_refresh(of_groups bigint[], of_people bigint[], of_codes text[], of_months text[]) RETURNS void LANGUAGE sql AS $$
     DELETE FROM report_group_people r USING ${ALL} k
      WHERE r.group_id = k.g AND r.participant_id = k.p AND r.code = k.c AND r.month = k.m;
     INSERT INTO report_group_people (group_id, participant_id, code, month, days, first_day, last_day)
     SELECT g, p, c, m, bit_or(report_bit(day)), min(day), max(day) FROM (
       SELECT k.g, k.p, k.c, k.m, s.session_date AS day
         FROM ${ALL} k JOIN attendance t ON t.participant_id = k.p JOIN group_sessions s ON s.id = t.session_id
        WHERE k.p > 0 AND t.status IN ${ATTENDED} AND (k.g = 0 OR s.group_id = k.g)
          AND s.session_date >= k.m || '-01' AND s.session_date <= k.m || '-31'
       UNION ALL
       SELECT k.g, k.p, k.c, k.m, s.session_date
         FROM ${ALL} k JOIN group_sessions s ON s.session_date >= k.m || '-01' AND s.session_date <= k.m || '-31' AND (k.g = 0 OR s.group_id = k.g)
         JOIN attendance t ON t.session_id = s.id AND t.anonymous_code = k.c AND t.participant_id IS NULL
        WHERE k.p = 0 AND t.status IN ${ATTENDED}
     ) d GROUP BY g, p, c, m
     ORDER BY 1, 2, 3, 4;
     UPDATE report_group_people r SET prev_day = ${prevDay}
      WHERE (r.group_id, r.participant_id, r.code) IN (SELECT k.g, k.p, k.c FROM ${ALL} k)
        AND r.month >= (SELECT min(k.m) FROM ${ALL} k) AND r.prev_day IS DISTINCT FROM ${prevDay};
   $$`,
]

/** A trigger and its function, both called `name`, which recount the keys `keys` selects. */
function trigger(name: string, timing: string, table: string, when: string, keys: string): string[] {
  return [
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM report_group_people_refresh(array_agg(k.g), array_agg(k.p), array_agg(k.c), array_agg(k.m)) FROM (${keys}) k;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER ${name} ${timing} ON ${table} FOR EACH ROW ${when} EXECUTE FUNCTION ${name}()`,
  ]
}

const triggers = [
  ...trigger('report_group_people_mark_insert', 'AFTER INSERT', 'attendance', `WHEN (NEW.status IN ${ATTENDED})`, markOf('NEW')),
  ...trigger('report_group_people_mark_update', 'AFTER UPDATE OF session_id, participant_id, anonymous_code, status', 'attendance', '', `${markOf('OLD')} UNION ${markOf('NEW')}`),
  ...trigger('report_group_people_mark_delete', 'AFTER DELETE', 'attendance', `WHEN (OLD.status IN ${ATTENDED})`, markOf('OLD')),
  ...trigger(
    'report_group_people_session_update',
    'AFTER UPDATE OF group_id, session_date',
    'group_sessions',
    'WHEN (OLD.group_id IS DISTINCT FROM NEW.group_id OR OLD.session_date IS DISTINCT FROM NEW.session_date)',
    `${sessionMarks('OLD')} UNION ${sessionMarks('NEW')}`,
  ),
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...functions, ...triggers]) await sql.raw(statement).execute(db)
  await sql.raw(`${backfillWith('bit_or(report_bit(day))')} ORDER BY 1, 2, 3, 4`).execute(db)
}

import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0036_group_people_marks: a mark that starts to count (inserted
 * present or late, or changed to either from absent or excused) adds its day to its two rows of
 * report_group_people (its group's and group 0's), made if missing and left alone when the day
 * was counted already, and sets the prev_day of the person's next later row in each; the other
 * updates that may uncount a day, and deletions, still recount through 0032's function.
 * SQLite's 0036 also rewrites report_group_days' triggers, whose deletion by (group_id, day) IN
 * read that whole table there; PostgreSQL's 0027 deletes with a join (USING), not a row-value IN,
 * so those triggers stay as they are (the same names on both, as pg-schema.test.ts checks).
 */

const ATTENDED = `('present', 'late')`
const SAME_MARK = `OLD.session_id = NEW.session_id AND OLD.participant_id IS NOT DISTINCT FROM NEW.participant_id AND OLD.anonymous_code IS NOT DISTINCT FROM NEW.anonymous_code`

/** The mark NEW added (a mark of no one, code null, adds nothing). */
const ADD_NEW = `PERFORM report_group_people_add(s.group_id, coalesce(NEW.participant_id, 0),
       CASE WHEN NEW.participant_id IS NULL THEN NEW.anonymous_code ELSE '' END, s.session_date) FROM group_sessions s WHERE s.id = NEW.session_id;`

const prevDay = `(SELECT r2.last_day FROM report_group_people r2 WHERE r2.group_id = r.group_id
  AND r2.participant_id = r.participant_id AND r2.code = r.code AND r2.month < r.month ORDER BY r2.month DESC LIMIT 1)`

const statements = [
  `CREATE FUNCTION report_group_people_add(of_group bigint, of_person bigint, of_code text, of_day text) RETURNS void LANGUAGE sql AS $$
     INSERT INTO report_group_people AS r (group_id, participant_id, code, month, days, first_day, last_day, prev_day)
     SELECT x.g, of_person, of_code, substr(of_day, 1, 7), report_bit(of_day), of_day, of_day,
            (SELECT r2.last_day FROM report_group_people r2 WHERE r2.group_id = x.g AND r2.participant_id = of_person
                AND r2.code = of_code AND r2.month < substr(of_day, 1, 7) ORDER BY r2.month DESC LIMIT 1)
       FROM (VALUES (of_group), (0)) x(g) WHERE of_code IS NOT NULL
     ON CONFLICT (group_id, participant_id, code, month) DO UPDATE
        SET days = r.days | excluded.days, first_day = least(r.first_day, excluded.first_day), last_day = greatest(r.last_day, excluded.last_day)
      WHERE (r.days & excluded.days) = 0;
     UPDATE report_group_people r SET prev_day = ${prevDay}
       FROM (VALUES (of_group), (0)) x(g)
      WHERE r.group_id = x.g AND r.participant_id = of_person AND r.code = of_code
        AND r.month = (SELECT min(r3.month) FROM report_group_people r3 WHERE r3.group_id = x.g AND r3.participant_id = of_person
                          AND r3.code = of_code AND r3.month > substr(of_day, 1, 7))
        AND r.prev_day IS DISTINCT FROM ${prevDay};
   $$`,
  // The insert's function now adds; the trigger itself is unchanged.
  `CREATE OR REPLACE FUNCTION report_group_people_mark_insert() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     ${ADD_NEW}
     RETURN NULL;
   END $$`,
  `DROP TRIGGER report_group_people_mark_update ON attendance`,
  `CREATE TRIGGER report_group_people_mark_update AFTER UPDATE OF session_id, participant_id, anonymous_code, status ON attendance FOR EACH ROW
   WHEN (NOT (${SAME_MARK}) OR (OLD.status IN ${ATTENDED} AND NEW.status NOT IN ${ATTENDED})) EXECUTE FUNCTION report_group_people_mark_update()`,
  `CREATE FUNCTION report_group_people_mark_counts() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     ${ADD_NEW}
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER report_group_people_mark_counts AFTER UPDATE OF session_id, participant_id, anonymous_code, status ON attendance FOR EACH ROW
   WHEN (${SAME_MARK} AND OLD.status NOT IN ${ATTENDED} AND NEW.status IN ${ATTENDED}) EXECUTE FUNCTION report_group_people_mark_counts()`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

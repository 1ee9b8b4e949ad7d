import { sql, type Kysely } from 'kysely'
import { refreshSteps, stepsOf } from '../0037_assessment_steps'

// Frozen in time: this file must never import application code or today's schema types (SQLite's
// 0037 is itself frozen, so taking its recount's SQL text from there is the same as copying it).

/**
 * PostgreSQL's twin of SQLite's 0037_assessment_steps: report_assessment_steps, one row per counted
 * assessment with the person's first total, whether they have an earlier one and the day of their
 * next, kept by triggers of the same names in the same transaction as every write to assessments.
 *
 * Spelled for PostgreSQL: text COLLATE "C" and bigint as in the baseline, an ordinary table where
 * SQLite's is WITHOUT ROWID, and the recount one SQL function (report_assessment_steps_of) that
 * the trigger functions call.
 */

const tables = [
  `CREATE TABLE report_assessment_steps (
     taken_on text COLLATE "C" NOT NULL,
     participant_id bigint NOT NULL,
     assessment_id bigint NOT NULL,
     first_total bigint NOT NULL,
     total bigint NOT NULL,
     earlier bigint NOT NULL,
     next_on text COLLATE "C",
     PRIMARY KEY (taken_on, participant_id, assessment_id)
   )`,
  `CREATE INDEX report_assessment_steps_person ON report_assessment_steps(participant_id)`,
]

const functions = [
  // One person's rows, forgotten and counted again.
  `CREATE FUNCTION report_assessment_steps_of(of_person bigint) RETURNS void LANGUAGE sql AS $$
     ${refreshSteps('of_person').join('\n')}
   $$`,
]

const of = (person: string) => `PERFORM report_assessment_steps_of(${person});`
const CHANGED = `WHEN (OLD.participant_id IS DISTINCT FROM NEW.participant_id OR OLD.taken_on IS DISTINCT FROM NEW.taken_on
  OR OLD.total IS DISTINCT FROM NEW.total OR (OLD.voided_at IS NULL) <> (NEW.voided_at IS NULL))`

/** Each trigger on assessments and its plpgsql function, both of the trigger's name: [name, timing, when, recount]. */
const triggers = (
  [
    ['report_assessment_steps_insert', 'AFTER INSERT', '', of('NEW.participant_id')],
    ['report_assessment_steps_update', 'AFTER UPDATE OF participant_id, taken_on, total, voided_at', CHANGED, `${of('OLD.participant_id')} ${of('NEW.participant_id')}`],
    ['report_assessment_steps_delete', 'AFTER DELETE', '', of('OLD.participant_id')],
  ] as const
).flatMap(([name, timing, when, recount]) => [
  `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${recount} RETURN NULL; END $$`,
  `CREATE TRIGGER ${name} ${timing} ON assessments FOR EACH ROW ${when} EXECUTE FUNCTION ${name}()`,
])

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...functions]) await sql.raw(statement).execute(db)
  await sql.raw(`${stepsOf('')} ORDER BY 1, 2, 3`).execute(db)
  for (const statement of triggers) await sql.raw(statement).execute(db)
}

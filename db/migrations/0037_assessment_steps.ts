import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * report_assessment_steps: one row per counted (not voided) assessment with what recovery capital
 * judges it by: the person's first total ever (by day, then id), whether the person has an earlier
 * counted assessment, and the day of their next one (null: it is their latest). Over a range F..T
 * a person's latest assessment by T is their row taken in F..T whose next day is after T (or none),
 * so the figure is one pass over the range's rows, in the order of the day they were taken, instead
 * of two look-ups of each person's history and a DISTINCT over the range's assessments.
 *
 * Kept by triggers in the same transaction as every write to assessments (taking, editing, voiding,
 * a merge moving them and its undoing): each recounts the one person's rows from their assessments,
 * a handful of rows through the person's index. Assessments are written a few times a day, never by
 * a sign-in. `admin verify` recounts the table with the same statement (reports/rollups.ts holds
 * today's copy). The statement's words are the same in PostgreSQL, whose twin takes them from here.
 */

/** The rows of the counted assessments `which` picks (an extra condition, or ''), counted from the rows. */
export const stepsOf = (which: string) => `
  INSERT INTO report_assessment_steps (taken_on, participant_id, assessment_id, first_total, total, earlier, next_on)
  SELECT a.taken_on, a.participant_id, a.id, first_value(a.total) OVER w, a.total, CASE WHEN row_number() OVER w > 1 THEN 1 ELSE 0 END, lead(a.taken_on) OVER w
    FROM assessments a WHERE a.voided_at IS NULL ${which}
  WINDOW w AS (PARTITION BY a.participant_id ORDER BY a.taken_on, a.id)`

/** Forget one person's rows and count them again. */
export const refreshSteps = (person: string) => [
  `DELETE FROM report_assessment_steps WHERE participant_id = ${person};`,
  `${stepsOf(`AND a.participant_id = ${person}`)} ORDER BY 1, 2, 3;`,
]

const CHANGED = `OLD.participant_id IS NOT NEW.participant_id OR OLD.taken_on IS NOT NEW.taken_on OR OLD.total IS NOT NEW.total
  OR (OLD.voided_at IS NULL) <> (NEW.voided_at IS NULL)`

export const tables = [
  `CREATE TABLE report_assessment_steps (
     taken_on TEXT NOT NULL,
     participant_id INTEGER NOT NULL,
     assessment_id INTEGER NOT NULL,
     first_total INTEGER NOT NULL,
     total INTEGER NOT NULL,
     earlier INTEGER NOT NULL,
     next_on TEXT,
     PRIMARY KEY (taken_on, participant_id, assessment_id)
   ) WITHOUT ROWID`,
  `CREATE INDEX report_assessment_steps_person ON report_assessment_steps(participant_id)`,
]

const triggers = [
  `CREATE TRIGGER report_assessment_steps_insert AFTER INSERT ON assessments BEGIN ${refreshSteps('NEW.participant_id').join(' ')} END`,
  `CREATE TRIGGER report_assessment_steps_update AFTER UPDATE OF participant_id, taken_on, total, voided_at ON assessments WHEN ${CHANGED}
   BEGIN ${refreshSteps('OLD.participant_id').join(' ')} ${refreshSteps('NEW.participant_id').join(' ')} END`,
  `CREATE TRIGGER report_assessment_steps_delete AFTER DELETE ON assessments BEGIN ${refreshSteps('OLD.participant_id').join(' ')} END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of tables) await sql.raw(statement).execute(db)
  await sql.raw(`${stepsOf('')} ORDER BY 1, 2, 3`).execute(db)
  for (const statement of triggers) await sql.raw(statement).execute(db)
}

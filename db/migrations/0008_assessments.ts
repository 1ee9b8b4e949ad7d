import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Recovery-capital assessments, repeated over time (BARC-10: ten statements, each answered on a
 * six-point scale, a total of 10 to 60). Answers are kept as well as the total, so an item's
 * change can be reported later. A mistaken one is voided with a reason, never deleted.
 * participant_merges remembers the assessments a merge moved, so undo moves them back.
 */
const statements = [
  `CREATE TABLE assessments (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     instrument TEXT NOT NULL CHECK (instrument IN ('barc10')),
     taken_on TEXT NOT NULL CHECK (taken_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
     answers TEXT NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'array' AND json_array_length(answers) = 10),
     total INTEGER NOT NULL CHECK (total BETWEEN 10 AND 60),
     note TEXT,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     voided_at TEXT,
     voided_by INTEGER REFERENCES staff(id),
     void_reason TEXT
   )`,
  `CREATE INDEX assessments_participant ON assessments(participant_id, taken_on)`,
  `CREATE INDEX assessments_taken_on ON assessments(taken_on) WHERE voided_at IS NULL`,
  `ALTER TABLE participant_merges ADD COLUMN moved_assessment_ids TEXT NOT NULL DEFAULT '[]'`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

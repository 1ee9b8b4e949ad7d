import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Safety at the door (issue 19): restrictions and care flags.
 *
 * - restrictions: a manager's decision that a person may not be on site until a date
 *   ('not_on_site', ends_on required) or must see a manager before signing in ('ask_manager',
 *   ends_on optional). In force while starts_on <= today < ends_on and not lifted: it ends by
 *   itself on its date, nothing has to run. `reason` is read only by managers and admins.
 * - care_flags: one short line the desk sees at check-in (interpreter, do not call at home,
 *   allergy, wheelchair); never clinical detail. Removed flags are kept, marked removed.
 */
const DATE = (column: string) => `(${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`

const statements = [
  `CREATE TABLE restrictions (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     kind TEXT NOT NULL CHECK (kind IN ('not_on_site','ask_manager')),
     reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 3 AND 500),
     starts_on TEXT NOT NULL CHECK (${DATE('starts_on')}),
     ends_on TEXT CHECK (ends_on IS NULL OR (${DATE('ends_on')} AND ends_on > starts_on)),
     lifted_at TEXT,
     lifted_by INTEGER REFERENCES staff(id),
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     CHECK (kind = 'ask_manager' OR ends_on IS NOT NULL)
   )`,
  `CREATE INDEX restrictions_participant ON restrictions(participant_id, starts_on)`,
  `CREATE TABLE care_flags (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     kind TEXT NOT NULL CHECK (kind IN ('interpreter','no_home_calls','allergy','wheelchair','other')),
     note TEXT CHECK (note IS NULL OR (length(note) <= 80 AND instr(note, char(10)) = 0)),
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     removed_at TEXT,
     removed_by INTEGER REFERENCES staff(id)
   )`,
  `CREATE INDEX care_flags_participant ON care_flags(participant_id) WHERE removed_at IS NULL`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

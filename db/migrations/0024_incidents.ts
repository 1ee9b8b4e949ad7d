import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Incident reports (issue 19): an overdose on site, a medical emergency, a fight, the police.
 *
 * - incidents: started in seconds (kind, when, one line), filled in later. `occurred_on` is the
 *   center's calendar day of `occurred_at`, kept beside it so the reports count by day as they do
 *   visits. Naloxone doses are those given on site (kits handed out are a service on a visit).
 *   A manager or admin closes it; a closed report is not changed again.
 * - incident_people: who was involved: a registered participant, someone anonymous (a few words
 *   of description at most) or a staff member.
 * - incident_history: every change, with who and when: the fields before and after, as JSON.
 */
const TEXT = (column: string, max: number) => `(${column} IS NULL OR length(${column}) <= ${max})`

const statements = [
  `CREATE TABLE incidents (
     id INTEGER PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('overdose','medical','behavioral','injury','property','police','other')),
     occurred_at TEXT NOT NULL,
     occurred_on TEXT NOT NULL CHECK (occurred_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
     summary TEXT NOT NULL CHECK (length(trim(summary)) BETWEEN 1 AND 200 AND instr(summary, char(10)) = 0),
     location TEXT CHECK ${TEXT('location', 120)},
     naloxone_doses INTEGER CHECK (naloxone_doses IS NULL OR naloxone_doses BETWEEN 0 AND 10),
     ems_called INTEGER CHECK (ems_called IS NULL OR ems_called IN (0, 1)),
     outcome TEXT CHECK (outcome IS NULL OR outcome IN ('responded','transported','declined')),
     narrative TEXT CHECK ${TEXT('narrative', 4000)},
     actions_taken TEXT CHECK ${TEXT('actions_taken', 2000)},
     follow_up TEXT CHECK ${TEXT('follow_up', 2000)},
     critical INTEGER NOT NULL DEFAULT 0 CHECK (critical IN (0, 1)),
     review_note TEXT CHECK ${TEXT('review_note', 2000)},
     closed_at TEXT,
     closed_by INTEGER REFERENCES staff(id),
     created_by INTEGER NOT NULL REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     CHECK ((closed_at IS NULL) = (closed_by IS NULL))
   )`,
  `CREATE INDEX incidents_day ON incidents(occurred_on, kind)`,
  `CREATE INDEX incidents_author ON incidents(created_by, occurred_at)`,
  `CREATE TABLE incident_people (
     id INTEGER PRIMARY KEY,
     incident_id INTEGER NOT NULL REFERENCES incidents(id),
     participant_id INTEGER REFERENCES participants(id),
     staff_id INTEGER REFERENCES staff(id),
     description TEXT CHECK ${TEXT('description', 80)},
     CHECK (participant_id IS NULL OR staff_id IS NULL)
   )`,
  `CREATE INDEX incident_people_incident ON incident_people(incident_id)`,
  `CREATE INDEX incident_people_participant ON incident_people(participant_id) WHERE participant_id IS NOT NULL`,
  `CREATE TABLE incident_history (
     id INTEGER PRIMARY KEY,
     incident_id INTEGER NOT NULL REFERENCES incidents(id),
     action TEXT NOT NULL CHECK (action IN ('create','update','close')),
     changes TEXT NOT NULL,
     staff_id INTEGER REFERENCES staff(id),
     at TEXT NOT NULL
   )`,
  `CREATE INDEX incident_history_incident ON incident_history(incident_id, id)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

const DATE = (column: string) => `${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`

/**
 * One page fewer written by every coaching contact logged (issue 13's < 10 ms goal).
 *
 * 0013 declared coaching_contacts.meeting_id UNIQUE, which SQLite keeps as an index over every
 * row, so each contact, nearly all of them with no meeting, put a NULL entry into it: one more
 * page in the write-ahead log and its fsync, and an index as long as the table that nothing reads
 * for those rows. The rule (a meeting is held by at most one contact) is the same as a unique index
 * over the rows that have a meeting; it joins contacts to meetings as before.
 *
 * SQLite cannot drop a column's UNIQUE, so the table is rebuilt with the same columns in the same
 * order (0021's assessment_id last) and the same checks; nothing references coaching_contacts.
 */
const statements = [
  `CREATE TABLE coaching_contacts_new (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER REFERENCES participants(id),
     engagement_id INTEGER REFERENCES coaching_engagements(id),
     meeting_id INTEGER REFERENCES coaching_meetings(id),
     caller_label TEXT,
     contact_on TEXT NOT NULL CHECK (${DATE('contact_on')}),
     minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
     kind TEXT NOT NULL CHECK (kind IN ('in_person', 'phone', 'video', 'text', 'outreach', 'warmline')),
     topics TEXT NOT NULL DEFAULT '[]',
     note TEXT,
     next_steps TEXT,
     staff_id INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     assessment_id INTEGER REFERENCES assessments(id),
     CHECK (participant_id IS NOT NULL OR engagement_id IS NULL)
   )`,
  `INSERT INTO coaching_contacts_new SELECT id, participant_id, engagement_id, meeting_id, caller_label, contact_on, minutes, kind, topics, note, next_steps, staff_id, created_at, updated_at, assessment_id FROM coaching_contacts`,
  `DROP TABLE coaching_contacts`,
  `ALTER TABLE coaching_contacts_new RENAME TO coaching_contacts`,
  `CREATE UNIQUE INDEX coaching_contacts_meeting ON coaching_contacts(meeting_id) WHERE meeting_id IS NOT NULL`,
  `CREATE INDEX coaching_contacts_participant ON coaching_contacts(participant_id, contact_on) WHERE participant_id IS NOT NULL`,
  `CREATE INDEX coaching_contacts_anonymous ON coaching_contacts(contact_on) WHERE participant_id IS NULL`,
  `CREATE INDEX coaching_contacts_date ON coaching_contacts(contact_on, kind)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0028_contact_writes: coaching_contacts.meeting_id's UNIQUE (an
 * index over every row, nearly all of them without a meeting) becomes a unique index over the rows
 * that have a meeting, the same rule (a meeting is held by at most one contact). SQLite rebuilds
 * the table to drop a column's UNIQUE; PostgreSQL drops the constraint.
 *
 * SQLite's rebuild restates the table's checks. One of them the baseline spelled wrong: its kind
 * list held 'text COLLATE "C"' where SQLite's holds 'text', so a contact by text message was
 * refused on PostgreSQL. It is restated here as SQLite has it.
 */
const statements = [
  `ALTER TABLE coaching_contacts DROP CONSTRAINT coaching_contacts_meeting_id_key`,
  `CREATE UNIQUE INDEX coaching_contacts_meeting ON coaching_contacts(meeting_id) WHERE meeting_id IS NOT NULL`,
  `ALTER TABLE coaching_contacts DROP CONSTRAINT coaching_contacts_kind_check`,
  `ALTER TABLE coaching_contacts ADD CONSTRAINT coaching_contacts_kind_check CHECK (kind IN ('in_person', 'phone', 'video', 'text', 'outreach', 'warmline'))`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

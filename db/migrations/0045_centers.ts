import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Several centers of one organization on one server (issue 15, point 4). The one center a
 * database held so far becomes center 1 (named as the settings name it) and every row it owns
 * says so. A center owns the rows below; their child rows (a visit's services and changes, an
 * alias, a referral's events, a group's facilitators, an engagement's events, a goal's steps,
 * an incident's people and history, an import's rows) belong to it through their parent and
 * are read only through it. Staff accounts, the service catalog, settings, workforce records
 * and the audit log are the organization's. The roll-up tables get their center in a later
 * step (their keys change).
 *
 * No REFERENCES on SQLite: it refuses a new column with a foreign key and a default other than
 * NULL. The services stamp the center from the signed-in session, never from the caller.
 */
export const centerOwnedTables = [
  'participants',
  'visits',
  'participant_merges',
  'agencies',
  'consents',
  'referrals',
  'assessments',
  'groups',
  'group_sessions',
  'enrollments',
  'attendance',
  'closures',
  'coaching_engagements',
  'coaching_meetings',
  'coaching_contacts',
  'restrictions',
  'care_flags',
  'incidents',
  'import_files',
] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE centers (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
      created_at TEXT NOT NULL,
      row_version INTEGER NOT NULL DEFAULT 1 CHECK (row_version > 0)
    )`.execute(db)
  await sql`CREATE UNIQUE INDEX centers_name ON centers (name)`.execute(db)
  // The settings hold the name as JSON text ("\"Harbor House\""); before setup there is none yet.
  await sql`
    INSERT INTO centers (id, name, created_at)
    VALUES (1, coalesce((SELECT json_extract(value, '$') FROM settings WHERE key = 'center_name'), 'Center 1'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`.execute(db)
  // The centers an account works in beyond its home center (staff.home_center_id), granted by an admin.
  await sql`
    CREATE TABLE staff_centers (
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      center_id INTEGER NOT NULL REFERENCES centers(id),
      PRIMARY KEY (staff_id, center_id)
    ) WITHOUT ROWID`.execute(db)
  await sql`ALTER TABLE staff ADD COLUMN home_center_id INTEGER NOT NULL DEFAULT 1 CHECK (home_center_id > 0)`.execute(db)
  for (const table of centerOwnedTables) await sql.raw(`ALTER TABLE ${table} ADD COLUMN center_id INTEGER NOT NULL DEFAULT 1 CHECK (center_id > 0)`).execute(db)
  // The participant list counts a center's people from this index alone (merged and deleted ones apart), as it counted everyone's before.
  await sql`CREATE INDEX participants_center ON participants (center_id, merged_into, deleted_at)`.execute(db)
}

import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

const DATE = (column: string) => `${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`

/**
 * Groups and attendance. A group's schedule is RFC 5545 text (DTSTART;TZID, RRULE, EXDATE, RDATE):
 * the rule is the truth, and sessions are materialized from it for a rolling window, keyed by the
 * occurrence they came from (occurrence_key) so a moved or cancelled one is never made again.
 * Attendance links to the visit it counted toward, so a person is one visit a day however many
 * groups and services they came for. Closures cancel every session on their day; deleting one
 * brings those sessions back.
 */
const statements = [
  `CREATE TABLE groups (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
     name_key TEXT NOT NULL,
     description TEXT,
     kind TEXT NOT NULL CHECK (kind IN ('open', 'closed')),
     room TEXT,
     capacity INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 500),
     series_length INTEGER CHECK (series_length IS NULL OR series_length BETWEEN 1 AND 200),
     duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 600),
     schedule TEXT,
     materialized_through TEXT CHECK (materialized_through IS NULL OR ${DATE('materialized_through')}),
     archived_at TEXT,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE UNIQUE INDEX groups_name_key ON groups(name_key) WHERE archived_at IS NULL`,
  `CREATE TABLE group_facilitators (
     group_id INTEGER NOT NULL REFERENCES groups(id),
     staff_id INTEGER NOT NULL REFERENCES staff(id),
     PRIMARY KEY (group_id, staff_id)
   ) WITHOUT ROWID`,
  `CREATE INDEX group_facilitators_staff ON group_facilitators(staff_id)`,
  `CREATE TABLE closures (
     id INTEGER PRIMARY KEY,
     closed_on TEXT NOT NULL UNIQUE CHECK (${DATE('closed_on')}),
     reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL
   )`,
  `CREATE TABLE group_sessions (
     id INTEGER PRIMARY KEY,
     group_id INTEGER NOT NULL REFERENCES groups(id),
     occurrence_key TEXT,
     session_date TEXT NOT NULL CHECK (${DATE('session_date')}),
     start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
     starts_at TEXT NOT NULL,
     ends_at TEXT NOT NULL,
     room TEXT,
     status TEXT NOT NULL CHECK (status IN ('scheduled', 'held', 'did_not_meet', 'cancelled')),
     cancel_reason TEXT,
     closure_id INTEGER REFERENCES closures(id),
     moved_from TEXT,
     makeup_for INTEGER REFERENCES group_sessions(id),
     topic TEXT,
     note TEXT,
     anonymous_count INTEGER NOT NULL DEFAULT 0 CHECK (anonymous_count BETWEEN 0 AND 1000),
     cover_staff_id INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE UNIQUE INDEX group_sessions_occurrence ON group_sessions(group_id, occurrence_key) WHERE occurrence_key IS NOT NULL`,
  `CREATE INDEX group_sessions_group_date ON group_sessions(group_id, session_date)`,
  `CREATE INDEX group_sessions_date ON group_sessions(session_date, start_time)`,
  `CREATE TABLE enrollments (
     id INTEGER PRIMARY KEY,
     group_id INTEGER NOT NULL REFERENCES groups(id),
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     status TEXT NOT NULL CHECK (status IN ('waitlisted', 'enrolled', 'ended')),
     requested_on TEXT NOT NULL CHECK (${DATE('requested_on')}),
     enrolled_on TEXT CHECK (enrolled_on IS NULL OR ${DATE('enrolled_on')}),
     ended_on TEXT CHECK (ended_on IS NULL OR ${DATE('ended_on')}),
     end_reason TEXT,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE INDEX enrollments_group ON enrollments(group_id, status, enrolled_on)`,
  `CREATE INDEX enrollments_participant ON enrollments(participant_id, group_id)`,
  `CREATE TABLE attendance (
     id INTEGER PRIMARY KEY,
     session_id INTEGER NOT NULL REFERENCES group_sessions(id),
     participant_id INTEGER REFERENCES participants(id),
     anonymous_code TEXT,
     status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused', 'late')),
     visit_id INTEGER REFERENCES visits(id),
     created_visit INTEGER NOT NULL DEFAULT 0 CHECK (created_visit IN (0, 1)),
     follow_up TEXT,
     recorded_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     CHECK ((participant_id IS NULL) <> (anonymous_code IS NULL))
   )`,
  `CREATE UNIQUE INDEX attendance_person ON attendance(session_id, participant_id) WHERE participant_id IS NOT NULL`,
  `CREATE UNIQUE INDEX attendance_code ON attendance(session_id, anonymous_code) WHERE anonymous_code IS NOT NULL`,
  `CREATE INDEX attendance_participant ON attendance(participant_id, session_id) WHERE participant_id IS NOT NULL`,
  `CREATE INDEX attendance_visit ON attendance(visit_id) WHERE visit_id IS NOT NULL`,
  `ALTER TABLE participant_merges ADD COLUMN moved_attendance_ids TEXT NOT NULL DEFAULT '[]'`,
  // The service a visit made by group attendance carries by default (the setting groups.visitService may name another).
  `INSERT INTO services (key, name_en, name_es, has_quantity, sort_order, created_at, updated_at)
     SELECT 'group', 'Group', 'Grupo', 0, coalesce(max(sort_order), 0) + 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     FROM services WHERE NOT EXISTS (SELECT 1 FROM services WHERE key = 'group')`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

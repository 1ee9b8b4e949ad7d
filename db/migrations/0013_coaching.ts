import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

const DATE = (column: string) => `${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`

/**
 * Peer coaching. An engagement pairs a participant with a primary coach (and maybe a backup) for
 * a planned length; at most one is open (active or paused) per person, which the partial unique
 * index holds even against a race. Its history (start, renewals, transfers, status changes) is
 * kept as events. Meetings are scheduled rows (a recurring schedule is expanded when it is made:
 * an engagement is bounded, so the rows are few); contacts are what happened, with or without an
 * engagement, and an anonymous warmline call can be linked to a person later. The recovery plan
 * belongs to the person, not to an engagement: goals by life area with small steps, every change
 * kept in plan_changes.
 */
const statements = [
  `CREATE TABLE coaching_engagements (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     coach_id INTEGER NOT NULL REFERENCES staff(id),
     backup_id INTEGER REFERENCES staff(id),
     started_on TEXT NOT NULL CHECK (${DATE('started_on')}),
     planned_days INTEGER NOT NULL CHECK (planned_days BETWEEN 1 AND 3650),
     ends_on TEXT NOT NULL CHECK (${DATE('ends_on')}),
     stage TEXT NOT NULL CHECK (stage IN ('contemplation', 'before_treatment', 'residential', 'outpatient', 'after_treatment', 'long_term')),
     pathways TEXT NOT NULL DEFAULT '[]',
     status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'completed', 'closed')),
     status_reason TEXT,
     ended_on TEXT CHECK (ended_on IS NULL OR ${DATE('ended_on')}),
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     CHECK (backup_id IS NULL OR backup_id <> coach_id)
   )`,
  `CREATE UNIQUE INDEX coaching_engagements_open ON coaching_engagements(participant_id) WHERE status IN ('active', 'paused')`,
  `CREATE INDEX coaching_engagements_participant ON coaching_engagements(participant_id, started_on)`,
  `CREATE INDEX coaching_engagements_coach ON coaching_engagements(coach_id, status)`,
  `CREATE TABLE coaching_events (
     id INTEGER PRIMARY KEY,
     engagement_id INTEGER NOT NULL REFERENCES coaching_engagements(id),
     kind TEXT NOT NULL CHECK (kind IN ('start', 'update', 'status', 'renew', 'transfer')),
     on_date TEXT NOT NULL CHECK (${DATE('on_date')}),
     detail TEXT NOT NULL DEFAULT '{}',
     staff_id INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL
   )`,
  `CREATE INDEX coaching_events_engagement ON coaching_events(engagement_id, id)`,
  `CREATE TABLE coaching_meetings (
     id INTEGER PRIMARY KEY,
     engagement_id INTEGER NOT NULL REFERENCES coaching_engagements(id),
     meeting_on TEXT NOT NULL CHECK (${DATE('meeting_on')}),
     start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
     kind TEXT NOT NULL CHECK (kind IN ('in_person', 'phone', 'video')),
     status TEXT NOT NULL CHECK (status IN ('scheduled', 'held', 'missed', 'cancelled')),
     reason TEXT,
     schedule TEXT,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE INDEX coaching_meetings_engagement ON coaching_meetings(engagement_id, meeting_on, start_time)`,
  `CREATE TABLE coaching_contacts (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER REFERENCES participants(id),
     engagement_id INTEGER REFERENCES coaching_engagements(id),
     meeting_id INTEGER UNIQUE REFERENCES coaching_meetings(id),
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
     CHECK (participant_id IS NOT NULL OR engagement_id IS NULL)
   )`,
  `CREATE INDEX coaching_contacts_participant ON coaching_contacts(participant_id, contact_on) WHERE participant_id IS NOT NULL`,
  `CREATE INDEX coaching_contacts_anonymous ON coaching_contacts(contact_on) WHERE participant_id IS NULL`,
  `CREATE INDEX coaching_contacts_date ON coaching_contacts(contact_on, kind)`,
  `CREATE TABLE plan_goals (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     area TEXT NOT NULL CHECK (area IN ('housing', 'work_education', 'health', 'family_social', 'recovery_activities', 'meaning')),
     title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
     set_on TEXT NOT NULL CHECK (${DATE('set_on')}),
     progress TEXT NOT NULL CHECK (progress IN ('not_started', 'in_progress', 'done', 'set_aside')),
     done_on TEXT CHECK (done_on IS NULL OR ${DATE('done_on')}),
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE INDEX plan_goals_participant ON plan_goals(participant_id, area)`,
  `CREATE TABLE plan_steps (
     id INTEGER PRIMARY KEY,
     goal_id INTEGER NOT NULL REFERENCES plan_goals(id),
     text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
     target_on TEXT CHECK (target_on IS NULL OR ${DATE('target_on')}),
     progress TEXT NOT NULL CHECK (progress IN ('not_started', 'in_progress', 'done', 'set_aside')),
     done_on TEXT CHECK (done_on IS NULL OR ${DATE('done_on')}),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE INDEX plan_steps_goal ON plan_steps(goal_id, progress, target_on)`,
  `CREATE TABLE plan_changes (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     goal_id INTEGER NOT NULL REFERENCES plan_goals(id),
     step_id INTEGER REFERENCES plan_steps(id),
     change TEXT NOT NULL,
     staff_id INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL
   )`,
  `CREATE INDEX plan_changes_participant ON plan_changes(participant_id, id)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

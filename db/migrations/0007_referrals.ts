import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Referrals, the partner agencies they go to, and consents to share (42 CFR Part 2).
 *
 * - agencies: the center's resource directory (after Open Referral's organization/service:
 *   name, contact, hours, the kinds of referral it takes, when the details were last verified).
 * - consents: a person's written consent to share named kinds of information with one agency
 *   for a stated purpose until a date; revocable. Part 2 requires each of those elements.
 * - referrals: one person, one agency, one kind, a status pipeline (after findhelp's statuses),
 *   a follow-up date and an outcome. `consent_id` is the consent under which anything about the
 *   person was shared; null means nothing was shared (the person was given the agency's details).
 * - referral_events: append-only history of status and follow-up changes. Only its note may be
 *   redacted (by the retention policy).
 * - participant_merges remembers the referrals and consents a merge moved, so undo moves them back.
 */
const TYPES = `'treatment','detox','mat','housing','employment','transport','mental_health','other'`
const STATUSES = `'pending','needs_client_action','eligible','got_help','couldnt_contact','not_eligible','no_capacity','couldnt_get_help','no_longer_interested','referred_elsewhere'`
const DATE = (column: string) => `(${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`

const statements = [
  `CREATE TABLE agencies (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 120),
     name_key TEXT NOT NULL,
     contact_name TEXT,
     phone TEXT,
     email TEXT,
     address TEXT,
     website TEXT,
     hours TEXT,
     notes TEXT,
     verified_on TEXT CHECK (verified_on IS NULL OR ${DATE('verified_on')}),
     active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE UNIQUE INDEX agencies_name ON agencies(name_key)`,
  `CREATE TABLE agency_referral_types (
     agency_id INTEGER NOT NULL REFERENCES agencies(id),
     type TEXT NOT NULL CHECK (type IN (${TYPES})),
     PRIMARY KEY (agency_id, type)
   ) WITHOUT ROWID`,
  `CREATE INDEX agency_referral_types_type ON agency_referral_types(type, agency_id)`,

  `CREATE TABLE consents (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     agency_id INTEGER NOT NULL REFERENCES agencies(id),
     purpose TEXT NOT NULL CHECK (length(trim(purpose)) BETWEEN 1 AND 300),
     information TEXT NOT NULL CHECK (json_valid(information) AND json_type(information) = 'array'),
     signed_on TEXT NOT NULL CHECK (${DATE('signed_on')}),
     expires_on TEXT NOT NULL CHECK (${DATE('expires_on')} AND expires_on >= signed_on),
     revoked_at TEXT,
     revoked_by INTEGER REFERENCES staff(id),
     revoke_note TEXT,
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE INDEX consents_participant ON consents(participant_id, agency_id)`,

  `CREATE TABLE referrals (
     id INTEGER PRIMARY KEY,
     participant_id INTEGER NOT NULL REFERENCES participants(id),
     agency_id INTEGER NOT NULL REFERENCES agencies(id),
     type TEXT NOT NULL CHECK (type IN (${TYPES})),
     status TEXT NOT NULL CHECK (status IN (${STATUSES})),
     consent_id INTEGER REFERENCES consents(id),
     note TEXT,
     referred_on TEXT NOT NULL CHECK (${DATE('referred_on')}),
     follow_up_on TEXT CHECK (follow_up_on IS NULL OR ${DATE('follow_up_on')}),
     outcome_note TEXT,
     closed_on TEXT CHECK (closed_on IS NULL OR ${DATE('closed_on')}),
     created_by INTEGER REFERENCES staff(id),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   )`,
  `CREATE INDEX referrals_participant ON referrals(participant_id, referred_on)`,
  // The work list: open referrals by the date they next need a call.
  `CREATE INDEX referrals_open_follow_up ON referrals(follow_up_on, id) WHERE closed_on IS NULL`,
  `CREATE INDEX referrals_referred_on ON referrals(referred_on, id)`,
  `CREATE INDEX referrals_agency ON referrals(agency_id, referred_on)`,
  `CREATE INDEX referrals_consent ON referrals(consent_id) WHERE consent_id IS NOT NULL`,

  `CREATE TABLE referral_events (
     id INTEGER PRIMARY KEY,
     referral_id INTEGER NOT NULL REFERENCES referrals(id),
     status TEXT NOT NULL CHECK (status IN (${STATUSES})),
     follow_up_on TEXT,
     note TEXT,
     staff_id INTEGER REFERENCES staff(id),
     at TEXT NOT NULL
   )`,
  `CREATE INDEX referral_events_referral ON referral_events(referral_id, id)`,
  `CREATE TRIGGER referral_events_no_delete BEFORE DELETE ON referral_events
     BEGIN SELECT RAISE(ABORT, 'referral_events is append-only'); END`,
  `CREATE TRIGGER referral_events_no_update BEFORE UPDATE ON referral_events
     WHEN NOT ((NEW.note IS NULL OR NEW.note = '[removed]')
       AND NEW.id = OLD.id AND NEW.referral_id = OLD.referral_id AND NEW.status = OLD.status
       AND NEW.follow_up_on IS OLD.follow_up_on AND NEW.staff_id IS OLD.staff_id AND NEW.at = OLD.at)
     BEGIN SELECT RAISE(ABORT, 'referral_events is append-only'); END`,

  `ALTER TABLE participant_merges ADD COLUMN moved_referral_ids TEXT NOT NULL DEFAULT '[]'`,
  `ALTER TABLE participant_merges ADD COLUMN moved_consent_ids TEXT NOT NULL DEFAULT '[]'`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

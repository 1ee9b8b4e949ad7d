import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * report_referral_states: one row per referral with what the reports judge it by that does not
 * depend on the range's end: its type and day, its status on the row, when it first reached
 * eligible-or-got-help and got-help, and its latest event (by id) with that event's instant,
 * status and follow-up date. A range's figures then read one narrow row per referral, in the
 * order of the day it was made, instead of looking up each referral's history four times; only
 * a referral with an event on or after the range's end still has its history read, to find where
 * it stood then (reports/rules.ts).
 *
 * Kept by triggers in the same transaction as every write to referrals and their events: each
 * recounts the one referral from its rows (a few look-ups through referral_events(referral_id, id)),
 * the same statement `admin verify` recounts every referral with (reports/rollups.ts holds
 * today's copy). SQLite's SQL; a PostgreSQL backend brings its own migration.
 */

/** The rows of the referrals `which` picks, counted from their rows. */
const rowsOf = (which: string) => `
  INSERT INTO report_referral_states (referred_on, referral_id, type, status_now, accepted_at, got_help_at, last_at, last_status, last_follow_up_on)
  SELECT r.referred_on, r.id, r.type, r.status,
         (SELECT min(e.at) FROM referral_events e WHERE e.referral_id = r.id AND e.status IN ('eligible', 'got_help')),
         (SELECT min(e.at) FROM referral_events e WHERE e.referral_id = r.id AND e.status = 'got_help'),
         (SELECT max(e.at) FROM referral_events e WHERE e.referral_id = r.id),
         (SELECT e.status FROM referral_events e WHERE e.referral_id = r.id ORDER BY e.id DESC LIMIT 1),
         (SELECT e.follow_up_on FROM referral_events e WHERE e.referral_id = r.id ORDER BY e.id DESC LIMIT 1)
    FROM referrals r ${which}`
const recount = (id: string) => `${rowsOf(`WHERE r.id = ${id}`)};`
const forget = (day: string, id: string) => `DELETE FROM report_referral_states WHERE referred_on = ${day} AND referral_id = ${id};`
const dayOf = (id: string) => `(SELECT r.referred_on FROM referrals r WHERE r.id = ${id})`

export const statements = [
  `CREATE TABLE report_referral_states (
     referred_on TEXT NOT NULL,
     referral_id INTEGER NOT NULL,
     type TEXT NOT NULL,
     status_now TEXT NOT NULL,
     accepted_at TEXT,
     got_help_at TEXT,
     last_at TEXT,
     last_status TEXT,
     last_follow_up_on TEXT,
     PRIMARY KEY (referred_on, referral_id)
   ) WITHOUT ROWID`,
  `CREATE TRIGGER report_referral_states_insert AFTER INSERT ON referrals BEGIN ${recount('NEW.id')} END`,
  `CREATE TRIGGER report_referral_states_update AFTER UPDATE OF referred_on, type, status ON referrals
   BEGIN ${forget('OLD.referred_on', 'OLD.id')} ${recount('NEW.id')} END`,
  `CREATE TRIGGER report_referral_states_delete AFTER DELETE ON referrals BEGIN ${forget('OLD.referred_on', 'OLD.id')} END`,
  `CREATE TRIGGER report_referral_states_event AFTER INSERT ON referral_events
   BEGIN ${forget(dayOf('NEW.referral_id'), 'NEW.referral_id')} ${recount('NEW.referral_id')} END`,
  `CREATE TRIGGER report_referral_states_event_update AFTER UPDATE OF referral_id, status, follow_up_on, at ON referral_events
   BEGIN ${forget(dayOf('OLD.referral_id'), 'OLD.referral_id')} ${recount('OLD.referral_id')} ${forget(dayOf('NEW.referral_id'), 'NEW.referral_id')} ${recount('NEW.referral_id')} END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
  // Every referral made so far, in the table's key order.
  await sql.raw(rowsOf('ORDER BY r.referred_on, r.id')).execute(db)
}

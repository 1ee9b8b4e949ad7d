import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * The referral figures read every referral of the range (report_referral_states, 0026) and sorted
 * them by kind and status, some 18,000 a year at a busy center, and read them again for the median.
 * report_referral_months holds the same counts per month, kind and status, for each referral as it
 * stands at its latest event: made, first accepted, and got help. A range's whole months are then
 * some 60 summed rows each; only the days of a month the range cuts, and the referrals with an
 * event on or after the range's end (for a range that ended in the past), are still read one by
 * one (reports/figures.ts). The open referrals, whose follow-up date is judged against the range's
 * end, are read through a partial index of their own (a few hundred a year), and the connected
 * ones' days to connection through another.
 *
 * Kept by triggers on report_referral_states, whose triggers forget and recount a referral's row
 * on every write to it or its events: each row in adds its counts, each row out takes them away,
 * in the same transaction. Referrals are written a few times a day, never by a sign-in. `admin
 * verify` recounts it from report_referral_states (reports/rollups.ts). The words are the same
 * in PostgreSQL, whose twin takes them from here.
 */

/** Adds (`sign` 1) or takes away (-1) one report_referral_states row (`row`: NEW or OLD) from its month's counts. */
export const monthDelta = (row: string, sign: 1 | -1) => [
  `INSERT INTO report_referral_months AS t (month, type, status, made, accepted, connected)
     VALUES (substr(${row}.referred_on, 1, 7), ${row}.type, coalesce(${row}.last_status, ${row}.status_now), ${sign},
             CASE WHEN ${row}.accepted_at IS NULL THEN 0 ELSE ${sign} END, CASE WHEN ${row}.got_help_at IS NULL THEN 0 ELSE ${sign} END)
     ON CONFLICT (month, type, status) DO UPDATE SET made = t.made + excluded.made, accepted = t.accepted + excluded.accepted, connected = t.connected + excluded.connected;`,
  `DELETE FROM report_referral_months WHERE made = 0 AND month = substr(${row}.referred_on, 1, 7) AND type = ${row}.type
     AND status = coalesce(${row}.last_status, ${row}.status_now);`,
]

/** Every referral's counts, from report_referral_states (the backfill; reports/rollups.ts has the same for verify). */
export const BACKFILL = `
  INSERT INTO report_referral_months (month, type, status, made, accepted, connected)
  SELECT substr(s.referred_on, 1, 7), s.type, coalesce(s.last_status, s.status_now), count(*), count(s.accepted_at), count(s.got_help_at)
    FROM report_referral_states s GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`

/**
 * The open referrals (OPEN_REFERRAL_STATUSES) by day made, with what their follow-up is judged by;
 * and the connected ones with when they first got help, for the median days to connection: each
 * read from a narrow index rather than from the referrals' rows of the range.
 */
export const INDEXES = [
  `CREATE INDEX report_referral_states_open ON report_referral_states(referred_on, last_at, last_follow_up_on)
     WHERE last_status IN ('pending', 'needs_client_action', 'eligible')`,
  `CREATE INDEX report_referral_states_connected ON report_referral_states(referred_on, got_help_at) WHERE got_help_at IS NOT NULL`,
]

const statements = [
  `CREATE TABLE report_referral_months (
     month TEXT NOT NULL,
     type TEXT NOT NULL,
     status TEXT NOT NULL,
     made INTEGER NOT NULL,
     accepted INTEGER NOT NULL,
     connected INTEGER NOT NULL,
     PRIMARY KEY (month, type, status)
   ) WITHOUT ROWID`,
  ...INDEXES,
  BACKFILL,
  `CREATE TRIGGER report_referral_months_insert AFTER INSERT ON report_referral_states BEGIN ${monthDelta('NEW', 1).join(' ')} END`,
  `CREATE TRIGGER report_referral_months_delete AFTER DELETE ON report_referral_states BEGIN ${monthDelta('OLD', -1).join(' ')} END`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

import { sql, type Kysely } from 'kysely'
import { BACKFILL, INDEXES, monthDelta } from '../0038_referral_months'

// Frozen in time: this file must never import application code or today's schema types (SQLite's
// 0038 is itself frozen, so taking its SQL text from there is the same as copying it).

/**
 * PostgreSQL's twin of SQLite's 0038_referral_months: report_referral_months, each month's
 * referrals by kind and status at their latest event (made, accepted, got help), kept by triggers
 * of the same names on report_referral_states, and the partial indexes of the open and the connected referrals.
 * Spelled for PostgreSQL: text COLLATE "C" and bigint as in the baseline, an ordinary table where
 * SQLite's is WITHOUT ROWID, and each trigger a plpgsql function of its name.
 */

const table = `CREATE TABLE report_referral_months (
     month text COLLATE "C" NOT NULL,
     type text COLLATE "C" NOT NULL,
     status text COLLATE "C" NOT NULL,
     made bigint NOT NULL,
     accepted bigint NOT NULL,
     connected bigint NOT NULL,
     PRIMARY KEY (month, type, status)
   )`

const triggers = (
  [
    ['report_referral_months_insert', 'AFTER INSERT', monthDelta('NEW', 1)],
    ['report_referral_months_delete', 'AFTER DELETE', monthDelta('OLD', -1)],
  ] as const
).flatMap(([name, timing, body]) => [
  `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body.join('\n')} RETURN NULL; END $$`,
  `CREATE TRIGGER ${name} ${timing} ON report_referral_states FOR EACH ROW EXECUTE FUNCTION ${name}()`,
])

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [table, ...INDEXES, BACKFILL, ...triggers]) await sql.raw(statement).execute(db)
}

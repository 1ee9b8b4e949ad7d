import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * PostgreSQL's twin of SQLite's 0026_referral_states: report_referral_states, one row per referral
 * with what the reports judge it by that does not depend on the range's end (its type, day and
 * status, when it first reached eligible-or-got-help and got-help, and its latest event by id),
 * kept by triggers of the same names in the same transaction as every write to referrals and their
 * events. Each trigger forgets the referral's row and recounts it from its rows, as SQLite's do.
 *
 * Spelled for PostgreSQL: text COLLATE "C" and bigint as in the baseline, an ordinary table where
 * SQLite's is WITHOUT ROWID, and the recount one SQL function (report_referral_state_of) that the
 * trigger functions call.
 */

const tables = [
  `CREATE TABLE report_referral_states (
     referred_on text COLLATE "C" NOT NULL,
     referral_id bigint NOT NULL,
     type text COLLATE "C" NOT NULL,
     status_now text COLLATE "C" NOT NULL,
     accepted_at text COLLATE "C",
     got_help_at text COLLATE "C",
     last_at text COLLATE "C",
     last_status text COLLATE "C",
     last_follow_up_on text COLLATE "C",
     PRIMARY KEY (referred_on, referral_id)
   )`,
]

/** The rows of the referrals `which` picks, counted from their rows (SQLite's rowsOf, word for word). */
const rowsOf = (which: string) => `
  INSERT INTO report_referral_states (referred_on, referral_id, type, status_now, accepted_at, got_help_at, last_at, last_status, last_follow_up_on)
  SELECT r.referred_on, r.id, r.type, r.status,
         (SELECT min(e.at) FROM referral_events e WHERE e.referral_id = r.id AND e.status IN ('eligible', 'got_help')),
         (SELECT min(e.at) FROM referral_events e WHERE e.referral_id = r.id AND e.status = 'got_help'),
         (SELECT max(e.at) FROM referral_events e WHERE e.referral_id = r.id),
         (SELECT e.status FROM referral_events e WHERE e.referral_id = r.id ORDER BY e.id DESC LIMIT 1),
         (SELECT e.follow_up_on FROM referral_events e WHERE e.referral_id = r.id ORDER BY e.id DESC LIMIT 1)
    FROM referrals r ${which}`

const functions = [
  // One referral's row, counted again (its old row already forgotten by the caller).
  `CREATE FUNCTION report_referral_state_of(of_referral bigint) RETURNS void LANGUAGE sql AS $$
     ${rowsOf('WHERE r.id = of_referral')}
   $$`,
]

const recount = (id: string) => `PERFORM report_referral_state_of(${id});`
const forget = (day: string, id: string) => `DELETE FROM report_referral_states WHERE referred_on = ${day} AND referral_id = ${id};`
const dayOf = (id: string) => `(SELECT r.referred_on FROM referrals r WHERE r.id = ${id})`

/** A trigger and its function, both called `name`, as the baseline spells them; `body` is plpgsql. */
function trigger(name: string, timing: string, table: string, body: string): string[] {
  return [
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       ${body}
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER ${name} ${timing} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  ]
}

const triggers = [
  ...trigger('report_referral_states_insert', 'AFTER INSERT', 'referrals', recount('NEW.id')),
  ...trigger('report_referral_states_update', 'AFTER UPDATE OF referred_on, type, status', 'referrals', `${forget('OLD.referred_on', 'OLD.id')} ${recount('NEW.id')}`),
  ...trigger('report_referral_states_delete', 'AFTER DELETE', 'referrals', forget('OLD.referred_on', 'OLD.id')),
  ...trigger('report_referral_states_event', 'AFTER INSERT', 'referral_events', `${forget(dayOf('NEW.referral_id'), 'NEW.referral_id')} ${recount('NEW.referral_id')}`),
  ...trigger(
    'report_referral_states_event_update',
    'AFTER UPDATE OF referral_id, status, follow_up_on, at',
    'referral_events',
    `${forget(dayOf('OLD.referral_id'), 'OLD.referral_id')} ${recount('OLD.referral_id')}
     ${forget(dayOf('NEW.referral_id'), 'NEW.referral_id')} ${recount('NEW.referral_id')}`,
  ),
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...functions, ...triggers]) await sql.raw(statement).execute(db)
  // Every referral made so far, in the table's key order.
  await sql.raw(rowsOf('ORDER BY r.referred_on, r.id')).execute(db)
}

import { sql, type Kysely } from 'kysely'
import { BACKFILL, groupLastDayDelta, lastDayDelta, MOVED } from '../0042_last_days'

// Frozen in time: this file must never import application code or today's schema types (SQLite's
// 0042 is itself frozen, so taking its SQL text from there is the same as copying it).

/**
 * PostgreSQL's twin of SQLite's 0042_last_days: report_last_days and report_group_last_days, how
 * many rows of each month of report_person_months and report_group_people have each last day,
 * kept by triggers of the same names on those two tables. Spelled for PostgreSQL: text COLLATE "C"
 * and bigint as in the baseline, ordinary tables where SQLite's are WITHOUT ROWID, and each trigger
 * a plpgsql function of its name.
 */

const tables = [
  `CREATE TABLE report_last_days (
     month text COLLATE "C" NOT NULL,
     kind bigint NOT NULL,
     service_id bigint NOT NULL,
     coded bigint NOT NULL,
     last_day text COLLATE "C" NOT NULL,
     people bigint NOT NULL,
     PRIMARY KEY (month, last_day, kind, service_id, coded)
   )`,
  `CREATE TABLE report_group_last_days (
     month text COLLATE "C" NOT NULL,
     group_id bigint NOT NULL,
     last_day text COLLATE "C" NOT NULL,
     people bigint NOT NULL,
     PRIMARY KEY (month, last_day, group_id)
   )`,
]

const differs = (columns: readonly string[]) => columns.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')

const triggers = (
  [
    ['report_last_days_insert', 'AFTER INSERT', 'report_person_months', null, lastDayDelta('NEW', 1)],
    ['report_last_days_delete', 'AFTER DELETE', 'report_person_months', null, lastDayDelta('OLD', -1)],
    ['report_last_days_update', `AFTER UPDATE OF ${MOVED.person.join(', ')}`, 'report_person_months', differs(MOVED.person), [...lastDayDelta('OLD', -1), ...lastDayDelta('NEW', 1)]],
    ['report_group_last_days_insert', 'AFTER INSERT', 'report_group_people', null, groupLastDayDelta('NEW', 1)],
    ['report_group_last_days_delete', 'AFTER DELETE', 'report_group_people', null, groupLastDayDelta('OLD', -1)],
    ['report_group_last_days_update', `AFTER UPDATE OF ${MOVED.group.join(', ')}`, 'report_group_people', differs(MOVED.group), [...groupLastDayDelta('OLD', -1), ...groupLastDayDelta('NEW', 1)]],
  ] as const
).flatMap(([name, timing, table, when, body]) => [
  `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body.join('\n')} RETURN NULL; END $$`,
  `CREATE TRIGGER ${name} ${timing} ON ${table} FOR EACH ROW ${when ? `WHEN (${when}) ` : ''}EXECUTE FUNCTION ${name}()`,
])

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...BACKFILL, ...triggers]) await sql.raw(statement).execute(db)
}

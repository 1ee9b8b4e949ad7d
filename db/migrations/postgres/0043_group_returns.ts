import { sql, type Kysely } from 'kysely'
import { BACKFILL, groupReturnsDelta, MOVED } from '../0043_group_returns'

// Frozen in time: this file must never import application code or today's schema types (SQLite's
// 0043 is itself frozen, so taking its SQL text from there is the same as copying it).

/**
 * PostgreSQL's twin of SQLite's 0043_group_returns: report_group_month_returns and
 * report_group_day_returns, how many rows of each month and group of report_group_people have
 * their previous day in each earlier month and on each earlier day, kept by triggers of the same
 * names on report_group_people. Spelled for PostgreSQL: text COLLATE "C" and bigint as in the
 * baseline, ordinary tables where SQLite's are WITHOUT ROWID, and each trigger a plpgsql function of its name.
 */

const tables = [
  `CREATE TABLE report_group_month_returns (
     month text COLLATE "C" NOT NULL,
     group_id bigint NOT NULL,
     prev_month text COLLATE "C" NOT NULL,
     people bigint NOT NULL,
     PRIMARY KEY (month, prev_month, group_id)
   )`,
  `CREATE TABLE report_group_day_returns (
     month text COLLATE "C" NOT NULL,
     group_id bigint NOT NULL,
     prev_day text COLLATE "C" NOT NULL,
     people bigint NOT NULL,
     PRIMARY KEY (prev_day, month, group_id)
   )`,
]

const triggers = (
  [
    ['report_group_returns_insert', 'AFTER INSERT', null, groupReturnsDelta('NEW', 1)],
    ['report_group_returns_delete', 'AFTER DELETE', null, groupReturnsDelta('OLD', -1)],
    [
      'report_group_returns_update',
      `AFTER UPDATE OF ${MOVED.join(', ')}`,
      MOVED.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR '),
      [...groupReturnsDelta('OLD', -1), ...groupReturnsDelta('NEW', 1)],
    ],
  ] as const
).flatMap(([name, timing, when, body]) => [
  `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body.join('\n')} RETURN NULL; END $$`,
  `CREATE TRIGGER ${name} ${timing} ON report_group_people FOR EACH ROW ${when ? `WHEN (${when}) ` : ''}EXECUTE FUNCTION ${name}()`,
])

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...tables, ...BACKFILL, ...triggers]) await sql.raw(statement).execute(db)
}

import { sql, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { migrationList, SCHEMA_VERSION, schemaVersionOf } from '../../db/migrations'
import { postgresMigrationList } from '../../db/migrations/postgres'
import type { Database } from '../../db/schema'
import { describePostgres, useBothBackends } from './pg-helpers'
import { postgresShape, sqliteShape } from './schema-shape'

/**
 * Search is the one structure spelled differently on purpose: FTS5's virtual tables (and the shadow
 * tables SQLite keeps for them) on one side, a table with trigram indexes on the other. They are
 * compared by what the search service reads from them, below, not column by column.
 */
const SQLITE_SEARCH = /^participant_search(_data|_idx|_docsize|_config|_terms)?$/
const POSTGRES_SEARCH = /^participant_search$/

/**
 * The live screens' NOTIFY triggers (migration 0041) exist on PostgreSQL only, on purpose: there
 * other PCs must hear each commit; SQLite's one writer tells its own windows. They are left out of
 * the comparison and checked on their own below.
 */
const POSTGRES_ONLY_TRIGGER = /^porchlight_feed_/

/**
 * A row's center (migration 0045) references centers only on PostgreSQL: SQLite refuses a foreign
 * key on a column added with a default other than NULL. Its CHECK is on both.
 */
const POSTGRES_ONLY_FOREIGN_KEY = /^(home_)?center_id -> centers\.id$/

describe('the PostgreSQL migrations follow SQLite\'s', () => {
  it('start at a SQLite migration and then have a twin of the same name for every later one, up to the same schema version', () => {
    const sqliteNames = migrationList.map(([name]) => name)
    const postgresNames = postgresMigrationList.map(([name]) => name)
    const baseline = Number(postgresNames[0]!.slice(0, 4))
    const sqliteAfterBaseline = sqliteNames.filter((name) => Number(name.slice(0, 4)) > baseline)
    expect(sqliteNames.some((name) => Number(name.slice(0, 4)) === baseline)).toBe(true)
    // A SQLite migration merged without its PostgreSQL twin fails here, naming it.
    expect(postgresNames.slice(1)).toEqual(sqliteAfterBaseline)
    expect(schemaVersionOf(postgresNames)).toBe(SCHEMA_VERSION)
  })
})

describePostgres('SQLite and PostgreSQL build the same schema', () => {
  const both = useBothBackends()

  it('the same tables, columns (type intent, not-null, default), keys, uniques, foreign keys, checks and triggers, and the same indexes', async () => {
    await both(async (opened, server) => {
      const sqlite = sqliteShape(opened.sqlite, (table) => SQLITE_SEARCH.test(table))
      const postgres = await postgresShape(server.db, (table) => POSTGRES_SEARCH.test(table))
      for (const [name, table] of Object.entries(postgres.tables)) {
        table.triggers = table.triggers.filter((trigger) => !POSTGRES_ONLY_TRIGGER.test(trigger))
        // staff_centers has its foreign keys on both (a new table): only added columns lack one on SQLite.
        table.foreignKeys = table.foreignKeys.filter((key) => !POSTGRES_ONLY_FOREIGN_KEY.test(key) || sqlite.tables[name]?.foreignKeys.includes(key))
      }
      expect(Object.keys(postgres.tables).sort()).toEqual(Object.keys(sqlite.tables).sort())
      for (const [table, shape] of Object.entries(sqlite.tables)) {
        // One table at a time, so a difference names its table.
        expect({ table, ...postgres.tables[table] }).toEqual({ table, ...shape })
      }
      expect(Object.keys(postgres.indexes).filter((name) => !name.startsWith('participant_search')).sort()).toEqual(Object.keys(sqlite.indexes).sort())
      for (const [index, shape] of Object.entries(sqlite.indexes)) {
        expect({ index, ...postgres.indexes[index] }).toEqual({ index, ...shape })
      }
    })
  })

  it('only PostgreSQL has the change feed’s triggers, one on each table a live screen shows', async () => {
    await both(async (opened, server) => {
      const feedTriggers = (shape: { tables: Record<string, { triggers: string[] }> }) =>
        Object.entries(shape.tables).flatMap(([table, { triggers }]) => triggers.filter((name) => POSTGRES_ONLY_TRIGGER.test(name)).map((name) => `${table}: ${name}`))
      expect(feedTriggers(await postgresShape(server.db, (table) => POSTGRES_SEARCH.test(table))).sort()).toEqual([
        'attendance: porchlight_feed_attendance',
        'participants: porchlight_feed_participants',
        'referrals: porchlight_feed_referrals',
        'visits: porchlight_feed_visits',
      ])
      expect(feedTriggers(sqliteShape(opened.sqlite, (table) => SQLITE_SEARCH.test(table)))).toEqual([])
    })
  })

  it('the same catalog rows seeded (services, workforce categories and credential kinds, the search state)', async () => {
    await both(async (opened, server) => {
      const catalogs = async (db: Kysely<Database>) => ({
        services: await db.selectFrom('services').select(['id', 'key', 'name_en', 'name_es', 'has_quantity', 'sort_order', 'retired_at']).orderBy('id').execute(),
        categories: await db.selectFrom('workforce_categories').selectAll().orderBy('id').execute(),
        kinds: await db.selectFrom('workforce_credential_kinds').selectAll().orderBy('id').execute(),
        searchState: (await sql`SELECT id, names_version FROM participant_search_state`.execute(db)).rows,
        settings: await db.selectFrom('settings').selectAll().execute(),
      })
      expect(await catalogs(server.db)).toEqual(await catalogs(opened.db))
    })
  })

  it('search holds the same columns on both: FTS5 on SQLite, trigram-indexed text on PostgreSQL', async () => {
    await both(async (opened, server) => {
      const fts = (opened.sqlite.prepare(`SELECT name FROM pragma_table_info('participant_search')`).all() as Array<{ name: string }>).map((c) => c.name)
      const shape = await postgresShape(server.db, (table) => table !== 'participant_search')
      const table = shape.tables.participant_search!
      expect(Object.keys(table.columns).filter((name) => fts.includes(name))).toEqual(fts)
      expect(table.columns.rowid).toEqual({ type: 'integer', notNull: true, default: null })
      expect(table.triggers).toEqual([])
      // Trigrams on name, code and phone; birth; and the recency key of the names beyond ASCII (0051).
      const indexes = Object.values(shape.indexes).filter((index) => index.table === 'participant_search')
      expect(indexes.map((index) => index.columns[0]).sort()).toEqual(['birth', 'code', 'name', 'phone', 'rowid'])
    })
  })
})

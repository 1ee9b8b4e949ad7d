import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { beforeEach, expect, it } from 'vitest'
import { generateKey } from '../../db/keys'
import { migrationList } from '../../db/migrations'
import { postgresMigrationList } from '../../db/migrations/postgres'
import { createDatabase, openDatabase } from '../../db/open'
import { connectPostgres, migratePostgres } from '../../db/postgres'
import type { Database } from '../../db/schema'
import { listAgencies } from '../../db/services/agencies'
import { createCenter } from '../../db/services/centers'
import { createClosure, listClosures } from '../../db/services/closures'
import { brokeUnique, localDate, type ServiceContext } from '../../db/services/context'
import { addDays } from '../../db/services/group-schedule'
import { exportDirectory } from '../../db/services/hsds/export'
import { hsdsStateKey, importDirectory, previewDirectoryImport } from '../../db/services/hsds/import'
import { importRecords, previewRecords, type RecordsJob } from '../../db/services/records-import'
import { serviceError, setUpCenter } from './front-desk-helpers'
import { useTempDirs } from './helpers'
import { describeEachBackend, describePostgres, usePostgresDatabases, useRecords } from './pg-helpers'

const EXAMPLES = join(import.meta.dirname, '../fixtures/hsds-3.0-examples')
const tempDir = useTempDirs()

/**
 * Issue 15's leftovers: what was unique across the organization is each center's (migration 0061).
 * Harbor House (center 1) and North Side on one database, on each backend.
 */
describeEachBackend('each center its own closed days, imported files and directory', (backend) => {
  const records = useRecords(backend)
  let harbor: ServiceContext
  let north: ServiceContext
  beforeEach(async () => {
    const { ctx } = await setUpCenter(records().db)
    const made = await createCenter(ctx, { name: 'North Side' })
    harbor = { ...ctx, centerId: 1 }
    north = { ...ctx, centerId: made.id }
  })

  it('two centers close on the same day; one center still cannot close it twice, and the index itself says so', async () => {
    const day = addDays(localDate(harbor), 10)
    const a = await createClosure(harbor, { date: day, reason: 'Holiday' })
    const b = await createClosure(north, { date: day, reason: 'Staff training' })
    expect(a.id).not.toBe(b.id)
    expect((await listClosures(north)).map((c) => [c.id, c.reason])).toEqual([[b.id, 'Staff training']])
    expect(await serviceError(createClosure(harbor, { date: day, reason: 'Again' }))).toMatchObject({ code: 'VALIDATION', key: 'closures.already' })
    // Two PCs at once pass the check together: the index refuses the second, by the name the service maps.
    const twice = records().db.insertInto('closures').values({ center_id: 1, closed_on: day, reason: 'Race', created_by: null, created_at: '2026-11-25T15:00:00.000Z' }).execute()
    const error = await twice.then(() => null, (e: unknown) => e)
    expect(brokeUnique(error, { name: 'closures_center_day', table: 'closures', columns: ['center_id', 'closed_on'] })).toBe(true)
  })

  it('the same people list and sign-in log import into two centers, each once; a second time into one is refused', async () => {
    const dir = tempDir()
    const people = join(dir, 'people.csv')
    writeFileSync(people, ['Client ID,First,Last,Birth year', 'P-1,Nia,Norte,1990', 'P-2,Omar,Reyes,1985'].join('\n'))
    const visits = join(dir, 'visits.csv')
    writeFileSync(visits, ['Client ID,Date,In', 'P-1,2026-11-02,9:30', 'P-2,2026-11-03,10:00', ',2026-11-03,11:00'].join('\n'))
    const job = (ctx: ServiceContext, file: string, kind: RecordsJob['kind']): RecordsJob => ({
      file,
      kind,
      staffId: ctx.staffId,
      now: '2026-11-25T15:00:00.000Z',
      timeZone: 'UTC',
      centerId: ctx.centerId!,
      mapping: kind === 'participants' ? { personId: 'Client ID', firstName: 'First', lastName: 'Last', birthYear: 'Birth year' } : { person: 'Client ID', date: 'Date', timeIn: 'In' },
    })
    const into = records()
    for (const ctx of [harbor, north]) {
      // The other center's import is not this one's: nothing was imported here before.
      expect((await previewRecords(into, job(ctx, people, 'participants'))).importedBefore).toBeNull()
      expect((await importRecords(into, job(ctx, people, 'participants'))).counts).toMatchObject({ newPeople: 2, alreadyImported: 0 })
      expect((await importRecords(into, job(ctx, visits, 'visits'))).counts).toMatchObject({ visits: 3, anonymous: 1, alreadyImported: 0 })
    }
    const byCenter = async (table: 'participants' | 'visits' | 'import_files' | 'import_rows') =>
      (await into.db.selectFrom(table).select(['center_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('center_id').orderBy('center_id').execute()).map((row) => [Number(row.center_id), Number(row.n)])
    expect(await byCenter('participants')).toEqual([[1, 2], [north.centerId, 2]])
    expect(await byCenter('visits')).toEqual([[1, 3], [north.centerId, 3]])
    expect(await byCenter('import_files')).toEqual([[1, 2], [north.centerId, 2]])
    expect(await byCenter('import_rows')).toEqual([[1, 5], [north.centerId, 5]])
    // Each center's visits are its own people's.
    const crossed = await into.db.selectFrom('visits as v').innerJoin('participants as p', 'p.id', 'v.participant_id').select('v.id').whereRef('v.center_id', '<>', 'p.center_id').execute()
    expect(crossed).toEqual([])
    expect((await previewRecords(into, job(north, visits, 'visits'))).importedBefore).toBe('2026-11-25T15:00:00.000Z')
    for (const [file, kind] of [[people, 'participants'], [visits, 'visits']] as const) {
      expect(await serviceError(importRecords(into, job(harbor, file, kind)))).toMatchObject({ code: 'CONFLICT', key: 'recordsImport.alreadyImported' })
    }
    expect(await byCenter('visits')).toEqual([[1, 3], [north.centerId, 3]])
  })

  it('an HSDS import adds to the window\'s center\'s directory, and an export writes that center\'s directory only', async () => {
    const result = await importDirectory(north, EXAMPLES, { skipBadRows: false })
    expect(result.counts.new).toBe(1)
    const agencies = await records().db.selectFrom('agencies').select(['center_id']).execute()
    expect(agencies.map((a) => Number(a.center_id))).toEqual([north.centerId])
    expect(await listAgencies(harbor, { includeInactive: true })).toEqual([])
    // Harbor House's directory is still empty: the same files are new there, not "unchanged".
    expect((await previewDirectoryImport(harbor, EXAMPLES)).counts).toMatchObject({ new: 1, unchanged: 0 })
    expect((await previewDirectoryImport(north, EXAMPLES)).counts).toMatchObject({ new: 0, unchanged: 1 })
    const state = await records().db.selectFrom('settings').select('key').where('key', 'like', 'directory.hsds%').execute()
    expect(state.map((row) => row.key)).toEqual([hsdsStateKey(north.centerId!)])
    expect((await exportDirectory(harbor, join(tempDir(), 'harbor'))).agencies).toBe(0)
    expect((await exportDirectory(north, join(tempDir(), 'north'))).agencies).toBe(1)
  })
})

/** Rows a database at 0058 held, written the same way on both backends. */
const OLD_ROWS = [
  `INSERT INTO centers (id, name, created_at) VALUES (2, 'North Side', '2026-01-01T00:00:00.000Z')`,
  `UPDATE centers SET name = 'Harbor House' WHERE id = 1`,
  `INSERT INTO settings (key, value, updated_at) VALUES ('center_name', '"Harbor Light"', '2026-01-02T00:00:00.000Z')`,
  `INSERT INTO settings (key, value, updated_at) VALUES ('directory.hsds', '{"records":{},"agencies":{},"importedAt":null}', '2026-01-02T00:00:00.000Z')`,
  `INSERT INTO closures (id, closed_on, reason, created_at, center_id) VALUES (7, '2026-12-24', 'Holiday', '2026-01-02T00:00:00.000Z', 1)`,
  `INSERT INTO groups (id, name, name_key, kind, duration_minutes, created_at, updated_at) VALUES (3, 'Circle', 'circle', 'open', 60, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z')`,
  `INSERT INTO group_sessions (id, group_id, session_date, start_time, starts_at, ends_at, status, closure_id, created_at, updated_at)
     VALUES (5, 3, '2026-12-24', '10:00', '2026-12-24T15:00:00.000Z', '2026-12-24T16:00:00.000Z', 'cancelled', 7, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z')`,
  `INSERT INTO import_files (id, kind, sha256, file_name, rows, counts, imported_at, pending, center_id) VALUES (9, 'participants', 'abc', 'people.csv', 1, '{}', '2026-01-02T00:00:00.000Z', 0, 2)`,
  `INSERT INTO participants (id, code, first_name, name_key, created_at, updated_at, center_id, import_file_id) VALUES (11, 'NS-11', 'Nia', 'nia', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 2, 9)`,
  `INSERT INTO import_rows (kind, row_key, file_id, target_id) VALUES ('participants', 'id:P-1', 9, 11)`,
]

/** What 0061 must keep and change, read the same way on both backends. */
async function afterUpgrade(db: Kysely<Database>) {
  return {
    closures: await db.selectFrom('closures').select(['id', 'closed_on', 'center_id']).execute(),
    session: await db.selectFrom('group_sessions').select(['id', 'closure_id']).execute(),
    files: await db.selectFrom('import_files').select(['id', 'sha256', 'center_id']).execute(),
    rows: await db.selectFrom('import_rows').select(['row_key', 'file_id', 'target_id', 'center_id']).execute(),
    settings: (await db.selectFrom('settings').select('key').where('key', 'in', ['center_name', 'directory.hsds', 'directory.hsds.1']).execute()).map((row) => row.key),
    center: await db.selectFrom('centers').select(['name', 'row_version']).where('id', '=', 1).executeTakeFirstOrThrow(),
  }
}

const UPGRADED = {
  closures: [{ id: 7, closed_on: '2026-12-24', center_id: 1 }],
  session: [{ id: 5, closure_id: 7 }],
  files: [{ id: 9, sha256: 'abc', center_id: 2 }],
  rows: [{ row_key: 'id:P-1', file_id: 9, target_id: 11, center_id: 2 }],
  settings: ['directory.hsds.1'],
  // Settings → Center had renamed center 1 in the settings only: the row takes that later name.
  center: { name: 'Harbor Light', row_version: 2 },
}

/** After the upgrade: the other center may close the same day and import the same file; center 1 still may not close it twice. */
async function newRulesHold(db: Kysely<Database>) {
  await db.insertInto('closures').values({ center_id: 2, closed_on: '2026-12-24', reason: 'Holiday', created_by: null, created_at: '2026-01-03T00:00:00.000Z' }).execute()
  await db.insertInto('import_files').values({ center_id: 1, kind: 'participants', sha256: 'abc', file_name: 'people.csv', rows: 1, counts: '{}', staff_id: null, imported_at: '2026-01-03T00:00:00.000Z' }).execute()
  await expect(db.insertInto('closures').values({ center_id: 1, closed_on: '2026-12-24', reason: 'Again', created_by: null, created_at: '2026-01-03T00:00:00.000Z' }).execute()).rejects.toThrow()
}

it('0061 on SQLite: the three tables rebuilt with their rows, children still pointing at them, foreign keys enforced again', async () => {
  const file = join(tempDir(), 'porchlight.db')
  const key = generateKey()
  const older = await createDatabase(file, key, { through: '0058_fewer_sign_in_pages' })
  for (const statement of OLD_ROWS) older.sqlite.prepare(statement).run()
  await older.close()
  const opened = await openDatabase(file, key)
  try {
    expect(await afterUpgrade(opened.db)).toEqual(UPGRADED)
    expect(opened.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(opened.sqlite.pragma('legacy_alter_table', { simple: true })).toBe(0)
    expect(opened.sqlite.prepare('SELECT * FROM pragma_foreign_key_check').all()).toEqual([])
    expect(opened.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    // The parent is a parent again: a session naming a closure that does not exist is refused.
    expect(() => opened.sqlite.prepare(`UPDATE group_sessions SET closure_id = 999 WHERE id = 5`).run()).toThrow(/FOREIGN KEY/)
    // The visits' triggers still read import_files (a pending file's visit counts nowhere).
    expect(opened.sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%import_files%'`).pluck().get()).toBeGreaterThan(0)
    await newRulesHold(opened.db)
  } finally {
    await opened.close()
  }
})

describePostgres('0061 on PostgreSQL', () => {
  const databases = usePostgresDatabases()

  it('swaps the constraints in place, gives each imported row its file\'s center, and moves the settings as on SQLite', async () => {
    const url = await databases.make()
    const server = await connectPostgres(url)
    try {
      const names = postgresMigrationList.map(([name]) => name)
      const at = names.indexOf('0058_fewer_sign_in_pages') + 1
      await migratePostgres(server.db, { ...server.upgrade, pending: names.slice(0, at) })
      for (const statement of OLD_ROWS) await sql.raw(statement).execute(server.db)
      await migratePostgres(server.db, { ...server.upgrade, pending: names })
      expect(await afterUpgrade(server.db)).toEqual(UPGRADED)
      await newRulesHold(server.db)
    } finally {
      await server.close()
    }
  })
})

it('0061 is numbered alike on both backends', () => {
  expect(migrationList.map(([name]) => name)).toContain('0061_center_uniques')
  expect(postgresMigrationList.map(([name]) => name)).toContain('0061_center_uniques')
})

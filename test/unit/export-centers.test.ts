import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { configure, Uint8ArrayReader, Uint8ArrayWriter, ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js'
import { sql, type Kysely } from 'kysely'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { generateKey, type DbKey } from '../../db/keys'
import { moveToPostgres } from '../../db/move'
import { createDatabase, openDatabase } from '../../db/open'
import { openPostgres } from '../../db/postgres'
import type { Database } from '../../db/schema'
import { seedDatabase } from '../../db/seed'
import { CENTER_OWNED, createCenter } from '../../db/services/centers'
import type { ServiceContext } from '../../db/services/context'
import { BELONGS } from '../../db/services/export/by-center'
import { exportEverything, type ExportSource } from '../../db/services/export/run'
import { exportTables, MANIFEST_FILE } from '../../db/services/export/write'
import { completeSetup } from '../../db/services/setup'
import { createStaff } from '../../db/services/staff-accounts'
import { TEST_START, runningClock } from '../clock'
import { admin } from './admin-helpers'
import { useTempDirs } from './helpers'
import { describeEachBackend, usePostgresDatabases, type TestBackend } from './pg-helpers'

configure({ useWebWorkers: false })

/**
 * The full export of some centers (issue 15, point 4) on both backends. One seeded center's records
 * are split between Harbor House (1) and North Side (2): every even-numbered person and what is
 * theirs moves to North Side, the other rows by their own id. Two records matched across the
 * centers, two within Harbor House; a pair dismissed across the centers, one within Harbor House.
 */
const HARBOR = 1
let north = 0
let home: string
let file: string
let key: DbKey
let adminId = 0
const ids = { harbor: [] as number[], north: [] as number[] }

type Db = Kysely<Database>
type Csv = string[][]

async function split(db: Db, to: number): Promise<void> {
  const tables = await exportTables(db)
  const columnsOf = (name: string) => tables.find((table) => table.name === name)!.columns.map((column) => column.name)
  await sql`UPDATE participants SET center_id = ${to} WHERE id % 2 = 0`.execute(db)
  for (const table of CENTER_OWNED) {
    if (table === 'participants') continue
    const columns = columnsOf(table)
    if (table === 'import_rows') await sql`UPDATE import_rows SET center_id = (SELECT f.center_id FROM import_files f WHERE f.id = import_rows.file_id)`.execute(db)
    else if (columns.includes('participant_id')) {
      await sql`UPDATE ${sql.table(table)} SET center_id = (SELECT p.center_id FROM participants p WHERE p.id = ${sql.ref(`${table}.participant_id`)}) WHERE participant_id IS NOT NULL`.execute(db)
      await sql`UPDATE ${sql.table(table)} SET center_id = ${to} WHERE participant_id IS NULL AND id % 2 = 0`.execute(db)
    } else if (table === 'participant_merges') await sql`UPDATE participant_merges SET center_id = (SELECT p.center_id FROM participants p WHERE p.id = participant_merges.kept_id)`.execute(db)
    else await sql`UPDATE ${sql.table(table)} SET center_id = ${to} WHERE id % 2 = 0`.execute(db)
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'porchlight-'))
  key = generateKey()
  file = join(home, 'two-centers.db')
  const opened = await createDatabase(file, key)
  try {
    const now = runningClock()
    const staff = await completeSetup({ db: opened.db, staffId: null, now }, { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })
    adminId = staff.id
    await seedDatabase(opened, { participants: 40, days: 20, seed: 3, until: new Date(TEST_START) })
    const ctx: ServiceContext = { db: opened.db, staffId: staff.id, now, timeZone: 'UTC' }
    north = (await createCenter(ctx, { name: 'North Side' })).id
    await split(opened.db, north)
    const people = await opened.db.selectFrom('participants').select(['id', 'center_id']).where('merged_into', 'is', null).orderBy('id').execute()
    ids.harbor = people.filter((p) => p.center_id === HARBOR).map((p) => p.id)
    ids.north = people.filter((p) => p.center_id === north).map((p) => p.id)
    const [h1, h2, h3, h4] = ids.harbor as [number, number, number, number]
    const [n1] = ids.north as [number]
    const matched = (participant: number, group: number, center: number) => ({ participant_id: participant, org_person_id: group, center_id: center, matched_by: staff.id, matched_at: TEST_START })
    const low = Math.min(h1, n1)
    await opened.db.insertInto('person_matches').values([matched(low, low, low === h1 ? HARBOR : north), matched(Math.max(h1, n1), low, low === h1 ? north : HARBOR), matched(h2, h2, HARBOR), matched(h3, h2, HARBOR)]).execute()
    await opened.db.insertInto('person_match_dismissals').values([
      { low_id: Math.min(h4, n1), high_id: Math.max(h4, n1), dismissed_by: staff.id, dismissed_at: TEST_START },
      { low_id: h3, high_id: h4, dismissed_by: staff.id, dismissed_at: TEST_START },
    ]).execute()
  } finally {
    await opened.close()
  }
}, 120_000)

afterAll(() => rmSync(home, { recursive: true, force: true }))

function isFile(entry: Entry): entry is FileEntry {
  return !entry.directory
}

async function unzip(zip: string): Promise<Map<string, string>> {
  const reader = new ZipReader(new Uint8ArrayReader(readFileSync(zip)))
  const files = new Map<string, string>()
  for (const entry of (await reader.getEntries()).filter(isFile)) files.set(entry.filename, new TextDecoder().decode(await entry.getData(new Uint8ArrayWriter())))
  await reader.close()
  return files
}

function csv(text: string | undefined): Csv {
  expect(text).toBeDefined()
  return Papa.parse<string[]>(text!, { skipEmptyLines: true }).data
}

/** A column of a CSV file, as text. */
function column(rows: Csv, name: string): string[] {
  const at = rows[0]!.indexOf(name)
  expect(at, name).toBeGreaterThanOrEqual(0)
  return rows.slice(1).map((row) => row[at]!)
}

describeEachBackend('an export of some centers', (backend: TestBackend) => {
  const tempDir = useTempDirs()
  const databases = backend === 'postgres' ? usePostgresDatabases('block') : null
  let db: Db
  let source: ExportSource
  let close: () => Promise<void>

  beforeAll(async () => {
    if (databases) {
      const url = await databases.make()
      await moveToPostgres(file, key, url)
      const server = await openPostgres(url)
      db = server.db
      source = { serverUrl: url }
      close = () => server.close()
    } else {
      const opened = await openDatabase(file, key)
      db = opened.db
      source = { file }
      close = () => opened.close()
    }
  }, 120_000)
  afterAll(async () => close())

  /** The export as the app makes it (on the worker thread): the window's center, or every center. */
  async function exported(centers: number[] | null): Promise<Map<string, Csv>> {
    const names = centers === null ? ['Harbor House', 'North Side'] : centers.map((id) => (id === HARBOR ? 'Harbor House' : 'North Side'))
    const ctx: ServiceContext = { db, staffId: adminId, now: runningClock(), timeZone: 'UTC', centerId: centers?.[0] ?? HARBOR }
    const result = await exportEverything(source, 'file' in source ? key : null, ctx, { folder: tempDir(), encrypted: false, scope: centers === null ? 'organization' : 'center' })
    const files = await unzip(result.file)
    const manifest = JSON.parse(files.get(MANIFEST_FILE)!) as { centers: unknown }
    expect(manifest.centers).toEqual(centers === null ? { all: true, names } : { all: false, names, ids: centers })
    return new Map([...files].filter(([name]) => name.endsWith('.csv') && name !== 'data-dictionary.csv').map(([name, text]) => [name.slice(0, -4), csv(text)]))
  }

  it("one center's export holds its records and nothing of the other center's; both together are the whole database", async () => {
    const harbor = await exported([HARBOR])
    const northSide = await exported([north])
    const all = await exported(null)

    // The whole organization: every row the database holds (but the export's own audit rows, written after), as an export wrote them before there were centers.
    for (const [table, rows] of all) {
      if (table === 'audit_log') continue
      const { n } = await db.selectFrom(table as keyof Database).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect(rows.length - 1, table).toBe(Number(n))
    }
    expect([...harbor.keys()].sort()).toEqual([...all.keys()].sort())
    for (const table of all.keys()) expect(BELONGS[table], `${table}: whose rows?`).toBeDefined()

    for (const [mine, theirs, center] of [[harbor, northSide, HARBOR], [northSide, harbor, north]] as const) {
      for (const [table, rows] of mine) {
        const belongs = BELONGS[table]!
        const count = rows.length - 1
        if (belongs === 'organization') {
          // Whole in every export (the audit log a row shorter for each export made after this one).
          if (table !== 'audit_log') expect(count, table).toBe(all.get(table)!.length - 1)
          continue
        }
        if (belongs === 'center') expect(new Set(column(rows, 'center_id')), table).toEqual(count === 0 ? new Set() : new Set([String(center)]))
        else {
          // A child row only with its parent rows, in this same export.
          for (const [name, parent] of Object.entries(belongs)) {
            const parents = new Set(column(mine.get(parent)!, 'id'))
            expect(column(rows, name).filter((id) => !parents.has(id)), `${table}.${name}`).toEqual([])
          }
        }
        if (table === 'person_matches' || table === 'person_match_dismissals') continue
        // Each row in exactly one center's export.
        expect(count + theirs.get(table)!.length - 1, table).toBe(all.get(table)!.length - 1)
      }
    }
    // The tables worth counting have rows at both centers.
    for (const table of ['participants', 'visits', 'visit_services', 'attendance', 'groups', 'referrals', 'referral_events', 'assessments']) {
      expect(harbor.get(table)!.length, table).toBeGreaterThan(1)
      expect(northSide.get(table)!.length, table).toBeGreaterThan(1)
    }
    // The cross-center match and dismissal are in neither center's export; Harbor House's own are in its.
    expect(all.get('person_matches')!.length - 1).toBe(4)
    expect(column(harbor.get('person_matches')!, 'participant_id').map(Number).sort((a, b) => a - b)).toEqual([ids.harbor[1], ids.harbor[2]])
    expect(northSide.get('person_matches')!.length - 1).toBe(0)
    expect(all.get('person_match_dismissals')!.length - 1).toBe(2)
    expect(column(harbor.get('person_match_dismissals')!, 'low_id')).toEqual([String(ids.harbor[2])])
    expect(northSide.get('person_match_dismissals')!.length - 1).toBe(0)
  }, 120_000)
})

describe('choosing the centers of an export', () => {
  const tempDir = useTempDirs()
  let keyFile: string

  beforeAll(() => {
    keyFile = join(home, 'key.txt')
    new FileKeyStore(keyFile).save(key)
  })

  it("exports the window's center by default, every center for an organization admin, and names them in the zip and the audit log", async () => {
    const opened = await openDatabase(file, key)
    try {
      const ctx: ServiceContext = { db: opened.db, staffId: adminId, now: runningClock(), timeZone: 'UTC', centerId: north }
      const one = await exportEverything(opened, key, ctx, { folder: tempDir(), encrypted: false })
      const files = await unzip(one.file)
      expect(JSON.parse(files.get(MANIFEST_FILE)!).centers).toEqual({ all: false, names: ['North Side'], ids: [north] })
      expect(csv(files.get('participants.csv')).length - 1).toBe(one.files.find((f) => f.file === 'participants.csv')!.rows)
      const audit = async () => JSON.parse((await opened.db.selectFrom('audit_log').select('detail').where('action', '=', 'export.create').orderBy('id', 'desc').executeTakeFirstOrThrow()).detail!)
      expect((await audit()).centers).toEqual({ all: false, names: ['North Side'], ids: [north] })

      const every = await exportEverything(opened, key, ctx, { folder: tempDir(), encrypted: false, scope: 'organization' })
      expect(JSON.parse((await unzip(every.file)).get(MANIFEST_FILE)!).centers).toEqual({ all: true, names: ['Harbor House', 'North Side'] })
      expect((await audit()).centers).toEqual({ all: true, names: ['Harbor House', 'North Side'] })

      // Anyone but an organization admin exports only the center they work in.
      const manager = await createStaff(ctx, { username: 'morgan', displayName: 'Morgan', role: 'manager', password: 'a long enough password' })
      await expect(exportEverything(opened, key, { ...ctx, staffId: manager.id }, { folder: tempDir(), encrypted: false, scope: 'organization' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    } finally {
      await opened.close()
    }
  }, 120_000)

  it('npm run admin -- export --center ID|all: several centers need one, named like report', async () => {
    const base = ['export', '--db', file, '--key-file', keyFile, '--unencrypted']
    const none = await admin([...base, '--to', tempDir()])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain(`1 (Harbor House), ${north} (North Side)`)
    const unknown = await admin([...base, '--to', tempDir(), '--center', '99'])
    expect(unknown.code).toBe(2)

    const to = tempDir()
    const one = await admin([...base, '--to', to, '--center', String(HARBOR)])
    expect(one.code, one.stderr).toBe(0)
    const harbor = await unzip(join(to, readdirSync(to)[0]!))
    expect(JSON.parse(harbor.get(MANIFEST_FILE)!).centers).toMatchObject({ all: false, names: ['Harbor House'] })
    expect(new Set(column(csv(harbor.get('visits.csv')), 'center_id'))).toEqual(new Set([String(HARBOR)]))

    const everyTo = tempDir()
    const every = await admin([...base, '--to', everyTo, '--center', 'all'])
    expect(every.code, every.stderr).toBe(0)
    const all = await unzip(join(everyTo, readdirSync(everyTo)[0]!))
    expect(new Set(column(csv(all.get('visits.csv')), 'center_id'))).toEqual(new Set([String(HARBOR), String(north)]))
  }, 120_000)
})

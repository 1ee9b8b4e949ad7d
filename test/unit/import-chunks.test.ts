import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildPeopleList, buildVisitsLog, PEOPLE_MAPPING, VISITS_MAPPING } from '../../bench/import'
import { generateKey, type DbKey } from '../../db/keys'
import { createDatabase, openDatabase, type OpenDatabase } from '../../db/open'
import type { RecordsImportProgress } from '../../db/records-import-types'
import type { ServiceContext } from '../../db/services/context'
import { findDuplicates } from '../../db/services/duplicates'
import { exportTables } from '../../db/services/export/write'
import { listParticipants } from '../../db/services/participant-list'
import { createParticipant } from '../../db/services/participants'
import { getParticipantProfile } from '../../db/services/profile'
import { searchParticipants } from '../../db/services/search'
import { importRecords, type RecordsJob } from '../../db/services/records-import'
import { PEOPLE_CHUNK, VISIT_CHUNK } from '../../db/services/records-import/write'
import { dashboard } from '../../db/services/reports/dashboard'
import { checkRollups } from '../../db/services/reports/rollups'
import { completeSetup } from '../../db/services/setup'
import { signIn, todayVisits } from '../../db/services/visits'
import { useTempDirs } from './helpers'
import { clock } from './front-desk-helpers'

/**
 * A sign-in log goes in chunk by chunk, each its own transaction, behind a pending file nobody
 * sees until one last switch (db/services/records-import/write.ts). Here the desk works on its own
 * connection between the chunks, as it does beside the worker thread: its sign-in goes through,
 * and nothing of the import shows in a list, a count or a report until the switch.
 */
const ROWS = VISIT_CHUNK * 2 + 1500
const RANGE = { from: '2021-01-01', to: '2021-12-31' }
const tempDir = useTempDirs()

interface Center {
  file: string
  key: DbKey
  /** The importer's connection (the worker's, in the app). */
  importer: OpenDatabase
  /** The desk's own connection, as main holds it. */
  desk: OpenDatabase
  ctx: ServiceContext
  /** The people the log names. */
  people: number[]
  log: string
  job: RecordsJob
}

let center: Center

beforeEach(async () => {
  const file = join(tempDir(), 'center.db')
  const key = generateKey()
  const importer = await createDatabase(file, key)
  const time = clock()
  const admin = await completeSetup(
    { db: importer.db, staffId: null, now: time.now, timeZone: 'UTC' },
    { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' },
  )
  const desk = await openDatabase(file, key, { check: 'none' })
  const ctx: ServiceContext = { db: desk.db, staffId: admin.id, now: time.now, timeZone: 'UTC' }
  const made = []
  for (let i = 0; i < 30; i++) made.push(await createParticipant(ctx, { firstName: `Person ${i}`, lastName: 'Log', birthYear: 1970 + i }))
  const codes = made.map((person) => person.code)
  const log = join(tempDir(), 'sign-in-log.csv')
  writeFileSync(log, buildVisitsLog(codes, ROWS))
  const job: RecordsJob = { file: log, kind: 'visits', mapping: VISITS_MAPPING, staffId: admin.id, now: time.now().toISOString(), timeZone: 'UTC' }
  center = { file, key, importer, desk, ctx, people: made.map((person) => person.id), log, job }
})

afterEach(async () => {
  await center.desk.close()
  await center.importer.close()
})

/** What the desk and the reports can see: the lists, counts and figures an import must not show half of. */
async function seen(c: Center) {
  const board = await dashboard(c.ctx, RANGE)
  const one = (query: string) => c.desk.sqlite.prepare(query).pluck().get() as number
  return {
    people: board.summary.current.people,
    visitsInRange: board.summary.current.visits,
    services: board.services.current,
    visitCounts: one('SELECT sum(visit_count) FROM participants'),
    today: (await todayVisits(c.ctx)).length,
  }
}

const rawVisits = (c: Center) => c.desk.sqlite.prepare('SELECT count(*) FROM visits').pluck().get() as number
const rollupsClean = async (db: OpenDatabase) => (await checkRollups(db.db)).filter((check) => check.missing + check.extra > 0)

describe('a records import written in chunks', () => {
  it('lets the desk sign people in between its chunks, and shows nothing of it until the switch', async () => {
    const before = await seen(center)
    expect(before.visitsInRange.visits).toBe(0)
    const between: Array<{ raw: number; seen: Awaited<ReturnType<typeof seen>> }> = []
    const onProgress = async (progress: RecordsImportProgress) => {
      if (progress.phase !== 'writing' || progress.done >= progress.total) return
      // The importer is between two of its transactions: the desk's sign-in of someone the log names must go straight through.
      await signIn(center.ctx, { participantId: center.people[between.length]!, anonymousCode: null, services: [] })
      between.push({ raw: rawVisits(center), seen: await seen(center) })
    }
    const result = await importRecords(center.importer, center.job, onProgress)
    expect(result.counts.visits).toBe(ROWS)

    // One sign-in after each of the 3 chunks of visits, one after the chunk of their row identities,
    // and one after the switch's counting was prepared (that person's roll-ups are then counted
    // again in the switch): the raw rows grow, and nothing shows.
    expect(between.map((b) => b.raw)).toEqual([VISIT_CHUNK + 1, VISIT_CHUNK * 2 + 2, ROWS + 3, ROWS + 4, ROWS + 5])
    expect(between.map((b) => b.seen)).toEqual([1, 2, 3, 4, 5].map((today) => ({ ...before, visitCounts: today, today })))
    // After the switch, all of it at once, and the roll-ups exactly as the rows say.
    const after = await seen(center)
    expect(after.visitsInRange.visits).toBe(ROWS)
    expect(after.visitCounts).toBe(ROWS + 5)
    expect(after.today).toBe(5)
    expect(await rollupsClean(center.desk)).toEqual([])
  })

  it('leaves a crashed import unseen, and the next run discards it and imports the whole file', async () => {
    const before = await seen(center)
    let chunks = 0
    const crash = (progress: RecordsImportProgress) => {
      if (progress.phase === 'writing' && ++chunks === 2) throw new Error('the power went out')
    }
    await expect(importRecords(center.importer, center.job, crash)).rejects.toThrow('the power went out')
    // Two chunks are in the file, pending: nobody sees them, and the roll-ups do not hold them.
    expect(rawVisits(center)).toBe(VISIT_CHUNK * 2)
    expect(center.desk.sqlite.prepare('SELECT pending FROM import_files').pluck().all()).toEqual([1])
    expect(await seen(center)).toEqual(before)
    expect(await rollupsClean(center.desk)).toEqual([])

    // The same file again: what the crash left is thrown away, and the file goes in whole, once.
    const result = await importRecords(center.importer, center.job)
    expect(result.counts.visits).toBe(ROWS)
    expect(rawVisits(center)).toBe(ROWS)
    expect(center.desk.sqlite.prepare('SELECT count(*) AS files, sum(pending) AS pending FROM import_files').get()).toEqual({ files: 1, pending: 0 })
    expect(center.desk.sqlite.prepare('SELECT count(*) FROM import_rows').pluck().get()).toBe(ROWS)
    expect((await seen(center)).visitsInRange.visits).toBe(ROWS)
    expect(await rollupsClean(center.desk)).toEqual([])
  })
})

describe('a people list written in chunks', () => {
  const PEOPLE = PEOPLE_CHUNK * 2 + 300
  const list = () => {
    const file = join(tempDir(), 'people.csv')
    writeFileSync(file, buildPeopleList(PEOPLE))
    return { ...center.job, file, kind: 'participants' as const, mapping: PEOPLE_MAPPING }
  }
  const newest = (c: Center) => c.desk.sqlite.prepare('SELECT max(id) FROM participants').pluck().get() as number
  const rawPeople = (c: Center) => c.desk.sqlite.prepare('SELECT count(*) FROM participants').pluck().get() as number
  /** Where a person shows: search (a name of the list, none of the desk's), the list and its total, the duplicate check, the profile, the export. */
  async function found(c: Center) {
    const search = { ...c.ctx, sqlite: c.desk.sqlite }
    const page = await listParticipants(c.ctx, { offset: 0, limit: 100, sort: { column: 'name', direction: 'asc' } })
    const named = await listParticipants(c.ctx, { offset: 0, limit: 100, filter: { text: 'Olúwaseun' } })
    const profile = await getParticipantProfile(c.ctx, newest(c)).then(
      (p) => p.participant.id,
      (error: { code?: string }) => error.code,
    )
    const exported = (await exportTables(c.desk.db)).find((table) => table.name === 'participants')!.rows
    return {
      search: (await searchParticipants(search, 'Oluwaseun', 100)).length,
      listed: page.rows.filter((row) => !row.firstName?.startsWith('Person ')).length,
      total: page.total,
      named: named.total,
      duplicates: (await findDuplicates(c.desk.db, { centerId: 1 }, { firstName: 'Olúwaseun', lastName: 'García' })).length,
      profile,
      exported,
    }
  }

  it('lets the desk sign people in between its chunks, and finds none of its people anywhere until the switch', async () => {
    const job = list()
    const before = await found(center)
    expect(before).toMatchObject({ search: 0, listed: 0, total: 30, named: 0, duplicates: 0, exported: 30 })
    const between: Array<{ raw: number; found: Awaited<ReturnType<typeof found>>; signedIn: string | null }> = []
    const onProgress = async (progress: RecordsImportProgress) => {
      if (progress.phase !== 'writing' || progress.done >= progress.total) return
      // Between two of the importer's transactions: the desk signs someone in, and cannot sign in one of the list's people.
      await signIn(center.ctx, { participantId: center.people[between.length]!, anonymousCode: null, services: [] })
      const signedIn = await signIn(center.ctx, { participantId: newest(center), anonymousCode: null, services: [] }).then(
        () => null,
        (error: { code?: string }) => error.code ?? 'error',
      )
      between.push({ raw: rawPeople(center), found: await found(center), signedIn })
    }
    const result = await importRecords(center.importer, job, onProgress)
    expect(result.counts.newPeople).toBe(PEOPLE)
    // One sign-in after each of the 3 chunks: the raw rows grow, nothing shows, and a pending person cannot be signed in.
    expect(between.map((b) => b.raw)).toEqual([30 + PEOPLE_CHUNK, 30 + PEOPLE_CHUNK * 2, 30 + PEOPLE])
    expect(between.map((b) => b.found)).toEqual([1, 2, 3].map(() => ({ ...before, profile: 'NOT_FOUND' })))
    expect(between.map((b) => b.signedIn)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND'])
    const after = await found(center)
    expect(after.search).toBeGreaterThan(0)
    expect(after.named).toBeGreaterThan(0)
    expect(after.duplicates).toBeGreaterThan(0)
    expect(after).toMatchObject({ total: 30 + PEOPLE, profile: newest(center), exported: 30 + PEOPLE })
    expect((await todayVisits(center.ctx)).length).toBe(3)
    expect(await rollupsClean(center.desk)).toEqual([])
  })

  it('leaves a crashed people list unseen, discards it at the next import, and a second run imports nothing twice', async () => {
    const job = list()
    const before = await found(center)
    let chunks = 0
    const crash = (progress: RecordsImportProgress) => {
      if (progress.phase === 'writing' && ++chunks === 2) throw new Error('the power went out')
    }
    await expect(importRecords(center.importer, job, crash)).rejects.toThrow('the power went out')
    expect(rawPeople(center)).toBe(30 + PEOPLE_CHUNK * 2)
    expect(center.desk.sqlite.prepare('SELECT pending FROM import_files').pluck().all()).toEqual([1])
    expect(await found(center)).toEqual({ ...before, profile: 'NOT_FOUND' })
    // A sign-in log planned now does not know the pending people (the visits import discards them first).
    const result = await importRecords(center.importer, job)
    expect(result.counts.newPeople).toBe(PEOPLE)
    expect(rawPeople(center)).toBe(30 + PEOPLE)
    expect(center.desk.sqlite.prepare('SELECT count(*) AS files, sum(pending) AS pending FROM import_files').get()).toEqual({ files: 1, pending: 0 })
    expect(center.desk.sqlite.prepare("SELECT count(*) FROM import_rows WHERE kind = 'participants'").pluck().get()).toBe(PEOPLE)
    expect((await found(center)).total).toBe(30 + PEOPLE)
    // The same rows in another file (a different hash): every row was imported before, nothing changes.
    const again = join(tempDir(), 'people-again.csv')
    writeFileSync(again, `${buildPeopleList(PEOPLE)}\r\n`)
    const second = await importRecords(center.importer, { ...job, file: again })
    expect(second.counts).toMatchObject({ newPeople: 0, alreadyImported: PEOPLE })
    expect(rawPeople(center)).toBe(30 + PEOPLE)
    expect(center.desk.sqlite.prepare("SELECT count(*) FROM import_rows WHERE kind = 'participants'").pluck().get()).toBe(PEOPLE)
    expect(await rollupsClean(center.desk)).toEqual([])
  })
})

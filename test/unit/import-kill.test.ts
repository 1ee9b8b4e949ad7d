import { copyFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { serialize } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { buildPeopleList, buildVisitsLog, PEOPLE_MAPPING, VISITS_MAPPING } from '../../bench/import'
import { generateKey, keyToHex } from '../../db/keys'
import { createDatabase, openDatabase, type OpenDatabase } from '../../db/open'
import { planImport } from '../../db/services/records-import/plan'
import { readRecordsFile } from '../../db/services/records-import/read'
import { discardPendingImports } from '../../db/services/records-import/write'
import { checkRollups } from '../../db/services/reports/rollups'
import type { RecordMapping } from '../../db/domain/records-import'
import { visiblePersonText, visibleVisitText } from '../../db/services/visible-visits'
import { seedDatabase } from '../../db/seed'
import { TEST_START } from '../clock'
import { bundleFixture, random, runChild, type KillAt } from './fixture-child'
import type { PlannedImport } from './fixtures/import-child'
import { useTempDirs } from './helpers'

/**
 * A crash half-way through a records import leaves none of the file or all of it, as the user sees
 * it: a child process writes a 200,000-row sign-in log (chunk by chunk behind a pending file, the
 * row identities, then one switch: records-import/write.ts) and is killed with SIGKILL at moments
 * spread over the whole write, one in every tenth of it, and one more inside the switch's
 * transaction. After each kill the file opens, passes integrity_check, shows either none of the
 * log's rows or every one of them, and its roll-ups agree with a recount from the rows; rows a kill
 * left pending are then discarded (as the next import does) and nothing of the file remains.
 *
 * Made once and copied per kill: the seeded database, and the log read and checked into a plan
 * (reading writes nothing, so the children start at the write). PORCHLIGHT_IMPORT_KILLS sets the
 * number of spread kills (10), PORCHLIGHT_IMPORT_ROWS the log's rows (200,000), PORCHLIGHT_IMPORT_PEOPLE
 * the people list's (20,000: a people list goes in the same way, chunks behind a pending file and a switch),
 * PORCHLIGHT_IMPORT_PARALLEL how many children run at once (2). It took 842 s on two cores at load
 * ~20 (other sessions' work beside it), hence the long limit; a quiet machine needs a fraction.
 */
const KILLS = Number(process.env.PORCHLIGHT_IMPORT_KILLS ?? 10)
const ROWS = Number(process.env.PORCHLIGHT_IMPORT_ROWS ?? 200_000)
const PEOPLE = Number(process.env.PORCHLIGHT_IMPORT_PEOPLE ?? 20_000)
const PARALLEL = Math.max(1, Number(process.env.PORCHLIGHT_IMPORT_PARALLEL ?? 2))
const tempDir = useTempDirs()

/** One kind of import: the file it writes and what of it the user can see (as every list, search and report asks). */
interface KillCase {
  kind: 'visits' | 'participants'
  rows: number
  mapping: RecordMapping
  file: (codes: string[]) => string
  /** Rows of this kind the user sees, and all of them raw. */
  visible: string
  raw: string
}

const VISITS_CASE: KillCase = {
  kind: 'visits',
  rows: ROWS,
  mapping: VISITS_MAPPING,
  file: (codes) => buildVisitsLog(codes, ROWS),
  visible: `SELECT count(*) FROM visits v WHERE ${visibleVisitText('v')}`,
  raw: 'SELECT count(*) FROM visits',
}

const PEOPLE_CASE: KillCase = {
  kind: 'participants',
  rows: PEOPLE,
  mapping: PEOPLE_MAPPING,
  file: () => buildPeopleList(PEOPLE),
  visible: `SELECT count(*) FROM participants p WHERE ${visiblePersonText('p')}`,
  raw: 'SELECT count(*) FROM participants',
}

async function killTest(c: KillCase): Promise<void> {
  const started = performance.now()
  const outcomes: string[] = []
  const dir = tempDir()
  // Bundled per test: a test's temporary folders are removed after it.
  const childScript = bundleFixture('import-child', dir)
  const key = generateKey()
  const template = join(dir, 'template.db')
  const opened = await createDatabase(template, key)
  await seedDatabase(opened, { participants: 300, days: 10, visitsPerWeekday: 20, until: new Date('2020-12-31T20:00:00.000Z'), timeZone: 'UTC' })
  const codes = opened.sqlite.prepare('SELECT code FROM participants').pluck().all() as string[]
  const base = opened.sqlite.prepare(c.raw).pluck().get() as number
  const log = join(dir, 'log.csv')
  writeFileSync(log, c.file(codes))
  const now = new Date(TEST_START)
  const table = await readRecordsFile(log)
  const plan = await planImport(opened.db, table, c.kind, c.mapping, { now, timeZone: 'UTC', today: now.toISOString().slice(0, 10), center: 1, checkDuplicates: false })
  await opened.close()
  expect(plan.problems).toEqual([])
  const planned = join(dir, 'plan.bin')
  writeFileSync(planned, serialize({ plan, sha256: table.sha256, fileName: table.name, rows: table.rows.length, now: now.toISOString() } satisfies PlannedImport))
  const run = async (name: string, kill: KillAt | null) => {
    const file = join(dir, `${name}.db`)
    copyFileSync(template, file)
    const ran = await runChild(childScript, [file, keyToHex(key), planned], kill)
    return { file, ...ran, done: ran.out.includes('done\n') }
  }

  // What the user can see: rows not of a pending import (as every list and report asks), and the files done.
  const seenBy = (db: OpenDatabase) => {
    const one = (query: string) => db.sqlite.prepare(query).pluck().get() as number
    return {
      visible: one(c.visible) - base,
      rows: one('SELECT count(*) FROM import_rows WHERE file_id IN (SELECT id FROM import_files WHERE pending = 0)'),
      files: one('SELECT count(*) FROM import_files WHERE pending = 0'),
    }
  }
  const state = async (file: string) => {
    // check 'full': the page MACs and PRAGMA integrity_check, as at a start after a crash.
    const db = await openDatabase(file, key, { check: 'full', readonly: true })
    try {
      const wrong = (await checkRollups(db.db)).filter((check) => check.missing + check.extra > 0)
      return { ...seenBy(db), pending: db.sqlite.prepare('SELECT count(*) FROM import_files WHERE pending = 1').pluck().get() as number, wrong }
    } finally {
      await db.close()
    }
  }
  /** What a pending import left is thrown away (as the next import does first): then nothing of it is in the file at all. */
  const discarded = async (file: string) => {
    const db = await openDatabase(file, key, { check: 'none' })
    try {
      await discardPendingImports(db)
      const one = (query: string) => db.sqlite.prepare(query).pluck().get() as number
      return { ...seenBy(db), raw: one(c.raw) - base + one('SELECT count(*) FROM import_rows') + one('SELECT count(*) FROM import_files') }
    } finally {
      await db.close()
    }
  }
  const NONE = { visible: 0, rows: 0, files: 0 }
  const ALL = { visible: c.rows, rows: c.rows, files: 1 }

  // Once through: the whole file shows, and its lines say when each step came, to spread the kills over.
  const setUp = performance.now()
  const whole = await run('whole', null)
  expect(whole.done).toBe(true)
  expect(await state(whole.file)).toEqual({ ...ALL, pending: 0, wrong: [] })
  const steps = whole.lines.filter((entry) => entry.line === 'ready' || entry.line.startsWith('writing '))
  // The second last step: the last before the switch's transaction (a log's count prepared, a list's last chunk); the last: the switch committed.
  const prepared = steps.at(-2)!
  const switchMs = steps.at(-1)!.at - prepared.at
  outcomes.push(`the whole write: ${Math.round(whole.ms)} ms, its switch ${Math.round(switchMs)} ms; set up in ${Math.round(setUp - started)} ms`)

  // One kill in every tenth of the write (a random moment in it, timed from the step before it,
  // so a slower run is still killed at the same point of its work), and one inside the switch.
  const next = random(Number(process.env.PORCHLIGHT_IMPORT_SEED ?? 20261206))
  const kills: KillAt[] = Array.from({ length: KILLS }, (_, tenth) => {
    const at = ((tenth + next()) / KILLS) * whole.ms
    const step = steps.filter((entry) => entry.at <= at).at(-1)!
    return { after: step.line, ms: Math.round(at - step.at) }
  })
  kills.push({ after: prepared.line, ms: Math.round(next() * switchMs * 0.8) })

  // The children first, two at a time, the checks after: a check holds this process's event loop
  // for seconds, which would put off a kill timed for another child still running.
  const queue = kills.map((kill, index) => ({ kill, index }))
  const ran: Array<{ kill: KillAt; file: string; done: boolean; ms: number; last: string }> = []
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const child = await run(`kill-${item.index}`, item.kill)
        ran[item.index] = { kill: item.kill, file: child.file, done: child.done, ms: child.ms, last: child.lines.at(-1)?.line ?? '' }
      }
    }),
  )
  for (const { kill, file, done, ms, last } of ran) {
    const checking = performance.now()
    const found = await state(file)
    const said = `${kill.ms} ms after "${kill.after}": ${done ? 'committed' : `killed after "${last}"`} at ${Math.round(ms)} ms → ${found.visible === 0 ? 'none' : 'all'}${found.pending ? ' (pending rows left)' : ''}; checked in ${Math.round(performance.now() - checking)} ms`
    outcomes.push(said)
    expect({ visible: found.visible, rows: found.rows, files: found.files }, said).toEqual(done ? ALL : found.visible === 0 ? NONE : ALL)
    expect(found.wrong, said).toEqual([])
    if (found.pending) expect(await discarded(file), said).toEqual({ ...NONE, raw: 0 })
    for (const leftover of [file, `${file}-wal`, `${file}-shm`]) rmSync(leftover, { force: true })
  }
  // The kills must have landed among the chunks at least once (rows left pending), or the test proved little.
  expect(outcomes.some((line) => line.includes('pending rows left')), outcomes.join('\n')).toBe(true)
  console.log(`${c.kind}:\n${outcomes.join('\n')}\nin all ${Math.round(performance.now() - started)} ms`)
}

describe(`SIGKILL during a records import`, () => {
  it(`of a ${ROWS.toLocaleString('en-US')}-row sign-in log leaves none of the file or all of it, a sound file and roll-ups that agree, after each of ${KILLS + 1} kills`, () => killTest(VISITS_CASE), 1_800_000)
  it(`of a ${PEOPLE.toLocaleString('en-US')}-person people list leaves none of the file or all of it and a sound file, after each of ${KILLS + 1} kills`, () => killTest(PEOPLE_CASE), 1_800_000)
})

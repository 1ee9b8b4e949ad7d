import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildVisitsLog, VISITS_MAPPING } from '../../bench/import'
import { generateKey, keyToHex } from '../../db/keys'
import { createDatabase, openDatabase, type OpenDatabase } from '../../db/open'
import { discardPendingImports } from '../../db/services/records-import/write'
import { visibleVisitText } from '../../db/services/visible-visits'
import { seedDatabase } from '../../db/seed'
import { TEST_START } from '../clock'
import { bundleFixture, random, runChild } from './fixture-child'
import { useTempDirs } from './helpers'

/**
 * A crash half-way through a records import leaves none of the file or all of it, as the user sees
 * it: a child process imports a 200,000-row sign-in log (chunk by chunk behind a pending file, then
 * one switch: records-import/write.ts) and is killed with SIGKILL at random moments, from reading
 * the file to just after the switch. After each kill the file opens, passes integrity_check and
 * shows either none of the log's rows or every one of them; rows a kill left pending are then
 * discarded (as the next import does) and nothing of the file remains.
 * PORCHLIGHT_IMPORT_KILLS sets the number of kills (10 unless told).
 */
const KILLS = Number(process.env.PORCHLIGHT_IMPORT_KILLS ?? 10)
/**
 * Rows in the log: 40,000 (ten chunks) unless told, so the suite's run stays near a minute; the
 * issue's full 200,000 with PORCHLIGHT_IMPORT_ROWS=200000 (the same code path, five times the chunks).
 */
const ROWS = Number(process.env.PORCHLIGHT_IMPORT_ROWS ?? 40_000)
const tempDir = useTempDirs()
let childScript = ''

beforeAll(() => {
  childScript = bundleFixture('import-child', tempDir())
})

/** Runs the child; kills it `killAfterMs` after it is ready (never, when null). */
async function run(args: string[], killAfterMs: number | null): Promise<{ ms: number; done: boolean; writing: boolean }> {
  const { ms, out } = await runChild(childScript, args, killAfterMs)
  return { ms, done: out.includes('done\n'), writing: out.includes('writing ') }
}

describe(`SIGKILL during a ${ROWS.toLocaleString('en-US')}-row import`, () => {
  it(`leaves none of the file or all of it, and a sound file, after each of ${KILLS} kills`, async () => {
    const key = generateKey()
    const template = join(tempDir(), 'template.db')
    const opened = await createDatabase(template, key)
    await seedDatabase(opened, { participants: 300, days: 10, visitsPerWeekday: 20, until: new Date('2020-12-31T20:00:00.000Z'), timeZone: 'UTC' })
    const codes = opened.sqlite.prepare('SELECT code FROM participants').pluck().all() as string[]
    const base = opened.sqlite.prepare('SELECT count(*) FROM visits').pluck().get() as number
    await opened.close()
    const log = join(tempDir(), 'log.csv')
    writeFileSync(log, buildVisitsLog(codes, ROWS))
    const args = (file: string) => [file, keyToHex(key), log, JSON.stringify(VISITS_MAPPING), new Date(TEST_START).toISOString()]

    // What the user can see: visits not of a pending import (visibleVisitText, as every list and report asks), and the files done.
    const seenBy = (db: OpenDatabase) => {
      const one = (query: string) => db.sqlite.prepare(query).pluck().get() as number
      return {
        visits: one(`SELECT count(*) FROM visits v WHERE ${visibleVisitText('v')}`) - base,
        rows: one('SELECT count(*) FROM import_rows WHERE file_id IN (SELECT id FROM import_files WHERE pending = 0)'),
        files: one('SELECT count(*) FROM import_files WHERE pending = 0'),
      }
    }
    const state = async (file: string) => {
      // check 'full': the page MACs and PRAGMA integrity_check, as at a start after a crash.
      const db = await openDatabase(file, key, { check: 'full', readonly: true })
      try {
        return { ...seenBy(db), pending: db.sqlite.prepare('SELECT count(*) FROM import_files WHERE pending = 1').pluck().get() as number }
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
        return { ...seenBy(db), raw: one('SELECT count(*) FROM visits') - base + one('SELECT count(*) FROM import_rows') + one('SELECT count(*) FROM import_files') }
      } finally {
        await db.close()
      }
    }
    const NONE = { visits: 0, rows: 0, files: 0 }
    const ALL = { visits: ROWS, rows: ROWS, files: 1 }
    const seenOf = ({ visits, rows, files }: typeof NONE) => ({ visits, rows, files })

    // Once through, to know how long an import takes here.
    const whole = join(tempDir(), 'whole.db')
    copyFileSync(template, whole)
    const full = await run(args(whole), null)
    expect(full.done).toBe(true)
    expect(await state(whole)).toEqual({ ...ALL, pending: 0 })

    const next = random(Number(process.env.PORCHLIGHT_IMPORT_SEED ?? 20261206))
    const outcomes: string[] = []
    for (let kill = 0; kill < KILLS; kill++) {
      const file = join(tempDir(), `kill-${kill}.db`)
      copyFileSync(template, file)
      const at = Math.round(next() * full.ms * 1.05)
      const ran = await run(args(file), at)
      const found = await state(file)
      outcomes.push(`${at} ms: ${ran.done ? 'committed' : ran.writing ? 'while writing' : 'before writing'} → ${found.visits === 0 ? 'none' : 'all'}${found.pending ? ' (pending rows left)' : ''}`)
      expect(seenOf(found), outcomes.at(-1)).toEqual(ran.done ? ALL : found.visits === 0 ? NONE : ALL)
      if (found.pending) expect(await discarded(file), outcomes.at(-1)).toEqual({ ...NONE, raw: 0 })
    }
    // The kills must have landed among the chunks at least once (rows left pending), or the test proved little.
    expect(outcomes.some((line) => line.includes('pending rows left')), outcomes.join('\n')).toBe(true)
  }, 900_000)
})

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateKey, keyToHex } from '../../db/keys'
import { createDatabase } from '../../db/open'
import { seedDatabase } from '../../db/seed'
import { removeLeftoverPartials } from '../../db/services/export/run'
import { TEST_START } from '../clock'
import { bundleFixture, random, runChild } from './fixture-child'
import { sha256File, useTempDirs } from './helpers'

/**
 * A full export killed with SIGKILL at random moments, from opening the records to just after the
 * zip is linked into place: the export's name then holds a whole zip that opens with its password,
 * or nothing; the records are untouched (the export reads on a read-only connection); and the
 * next export into the same folder, under the same name, works.
 * PORCHLIGHT_EXPORT_KILLS sets the number of kills (6 unless told).
 */
const KILLS = Number(process.env.PORCHLIGHT_EXPORT_KILLS ?? 6)
const PASSWORD = 'kill-test-password'
const tempDir = useTempDirs()
let childScript = ''

beforeAll(() => {
  childScript = bundleFixture('export-child', tempDir())
})

async function run(args: string[], killAfterMs: number | null): Promise<{ ms: number; done: boolean }> {
  const { ms, out } = await runChild(childScript, args, killAfterMs)
  return { ms, done: out.includes('done\n') }
}

/** Every file in the zip, read with the password: throws on a zip cut short or a wrong password. */
async function entriesOf(file: string): Promise<string[]> {
  const reader = new ZipReader(new Uint8ArrayReader(readFileSync(file)))
  const names: string[] = []
  for (const entry of await reader.getEntries()) {
    if (entry.directory) continue
    await entry.getData(new Uint8ArrayWriter(), { password: PASSWORD })
    names.push(entry.filename)
  }
  await reader.close()
  return names.sort()
}

describe('SIGKILL during a full export', () => {
  it(`leaves a whole zip or none under its name, the records untouched, after each of ${KILLS} kills; the next export works`, async () => {
    const key = generateKey()
    const dbFile = join(tempDir(), 'porchlight.db')
    const opened = await createDatabase(dbFile, key)
    await seedDatabase(opened, { participants: 150, days: 30, until: new Date(TEST_START), timeZone: 'UTC' })
    await opened.close()
    const before = sha256File(dbFile)
    const folder = tempDir()
    const args = (target: string) => [dbFile, keyToHex(key), target, PASSWORD, TEST_START]

    // Once through, to know how long an export takes here and what a whole one holds.
    const whole = join(folder, 'whole.zip')
    const full = await run(args(whole), null)
    expect(full.done).toBe(true)
    const files = await entriesOf(whole)
    expect(files.length).toBeGreaterThan(20)

    const next = random(Number(process.env.PORCHLIGHT_EXPORT_SEED ?? 20261206))
    const outcomes: string[] = []
    for (let kill = 0; kill < KILLS; kill++) {
      const target = join(folder, `porchlight-export-kill-${kill}.zip`)
      const at = Math.round(next() * full.ms * 1.1)
      const ran = await run(args(target), at)
      const there = existsSync(target)
      outcomes.push(`${at} ms: ${ran.done ? 'finished' : 'killed'} → ${there ? 'a zip' : 'none'}`)
      if (ran.done) expect(there, outcomes.at(-1)).toBe(true)
      if (there) expect(await entriesOf(target), outcomes.at(-1)).toEqual(files)
      // The records: the same bytes as before the export began.
      expect(sha256File(dbFile), outcomes.at(-1)).toBe(before)
      // The next export under the same name works, whatever the kill left beside it.
      if (!there) {
        expect((await run(args(target), null)).done, outcomes.at(-1)).toBe(true)
        expect(await entriesOf(target)).toEqual(files)
      }
    }
    // No half-written zip is left under an export's name; what a kill left beside it, the next export removes.
    expect(readdirSync(folder).filter((name) => name.endsWith('.zip')).length).toBe(KILLS + 1)
    const partials = readdirSync(folder).filter((name) => name.endsWith('.partial'))
    expect(removeLeftoverPartials(folder).sort()).toEqual(partials.sort())
    expect(readdirSync(folder).filter((name) => name.endsWith('.partial'))).toEqual([])
    console.log(`export kills (a whole export took ${Math.round(full.ms)} ms):\n${outcomes.join("\n")}`)
    // At least one kill must have landed mid-export, or the test proved little.
    expect(outcomes.some((line) => line.includes('killed')), outcomes.join('\n')).toBe(true)
  }, 600_000)
})

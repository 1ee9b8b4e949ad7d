/**
 * `npm run test:clock`: the unit tests again with the machine's wall clock moved (faketime) to
 * nights that break date code: a year's end (the run crosses into the new year, and New York's
 * date differs from UTC's), a spring-forward night and a fall-back night, in a US zone. A test
 * that reads the machine's clock instead of its injected one shows up here the day it is written,
 * not months later. CI runs it after `npm test`.
 *
 * It runs the files named in test/date-sensitive.ts, each for its reason: the files that read the
 * machine's clock or zone by design, and those whose code works on calendar days, schedules and
 * ranges. Any other file that reads the machine's clock or zone fails in the normal run (the clock
 * probe, test/unit/clock-probe.ts), so this list cannot silently fall behind.
 */
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { DATE_SENSITIVE } from './date-sensitive'

export const INSTANTS: ReadonlyArray<readonly [string, string]> = [
  ['2027-12-31 23:58:00', 'year end: the run crosses into 2028'],
  ['2027-03-14 01:30:00', 'spring forward: 02:00 does not happen'],
  ['2027-11-07 01:30:00', 'fall back: 01:30 happens twice'],
]

const ZONE = 'America/New_York'

interface Run {
  instant: string
  why: string
  status: number | null
  seconds: number
}

/** One instant's run of the files, its output shown as it goes. */
function runAt(instant: string, why: string, files: string[]): Promise<Run> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    // Each process starts its own clock at the instant (the CI script's shared clock is for the
    // browser tests): the unit tests passed that way, and each file is its own process anyway.
    const { FAKETIME_DONT_RESET: _shared, ...env } = process.env
    const child = spawn('faketime', ['-f', `@${instant}`, 'npx', 'vitest', 'run', '--reporter=dot', '--maxWorkers=2', ...files], {
      stdio: 'inherit',
      env: {
        ...env,
        TZ: ZONE,
        // The wall clock moves; the monotonic clock (timeouts, durations, test/clock.ts) does not.
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
        // SQLite only: the services' date code is the same JavaScript on both backends, and the
        // PostgreSQL server's clock is not the one faketime moves.
        PORCHLIGHT_TEST_PG_URL: '',
        PORCHLIGHT_TEST_PG: 'off',
      },
    })
    child.on('error', (error) => reject(new Error(`faketime could not run (${error.message}); on Debian: apt-get install faketime`)))
    child.on('close', (status) => resolve({ instant, why, status, seconds: Math.round((performance.now() - started) / 1000) }))
  })
}

async function main(): Promise<void> {
  const folder = join(import.meta.dirname, 'unit')
  const files = Object.keys(DATE_SENSITIVE).sort()
  const missing = files.filter((name) => !readdirSync(folder).includes(name))
  if (missing.length > 0) throw new Error(`test/date-sensitive.ts names files that do not exist: ${missing.join(', ')}`)
  console.log(`== shifted clock: ${files.length} test files at ${INSTANTS.length} instants in ${ZONE}`)
  // One instant after another, each on every core: three side by side starved the tests that
  // start a worker thread (backups, exports, checks) past their timeouts on two cores.
  let failed = false
  const runs: Run[] = []
  for (const [instant, why] of INSTANTS) {
    console.log(`== ${instant} ${ZONE} (${why})`)
    const run = await runAt(instant, why, files.map((name) => join('test/unit', name)))
    runs.push(run)
    if (run.status === 0) console.log(`== ${run.instant}: passed in ${run.seconds} s`)
    else {
      failed = true
      console.error(`== ${run.instant}: failed after ${run.seconds} s`)
      console.error(`== FAILED with the clock at ${run.instant} ${ZONE}: a test depends on the machine's date`)
    }
  }
  console.log(`== shifted clock: ${runs.map((run) => `${run.instant} ${run.seconds} s`).join(', ')}; ${runs.reduce((sum, run) => sum + run.seconds, 0)} s in all`)
  if (failed) process.exit(1)
}

await main()

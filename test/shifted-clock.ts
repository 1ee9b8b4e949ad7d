/**
 * `npm run test:clock`: the unit tests again with the machine's wall clock moved (faketime) to
 * nights that break date code: a year's end (the run crosses into the new year, and New York's
 * date differs from UTC's), a spring-forward night and a fall-back night, in a US zone. A test
 * that reads the machine's clock instead of its injected one shows up here the day it is written,
 * not months later. CI runs it after `npm test`.
 *
 * One list names the test files left out, each because it has no dates in it; every other file,
 * including any new one, runs at every instant.
 */
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

export const CLOCK_FREE: Record<string, string> = {
  'boundaries.test.ts': 'lint rules on snippets',
  'packaging.test.ts': 'installer settings',
  'backup-build.test.ts': 'reads the built bundle',
  'electron-main.test.ts': 'window security settings',
  'keystore.test.ts': 'key wrapping and file modes',
  'crash.test.ts': 'SIGKILL durability (counts acknowledged writes; 20 s)',
  'rekey-crash.test.ts': 'a key change killed at each step',
  'damaged-files.test.ts': 'damaged and foreign files',
  'disk-full.test.ts': 'SQLITE_FULL and ENOSPC',
  'folder-picker.test.ts': 'the OS folder dialog seam',
  'ipc-fuzz.test.ts': 'random input at every channel (55 s); the services it reaches run here in their own tests',
  'bench.test.ts': 'the benchmark harness',
  'backup-core.test.ts': 'backups through the IPC door: files, keys, restores (the scheduler is in backup-schedule.test.ts)',
  'backup-cli.test.ts': "the backup command's plumbing (rotation by day and week runs in backup.test.ts)",
  'backup-worker.test.ts': 'the backup worker thread and its row counts',
  'backup-bad-input.test.ts': 'full and read-only drives',
  'import-kill.test.ts': 'SIGKILL during a 200,000-row import',
  'export-kill.test.ts': 'SIGKILL during a full export',
  'upgrade.test.ts': 'the copy made before a migration',
  'admin-cli.test.ts': 'init, verify and stats: keys, pages and exit codes',
  'pg-schema.test.ts': 'the two backends\' schemas compared',
  'pg-open.test.ts': 'opening a server database, refusals; PostgreSQL is off in this run',
  'pg-report-dialect.test.ts': 'fixed dates evaluated on both backends; PostgreSQL is off in this run',
  'pg-rollups.test.ts': 'on a hand-moved clock, comparing the backends; PostgreSQL is off in this run',
}

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
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.test.ts') && !(name in CLOCK_FREE))
    .sort()
  const missing = Object.keys(CLOCK_FREE).filter((name) => !readdirSync(folder).includes(name))
  if (missing.length > 0) throw new Error(`CLOCK_FREE names files that do not exist: ${missing.join(', ')}`)
  console.log(`== shifted clock: ${files.length} test files at ${INSTANTS.length} instants in ${ZONE}`)
  // One instant after another, each on every core: three side by side starved the tests that
  // start a worker thread (backups, exports, checks) past their timeouts on two cores.
  let failed = false
  for (const [instant, why] of INSTANTS) {
    console.log(`== ${instant} ${ZONE} (${why})`)
    const run = await runAt(instant, why, files.map((name) => join('test/unit', name)))
    if (run.status === 0) console.log(`== ${run.instant}: passed in ${run.seconds} s`)
    else {
      failed = true
      console.error(`== FAILED with the clock at ${run.instant} ${ZONE}: a test depends on the machine's date`)
    }
  }
  if (failed) process.exit(1)
}

await main()

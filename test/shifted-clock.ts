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
import { spawnSync } from 'node:child_process'
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
}

export const INSTANTS: ReadonlyArray<readonly [string, string]> = [
  ['2027-12-31 23:58:00', 'year end: the run crosses into 2028'],
  ['2027-03-14 01:30:00', 'spring forward: 02:00 does not happen'],
  ['2027-11-07 01:30:00', 'fall back: 01:30 happens twice'],
]

const ZONE = 'America/New_York'

function main(): void {
  const folder = join(import.meta.dirname, 'unit')
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.test.ts') && !(name in CLOCK_FREE))
    .sort()
  const missing = Object.keys(CLOCK_FREE).filter((name) => !readdirSync(folder).includes(name))
  if (missing.length > 0) throw new Error(`CLOCK_FREE names files that do not exist: ${missing.join(', ')}`)
  console.log(`== shifted clock: ${files.length} test files at ${INSTANTS.length} instants in ${ZONE}`)
  for (const [instant, why] of INSTANTS) {
    const started = performance.now()
    console.log(`== ${instant} ${ZONE} (${why})`)
    const run = spawnSync('faketime', ['-f', `@${instant}`, 'npx', 'vitest', 'run', '--reporter=dot', ...files.map((name) => join('test/unit', name))], {
      stdio: 'inherit',
      // The wall clock moves; the monotonic clock (timeouts, durations, test/clock.ts) does not.
      env: { ...process.env, TZ: ZONE, FAKETIME_DONT_FAKE_MONOTONIC: '1' },
    })
    if (run.error) throw new Error(`faketime could not run (${run.error.message}); on Debian: apt-get install faketime`)
    if (run.status !== 0) {
      console.error(`== FAILED with the clock at ${instant} ${ZONE}: a test depends on the machine's date`)
      process.exit(run.status ?? 1)
    }
    console.log(`== ${instant}: passed in ${Math.round((performance.now() - started) / 1000)} s`)
  }
}

main()

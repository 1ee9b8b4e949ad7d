// First, so that every module after it, ours and the libraries', runs with the probe in.
import { CHECKED, takeClockReads } from './clock-probe'
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { afterAll, inject } from 'vitest'
import { useBackupWorkerFile } from '../../db/backup-thread'
import { DATE_SENSITIVE } from '../date-sensitive'
import { useTestPasswordCost } from '../../db/services/passwords'
import { useMigratedTemplate } from '../../db/open'
import { parseKey } from '../../db/keys'

// Worker threads start from the bundle global-setup.ts made (as the packaged app's do from
// electron-vite's), not from source through tsx: a few hundred milliseconds instead of seconds.
useBackupWorkerFile(inject('backupWorkerFile'))

// Staff passwords hashed at scrypt N=2^10 instead of the app's 2^15: the suite makes hundreds of
// accounts, ~0.2 s of CPU each at the real cost. passwords.test.ts checks the app's cost.
useTestPasswordCost(true)

// New databases are copies of one the migrations made once for the run (global-setup.ts), each
// under its own key: running every migration per test was ~0.5 s of CPU each time. The files that
// prove creation and upgrades turn this off at their top (useMigratedTemplate(null)).
const template = inject('migratedTemplate')
useMigratedTemplate({ file: template.file, key: parseKey(template.keyHex) })

/**
 * A test file that reads the machine's clock or zone through our code must be named in
 * test/date-sensitive.ts, which is what `npm run test:clock` runs at its shifted instants; any
 * other such file fails here. With PORCHLIGHT_CLOCK_PROBE_OUT=<folder> each file's reads are
 * written there instead, to regenerate the list (never in CI, where it would hide the check).
 */
const OUT = process.env.PORCHLIGHT_CLOCK_PROBE_OUT
// For clock-probe.test.ts: the check below is registered for this file (setup.ts is in the config).
;(globalThis as { [CHECKED]?: boolean })[CHECKED] = true
if (OUT && process.env.CI) throw new Error('PORCHLIGHT_CLOCK_PROBE_OUT is for regenerating test/date-sensitive.ts by hand; under CI it would switch the clock check off')

// Vitest hands the file in the second argument; the first must be a destructuring pattern.
// eslint-disable-next-line no-empty-pattern
afterAll(({}, suite) => {
  const name = basename(suite.file.filepath)
  const { reads, removed } = takeClockReads()
  if (removed) throw new Error(`${name}: ${removed}`)
  const seen = new Map<string, { count: number; stack?: string }>()
  for (const read of reads) {
    const key = `${read.kind} ${read.what} at ${read.at}`
    const entry = seen.get(key) ?? { count: 0, ...(read.stack ? { stack: read.stack } : {}) }
    entry.count += 1
    seen.set(key, entry)
  }
  const lines = [...seen].map(([key, { count, stack }]) => `  ${key}${count > 1 ? ` (${count}×)` : ''}${stack ? `\n${stack}` : ''}`)
  if (OUT) {
    mkdirSync(OUT, { recursive: true })
    writeFileSync(join(OUT, `${name}.txt`), lines.join('\n') + (lines.length ? '\n' : ''))
    return
  }
  if (lines.length === 0 || name in DATE_SENSITIVE) return
  throw new Error(
    `${name} read the machine's clock or time zone through our code, and it is not in test/date-sensitive.ts:\n${lines.join('\n')}\n` +
      "Give the code the clock and zone it should use (a service's context has now() and timeZone; tests take theirs from test/clock.ts, " +
      "e.g. coreTime() for a PorchlightCore), or, if the test is about the date, add the file to DATE_SENSITIVE with the reason so `npm run test:clock` runs it at its shifted instants.",
  )
})

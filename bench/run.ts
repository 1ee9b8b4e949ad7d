import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { progressBar } from '../db/cli/progress'
import { FULL_SIZE, runBench, runGroupsBench, runSignInBench, type BenchResults } from './harness'
import { formatReport } from './report'
import { FELT_SIZE, formatFelt, runFeltBench, type FeltResults } from './felt'
import { formatCoaching, runCoachingBench, type CoachingResults } from './coaching'
import { runImportBench } from './import'
import { formatWorkforce, runWorkforceBench } from './workforce'
import { formatPostgres, runPostgresBench } from './postgres'

const HERE = fileURLToPath(new URL('.', import.meta.url))

const usage = `Usage: npm run bench [-- --participants N --days D --visits-per-weekday V --seed S --no-write] [-- --only groups|sign-in|felt|felt-board|coaching|workforce|import [--repeats R]] [-- --postgres URL] [-- --data-dir DIR]

Builds (once; cached in bench/data/) an encrypted Porchlight database of ${FULL_SIZE.participants.toLocaleString('en-US')} participants
and about a million visits, plus an unencrypted copy, times the desk's operations on both, prints
a table and writes bench/results.json (unless --no-write or a size other than the default).
Then times what a person feels in Chromium through the test host (needs "npm run build").
--only groups: the groups workloads alone; --only sign-in: the sign-ins alone, on fresh copies
--repeats times (1 by default), with the encrypted/plain ratio of each and of all together; --only felt: the Chromium section alone (its figures
replace the "felt" part of bench/results.json); --only felt-board: its sign-ins alone (Enter to today's board),
each sample printed in order, nothing written; --only coaching: peer coaching's caseloads and
contact logging on 20,000 engagements (its own database, cached in bench/data/ too); --only
workforce: a manager's overview of 120 staff and their reminders over five years of credentials,
training and supervision (its own database too, written as the "workforce" part); --only import:
200,000 sign-ins imported from a spreadsheet while the desk signs people in, then the full
export of that center (bench/import.ts; written as the "import" part).
--postgres URL: search per keystroke, sign-in, the 12-month dashboard and groups on the PostgreSQL
server at URL (a role that may create databases) against the same records in the encrypted file,
with the ratio of each; the records are copied to the server once (admin migrate's code) into a
database named after the data, and reused (bench/postgres.ts; written as the "postgres" part).
--data-dir DIR: keep the databases in DIR instead of bench/data/ (a trial size apart from the cache).`

/** What goes in the repository: figures, sizes and machine facts, nothing about this computer's paths. */
function commitFriendly(results: BenchResults, felt: FeltResults | null, coaching: CoachingResults): object {
  return {
    about: 'npm run bench: milliseconds per call (p50/p95/p99) on the encrypted database and its unencrypted copy',
    date: new Date().toISOString().slice(0, 10),
    ...results,
    felt,
    coaching,
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      participants: { type: 'string' },
      days: { type: 'string' },
      'visits-per-weekday': { type: 'string' },
      seed: { type: 'string' },
      'no-write': { type: 'boolean' },
      only: { type: 'string' },
      postgres: { type: 'string' },
      'data-dir': { type: 'string' },
      repeats: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const number = (value: string | undefined, fallback: number, option: string) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${option} must be a positive whole number, not "${value}"`)
    return n
  }
  const options = {
    ...FULL_SIZE,
    participants: number(values.participants, FULL_SIZE.participants, '--participants'),
    days: number(values.days, FULL_SIZE.days, '--days'),
    visitsPerWeekday: number(values['visits-per-weekday'], FULL_SIZE.visitsPerWeekday, '--visits-per-weekday'),
    seed: number(values.seed, FULL_SIZE.seed, '--seed'),
    dataDir: values['data-dir'] === undefined ? join(HERE, 'data') : resolve(values['data-dir']),
  }
  const standard =
    options.participants === FULL_SIZE.participants &&
    options.days === FULL_SIZE.days &&
    options.visitsPerWeekday === FULL_SIZE.visitsPerWeekday &&
    options.seed === FULL_SIZE.seed
  const file = resolve(HERE, 'results.json')
  const felt = async (): Promise<FeltResults> => {
    const bar = progressBar()
    const results = await runFeltBench({ ...options, ...FELT_SIZE, onProgress: (done, total, phase) => bar.update(done, total, phase) })
    bar.finish()
    console.log(formatFelt(results))
    return results
  }
  if (values.only === 'felt') {
    const results = await felt()
    if (!values['no-write'] && standard && existsSync(file)) {
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      writeFileSync(file, `${JSON.stringify({ ...recorded, felt: results }, null, 2)}\n`)
      console.log(`\nWrote the felt figures into ${file}`)
    }
    return
  }
  if (values.only === 'felt-board') {
    // A quicker A/B of one figure: no cold starts, typing or dashboard before the sign-ins.
    const inOrder: number[] = []
    const bar = progressBar()
    const results = await runFeltBench({
      ...options,
      ...FELT_SIZE,
      coldStarts: 0,
      people: 0,
      dashboardRounds: 0,
      onProgress: (done, total, phase) => bar.update(done, total, phase),
      onSample: (_, ms) => inOrder.push(ms),
    })
    bar.finish()
    console.log(formatFelt(results))
    console.log(`sign-ins in order (ms): ${inOrder.map((ms) => ms.toFixed(1)).join(' ')}`)
    return
  }
  if (values.only === 'coaching') {
    const results = await runCoachingBench({ dataDir: options.dataDir, onProgress: (phase) => console.log(`coaching: ${phase}`) })
    console.log(formatCoaching(results))
    if (!values['no-write'] && existsSync(file)) {
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      writeFileSync(file, `${JSON.stringify({ ...recorded, coaching: results }, null, 2)}\n`)
      console.log(`\nWrote the coaching figures into ${file}`)
    }
    return
  }
  if (values.only === 'workforce') {
    const results = await runWorkforceBench({ dataDir: options.dataDir, onProgress: (phase) => console.log(`workforce: ${phase}`) })
    console.log(formatWorkforce(results))
    if (!values['no-write'] && existsSync(file)) {
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      writeFileSync(file, `${JSON.stringify({ ...recorded, workforce: results }, null, 2)}\n`)
      console.log(`\nWrote the workforce figures into ${file}`)
    }
    return
  }
  if (values.postgres !== undefined) {
    const bar = progressBar()
    const results = await runPostgresBench(values.postgres, { ...options, onProgress: (done, total, phase) => bar.update(done, total, phase) }, (w) =>
      console.log(`\n${w.label}: SQLite p50 ${w.sqlite.p50} p95 ${w.sqlite.p95}, PostgreSQL p50 ${w.postgres.p50} p95 ${w.postgres.p95} (n ${w.postgres.n})`),
    )
    bar.finish()
    console.log(formatPostgres(results))
    // Other sizes are tries: the recorded figures are the standard size's, like the main run's.
    if (!values['no-write'] && standard && existsSync(file)) {
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      writeFileSync(file, `${JSON.stringify({ ...recorded, postgres: { about: 'npm run bench -- --postgres URL: milliseconds per call (p50/p95/p99) on the server and on the encrypted file, ratio = PostgreSQL / SQLite', date: new Date().toISOString().slice(0, 10), ...results } }, null, 2)}\n`)
      console.log(`\nWrote the PostgreSQL figures into ${file}`)
    }
    return
  }
  if (values.only === 'import') return runImportBench(file, !values['no-write'])
  if (values.only === 'sign-in') {
    const bar = progressBar()
    const { workload: w, ratios } = await runSignInBench({ ...options, onProgress: (done, total, phase) => bar.update(done, total, phase) }, number(values.repeats, 1, '--repeats'))
    bar.finish()
    console.log(`${w.label}\n  encrypted p50 ${w.encrypted.p50} p95 ${w.encrypted.p95} p99 ${w.encrypted.p99} (n ${w.encrypted.n}); plain p50 ${w.plain!.p50} p95 ${w.plain!.p95}`)
    console.log(`  encrypted/plain p50 ${w.ratio!.p50} (each repeat: ${ratios.join(', ')})`)
    return
  }
  if (values.only !== undefined) {
    if (values.only !== 'groups') throw new Error(`--only takes "groups", "sign-in", "felt", "felt-board", "coaching", "workforce" or "import", not "${values.only}"`)
    const bar = progressBar()
    const groups = await runGroupsBench({ ...options, onProgress: (done, total, phase) => bar.update(done, total, phase) })
    bar.finish()
    for (const w of groups.workloads) console.log(`${w.label}\n  encrypted p50 ${w.encrypted.p50} p95 ${w.encrypted.p95} p99 ${w.encrypted.p99} (n ${w.encrypted.n})${w.plain ? `; plain p50 ${w.plain.p50} p95 ${w.plain.p95}` : ''}`)
    for (const t of groups.targets) console.log(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value}`)
    return
  }
  const bar = progressBar()
  const results = await runBench({ ...options, onProgress: (done, total, phase) => bar.update(done, total, phase) })
  bar.finish()
  console.log(formatReport(results))
  console.log('')
  const feltResults = await felt()
  console.log('')
  const coaching = await runCoachingBench({ dataDir: options.dataDir })
  console.log(formatCoaching(coaching))
  if (!values['no-write'] && standard) {
    writeFileSync(file, `${JSON.stringify(commitFriendly(results, feltResults, coaching), null, 2)}\n`)
    console.log(`\nWrote ${file}`)
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exit(1)
})

/**
 * Times each dashboard figure on its own (and the whole dashboard, and the funder report for a
 * quarter) on a copy of a bench database: where the dashboard's time goes.
 *   npx tsx bench/profile-dashboard.ts FILE.db [KEYFILE] [--rounds N] [--cache-kib K] [--whole]
 *   npx tsx bench/profile-dashboard.ts postgres://… [--rounds N]   (the bench's database on a server)
 * With a key file the file is opened encrypted (as the app does), else as a plain database.
 * --cache-kib: the connection's page cache instead of the app's (what a smaller cache costs);
 * --whole: the whole dashboards and the report only, not each figure.
 */
import { parseArgs } from 'node:util'
import { openDatabase, type OpenDatabase } from '../db/open'
import { openPostgres } from '../db/postgres'
import { FileKeyStore } from '../db/keystore-file'
import { openPlain } from './databases'
import type { ServiceContext } from '../db/services/context'
import { countings, dashboard, type Counting } from '../db/services/reports/dashboard'
import { funderReport } from '../db/services/reports/report'
import { addDays, resolveRange } from '../db/services/reports/range'
import { countPeople } from '../db/services/reports/people'
import { groupFigures, peopleFigures, recoveryCapitalFigures, referralFigures, serviceFigures, visitFigures, visitHeatmap, visitSeries } from '../db/services/reports/figures'
import { safetyFigures } from '../db/services/reports/safety'
import { coachingFigures } from '../db/services/reports/coaching'
import type { RangeRequest } from '../db/report-types'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string' }, day: { type: 'string' }, 'cache-kib': { type: 'string' }, whole: { type: 'boolean' } } })
const [file, keyFile] = positionals
if (!file) throw new Error('usage: profile-dashboard FILE.db [KEYFILE]')
const rounds = Number(values.rounds ?? 10)

const onServer = file.startsWith('postgres://') || file.startsWith('postgresql://')
async function openFile(): Promise<OpenDatabase> {
  const local = keyFile ? await openDatabase(file!, new FileKeyStore(keyFile).load(), { check: 'none' }) : openPlain(file!)
  if (values['cache-kib'] !== undefined) local.sqlite.pragma(`cache_size = -${Number(values['cache-kib'])}`)
  console.log(`page cache: ${-(local.sqlite.pragma('cache_size', { simple: true }) as number)} KiB`)
  return local
}
const opened = onServer ? await openPostgres(file, { poolSize: 2 }) : await openFile()
const last = (await opened.db.selectFrom('visits').select((eb) => eb.fn.max('visit_date').as('d')).executeTakeFirstOrThrow()).d as string
const dayAfter = values.day ?? addDays(last, 1)
const ctx: ServiceContext = { db: opened.db, staffId: null, now: () => new Date(`${dayAfter}T08:00:00Z`), timeZone: 'UTC' }

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!
async function time(label: string, f: () => Promise<unknown>) {
  await f()
  const xs: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < rounds; i++) {
    const t = performance.now()
    const c = process.cpuUsage()
    await f()
    const used = process.cpuUsage(c)
    xs.push(performance.now() - t)
    cpu.push((used.user + used.system) / 1000)
  }
  const f1 = (n: number) => n.toFixed(1).padStart(7)
  // CPU time beside the wall clock: on a shared, loaded machine the wall clock mostly measures the queue.
  console.log(`${label.padEnd(34)} wall p50 ${f1(pct(xs, 50))} p95 ${f1(pct(xs, 95))}   cpu p50 ${f1(pct(cpu, 50))} p95 ${f1(pct(cpu, 95))}`)
}

async function figures(name: string, request: RangeRequest) {
  const range = resolveRange(ctx, request)
  const pair = countings(ctx, range)
  const both = (f: (c: Counting) => Promise<unknown>) => async () => {
    await f(pair.current)
    await f(pair.previous)
  }
  console.log(`\n${name}: ${range.from}..${range.countedTo} (previous ${range.previous.from}..${range.previous.to}), grain ${range.grain}`)
  const db = opened.db
  if (values.whole) return time('WHOLE dashboard', () => dashboard(ctx, request))
  await time('countPeople', both((c) => countPeople(db, c.range)))
  const counted = new Map<Counting, Awaited<ReturnType<typeof countPeople>>>()
  for (const c of [pair.current, pair.previous]) counted.set(c, await countPeople(db, c.range))
  await time('peopleFigures (counted)', both((c) => peopleFigures(db, c.range, counted.get(c))))
  await time('visitFigures', both((c) => visitFigures(db, c.range)))
  await time('visitSeries (counted)', both((c) => visitSeries(db, c.range, range.grain, counted.get(c))))
  await time('visitHeatmap (current)', () => visitHeatmap(db, pair.current.range, pair.current.spans))
  await time('serviceFigures (counted)', both((c) => serviceFigures(db, c.range, counted.get(c))))
  await time('referralFigures', both((c) => referralFigures(db, c.range, c.endInstant, c.spans)))
  await time('recoveryCapitalFigures', both((c) => recoveryCapitalFigures(db, c.range)))
  await time('groupFigures', both((c) => groupFigures(db, c.range)))
  await time('safetyFigures', both((c) => safetyFigures(db, c.range, c.endInstant)))
  await time('coachingFigures', both((c) => coachingFigures(db, c.range)))
  await time('WHOLE dashboard', () => dashboard(ctx, request))
}

/** As the felt bench changes ranges: every preset in turn, so each call reads other pages than the last. */
async function presetsInTurn() {
  const presets = ['last_month', 'this_quarter', 'last_quarter', 'this_year', 'last_12_months'] as const
  const xs: number[] = []
  const cpu: number[] = []
  for (let i = 0; i <= rounds; i++) {
    for (const preset of presets) {
      const t = performance.now()
      const c = process.cpuUsage()
      await dashboard(ctx, { preset })
      const used = process.cpuUsage(c)
      if (i === 0) continue
      xs.push(performance.now() - t)
      cpu.push((used.user + used.system) / 1000)
    }
  }
  const f1 = (n: number) => n.toFixed(1).padStart(7)
  console.log(`${'presets in turn (felt bench order)'.padEnd(34)} wall p50 ${f1(pct(xs, 50))} p95 ${f1(pct(xs, 95))}   cpu p50 ${f1(pct(cpu, 50))} p95 ${f1(pct(cpu, 95))} (n ${xs.length})`)
}

if (values.whole) await presetsInTurn()
await figures('12 months', { preset: 'last_12_months' })
await figures('5 years', { from: addDays(dayAfter, -1826), to: addDays(dayAfter, -1) })
console.log('')
await time('funder report, last quarter', () => funderReport(ctx, { preset: 'last_quarter' }))
await opened.close()

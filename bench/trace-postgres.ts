/**
 * Every statement a workload sends to a PostgreSQL server, slowest first, with its time and its
 * parameters: where to point EXPLAIN (ANALYZE, BUFFERS). Reads only.
 *   npx tsx bench/trace-postgres.ts postgres://… dashboard [--rounds N] [--top N] [--full]
 *   npx tsx bench/trace-postgres.ts postgres://… typo BENCH.plain.db [--top N] [--full]
 * `typo` times the bench's "names with a typo" searches (chosen from the bench's SQLite file, as
 * the bench chooses them) and lists the slowest searches with their statements.
 */
import { parseArgs } from 'node:util'
import pg from 'pg'
import SqliteDatabase from 'better-sqlite3-multiple-ciphers'
import { openPostgres } from '../db/postgres'
import type { ServiceContext } from '../db/services/context'
import { dashboard } from '../db/services/reports/dashboard'
import { addDays } from '../db/services/reports/range'
import { searchParticipants } from '../db/services/search'
import { buildQueries } from './queries'
import { FULL_SIZE } from './harness'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string' }, top: { type: 'string' }, full: { type: 'boolean' } } })
const [url, what, benchFile] = positionals
if (!url || (what !== 'dashboard' && what !== 'typo')) throw new Error('usage: trace-postgres postgres://… dashboard|typo [BENCH.plain.db]')
const rounds = Number(values.rounds ?? 3)
const top = Number(values.top ?? 8)

type Statement = { text: string; params: unknown; ms: number }
let trace: Statement[] | null = null
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [config, params] = args
  const text = typeof config === 'string' ? config : (config as { text?: string }).text
  const result = query.apply(this, args)
  const into = trace
  if (!into || !text || !(result instanceof Promise)) return result
  const started = performance.now()
  return result.then((r: unknown) => {
    into.push({ text, params: params ?? (config as { values?: unknown }).values, ms: performance.now() - started })
    return r
  })
} as typeof pg.Client.prototype.query

const show = (s: Statement) => `${s.ms.toFixed(1)} ms  ${values.full ? s.text : s.text.slice(0, 240)}\n    params ${JSON.stringify(s.params).slice(0, values.full ? 4000 : 300)}`

const opened = await openPostgres(url, { poolSize: 2 })
const last = (await opened.db.selectFrom('visits').select((eb) => eb.fn.max('visit_date').as('d')).executeTakeFirstOrThrow()).d as string
if (what === 'dashboard') {
  const ctx: ServiceContext = { db: opened.db, staffId: null, now: () => new Date(`${addDays(last, 1)}T08:00:00Z`), timeZone: 'UTC' }
  await dashboard(ctx, { preset: 'last_12_months' })
  const seen = new Map<string, Statement[]>()
  const totals: number[] = []
  for (let i = 0; i < rounds; i++) {
    trace = []
    const t = performance.now()
    await dashboard(ctx, { preset: 'last_12_months' })
    totals.push(performance.now() - t)
    for (const s of trace) seen.set(s.text, [...(seen.get(s.text) ?? []), s])
    trace = null
  }
  const rows = [...seen.values()].map((calls) => ({ ...calls[0]!, ms: calls.reduce((a, c) => a + c.ms, 0) / rounds, calls: calls.length / rounds }))
  rows.sort((a, b) => b.ms - a.ms)
  console.log(`whole dashboard ms: ${totals.map((t) => t.toFixed(0)).join(' ')}; ${rows.length} statements, ${rows.reduce((a, r) => a + r.ms, 0).toFixed(0)} ms of them per round`)
  for (const row of rows.slice(0, top)) console.log(`\n[${row.calls} call(s) per round] ${show(row)}`)
} else {
  if (!benchFile) throw new Error('typo needs the bench data file (BENCH.plain.db)')
  const sqlite = new SqliteDatabase(benchFile, { readonly: true, fileMustExist: true })
  const { typo } = buildQueries(sqlite, FULL_SIZE.people, FULL_SIZE.seed)
  sqlite.close()
  const busy = new Date(`${last}T17:30:00Z`)
  const ctx: ServiceContext = { db: opened.db, staffId: null, now: () => busy, timeZone: 'UTC' }
  for (const text of typo) await searchParticipants(ctx, text, 20)
  const searches: Array<{ text: string; ms: number; statements: Statement[] }> = []
  for (let i = 0; i < rounds; i++) {
    for (const text of typo) {
      trace = []
      const t = performance.now()
      await searchParticipants(ctx, text, 20)
      searches.push({ text, ms: performance.now() - t, statements: trace })
      trace = null
    }
  }
  const sorted = searches.map((s) => s.ms).sort((a, b) => a - b)
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(1)
  const perSearch = searches.reduce((a, s) => a + s.statements.length, 0) / searches.length
  console.log(`${typo.length} typo searches x ${rounds}: p50 ${pct(50)} p95 ${pct(95)} ms; ${perSearch.toFixed(1)} statements per search`)
  for (const s of [...searches].sort((a, b) => b.ms - a.ms).slice(0, top)) {
    console.log(`\n"${s.text}" ${s.ms.toFixed(1)} ms`)
    for (const statement of s.statements) console.log(`  ${show(statement)}`)
  }
}
await opened.close()

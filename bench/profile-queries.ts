/**
 * Every statement one dashboard runs, with its time, slowest first: npx tsx bench/profile-queries.ts FILE.db [KEYFILE] [--five]
 */
import { parseArgs } from 'node:util'
import { Kysely, SqliteDialect } from 'kysely'
import { openDatabase, type OpenDatabase } from '../db/open'
import { FileKeyStore } from '../db/keystore-file'
import { openPlain } from './databases'
import type { Database } from '../db/schema'
import { dashboard } from '../db/services/reports/dashboard'
import { funderReport } from '../db/services/reports/report'
import { addDays } from '../db/services/reports/range'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { five: { type: 'boolean' }, report: { type: 'boolean' } } })
const [file, keyFile] = positionals
if (!file) throw new Error('usage: profile-queries FILE.db [KEYFILE]')
const opened: OpenDatabase = keyFile ? await openDatabase(file, new FileKeyStore(keyFile).load(), { check: 'none' }) : openPlain(file)
const log: Array<{ ms: number; sql: string }> = []
let on = false
const db = new Kysely<Database>({
  dialect: new SqliteDialect({ database: opened.sqlite }),
  log: (event) => {
    if (on && event.level === 'query') log.push({ ms: event.queryDurationMillis, sql: event.query.sql.replace(/\s+/g, ' ') })
  },
})
const last = (await db.selectFrom('visits').select((eb) => eb.fn.max('visit_date').as('d')).executeTakeFirstOrThrow()).d as string
const dayAfter = addDays(last, 1)
const ctx = { db, staffId: null, now: () => new Date(`${dayAfter}T08:00:00Z`), timeZone: 'UTC' }
const run = () =>
  values.report ? funderReport(ctx, { preset: 'last_quarter' }) : dashboard(ctx, values.five ? { from: addDays(dayAfter, -1826), to: addDays(dayAfter, -1) } : { preset: 'last_12_months' })
await run()
on = true
for (let i = 0; i < 3; i++) await run()
const byText = new Map<string, number[]>()
for (const q of log) byText.set(q.sql, [...(byText.get(q.sql) ?? []), q.ms])
const rows = [...byText].map(([sql, ms]) => ({ ms: ms.reduce((a, b) => a + b, 0) / 3, n: ms.length / 3, sql }))
rows.sort((a, b) => b.ms - a.ms)
console.log(`total ${rows.reduce((a, r) => a + r.ms, 0).toFixed(1)} ms per dashboard, ${rows.reduce((a, r) => a + r.n, 0)} statements`)
for (const r of rows.slice(0, 25)) console.log(`${r.ms.toFixed(1).padStart(7)} ms x${r.n}  ${r.sql.slice(0, 260)}`)
await opened.close()

import { copyFileSync, readFileSync } from 'node:fs'
import { FileKeyStore } from '../db/keystore-file'
import { signIn } from '../db/services/visits'
import { BENCH_ADMIN, openKeyed, openPlain, removeDb } from './databases'

/**
 * The bench's sign-ins (harness.ts: yesterday's visitors, each once, a peer support and a meal,
 * one every 20 seconds of the morning after the data ends) on ONE fresh copy, encrypted (KEY=<.key>)
 * or plain, each counted in bytes read and written by the process (/proc/self/io, Linux) and its
 * CPU time, so that what the cipher has to do per sign-in (decrypt and check each page read,
 * encrypt and sign each page written) can be told apart. Run it under `perf record` to see where
 * the cipher's time goes; the loop is the process's only cipher work besides opening.
 *
 * Usage: tsx bench/sign-in-io.ts <bench .db or .plain.db> [copy path] [sign-ins, 430 = the bench's 30 + 400]
 */
const [source, copyPath = '/tmp/sign-in-io.db', howMany = '430'] = process.argv.slice(2)
if (!source) throw new Error('Usage: tsx bench/sign-in-io.ts <bench .db or .plain.db> [copy path] [sign-ins]')
removeDb(copyPath)
copyFileSync(source, copyPath)
const key = process.env.KEY ? new FileKeyStore(process.env.KEY).load() : null
const opened = key ? openKeyed(copyPath, key) : openPlain(copyPath)
const { sqlite } = opened

function io(): { rchar: number; wchar: number; syscr: number; syscw: number } {
  const text = readFileSync('/proc/self/io', 'utf8')
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? NaN)
  return { rchar: field('rchar'), wchar: field('wchar'), syscr: field('syscr'), syscw: field('syscw') }
}
const delta = (a: ReturnType<typeof io>, b: ReturnType<typeof io>) => ({ rchar: b.rchar - a.rchar, wchar: b.wchar - a.wchar, syscr: b.syscr - a.syscr, syscw: b.syscw - a.syscw })
const probe = (() => delta(io(), io()))()

const pageSize = sqlite.pragma('page_size', { simple: true }) as number
const last = sqlite.prepare(`SELECT max(visit_date) FROM visits`).pluck().get() as string
const staffId = sqlite.prepare(`SELECT id FROM staff WHERE username = ?`).pluck().get(BENCH_ADMIN.username) as number
const dayAfter = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
const people = sqlite
  .prepare(`SELECT id FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL AND last_visit_at IS NOT NULL ORDER BY last_visit_at DESC LIMIT ?`)
  .pluck()
  .all(Number(howMany)) as number[]
const services = (sqlite.prepare(`SELECT id FROM services WHERE key IN ('peer_support', 'meal') ORDER BY sort_order`).pluck().all() as number[]).map((serviceId) => ({ serviceId, quantity: 1 }))
const morning = Date.parse(`${dayAfter}T08:30:00Z`)

const rows: Array<{ read: number; readCalls: number; written: number; cpu: number; wall: number }> = []
for (const [i, participantId] of people.entries()) {
  const at = new Date(morning + i * 20_000)
  const before = io()
  const cpu = process.cpuUsage()
  const started = performance.now()
  await signIn({ db: opened.db, staffId, now: () => at, timeZone: 'UTC' }, { participantId, services })
  const wall = performance.now() - started
  const used = process.cpuUsage(cpu)
  const d = delta(before, io())
  rows.push({ read: (d.rchar - probe.rchar) / pageSize, readCalls: d.syscr - probe.syscr, written: d.wchar / pageSize, cpu: (used.user + used.system) / 1000, wall })
  // The app's idle checkpoint runs here, between sign-ins, as in the bench (setImmediate after the answer).
  await new Promise((resolve) => setImmediate(resolve))
}
const timed = rows.slice(30)
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
console.log(`${key ? 'encrypted' : 'plain'}, ${timed.length} timed sign-ins (after 30): pages read mean ${mean(timed.map((r) => r.read)).toFixed(1)} (median ${median(timed.map((r) => r.read)).toFixed(1)}, ${mean(timed.map((r) => r.readCalls)).toFixed(1)} read calls), pages written (WAL frames; the idle checkpoint runs between, uncounted) mean ${mean(timed.map((r) => r.written)).toFixed(1)}; CPU p50 ${median(timed.map((r) => r.cpu)).toFixed(2)} ms, wall p50 ${median(timed.map((r) => r.wall)).toFixed(2)} ms`)
await opened.close()
removeDb(copyPath)

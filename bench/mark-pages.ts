import { closeSync, copyFileSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs'
import type { LogEvent } from 'kysely'
import { FileKeyStore } from '../db/keystore-file'
import { migrate, openDatabase, refuseNewerSchema } from '../db/open'
import { markAttendance } from '../db/services/attendance'
import type { ServiceContext } from '../db/services/context'
import { signIn } from '../db/services/visits'
import { BENCH_ADMIN, openKeyed, openPlain, removeDb } from './databases'

/**
 * Where a mark's writes go, deterministically: on a copy of the unencrypted bench database
 * (migrated to today's schema), the same marks as bench/groups.ts, each counted in statements
 * kysely sent and pages its commit appended to the WAL (one frame per page dirtied), the pages
 * named by the table or index they belong to. Timings on a shared machine wander; these do not.
 *
 * Usage: tsx bench/mark-pages.ts <bench .plain.db> [copy path] [marks]; SYNC=off leaves out the
 * fsync (CPU alone), CHECKPOINT=auto times the marks with SQLite's automatic checkpoint (no pages then).
 *
 * WRITE=sign-in counts the bench's sign-ins instead (harness.ts: the most recent visitors, each
 * once, a peer support and a meal, every 20 seconds of the morning after the data ends): the
 * cipher's work is per page written, so pages are what a roll-up kept on write costs a sign-in.
 * WHO=spread signs in people seen before picked across the whole file instead (most last came
 * weeks or months ago, where the bench's were there the day before).
 * MIGRATE=off keeps the copy at its own schema, to count an earlier build's pages beside today's.
 * KEY=<the bench .key file> counts the encrypted file instead (give its .db): its pages hold 80
 * bytes less (SQLCipher's reserve), so a row that fits a plain page may spill onto an overflow page.
 *
 * Pages read are counted too (the process's read syscalls and bytes, /proc/self/io, less what
 * reading that file costs): a page the cache does not hold is read from the file or the WAL and, on
 * the encrypted file, decrypted and its MAC checked, as much cipher work as a page written.
 */
const [source, copyPath = '/tmp/mark-pages.db', howMany = '40'] = process.argv.slice(2)
if (!source) throw new Error('Usage: tsx bench/mark-pages.ts <bench .plain.db> [copy path] [marks]')

removeDb(copyPath)
copyFileSync(source, copyPath)
let statements = 0
const spent = new Map<string, { n: number; ms: number }>()
// Statements counted and timed by their SQL (a trigger's time is its statement's).
const log = (event: LogEvent) => {
  statements++
  const key = event.query.sql.slice(0, 90)
  const entry = spent.get(key) ?? { n: 0, ms: 0 }
  spent.set(key, { n: entry.n + 1, ms: entry.ms + event.queryDurationMillis })
}
const cipherKey = process.env.KEY ? new FileKeyStore(process.env.KEY).load() : null
// The encrypted copy is migrated the app's way first (MIGRATE=off is for plain copies).
if (cipherKey) await (await openDatabase(copyPath, cipherKey, { check: 'none' })).close()
const plain = cipherKey ? openKeyed(copyPath, cipherKey, log) : openPlain(copyPath, log)
if (!cipherKey && process.env.MIGRATE !== 'off') await migrate(plain.db, refuseNewerSchema(plain.sqlite, copyPath))
plain.sqlite.pragma('wal_checkpoint(TRUNCATE)')
// No checkpoint while counting: the WAL only grows, so its frames are the marks' pages.
// (CHECKPOINT=auto keeps SQLite's automatic checkpoint, to time marks with it; the frames are then not counted.)
const auto = process.env.CHECKPOINT === 'auto'
if (!auto) plain.sqlite.pragma('wal_autocheckpoint = 0')
const { sqlite } = plain
// Without the fsync when SYNC=off, to see the CPU alone.
if (process.env.SYNC === 'off') sqlite.pragma('synchronous = OFF')
const { db } = plain
spent.clear()
const pageSize = sqlite.pragma('page_size', { simple: true }) as number
const wal = `${copyPath}-wal`

/** The page numbers of the WAL's frames from frame `from` on. */
function framesFrom(from: number): number[] {
  const fd = openSync(wal, 'r')
  try {
    const frames = Math.floor((fstatSync(fd).size - 32) / (pageSize + 24))
    const pages: number[] = []
    const header = Buffer.alloc(4)
    for (let i = from; i < frames; i++) {
      readSync(fd, header, 0, 4, 32 + i * (pageSize + 24))
      pages.push(header.readUInt32BE(0))
    }
    return pages
  } finally {
    closeSync(fd)
  }
}

const last = sqlite.prepare(`SELECT max(visit_date) FROM visits`).pluck().get() as string
const staffId = sqlite.prepare(`SELECT id FROM staff WHERE username = ?`).pluck().get(BENCH_ADMIN.username) as number
const dayAfter = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
const day = (sqlite.prepare(`SELECT min(session_date) FROM group_sessions WHERE session_date >= ? AND status = 'scheduled'`).pluck().get(dayAfter) as string | null) ?? dayAfter
const at = new Date(`${day}T21:00:00Z`)
const ctx: ServiceContext = { db, staffId, now: () => at, timeZone: 'UTC' }
const todays = sqlite.prepare(`SELECT id FROM group_sessions WHERE session_date = ? AND status = 'scheduled' ORDER BY start_time, id`).pluck().all(day) as number[]
const signIns = process.env.WRITE === 'sign-in'
const people = signIns
  ? (sqlite
      .prepare(
        `SELECT id FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL AND last_visit_at IS NOT NULL
         ORDER BY ${process.env.WHO === 'spread' ? '(id * 7919) % 100003' : 'last_visit_at DESC'} LIMIT ?`,
      )
      .pluck()
      .all(Number(howMany)) as number[])
  : (sqlite.prepare(`SELECT id FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL ORDER BY (id * 7919) % 100003 LIMIT ?`).pluck().all(Number(howMany)) as number[])
const services = (sqlite.prepare(`SELECT id FROM services WHERE key IN ('peer_support', 'meal') ORDER BY sort_order`).pluck().all() as number[]).map((serviceId) => ({ serviceId, quantity: 1 }))
const morning = Date.parse(`${dayAfter}T08:30:00Z`)
/** The i-th write: a present mark in one of today's sessions, or a sign-in 20 seconds after the one before. */
const write = (i: number, participantId: number) =>
  signIns
    ? signIn({ ...ctx, now: () => new Date(morning + i * 20_000) }, { participantId, services })
    : markAttendance(ctx, { sessionId: todays[i % todays.length]!, participantId, status: 'present' })

/** The process's read syscalls and bytes so far (Linux). */
function reads(): { calls: number; bytes: number } {
  const io = readFileSync('/proc/self/io', 'utf8')
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? NaN)
  return { calls: field('syscr'), bytes: field('rchar') }
}
/** What one look at /proc/self/io adds to the counts, taken off each write's. */
const probe = (() => {
  const a = reads()
  const b = reads()
  return { calls: b.calls - a.calls, bytes: b.bytes - a.bytes }
})()

const perMark: Array<{ statements: number; pages: number[]; read: number; cpu: number; wall: number }> = []
let frame = auto ? 0 : framesFrom(0).length
for (const [i, participantId] of people.entries()) {
  const before = statements
  const read = reads()
  const cpu = process.cpuUsage()
  const started = performance.now()
  await write(i, participantId)
  const used = process.cpuUsage(cpu)
  const wall = performance.now() - started
  const after = reads()
  const pages = auto ? [] : framesFrom(frame)
  frame += pages.length
  perMark.push({ statements: statements - before, pages, read: (after.bytes - read.bytes - probe.bytes) / pageSize, cpu: (used.user + used.system) / 1000, wall })
}
// The same people marked late instead: a status changed, the day already counted.
const again: number[] = []
for (const [i, participantId] of signIns ? [] : people.slice(0, 10).entries()) {
  await markAttendance(ctx, { sessionId: todays[i % todays.length]!, participantId, status: 'late' })
  const pages = auto ? [] : framesFrom(frame)
  frame += pages.length
  again.push(pages.length)
}

const all = [...new Set(perMark.flatMap((m) => m.pages))]
const owner = new Map<number, string>()
const placeholders = all.map(() => '?').join(',')
for (const row of sqlite.prepare(`SELECT name, pageno FROM dbstat WHERE pageno IN (${placeholders})`).all(...all) as Array<{ name: string; pageno: number }>) owner.set(row.pageno, row.name)
const byName = new Map<string, number>()
for (const m of perMark) for (const page of m.pages) byName.set(owner.get(page) ?? '(free or new)', (byName.get(owner.get(page) ?? '(free or new)') ?? 0) + 1)
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!
const pageCounts = perMark.map((m) => m.pages.length)
console.log(`${signIns ? 'sign-ins' : 'marks'} ${perMark.length}: pages per write median ${median(pageCounts)}, mean ${(pageCounts.reduce((a, b) => a + b, 0) / pageCounts.length).toFixed(1)}, max ${Math.max(...pageCounts)}`)
const read = perMark.map((m) => m.read)
console.log(`pages read per write (bytes read / page size): median ${median(read).toFixed(1)}, mean ${(read.reduce((a, b) => a + b, 0) / read.length).toFixed(1)}; the last half's mean ${(read.slice(read.length >> 1).reduce((a, b) => a + b, 0) / (read.length - (read.length >> 1))).toFixed(1)}`)
console.log(`statements per mark (kysely's, triggers not counted): median ${median(perMark.map((m) => m.statements))}`)
console.log(`CPU per mark (ms, with its answer): median ${median(perMark.map((m) => m.cpu)).toFixed(1)}`)
const walls = sorted(perMark.map((m) => m.wall))
console.log(`wall per mark (ms): p50 ${walls[Math.floor(walls.length * 0.5)]!.toFixed(1)} p95 ${walls[Math.floor(walls.length * 0.95)]!.toFixed(1)} max ${walls.at(-1)!.toFixed(1)}`)
if (!signIns) console.log(`a present mark changed to late: pages median ${median(again)}`)
console.log(`pages per mark by table or index (mean over the marks):`)
for (const [name, n] of [...byName].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / perMark.length).toFixed(2).padStart(6)}  ${name}`)
console.log("statements by wall time (ms per mark; a trigger's time is its statement's, the fsync the commit's):")
for (const [key, v] of [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(`  ${(v.ms / perMark.length).toFixed(2).padStart(6)}  x${v.n}  ${key}`)
await plain.close()
removeDb(copyPath)

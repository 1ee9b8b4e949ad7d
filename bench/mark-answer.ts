/**
 * What a mark's answer costs, apart from its write: the whole sheet read back (the old answer)
 * against the session and one person's row (markAnswer), in CPU, on the bench's mark day.
 * Reads only, so it may open the cached bench file itself.
 *   npx tsx bench/mark-answer.ts FILE.db [KEYFILE]   (with a key file: opened encrypted, as the app does)
 */
import { openDatabase } from '../db/open'
import { FileKeyStore } from '../db/keystore-file'
import { openPlain } from './databases'
import { markAnswer, sessionSheet } from '../db/services/attendance'
import type { ServiceContext } from '../db/services/context'
const [file, keyFile] = process.argv.slice(2)
const opened = keyFile ? await openDatabase(file!, new FileKeyStore(keyFile).load(), { check: 'none' }) : openPlain(file!)
const { sqlite, db } = opened
const last = sqlite.prepare(`SELECT max(visit_date) FROM visits`).pluck().get() as string
const dayAfter = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
const day = sqlite.prepare(`SELECT min(session_date) FROM group_sessions WHERE session_date >= ? AND status = 'scheduled'`).pluck().get(dayAfter) as string
const ctx: ServiceContext = { db, staffId: null, now: () => new Date(`${day}T21:00:00Z`), timeZone: 'UTC' }
const todays = sqlite.prepare(`SELECT id FROM group_sessions WHERE session_date = ? ORDER BY start_time, id`).pluck().all(day) as number[]
const people = sqlite.prepare(`SELECT id, first_name, nickname, last_name, code FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL ORDER BY (id * 7919) % 100003 LIMIT 200`).all() as Array<{ id: number; first_name: string | null; nickname: string | null; last_name: string | null; code: string }>
const rounds = 400
async function time(label: string, f: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 40; i++) await f(i)
  const cpu: number[] = []
  for (let i = 0; i < rounds; i++) { const c = process.cpuUsage(); await f(i); const u = process.cpuUsage(c); cpu.push((u.user + u.system) / 1000) }
  cpu.sort((a, b) => a - b)
  console.log(`${label}: CPU ms p50 ${cpu[rounds / 2]!.toFixed(2)} p95 ${cpu[Math.floor(rounds * 0.95)]!.toFixed(2)} (n ${rounds}, ${todays.length} sessions on ${day})`)
}
for (let k = 0; k < 2; k++) {
  await time('whole sheet (old answer)', (i) => sessionSheet(ctx, todays[i % todays.length]!, { audit: false }))
  await time('session + person row (new answer)', (i) => db.transaction().execute((trx) => markAnswer(trx, ctx, todays[i % todays.length]!, people[i % people.length]!, 'present', null)))
}
await opened.close()

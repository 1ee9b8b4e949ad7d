import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { generateKey } from '../db/keys'
import { FileKeyStore } from '../db/keystore-file'
import { migrationList } from '../db/migrations'
import { createDatabase, openDatabase, type OpenDatabase } from '../db/open'
import { rng, seedDatabase } from '../db/seed'
import { seedCoaching } from '../db/seed-coaching'
import { caseload } from '../db/services/caseload'
import { logContact } from '../db/services/coaching'
import type { ServiceContext } from '../db/services/context'
import { completeSetup } from '../db/services/setup'
import { createStaff } from '../db/services/staff-accounts'
import { removeDb, scratchFile } from './databases'
import { stats, type Stats } from './harness'

/**
 * Peer coaching at the size issue 13 names: 20,000 engagements and about 400,000 contacts over
 * five years on an encrypted database, 50 coaches. Timed one call at a time after a warm-up:
 * a peer specialist's caseload with its figures (< 30 ms p95), a manager's view of every caseload
 * (< 100 ms p95), and logging a contact: transaction, audit row, fsync (< 10 ms p95). Beside it,
 * the floor under any acknowledged write on this disk: one row and its fsync, nothing else.
 */
export const COACHING_SIZE = { participants: 40_000, days: 1826, visitsPerWeekday: 40, coaches: 50, engagements: 20_000, maxGapDays: 7, seed: 20261125, endDate: '2026-11-24' }

export interface CoachingResults {
  data: { engagements: number; contacts: number; openEngagements: number; coaches: number; bytes: number; buildSeconds: number | null }
  caseloadOne: Stats
  caseloadAll: Stats
  logContact: Stats
  commitFloor: Stats
}

const CACHE_VERSION = `${migrationList.length}-1`

async function build(file: string, progress: (phase: string) => void): Promise<void> {
  const s = COACHING_SIZE
  const key = generateKey()
  const tmp = `${file}.part`
  removeDb(tmp)
  const opened = await createDatabase(tmp, key)
  try {
    const setupCtx: ServiceContext = { db: opened.db, staffId: null, now: () => new Date(`${s.endDate}T07:00:00Z`), timeZone: 'UTC' }
    const admin = await completeSetup(setupCtx, { centerName: 'Bench Coaching Center', adminName: 'Bench Admin', username: 'admin', password: 'bench admin password' })
    progress('people and visits')
    await seedDatabase(opened, { participants: s.participants, days: s.days, visitsPerWeekday: s.visitsPerWeekday, seed: s.seed, groups: 0, coaching: false, endDate: new Date(`${s.endDate}T12:00:00Z`), timeZone: 'UTC' })
    progress('coaches')
    const ctx: ServiceContext = { ...setupCtx, staffId: admin.id }
    for (let i = 0; i < s.coaches; i++) await createStaff(ctx, { username: `coach${i}`, displayName: `Coach ${i}`, role: 'peer_specialist', password: 'a long enough password' })
    progress('engagements and contacts')
    const people = opened.sqlite.prepare(`SELECT count(*) FROM participants WHERE last_visit_at IS NOT NULL AND merged_into IS NULL AND deleted_at IS NULL`).pluck().get() as number
    const firstDate = new Date(Date.parse(`${s.endDate}T00:00:00Z`) - (s.days - 1) * 86_400_000).toISOString().slice(0, 10)
    seedCoaching(opened.sqlite, rng(s.seed + 13), { firstDate, lastDate: s.endDate, share: Math.min(1, s.engagements / people), maxGapDays: s.maxGapDays })
    opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    await opened.close()
  }
  new FileKeyStore(`${file}.key`).save(key)
  renameSync(tmp, file)
}

/** One untimed pass, then the timed ones. */
async function timed<T>(items: readonly T[], work: (item: T) => Promise<unknown>, warmUp = 5): Promise<number[]> {
  for (const item of items.slice(0, warmUp)) await work(item)
  const samples: number[] = []
  for (const item of items) {
    const started = performance.now()
    await work(item)
    samples.push(performance.now() - started)
  }
  return samples
}

export async function runCoachingBench(options: { dataDir: string; onProgress?: (phase: string) => void }): Promise<CoachingResults> {
  const progress = options.onProgress ?? (() => {})
  mkdirSync(options.dataDir, { recursive: true })
  const file = join(options.dataDir, `coaching-${CACHE_VERSION}.db`)
  let buildSeconds: number | null = null
  if (!existsSync(file) || !existsSync(`${file}.key`)) {
    const started = performance.now()
    await build(file, progress)
    buildSeconds = Math.round((performance.now() - started) / 1000)
  }
  // Writes go to a throwaway copy: the cached database stays as built.
  const work = scratchFile(options.dataDir, 'coaching-run')
  removeDb(work)
  copyFileSync(file, work)
  const opened: OpenDatabase = await openDatabase(work, new FileKeyStore(`${file}.key`).load())
  try {
    const { sqlite } = opened
    const day = '2026-11-25'
    const ctx: ServiceContext = { db: opened.db, staffId: 1, now: () => new Date(`${day}T16:00:00Z`), timeZone: 'UTC' }
    const coaches = sqlite.prepare(`SELECT id FROM staff WHERE role = 'peer_specialist' ORDER BY id`).pluck().all() as number[]
    progress('caseloads')
    const one = await timed([...coaches, ...coaches, ...coaches, ...coaches], (coach) => caseload({ ...ctx, staffId: coach }, coach))
    const all = await timed(Array.from({ length: 40 }, () => null), () => caseload(ctx, null), 3)
    progress('contacts')
    const open = sqlite.prepare(`SELECT participant_id, coach_id FROM coaching_engagements WHERE status = 'active' ORDER BY id`).all() as Array<{ participant_id: number; coach_id: number }>
    const contacts = Array.from({ length: 400 }, (_, i) => open[(i * 7919) % open.length]!)
    const logged = await timed(contacts, (e) =>
      logContact({ ...ctx, staffId: e.coach_id }, { participantId: e.participant_id, contactOn: day, minutes: 30, kind: 'phone', topics: ['Housing'], note: 'Talked about the week', nextSteps: 'Call on Friday' }),
    )
    // The floor: one small row and its fsync, nothing else.
    let written = 0
    const floor = await timed(Array.from({ length: 400 }, () => null), () =>
      opened.db.transaction().execute((trx) => trx.insertInto('settings').values({ key: `bench.floor.${written++}`, value: '1', updated_at: ctx.now().toISOString() }).execute()),
    )
    const count = (q: string) => sqlite.prepare(q).pluck().get() as number
    return {
      data: {
        engagements: count(`SELECT count(*) FROM coaching_engagements`),
        contacts: count(`SELECT count(*) FROM coaching_contacts`),
        openEngagements: open.length,
        coaches: coaches.length,
        bytes: statSync(file).size,
        buildSeconds,
      },
      caseloadOne: stats(one),
      caseloadAll: stats(all),
      logContact: stats(logged),
      commitFloor: stats(floor),
    }
  } finally {
    await opened.close()
    removeDb(work)
  }
}

const ms = (n: number) => n.toFixed(2)

export function formatCoaching(r: CoachingResults): string {
  const line = (label: string, s: Stats, goal: string) => `${label.padEnd(44)} ${ms(s.p50).padStart(8)} ${ms(s.p95).padStart(8)} ${ms(s.p99).padStart(8)}   ${goal}`
  return [
    `Peer coaching: ${r.data.engagements.toLocaleString('en-US')} engagements (${r.data.openEngagements} open), ${r.data.contacts.toLocaleString('en-US')} contacts, ${r.data.coaches} coaches, encrypted`,
    `${''.padEnd(44)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)}   goal (p95)`,
    line('one coach’s caseload, with its figures', r.caseloadOne, '< 30 ms'),
    line('every caseload (a manager’s view)', r.caseloadAll, '< 100 ms'),
    line('log a contact (transaction, audit, fsync)', r.logContact, '< 10 ms'),
    line('floor: one row and its fsync', r.commitFloor, '(the disk)'),
  ].join('\n')
}

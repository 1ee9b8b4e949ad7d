import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { backupDatabase, checkLiveDatabase, previewBackup, restoreDatabase, tableCounts } from '../../db/backup'
import { countsDisagree } from '../../db/backup-tasks'
import { generateKey } from '../../db/keys'
import { createDatabase, openDatabase } from '../../db/open'
import { seedDatabase } from '../../db/seed'
import { signIn } from '../../db/services/visits'
import { useTempDirs } from './helpers'
import { runningClock, TEST_START } from '../clock'

const tempDir = useTempDirs()

/** Lets timers and worker messages through between two sign-ins, as a desk's clicks would. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** How many times a 1 ms timer fired while `work` ran: zero if the work held main's thread. */
async function ticksDuring<T>(work: Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  try {
    return { value: await work, ticks }
  } finally {
    clearInterval(timer)
  }
}

describe('backups on the worker thread', () => {
  // Seeding 3,000 people, a backup with its full integrity check and a restore: ~20 s on a two-core PC, past vitest's default 30 s when it is busy.
  it('keeps signing people in while a backup runs: every acknowledged sign-in is kept, and the copy holds one moment', async () => {
    const dir = tempDir()
    const key = generateKey()
    const live = await createDatabase(join(dir, 'live.db'), key)
    // A few MB, so the copy and its integrity_check take long enough for the desk to act meanwhile.
    await seedDatabase(live, { participants: 3000, days: 60, seed: 7, endDate: new Date(TEST_START) })
    expect(statSync(live.file).size + statSync(`${live.file}-wal`).size).toBeGreaterThan(2_000_000)
    const usb = join(dir, 'usb')
    mkdirSync(usb)
    const ctx = { db: live.db, staffId: null, now: runningClock(), timeZone: 'UTC' }

    let finished = false
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const backup = backupDatabase(live, key, usb, { now: new Date(TEST_START) }).finally(() => {
      finished = true
      clearInterval(timer)
    })
    const acknowledged: string[] = []
    while (!finished) {
      const note = `during-backup-${acknowledged.length}`
      await signIn(ctx, { participantId: null, anonymousCode: null, services: [{ serviceId: 1, quantity: 1 }], note })
      acknowledged.push(note)
      await nextTurn()
    }
    const manifest = await backup

    // The main thread kept turning: the copy and its checks were not on it.
    expect(ticks).toBeGreaterThan(0)
    expect(acknowledged.length).toBeGreaterThan(0)
    const kept = live.sqlite.prepare(`SELECT note FROM visits WHERE note LIKE 'during-backup-%'`).pluck().all() as string[]
    expect(new Set(kept)).toEqual(new Set(acknowledged))

    // The manifest's counts are the copy's, and the copy is one moment: sign-ins 0..n-1 and
    // their audit rows, never a visit without its audit row or a gap in the sequence.
    const copy = await openDatabase(join(usb, manifest.file), key, { readonly: true, check: 'full' })
    expect(tableCounts(copy.sqlite)).toEqual(manifest.counts)
    const inCopy = copy.sqlite.prepare(`SELECT note FROM visits WHERE note LIKE 'during-backup-%'`).pluck().all() as string[]
    expect(new Set(inCopy)).toEqual(new Set(acknowledged.slice(0, inCopy.length)))
    const audited = copy.sqlite
      .prepare(`SELECT count(*) FROM audit_log WHERE action = 'visit.sign_in' AND target_id IN (SELECT id FROM visits WHERE note LIKE 'during-backup-%')`)
      .pluck()
      .get()
    expect(audited).toBe(inCopy.length)
    await copy.close()

    // A restore's checks run there too: the preview, and the check of the file put in place.
    const backupFile = join(usb, manifest.file)
    const preview = await ticksDuring(previewBackup(backupFile, key))
    expect(preview.ticks).toBeGreaterThan(0)
    expect(preview.value.counts).toEqual(manifest.counts)
    const restored = await ticksDuring(restoreDatabase(join(dir, 'restored.db'), backupFile, key, ctx.now(), preview.value))
    expect(restored.ticks).toBeGreaterThan(0)
    await live.close()
  }, 90_000)

  it('leaves no connection open behind it: closing the database afterwards folds the WAL into the main file', async () => {
    const dir = tempDir()
    const key = generateKey()
    const live = await createDatabase(join(dir, 'live.db'), key)
    // A read-only open used without kysely (as the worker's are), then the live check on the worker.
    await (await openDatabase(live.file, key, { readonly: true, check: 'none' })).close()
    expect(await checkLiveDatabase(live, key)).toEqual([])
    await live.close()
    // A reader still open anywhere in the process would keep the checkpoint from running on close.
    expect(existsSync(`${live.file}-wal`)).toBe(false)
    expect(statSync(live.file).size).toBeGreaterThan(4096)
  })

  it('compares counts exactly when nothing was written during the copy, and by the growing audit log when something was', () => {
    const before = { audit_log: 10, visits: 4 }
    expect(countsDisagree({ audit_log: 10, visits: 4 }, { before, after: before, sameSnapshot: true })).toEqual([])
    expect(countsDisagree({ audit_log: 10, visits: 3 }, { before, after: before, sameSnapshot: true })).toEqual(['visits'])
    const after = { audit_log: 14, visits: 6 }
    expect(countsDisagree({ audit_log: 12, visits: 5 }, { before, after, sameSnapshot: false })).toEqual([])
    expect(countsDisagree({ audit_log: 9, visits: 5 }, { before, after, sameSnapshot: false })).toEqual(['audit_log'])
    expect(countsDisagree({ audit_log: 12 }, { before, after, sameSnapshot: false })).toEqual(['visits'])
  })
})

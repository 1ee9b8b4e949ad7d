import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { backupDatabase } from '../db/backup'
import type { DbKey } from '../db/keys'
import type { OpenDatabase } from '../db/open'
import { stats, type Stats } from './harness'

export interface BackupFigures {
  /** The whole backup: copy, integrity_check of the copy, counts, hash, manifest. */
  seconds: number
  bytes: number
  /** The longest the main thread's event loop was held up while the backup ran (sign-ins included). */
  longestStallMs: number
  stallP99Ms: number
  /** Sign-ins made on main while the backup ran on its worker. */
  signInsDuring: Stats
}

/** A sign-in every this many ms while the backup runs: a busy desk, with many samples. */
const PACE_MS = 50

/**
 * Backs up `live` (a throwaway copy) while main keeps signing people in, measuring what the desk
 * feels: each sign-in's time and the longest event-loop stall (perf_hooks.monitorEventLoopDelay).
 */
/** `at` names the backup: the run's own day on the data, not the machine's clock. */
export async function measureBackup(live: OpenDatabase, key: DbKey, dataDir: string, at: Date, signIn: () => Promise<unknown>): Promise<BackupFigures> {
  const folder = mkdtempSync(join(dataDir, 'backup-run-'))
  const delay = monitorEventLoopDelay({ resolution: 10 })
  try {
    delay.enable()
    const started = performance.now()
    let running = true
    const backup = backupDatabase(live, key, folder, { now: at }).finally(() => {
      running = false
    })
    const samples: number[] = []
    while (running) {
      const at = performance.now()
      await signIn()
      samples.push(performance.now() - at)
      await sleep(PACE_MS)
    }
    const manifest = await backup
    const seconds = (performance.now() - started) / 1000
    delay.disable()
    const ms = (ns: number) => Math.round(ns / 1e4) / 100
    return { seconds: Math.round(seconds * 100) / 100, bytes: manifest.bytes, longestStallMs: ms(delay.max), stallP99Ms: ms(delay.percentile(99)), signInsDuring: stats(samples) }
  } finally {
    delay.disable()
    rmSync(folder, { recursive: true, force: true })
  }
}

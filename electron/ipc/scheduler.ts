import type { BackupAttempt, BackupSchedule, BackupSettings } from '../../db/services/backup-settings'
import { getBackupSettings, lastBackupAttempt } from '../../db/services/backup-settings'
import { lastIntegrityCheck } from '../../db/services/integrity-check'
import { applyRetention, getRetentionPolicy, lastRetentionRun } from '../../db/services/retention'
import type { Kysely } from 'kysely'
import { checkFolder } from '../../db/backup'
import type { Database } from '../../db/schema'
import type { PorchlightCore } from './core'
import { log as logFile } from '../../db/log'
import { dateTimeFormat } from '../../shared/intl'

/**
 * Runs scheduled backups, a daily integrity check of the live file (and, when the center switched
 * it on, the retention policy) in main; on the center's server, the scheduled pg_dump copy instead,
 * beside the core that owns the database. It looks once a minute whether something is due
 * rather than arming one long timer: a computer that slept through 18:00 backs up when it wakes,
 * and a changed clock or schedule needs no re-arming. The clock is injected for tests.
 */
export interface SchedulerClock {
  now(): Date
  every(ms: number, run: () => void): () => void
}

export const systemClock: SchedulerClock = {
  now: () => new Date(),
  every: (ms, run) => {
    const timer = setInterval(run, ms)
    // Never the reason the process stays alive.
    timer.unref?.()
    return () => clearInterval(timer)
  },
}

/** After a failed scheduled backup, try again this much later (not every minute). */
export const RETRY_AFTER_MS = 60 * 60 * 1000
const TICK_MS = 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000

/** Minutes after local midnight of an "HH:MM" time. */
function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number]
  return h * 60 + m
}

/** The local wall-clock minutes of an instant in a time zone. */
function localMinutes(at: Date, timeZone?: string): { day: string; minutes: number } {
  const parts = dateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '0'
  return { day: `${part('year')}-${part('month')}-${part('day')}`, minutes: Number(part('hour')) * 60 + Number(part('minute')) }
}

/**
 * The first scheduled moment after `since` (the last successful backup, or when the schedule was
 * saved), or null when the schedule is off. For a daily time, found by stepping through the days
 * in the center's time zone, so daylight-saving changes land on the right wall-clock time.
 */
export function nextDue(schedule: BackupSchedule, since: Date, timeZone?: string): Date | null {
  if (schedule.kind === 'off') return null
  if (schedule.kind === 'hourly') return new Date(since.getTime() + schedule.every * 60 * 60 * 1000)
  const target = minutesOf(schedule.time)
  // Walk forward minute-exact candidates: each day's target time, from `since`'s day on.
  const start = localMinutes(since, timeZone)
  let guess = new Date(since.getTime() + (target - start.minutes) * 60 * 1000)
  guess.setUTCSeconds(0, 0)
  for (let i = 0; i < 4; i++) {
    // Correct for a time-zone offset change between `since` and the guess.
    const local = localMinutes(guess, timeZone)
    guess = new Date(guess.getTime() + (target - local.minutes) * 60 * 1000)
    if (guess.getTime() > since.getTime()) return guess
    guess = new Date(guess.getTime() + DAY_MS)
  }
  return guess
}

/** When the next backup is due, given the settings and the latest attempts; null: none scheduled. */
export function dueAt(settings: BackupSettings, last: BackupAttempt | null, lastSuccess: BackupAttempt | null, timeZone?: string): Date | null {
  if (!settings.folder || !settings.savedAt) return null
  const since = lastSuccess && lastSuccess.at > settings.savedAt ? lastSuccess.at : settings.savedAt
  const due = nextDue(settings.schedule, new Date(since), timeZone)
  if (!due) return null
  if (last && !last.ok && last.scheduled) {
    const retry = new Date(new Date(last.at).getTime() + RETRY_AFTER_MS)
    if (retry > due) return retry
  }
  return due
}

/**
 * With no backup schedule, the daily check waits for this long without a call from the desk: it
 * decrypts and walks the whole file on a second thread, which a busy desk would share its disk
 * and CPU with (and a check a minute after start raced every first search).
 */
export const CHECK_WHEN_IDLE_MS = 5 * 60 * 1000
/** …unless the last check is this old: a desk that is never quiet for that long still gets one. */
export const CHECK_OVERDUE_MS = 2 * DAY_MS

/** On the server, how long a PC that cannot reach the pg_dump folder leaves a due copy to the PCs that can. */
export const LEAVE_TO_OTHERS_MS = 30 * 60 * 1000

function reachable(folder: string | null): boolean {
  if (!folder) return false
  try {
    checkFolder(folder)
    return true
  } catch {
    return false
  }
}

export type SchedulerLogger = (message: string, error?: unknown) => void

export class BackupScheduler {
  private stop: (() => void) | null = null
  private running: Promise<void> | null = null
  private disposed = false
  /** When start() was called: a file never checked counts its overdue time from here. */
  private startedAt: number

  constructor(
    private readonly core: PorchlightCore,
    private readonly clock: SchedulerClock = systemClock,
    private readonly log: SchedulerLogger = (message, error) =>
      error === undefined ? logFile.warn('scheduler.problem', { what: message }) : logFile.error('scheduler.failed', error, { what: message }),
  ) {
    this.startedAt = clock.now().getTime()
  }

  start(): void {
    if (this.stop) return
    this.disposed = false
    this.startedAt = this.clock.now().getTime()
    this.stop = this.clock.every(TICK_MS, () => void this.tick())
  }

  /** No more ticks, and a tick under way starts no further step (backup, check, retention). */
  dispose(): void {
    this.disposed = true
    this.stop?.()
    this.stop = null
  }

  /** Waits for a tick under way, so closing the database never pulls it from under a backup or check. */
  async drain(): Promise<void> {
    await this.running
  }

  /**
   * When the next scheduled backup is due (for the Backups screen), or null. On the server: the
   * next pg_dump copy, when this PC has pg_dump (a PC without it never takes a turn).
   */
  async nextRun(): Promise<Date | null> {
    const db = this.core.database?.db ?? (this.core.serverName && this.core.pgDumpTools() ? this.core.records : null)
    if (!db) return null
    return this.dueIn(db)
  }

  private async dueIn(db: Kysely<Database>): Promise<Date | null> {
    const settings = await getBackupSettings(db)
    const { last, lastSuccess } = await lastBackupAttempt(db)
    return dueAt(settings, last, lastSuccess, this.core.timeZone)
  }

  /** One look: runs a due backup, then a due retention pass. Never overlaps itself; never throws. */
  tick(): Promise<void> {
    this.running ??= this.work().finally(() => {
      this.running = null
    })
    return this.running
  }

  private async work(): Promise<void> {
    // Not open (setup, unlock, error), or a backup/restore from the screen is under way.
    if (!this.core.records || this.core.progress() || this.disposed) return
    await this.core.closeStaleVisits()
    if (this.disposed) return
    if (this.core.serverName) return this.dumpIfDue(this.clock.now())
    // Backups, the page check and retention (which waits for a good backup) belong to the file on
    // this PC. On the center's PostgreSQL server the page checks are the server's own (README).
    if (!this.core.database) return
    const now = this.clock.now()
    const due = await this.nextRun()
    if (due && due.getTime() <= now.getTime()) {
      let backedUp = true
      try {
        await this.core.backupNow(null, true)
      } catch (error) {
        // Already recorded (audit + last attempt) for the Backups screen; the log is for IT.
        this.log('scheduled backup failed:', error)
        backedUp = false
      }
      // The check does not need the backup drive: an unplugged drive must not stop it too.
      if (this.disposed) return
      await this.integrityIfDue(now)
      if (backedUp && !this.disposed) await this.retentionIfDue(now)
    } else if (!due) {
      // No backup schedule to follow: the daily check keeps its own pace, when the desk is quiet.
      await this.integrityIfDue(now, this.core.lastCallAt)
    }
  }

  /**
   * On the server: the scheduled pg_dump copy, by whichever PC with pg_dump finds it due first (the
   * others find it made, or the turn taken). A PC that cannot reach the folder leaves the copy to
   * one that can for LEAVE_TO_OTHERS_MS; if none has made it by then, it tries, and the failure is
   * recorded for the Backups screen and the manager's home (never a silently missing copy).
   */
  private async dumpIfDue(now: Date): Promise<void> {
    if (!this.core.pgDumpTools()) return
    const db = this.core.records
    const due = db ? await this.dueIn(db) : null
    if (!db || !due || due.getTime() > now.getTime()) return
    const { folder } = await getBackupSettings(db)
    if (!reachable(folder) && now.getTime() - due.getTime() < LEAVE_TO_OTHERS_MS) return
    try {
      await this.core.scheduledDump(async (held) => {
        const stillDue = await this.dueIn(held)
        return stillDue !== null && stillDue.getTime() <= this.clock.now().getTime()
      })
    } catch (error) {
      // Already recorded (audit + last attempt) for the Backups screen and the manager's home.
      this.log('scheduled pg_dump failed:', error)
    }
  }

  /**
   * Once a day, right after the scheduled backup: the center's quiet time, with a good backup
   * minutes old to restore from if the check fails. Daily rather than weekly because the rotation
   * keeps seven daily backups: damage found within a day leaves backups from before it on hand.
   * It runs on the worker thread, so the desk does not wait for it. Without a backup schedule,
   * `lastCallAt` is given: then it waits for a quiet desk (CHECK_WHEN_IDLE_MS) unless overdue.
   */
  private async integrityIfDue(now: Date, lastCallAt?: number): Promise<void> {
    const db = this.core.database?.db
    if (!db) return
    const last = await lastIntegrityCheck(db)
    // Half an hour's slack: yesterday's check was recorded a little after yesterday's backup began.
    if (last && now.getTime() - new Date(last.at).getTime() < DAY_MS - 30 * TICK_MS) return
    // A file never checked waits for a quiet desk too, counted from when this scheduler started.
    const overdue = now.getTime() - (last ? new Date(last.at).getTime() : this.startedAt) >= CHECK_OVERDUE_MS
    const busy = lastCallAt !== undefined && now.getTime() - lastCallAt < CHECK_WHEN_IDLE_MS
    if (busy && !overdue) return
    try {
      const check = await this.core.checkIntegrity(null, true)
      if (!check.ok) this.log(`integrity check found damage: ${check.problems.join('; ')}`)
    } catch (error) {
      this.log('scheduled integrity check failed:', error)
    }
  }

  /** At most once a day and only right after a good backup, so what it clears is in a backup first. */
  private async retentionIfDue(now: Date): Promise<void> {
    const db = this.core.database?.db
    if (!db) return
    const policy = await getRetentionPolicy(db)
    if (!policy.enabled) return
    const last = await lastRetentionRun(db)
    if (last && now.getTime() - new Date(last).getTime() < DAY_MS) return
    try {
      await applyRetention({ ...this.core.context({ staff: null }), now: () => now }, { scheduled: true })
    } catch (error) {
      this.log('scheduled retention failed:', error)
    }
  }
}

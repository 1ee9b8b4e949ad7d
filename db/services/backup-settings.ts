import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import type { BackupAttempt, BackupSchedule, BackupSettings } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, type ServiceContext } from './context'

export type { BackupAttempt, BackupSchedule, BackupSettings }

/**
 * Where and when backups go, and how many are kept. Stored in `settings` (one JSON row); the
 * outcome of the latest backup attempt is a second row, so the Backups screen can say "the
 * scheduled backup at 18:00 failed: the drive is not plugged in".
 */



export const DEFAULT_BACKUP_SETTINGS: Readonly<BackupSettings> = Object.freeze({
  folder: null,
  schedule: { kind: 'daily', time: '18:00' } as BackupSchedule,
  keepDaily: 7,
  keepWeekly: 8,
  savedAt: null,
})

const SETTINGS_KEY = 'backup_settings'
const LAST_KEY = 'backup_last_attempt'
const LAST_OK_KEY = 'backup_last_success'

export async function readJson(db: Kysely<Database>, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  if (!row) return null
  try {
    return JSON.parse(row.value) as unknown
  } catch {
    return null
  }
}

export async function writeJson(db: Kysely<Database>, key: string, value: unknown, now: string): Promise<void> {
  const text = JSON.stringify(value)
  await db
    .insertInto('settings')
    .values({ key, value: text, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: now }))
    .execute()
}

export async function getBackupSettings(db: Kysely<Database>): Promise<BackupSettings> {
  const stored = (await readJson(db, SETTINGS_KEY)) as Partial<BackupSettings> | null
  return { ...DEFAULT_BACKUP_SETTINGS, ...(stored && typeof stored === 'object' ? stored : {}) }
}

export async function setBackupSettings(ctx: ServiceContext, settings: Omit<BackupSettings, 'savedAt'>): Promise<BackupSettings> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const saved: BackupSettings = { ...settings, savedAt: now }
    await writeJson(trx, SETTINGS_KEY, saved, now)
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'settings.backups', detail: { ...settings } })
    return saved
  })
}

export async function lastBackupAttempt(db: Kysely<Database>): Promise<{ last: BackupAttempt | null; lastSuccess: BackupAttempt | null }> {
  return {
    last: (await readJson(db, LAST_KEY)) as BackupAttempt | null,
    lastSuccess: (await readJson(db, LAST_OK_KEY)) as BackupAttempt | null,
  }
}

/** Records a backup attempt (made or failed) with its audit row; rotation removals go in the detail. */
export async function recordBackupAttempt(ctx: ServiceContext, attempt: Omit<BackupAttempt, 'at'>, detail: Record<string, unknown> = {}): Promise<BackupAttempt> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const record: BackupAttempt = { ...attempt, at: now }
    await writeJson(trx, LAST_KEY, record, now)
    if (attempt.ok) await writeJson(trx, LAST_OK_KEY, record, now)
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: attempt.ok ? 'backup.create' : 'backup.failed',
      detail: { file: attempt.file, scheduled: attempt.scheduled, ...(attempt.error ? { error: attempt.error } : {}), ...detail },
    })
    return record
  })
}

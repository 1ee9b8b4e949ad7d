import { z } from 'zod'
import type { FullExportResult } from '../../../db/export-types'
import { REPORT_SCOPES } from '../../../db/report-types'
import type { BackupAttempt, BackupListing, BackupPreview, BackupSettings, IntegrityCheck, RetentionPolicy, RetentionPreview, RetentionResult } from '../../../db/types'
import { absolutePath, channel, confirmed, count, noInput, says } from './common'

/** Backups, restore, the recovery key and retention: admins only. */
/** The backup, restore or key change under way; the Backups screen polls it for its progress bar. */
export interface BackupProgress {
  step: 'copying' | 'verifying' | 'rotating' | 'restoring' | 'rekeying' | 'checking' | 'exporting'
  startedAt: string
  /** While exporting: rows written so far and in all (the progress bar's share). */
  done?: number
  total?: number
}

export interface BackupOverview {
  settings: BackupSettings
  last: BackupAttempt | null
  lastSuccess: BackupAttempt | null
  /** When the next scheduled backup is due (ISO), or null when none is scheduled. */
  nextRunAt: string | null
  running: BackupProgress | null
  /** Where the database lives on this computer (a restore keeps the replaced file beside it). */
  dbFile: string
  /** The latest full integrity check of the live file, or null before the first. */
  lastCheck: IntegrityCheck | null
  /**
   * While the records are on the center's PostgreSQL server (null on this PC's file): the server's
   * own backups are the primary ones and restore is the server's; "Back up now" runs pg_dump,
   * where this PC has it (its path, or null: the screen says how to install it).
   */
  server: { where: string; pgDump: string | null } | null
}

export const backupFileName = z.string().regex(/^porchlight-\d{8}-\d{6}\.db$/, says('input.backupFile'))

export const backupSchedule = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('off') }).strict(),
    z.object({ kind: z.literal('daily'), time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, says('input.time')) }).strict(),
    z.object({ kind: z.literal('hourly'), every: count(1, 168) }).strict(),
  ],
  says('input.backupSchedule'),
)

export const retentionPolicy = z
  .object({
    enabled: z.boolean(),
    years: count(1, 50),
    mode: z.enum(['deidentify', 'purge']),
  })
  .strict()

export const backupsChannels = {
  // Backups, restore, the recovery key and retention: admins only.
  'backups.overview': channel<BackupOverview>()({ input: noInput }),
  'backups.saveSettings': channel<BackupOverview>()({
    input: z
      .object({ folder: absolutePath(), schedule: backupSchedule, keepDaily: count(1, 365), keepWeekly: count(0, 520) })
      .strict(),
  }),
  'backups.list': channel<BackupListing[]>()({ input: noInput }),
  'backups.run': channel<BackupListing>()({ input: noInput }),
  'backups.progress': channel<BackupProgress | null>()({ input: noInput }),
  'backups.preview': channel<BackupPreview>()({ input: z.object({ file: backupFileName }).strict() }),
  'backups.restore': channel<{ asideFile: string; counts: Record<string, number> }>()({
    input: z.object({ file: backupFileName, confirm: confirmed }).strict(),
  }),
  'backups.chooseFolder': channel<string | null>()({ input: noInput }),
  'backups.checkNow': channel<IntegrityCheck>()({ input: noInput }),
  // A full export of everything the center holds: a zip of CSV files, AES-256 unless asked not to.
  // scope: the window's center (the default) or every center (main refuses it to all but an organization admin).
  'export.everything': channel<FullExportResult>()({ input: z.object({ folder: absolutePath(), encrypted: z.boolean(), scope: z.enum(REPORT_SCOPES).optional() }).strict() }),
  'security.newRecoveryKey': channel<{ recoveryKey: string }>()({
    input: z.object({ confirm: confirmed, passphrase: z.string().max(1024).optional() }).strict(),
  }),
  'retention.policy': channel<{ policy: RetentionPolicy; lastRun: string | null }>()({ input: noInput }),
  'retention.savePolicy': channel<{ policy: RetentionPolicy; lastRun: string | null }>()({ input: retentionPolicy }),
  'retention.preview': channel<RetentionPreview>()({
    input: z.object({ years: count(1, 50).optional(), mode: z.enum(['deidentify', 'purge']).optional() }).strict(),
  }),
  'retention.apply': channel<RetentionResult>()({
    input: z.object({ expectedPeople: count(0, 10_000_000), confirm: confirmed }).strict(),
  }),
}

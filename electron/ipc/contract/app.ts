import { z } from 'zod'
import type { StaffSummary } from '../../../db/types'
import type { MessageRef } from '../../../shared/messages'
import { absolutePath, channel, newPassword, noInput, requiredText, says, username } from './common'

/** The app itself: status, unlock, first-run setup, recovery, signing in and out, the idle lock. */
/**
 * 'kiosk': the window is a self check-in screen; only kiosk channels (and app.status) answer.
 * 'change-password': signed in with a password an admin set; nothing else answers until it is changed.
 */
export type AppPhase = 'unlock' | 'setup' | 'error' | 'signed-out' | 'signed-in' | 'change-password' | 'kiosk'

export interface AppStatus {
  phase: AppPhase
  centerName: string | null
  /** The center's IANA zone: the renderer shows times and days in it, as main counts them. */
  timeZone: string
  /** Seconds without a touch before the kiosk returns to its welcome screen. */
  kioskResetSeconds: number
  /** The center records at least one service on every visit. */
  requireService: boolean
  staff: StaffSummary | null
  /** What protects the database key on this computer; 'passphrase' means setup must ask for one. */
  keyProtection: 'os' | 'passphrase' | 'file' | 'env'
  /** Why the records cannot open: `ref` is worded in the screen's language, `message` is its English. */
  error: { code: string; message: string; ref: MessageRef } | null
  /** Signed in but idle too long: the window shows the lock screen over the work in progress. */
  locked: boolean
  /** When signed in: seconds without input before this window locks. */
  idleLockSeconds: number | null
  /** Only in phase 'error', when the file is damaged: the newest backup that passed its checks. */
  restore?: RestoreOffer | null
}

/** A verified backup Porchlight can put in place of a damaged database file. */
export interface RestoreOffer {
  /** The backup's file name in the backup folder. */
  file: string
  createdAt: string
  participants: number
  visits: number
}

export interface RestoreOutcome {
  restoredFrom: string
  createdAt: string
  /** Where the damaged file was moved: kept for investigation, never deleted. */
  asideFile: string
}

export const appChannels = {
  'app.status': channel<AppStatus>()({ input: noInput, kiosk: 'also' }),
  'app.unlock': channel<AppStatus>()({
    input: z.object({ passphrase: z.string().min(1, says('unlock.enterPassphrase')).max(1024) }).strict(),
  }),
  'app.restoreBackup': channel<RestoreOutcome>()({ input: noInput }),
  'setup.create': channel<{ recoveryKey: string; staff: StaffSummary }>()({
    input: z
      .object({
        centerName: requiredText(120),
        adminName: requiredText(120),
        username,
        password: newPassword,
        passphrase: z.string().min(10).max(1024).optional(),
      })
      .strict(),
  }),
  'auth.login': channel<StaffSummary>()({
    input: z
      .object({
        username: z.string().trim().min(1).max(60),
        password: z.string().min(1).max(1024),
      })
      .strict(),
  }),
  'auth.logout': channel<null>()({ input: noInput }),
  'setup.recover': channel<AppStatus>()({
    input: z
      .object({
        recoveryKey: z.string().trim().min(1).max(200, says('input.recoveryKey')),
        backupFile: z.union([absolutePath(), z.literal('').transform(() => undefined)]).optional(),
        passphrase: z.string().min(10).max(1024).optional(),
      })
      .strict(),
  }),
  'session.lock': channel<AppStatus>()({ input: noInput }),
  'session.unlock': channel<AppStatus>()({
    input: z.object({ password: z.string().min(1).max(1024) }).strict(),
  }),
  'session.touch': channel<null>()({ input: noInput }),
  /**
   * The renderer's one way into the log: an error's message and stack, nothing else (no state,
   * no props, no record), rate-limited per window; `logged` is false when the limit dropped it.
   */
  'app.logError': channel<{ logged: boolean }>()({
    input: z.object({ message: z.string().max(2000), stack: z.string().max(8000).optional() }).strict(),
    kiosk: 'also',
  }),
}

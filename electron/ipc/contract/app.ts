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
  /** Where the records live: 'file', encrypted on this PC; 'server', the center's PostgreSQL server. */
  records: 'file' | 'server'
  /** host:port/database of the server while the records are there (never the password). */
  server: string | null
  /**
   * The records are on the server and it stopped answering: every screen says so until main's
   * probe reaches it again (then this turns false by itself). Always false on this PC's file.
   */
  serverLost: boolean
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

/** What "Test connection" found on the center's PostgreSQL server. */
export interface ServerTestResult {
  where: string
  /** The server's PostgreSQL version, e.g. "16.4". */
  version: string
  /** The connection's TLS version, or null on a server on this PC reached without TLS. */
  tls: string | null
  /** 'empty': Porchlight will build its schema there; 'records': a center's records are already there. */
  holds: 'empty' | 'records'
  centerName: string | null
  /** The records have an admin: after connecting, staff sign in; otherwise setup names the center. */
  setUp: boolean
}

const hostName = z
  .string()
  .trim()
  .min(1, says('input.required'))
  .max(253)
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, says('input.hostName'))

/** A PostgreSQL identifier as a role or database name: what libpq accepts without quoting tricks. */
const pgName = z.string().trim().min(1, says('input.required')).max(63, says('input.pgName'))

/** How to reach the center's PostgreSQL server; a client certificate needs its certificate and key files. */
export const serverConnection = z
  .object({
    host: hostName,
    port: z.number().int().min(1).max(65535),
    database: pgName,
    user: pgName,
    auth: z.enum(['password', 'certificate']),
    password: z.string().max(1024).optional(),
    caFile: absolutePath().optional(),
    certFile: absolutePath().optional(),
    keyFile: absolutePath().optional(),
    keyPassphrase: z.string().max(1024).optional(),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.auth !== 'certificate') return
    for (const field of ['certFile', 'keyFile'] as const) {
      if (!value[field]) context.addIssue({ code: 'custom', path: [field], ...says('input.required') })
    }
  })

export const appChannels = {
  'app.status': channel<AppStatus>()({ input: noInput, kiosk: 'also' }),
  'app.unlock': channel<AppStatus>()({
    input: z.object({ passphrase: z.string().min(1, says('unlock.enterPassphrase')).max(1024) }).strict(),
  }),
  'app.restoreBackup': channel<RestoreOutcome>()({ input: noInput }),
  /** First run: reaches the center's server and says what it found; writes nothing. */
  'setup.testServer': channel<ServerTestResult>()({ input: serverConnection }),
  /** First run: keeps the records on the center's server from now on (see PorchlightCore.connectServer). */
  'setup.connectServer': channel<AppStatus>()({
    input: z.object({ connection: serverConnection, passphrase: z.string().min(10).max(1024).optional() }).strict(),
  }),
  /** `recoveryKey` is null when the records are on the center's server: there is no key to recover them with. */
  'setup.create': channel<{ recoveryKey: string | null; staff: StaffSummary }>()({
    input: z
      .object({
        // The first center's name, kept in its centers row (100 characters at most).
        centerName: requiredText(100),
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

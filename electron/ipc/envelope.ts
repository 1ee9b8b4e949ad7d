import type { DbErrorCode } from '../../db/domain'
import type { MessageKey, MessageParams, MessageRef } from '../../shared/messages'

/** What every channel returns: never a raw thrown error across the bridge. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError }

export type IpcErrorCode =
  // Door-level refusals
  | 'UNKNOWN_CHANNEL'
  | 'BAD_SENDER'
  | 'NOT_SIGNED_IN'
  | 'FORBIDDEN'
  /** The window locked after idle time: unlock it with the password (or sign in as someone else). */
  | 'SESSION_LOCKED'
  /** Signed in with a password an admin set: change it first. */
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'INVALID_INPUT'
  | 'NOT_READY'
  | 'INTERNAL'
  // From the use cases
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'ALREADY_SIGNED_IN'
  | 'RECENT_REFERRAL'
  | 'RESTRICTED'
  | 'STALE'
  | 'ALREADY_SET_UP'
  | 'AUTH_FAILED'
  | 'LOCKED_OUT'
  | 'WRONG_PASSPHRASE'
  | 'DISK_FULL'
  | 'RESTORE_FAILED'
  // From the database file and the center's PostgreSQL server (db/domain/error-codes.ts, one list)
  | DbErrorCode
  // Backups and restore
  | 'BACKUP_FOLDER'
  | 'BACKUP_NO_SPACE'
  | 'BACKUP_FAILED'
  | 'RESTORE_REFUSED'
  | 'RESTORE_FAILED'

export interface IpcError {
  code: IpcErrorCode
  /** English, human, says what to do next: `key` worded in English, for logs, the test host and the command line. */
  message: string
  /**
   * The shared catalog's key (shared/messages) that the renderer words in the screen's language,
   * with its placeholders' values. Absent only when main is older than the catalog or the test
   * host refuses a request before it reaches the door.
   */
  key?: MessageKey
  params?: MessageParams
  /** Field-level problems for forms, keyed by field path ("firstName"), as catalog messages. */
  fields?: Record<string, MessageRef>
  detail?: Record<string, unknown>
}

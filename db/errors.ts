import { english, message, type MessageRef } from '../shared/messages'

/**
 * Errors that cross from db/ to the people using Porchlight. Each has a stable code
 * (for the IPC envelope and the CLI's exit messages) and a message saying what to do next.
 */
export type DbErrorCode =
  | 'DB_MISSING'
  | 'DB_EMPTY'
  | 'DB_NOT_ENCRYPTED'
  | 'DB_NOT_DATABASE'
  | 'DB_WRONG_KEY'
  | 'DB_DAMAGED'
  | 'DB_TOO_NEW'
  | 'DB_UPGRADE_BACKUP'
  | 'DB_UPGRADE_FAILED'
  | 'DB_EXISTS'
  | 'KEY_INVALID'
  // The center's PostgreSQL server (db/pg-connect.ts): each says what to check.
  | 'PG_UNREACHABLE'
  | 'PG_NO_TLS'
  | 'PG_CERT_UNTRUSTED'
  | 'PG_LOGIN_REFUSED'
  | 'PG_NOT_ALLOWED'
  | 'PG_NO_DATABASE'
  | 'PG_TOO_OLD'
  | 'PG_FILE'
  | 'PG_FAILED'

/** A refusal about the database file or its key: a key of the shared catalog (shared/messages), worded in English as `message`. */
export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    readonly ref: MessageRef,
    readonly detail?: string,
  ) {
    super(english(ref))
    this.name = 'DbError'
  }
}

export const dbErrors = {
  missing: (file: string) => new DbError('DB_MISSING', message('db.missing', { file })),
  empty: (file: string) => new DbError('DB_EMPTY', message('db.empty', { file })),
  notEncrypted: (file: string) => new DbError('DB_NOT_ENCRYPTED', message('db.notEncrypted', { file })),
  notDatabase: (file: string, why: string) => new DbError('DB_NOT_DATABASE', message('db.notDatabase', { file, reason: why })),
  wrongKey: (file: string) => new DbError('DB_WRONG_KEY', message('db.wrongKey', { file })),
  damaged: (file: string, detail: string) => new DbError('DB_DAMAGED', message('db.damaged', { file, reason: detail }), detail),
  tooNew: (file: string, found: number, known: number, unknown: string[]) =>
    new DbError('DB_TOO_NEW', message('db.tooNew', { file, found, known, versions: unknown.join(', ') })),
  upgradeBackupFailed: (file: string, from: number, to: number, reason: MessageRef | string) =>
    new DbError('DB_UPGRADE_BACKUP', message('db.upgradeBackupFailed', { file, from, to, reason })),
  upgradeFailed: (from: number, to: number, step: string, reason: string, backup: string) =>
    new DbError('DB_UPGRADE_FAILED', message('db.upgradeFailed', { from, to, step, reason, backup }), reason),
  exists: (file: string) => new DbError('DB_EXISTS', message('db.exists', { file })),
  keyInvalid: (why: string) => new DbError('KEY_INVALID', message('db.keyInvalid', { reason: why })),
}

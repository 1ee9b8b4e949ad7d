import { english, message, type MessageRef } from '../shared/messages'
import type { DbErrorCode } from './domain/error-codes'

export type { DbErrorCode }

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

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
  | 'DB_EXISTS'
  | 'KEY_INVALID'

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message)
    this.name = 'DbError'
  }
}

export const dbErrors = {
  missing: (file: string) =>
    new DbError('DB_MISSING', `No database file at ${file}. Check the path, or restore the latest backup to that place.`),
  empty: (file: string) =>
    new DbError('DB_EMPTY', `The database file ${file} is empty (0 bytes). It was probably cut short while being copied; restore the latest backup.`),
  notEncrypted: (file: string) =>
    new DbError('DB_NOT_ENCRYPTED', `${file} is an unencrypted SQLite file, not a Porchlight database. Porchlight never stores records unencrypted; choose the right file.`),
  notDatabase: (file: string, why: string) =>
    new DbError('DB_NOT_DATABASE', `${file} is not a Porchlight database (${why}). Choose the right file, or restore the latest backup.`),
  wrongKey: (file: string) =>
    new DbError('DB_WRONG_KEY', `The key does not open ${file}. Use this center's key or recovery key; the file has not been changed.`),
  damaged: (file: string, detail: string) =>
    new DbError('DB_DAMAGED', `The database file ${file} is damaged (${detail}). Do not keep working in it: restore the latest backup. The damaged file has been left as it was.`, detail),
  tooNew: (file: string, unknown: string[]) =>
    new DbError('DB_TOO_NEW', `${file} was written by a newer version of Porchlight (${unknown.join(', ')}). Update Porchlight on this computer before opening it.`),
  exists: (file: string) =>
    new DbError('DB_EXISTS', `${file} already exists. Porchlight will not overwrite it; choose another path or move the old file first.`),
  keyInvalid: (why: string) =>
    new DbError('KEY_INVALID', `That is not a valid Porchlight key: ${why}. A key is 64 characters, 0-9 and a-f (spaces and dashes are ignored).`),
}

/**
 * The codes of the errors that cross from db/ to the people using Porchlight (db/errors.ts), each
 * stable (for the IPC envelope and the CLI's exit messages); the IPC envelope takes this one list.
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

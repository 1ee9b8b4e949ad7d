import { randomBytes } from 'node:crypto'
import { dbErrors } from './errors'

/** A database key: 32 random bytes, used as SQLCipher's raw key (no passphrase KDF). */
export type DbKey = Buffer

export function generateKey(): DbKey {
  return randomBytes(32)
}

/** Accepts the 64 hex characters with any spaces, dashes or line breaks a person wrote between them. */
export function parseKey(text: string): DbKey {
  const hex = text.replace(/[\s-]/g, '').toLowerCase()
  if (hex.length !== 64) throw dbErrors.keyInvalid(`it has ${hex.length} characters instead of 64`)
  if (!/^[0-9a-f]+$/.test(hex)) throw dbErrors.keyInvalid('it has characters other than 0-9 and a-f')
  return Buffer.from(hex, 'hex')
}

export function keyToHex(key: DbKey): string {
  return key.toString('hex')
}

/** The recovery key as printed for a person to copy: 8 groups of 8, easy to read back. */
export function formatRecoveryKey(key: DbKey): string {
  return keyToHex(key).toUpperCase().match(/.{8}/g)!.join('-')
}

/**
 * Where the database key lives between runs. The Electron app wraps it with the OS
 * key store; the admin CLI and tests read a key file or PORCHLIGHT_DB_KEY.
 */
export interface KeyStore {
  /** What protects the key; 'passphrase' means the person must type one to unlock. */
  readonly protection: 'os' | 'passphrase' | 'file' | 'env'
  exists(): boolean
  /** Returns null when a passphrase is needed and was not given. */
  load(passphrase?: string): DbKey | null
  save(key: DbKey, passphrase?: string): void
  /**
   * Where a new key waits while the database is re-encrypted under it (a new recovery key).
   * Stores that cannot be written (PORCHLIGHT_DB_KEY) have none.
   */
  readonly pending?: PendingKey
}

/**
 * A new key kept beside the current one, durably, from just before PRAGMA rekey until the
 * database is known to be under it. A crash at any point leaves a key that opens the file: the
 * current one (the rekey never happened) or this one (it did); the next start keeps whichever
 * opens it (see PorchlightCore's start).
 */
export interface PendingKey {
  exists(): boolean
  load(passphrase?: string): DbKey | null
  /** Written and fsynced (file and folder) before it returns; replaces a stale pending key. */
  save(key: DbKey, passphrase?: string): void
  /** Becomes the stored key in one atomic rename. */
  promote(): void
  discard(): void
}

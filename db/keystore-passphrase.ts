import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { DbError, dbErrors } from './errors'
import type { DbKey, KeyStore, PendingKey } from './keys'
import { fsyncDirectory, PendingKeyFile, pendingPath } from './keystore-pending'
import { formatMessage, message } from '../shared/messages'
import { ServiceError } from './services/context'

/** Scrypt cost for wrapping the key: OWASP's recommended floor (128 MiB, ~0.3-1 s once per unlock). */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const

// Bounds for parameters read back from the file: a tampered file must not make us allocate gigabytes
// or accept a cost so low that the wrap is worthless.
const MIN_LOG2_N = 14
const MAX_LOG2_N = 20
const MAX_R = 32
const MAX_P = 16

const FORMAT_VERSION = 1
const KEY_BYTES = 32
const SALT_BYTES = 16
const IV_BYTES = 12
const TAG_BYTES = 16
// Binds the ciphertext to its purpose, so a blob wrapped for something else never opens as a DB key.
const AAD = Buffer.from('porchlight:db-key:v1')

export const WRONG_PASSPHRASE_MESSAGE = formatMessage('en', 'unlock.wrongPassphrase')

interface WrappedKeyFile {
  v: typeof FORMAT_VERSION
  kdf: 'scrypt'
  N: number
  r: number
  p: number
  salt: string
  iv: string
  tag: string
  ciphertext: string
}

/** Enough memory for scrypt's 128·N·r bytes, with headroom; Node's default (32 MiB) is too small for N=2^17. */
function maxmemFor(N: number, r: number): number {
  return 2 * 128 * N * r
}

function deriveWrappingKey(passphrase: string, salt: Buffer, N: number, r: number, p: number): Buffer {
  // NFC: the same passphrase typed on another keyboard or OS may arrive in another Unicode form.
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem: maxmemFor(N, r) })
}

/**
 * Creates `path` with `data`, readable by its owner only, and makes it durable. Refuses to
 * overwrite: a key file replaced by mistake loses every record its key protects. A failed write
 * removes the partial file so the next attempt is not blocked by garbage.
 */
export function writeNewPrivateFile(path: string, data: string | Buffer): void {
  let fd: number
  try {
    fd = openSync(path, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw dbErrors.exists(path)
    throw error
  }
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(path, { force: true })
    throw error
  }
  closeSync(fd)
  fsyncDirectory(dirname(path))
}

/**
 * Replaces a small file so that a crash leaves the old one or the new one, never half of either:
 * written aside (fsynced), renamed over, then the folder fsynced so the rename itself is kept.
 */
export function replaceFileAtomically(path: string, data: string): void {
  const aside = `${path}.new`
  rmSync(aside, { force: true })
  writeNewPrivateFile(aside, data)
  try {
    renameSync(aside, path)
  } catch (error) {
    rmSync(aside, { force: true })
    throw error
  }
  fsyncDirectory(dirname(path))
}

function damaged(path: string, why: string): DbError {
  return new DbError('KEY_INVALID', message('db.keyFileDamaged', { file: path, reason: why }), why)
}

function decode(path: string, field: string, value: unknown, bytes: number): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw damaged(path, `${field} is not base64`)
  const buffer = Buffer.from(value, 'base64')
  if (buffer.length !== bytes) throw damaged(path, `${field} has ${buffer.length} bytes`)
  return buffer
}

function isCost(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
}

/**
 * The database key wrapped with a passphrase, for computers whose OS key store is missing or weak
 * (Linux without a keyring). scrypt turns the passphrase into a wrapping key; AES-256-GCM
 * encrypts the 32-byte DB key and detects a wrong passphrase by its authentication tag.
 */
export class PassphraseKeyStore implements KeyStore {
  readonly protection = 'passphrase' as const
  constructor(readonly path: string) {}

  exists(): boolean {
    return existsSync(this.path)
  }

  load(passphrase?: string): DbKey | null {
    if (!passphrase) return null
    if (!this.exists()) throw dbErrors.keyInvalid(`there is no key file at ${this.path}`)
    const file = this.read()
    const salt = decode(this.path, 'salt', file.salt, SALT_BYTES)
    const iv = decode(this.path, 'iv', file.iv, IV_BYTES)
    const tag = decode(this.path, 'tag', file.tag, TAG_BYTES)
    const ciphertext = decode(this.path, 'ciphertext', file.ciphertext, KEY_BYTES)
    const wrappingKey = deriveWrappingKey(passphrase, salt, file.N, file.r, file.p)
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey, iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(AAD)
    decipher.setAuthTag(tag)
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()])
    } catch {
      // GCM cannot tell a wrong passphrase from an edited file; the first is by far the likelier.
      throw new ServiceError('WRONG_PASSPHRASE', 'unlock.wrongPassphrase')
    } finally {
      wrappingKey.fill(0)
    }
  }

  save(key: DbKey, passphrase?: string): void {
    writeNewPrivateFile(this.path, this.wrap(key, passphrase))
  }

  get pending(): PendingKey {
    return new PendingKeyFile(this.path, new PassphraseKeyStore(pendingPath(this.path)))
  }

  private wrap(key: DbKey, passphrase?: string): string {
    if (!passphrase) throw new ServiceError('VALIDATION', 'key.choosePassphrase', { field: 'passphrase' })
    if (key.length !== KEY_BYTES) throw dbErrors.keyInvalid(`it has ${key.length} bytes instead of ${KEY_BYTES}`)
    const { N, r, p } = SCRYPT_PARAMS
    const salt = randomBytes(SALT_BYTES)
    const iv = randomBytes(IV_BYTES)
    const wrappingKey = deriveWrappingKey(passphrase, salt, N, r, p)
    try {
      const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(AAD)
      const ciphertext = Buffer.concat([cipher.update(key), cipher.final()])
      const file: WrappedKeyFile = {
        v: FORMAT_VERSION,
        kdf: 'scrypt',
        N,
        r,
        p,
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ciphertext: ciphertext.toString('base64'),
      }
      return `${JSON.stringify(file, null, 2)}\n`
    } finally {
      wrappingKey.fill(0)
    }
  }

  private read(): WrappedKeyFile {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'))
    } catch {
      throw damaged(this.path, 'it is not JSON')
    }
    if (typeof parsed !== 'object' || parsed === null) throw damaged(this.path, 'it is not an object')
    const file = parsed as Record<string, unknown>
    if (file.v !== FORMAT_VERSION) {
      throw damaged(this.path, `format version ${String(file.v)} is not one this version of Porchlight reads`)
    }
    if (file.kdf !== 'scrypt') throw damaged(this.path, 'unknown key derivation')
    if (!isCost(file.N, 2 ** MIN_LOG2_N, 2 ** MAX_LOG2_N) || (file.N & (file.N - 1)) !== 0) {
      throw damaged(this.path, 'scrypt N is out of range')
    }
    if (!isCost(file.r, 1, MAX_R) || !isCost(file.p, 1, MAX_P)) throw damaged(this.path, 'scrypt r or p is out of range')
    return file as unknown as WrappedKeyFile
  }
}

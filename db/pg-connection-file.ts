import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { DbError } from './errors'
import type { DbKey } from './keys'
import { replaceFileAtomically } from './keystore-passphrase'
import type { PostgresConnection } from './pg-connect'
import { message } from '../shared/messages'

const FORMAT_VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
// Binds the ciphertext to its purpose: a blob wrapped for something else never opens as these secrets.
const AAD = Buffer.from('porchlight:pg-secrets:v1')

type Secrets = Pick<PostgresConnection, 'password' | 'keyPassphrase'>

interface StoredFile {
  v: typeof FORMAT_VERSION
  connection: Omit<PostgresConnection, keyof Secrets>
  secrets: { iv: string; tag: string; ciphertext: string }
}

function damaged(path: string, reason: string): DbError {
  return new DbError('KEY_INVALID', message('db.keyFileDamaged', { file: path, reason }), reason)
}

/**
 * Where a PC that keeps its records on the center's PostgreSQL server finds them: host, port,
 * database, user and file paths in plain JSON (nothing secret), and the password and client
 * key passphrase encrypted with AES-256-GCM under a random 32-byte key. That key lives in the
 * same key store as an SQLite database's key (the OS key store, or a passphrase where the OS has
 * none), so the password is exactly as well kept as the SQLite key would be. The file's presence
 * is what tells Porchlight at start that the records are on a server.
 */
export class ConnectionFile {
  constructor(readonly path: string) {}

  exists(): boolean {
    return existsSync(this.path)
  }

  load(key: DbKey): PostgresConnection {
    let parsed: StoredFile
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8')) as StoredFile
    } catch {
      throw damaged(this.path, 'it is not JSON')
    }
    if (parsed?.v !== FORMAT_VERSION || typeof parsed.connection !== 'object' || typeof parsed.secrets !== 'object') {
      throw damaged(this.path, 'it is not a connection file this version of Porchlight reads')
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parsed.secrets.iv, 'base64'), { authTagLength: TAG_BYTES })
    decipher.setAAD(AAD)
    decipher.setAuthTag(Buffer.from(parsed.secrets.tag, 'base64'))
    let secrets: Secrets
    try {
      secrets = JSON.parse(Buffer.concat([decipher.update(Buffer.from(parsed.secrets.ciphertext, 'base64')), decipher.final()]).toString('utf8')) as Secrets
    } catch {
      throw damaged(this.path, 'its secrets do not open with this computer’s key')
    }
    return { ...parsed.connection, ...secrets }
  }

  /** Written aside, fsynced, then renamed over the old one: a crash leaves the old file or the new one. */
  save(connection: PostgresConnection, key: DbKey): void {
    const { password, keyPassphrase, ...plain } = connection
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(AAD)
    const secrets: Secrets = { ...(password !== undefined ? { password } : {}), ...(keyPassphrase !== undefined ? { keyPassphrase } : {}) }
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()])
    const file: StoredFile = {
      v: FORMAT_VERSION,
      connection: plain,
      secrets: { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') },
    }
    replaceFileAtomically(this.path, `${JSON.stringify(file, null, 2)}\n`)
  }

  remove(): void {
    rmSync(this.path, { force: true })
  }
}

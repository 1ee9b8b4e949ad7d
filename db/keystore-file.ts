import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs'
import { dbErrors } from './errors'
import { keyToHex, parseKey, type DbKey, type KeyStore, type PendingKey } from './keys'
import { PendingKeyFile, pendingPath } from './keystore-pending'

/**
 * The key as 64 hex characters in a file readable by its owner only: for the admin CLI,
 * the test host and tests. The desktop app uses the OS key store instead.
 */
export class FileKeyStore implements KeyStore {
  readonly protection = 'file' as const
  constructor(readonly path: string) {}

  exists(): boolean {
    return existsSync(this.path)
  }

  load(): DbKey {
    if (!this.exists()) throw dbErrors.keyInvalid(`there is no key file at ${this.path}`)
    return parseKey(readFileSync(this.path, 'utf8'))
  }

  /** Refuses to overwrite: losing a key loses every record it protects. */
  save(key: DbKey): void {
    let fd: number
    try {
      fd = openSync(this.path, 'wx', 0o600)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw dbErrors.exists(this.path)
      }
      throw error
    }
    try {
      writeSync(fd, `${keyToHex(key)}\n`)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }

  get pending(): PendingKey {
    return new PendingKeyFile(this.path, new FileKeyStore(pendingPath(this.path)))
  }
}

/** The key from PORCHLIGHT_DB_KEY, for scripts that cannot keep a key file. Read-only. */
export class EnvKeyStore implements KeyStore {
  readonly protection = 'env' as const
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  exists(): boolean {
    return Boolean(this.env.PORCHLIGHT_DB_KEY)
  }

  load(): DbKey {
    const text = this.env.PORCHLIGHT_DB_KEY
    if (!text) throw dbErrors.keyInvalid('PORCHLIGHT_DB_KEY is not set')
    return parseKey(text)
  }

  save(): void {
    throw new Error('PORCHLIGHT_DB_KEY cannot be written; use a key file.')
  }
}

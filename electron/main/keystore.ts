import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { safeStorage as electronSafeStorage, type SafeStorage } from 'electron'
import { DbError } from '../../db/errors'
import { parseKey, keyToHex, type DbKey, type KeyStore, type PendingKey } from '../../db/keys'
import { PassphraseKeyStore, writeNewPrivateFile } from '../../db/keystore-passphrase'
import { PendingKeyFile, pendingPath } from '../../db/keystore-pending'
import { message } from '../../shared/messages'

/** File names in the user-data folder; one of them exists once Porchlight is set up. */
export const OS_KEY_FILE = 'database-key.safestorage'
export const PASSPHRASE_KEY_FILE = 'database-key.passphrase.json'

// The KeyStore interface is synchronous (core.start and setup call it inline), so this uses
// safeStorage's synchronous API, which Electron 45 marks deprecated in favour of the async one
// but still ships. Moving to the async API means making KeyStore async first.
export type SafeStorageApi = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>

/** Linux backends that keep the wrapping secret in a real keyring; anything else is weak or unknown. */
const STRONG_LINUX_BACKENDS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])

/**
 * Whether the OS key store protects a secret for real. On Linux, `basic_text` encrypts with a
 * password hard-coded in Chromium (anyone with the file can read it), and `unknown` means it was
 * asked before app 'ready': both count as no protection. Only meaningful after app 'ready'.
 */
export function osProtectionIsStrong(safeStorage: SafeStorageApi, platform: NodeJS.Platform = process.platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false
  if (platform === 'linux') return STRONG_LINUX_BACKENDS.has(safeStorage.getSelectedStorageBackend())
  return true
}

function osKeyStoreUnavailable(path: string, why: string): DbError {
  return new DbError('KEY_INVALID', message('db.osKeyStore', { reason: why }), `${path}: ${why}`)
}

/**
 * The database key wrapped by the OS (DPAPI on Windows, Keychain on macOS, libsecret/KWallet on
 * Linux) in a file in the user-data folder. Only usable after app 'ready'.
 */
export class SafeStorageKeyStore implements KeyStore {
  readonly protection = 'os' as const

  constructor(
    readonly path: string,
    private readonly safeStorage: SafeStorageApi = electronSafeStorage,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  exists(): boolean {
    return existsSync(this.path)
  }

  load(): DbKey {
    if (!this.safeStorage.isEncryptionAvailable()) throw osKeyStoreUnavailable(this.path, 'encryption is not available')
    let hex: string
    try {
      hex = this.safeStorage.decryptString(readFileSync(this.path))
    } catch (error) {
      throw osKeyStoreUnavailable(this.path, error instanceof Error ? error.message : 'decryption failed')
    }
    return parseKey(hex)
  }

  save(key: DbKey): void {
    // Checked again here, not only when choosing the store: never write the key under a weak wrap.
    if (!osProtectionIsStrong(this.safeStorage, this.platform)) {
      throw osKeyStoreUnavailable(this.path, 'the OS key store is missing or weak')
    }
    writeNewPrivateFile(this.path, this.safeStorage.encryptString(keyToHex(key)))
  }

  get pending(): PendingKey {
    return new PendingKeyFile(this.path, new SafeStorageKeyStore(pendingPath(this.path), this.safeStorage, this.platform))
  }
}

/**
 * Picks where the key lives. An existing wrapped key always wins, so a computer that once had a
 * keyring and lost it shows an unlock error instead of offering a fresh setup. For a new install,
 * the OS key store when it is strong, else a passphrase: the key is never stored weakly.
 * Call after app 'ready' (safeStorage is not usable before).
 */
export function chooseKeyStore(
  userDataDir: string,
  safeStorage: SafeStorageApi = electronSafeStorage,
  platform: NodeJS.Platform = process.platform,
): KeyStore {
  mkdirSync(userDataDir, { recursive: true, mode: 0o700 })
  const passphraseStore = new PassphraseKeyStore(join(userDataDir, PASSPHRASE_KEY_FILE))
  const osStore = new SafeStorageKeyStore(join(userDataDir, OS_KEY_FILE), safeStorage, platform)
  if (passphraseStore.exists()) return passphraseStore
  if (osStore.exists()) return osStore
  return osProtectionIsStrong(safeStorage, platform) ? osStore : passphraseStore
}

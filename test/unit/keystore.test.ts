import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DbError } from '../../db/errors'
import { generateKey, keyToHex } from '../../db/keys'
import { PassphraseKeyStore, SCRYPT_PARAMS, WRONG_PASSPHRASE_MESSAGE } from '../../db/keystore-passphrase'
import { ServiceError } from '../../db/services/context'
import { PorchlightCore } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { chooseKeyStore, OS_KEY_FILE, PASSPHRASE_KEY_FILE, SafeStorageKeyStore } from '../../electron/main/keystore'
import { coreTime } from '../clock'

type Backend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown'

// A stand-in for Electron's safeStorage: XOR "encryption", enough to prove the key is not stored as is.
const safeStorage = vi.hoisted(() => {
  const xor = (bytes: Buffer): Buffer => Buffer.from(bytes.map((b) => b ^ 0x5a))
  return {
    available: true,
    backend: 'gnome_libsecret' as Backend,
    isEncryptionAvailable: vi.fn((): boolean => safeStorage.available),
    getSelectedStorageBackend: vi.fn((): Backend => safeStorage.backend),
    encryptString: vi.fn((text: string): Buffer => Buffer.concat([Buffer.from('v11'), xor(Buffer.from(text))])),
    decryptString: vi.fn((data: Buffer): string => {
      if (data.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext')
      return xor(data.subarray(3)).toString()
    }),
  }
})

vi.mock('electron', () => ({ safeStorage }))

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'porchlight-keystore-'))
  safeStorage.available = true
  safeStorage.backend = 'gnome_libsecret'
  vi.clearAllMocks()
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function caught(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

const PASSPHRASE = 'Correct Horse Battery Staple'

describe('PassphraseKeyStore', () => {
  it('round-trips the key, and needs the passphrase to load it', () => {
    const store = new PassphraseKeyStore(join(dir, 'key.json'))
    expect(store.protection).toBe('passphrase')
    expect(store.exists()).toBe(false)
    const key = generateKey()
    store.save(key, PASSPHRASE)
    expect(store.exists()).toBe(true)
    expect(store.load()).toBeNull()
    expect(store.load('')).toBeNull()
    expect(store.load(PASSPHRASE)?.equals(key)).toBe(true)
    // A second instance (the next start of the app) reads the same file.
    expect(new PassphraseKeyStore(store.path).load(PASSPHRASE)?.equals(key)).toBe(true)
  })

  it('says WRONG_PASSPHRASE, in words a person can act on, for a wrong passphrase', () => {
    const store = new PassphraseKeyStore(join(dir, 'key.json'))
    store.save(generateKey(), PASSPHRASE)
    const error = caught(() => store.load(PASSPHRASE.toLowerCase()))
    expect(error).toBeInstanceOf(ServiceError)
    expect((error as ServiceError).code).toBe('WRONG_PASSPHRASE')
    expect((error as ServiceError).message).toBe(
      'That passphrase does not unlock Porchlight. Check it (capital letters count) and try again.',
    )
    expect(WRONG_PASSPHRASE_MESSAGE).toBe((error as ServiceError).message)
  })

  it('writes the file 0600 with scrypt N=2^17, r=8, p=1 and AES-GCM fields, never the key itself', () => {
    const store = new PassphraseKeyStore(join(dir, 'key.json'))
    const key = generateKey()
    store.save(key, PASSPHRASE)
    if (process.platform !== 'win32') expect(statSync(store.path).mode & 0o777).toBe(0o600)
    const text = readFileSync(store.path, 'utf8')
    expect(text.toLowerCase()).not.toContain(keyToHex(key))
    expect(text).not.toContain(key.toString('base64'))
    expect(text).not.toContain(PASSPHRASE)
    const file = JSON.parse(text) as Record<string, unknown>
    expect(file).toMatchObject({ v: 1, kdf: 'scrypt', N: 2 ** 17, r: 8, p: 1 })
    expect(SCRYPT_PARAMS).toEqual({ N: 131072, r: 8, p: 1 })
    expect(Buffer.from(String(file.salt), 'base64')).toHaveLength(16)
    expect(Buffer.from(String(file.iv), 'base64')).toHaveLength(12)
    expect(Buffer.from(String(file.tag), 'base64')).toHaveLength(16)
    expect(Buffer.from(String(file.ciphertext), 'base64')).toHaveLength(32)
  })

  it('uses a fresh salt and IV each time', () => {
    const key = generateKey()
    const a = new PassphraseKeyStore(join(dir, 'a.json'))
    const b = new PassphraseKeyStore(join(dir, 'b.json'))
    a.save(key, PASSPHRASE)
    b.save(key, PASSPHRASE)
    const fa = JSON.parse(readFileSync(a.path, 'utf8')) as Record<string, string>
    const fb = JSON.parse(readFileSync(b.path, 'utf8')) as Record<string, string>
    expect(fa.salt).not.toBe(fb.salt)
    expect(fa.iv).not.toBe(fb.iv)
    expect(fa.ciphertext).not.toBe(fb.ciphertext)
  })

  it('refuses to overwrite an existing key file, and leaves it as it was', () => {
    const store = new PassphraseKeyStore(join(dir, 'key.json'))
    const key = generateKey()
    store.save(key, PASSPHRASE)
    const before = readFileSync(store.path)
    const error = caught(() => store.save(generateKey(), 'another passphrase'))
    expect(error).toBeInstanceOf(DbError)
    expect((error as DbError).code).toBe('DB_EXISTS')
    expect(readFileSync(store.path).equals(before)).toBe(true)
    expect(store.load(PASSPHRASE)?.equals(key)).toBe(true)
  })

  it('refuses to save without a passphrase', () => {
    const store = new PassphraseKeyStore(join(dir, 'key.json'))
    expect((caught(() => store.save(generateKey())) as ServiceError).code).toBe('VALIDATION')
    expect(store.exists()).toBe(false)
  })

  it('accepts the passphrase in another Unicode form (NFC and NFD)', () => {
    const store = new PassphraseKeyStore(join(dir, 'key.json'))
    const key = generateKey()
    store.save(key, 'Caf\u00e9 con leche 2024')
    expect(store.load('Cafe\u0301 con leche 2024')?.equals(key)).toBe(true)
  })

  it('treats an edited ciphertext as a wrong passphrase and an absurd scrypt cost as a damaged file', () => {
    const store = new PassphraseKeyStore(join(dir, 'key.json'))
    store.save(generateKey(), PASSPHRASE)
    const file = JSON.parse(readFileSync(store.path, 'utf8')) as Record<string, unknown>
    const ciphertext = Buffer.from(String(file.ciphertext), 'base64')
    ciphertext[0] = ciphertext[0]! ^ 1
    const tampered = join(dir, 'tampered.json')
    writeFileSync(tampered, JSON.stringify({ ...file, ciphertext: ciphertext.toString('base64') }))
    expect((caught(() => new PassphraseKeyStore(tampered).load(PASSPHRASE)) as ServiceError).code).toBe('WRONG_PASSPHRASE')

    // N=2^30 would ask for 128 GiB: refused before any work is done.
    const greedy = join(dir, 'greedy.json')
    writeFileSync(greedy, JSON.stringify({ ...file, N: 2 ** 30 }))
    expect((caught(() => new PassphraseKeyStore(greedy).load(PASSPHRASE)) as DbError).code).toBe('KEY_INVALID')

    const notJson = join(dir, 'garbage.json')
    writeFileSync(notJson, 'not json at all')
    expect((caught(() => new PassphraseKeyStore(notJson).load(PASSPHRASE)) as DbError).code).toBe('KEY_INVALID')
  })
})

describe('SafeStorageKeyStore', () => {
  it('round-trips the key through safeStorage into a 0600 file that does not hold the key', () => {
    const store = new SafeStorageKeyStore(join(dir, OS_KEY_FILE), safeStorage, 'linux')
    expect(store.protection).toBe('os')
    const key = generateKey()
    store.save(key)
    expect(safeStorage.encryptString).toHaveBeenCalledWith(keyToHex(key))
    if (process.platform !== 'win32') expect(statSync(store.path).mode & 0o777).toBe(0o600)
    const raw = readFileSync(store.path)
    expect(raw.toString('latin1').toLowerCase()).not.toContain(keyToHex(key))
    expect(store.load().equals(key)).toBe(true)
  })

  it('refuses to overwrite', () => {
    const store = new SafeStorageKeyStore(join(dir, OS_KEY_FILE), safeStorage, 'linux')
    store.save(generateKey())
    expect((caught(() => store.save(generateKey())) as DbError).code).toBe('DB_EXISTS')
  })

  it('never writes the key under the basic_text backend or without encryption', () => {
    safeStorage.backend = 'basic_text'
    const store = new SafeStorageKeyStore(join(dir, OS_KEY_FILE), safeStorage, 'linux')
    expect((caught(() => store.save(generateKey())) as DbError).code).toBe('KEY_INVALID')
    safeStorage.backend = 'gnome_libsecret'
    safeStorage.available = false
    expect((caught(() => store.save(generateKey())) as DbError).code).toBe('KEY_INVALID')
    expect(store.exists()).toBe(false)
    expect(safeStorage.encryptString).not.toHaveBeenCalled()
  })

  it('says so plainly when the OS key store cannot decrypt any more', () => {
    const store = new SafeStorageKeyStore(join(dir, OS_KEY_FILE), safeStorage, 'linux')
    store.save(generateKey())
    safeStorage.available = false
    expect((caught(() => store.load()) as DbError).code).toBe('KEY_INVALID')
    safeStorage.available = true
    writeFileSync(store.path, 'garbage')
    const error = caught(() => store.load()) as DbError
    expect(error.code).toBe('KEY_INVALID')
    expect(error.message).toContain('recovery key')
  })
})

describe('pending keys (a new recovery key waits beside the key until the file is under it)', () => {
  it.each([
    ['passphrase', () => new PassphraseKeyStore(join(dir, PASSPHRASE_KEY_FILE))],
    ['OS key store', () => new SafeStorageKeyStore(join(dir, OS_KEY_FILE), safeStorage, 'linux')],
  ])('%s: saved wrapped like the key, promoted by one rename, or discarded', (_name, make) => {
    const store = make()
    const key = generateKey()
    const next = generateKey()
    store.save(key, PASSPHRASE)
    const pending = store.pending
    expect(pending.exists()).toBe(false)
    pending.save(next, PASSPHRASE)
    expect(readFileSync(`${store.path}.pending`).toString('latin1').toLowerCase()).not.toContain(keyToHex(next))
    expect(store.load(PASSPHRASE)!.equals(key)).toBe(true)
    expect(pending.load(PASSPHRASE)!.equals(next)).toBe(true)
    pending.discard()
    expect(pending.exists()).toBe(false)
    expect(store.load(PASSPHRASE)!.equals(key)).toBe(true)
    pending.save(next, PASSPHRASE)
    pending.promote()
    expect(pending.exists()).toBe(false)
    expect(store.load(PASSPHRASE)!.equals(next)).toBe(true)
  })
})

describe('chooseKeyStore', () => {
  it('uses the OS key store on Linux with a real keyring (Electron safeStorage by default)', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const) {
      safeStorage.backend = backend
      const store = chooseKeyStore(dir, undefined, 'linux')
      expect(store.protection).toBe('os')
      expect(store).toBeInstanceOf(SafeStorageKeyStore)
    }
    expect(safeStorage.getSelectedStorageBackend).toHaveBeenCalled()
  })

  it('falls back to a passphrase on Linux basic_text (a hard-coded password) or an unknown backend', () => {
    for (const backend of ['basic_text', 'unknown'] as const) {
      safeStorage.backend = backend
      const store = chooseKeyStore(dir, undefined, 'linux')
      expect(store.protection).toBe('passphrase')
      expect(store).toBeInstanceOf(PassphraseKeyStore)
      expect((store as PassphraseKeyStore).path).toBe(join(dir, PASSPHRASE_KEY_FILE))
    }
  })

  it('falls back to a passphrase when encryption is not available at all', () => {
    safeStorage.available = false
    expect(chooseKeyStore(dir, undefined, 'win32').protection).toBe('passphrase')
    expect(chooseKeyStore(dir, undefined, 'linux').protection).toBe('passphrase')
  })

  it('uses the OS key store on Windows and macOS without asking for a Linux backend', () => {
    safeStorage.backend = 'basic_text'
    expect(chooseKeyStore(dir, undefined, 'win32').protection).toBe('os')
    expect(chooseKeyStore(dir, undefined, 'darwin').protection).toBe('os')
    expect(safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled()
  })

  it('keeps using whichever wrapped key already exists', () => {
    new PassphraseKeyStore(join(dir, PASSPHRASE_KEY_FILE)).save(generateKey(), PASSPHRASE)
    expect(chooseKeyStore(dir, undefined, 'linux').protection).toBe('passphrase')

    const other = mkdtempSync(join(tmpdir(), 'porchlight-keystore-os-'))
    try {
      new SafeStorageKeyStore(join(other, OS_KEY_FILE), safeStorage, 'linux').save(generateKey())
      // The keyring went away: still the OS store, so start-up reports it instead of offering a new setup.
      safeStorage.backend = 'basic_text'
      const store = chooseKeyStore(other, undefined, 'linux')
      expect(store.protection).toBe('os')
      expect(store.exists()).toBe(true)
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })
})

describe('PorchlightCore with a passphrase-protected key', () => {
  it('sets up with a passphrase, then asks for it, refuses a wrong one and opens with the right one', async () => {
    const dbFile = join(dir, 'porchlight.db')
    const keyStore = new PassphraseKeyStore(join(dir, PASSPHRASE_KEY_FILE))
    const first = new PorchlightCore({ dbFile, keyStore, ...coreTime() })
    await first.start()
    expect(first.status({ staff: null })).toMatchObject({ phase: 'setup', keyProtection: 'passphrase' })
    await first.setup({
      centerName: 'Harbor Light',
      adminName: 'Ada Admin',
      username: 'ada',
      password: 'a long enough password',
      passphrase: PASSPHRASE,
    })
    await first.close()

    const core = new PorchlightCore({ dbFile, keyStore: new PassphraseKeyStore(keyStore.path), ...coreTime() })
    try {
      await core.start()
      expect(core.status({ staff: null }).phase).toBe('unlock')
      const session = { staff: null }
      const wrong = await dispatch('app.unlock', { passphrase: 'not the passphrase' }, { core, session })
      expect(wrong).toEqual({ ok: false, error: { code: 'WRONG_PASSPHRASE', key: 'unlock.wrongPassphrase', message: WRONG_PASSPHRASE_MESSAGE } })
      const right = await dispatch('app.unlock', { passphrase: PASSPHRASE }, { core, session })
      expect(right).toMatchObject({ ok: true, value: { phase: 'signed-out', centerName: 'Harbor Light' } })
    } finally {
      await core.close()
    }
  })

  it('a new recovery key needs the passphrase: a wrong one changes nothing; the right one re-wraps the new key', async () => {
    const dbFile = join(dir, 'porchlight.db')
    const keyStore = new PassphraseKeyStore(join(dir, PASSPHRASE_KEY_FILE))
    const core = new PorchlightCore({ dbFile, keyStore, ...coreTime() })
    await core.start()
    const { staff } = await core.setup({ centerName: 'Harbor Light', adminName: 'Ada Admin', username: 'ada', password: 'a long enough password', passphrase: PASSPHRASE })
    const session = { staff }
    const oldKey = keyStore.load(PASSPHRASE)!
    try {
      const wrong = await dispatch('security.newRecoveryKey', { confirm: true, passphrase: 'not the passphrase' }, { core, session })
      expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } })
      expect(keyStore.load(PASSPHRASE)).toEqual(oldKey)
      const made = await dispatch('security.newRecoveryKey', { confirm: true, passphrase: PASSPHRASE }, { core, session })
      expect(made.ok).toBe(true)
      const newKey = keyStore.load(PASSPHRASE)!
      expect(newKey).not.toEqual(oldKey)
      expect(made.ok && (made.value as { recoveryKey: string }).recoveryKey.replace(/-/g, '').toLowerCase()).toBe(newKey.toString('hex'))
      expect(existsSync(`${keyStore.path}.pending`)).toBe(false)
    } finally {
      await core.close()
    }
  })
})

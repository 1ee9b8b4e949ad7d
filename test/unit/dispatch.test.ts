import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runAdmin } from '../../db/cli/admin'
import { generateKey, keyToHex, type DbKey, type KeyStore } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { ROLES, type Role } from '../../db/schema'
import { ServiceError } from '../../db/services/context'
import type { StaffSummary } from '../../db/services/setup'
import { buildApi } from '../../electron/ipc/api'
import { CHANNELS, type ChannelName } from '../../electron/ipc/channels'
import { contract, PERMISSIONS, type Access } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { allowed, dispatch, errorEnvelope } from '../../electron/ipc/dispatch'
import { handlers } from '../../electron/ipc/handlers'
import { englishFields, expectError, expectOk, useTempDirs } from './helpers'
import { coreTime } from '../clock'

const tempDir = useTempDirs()

const SETUP = { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }
const channelNames = [...CHANNELS].sort()
const protectedChannels = CHANNELS.filter((name) => PERMISSIONS[name] !== 'public')

function newCore(dir = tempDir(), keyStore: KeyStore = new FileKeyStore(join(dir, 'porchlight.key'))): PorchlightCore {
  return new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore, ...coreTime() })
}

/** Internal errors are logged in main; tests collect them instead of printing them. */
function collectingLogger(): { logged: Array<{ channel: string; error: unknown }>; log: (channel: string, error: unknown) => void } {
  const logged: Array<{ channel: string; error: unknown }> = []
  return { logged, log: (channel, error) => logged.push({ channel, error }) }
}


describe('channel parity', () => {
  it('contract and handlers have exactly the channels in CHANNELS', () => {
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length)
    expect(Object.keys(contract).sort()).toEqual(channelNames)
    expect(Object.keys(handlers).sort()).toEqual(channelNames)
    for (const name of CHANNELS) {
      expect(contract[name].input).toBeInstanceOf(z.ZodType)
      expect(typeof handlers[name]).toBe('function')
    }
  })

  it('buildApi exposes one function per channel, each invoking its own channel', async () => {
    const invoked: string[] = []
    const api = buildApi(async (channel, input) => {
      invoked.push(channel)
      return input
    }) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>
    const exposed: string[] = []
    for (const [group, methods] of Object.entries(api)) {
      for (const [method, fn] of Object.entries(methods)) {
        exposed.push(`${group}.${method}`)
        await fn({})
      }
    }
    expect(exposed.sort()).toEqual(channelNames)
    expect([...invoked].sort()).toEqual(channelNames)
    // Each function must call its own channel, not just some channel.
    invoked.length = 0
    await api.visits!.signIn!({})
    await api.app!.status!({})
    expect(invoked).toEqual(['visits.signIn', 'app.status'])
  })
})

describe('the door', () => {
  let dir: string
  let core: PorchlightCore
  let admin: StaffSummary
  const staffAs = (role: Role): Session => ({ staff: { ...admin, role } })

  beforeAll(async () => {
    // Shared by the tests below, so not one of the per-test folders that are removed after each test.
    dir = mkdtempSync(join(tmpdir(), 'porchlight-'))
    core = newCore(dir)
    await core.start()
    const session: Session = { staff: null }
    admin = expectOk<{ staff: StaffSummary }>(await dispatch('setup.create', SETUP, { core, session })).staff
  })

  afterAll(async () => {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Every table's row count plus SQLite's write counter for this connection: proof that nothing was written. */
  function fingerprint(): string {
    const sqlite = core.database!.sqlite
    // The FTS5 index refuses a scan (0065): its shadow tables are counted instead.
    const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`).all() as Array<{ name: string }>
    const counts = tables.map(({ name }) => [name, (sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n])
    return JSON.stringify({ counts, changes: sqlite.prepare('SELECT total_changes() AS n').get() })
  }

  it('refuses an unknown channel', async () => {
    for (const channel of ['nope', 'app.Status', '__proto__', 'constructor', 'toString', 'app', '', 42, null, undefined, { toString: () => 'app.status' }]) {
      expectError(await dispatch(channel, {}, { core, session: staffAs('admin') }), 'UNKNOWN_CHANNEL')
    }
  })

  it('refuses every non-public channel when no one is signed in, before looking at the input', async () => {
    expect(protectedChannels.length).toBeGreaterThan(0)
    const before = fingerprint()
    for (const channel of protectedChannels) {
      expectError(await dispatch(channel, {}, { core, session: { staff: null } }), 'NOT_SIGNED_IN')
      expectError(await dispatch(channel, { garbage: 'x'.repeat(10_000) }, { core, session: { staff: null } }), 'NOT_SIGNED_IN')
    }
    expect(fingerprint()).toBe(before)
  })

  it('for every channel and role: FORBIDDEN exactly when the role is not on the channel’s list', async () => {
    // An extra key fails every strict input schema, so an allowed call stops at INVALID_INPUT and runs nothing.
    const before = fingerprint()
    for (const channel of CHANNELS) {
      const access: Access = PERMISSIONS[channel]
      for (const role of ROLES) {
        const result = await dispatch(channel, { __probe: true }, { core, session: staffAs(role) })
        const listed = access === 'public' || access.includes(role)
        expectError(result, listed ? 'INVALID_INPUT' : 'FORBIDDEN')
      }
    }
    expect(fingerprint()).toBe(before)
  })

  it('refuses a role no channel lists (a signed-in session is not enough)', async () => {
    // A stale or forged session role must not fall through to "allowed".
    const stranger: Session = { staff: { ...admin, role: 'kiosk' as unknown as Role } }
    for (const channel of protectedChannels) expectError(await dispatch(channel, {}, { core, session: stranger }), 'FORBIDDEN')
  })

  it('the access check refuses a real role missing from a channel’s list', () => {
    // A rule given to the check stands in for the channel's row, so the rule itself is tested here.
    const managersOnly = { access: ['manager', 'admin'] as const }
    for (const role of ROLES) {
      const refusal = allowed('participants.search', { core, session: staffAs(role) }, managersOnly)
      if (role === 'manager' || role === 'admin') expect(refusal).toBeNull()
      else expect(refusal).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(allowed('participants.search', { core, session: { staff: null } }, managersOnly)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } })
    expect(allowed('participants.search', { core, session: { staff: null } }, { access: 'public' })).toBeNull()
  })

  describe('input validation', () => {
    const rejected: Array<[string, ChannelName, unknown, string]> = [
      ['a wrong type', 'participants.search', { text: 42 }, 'text'],
      ['a missing field', 'participants.search', {}, 'text'],
      ['an extra key', 'participants.search', { text: 'ana', role: 'admin' }, '(input)'],
      ['a __proto__ key', 'participants.search', JSON.parse('{"text":"ana","__proto__":{"limit":50}}') as unknown, '(input)'],
      ['a huge string', 'participants.search', { text: 'a'.repeat(1_000_000) }, 'text'],
      ['a huge name', 'participants.create', { firstName: 'x'.repeat(100_000) }, 'firstName'],
      ['a number as text', 'participants.create', { firstName: 'Ana', birthYear: '1984' }, 'birthYear'],
      ['a fraction', 'participants.search', { text: 'a', limit: 1.5 }, 'limit'],
      ['a negative participant id', 'visits.signIn', { participantId: -1, services: [] }, 'participantId'],
      ['a zero participant id', 'visits.signIn', { participantId: 0, services: [] }, 'participantId'],
      ['a negative service id', 'visits.signIn', { participantId: null, services: [{ serviceId: -5, quantity: 1 }] }, 'services.0.serviceId'],
      ['a quantity of 1000', 'visits.signIn', { participantId: null, services: [{ serviceId: 2, quantity: 1000 }] }, 'services.0.quantity'],
      ['neither first name nor nickname', 'participants.create', { lastName: 'Only' }, 'firstName'],
      ['an array for an object', 'visits.today', [], '(input)'],
      ['null for an object', 'catalog.services', null, '(input)'],
      ['a string for an object', 'participants.search', 'ana', '(input)'],
      ['a NUL character in a name', 'participants.create', { firstName: 'A\u0000na' }, 'firstName'],
      ['a NUL character in a note', 'visits.signIn', { participantId: null, services: [], note: 'o\u0000k' }, 'note'],
    ]

    it.each(rejected)('%s → INVALID_INPUT with fields, nothing written', async (_what, channel, input, field) => {
      const before = fingerprint()
      const error = expectError(await dispatch(channel, input, { core, session: staffAs('front_desk') }), 'INVALID_INPUT')
      expect(error.fields).toBeDefined()
      expect(Object.keys(error.fields!)).toContain(field)
      expect(error.message.length).toBeLessThan(2_000)
      expect(fingerprint()).toBe(before)
      // A __proto__ key must never reach Object.prototype.
      expect(({} as Record<string, unknown>).limit).toBeUndefined()
    })

    it('names the NUL character in the message, in the field that holds it', async () => {
      const error = expectError(await dispatch('participants.create', { firstName: 'Ana', nickname: 'x\u0000' }, { core, session: staffAs('front_desk') }), 'INVALID_INPUT')
      expect(error.fields).toEqual({ nickname: expect.objectContaining({ key: 'input.noNulCharacter' }) })
      expect(error.message).toContain('NUL')
    })

    it('accepts the same channels with valid input', async () => {
      expect(expectOk<unknown[]>(await dispatch('participants.search', { text: 'ana' }, { core, session: staffAs('front_desk') }))).toEqual([])
      expect(expectOk<unknown[]>(await dispatch('catalog.services', {}, { core, session: staffAs('front_desk') })).length).toBeGreaterThan(0)
    })
  })

  it('passes a ServiceError through with its code, message and details', async () => {
    const session = staffAs('front_desk')
    const missing = expectError(await dispatch('visits.signIn', { participantId: 999_999, services: [] }, { core, session }), 'NOT_FOUND')
    expect(missing.message).toBe('That person is not in the records any more. Search again.')

    const person = expectOk<{ id: number }>(await dispatch('participants.create', { firstName: 'Dee' }, { core, session }))
    const visit = expectOk<{ id: number }>(await dispatch('visits.signIn', { participantId: person.id, services: [] }, { core, session }))
    const again = expectError(await dispatch('visits.signIn', { participantId: person.id, services: [] }, { core, session }), 'ALREADY_SIGNED_IN')
    expect(again.detail).toMatchObject({ visitId: visit.id })
  })

  it('turns a ServiceError field into the envelope’s fields', () => {
    const { logged, log } = collectingLogger()
    const envelope = errorEnvelope('participants.create', new ServiceError('VALIDATION', 'participants.nameRequired', { field: 'firstName' }), log)
    const ref = { key: 'participants.nameRequired', params: { field: 'firstName' } }
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'Enter a first name or a nickname.', key: ref.key, params: ref.params, fields: { firstName: ref }, detail: { field: 'firstName' } },
    })
    expect(logged).toEqual([])
  })
})

describe('errors from below the door', () => {
  it('a DbError keeps its code (setup over an existing database file)', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'porchlight.db'), 'not ours')
    const core = newCore(dir)
    await core.start()
    const error = expectError(await dispatch('setup.create', SETUP, { core, session: { staff: null } }), 'DB_EXISTS')
    expect(error.message).toMatch(/will not overwrite/)
    expect(existsSync(join(dir, 'porchlight.key'))).toBe(false)
    await core.close()
  })

  it('a database the key does not open shows as an error phase with its code', async () => {
    const dir = tempDir()
    const first = newCore(dir)
    await first.start()
    expectOk(await dispatch('setup.create', SETUP, { core: first, session: { staff: null } }))
    await first.close()
    // Another center's key in the key file.
    const keyFile = join(dir, 'other.key')
    writeFileSync(keyFile, `${keyToHex(generateKey())}\n`)
    const core = newCore(dir, new FileKeyStore(keyFile))
    await core.start()
    const status = expectOk<{ phase: string; error: { code: string } }>(await dispatch('app.status', {}, { core, session: { staff: null } }))
    expect(status).toMatchObject({ phase: 'error', error: { code: 'DB_WRONG_KEY' } })
    expectError(await dispatch('auth.login', { username: 'robin', password: SETUP.password }, { core, session: { staff: null } }), 'NOT_READY')
    await core.close()
  })

  it('an unexpected error becomes INTERNAL with a generic message; the raw text stays in main', async () => {
    const core = newCore()
    await core.start()
    const session: Session = { staff: null }
    expectOk(await dispatch('setup.create', SETUP, { core, session }))
    // Pull the connection out from under the core: better-sqlite3 then throws a plain TypeError.
    core.database!.sqlite.close()
    const { logged, log } = collectingLogger()
    const envelope = await dispatch('catalog.services', {}, { core, session }, log)
    const error = expectError(envelope, 'INTERNAL')
    expect(error.message).toBe('Something went wrong and nothing was saved. Try again; if it keeps happening, tell your admin.')
    const raw = (logged[0]?.error as Error).message
    expect(raw).toMatch(/not open/)
    expect(JSON.stringify(envelope)).not.toContain(raw)
    expect(error).toEqual({ code: 'INTERNAL', key: 'door.internal', message: error.message })
    expect(logged.map((entry) => entry.channel)).toEqual(['catalog.services'])
    await core.close()
  })
})

describe('setup, login and logout', () => {
  let cores: PorchlightCore[] = []
  afterEach(async () => {
    for (const core of cores) await core.close()
    cores = []
  })

  it('runs first-run setup once, then signs staff in and out', async () => {
    const dir = tempDir()
    const core = newCore(dir)
    cores.push(core)
    await core.start()
    const session: Session = { staff: null }

    expect(expectOk<{ phase: string }>(await dispatch('app.status', {}, { core, session })).phase).toBe('setup')
    const created = expectOk<{ recoveryKey: string; staff: StaffSummary }>(await dispatch('setup.create', SETUP, { core, session }))
    expect(created.recoveryKey).toMatch(/^[0-9A-F]{8}(-[0-9A-F]{8}){7}$/)
    expect(created.staff).toMatchObject({ username: 'robin', displayName: 'Robin Admin', role: 'admin' })
    expect(new FileKeyStore(join(dir, 'porchlight.key')).load().toString('hex').toUpperCase()).toBe(created.recoveryKey.replace(/-/g, ''))

    const status = expectOk<{ phase: string; centerName: string; staff: StaffSummary }>(await dispatch('app.status', {}, { core, session }))
    expect(status).toMatchObject({ phase: 'signed-in', centerName: 'Harbor House', staff: { username: 'robin' } })

    // Not a second time, from this session or any other.
    expectError(await dispatch('setup.create', { ...SETUP, username: 'mallory' }, { core, session: { staff: null } }), 'ALREADY_SET_UP')
    expectError(await dispatch('setup.create', SETUP, { core, session }), 'ALREADY_SET_UP')

    expect(expectOk(await dispatch('auth.logout', {}, { core, session }))).toBeNull()
    expect(session.staff).toBeNull()
    expect(expectOk<{ phase: string }>(await dispatch('app.status', {}, { core, session })).phase).toBe('signed-out')
    expectError(await dispatch('visits.today', {}, { core, session }), 'NOT_SIGNED_IN')

    expectError(await dispatch('auth.login', { username: 'robin', password: 'not the password' }, { core, session }), 'AUTH_FAILED')
    expect(session.staff).toBeNull()
    expect(expectOk<StaffSummary>(await dispatch('auth.login', { username: 'robin', password: SETUP.password }, { core, session })).username).toBe('robin')
    expect(expectOk<{ phase: string }>(await dispatch('app.status', {}, { core, session })).phase).toBe('signed-in')
    expect(expectOk<unknown[]>(await dispatch('visits.today', {}, { core, session }))).toEqual([])
  })

  it('after a restart the database opens with the stored key and asks for sign-in', async () => {
    const dir = tempDir()
    const first = newCore(dir)
    cores.push(first)
    await first.start()
    expectOk(await dispatch('setup.create', SETUP, { core: first, session: { staff: null } }))
    await first.close()

    const core = newCore(dir)
    cores.push(core)
    await core.start()
    const session: Session = { staff: null }
    expect(expectOk<{ phase: string; centerName: string }>(await dispatch('app.status', {}, { core, session }))).toMatchObject({
      phase: 'signed-out',
      centerName: 'Harbor House',
    })
    expectError(await dispatch('setup.create', SETUP, { core, session }), 'ALREADY_SET_UP')
  })

  it('finishes setup of a database made by `admin init` (key stored, no admin yet)', async () => {
    const dir = tempDir()
    const keyFile = join(dir, 'porchlight.key')
    const init = await runAdmin(['init', '--db', join(dir, 'porchlight.db'), '--key-file', keyFile], { stdout: () => {}, stderr: () => {}, env: {} })
    expect(init).toBe(0)
    const core = newCore(dir)
    cores.push(core)
    await core.start()
    const session: Session = { staff: null }
    expect(expectOk<{ phase: string }>(await dispatch('app.status', {}, { core, session })).phase).toBe('setup')

    const created = expectOk<{ recoveryKey: string }>(await dispatch('setup.create', SETUP, { core, session }))
    expect(created.recoveryKey.replace(/-/g, '').toLowerCase()).toBe(readFileSync(keyFile, 'utf8').trim())
    expect(expectOk<{ phase: string }>(await dispatch('app.status', {}, { core, session })).phase).toBe('signed-in')
    expectError(await dispatch('setup.create', SETUP, { core, session: { staff: null } }), 'ALREADY_SET_UP')
  })

  it('a ServiceError with a field reaches the form: setup without the passphrase a weak key store needs', async () => {
    // A key store that can only protect the key with a passphrase (Linux without a keyring).
    let saved: DbKey | null = null
    const passphraseStore: KeyStore = {
      protection: 'passphrase',
      exists: () => saved !== null,
      load: () => saved,
      save: (key) => {
        saved = key
      },
    }
    const dir = tempDir()
    const core = newCore(dir, passphraseStore)
    cores.push(core)
    await core.start()
    const error = expectError(await dispatch('setup.create', SETUP, { core, session: { staff: null } }), 'VALIDATION')
    expect(englishFields(error)).toEqual({ passphrase: error.message })
    expect(saved).toBeNull()
    expect(existsSync(join(dir, 'porchlight.db'))).toBe(false)
  })
})

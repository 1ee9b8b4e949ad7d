import { join } from 'node:path'
import type { z } from 'zod'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { ROLES, type Role } from '../../db/schema'
import { hashPassword } from '../../db/services/passwords'
import type { StaffSummary } from '../../db/services/setup'
import { MAX_FAILED_LOGINS } from '../../db/services/staff'
import { CHANNELS, type ChannelName } from '../../electron/ipc/channels'
import { contract, PERMISSIONS, type ChannelDef } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { allowed, dispatch, ruleOf, type AccessRule } from '../../electron/ipc/dispatch'
import { clock, expectAuditChainIntact } from './front-desk-helpers'
import { expectError, expectOk, useTempDirs } from './helpers'

const tempDir = useTempDirs()

/** The whole kiosk surface, written out: a flag flipped in the contract makes this test fail. */
const KIOSK_CHANNELS: readonly ChannelName[] = ['app.status', 'kiosk.exit', 'kiosk.find', 'kiosk.services', 'kiosk.signIn']


let core: PorchlightCore
let desk: Session
let admin: StaffSummary
const time = clock()
const call = (channel: ChannelName, input: unknown, session: Session = desk) => dispatch(channel, input, { core, session })

beforeEach(async () => {
  const dir = tempDir()
  time.set('2026-11-25T15:00:00.000Z')
  core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: time.now, timeZone: 'UTC' })
  await core.start()
  desk = { staff: null }
  admin = expectOk<{ staff: StaffSummary }>(
    await call('setup.create', { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }),
  ).staff
})

afterEach(async () => {
  await core.close()
})

async function addStaff(username: string, role: Role, password: string): Promise<void> {
  const now = time.now().toISOString()
  await core.database!.db
    .insertInto('staff')
    .values({ username, display_name: username, role, password_hash: await hashPassword(password), created_at: now, updated_at: now })
    .execute()
}

/** Row counts plus SQLite's change counter: proof that nothing was written. */
function fingerprint(): string {
  const sqlite = core.database!.sqlite
  const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>
  const counts = tables.map(({ name }) => [name, (sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n])
  return JSON.stringify({ counts, changes: sqlite.prepare('SELECT total_changes() AS n').get() })
}

async function enterKiosk(from: Session = desk): Promise<Session> {
  const kiosk: Session = { ...from }
  const status = expectOk<{ phase: string; staff: unknown }>(await call('kiosk.enter', {}, kiosk))
  expect(status).toMatchObject({ phase: 'kiosk', staff: null })
  return kiosk
}

describe('kiosk mode is enforced in main', () => {
  it('the contract flags exactly the kiosk channels', () => {
    const flagged = CHANNELS.filter((name) => (contract[name] as ChannelDef<z.ZodType, unknown>).kiosk !== undefined)
    expect([...flagged].sort()).toEqual([...KIOSK_CHANNELS].sort())
    expect((contract['app.status'] as ChannelDef<z.ZodType, unknown>).kiosk).toBe('also')
    for (const name of KIOSK_CHANNELS.filter((n) => n !== 'app.status')) {
      expect((contract[name] as ChannelDef<z.ZodType, unknown>).kiosk).toBe('only')
      expect(PERMISSIONS[name]).toEqual([])
    }
  })

  it('in a kiosk session, every channel of the contract except the kiosk ones is FORBIDDEN, and nothing is written', async () => {
    const kiosk = await enterKiosk()
    expect(kiosk.staff).toBeNull()
    const before = fingerprint()
    const answered: string[] = []
    for (const channel of CHANNELS) {
      // An extra key fails every strict input: a channel let through stops at INVALID_INPUT and runs nothing.
      const result = await call(channel, { __probe: true }, kiosk)
      if (KIOSK_CHANNELS.includes(channel)) {
        expectError(result, 'INVALID_INPUT')
        answered.push(channel)
      } else {
        const error = expectError(result, 'FORBIDDEN')
        expect(error.message).toMatch(/self check-in/)
      }
    }
    expect(answered.sort()).toEqual([...KIOSK_CHANNELS].sort())
    // Valid input changes nothing either: the door refuses before a handler runs.
    for (const channel of CHANNELS.filter((c) => !KIOSK_CHANNELS.includes(c))) {
      expectError(await call(channel, {}, kiosk), 'FORBIDDEN')
    }
    expect(fingerprint()).toBe(before)
  })

  it('the check reads each channel’s flag: flipping any one flag flips the answer', () => {
    const kioskSession: Session = { staff: null, mode: 'kiosk', kiosk: { startedBy: admin.id, found: [] } }
    for (const channel of CHANNELS) {
      const def = ruleOf(channel)
      const refused = (d: AccessRule) => allowed(channel, { core, session: kioskSession }, d) !== null
      const flipped: AccessRule = { ...def, kiosk: def.kiosk === undefined ? 'only' : undefined }
      expect(refused(def), channel).toBe(!KIOSK_CHANNELS.includes(channel))
      expect(refused(flipped), `${channel} with its flag flipped`).toBe(KIOSK_CHANNELS.includes(channel))
    }
  })

  it('kiosk-only channels are refused outside kiosk mode, for every role and when signed out', async () => {
    const before = fingerprint()
    for (const channel of KIOSK_CHANNELS.filter((c) => c !== 'app.status')) {
      expectError(await call(channel, {}, { staff: null }), 'NOT_SIGNED_IN')
      for (const role of ROLES) expectError(await call(channel, {}, { staff: { ...admin, role } }), 'FORBIDDEN')
    }
    expect(fingerprint()).toBe(before)
  })

  it('a session in an unknown mode is refused everything but is never taken for a desk', async () => {
    const odd = { staff: admin, mode: 'tablet' } as unknown as Session
    for (const channel of CHANNELS) expectError(await call(channel, {}, odd), 'FORBIDDEN')
  })

  it('every staff role may start a kiosk; signed out, nobody can', async () => {
    for (const role of ROLES) {
      const kiosk = await enterKiosk({ staff: { ...admin, role } })
      expect(kiosk.mode).toBe('kiosk')
      expect(kiosk.kiosk?.startedBy).toBe(admin.id)
    }
    expectError(await call('kiosk.enter', {}, { staff: null }), 'NOT_SIGNED_IN')
  })
})

describe('self check-in', () => {
  async function register(person: Record<string, unknown>): Promise<{ id: number; code: string }> {
    return expectOk(await call('participants.create', person, { staff: admin }))
  }

  beforeEach(() => {
    desk = { staff: admin }
  })

  it('finds by first name (or nickname) and birth year, and answers only a first name and last initial', async () => {
    const maria = await register({ firstName: 'María', lastName: 'García', birthYear: 1980, phone: '555 010 4477' })
    await register({ firstName: 'Maria', lastName: 'Lopez', birthYear: 1981 })
    const sunny = await register({ nickname: 'Sunny', birthYear: 1980 })
    const kiosk = await enterKiosk()

    const found = expectOk<Array<Record<string, unknown>>>(await call('kiosk.find', { firstName: '  maria ', birthYear: 1980 }, kiosk))
    expect(found).toEqual([{ id: maria.id, firstName: 'María', lastInitial: 'G' }])
    for (const match of found) expect(Object.keys(match).sort()).toEqual(['firstName', 'id', 'lastInitial'])
    expect(JSON.stringify(found)).not.toMatch(/García|4477|1980/)

    expect(expectOk(await call('kiosk.find', { firstName: 'sunny', birthYear: 1980 }, kiosk))).toEqual([{ id: sunny.id, firstName: 'Sunny', lastInitial: null }])
    // Exact-ish only: no partial names, no neighbouring years.
    expect(expectOk(await call('kiosk.find', { firstName: 'Mar', birthYear: 1980 }, kiosk))).toEqual([])
    expect(expectOk(await call('kiosk.find', { firstName: 'Maria', birthYear: 1979 }, kiosk))).toEqual([])
    // By the code on their card, typed any old way.
    expect(expectOk(await call('kiosk.find', { code: ` ${maria.code.toLowerCase()} ` }, kiosk))).toEqual([{ id: maria.id, firstName: 'María', lastInitial: 'G' }])
    expect(expectOk(await call('kiosk.find', { code: 'ZZZZZZ' }, kiosk))).toEqual([])
    // Half a query is a field error, in words.
    const invalid = expectError(await call('kiosk.find', { firstName: 'Maria' }, kiosk), 'INVALID_INPUT')
    expect(invalid.fields).toEqual({ birthYear: 'Enter the year you were born.' })
  })

  it('signs in only someone this screen found, greets by first name, and refuses a second sign-in gently', async () => {
    const ana = await register({ firstName: 'Ana', lastName: 'Reyes', birthYear: 1990 })
    const other = await register({ firstName: 'Bo', birthYear: 1990 })
    const kiosk = await enterKiosk()
    const services = expectOk<Array<{ id: number; key: string }>>(await call('kiosk.services', {}, kiosk))
    const meal = services.find((s) => s.key === 'meal')!

    // Not found by this screen: refused, even though the id exists.
    expectError(await call('kiosk.signIn', { participantId: other.id, services: [] }, kiosk), 'NOT_FOUND')
    expectOk(await call('kiosk.find', { firstName: 'ana', birthYear: 1990 }, kiosk))
    expect(expectOk(await call('kiosk.signIn', { participantId: ana.id, services: [{ serviceId: meal.id, quantity: 2 }] }, kiosk))).toEqual({
      firstName: 'Ana',
    })
    // The found list is spent: the next person starts from their own name.
    expectError(await call('kiosk.signIn', { participantId: ana.id, services: [] }, kiosk), 'NOT_FOUND')
    expectOk(await call('kiosk.find', { code: ana.code }, kiosk))
    const again = expectError(await call('kiosk.signIn', { participantId: ana.id, services: [] }, kiosk), 'ALREADY_SIGNED_IN')
    expect(again.detail).toBeUndefined()

    const today = expectOk<Array<{ participant: { id: number }; services: Array<{ quantity: number }> }>>(await call('visits.today', {}, { staff: admin }))
    expect(today).toHaveLength(1)
    expect(today[0]).toMatchObject({ participant: { id: ana.id }, services: [{ quantity: 2 }] })
    const audit = core.database!.sqlite.prepare(`SELECT staff_id, detail FROM audit_log WHERE action = 'visit.sign_in'`).get() as { staff_id: number | null; detail: string }
    expect(audit.staff_id).toBeNull()
    expect(JSON.parse(audit.detail)).toMatchObject({ kiosk: true, kioskStartedBy: admin.id })
  })

  it('app.status says kiosk; only a staff password returns the screen to that person’s desk', async () => {
    await addStaff('dana', 'front_desk', 'dana password 123')
    const kiosk = await enterKiosk()
    expect(expectOk(await call('app.status', {}, kiosk))).toMatchObject({ phase: 'kiosk', staff: null, centerName: 'Harbor House' })

    expectError(await call('kiosk.exit', { username: 'dana', password: 'wrong' }, kiosk), 'AUTH_FAILED')
    expect(kiosk.mode).toBe('kiosk')
    expect(kiosk.staff).toBeNull()
    expectError(await call('participants.list', { offset: 0, limit: 10 }, kiosk), 'FORBIDDEN')

    const staff = expectOk<StaffSummary>(await call('kiosk.exit', { username: 'dana', password: 'dana password 123' }, kiosk))
    expect(staff).toMatchObject({ username: 'dana', role: 'front_desk' })
    expect(kiosk).toMatchObject({ mode: 'desk', staff: { username: 'dana' } })
    expect(kiosk.kiosk).toBeUndefined()
    expect(expectOk(await call('app.status', {}, kiosk))).toMatchObject({ phase: 'signed-in', staff: { username: 'dana' } })
    expectOk(await call('visits.today', {}, kiosk))
    // Back at the desk, kiosk channels are closed again.
    expectError(await call('kiosk.find', { code: 'ABCDEF' }, kiosk), 'FORBIDDEN')
    await expectAuditChainIntact(core.database!)
  })

  it('lockout rules apply at the kiosk: repeated wrong passwords lock the account', async () => {
    await addStaff('dana', 'front_desk', 'dana password 123')
    const kiosk = await enterKiosk()
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expectError(await call('kiosk.exit', { username: 'dana', password: `nope ${i}` }, kiosk), 'AUTH_FAILED')
    expectError(await call('kiosk.exit', { username: 'dana', password: 'dana password 123' }, kiosk), 'LOCKED_OUT')
    expect(kiosk.mode).toBe('kiosk')
    // Inactive staff cannot unlock it either.
    await core.database!.db.updateTable('staff').set({ active: 0 }).where('username', '=', 'robin').execute()
    expectError(await call('kiosk.exit', { username: 'robin', password: 'a long enough password' }, kiosk), 'AUTH_FAILED')
    expect(kiosk.mode).toBe('kiosk')
  })

  it('a merged record’s code still finds the kept person at the kiosk', async () => {
    const kept = await register({ firstName: 'Lee', lastName: 'Wong', birthYear: 1975 })
    const dup = await register({ firstName: 'Lee', lastName: 'Wong', birthYear: 1975 })
    expectOk(await call('participants.merge', { keepId: kept.id, mergeId: dup.id }, { staff: admin }))
    const kiosk = await enterKiosk()
    expect(expectOk(await call('kiosk.find', { code: dup.code }, kiosk))).toEqual([{ id: kept.id, firstName: 'Lee', lastInitial: 'W' }])
    expect(expectOk(await call('kiosk.find', { firstName: 'Lee', birthYear: 1975 }, kiosk))).toEqual([{ id: kept.id, firstName: 'Lee', lastInitial: 'W' }])
  })
})

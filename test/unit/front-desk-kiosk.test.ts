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
import { KIOSK_LOOKUPS_PER_MINUTE } from '../../electron/ipc/handlers/kiosk'
import { clock, expectAuditChainIntact } from './front-desk-helpers'
import { englishFields, expectError, expectOk, useTempDirs } from './helpers'

const tempDir = useTempDirs()

/** The whole kiosk surface, written out: a flag flipped in the contract makes this test fail. */
const KIOSK_CHANNELS: readonly ChannelName[] = ['app.status', 'app.logError', 'kiosk.exit', 'kiosk.find', 'kiosk.verify', 'kiosk.services', 'kiosk.signIn']
/** Answered in a kiosk session and outside it: the screen's state, and a crash to the log. */
const KIOSK_ALSO: readonly ChannelName[] = ['app.status', 'app.logError']


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
  // The FTS5 index refuses a scan (0065): its shadow tables are counted instead.
  const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`).all() as Array<{ name: string }>
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
    for (const name of KIOSK_ALSO) expect((contract[name] as ChannelDef<z.ZodType, unknown>).kiosk).toBe('also')
    for (const name of KIOSK_CHANNELS.filter((n) => !KIOSK_ALSO.includes(n))) {
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
    const kioskSession: Session = { staff: null, mode: 'kiosk', kiosk: { startedBy: admin.id, found: [], pending: [], lookups: [] } }
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
    for (const channel of KIOSK_CHANNELS.filter((c) => !KIOSK_ALSO.includes(c))) {
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
  /** A look-up as a person makes them, some seconds apart, under the per-minute limit. */
  async function paced(channel: ChannelName, input: unknown, session: Session) {
    time.advance(0.25)
    return call(channel, input, session)
  }

  async function register(person: Record<string, unknown>): Promise<{ id: number; code: string }> {
    return expectOk(await call('participants.create', person, { staff: admin }))
  }

  beforeEach(() => {
    desk = { staff: admin }
  })

  it('finds by first name (or nickname) with the birth year, the phone’s last four digits or the code, and answers no name and no id', async () => {
    const maria = await register({ firstName: 'María', lastName: 'García', birthYear: 1980, phone: '555 010 4477' })
    await register({ firstName: 'Maria', lastName: 'Lopez', birthYear: 1981 })
    await register({ nickname: 'Sunny', birthYear: 1980 })
    const noYear = await register({ firstName: 'Dolores', lastName: 'Amaya', phone: '(555) 222-9090' })
    const kiosk = await enterKiosk()

    const found = expectOk(await paced('kiosk.find', { firstName: '  maria ', birthYear: 1980 }, kiosk))
    expect(found).toEqual({ kind: 'found' })
    expect(kiosk.kiosk!.found).toEqual([maria.id])
    expect(expectOk(await paced('kiosk.find', { firstName: 'sunny', birthYear: 1980 }, kiosk))).toEqual({ kind: 'found' })
    // Exact-ish only: no partial names, no neighbouring years.
    expect(expectOk(await paced('kiosk.find', { firstName: 'Mar', birthYear: 1980 }, kiosk))).toEqual({ kind: 'none' })
    expect(expectOk(await paced('kiosk.find', { firstName: 'Maria', birthYear: 1979 }, kiosk))).toEqual({ kind: 'none' })
    expect(kiosk.kiosk!.found).toEqual([])
    // No birth year on file: the first name and the phone's last four digits.
    expect(expectOk(await paced('kiosk.find', { firstName: 'dolores', phoneLast4: '9090' }, kiosk))).toEqual({ kind: 'found' })
    expect(kiosk.kiosk!.found).toEqual([noYear.id])
    expect(expectOk(await paced('kiosk.find', { firstName: 'dolores', phoneLast4: '9091' }, kiosk))).toEqual({ kind: 'none' })
    // By the code on their card, typed any old way.
    expect(expectOk(await paced('kiosk.find', { code: ` ${maria.code.toLowerCase()} ` }, kiosk))).toEqual({ kind: 'found' })
    expect(kiosk.kiosk!.found).toEqual([maria.id])
    expect(expectOk(await paced('kiosk.find', { code: 'ZZZZZZ' }, kiosk))).toEqual({ kind: 'none' })
  })

  it('two records for one name and year: no choices shown; a second thing only the person knows settles it, or the desk does', async () => {
    expectOk(await call('settings.setFieldRules', { rules: { birthDate: 'optional' } }, { staff: admin }))
    // "Tiny" is one person's first name and another's nickname; two Stephanies share a year.
    const tiny = await register({ firstName: 'Tiny', lastName: 'Okoro', birthYear: 1987, phone: '555 300 1111' })
    const chidi = await register({ firstName: 'Chidi', lastName: 'Press', nickname: 'Tiny', birthYear: 1987, phone: '555 300 2222', birthDate: '1987-06-14' })
    const steph1 = await register({ firstName: 'Stephanie', lastName: 'Adams', birthYear: 1983, phone: '555 400 1234' })
    const steph2 = await register({ firstName: 'Stephanie', lastName: 'Baker', birthYear: 1983, birthDate: '1983-02-03' })
    const kiosk = await enterKiosk()

    const tinyAnswer = expectOk(await paced('kiosk.find', { firstName: 'Tiny', birthYear: 1987 }, kiosk))
    expect(tinyAnswer).toEqual({ kind: 'ask', factors: ['phone', 'birthday', 'code'] })
    // Nothing on the wire names anyone: no Chidi, no initial, no id.
    expect(JSON.stringify(tinyAnswer)).not.toMatch(/Chidi|Press|Okoro|P\.|\d{3,}/)
    expect(kiosk.kiosk!.found).toEqual([])
    expect(kiosk.kiosk!.pending.sort()).toEqual([tiny.id, chidi.id].sort())
    expect(expectOk(await paced('kiosk.verify', { phoneLast4: '2222' }, kiosk))).toEqual({ kind: 'found' })
    expect(kiosk.kiosk!.found).toEqual([chidi.id])

    // Stephanie: the birthday fits one; a wrong answer goes to the desk and gets no second guess.
    expect(expectOk(await paced('kiosk.find', { firstName: 'stephanie', birthYear: 1983 }, kiosk))).toMatchObject({ kind: 'ask' })
    expect(expectOk(await paced('kiosk.verify', { birthday: '02-03' }, kiosk))).toEqual({ kind: 'found' })
    expect(kiosk.kiosk!.found).toEqual([steph2.id])
    expect(expectOk(await paced('kiosk.find', { firstName: 'stephanie', birthYear: 1983 }, kiosk))).toMatchObject({ kind: 'ask' })
    expect(expectOk(await paced('kiosk.verify', { phoneLast4: '9999' }, kiosk))).toEqual({ kind: 'desk' })
    expect(kiosk.kiosk!.found).toEqual([])
    expectError(await paced('kiosk.verify', { phoneLast4: '1234' }, kiosk), 'NOT_FOUND')
    // The code on the card settles it too.
    expect(expectOk(await paced('kiosk.find', { firstName: 'stephanie', birthYear: 1983 }, kiosk))).toMatchObject({ kind: 'ask' })
    expect(expectOk(await paced('kiosk.verify', { code: steph1.code }, kiosk))).toEqual({ kind: 'found' })
    expect(kiosk.kiosk!.found).toEqual([steph1.id])
    const audit = core.database!.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'kiosk.verify' ORDER BY id`).all() as Array<{ detail: string }>
    expect(audit.map((row) => JSON.parse(row.detail))).toEqual([
      { by: 'phoneLast4', settled: true, kioskStartedBy: admin.id },
      { by: 'birthday', settled: true, kioskStartedBy: admin.id },
      { by: 'phoneLast4', settled: false, kioskStartedBy: admin.id },
      { by: 'code', settled: true, kioskStartedBy: admin.id },
    ])
  })

  it('limits look-ups to a few a minute, then sends the person to the desk', async () => {
    await register({ firstName: 'Ana', birthYear: 1990 })
    const kiosk = await enterKiosk()
    for (let i = 0; i < KIOSK_LOOKUPS_PER_MINUTE; i++) expect(expectOk(await call('kiosk.find', { firstName: 'Nobody', birthYear: 1950 + i }, kiosk))).toEqual({ kind: 'none' })
    // Even a right answer waits for the minute to pass.
    expect(expectOk(await call('kiosk.find', { firstName: 'Ana', birthYear: 1990 }, kiosk))).toEqual({ kind: 'desk' })
    expect(kiosk.kiosk!.found).toEqual([])
    time.advance(1.01)
    expect(expectOk(await call('kiosk.find', { firstName: 'Ana', birthYear: 1990 }, kiosk))).toEqual({ kind: 'found' })
  })

  it('refuses a name of one letter, digits or emoji, a code with symbols and half a query, in words, writing nothing', async () => {
    const kiosk = await enterKiosk()
    const before = fingerprint()
    const refused = async (input: unknown) => englishFields(expectError(await call('kiosk.find', input, kiosk), 'INVALID_INPUT'))
    expect(await refused({ firstName: 'A', birthYear: 1980 })).toEqual({ firstName: 'Type at least two letters of your first name.' })
    expect(await refused({ firstName: 'Ann3', birthYear: 1980 })).toEqual({ firstName: 'Use letters only.' })
    expect(await refused({ firstName: 'Ann 😀', birthYear: 1980 })).toEqual({ firstName: 'Use letters only.' })
    expect(await refused({ code: 'AB$%12' })).toEqual({ code: 'Use letters and digits only.' })
    expect(await refused({ firstName: 'Maria' })).toEqual({ birthYear: 'Enter the year you were born, or the last four numbers of your phone.' })
    expect(await refused({ firstName: 'Maria', birthYear: 1980, phoneLast4: '1234' })).toEqual({ birthYear: 'Enter the year you were born, or the last four numbers of your phone.' })
    expect(englishFields(expectError(await call('kiosk.verify', { birthday: '02-30' }, kiosk), 'INVALID_INPUT'))).toEqual({ birthday: 'Enter a real month and day.' })
    expect(englishFields(expectError(await call('kiosk.verify', { phoneLast4: '12a4' }, kiosk), 'INVALID_INPUT'))).toEqual({ phoneLast4: 'Enter the last four numbers of your phone.' })
    expect(fingerprint()).toBe(before)
  })

  it('signs in only the one person this screen settled on, and refuses a second sign-in gently', async () => {
    const ana = await register({ firstName: 'Ana', lastName: 'Reyes', birthYear: 1990 })
    const kiosk = await enterKiosk()
    const services = expectOk<Array<{ id: number; key: string }>>(await call('kiosk.services', {}, kiosk))
    const meal = services.find((s) => s.key === 'meal')!

    // Nobody found yet: refused.
    expectError(await call('kiosk.signIn', { services: [] }, kiosk), 'NOT_FOUND')
    // The screen cannot name someone: an id in the input is refused outright.
    expectError(await call('kiosk.signIn', { participantId: ana.id, services: [] }, kiosk), 'INVALID_INPUT')
    expectOk(await call('kiosk.find', { firstName: 'ana', birthYear: 1990 }, kiosk))
    expect(expectOk(await call('kiosk.signIn', { services: [{ serviceId: meal.id, quantity: 2 }] }, kiosk))).toBeNull()
    // The found person is spent: the next person starts from their own name.
    expectError(await call('kiosk.signIn', { services: [] }, kiosk), 'NOT_FOUND')
    expectOk(await call('kiosk.find', { code: ana.code }, kiosk))
    const again = expectError(await call('kiosk.signIn', { services: [] }, kiosk), 'ALREADY_SIGNED_IN')
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
    expect(expectOk(await call('kiosk.find', { code: dup.code }, kiosk))).toEqual({ kind: 'found' })
    expect(kiosk.kiosk!.found).toEqual([kept.id])
    expect(expectOk(await call('kiosk.find', { firstName: 'Lee', birthYear: 1975 }, kiosk))).toEqual({ kind: 'found' })
    expect(kiosk.kiosk!.found).toEqual([kept.id])
  })
})

import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateKey } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { createDatabase, type OpenDatabase } from '../../db/open'
import { closeStaleVisits, getCenterHours, lastAutoClose, setCenterHours, zonedInstant } from '../../db/services/center-hours'
import type { ServiceContext } from '../../db/services/context'
import { createParticipant } from '../../db/services/participants'
import { completeSetup } from '../../db/services/setup'
import { signIn, signOutAll } from '../../db/services/visits'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { fakeClock } from './backup-helpers'
import { clock, expectAuditChainIntact, serviceError, type Clock } from './front-desk-helpers'
import { expectError, expectOk, useTempDirs } from './helpers'

const tempDir = useTempDirs()
const ZONE = 'America/New_York'

describe('zonedInstant: a wall-clock time of a center day, across daylight-saving changes', () => {
  it('is exact on ordinary days and on both change days in New York and Los Angeles', () => {
    expect(zonedInstant('2027-03-13', '17:00', ZONE).toISOString()).toBe('2027-03-13T22:00:00.000Z')
    // 02:00 does not happen on 2027-03-14; 17:00 is EDT.
    expect(zonedInstant('2027-03-14', '17:00', ZONE).toISOString()).toBe('2027-03-14T21:00:00.000Z')
    expect(zonedInstant('2027-03-14', '01:30', ZONE).toISOString()).toBe('2027-03-14T06:30:00.000Z')
    // Back to EST on 2027-11-07.
    expect(zonedInstant('2027-11-06', '17:00', ZONE).toISOString()).toBe('2027-11-06T21:00:00.000Z')
    expect(zonedInstant('2027-11-07', '17:00', ZONE).toISOString()).toBe('2027-11-07T22:00:00.000Z')
    expect(zonedInstant('2027-11-07', '17:00', 'America/Los_Angeles').toISOString()).toBe('2027-11-08T01:00:00.000Z')
    expect(zonedInstant('2027-12-31', '23:59', 'UTC').toISOString()).toBe('2027-12-31T23:59:00.000Z')
  })
})

describe('center hours, End of day and visits left open', () => {
  let opened: OpenDatabase
  let time: Clock
  let ctx: ServiceContext

  beforeEach(async () => {
    opened = await createDatabase(join(tempDir(), 'porchlight.db'), generateKey())
    // Thursday 2027-11-04, 09:30 in New York (EDT).
    time = clock('2027-11-04T13:30:00.000Z')
    const setupCtx: ServiceContext = { db: opened.db, staffId: null, now: time.now, timeZone: ZONE }
    const admin = await completeSetup(setupCtx, { centerName: 'Harbor House', adminName: 'Robin', username: 'robin', password: 'a long enough password' })
    ctx = { ...setupCtx, staffId: admin.id }
  })

  afterEach(async () => {
    await expectAuditChainIntact(opened)
    await opened.close()
  })

  it('keeps the hours, refuses a closing time at or before the opening (after midnight included), changing nothing', async () => {
    expect(await getCenterHours(opened.db)).toEqual({ opensAt: '09:00', closesAt: '17:00' })
    expect(await setCenterHours(ctx, { opensAt: '08:30', closesAt: '19:00' })).toEqual({ opensAt: '08:30', closesAt: '19:00' })
    for (const bad of [
      { opensAt: '18:00', closesAt: '01:00' },
      { opensAt: '09:00', closesAt: '09:00' },
      { opensAt: '9:00', closesAt: '17:00' },
      { opensAt: '09:00', closesAt: '24:00' },
    ]) {
      const error = await serviceError(setCenterHours(ctx, bad))
      expect(error.code, JSON.stringify(bad)).toBe('VALIDATION')
    }
    expect(await getCenterHours(opened.db)).toEqual({ opensAt: '08:30', closesAt: '19:00' })
  })

  it('End of day pressed at 21:00 with the proposed closing time signs everyone out at 17:00, not at 21:00', async () => {
    const ana = await createParticipant(ctx, { firstName: 'Ana' })
    const bo = await createParticipant(ctx, { firstName: 'Bo' })
    await signIn(ctx, { participantId: ana.id, services: [] })
    time.set('2027-11-04T21:30:00.000Z') // 17:30: came in after closing, stays after
    await signIn(ctx, { participantId: bo.id, services: [] })
    time.set('2027-11-05T01:00:00.000Z') // 21:00 in New York
    const closing = zonedInstant('2027-11-04', '17:00', ZONE).toISOString()
    expect(await signOutAll(ctx, { at: closing })).toEqual({ count: 2 })
    const out = opened.sqlite.prepare('SELECT participant_id AS id, signed_out_at AS at FROM visits ORDER BY id').all()
    // Nobody leaves before they came: Bo signed in after closing, so his stay is zero, not negative.
    expect(out).toEqual([
      { id: ana.id, at: '2027-11-04T21:00:00.000Z' },
      { id: bo.id, at: '2027-11-04T21:30:00.000Z' },
    ])
    // A time in the future, or on another day, is refused.
    expect((await serviceError(signOutAll(ctx, { at: '2027-11-05T03:00:00.000Z' }))).code).toBe('VALIDATION')
    expect((await serviceError(signOutAll(ctx, { at: '2027-11-03T21:00:00.000Z' }))).code).toBe('VALIDATION')
  })

  it('a visit left open yesterday closes at yesterday’s closing time, by no staff member, once; the desk is told today only', async () => {
    const ana = await createParticipant(ctx, { firstName: 'Ana' })
    await signIn(ctx, { participantId: ana.id, services: [] })
    expect(await closeStaleVisits(ctx)).toBeNull()
    // Next morning, 08:00 in New York.
    time.set('2027-11-05T12:00:00.000Z')
    const closed = await closeStaleVisits(ctx)
    expect(closed).toEqual({ at: '2027-11-05T12:00:00.000Z', count: 1 })
    expect(opened.sqlite.prepare('SELECT signed_out_at FROM visits').pluck().get()).toBe('2027-11-04T21:00:00.000Z')
    const change = opened.sqlite.prepare('SELECT kind, staff_id, reason FROM visit_changes').get() as { kind: string; staff_id: number | null; reason: string }
    expect(change).toMatchObject({ kind: 'sign_out_all', staff_id: null })
    expect(change.reason).toMatch(/closed by Porchlight/)
    expect(opened.sqlite.prepare(`SELECT staff_id FROM audit_log WHERE action = 'visit.auto_close'`).all()).toEqual([{ staff_id: null }])
    // Nothing more to close: nothing written.
    const rows = opened.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get()
    expect(await closeStaleVisits(ctx)).toBeNull()
    expect(opened.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(rows)
    expect(await lastAutoClose(ctx)).toEqual({ at: '2027-11-05T12:00:00.000Z', count: 1 })
    time.set('2027-11-06T12:00:00.000Z')
    expect(await lastAutoClose(ctx)).toBeNull()
  })
})

describe('through main: at the next start, and at midnight while it runs', () => {
  it('closes yesterday’s open visit when the records open again, and refuses hours past midnight at the door', async () => {
    const dir = tempDir()
    const c = fakeClock('2027-11-04T14:00:00.000Z')
    const make = () => new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: c.time.now, clock: c.schedulerClock, timeZone: ZONE })
    let core = make()
    await core.start()
    const session: Session = { staff: null }
    const call = (channel: Parameters<typeof dispatch>[0], input: unknown) => dispatch(channel, input, { core, session }, () => {})
    expectOk(await call('setup.create', { centerName: 'Harbor House', adminName: 'Ana', username: 'ana', password: 'a long enough password' }))
    expectError(await call('settings.setHours', { opensAt: '18:00', closesAt: '01:00' }), 'INVALID_INPUT')
    expectOk(await call('settings.setHours', { opensAt: '10:00', closesAt: '18:00' }))
    const person = expectOk<{ id: number }>(await call('participants.create', { firstName: 'Kofi' }))
    expectOk(await call('visits.signIn', { participantId: person.id, services: [] }))
    await core.close()

    c.time.set('2027-11-05T13:00:00.000Z')
    core = make()
    await core.start()
    expect(core.database!.sqlite.prepare('SELECT signed_out_at FROM visits').pluck().get()).toBe('2027-11-04T22:00:00.000Z')
    expectOk(await call('auth.login', { username: 'ana', password: 'a long enough password' }))
    expect(expectOk(await call('visits.autoClosed', {}))).toEqual({ at: '2027-11-05T13:00:00.000Z', count: 1 })

    // Signed in today and left open: the scheduler's tick after midnight closes it.
    expectOk(await call('visits.signIn', { participantId: person.id, services: [] }))
    c.time.set('2027-11-06T05:05:00.000Z') // 00:05 in New York
    await core.scheduler.tick()
    expect(core.database!.sqlite.prepare('SELECT signed_out_at FROM visits ORDER BY id').pluck().all()).toEqual(['2027-11-04T22:00:00.000Z', '2027-11-05T22:00:00.000Z'])
    await core.close()
  })
})

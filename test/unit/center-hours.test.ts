import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateKey } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { createDatabase, type OpenDatabase } from '../../db/open'
import { closeStaleVisits, getCenterHours, lastAutoClose, setCenterHours, zonedInstant } from '../../db/services/center-hours'
import type { ServiceContext } from '../../db/services/context'
import { createParticipant } from '../../db/services/participants'
import { completeSetup } from '../../db/services/setup'
import { signIn, signOutAll, voidVisit } from '../../db/services/visits'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { fakeClock } from './backup-helpers'
import { clock, expectAuditChainIntact, serviceError, useCenter, type Clock } from './front-desk-helpers'
import { expectError, expectOk, useTempDirs } from './helpers'
import { describeEachBackend } from './pg-helpers'

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

describeEachBackend('visits left open on several earlier days', (backend) => {
  const center = useCenter(backend)

  it('each closes at its own day’s closing time (either side of a clock change), once, even when two runs meet', async () => {
    const { ctx: admin, clock: time } = center()
    const ctx: ServiceContext = { ...admin, timeZone: ZONE }
    const [ana, bo, cy, di, ed] = await Promise.all(['Ana', 'Bo', 'Cy', 'Di', 'Ed'].map((firstName) => createParticipant(ctx, { firstName })))
    const visit = async (personId: number, at: string) => {
      time.set(at)
      return (await signIn(ctx, { participantId: personId, services: [] })).id
    }
    // Friday 2027-11-05 (EDT: 17:00 is 21:00 UTC), Monday 2027-11-08 (EST: 22:00 UTC), then today.
    const friday = await visit(ana!.id, '2027-11-05T14:00:00.000Z')
    const late = await visit(bo!.id, '2027-11-05T21:30:00.000Z') // came at 17:30, after closing
    const voided = await visit(cy!.id, '2027-11-05T15:00:00.000Z')
    await voidVisit(ctx, voided, 'Signed in the wrong person')
    const monday = await visit(di!.id, '2027-11-08T15:00:00.000Z')
    time.set('2027-11-09T14:00:00.000Z')
    const today = await visit(ed!.id, '2027-11-09T14:00:00.000Z')

    // The start and the scheduler's tick, or two desks on one server: the visits close once.
    const runs = await Promise.all([closeStaleVisits(ctx), closeStaleVisits(ctx)])
    expect(runs.filter((run) => run !== null)).toEqual([{ at: '2027-11-09T14:00:00.000Z', count: 3 }])
    const out = await ctx.db.selectFrom('visits').select(['id', 'signed_out_at']).orderBy('id').execute()
    expect(out).toEqual([
      { id: friday, signed_out_at: '2027-11-05T21:00:00.000Z' },
      { id: late, signed_out_at: '2027-11-05T21:30:00.000Z' },
      { id: voided, signed_out_at: null },
      { id: monday, signed_out_at: '2027-11-08T22:00:00.000Z' },
      { id: today, signed_out_at: null },
    ])
    const changes = await ctx.db.selectFrom('visit_changes').select(['visit_id', 'before', 'after', 'staff_id', 'at']).where('kind', '=', 'sign_out_all').orderBy('visit_id').execute()
    expect(changes).toEqual(
      out
        .filter((v) => v.signed_out_at !== null)
        .map((v) => ({ visit_id: v.id, before: '{"signedOutAt":null}', after: JSON.stringify({ signedOutAt: v.signed_out_at }), staff_id: null, at: '2027-11-09T14:00:00.000Z' })),
    )
    const audits = await ctx.db.selectFrom('audit_log').select(['staff_id', 'detail']).where('action', '=', 'visit.auto_close').execute()
    expect(audits.map((a) => ({ staff: a.staff_id, detail: JSON.parse(a.detail!) as unknown }))).toEqual([{ staff: null, detail: { count: 3, visitIds: [friday, late, monday] } }])
    expect(await closeStaleVisits(ctx)).toBeNull()
  })

  it('builds no time-zone formatter per visit (each holds ICU data outside V8’s heap until a full collection)', async () => {
    const { ctx: admin, clock: time } = center()
    const ctx: ServiceContext = { ...admin, timeZone: 'America/Chicago' }
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => createParticipant(ctx, { firstName: `P${i}` })))
    for (const [i, person] of people.entries()) {
      time.set(`2027-03-${String(10 + (i % 3)).padStart(2, '0')}T15:00:00.000Z`)
      await signIn(ctx, { participantId: person.id, services: [] })
    }
    time.set('2027-03-15T15:00:00.000Z')
    const Real = Intl.DateTimeFormat
    let built = 0
    Intl.DateTimeFormat = new Proxy(Real, {
      construct(target, args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
        built += 1
        return new target(...args)
      },
    })
    try {
      expect(await closeStaleVisits(ctx)).toMatchObject({ count: 12 })
    } finally {
      Intl.DateTimeFormat = Real
    }
    // One formatter for the zone, however many visits: 24 were built before (two per visit).
    expect(built).toBeLessThanOrEqual(2)
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

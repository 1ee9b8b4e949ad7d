import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { DEFAULT_PC_SETTINGS, type PcSettings } from '../../db/pc-settings'
import { getCenterSettings, setCenterSettings } from '../../db/services/center-settings'
import { centerNameOf, centersOverview, createCenter, renameCenter } from '../../db/services/centers'
import type { ServiceContext } from '../../db/services/context'
import { dashboard } from '../../db/services/reports/dashboard'
import { getCenterName } from '../../db/services/setup'
import { fakeClock } from './backup-helpers'
import { serviceError, useCenter } from './front-desk-helpers'
import { describeEachBackend } from './pg-helpers'
import { expectError, expectOk, useTempDirs } from './helpers'

const tempDir = useTempDirs()

/** A center set up through main, with an admin signed in; the computer's zone is New York. */
async function center() {
  const dir = tempDir()
  // Friday 2027-11-05 at 02:30 UTC: still Thursday evening in New York and Los Angeles.
  const c = fakeClock('2027-11-05T02:30:00.000Z')
  const core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: c.time.now, clock: c.schedulerClock, timeZone: 'America/New_York' })
  await core.start()
  const session: Session = { staff: null }
  const call = (channel: Parameters<typeof dispatch>[0], input: unknown) => dispatch(channel, input, { core, session }, () => {})
  expectOk(await call('setup.create', { centerName: 'Harbor House', adminName: 'Ana', username: 'ana', password: 'a long enough password' }))
  const audits = () => core.database!.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get() as number
  return { core, call, audits }
}

describe('Settings → Center: the name, the clock, the kiosk and what a visit must hold', () => {
  it('starts from this computer’s zone, a 30-second kiosk and no rule; saves, audits and follows at once', async () => {
    const { core, call, audits } = await center()
    try {
      expect(expectOk(await call('settings.center', {}))).toEqual({ centerName: 'Harbor House', nameVersion: 1, timeZone: 'America/New_York', kioskResetSeconds: 30, requireService: false, version: 0 })
      expect(expectOk(await call('app.status', {}))).toMatchObject({ timeZone: 'America/New_York', kioskResetSeconds: 30, requireService: false })

      const before = audits()
      const saved = { centerName: '  Harbor Light  ', timeZone: 'America/Los_Angeles', kioskResetSeconds: 45, requireService: true }
      expect(expectOk(await call('settings.setCenter', saved))).toEqual({ ...saved, centerName: 'Harbor Light', nameVersion: 2, version: 1 })
      // The settings, and the center's rename (its centers row, as the Centers screen renames it).
      expect(audits()).toBe(before + 2)
      expect(core.database!.sqlite.prepare(`SELECT name, row_version FROM centers WHERE id = 1`).get()).toEqual({ name: 'Harbor Light', row_version: 2 })
      expect(core.database!.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'settings.center'`).pluck().get()).toContain('America/Los_Angeles')
      expect(expectOk(await call('app.status', {}))).toMatchObject({ centerName: 'Harbor Light', timeZone: 'America/Los_Angeles', kioskResetSeconds: 45, requireService: true })

      // The center's day now follows Los Angeles: a visit at 02:30 UTC on the 5th is on the 4th there.
      const meal = expectOk<{ id: number; nameEn: string }[]>(await call('catalog.services', {})).find((s) => s.nameEn === 'Meal')!
      const visit = expectOk<{ id: number }>(await call('visits.signIn', { participantId: null, services: [{ serviceId: meal.id, quantity: 1 }] }))
      expect(core.database!.sqlite.prepare('SELECT visit_date FROM visits WHERE id = ?').pluck().get(visit.id)).toBe('2027-11-04')
    } finally {
      await core.close()
    }
  })

  it('keeps the choice across a restart', async () => {
    const { core, call } = await center()
    expectOk(await call('settings.setCenter', { centerName: 'Harbor House', timeZone: 'America/Chicago', kioskResetSeconds: 60, requireService: false }))
    await core.close()
    const again = new PorchlightCore({ dbFile: core.dbFile, keyStore: new FileKeyStore(join(core.dbFile, '..', 'porchlight.key')), now: () => new Date('2027-11-05T03:00:00.000Z'), timeZone: 'UTC' })
    await again.start()
    try {
      expect(again.timeZone).toBe('America/Chicago')
      expect(again.status({ staff: null })).toMatchObject({ kioskResetSeconds: 60 })
    } finally {
      await again.close()
    }
  })

  it('refuses a made-up zone, a reset out of range and an empty name, naming the field and writing nothing', async () => {
    const { core, call, audits } = await center()
    try {
      const before = audits()
      const good = { centerName: 'Harbor House', timeZone: 'America/New_York', kioskResetSeconds: 30, requireService: false }
      expect(expectError(await call('settings.setCenter', { ...good, timeZone: 'Mars/Olympus_Mons' }), 'VALIDATION').detail).toMatchObject({ field: 'timeZone' })
      expect(expectError(await call('settings.setCenter', { ...good, timeZone: 'EST5EDT; DROP' }), 'VALIDATION').detail).toMatchObject({ field: 'timeZone' })
      expectError(await call('settings.setCenter', { ...good, kioskResetSeconds: 5 }), 'INVALID_INPUT')
      expectError(await call('settings.setCenter', { ...good, kioskResetSeconds: 30.5 }), 'INVALID_INPUT')
      expectError(await call('settings.setCenter', { ...good, centerName: '   ' }), 'INVALID_INPUT')
      expectError(await call('settings.setCenter', { ...good, requireService: 'yes' }), 'INVALID_INPUT')
      expect(audits()).toBe(before)
      expect(expectOk(await call('settings.center', {}))).toEqual({ ...good, nameVersion: 1, version: 0 })
    } finally {
      await core.close()
    }
  })

  it('with "every visit needs a service", refuses an empty sign-in and a correction that removes the last service', async () => {
    const { core, call } = await center()
    try {
      const meal = expectOk<{ id: number; nameEn: string }[]>(await call('catalog.services', {})).find((s) => s.nameEn === 'Meal')!
      // Off (the default): an empty visit is allowed, as before.
      expectOk(await call('visits.signIn', { participantId: null, services: [] }))
      expectOk(await call('settings.setCenter', { centerName: 'Harbor House', timeZone: 'America/New_York', kioskResetSeconds: 30, requireService: true }))
      const visits = () => core.database!.sqlite.prepare('SELECT count(*) FROM visits').pluck().get()
      const count = visits()
      expect(expectError(await call('visits.signIn', { participantId: null, anonymousCode: 'BLUE7', services: [] }), 'VALIDATION').detail).toMatchObject({ field: 'services' })
      expect(visits()).toBe(count)
      const visit = expectOk<{ id: number; signedInAt: string }>(await call('visits.signIn', { participantId: null, services: [{ serviceId: meal.id, quantity: 1 }] }))
      const refused = expectError(await call('visits.update', { visitId: visit.id, services: [], note: null, signedInAt: visit.signedInAt, reason: 'typo' }), 'VALIDATION')
      expect(refused.detail).toMatchObject({ field: 'services' })
      expect(core.database!.sqlite.prepare('SELECT count(*) FROM visit_services WHERE visit_id = ?').pluck().get(visit.id)).toBe(1)
    } finally {
      await core.close()
    }
  })
})

describeEachBackend('center settings saved from two PCs (issue 15: a row version)', (backend) => {
  const desk = useCenter(backend)

  /** One PC's own settings file, in memory. */
  function pcFile() {
    let kept: PcSettings = { ...DEFAULT_PC_SETTINGS }
    return {
      current: () => kept,
      save: (next: PcSettings) => {
        kept = next
      },
    }
  }

  it('a save read at an older version is refused as changed on another PC, with the new version, and changes nothing', async () => {
    const { ctx } = desk()
    const pc = pcFile()
    const read = await getCenterSettings(ctx.db, 'UTC', pc.current())
    expect(read.version).toBe(0)
    const first = await setCenterSettings(ctx, { ...read, timeZone: 'America/Chicago' }, pc)
    expect(first.version).toBe(1)
    // The other PC's form still holds version 0: its save would undo Chicago without anyone knowing.
    const refused = await serviceError(setCenterSettings(ctx, { ...read, requireService: true }, pc))
    expect(refused).toMatchObject({ code: 'STALE', key: 'door.changedElsewhere', detail: { version: 1 } })
    expect(await getCenterSettings(ctx.db, 'UTC', pc.current())).toMatchObject({ timeZone: 'America/Chicago', requireService: false, version: 1 })
    // Read again, it saves; and no version at all (the command line) saves over whatever is there.
    expect((await setCenterSettings(ctx, { ...first, requireService: true }, pc)).version).toBe(2)
    expect((await setCenterSettings(ctx, { ...first, version: undefined }, pc)).version).toBe(3)
  })

  it('a center\'s name is one fact: Settings → Center saves the window\'s center\'s row, which the Centers screen renames, each at its version', async () => {
    const { ctx } = desk()
    const pc = pcFile()
    const north = await createCenter(ctx, { name: 'North Side' })
    const inNorth: ServiceContext = { ...ctx, centerId: north.id }
    const read = await getCenterSettings(ctx.db, 'UTC', pc.current(), north.id)
    expect([read.centerName, read.nameVersion]).toEqual(['North Side', 1])
    // Renamed in a window working at North Side: North Side's row, not the first center's.
    const saved = await setCenterSettings(inNorth, { ...read, centerName: 'North Side Hub' }, pc)
    expect([saved.centerName, saved.nameVersion]).toEqual(['North Side Hub', 2])
    expect(await centerNameOf(ctx.db, north.id)).toBe('North Side Hub')
    expect(await getCenterName(ctx.db)).toBe('Harbor House')
    expect((await centersOverview(ctx.db)).centers.find((c) => c.id === north.id)).toMatchObject({ name: 'North Side Hub', version: 2 })
    // The Centers screen renames the same row; the settings form read before it is refused, naming the new version.
    await renameCenter(ctx, { id: north.id, name: 'Northside', version: 2 })
    const stale = await serviceError(setCenterSettings(inNorth, { ...saved, centerName: 'North Side Hub 2' }, pc))
    expect(stale).toMatchObject({ code: 'STALE', key: 'door.changedElsewhere', detail: { version: 3 } })
    expect(await getCenterSettings(ctx.db, 'UTC', pc.current(), north.id)).toMatchObject({ centerName: 'Northside', nameVersion: 3 })
    // The first center's name is the reports' and printed sheets' for its windows (no copy elsewhere to drift).
    await setCenterSettings(ctx, { ...(await getCenterSettings(ctx.db, 'UTC', pc.current())), centerName: 'Harbor Light' }, pc)
    expect((await ctx.db.selectFrom('settings').select('key').where('key', '=', 'center_name').execute()).length).toBe(0)
    expect((await dashboard(ctx, { preset: 'this_month' })).centerName).toBe('Harbor Light')
    expect((await dashboard(inNorth, { preset: 'this_month' })).centerName).toBe('Northside')
  })
})

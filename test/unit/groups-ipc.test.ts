import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import type { Role } from '../../db/types'
import type { StaffSummary } from '../../db/services/setup'
import type { ChannelName } from '../../electron/ipc/channels'
import type { InputOf, ResultOf } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { clock } from './front-desk-helpers'
import { expectError, useTempDirs } from './helpers'

/**
 * The facilitator's scope, which the permission table cannot express: the role may call the
 * attendance channels, and main lets them through only for the facilitator's own groups and for a
 * session they cover today. The front desk adds people to today's sessions only.
 */
const tempDir = useTempDirs()
let core: PorchlightCore
const staff: Partial<Record<'admin' | 'fac1' | 'fac2' | 'desk' | 'peer', StaffSummary>> = {}
let person: number
let mine: number
let todays: number
let tomorrows: number

// 2026-11-25T15:00Z: 10:00 on a Wednesday in New York.
const time = clock()

async function call<C extends ChannelName>(who: keyof typeof staff, channel: C, input: InputOf<C>): Promise<ResultOf<C>> {
  const result = await dispatch(channel, input, { core, session: { staff: staff[who]! } })
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value as ResultOf<C>
}

const as = (who: keyof typeof staff): Session => ({ staff: staff[who]! })

beforeEach(async () => {
  const dir = tempDir()
  time.set('2026-11-25T15:00:00.000Z')
  core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: time.now, timeZone: 'America/New_York' })
  await core.start()
  const session: Session = { staff: null }
  const created = await dispatch('setup.create', { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }, { core, session })
  if (!created.ok) throw new Error(created.error.message)
  staff.admin = (created.value as { staff: StaffSummary }).staff
  for (const [key, role] of [
    ['fac1', 'facilitator'],
    ['fac2', 'facilitator'],
    ['desk', 'front_desk'],
    ['peer', 'peer_specialist'],
  ] as Array<[keyof typeof staff, Role]>) {
    const made = await call('admin', 'staff.create', { username: key, displayName: key, role, password: 'a long enough password' })
    staff[key] = { id: made.id, username: key, displayName: key, role }
  }
  person = (await call('admin', 'participants.create', { firstName: 'Dana', lastName: 'Reyes' })).id
  const group = await call('admin', 'groups.save', {
    name: 'SMART Recovery',
    kind: 'open',
    durationMinutes: 90,
    facilitatorIds: [staff.fac1!.id],
    schedule: { pattern: { startDate: '2026-11-01', startTime: '10:30', frequency: 'weekly', interval: 1, weekdays: ['WE', 'TH'] } },
  })
  mine = group.id
  const week = await call('admin', 'sessions.week', { from: '2026-11-25' })
  todays = week[0]!.id
  tomorrows = week[1]!.id
})

afterEach(async () => {
  await core.close()
})

it('a facilitator sees and marks only their own groups; covering a session today lets another in for that day', async () => {
  expect((await call('fac1', 'groups.list', {})).map((g) => g.id)).toEqual([mine])
  expect(await call('fac2', 'groups.list', {})).toEqual([])
  expect((await call('fac1', 'sessions.today', {})).due?.id).toBe(todays)
  expectError(await dispatch('groups.get', { id: mine }, { core, session: as('fac2') }), 'FORBIDDEN')
  expectError(await dispatch('sessions.sheet', { sessionId: todays }, { core, session: as('fac2') }), 'FORBIDDEN')
  expectError(await dispatch('sessions.mark', { sessionId: todays, participantId: person, status: 'present' }, { core, session: as('fac2') }), 'FORBIDDEN')
  const marked = await call('fac1', 'sessions.mark', { sessionId: todays, participantId: person, status: 'present' })
  expect(marked).toMatchObject({ person: { participantId: person, status: 'present' }, listed: true, session: { id: todays, headcount: 1 } })

  await call('admin', 'sessions.change', { sessionId: todays, change: { kind: 'cover', staffId: staff.fac2!.id } })
  expect((await call('fac2', 'sessions.today', {})).sessions.map((s) => s.id)).toEqual([todays])
  expect((await call('fac2', 'sessions.sheet', { sessionId: todays })).people).toHaveLength(1)
  // Covering today's session is not a way into the group's page or its other days.
  expectError(await dispatch('groups.get', { id: mine }, { core, session: as('fac2') }), 'FORBIDDEN')
  await call('admin', 'sessions.change', { sessionId: tomorrows, change: { kind: 'cover', staffId: staff.fac2!.id } })
  expectError(await dispatch('sessions.sheet', { sessionId: tomorrows }, { core, session: as('fac2') }), 'FORBIDDEN')
})

it('the front desk adds a person to one of today\'s sessions, not to a later one; a peer specialist reads the history', async () => {
  const today = await call('desk', 'sessions.today', {})
  expect(today.sessions.map((s) => s.id)).toEqual([todays])
  expect(today.due).toBeNull()
  expect((await call('desk', 'sessions.addPerson', { sessionId: todays, participantId: person })).headcount).toBe(1)
  expectError(await dispatch('sessions.addPerson', { sessionId: tomorrows, participantId: person }, { core, session: as('desk') }), 'FORBIDDEN')
  expectError(await dispatch('sessions.sheet', { sessionId: todays }, { core, session: as('desk') }), 'FORBIDDEN')
  const history = await call('peer', 'groups.personHistory', { participantId: person })
  expect(history.groups).toMatchObject([{ groupName: 'SMART Recovery', attended: 1 }])
})

it('a refused call names the field and writes nothing: attendance in a cancelled session', async () => {
  await call('admin', 'sessions.change', { sessionId: todays, change: { kind: 'cancel', reason: 'Facilitator is ill' } })
  const refused = expectError(await dispatch('sessions.mark', { sessionId: todays, participantId: person, status: 'present' }, { core, session: as('fac1') }), 'VALIDATION')
  expect(refused.fields).toHaveProperty('sessionId')
})

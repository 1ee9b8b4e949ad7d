import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import type { ParticipantProfile, ParticipantSummary, Role, StaffSummary } from '../../db/types'
import type { ChannelName } from '../../electron/ipc/channels'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { clock } from './front-desk-helpers'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()
let core: PorchlightCore
let admin: Session

async function ok<T>(channel: ChannelName, input: unknown, session: Session = admin): Promise<T> {
  const envelope = await dispatch(channel, input, { core, session })
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`)
  return envelope.value as T
}

async function as(role: Role): Promise<Session> {
  const password = `a ${role} password 1`
  await ok('staff.create', { username: role.replace('_', '-'), displayName: role, role, password })
  await core.database!.db.updateTable('staff').set({ must_change_password: 0 }).execute()
  const session: Session = { staff: null }
  await ok('auth.login', { username: role.replace('_', '-'), password }, session)
  return session
}

beforeEach(async () => {
  const dir = tempDir()
  core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: clock().now, timeZone: 'UTC' })
  await core.start()
  admin = { staff: null }
  await ok<{ staff: StaffSummary }>('setup.create', { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })
})

afterEach(async () => {
  await core.close()
})

it('a facilitator gets the limited profile from main: names, pronouns and language, no visits, contact or history; others the whole one', async () => {
  const person = await ok<ParticipantSummary>('participants.create', {
    firstName: 'Rosa',
    lastName: 'Alvarez',
    birthYear: 1979,
    phone: '555-0199',
    pronouns: 'she/her',
    preferredLanguage: 'Spanish',
  })
  await ok('visits.signIn', { participantId: person.id, services: [] })

  const limited = await ok<ParticipantProfile>('participants.get', { id: person.id }, await as('facilitator'))
  expect(limited.limited).toBe(true)
  expect(limited.participant).toMatchObject({ firstName: 'Rosa', lastName: 'Alvarez', pronouns: 'she/her', preferredLanguage: 'Spanish' })
  expect(limited.participant).toMatchObject({ birthYear: null, phone: null, phoneLast4: null, lastVisitAt: null, visitCount: 0 })
  expect(limited.visits).toEqual([])
  expect(limited.servicesReceived).toEqual([])

  const full = await ok<ParticipantProfile>('participants.get', { id: person.id }, await as('peer_specialist'))
  expect(full.limited).toBeUndefined()
  expect(full.participant).toMatchObject({ birthYear: 1979, phone: '555-0199', visitCount: 1 })
  expect(full.visits).toHaveLength(1)

  const views = core.database!.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'participant.view' ORDER BY id`).pluck().all()
  expect(views).toEqual(['{"limited":true}', null])
})

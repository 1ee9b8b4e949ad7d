import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import type { Role } from '../../db/types'
import type { StaffSummary } from '../../db/services/setup'
import type { ChannelName } from '../../electron/ipc/channels'
import type { InputOf, ResultOf } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { clock } from './front-desk-helpers'
import { expectOk, useTempDirs } from './helpers'

export type Who = 'admin' | 'mgr' | 'desk' | 'peer' | 'fac'

/**
 * A center in New York with one staff member of each role (named by their key: 'mgr', 'desk'…)
 * and one participant, Dana Reyes, made fresh for each test; the clock starts at 10:00 on
 * Wednesday 2026-11-25 there. `call` goes through the IPC door as that role and expects success.
 */
export function useCenterWithEveryRole() {
  const tempDir = useTempDirs()
  const time = clock()
  const center = {
    core: undefined as unknown as PorchlightCore,
    staff: {} as Record<Who, StaffSummary>,
    person: 0,
    time,
    as: (who: Who): Session => ({ staff: center.staff[who] }),
    async call<C extends ChannelName>(who: Who, channel: C, input: InputOf<C>): Promise<ResultOf<C>> {
      return expectOk<ResultOf<C>>(await dispatch(channel, input, { core: center.core, session: center.as(who) }))
    },
  }
  beforeEach(async () => {
    const dir = tempDir()
    time.set('2026-11-25T15:00:00.000Z')
    center.core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: time.now, timeZone: 'America/New_York' })
    await center.core.start()
    const created = await dispatch('setup.create', { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }, { core: center.core, session: { staff: null } })
    if (!created.ok) throw new Error(created.error.message)
    center.staff.admin = (created.value as { staff: StaffSummary }).staff
    for (const [key, role] of [
      ['mgr', 'manager'],
      ['desk', 'front_desk'],
      ['peer', 'peer_specialist'],
      ['fac', 'facilitator'],
    ] as Array<[Who, Role]>) {
      const made = await center.call('admin', 'staff.create', { username: key, displayName: key, role, password: 'a long enough password' })
      center.staff[key] = { id: made.id, username: key, displayName: key, role }
    }
    center.person = (await center.call('desk', 'participants.create', { firstName: 'Dana', lastName: 'Reyes', birthYear: 1985 })).id
  })
  afterEach(async () => {
    await center.core.close()
  })
  return center
}

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { setUpDemo } from '../host/demo'
import type { RunningHost } from '../host/server'
import { useTempDirs } from './helpers'
import { runningClock } from '../clock'

const tempDir = useTempDirs()

describe('npm run host -- --demo', () => {
  it('makes one working login per role, each straight to the desk, and fills the center with people', async () => {
    const dir = tempDir()
    // A fixed day: on a closed day (New Year's) the demo has no session to be due (its own test below).
    const core = new PorchlightCore({ dbFile: join(dir, 'demo.db'), keyStore: new FileKeyStore(join(dir, 'demo.key')), now: runningClock() })
    await core.start()
    try {
      // setUpDemo needs only the host's core.
      const { logins, seeded } = await setUpDemo({ core } as unknown as RunningHost, { participants: 60, days: 5, seed: 7 })
      expect(logins.map((login) => login.role).sort()).toEqual(['admin', 'facilitator', 'front_desk', 'manager', 'peer_specialist'])
      expect(seeded.participants).toBe(60)
      for (const { username, password, role } of logins) {
        const session: Session = { staff: null }
        const signedIn = await dispatch('auth.login', { username, password }, { core, session }, () => {})
        expect(signedIn, username).toMatchObject({ ok: true, value: { username, role } })
        expect(await dispatch('app.status', {}, { core, session }, () => {})).toMatchObject({ ok: true, value: { phase: 'signed-in' } })
        // The facilitator has a session due within the hour, which the app opens on.
        if (role === 'facilitator') {
          const today = await dispatch('sessions.today', {}, { core, session }, () => {})
          expect(today).toMatchObject({ ok: true, value: { due: { topic: 'Coping with cravings', status: 'scheduled' } } })
        }
      }
    } finally {
      await core.close()
    }
  })
})

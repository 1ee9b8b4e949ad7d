import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { FileKeyStore } from '../../db/keystore-file'
import type { ChannelName } from '../../electron/ipc/channels'
import type { InputOf } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import type { SchedulerClock } from '../../electron/ipc/scheduler'
import { clock as handClock } from './front-desk-helpers'

export const ADMIN = { centerName: 'Harbor House', adminName: 'Ana', username: 'ana', password: 'a long enough password' }

/** A scheduler clock moved by hand; `fire` runs what `every` armed, as a minute passing would. */
export function fakeClock(start: string) {
  const time = handClock(start)
  let armed: (() => void) | null = null
  const schedulerClock: SchedulerClock = {
    now: time.now,
    every: (_ms, run) => {
      armed = run
      return () => {
        armed = null
      }
    },
  }
  return { time, schedulerClock, armed: () => armed }
}

export async function centerWithCore(dir: string, start = '2026-11-25T15:00:00.000Z') {
  const dbFile = join(dir, 'porchlight.db')
  const keyFile = join(dir, 'porchlight.key')
  const c = fakeClock(start)
  const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), now: c.time.now, clock: c.schedulerClock, timeZone: 'UTC' })
  await core.start()
  // These tests move the clock by hours to reach scheduled times: the idle lock is not what they test.
  core.idleLockSeconds = 365 * 24 * 60 * 60
  const session: Session = { staff: null }
  const call = async <C extends ChannelName>(channel: C, input: InputOf<C>) => dispatch(channel, input, { core, session }, () => {})
  const ok = async <C extends ChannelName>(channel: C, input: InputOf<C>) => {
    const result = await call(channel, input)
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`)
    return result.value as never
  }
  const setup = (await ok('setup.create', ADMIN)) as { recoveryKey: string }
  for (const firstName of ['Ines', 'Kofi', 'Lupe']) {
    const person = (await ok('participants.create', { firstName })) as { id: number }
    await ok('visits.signIn', { participantId: person.id, services: [] })
  }
  const usb = join(dir, 'usb')
  mkdirSync(usb)
  return { dbFile, keyFile, core, session, call, ok, usb, clock: c, recoveryKey: setup.recoveryKey }
}


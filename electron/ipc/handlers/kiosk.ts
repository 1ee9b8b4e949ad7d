import { listActiveServices } from '../../../db/services/catalog'
import { ServiceError } from '../../../db/services/context'
import { kioskFind, kioskSignIn, kioskVerify, type KioskLookup } from '../../../db/services/kiosk'
import type { KioskAnswer } from '../../../db/types'
import { recordKioskEnter, signInStaff } from '../../../db/services/staff'
import type { Session } from '../core'
import type { kioskChannels } from '../contract/kiosk'
import type { FeatureHandlers } from './types'

/** Look-ups (find and verify together) one kiosk may make in a minute; past it, the desk helps. */
export const KIOSK_LOOKUPS_PER_MINUTE = 6

type KioskState = NonNullable<Session['kiosk']>

/** The kiosk part of a session; dispatch lets kiosk-only channels through only in kiosk mode. */
function kioskState(session: Session): KioskState {
  if (session.mode !== 'kiosk' || !session.kiosk) throw new ServiceError('CONFLICT', 'kiosk.notKiosk')
  return session.kiosk
}

/**
 * Counts a look-up against the minute's allowance. Someone trying names and years one after
 * another to learn who comes here gets the desk, not more answers.
 */
function allowLookup(kiosk: KioskState, now: number): boolean {
  kiosk.lookups = kiosk.lookups.filter((at) => now - at < 60_000)
  if (kiosk.lookups.length >= KIOSK_LOOKUPS_PER_MINUTE) return false
  kiosk.lookups.push(now)
  return true
}

/** Keeps what a look-up found in main (the screen gets only the answer). */
function remember(kiosk: KioskState, lookup: KioskLookup): KioskAnswer {
  kiosk.found = lookup.answer.kind === 'found' ? lookup.candidates : []
  kiosk.pending = lookup.answer.kind === 'ask' ? lookup.candidates : []
  return lookup.answer
}

/** The handlers for self check-in: each a thin call into a db/ use case; input is already parsed. */
export const kioskHandlers: FeatureHandlers<typeof kioskChannels> = {
  'kiosk.enter': async (_input, { core, session }) => {
    const staff = session.staff
    if (!staff) throw new ServiceError('CONFLICT', 'kiosk.signInFirst')
    await recordKioskEnter(core.context(session))
    // From here on this window has no staff member: records stay out of reach until one unlocks it.
    session.mode = 'kiosk'
    core.signOut(session)
    session.kiosk = { startedBy: staff.id, found: [], pending: [], lookups: [] }
    return core.status(session)
  },
  'kiosk.find': async (input, { core, session }) => {
    const kiosk = kioskState(session)
    if (!allowLookup(kiosk, core.now().getTime())) return remember(kiosk, { answer: { kind: 'desk' }, candidates: [] })
    const query =
      input.code !== undefined
        ? { code: input.code }
        : input.birthYear !== undefined
          ? { firstName: input.firstName!, birthYear: input.birthYear }
          : { firstName: input.firstName!, phoneLast4: input.phoneLast4! }
    return remember(kiosk, await kioskFind(core.context(session), query, kiosk.startedBy))
  },
  'kiosk.verify': async (input, { core, session }) => {
    const kiosk = kioskState(session)
    const pending = kiosk.pending
    // One answer per ambiguous look-up: a wrong one does not get a second guess.
    kiosk.pending = []
    if (!allowLookup(kiosk, core.now().getTime())) return remember(kiosk, { answer: { kind: 'desk' }, candidates: [] })
    const answer = input.phoneLast4 !== undefined ? { phoneLast4: input.phoneLast4 } : input.birthday !== undefined ? { birthday: input.birthday } : { code: input.code! }
    return remember(kiosk, await kioskVerify(core.context(session), answer, pending, kiosk.startedBy))
  },
  // The kiosk offers what the desk offers: not the service kept for group attendance.
  'kiosk.services': async (_input, { core, session }) => (await listActiveServices(core.context(session))).filter((service) => service.atDesk !== false),
  'kiosk.signIn': async (input, { core, session }) => {
    const kiosk = kioskState(session)
    const result = await kioskSignIn(core.context(session), input, kiosk)
    // One sign-in per search: the next person starts from their own name.
    kiosk.found = []
    return result
  },
  'kiosk.exit': async ({ username, password }, { core, session }) => {
    kioskState(session)
    const { staff, mustChangePassword } = await signInStaff(core.context(session), username, password, { via: 'kiosk' })
    session.mode = 'desk'
    delete session.kiosk
    core.signIn(session, staff, mustChangePassword)
    await core.enterHomeCenter(session)
    return staff
  },
}

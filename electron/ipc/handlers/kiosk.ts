import { listActiveServices } from '../../../db/services/catalog'
import { ServiceError } from '../../../db/services/context'
import { kioskFind, kioskSignIn } from '../../../db/services/kiosk'
import { recordKioskEnter, signInStaff } from '../../../db/services/staff'
import type { Session } from '../core'
import type { kioskChannels } from '../contract/kiosk'
import type { FeatureHandlers } from './types'

/** The kiosk part of a session; dispatch lets kiosk-only channels through only in kiosk mode. */
function kioskState(session: Session): { startedBy: number; found: number[] } {
  if (session.mode !== 'kiosk' || !session.kiosk) throw new ServiceError('CONFLICT', 'This screen is not in self check-in mode.')
  return session.kiosk
}

/** The handlers for self check-in: each a thin call into a db/ use case; input is already parsed. */
export const kioskHandlers: FeatureHandlers<typeof kioskChannels> = {
  'kiosk.enter': async (_input, { core, session }) => {
    const staff = session.staff
    if (!staff) throw new ServiceError('CONFLICT', 'Sign in first, then start self check-in.')
    await recordKioskEnter(core.context(session))
    // From here on this window has no staff member: records stay out of reach until one unlocks it.
    session.mode = 'kiosk'
    core.signOut(session)
    session.kiosk = { startedBy: staff.id, found: [] }
    return core.status(session)
  },
  'kiosk.find': async (input, { core, session }) => {
    const kiosk = kioskState(session)
    const query = input.code !== undefined ? { code: input.code } : { firstName: input.firstName!, birthYear: input.birthYear! }
    const matches = await kioskFind(core.context(session), query, kiosk.startedBy)
    kiosk.found = matches.map((match) => match.id)
    return matches
  },
  'kiosk.services': async (_input, { core, session }) => listActiveServices(core.context(session)),
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
    return staff
  },
}

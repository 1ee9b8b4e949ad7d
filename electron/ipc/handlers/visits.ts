import { listActiveServices } from '../../../db/services/catalog'
import { closingToday, lastAutoClose } from '../../../db/services/center-hours'
import { anonymousCodes, signIn, signOut, signOutAll, todayVisits, updateVisit, voidVisit } from '../../../db/services/visits'
import { ServiceError } from '../../../db/services/context'
import type { visitsChannels } from '../contract/visits'
import type { FeatureHandlers } from './types'

/** The handlers for the front desk's visits: each a thin call into a db/ use case; input is already parsed. */
export const visitsHandlers: FeatureHandlers<typeof visitsChannels> = {
  'catalog.services': async (_input, { core, session }) => listActiveServices(core.context(session)),
  'visits.signIn': async (input, { core, session }) => {
    // Asking a manager means a manager decides: the override is theirs (and an admin's) alone.
    const role = session.staff?.role
    if (input.managerOverride && role !== 'manager' && role !== 'admin') throw new ServiceError('FORBIDDEN', 'restrictions.overrideManagers')
    return signIn(core.context(session), input)
  },
  'visits.today': async (filter, { core, session }) => todayVisits(core.context(session), filter),
  'visits.anonymousCodes': async ({ prefix }, { core, session }) => anonymousCodes(core.context(session), prefix),
  'visits.signOut': async ({ visitId }, { core, session }) => signOut(core.context(session), visitId),
  'visits.signOutAll': async (input, { core, session }) => signOutAll(core.context(session), input),
  'visits.closingTime': async (_input, { core, session }) => ({ closesAt: (await closingToday(core.context(session))).toISOString() }),
  'visits.autoClosed': async (_input, { core, session }) => lastAutoClose(core.context(session)),
  'visits.update': async ({ visitId, ...changes }, { core, session }) => updateVisit(core.context(session), visitId, changes),
  'visits.void': async ({ visitId, reason }, { core, session }) => {
    await voidVisit(core.context(session), visitId, reason)
    return null
  },
}

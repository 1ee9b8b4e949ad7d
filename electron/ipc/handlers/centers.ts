import { centerById, centerId, centersOfStaff, centersOverview, createCenter, renameCenter, setCenterArchived, setCountingRule, setStaffCenters, staffCenters, checkMayWorkIn } from '../../../db/services/centers'
import { appendAudit } from '../../../db/services/audit'
import { confirmMatch, dismissMatch, listPersonMatches, undoMatch, type Matcher } from '../../../db/services/person-matches'
import { inTransaction, isoNow, ServiceError } from '../../../db/services/context'
import type { centersChannels, MyCenters } from '../contract/centers'
import type { CallContext, FeatureHandlers } from './types'

/** The signed-in account, for the services that decide by role and grants (person-matches.ts). */
function staffOf({ session }: CallContext): Matcher {
  if (!session.staff) throw new ServiceError('CONFLICT', 'door.signedOut')
  return session.staff
}

async function mine({ core, session }: CallContext): Promise<MyCenters> {
  const staff = session.staff
  if (!staff) throw new ServiceError('CONFLICT', 'door.signedOut')
  const ctx = core.context(session)
  const centers = await centersOfStaff(ctx.db, staff)
  // The window's center, even when archived since it switched there: it still works there until it switches.
  const current = centers.find((c) => c.id === centerId(ctx)) ?? (await centerById(ctx.db, centerId(ctx)))
  return { current, centers }
}

export const centersHandlers: FeatureHandlers<typeof centersChannels> = {
  'centers.mine': async (_input, call) => mine(call),
  'centers.switch': async ({ centerId: wanted }, call) => {
    const { core, session } = call
    const staff = session.staff
    if (!staff) throw new ServiceError('CONFLICT', 'door.signedOut')
    const ctx = core.context(session)
    await checkMayWorkIn(ctx.db, staff, wanted)
    await inTransaction(ctx, (trx) => appendAudit(trx, isoNow(ctx), { staffId: staff.id, action: 'center.switch', targetType: 'center', targetId: wanted }))
    session.centerId = wanted
    await core.refreshCenterNames()
    return mine(call)
  },
  'centers.list': async (_input, { core, session }) => centersOverview(core.context(session).db),
  'centers.create': async (input, { core, session }) => {
    const made = await createCenter(core.context(session), input)
    core.centerRenamed(made.id, made.name)
    return made
  },
  'centers.rename': async (input, { core, session }) => {
    const renamed = await renameCenter(core.context(session), input)
    // This PC's windows in that center say the new name at once (the header, the kiosk, printed sheets).
    core.centerRenamed(renamed.id, renamed.name)
    return renamed
  },
  'centers.archive': async (input, { core, session }) => {
    await setCenterArchived(core.context(session), input)
    return null
  },
  'centers.grants': async (_input, { core, session }) => staffCenters(core.context(session).db),
  'centers.grant': async (input, { core, session }) => {
    await setStaffCenters(core.context(session), input)
    return null
  },
  'centers.setCountingRule': async (input, { core, session }) => setCountingRule(core.context(session), input),
  'centers.matches': async (_input, call) => listPersonMatches(call.core.context(call.session), staffOf(call)),
  'centers.confirmMatch': async (input, call) => confirmMatch(call.core.context(call.session), staffOf(call), input),
  'centers.dismissMatch': async (input, call) => {
    await dismissMatch(call.core.context(call.session), staffOf(call), input)
    return null
  },
  'centers.undoMatch': async (input, call) => {
    await undoMatch(call.core.context(call.session), staffOf(call), input)
    return null
  },
}

import { centerId, centersOfStaff, checkMayWorkIn, createCenter, listCenters, setStaffCenters } from '../../../db/services/centers'
import { appendAudit } from '../../../db/services/audit'
import { inTransaction, isoNow, ServiceError } from '../../../db/services/context'
import type { centersChannels, MyCenters } from '../contract/centers'
import type { CallContext, FeatureHandlers } from './types'

async function mine({ core, session }: CallContext): Promise<MyCenters> {
  const staff = session.staff
  if (!staff) throw new ServiceError('CONFLICT', 'door.signedOut')
  const ctx = core.context(session)
  const centers = await centersOfStaff(ctx.db, staff)
  const current = centers.find((c) => c.id === centerId(ctx)) ?? (await checkMayWorkIn(ctx.db, staff, centerId(ctx)))
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
    return mine(call)
  },
  'centers.list': async (_input, { core, session }) => listCenters(core.context(session).db),
  'centers.create': async (input, { core, session }) => createCenter(core.context(session), input),
  'centers.grant': async (input, { core, session }) => {
    await setStaffCenters(core.context(session), input)
    return null
  },
}

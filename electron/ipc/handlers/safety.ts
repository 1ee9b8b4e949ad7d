import { addCareFlag, checkInNotice, listCareFlags, removeCareFlag } from '../../../db/services/care-flags'
import { createRestriction, liftRestriction, listRestrictions } from '../../../db/services/restrictions'
import type { safetyChannels } from '../contract/safety'
import type { FeatureHandlers } from './types'

/** Restrictions and care flags: thin calls into db/ use cases; who may call which is in permissions.ts. */
export const safetyHandlers: FeatureHandlers<typeof safetyChannels> = {
  'safety.checkIn': async ({ participantId }, { core, session }) => checkInNotice(core.context(session), participantId),
  'restrictions.list': async ({ participantId }, { core, session }) => listRestrictions(core.context(session), participantId),
  'restrictions.create': async (input, { core, session }) => createRestriction(core.context(session), input),
  'restrictions.lift': async ({ id }, { core, session }) => liftRestriction(core.context(session), id),
  'careFlags.list': async ({ participantId }, { core, session }) => listCareFlags(core.context(session), participantId),
  'careFlags.add': async (input, { core, session }) => addCareFlag(core.context(session), input),
  'careFlags.remove': async ({ id }, { core, session }) => removeCareFlag(core.context(session), id),
}

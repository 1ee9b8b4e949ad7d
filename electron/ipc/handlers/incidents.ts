import { closeIncident, getIncident, listIncidents, startIncident, updateIncident, type Viewer } from '../../../db/services/incidents'
import { withRequest } from '../../../db/services/context'
import type { incidentsChannels } from '../contract/incidents'
import type { Session } from '../core'
import type { FeatureHandlers } from './types'

/** Who is asking: the door has already let only signed-in staff of the permitted roles through. */
function viewerOf(session: Session): Viewer {
  const staff = session.staff
  if (!staff) throw new Error('incident handlers need a signed-in staff member (the door checks this first)')
  return { staffId: staff.id, role: staff.role }
}

/** Incident reports: thin calls into db/services/incidents.ts, which decides whose reports each viewer reads. */
export const incidentsHandlers: FeatureHandlers<typeof incidentsChannels> = {
  'incidents.start': async ({ requestId, ...input }, { core, session }) => startIncident(withRequest(core.context(session), 'incidents.start', requestId), viewerOf(session), input),
  'incidents.update': async ({ id, ...details }, { core, session }) => updateIncident(core.context(session), viewerOf(session), id, details),
  'incidents.list': async (filter, { core, session }) => listIncidents(core.context(session), viewerOf(session), filter),
  'incidents.get': async ({ id }, { core, session }) => getIncident(core.context(session), viewerOf(session), id),
  'incidents.close': async ({ id, reviewNote }, { core, session }) => closeIncident(core.context(session), id, reviewNote),
}

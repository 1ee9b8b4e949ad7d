import { addService, listAllServices, reorderServices, retireService, updateService } from '../../../db/services/catalog'
import type { catalogChannels } from '../contract/catalog'
import type { FeatureHandlers } from './types'

/** The handlers for the service catalog: each a thin call into a db/ use case; input is already parsed. */
export const catalogHandlers: FeatureHandlers<typeof catalogChannels> = {
  'catalog.all': async (_input, { core, session }) => listAllServices(core.context(session)),
  'catalog.add': async (input, { core, session }) => addService(core.context(session), input),
  'catalog.update': async ({ id, ...names }, { core, session }) => updateService(core.context(session), id, names),
  'catalog.retire': async ({ id, retired }, { core, session }) => retireService(core.context(session), id, retired),
  'catalog.reorder': async ({ ids }, { core, session }) => reorderServices(core.context(session), ids),
}

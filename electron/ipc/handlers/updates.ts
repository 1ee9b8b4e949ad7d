import { getUpdateSettings, setUpdateSettings } from '../../../db/services/update-settings'
import type { updatesChannels } from '../contract/updates'
import type { FeatureHandlers } from './types'

/** An admin's update settings: stored in the database (audited), then applied to main's updater. */
export const updatesHandlers: FeatureHandlers<typeof updatesChannels> = {
  'updates.settings': async (_input, { core, session }) => ({ settings: await getUpdateSettings(core.context(session).db), status: core.updates.status() }),
  'updates.save': async (input, { core, session }) => {
    const settings = await setUpdateSettings(core.context(session), { enabled: input.enabled, url: input.url || null })
    core.updates.configure(settings)
    return { settings, status: core.updates.status() }
  },
  'updates.check': async (_input, { core, session }) => ({ settings: await getUpdateSettings(core.context(session).db), status: await core.updates.checkNow() }),
}

import type { ChannelName } from '../channels'
import { aboutHandlers } from './about'
import { updatesHandlers } from './updates'
import { appHandlers } from './app'
import { assessmentsHandlers } from './assessments'
import { backupsHandlers } from './backups'
import { catalogHandlers } from './catalog'
import { centersHandlers } from './centers'
import { coachingHandlers } from './coaching'
import { directoryHandlers } from './directory'
import { groupsHandlers } from './groups'
import { kioskHandlers } from './kiosk'
import { participantsHandlers } from './participants'
import { printingHandlers } from './printing'
import { recordsHandlers } from './records'
import { referralsHandlers } from './referrals'
import { reportsHandlers } from './reports'
import { incidentsHandlers } from './incidents'
import { safetyHandlers } from './safety'
import { staffHandlers } from './staff'
import type { Handler } from './types'
import { visitsHandlers } from './visits'
import { workforceHandlers } from './workforce'

export type { CallContext, Handler } from './types'
export { SEARCH_AUDIT_WINDOW_MS } from './participants'

/** One handler per channel, each in its feature's file beside the feature's contract. */
export const handlers: { readonly [C in ChannelName]: Handler<C> } = {
  ...appHandlers,
  ...aboutHandlers,
  ...updatesHandlers,
  ...participantsHandlers,
  ...visitsHandlers,
  ...catalogHandlers,
  ...backupsHandlers,
  ...kioskHandlers,
  ...staffHandlers,
  ...referralsHandlers,
  ...directoryHandlers,
  ...assessmentsHandlers,
  ...reportsHandlers,
  ...groupsHandlers,
  ...coachingHandlers,
  ...safetyHandlers,
  ...incidentsHandlers,
  ...workforceHandlers,
  ...recordsHandlers,
  ...printingHandlers,
  ...centersHandlers,
}

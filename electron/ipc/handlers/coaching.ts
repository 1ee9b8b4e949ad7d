import { caseload } from '../../../db/services/caseload'
import {
  changeMeeting,
  coachingRecord,
  coachOf,
  linkContact,
  listCoaches,
  logContact,
  renewEngagement,
  scheduleMeetings,
  setEngagementStatus,
  startEngagement,
  transferEngagement,
  updateEngagement,
  warmlineCalls,
} from '../../../db/services/coaching'
import { saveGoal, saveStep } from '../../../db/services/coaching-plan'
import { planSheet } from '../../../db/services/coaching-print'
import { coachingSettings, saveCoachingSettings } from '../../../db/services/coaching-settings'
import { ServiceError, withRequest } from '../../../db/services/context'
import type { coachingChannels } from '../contract/coaching'
import type { FeatureHandlers } from './types'

/** The handlers for peer coaching: thin calls into db/ use cases; input is already parsed, the role already checked. */
export const coachingHandlers: FeatureHandlers<typeof coachingChannels> = {
  'coaching.coaches': async (_input, { core, session }) => listCoaches(core.context(session)),
  'coaching.get': async ({ participantId }, { core, session }) => coachingRecord(core.context(session), participantId),
  'coaching.coachOf': async ({ participantId }, { core, session }) => coachOf(core.context(session), participantId),
  'coaching.caseload': async ({ coachId }, { core, session }) => {
    const staff = session.staff!
    // A peer specialist sees their own caseload; managers (and the admin) see any coach's, or all.
    if (staff.role === 'peer_specialist') {
      if (coachId !== undefined && coachId !== staff.id) throw new ServiceError('FORBIDDEN', 'coaching.notYours')
      return caseload(core.context(session), staff.id)
    }
    return caseload(core.context(session), coachId ?? null)
  },
  'coaching.start': async (input, { core, session }) => startEngagement(core.context(session), input),
  'coaching.update': async (input, { core, session }) => updateEngagement(core.context(session), input),
  'coaching.setStatus': async (input, { core, session }) => setEngagementStatus(core.context(session), input),
  'coaching.renew': async (input, { core, session }) => renewEngagement(core.context(session), input),
  'coaching.transfer': async (input, { core, session }) => transferEngagement(core.context(session), input),
  'coaching.schedule': async (input, { core, session }) => scheduleMeetings(core.context(session), input),
  'coaching.meeting': async (input, { core, session }) => changeMeeting(core.context(session), input),
  'coaching.logContact': async ({ requestId, ...input }, { core, session }) => logContact(withRequest(core.context(session), 'coaching.logContact', requestId), input),
  'coaching.warmline': async (_input, { core, session }) => warmlineCalls(core.context(session)),
  'coaching.linkContact': async (input, { core, session }) => linkContact(core.context(session), input),
  'coaching.saveGoal': async (input, { core, session }) => saveGoal(core.context(session), input),
  'coaching.saveStep': async (input, { core, session }) => saveStep(core.context(session), input),
  'coaching.planSheet': async (input, { core, session }) => planSheet(core.context(session), input),
  'coaching.settings': async (_input, { core, session }) => coachingSettings(core.context(session).db),
  'coaching.saveSettings': async (input, { core, session }) => saveCoachingSettings(core.context(session), input),
}

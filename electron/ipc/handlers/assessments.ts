import { createAssessment, listAssessments, voidAssessment } from '../../../db/services/assessments'
import { withRequest } from '../../../db/services/context'
import type { assessmentsChannels } from '../contract/assessments'
import type { FeatureHandlers } from './types'

/** The handlers for recovery capital (BARC-10): each a thin call into a db/ use case; input is already parsed. */
export const assessmentsHandlers: FeatureHandlers<typeof assessmentsChannels> = {
  'assessments.list': async ({ participantId }, { core, session }) => listAssessments(core.context(session), participantId),
  'assessments.create': async ({ requestId, ...input }, { core, session }) => createAssessment(withRequest(core.context(session), 'assessments.create', requestId), input),
  'assessments.void': async ({ id, reason }, { core, session }) => voidAssessment(core.context(session), id, reason),
}

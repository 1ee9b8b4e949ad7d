import { referralSummary } from '../../../db/services/referral-summary'
import { listAgencies, saveAgency, setAgencyActive } from '../../../db/services/agencies'
import { createConsent, listConsents, revokeConsent } from '../../../db/services/consents'
import { listReferralRequests } from '../../../db/services/referral-requests'
import { withRequest } from '../../../db/services/context'
import { createReferral, getReferral, listReferrals, updateReferral } from '../../../db/services/referrals'
import type { referralsChannels } from '../contract/referrals'
import type { FeatureHandlers } from './types'

/** The handlers for referrals, consents and the agency directory: each a thin call into a db/ use case; input is already parsed. */
export const referralsHandlers: FeatureHandlers<typeof referralsChannels> = {
  'agencies.list': async ({ includeInactive }, { core, session }) => listAgencies(core.context(session), { includeInactive }),
  'agencies.save': async (input, { core, session }) => saveAgency(core.context(session), input),
  'agencies.setActive': async ({ id, active, version }, { core, session }) => setAgencyActive(core.context(session), id, active, version),
  // Reads of consents and referrals are audited inside the use cases, in the read's transaction.
  'consents.list': async ({ participantId }, { core, session }) => listConsents(core.context(session), participantId),
  'consents.create': async ({ requestId, ...input }, { core, session }) => createConsent(withRequest(core.context(session), 'consents.create', requestId), input),
  'consents.revoke': async ({ id, note }, { core, session }) => revokeConsent(core.context(session), id, note),
  'referrals.requests': async (_input, { core, session }) => listReferralRequests(core.context(session)),
  'referrals.list': async ({ offset, limit, filter }, { core, session }) => listReferrals(core.context(session), filter, offset, limit),
  'referrals.get': async ({ id }, { core, session }) => getReferral(core.context(session), id),
  'referrals.summary': async ({ id }, { core, session }) => referralSummary(core.context(session), id),
  'referrals.create': async ({ requestId, ...input }, { core, session }) => createReferral(withRequest(core.context(session), 'referrals.create', requestId), input),
  'referrals.update': async ({ id, ...change }, { core, session }) => updateReferral(core.context(session), id, change),
}

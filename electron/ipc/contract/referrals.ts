import { z } from 'zod'
import { CONSENT_INFORMATION, REFERRAL_STATUSES, REFERRAL_TYPES } from '../../../db/types'
import type { Agency, Consent, ReferralDetails, ReferralPage, ReferralRequest, ReferralSummary } from '../../../db/types'
import { channel, confirmed, day, id, optionalText, phone, requestId, requiredText, rowVersion, says } from './common'

/** Referrals, consents to share (42 CFR Part 2) and the agency directory. */
export const referralType = z.enum(REFERRAL_TYPES)

export const referralStatus = z.enum(REFERRAL_STATUSES)

export const agencyInput = z
  .object({
    name: requiredText(120),
    types: z.array(referralType).min(1, says('agencies.typesRequired')).max(REFERRAL_TYPES.length),
    contactName: optionalText(120),
    phone,
    email: z
      .string()
      .max(200)
      .refine((text) => text.trim() === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim()), says('input.email'))
      .transform((text) => text.trim() || null)
      .nullable()
      .optional(),
    address: optionalText(300),
    website: optionalText(300),
    hours: optionalText(300),
    notes: optionalText(1000),
    verifiedOn: day().nullable().optional(),
  })
  .strict()

export const consentInput = z
  .object({
    participantId: id(),
    agencyId: id(),
    purpose: requiredText(300),
    information: z
      .array(z.enum(CONSENT_INFORMATION))
      .min(1, says('consents.information'))
      .max(CONSENT_INFORMATION.length),
    signedOn: day(),
    expiresOn: day(),
  })
  .strict()

export const referralsChannels = {
  // Referrals, consents to share (42 CFR Part 2) and the agency directory.
  'agencies.list': channel<Agency[]>()({ input: z.object({ includeInactive: z.boolean().optional() }).strict() }),
  // The agency's version as the form read it: a save over another PC's is refused (STALE).
  'agencies.save': channel<Agency>()({ input: agencyInput.extend({ id: id().optional(), version: rowVersion().optional() }) }),
  'agencies.setActive': channel<Agency>()({
    input: z.object({ id: id(), active: z.boolean(), version: rowVersion().optional() }).strict(),
  }),
  'consents.list': channel<Consent[]>()({ input: z.object({ participantId: id() }).strict() }),
  // Made once however often it is sent: the screen's request id (0050).
  'consents.create': channel<Consent>()({ input: consentInput.extend({ requestId: requestId().optional() }) }),
  'consents.revoke': channel<Consent>()({ input: z.object({ id: id(), note: optionalText(300), confirm: confirmed }).strict() }),
  /** People who asked for a referral at the desk and have none since. */
  'referrals.requests': channel<ReferralRequest[]>()({ input: z.object({}).strict() }),
  'referrals.list': channel<ReferralPage>()({
    input: z
      .object({
        offset: z.number().int().min(0).max(10_000_000),
        limit: z.number().int().min(1).max(500),
        filter: z
          .object({
            view: z.enum(['open', 'due', 'closed', 'all']).optional(),
            type: referralType.optional(),
            agencyId: id().optional(),
            participantId: id().optional(),
          })
          .strict(),
      })
      .strict(),
  }),
  'referrals.get': channel<ReferralDetails>()({ input: z.object({ id: id() }).strict() }),
  /** What the consent lets go to the agency, to print; recorded as a disclosure. */
  'referrals.summary': channel<ReferralSummary>()({ input: z.object({ id: id() }).strict() }),
  'referrals.create': channel<ReferralDetails>()({
    input: z
      .object({
        participantId: id(),
        agencyId: id(),
        type: referralType,
        note: optionalText(500),
        referredOn: day().optional(),
        followUpOn: day().nullable().optional(),
        consentId: id().nullable().optional(),
        allowRecent: z.boolean().optional(),
        requestId: requestId().optional(),
      })
      .strict(),
  }),
  'referrals.update': channel<ReferralDetails>()({
    input: z
      .object({
        id: id(),
        status: referralStatus.optional(),
        followUpOn: day().nullable().optional(),
        note: optionalText(500),
        outcomeNote: optionalText(500),
        /** The referral's version as the dialog read it: an update over another PC's is refused (STALE). */
        version: rowVersion().optional(),
      })
      .strict(),
  }),
}

import { z } from 'zod'
import { CONSENT_INFORMATION, REFERRAL_STATUSES, REFERRAL_TYPES } from '../../../db/types'
import type { Agency, Consent, ReferralDetails, ReferralPage, ReferralRequest, ReferralSummary } from '../../../db/types'
import { channel, confirmed, optionalText, requiredText, id, phone, day } from './common'

/** Referrals, consents to share (42 CFR Part 2) and the agency directory. */
export const referralType = z.enum(REFERRAL_TYPES, { message: 'Choose what the referral is for.' })

export const referralStatus = z.enum(REFERRAL_STATUSES, { message: 'Choose a status.' })

export const agencyInput = z
  .object({
    name: requiredText(120, 'the agency’s name'),
    types: z.array(referralType).min(1, { message: 'Tick at least one kind of referral this agency takes.' }).max(REFERRAL_TYPES.length),
    contactName: optionalText(120),
    phone,
    email: z
      .string()
      .max(200, { message: 'Use at most 200 characters.' })
      .refine((text) => text.trim() === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim()), { message: 'Enter an email address like intake@agency.org.' })
      .transform((text) => text.trim() || null)
      .nullable()
      .optional(),
    address: optionalText(300),
    website: optionalText(300),
    hours: optionalText(300),
    notes: optionalText(1000),
    verifiedOn: day('the date the details were checked').nullable().optional(),
  })
  .strict()

export const consentInput = z
  .object({
    participantId: id('a person'),
    agencyId: id('the agency'),
    purpose: requiredText(300, 'what the information may be used for'),
    information: z
      .array(z.enum(CONSENT_INFORMATION, { message: 'Choose what may be shared.' }))
      .min(1, { message: 'Tick at least one kind of information that may be shared.' })
      .max(CONSENT_INFORMATION.length),
    signedOn: day('the date it was signed'),
    expiresOn: day('the date it ends'),
  })
  .strict()

export const referralsChannels = {
  // Referrals, consents to share (42 CFR Part 2) and the agency directory.
  'agencies.list': channel<Agency[]>()({ input: z.object({ includeInactive: z.boolean().optional() }).strict() }),
  'agencies.save': channel<Agency>()({ input: agencyInput.extend({ id: id('an agency').optional() }) }),
  'agencies.setActive': channel<Agency>()({
    input: z.object({ id: id('an agency'), active: z.boolean({ message: 'Say whether the agency is active.' }) }).strict(),
  }),
  'consents.list': channel<Consent[]>()({ input: z.object({ participantId: id('a person') }).strict() }),
  'consents.create': channel<Consent>()({ input: consentInput }),
  'consents.revoke': channel<Consent>()({ input: z.object({ id: id('a consent'), note: optionalText(300), confirm: confirmed }).strict() }),
  /** People who asked for a referral at the desk and have none since. */
  'referrals.requests': channel<ReferralRequest[]>()({ input: z.object({}).strict() }),
  'referrals.list': channel<ReferralPage>()({
    input: z
      .object({
        offset: z.number().int({ message: 'Enter a whole number.' }).min(0).max(10_000_000),
        limit: z.number().int({ message: 'Enter a whole number.' }).min(1).max(500, { message: 'At most 500 rows at a time.' }),
        filter: z
          .object({
            view: z.enum(['open', 'due', 'closed', 'all'], { message: 'Choose open, due, closed or all.' }).optional(),
            type: referralType.optional(),
            agencyId: id('an agency').optional(),
            participantId: id('a person').optional(),
          })
          .strict(),
      })
      .strict(),
  }),
  'referrals.get': channel<ReferralDetails>()({ input: z.object({ id: id('a referral') }).strict() }),
  /** What the consent lets go to the agency, to print; recorded as a disclosure. */
  'referrals.summary': channel<ReferralSummary>()({ input: z.object({ id: id('a referral') }).strict() }),
  'referrals.create': channel<ReferralDetails>()({
    input: z
      .object({
        participantId: id('a person'),
        agencyId: id('the agency'),
        type: referralType,
        note: optionalText(500),
        referredOn: day('the referral date').optional(),
        followUpOn: day('the follow-up date').nullable().optional(),
        consentId: id('a consent').nullable().optional(),
        allowRecent: z.boolean({ message: 'Say whether another referral this week is meant.' }).optional(),
      })
      .strict(),
  }),
  'referrals.update': channel<ReferralDetails>()({
    input: z
      .object({
        id: id('a referral'),
        status: referralStatus.optional(),
        followUpOn: day('the follow-up date').nullable().optional(),
        note: optionalText(500),
        outcomeNote: optionalText(500),
      })
      .strict(),
  }),
}

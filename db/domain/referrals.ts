export const REFERRAL_TYPES = ['treatment', 'detox', 'mat', 'housing', 'employment', 'transport', 'mental_health', 'other'] as const
export type ReferralType = (typeof REFERRAL_TYPES)[number]

/**
 * The pipeline, after findhelp's public statuses: three open steps, then one of several ways a
 * referral ends. Only 'got_help' counts as completed in reports.
 */
export const OPEN_REFERRAL_STATUSES = ['pending', 'needs_client_action', 'eligible'] as const
export const CLOSED_REFERRAL_STATUSES = [
  'got_help',
  'couldnt_contact',
  'not_eligible',
  'no_capacity',
  'couldnt_get_help',
  'no_longer_interested',
  'referred_elsewhere',
] as const
export const REFERRAL_STATUSES = [...OPEN_REFERRAL_STATUSES, ...CLOSED_REFERRAL_STATUSES] as const
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number]

export function isClosedStatus(status: ReferralStatus): boolean {
  return (CLOSED_REFERRAL_STATUSES as readonly string[]).includes(status)
}

/** The kinds of information a consent may allow to be shared (42 CFR Part 2: "how much and what kind"). */
export const CONSENT_INFORMATION = ['contact', 'attendance', 'referral_status', 'recovery_goals', 'substance_use'] as const
export type ConsentInformation = (typeof CONSENT_INFORMATION)[number]

/** 'active': may be relied on today; 'expired': past its date; 'revoked': withdrawn by the person. */
export type ConsentState = 'active' | 'expired' | 'revoked' | 'not_yet'

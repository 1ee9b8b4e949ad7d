/** Who may sign in to Porchlight, and what the desk is told about a person at the door. */
export const ROLES = ['front_desk', 'facilitator', 'peer_specialist', 'manager', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** 'not_on_site': may not be on site until a date. 'ask_manager': a manager sees the person before they sign in. */
export const RESTRICTION_KINDS = ['not_on_site', 'ask_manager'] as const
export type RestrictionKind = (typeof RESTRICTION_KINDS)[number]

export const CARE_FLAG_KINDS = ['interpreter', 'no_home_calls', 'allergy', 'wheelchair', 'other'] as const
export type CareFlagKind = (typeof CARE_FLAG_KINDS)[number]

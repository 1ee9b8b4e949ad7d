/** Incident reports' pure lists (issue 19), shared by db/ and the renderer. */
export const INCIDENT_KINDS = ['overdose', 'medical', 'behavioral', 'injury', 'property', 'police', 'other'] as const
export type IncidentKind = (typeof INCIDENT_KINDS)[number]

/** Kinds a funder wants within 24 hours: flagged critical unless the reporter says otherwise. */
export const CRITICAL_KINDS: readonly IncidentKind[] = ['overdose', 'medical', 'police']

export const OVERDOSE_OUTCOMES = ['responded', 'transported', 'declined'] as const
export type OverdoseOutcome = (typeof OVERDOSE_OUTCOMES)[number]

/** More naloxone doses than this on one person is a typo, not a response. */
export const MAX_NALOXONE_DOSES = 10
export const INCIDENT_SUMMARY_MAX = 200

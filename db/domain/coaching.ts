/** Peer coaching's lists that the screens offer as choices: where a person is in recovery, how they recover, how coach and person meet. */
export const RECOVERY_STAGES = ['contemplation', 'before_treatment', 'residential', 'outpatient', 'after_treatment', 'long_term'] as const
export type RecoveryStage = (typeof RECOVERY_STAGES)[number]

export const PATHWAYS = ['twelve_step', 'smart', 'medication', 'faith', 'harm_reduction', 'natural', 'other'] as const
export type Pathway = (typeof PATHWAYS)[number]

export const CONTACT_KINDS = ['in_person', 'phone', 'video', 'text', 'outreach', 'warmline'] as const
export type ContactKind = (typeof CONTACT_KINDS)[number]

export const MEETING_KINDS = ['in_person', 'phone', 'video'] as const
export type MeetingKind = (typeof MEETING_KINDS)[number]

export const LIFE_AREAS = ['housing', 'work_education', 'health', 'family_social', 'recovery_activities', 'meaning'] as const
export type LifeArea = (typeof LIFE_AREAS)[number]

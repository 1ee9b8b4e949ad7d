import type { ContactKind, LifeArea, MeetingKind, Pathway, RecoveryStage } from '../../../electron/ipc/contract'

// The renderer may not import db/, so the lists are repeated here; a missing one fails to compile.
export const RECOVERY_STAGES = ['contemplation', 'before_treatment', 'residential', 'outpatient', 'after_treatment', 'long_term'] as const satisfies readonly RecoveryStage[]
export const PATHWAYS = ['twelve_step', 'smart', 'medication', 'faith', 'harm_reduction', 'natural', 'other'] as const satisfies readonly Pathway[]
export const CONTACT_KINDS = ['in_person', 'phone', 'video', 'text', 'outreach', 'warmline'] as const satisfies readonly ContactKind[]
export const MEETING_KINDS = ['in_person', 'phone', 'video'] as const satisfies readonly MeetingKind[]
export const LIFE_AREAS = ['housing', 'work_education', 'health', 'family_social', 'recovery_activities', 'meaning'] as const satisfies readonly LifeArea[]

type _AllListed = [RecoveryStage, Pathway, ContactKind, MeetingKind, LifeArea] extends [
  (typeof RECOVERY_STAGES)[number],
  (typeof PATHWAYS)[number],
  (typeof CONTACT_KINDS)[number],
  (typeof MEETING_KINDS)[number],
  (typeof LIFE_AREAS)[number],
]
  ? true
  : never
export const allCoachingListsComplete: _AllListed = true

/**
 * Incident reports (issue 19): the pure lists and shapes the services return and the renderer
 * shows. No Node, no SQL.
 */

import type { IncidentKind, OverdoseOutcome } from './domain/incidents'

export { CRITICAL_KINDS, INCIDENT_KINDS, INCIDENT_SUMMARY_MAX, MAX_NALOXONE_DOSES, OVERDOSE_OUTCOMES } from './domain/incidents'
export type { IncidentKind, OverdoseOutcome }

/** Someone involved: a registered participant, a staff member, or someone anonymous (a few words). */
export interface IncidentPersonInput {
  participantId?: number | null
  staffId?: number | null
  description?: string | null
}

export interface IncidentPerson {
  participantId: number | null
  staffId: number | null
  /** The participant's or the staff member's name, or null for someone anonymous. */
  name: string | null
  code: string | null
  description: string | null
}

export interface IncidentChange {
  action: 'create' | 'update' | 'close'
  at: string
  staffName: string | null
  /** The fields that changed: before and after. */
  changes: Record<string, { before: unknown; after: unknown }>
}

export interface IncidentRow {
  id: number
  kind: IncidentKind
  occurredAt: string
  summary: string
  critical: boolean
  closed: boolean
  createdByName: string | null
}

export interface Incident extends IncidentRow {
  location: string | null
  naloxoneDoses: number | null
  emsCalled: boolean | null
  outcome: OverdoseOutcome | null
  narrative: string | null
  actionsTaken: string | null
  followUp: string | null
  reviewNote: string | null
  closedAt: string | null
  closedByName: string | null
  createdAt: string
  createdBy: number
  people: IncidentPerson[]
  history: IncidentChange[]
}

/** Safety figures for a range, under the reports' counting rules (db/services/reports/safety.ts). */
export interface SafetyFigures {
  /** Overdose responses on site, by the day they happened. */
  overdoseResponses: number
  /** Of those, naloxone given and the person came round (any recorded outcome). */
  reversals: number
  /** Naloxone doses given on site: not the kits handed out, which are a service. */
  naloxoneDoses: number
  incidentsByKind: { kind: IncidentKind; count: number }[]
  /** People under a restriction in force on the range's last counted day. */
  restrictionsInForce: number
}

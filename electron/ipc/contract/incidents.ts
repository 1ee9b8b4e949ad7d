import { z } from 'zod'
import { INCIDENT_KINDS, INCIDENT_SUMMARY_MAX, MAX_NALOXONE_DOSES, OVERDOSE_OUTCOMES } from '../../../db/incident-types'
import type { Incident, IncidentRow } from '../../../db/incident-types'
import { channel, id, instant, optionalText, requestId, says } from './common'

/** Incident reports (issue 19): started in one dialog under pressure, completed later, closed by a manager. */
const person = z
  .object({
    participantId: id().nullable().optional(),
    staffId: id().nullable().optional(),
    description: z.string().max(80, says('incidents.description')).nullable().optional(),
  })
  .strict()

const summary = z
  .string()
  .trim()
  .min(1, says('incidents.summary'))
  .max(INCIDENT_SUMMARY_MAX, says('incidents.summary'))
  .refine((text) => !/[\r\n]/.test(text), says('incidents.summary'))

const details = {
  kind: z.enum(INCIDENT_KINDS),
  occurredAt: instant(),
  summary,
  critical: z.boolean(),
  location: optionalText(120),
  naloxoneDoses: z.number(says('incidents.doses')).int(says('incidents.doses')).min(0, says('incidents.doses')).max(MAX_NALOXONE_DOSES, says('incidents.doses')).nullable(),
  emsCalled: z.boolean().nullable(),
  outcome: z.enum(OVERDOSE_OUTCOMES).nullable(),
  narrative: optionalText(4000),
  actionsTaken: optionalText(2000),
  followUp: optionalText(2000),
  people: z.array(person).max(20),
}

export const incidentStart = z
  .object({ ...details, occurredAt: details.occurredAt.optional(), critical: details.critical.optional(), naloxoneDoses: details.naloxoneDoses.optional(), emsCalled: details.emsCalled.optional(), outcome: details.outcome.optional(), people: details.people.optional(), requestId: requestId().optional() })
  .strict()

export const incidentUpdate = z
  .object({
    id: id(),
    kind: details.kind.optional(),
    occurredAt: details.occurredAt.optional(),
    summary: summary.optional(),
    critical: details.critical.optional(),
    location: details.location,
    naloxoneDoses: details.naloxoneDoses.optional(),
    emsCalled: details.emsCalled.optional(),
    outcome: details.outcome.optional(),
    narrative: details.narrative,
    actionsTaken: details.actionsTaken,
    followUp: details.followUp,
    people: details.people.optional(),
  })
  .strict()

export const incidentsChannels = {
  /** Anyone signed in starts one; the door and the service keep each role to what it may read. */
  'incidents.start': channel<Incident>()({ input: incidentStart }),
  'incidents.update': channel<Incident>()({ input: incidentUpdate }),
  /** Managers and admins: all reports; everyone else: the reports they wrote. */
  'incidents.list': channel<IncidentRow[]>()({ input: z.object({ open: z.boolean().optional() }).strict() }),
  'incidents.get': channel<Incident>()({ input: z.object({ id: id() }).strict() }),
  /** A manager's review closes the report, once. */
  'incidents.close': channel<Incident>()({ input: z.object({ id: id(), reviewNote: z.string().trim().min(3, says('incidents.reviewNote')).max(2000) }).strict() }),
}

import { z } from 'zod'
import {
  CONTACT_KINDS,
  ENGAGEMENT_STATUSES,
  LIFE_AREAS,
  MEETING_KINDS,
  PATHWAYS,
  PLAN_PROGRESS,
  RECOVERY_STAGES,
  type Caseload,
  type CoachOf,
  type CoachRef,
  type CoachingRecord,
  type CoachingSettings,
  type Contact,
  type Engagement,
  type Meeting,
  type PlanGoal,
  type PlanSheet,
} from '../../../db/coaching-types'
import { channel, day, id, optionalText, reason, requestId, requiredText, says } from './common'

/** Peer coaching: engagements, meetings and contacts, the recovery plan, caseloads. */
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, says('input.time'))
const stage = z.enum(RECOVERY_STAGES)
const pathways = z.array(z.enum(PATHWAYS)).max(PATHWAYS.length)
const progress = z.enum(PLAN_PROGRESS)
const topic = z.string().trim().min(1).max(60)

export const coachingChannels = {
  'coaching.coaches': channel<CoachRef[]>()({ input: z.object({}).strict() }),
  'coaching.get': channel<CoachingRecord>()({ input: z.object({ participantId: id() }).strict() }),
  /** The front desk's view: only whether the person has a coach, and who. */
  'coaching.coachOf': channel<CoachOf>()({ input: z.object({ participantId: id() }).strict() }),
  /** A peer specialist's own caseload; a manager's for one coach, or every coach's when coachId is left out. */
  'coaching.caseload': channel<Caseload>()({ input: z.object({ coachId: id().optional() }).strict() }),
  'coaching.start': channel<Engagement>()({
    input: z
      .object({
        participantId: id(),
        coachId: id(),
        backupId: id().nullable().optional(),
        startedOn: day().optional(),
        plannedDays: z.number().int().min(1).max(3650).optional(),
        stage,
        pathways,
      })
      .strict(),
  }),
  'coaching.update': channel<Engagement>()({
    input: z.object({ engagementId: id(), stage: stage.optional(), pathways: pathways.optional(), backupId: id().nullable().optional() }).strict(),
  }),
  'coaching.setStatus': channel<Engagement>()({ input: z.object({ engagementId: id(), status: z.enum(ENGAGEMENT_STATUSES), reason }).strict() }),
  'coaching.renew': channel<Engagement>()({ input: z.object({ engagementId: id(), days: z.number().int().min(1).max(730) }).strict() }),
  'coaching.transfer': channel<Engagement>()({ input: z.object({ engagementId: id(), coachId: id(), reason }).strict() }),
  'coaching.schedule': channel<Meeting[]>()({
    input: z
      .object({
        engagementId: id(),
        date: day(),
        time,
        kind: z.enum(MEETING_KINDS),
        repeat: z.object({ intervalWeeks: z.number().int().min(1).max(4), until: day() }).strict().nullable().optional(),
      })
      .strict(),
  }),
  'coaching.meeting': channel<Meeting>()({ input: z.object({ meetingId: id(), status: z.enum(['missed', 'cancelled']), reason }).strict() }),
  'coaching.logContact': channel<Contact>()({
    input: z
      .object({
        participantId: id().nullable(),
        engagementId: id().nullable().optional(),
        meetingId: id().nullable().optional(),
        callerLabel: optionalText(80),
        contactOn: day(),
        // Checked again in main against a day's length, with its own sentence.
        minutes: z.number().int().min(1).max(100_000),
        kind: z.enum(CONTACT_KINDS),
        topics: z.array(topic).max(30),
        note: optionalText(1000),
        nextSteps: optionalText(500),
        requestId: requestId().optional(),
      })
      .strict(),
  }),
  'coaching.warmline': channel<Contact[]>()({ input: z.object({}).strict() }),
  'coaching.linkContact': channel<Contact>()({ input: z.object({ contactId: id(), participantId: id() }).strict() }),
  'coaching.saveGoal': channel<PlanGoal[]>()({
    input: z
      .object({ id: id().optional(), participantId: id(), area: z.enum(LIFE_AREAS), title: requiredText(200), setOn: day().optional(), progress: progress.optional() })
      .strict(),
  }),
  'coaching.saveStep': channel<PlanGoal[]>()({
    input: z.object({ id: id().optional(), goalId: id(), text: requiredText(300), targetOn: day().nullable().optional(), progress: progress.optional() }).strict(),
  }),
  /** The plan on paper for the person to take home, in the language they read (audited). */
  'coaching.planSheet': channel<PlanSheet>()({ input: z.object({ participantId: id(), language: z.enum(['en', 'es']) }).strict() }),
  'coaching.settings': channel<CoachingSettings>()({ input: z.object({}).strict() }),
  'coaching.saveSettings': channel<CoachingSettings>()({
    input: z
      .object({
        plannedDays: z.number().int().min(7).max(730),
        staleAfterDays: z.number().int().min(1).max(365),
        nearingEndDays: z.number().int().min(1).max(365),
        topics: z.array(topic).min(1).max(60),
      })
      .strict(),
  }),
}

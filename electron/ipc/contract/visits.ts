import { z } from 'zod'
import type { AnonymousCodeSummary, AutoClose, CatalogService, TodayVisit } from '../../../db/types'
import { channel, noInput, optionalText, id, serviceLines, instant, reason, anonymousCode } from './common'

/** Visits at the front desk: sign-in and out, today's board, corrections, anonymous codes. */
export const visitsChannels = {
  'catalog.services': channel<CatalogService[]>()({ input: noInput }),
  'visits.signIn': channel<TodayVisit>()({
    input: z
      .object({
        participantId: z.number().int().positive().nullable(),
        anonymousCode: anonymousCode.nullable().optional(),
        services: z
          .array(
            z
              .object({
                serviceId: z.number().int().positive(),
                quantity: z.number().int().min(1).max(99),
              })
              .strict(),
          )
          .max(50),
        note: optionalText(500),
        allowRepeat: z.boolean().optional(),
        /** A manager or admin signs in a person who needs a manager first (the door refuses it to other roles). */
        managerOverride: z.boolean().optional(),
      })
      .strict(),
  }),
  'visits.today': channel<TodayVisit[]>()({
    input: z
      .object({
        status: z.enum(['here', 'left', 'all']).optional(),
        serviceId: id().optional(),
      })
      .strict(),
  }),
  'visits.anonymousCodes': channel<AnonymousCodeSummary[]>()({
    input: z.object({ prefix: anonymousCode }).strict(),
  }),
  'visits.signOut': channel<TodayVisit>()({ input: z.object({ visitId: id() }).strict() }),
  'visits.signOutAll': channel<{ count: number }>()({ input: z.object({ at: instant().optional() }).strict() }),
  /** Today's closing time (ISO): End of day proposes it when pressed after closing. */
  'visits.closingTime': channel<{ closesAt: string }>()({ input: noInput }),
  /** Visits left open on earlier days that Porchlight closed today, for the desk's notice. */
  'visits.autoClosed': channel<AutoClose | null>()({ input: noInput }),
  'visits.update': channel<TodayVisit>()({
    input: z
      .object({
        visitId: id(),
        services: serviceLines,
        note: optionalText(500),
        signedInAt: instant().optional(),
        signedOutAt: instant().nullable().optional(),
        reason,
      })
      .strict(),
  }),
  'visits.void': channel<null>()({ input: z.object({ visitId: id(), reason }).strict() }),
}

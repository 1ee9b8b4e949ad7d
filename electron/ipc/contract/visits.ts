import { z } from 'zod'
import type { AnonymousCodeSummary, CatalogService, TodayVisit } from '../../../db/types'
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
                quantity: z.number().int().min(1, { message: 'At least 1.' }).max(99, { message: 'At most 99.' }),
              })
              .strict(),
          )
          .max(50),
        note: optionalText(500),
        allowRepeat: z.boolean().optional(),
      })
      .strict(),
  }),
  'visits.today': channel<TodayVisit[]>()({
    input: z
      .object({
        status: z.enum(['here', 'left', 'all'], { message: 'Choose here, left or all.' }).optional(),
        serviceId: id('a service').optional(),
      })
      .strict(),
  }),
  'visits.anonymousCodes': channel<AnonymousCodeSummary[]>()({
    input: z.object({ prefix: anonymousCode }).strict(),
  }),
  'visits.signOut': channel<TodayVisit>()({ input: z.object({ visitId: id('a visit') }).strict() }),
  'visits.signOutAll': channel<{ count: number }>()({ input: noInput }),
  'visits.update': channel<TodayVisit>()({
    input: z
      .object({
        visitId: id('a visit'),
        services: serviceLines,
        note: optionalText(500),
        signedInAt: instant('the sign-in time').optional(),
        signedOutAt: instant('the sign-out time').nullable().optional(),
        reason,
      })
      .strict(),
  }),
  'visits.void': channel<null>()({ input: z.object({ visitId: id('a visit'), reason }).strict() }),
}

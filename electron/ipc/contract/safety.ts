import { z } from 'zod'
import { CARE_FLAG_KINDS, RESTRICTION_KINDS } from '../../../db/types'
import type { CareFlag, CheckInNotice, Restriction } from '../../../db/types'
import { channel, day, id, says } from './common'

/** Safety at the door (issue 19): restrictions a manager records, care flags the desk sees at check-in. */
const participant = z.object({ participantId: id() }).strict()

export const restrictionInput = z
  .object({
    participantId: id(),
    kind: z.enum(RESTRICTION_KINDS),
    reason: z.string().trim().min(3, says('restrictions.reason')).max(500),
    startsOn: day().optional(),
    endsOn: day().nullable().optional(),
  })
  .strict()

export const careFlagInput = z
  .object({
    participantId: id(),
    kind: z.enum(CARE_FLAG_KINDS),
    note: z
      .string()
      .max(80, says('careFlags.oneLine'))
      .refine((text) => !/[\r\n]/.test(text), says('careFlags.oneLine'))
      .transform((text) => text.trim() || null)
      .nullable()
      .optional(),
  })
  .strict()

export const safetyChannels = {
  /** What the desk sees at check-in: ask a manager or not, and the care flags; never a reason. */
  'safety.checkIn': channel<CheckInNotice>()({ input: participant }),
  /** Restrictions with their reasons: managers and admins only. */
  'restrictions.list': channel<Restriction[]>()({ input: participant }),
  'restrictions.create': channel<Restriction>()({ input: restrictionInput }),
  'restrictions.lift': channel<Restriction>()({ input: z.object({ id: id() }).strict() }),
  'careFlags.list': channel<CareFlag[]>()({ input: participant }),
  'careFlags.add': channel<CareFlag[]>()({ input: careFlagInput }),
  'careFlags.remove': channel<CareFlag[]>()({ input: z.object({ id: id() }).strict() }),
}

import { z } from 'zod'
import { BARC10_ITEMS, BARC10_MAX, BARC10_MIN } from '../../../db/types'
import type { Assessment } from '../../../db/types'
import { channel, day, id, optionalText, reason, requestId, says } from './common'

/** Recovery capital (BARC-10). */
export const assessmentsChannels = {
  'assessments.list': channel<Assessment[]>()({ input: z.object({ participantId: id() }).strict() }),
  'assessments.create': channel<Assessment>()({
    input: z
      .object({
        participantId: id(),
        takenOn: day().optional(),
        answers: z
          .array(
            z
              .number(says('input.answer'))
              .int(says('input.answer'))
              .min(BARC10_MIN, says('input.answer'))
              .max(BARC10_MAX, says('input.answer')),
          )
          .length(BARC10_ITEMS, says('input.answerAll')),
        note: optionalText(500),
        /** Taken at this coaching contact (a meeting): the contact is linked to it. */
        contactId: id().optional(),
        /** Recorded once however often it is sent (0050). */
        requestId: requestId().optional(),
      })
      .strict(),
  }),
  'assessments.void': channel<Assessment>()({ input: z.object({ id: id(), reason }).strict() }),
}

import { z } from 'zod'
import { BARC10_ITEMS, BARC10_MAX, BARC10_MIN } from '../../../db/types'
import type { Assessment } from '../../../db/types'
import { channel, optionalText, id, reason, day } from './common'

/** Recovery capital (BARC-10). */
export const assessmentsChannels = {
  'assessments.list': channel<Assessment[]>()({ input: z.object({ participantId: id('a person') }).strict() }),
  'assessments.create': channel<Assessment>()({
    input: z
      .object({
        participantId: id('a person'),
        takenOn: day('the date it was taken').optional(),
        answers: z
          .array(
            z
              .number({ message: 'Choose an answer.' })
              .int({ message: 'Choose an answer.' })
              .min(BARC10_MIN, { message: 'Choose an answer.' })
              .max(BARC10_MAX, { message: 'Choose an answer.' }),
          )
          .length(BARC10_ITEMS, { message: `Answer all ${BARC10_ITEMS} statements.` }),
        note: optionalText(500),
      })
      .strict(),
  }),
  'assessments.void': channel<Assessment>()({ input: z.object({ id: id('an assessment'), reason }).strict() }),
}

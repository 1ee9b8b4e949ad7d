import { z } from 'zod'
import { HOUSING_STATUSES, VETERAN_STATUSES } from '../../../db/types'
import type { DuplicateCandidate, FieldRules, MergeRecord, ParticipantDetails, ParticipantField, ParticipantListPage, ParticipantProfile, ParticipantSummary } from '../../../db/types'
import { channel, noInput, optionalText, id, birthYear, birthDate, phone } from './common'

/** People: registration, search, duplicates, profiles and their edits, the list, merges, the center's field rules. */
/** Every field a participant record can hold besides its name; which ones a center uses is its field rules. */
export const participantFields = {
  lastName: optionalText(60),
  birthYear: birthYear.nullable().optional(),
  birthDate,
  phone,
  pronouns: optionalText(40),
  gender: optionalText(60),
  raceEthnicity: optionalText(120),
  veteranStatus: z.enum(VETERAN_STATUSES, { message: 'Choose yes, no or declined.' }).nullable().optional(),
  housingStatus: z.enum(HOUSING_STATUSES, { message: 'Choose one of the housing answers.' }).nullable().optional(),
  preferredLanguage: optionalText(40),
  heardAbout: optionalText(200),
  emergencyContactName: optionalText(120),
  emergencyContactPhone: phone,
}

export const participantInput = z
  .object({
    firstName: optionalText(60),
    nickname: optionalText(60),
    ...participantFields,
  })
  .strict()
  .refine((p) => Boolean(p.firstName || p.nickname), {
    message: 'Enter a first name or a nickname.',
    path: ['firstName'],
  })

/** A partial update: fields left out stay as they are; null (or '') clears a field. */
export const participantUpdateInput = z
  .object({
    id: id('a person'),
    firstName: optionalText(60),
    nickname: optionalText(60),
    ...participantFields,
  })
  .strict()

export const fieldRule = z.enum(['hidden', 'optional', 'required'], { message: 'Choose hidden, optional or required.' })

export const participantsChannels = {
  'participants.search': channel<ParticipantSummary[]>()({
    input: z
      .object({
        text: z.string().max(100, { message: 'Search for at most 100 characters.' }),
        limit: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
  }),
  'participants.create': channel<ParticipantSummary>()({ input: participantInput }),
  'settings.fieldRules': channel<FieldRules>()({ input: noInput }),
  'settings.setFieldRules': channel<FieldRules>()({
    input: z
      .object({
        // Fields left out keep their current rule.
        rules: z
          .object({
            lastName: fieldRule.optional(),
            birthDate: fieldRule.optional(),
            birthYear: fieldRule.optional(),
            phone: fieldRule.optional(),
            pronouns: fieldRule.optional(),
            gender: fieldRule.optional(),
            raceEthnicity: fieldRule.optional(),
            veteranStatus: fieldRule.optional(),
            housingStatus: fieldRule.optional(),
            preferredLanguage: fieldRule.optional(),
            heardAbout: fieldRule.optional(),
            emergencyContact: fieldRule.optional(),
          } satisfies Record<ParticipantField, unknown>)
          .strict(),
      })
      .strict(),
  }),
  'participants.checkDuplicates': channel<DuplicateCandidate[]>()({
    input: z
      .object({
        firstName: optionalText(60),
        nickname: optionalText(60),
        lastName: optionalText(60),
        birthYear: birthYear.nullable().optional(),
        birthDate,
        phone,
      })
      .strict(),
  }),
  'participants.get': channel<ParticipantProfile>()({ input: z.object({ id: id('a person') }).strict() }),
  'participants.update': channel<ParticipantDetails>()({ input: participantUpdateInput }),
  'participants.list': channel<ParticipantListPage>()({
    input: z
      .object({
        offset: z.number().int({ message: 'Enter a whole number.' }).min(0).max(10_000_000),
        limit: z.number().int({ message: 'Enter a whole number.' }).min(1).max(500, { message: 'At most 500 rows at a time.' }),
        sort: z
          .object({
            column: z.enum(['name', 'lastVisit', 'created', 'visits', 'birthYear'], { message: 'Choose a column to sort by.' }),
            direction: z.enum(['asc', 'desc'], { message: 'Choose ascending or descending.' }),
          })
          .strict()
          .optional(),
        filter: z
          .object({
            text: z.string().max(100, { message: 'Search for at most 100 characters.' }).optional(),
            visitedSince: z.iso.date({ message: 'Enter a date like 2026-01-31.' }).optional(),
            neverVisited: z.boolean().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
  }),
  'participants.merge': channel<MergeRecord>()({
    input: z
      .object({
        keepId: id('the record to keep'),
        mergeId: id('the record to merge'),
        note: optionalText(500),
      })
      .strict()
      .refine((input) => input.keepId !== input.mergeId, { message: 'Choose two different records.', path: ['mergeId'] }),
  }),
  'participants.undoMerge': channel<MergeRecord>()({ input: z.object({ mergeId: id('a merge') }).strict() }),
}

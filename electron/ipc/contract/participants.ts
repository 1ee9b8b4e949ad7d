import { z } from 'zod'
import { HOUSING_STATUSES, VETERAN_STATUSES } from '../../../db/types'
import type { DuplicateCandidate, FieldRules, MergeRecord, ParticipantDetails, ParticipantField, ParticipantListPage, ParticipantProfile, ParticipantSummary } from '../../../db/types'
import { birthDate, birthYear, channel, id, noInput, optionalText, phone, rowVersion, says } from './common'

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
  veteranStatus: z.enum(VETERAN_STATUSES, says('participants.veteranStatus')).nullable().optional(),
  housingStatus: z.enum(HOUSING_STATUSES, says('participants.housingStatus')).nullable().optional(),
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
    ...says('participants.nameRequired'),
    path: ['firstName'],
  })

/** A partial update: fields left out stay as they are; null (or '') clears a field. */
export const participantUpdateInput = z
  .object({
    id: id(),
    firstName: optionalText(60),
    nickname: optionalText(60),
    ...participantFields,
    /** The record's version as the form read it: a save over another PC's is refused (STALE). */
    version: rowVersion().optional(),
  })
  .strict()

export const fieldRule = z.enum(['hidden', 'optional', 'required'], says('fieldRules.choose'))

export const participantsChannels = {
  'participants.search': channel<ParticipantSummary[]>()({
    input: z
      .object({
        text: z.string().max(100),
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
  'participants.get': channel<ParticipantProfile>()({ input: z.object({ id: id() }).strict() }),
  'participants.update': channel<ParticipantDetails>()({ input: participantUpdateInput }),
  'participants.list': channel<ParticipantListPage>()({
    input: z
      .object({
        offset: z.number().int().min(0).max(10_000_000),
        limit: z.number().int().min(1).max(500),
        sort: z
          .object({
            column: z.enum(['name', 'lastVisit', 'created', 'visits', 'birthYear']),
            direction: z.enum(['asc', 'desc']),
          })
          .strict()
          .optional(),
        filter: z
          .object({
            text: z.string().max(100).optional(),
            visitedSince: z.iso.date(says('input.date')).optional(),
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
        keepId: id(),
        mergeId: id(),
        note: optionalText(500),
        /** The two records' versions as the dialog showed them: a merge over another PC's edit of either is refused (STALE). */
        keepVersion: rowVersion().optional(),
        mergeVersion: rowVersion().optional(),
      })
      .strict()
      .refine((input) => input.keepId !== input.mergeId, { ...says('merges.sameRecord'), path: ['mergeId'] }),
  }),
  'participants.undoMerge': channel<MergeRecord>()({ input: z.object({ mergeId: id() }).strict() }),
}

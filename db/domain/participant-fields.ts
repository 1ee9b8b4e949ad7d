/**
 * Optional participant fields a center can turn on, off or make compulsory. A first name or a
 * nickname is always required and so has no rule. `emergencyContact` governs both
 * `emergencyContactName` and `emergencyContactPhone` (required: both must be filled).
 * In the order the admin screen lists them.
 */
export const PARTICIPANT_FIELDS = [
  'lastName',
  'birthDate',
  'birthYear',
  'phone',
  'pronouns',
  'gender',
  'raceEthnicity',
  'veteranStatus',
  'housingStatus',
  'preferredLanguage',
  'heardAbout',
  'emergencyContact',
] as const
export type ParticipantField = (typeof PARTICIPANT_FIELDS)[number]

export const FIELD_RULES = ['hidden', 'optional', 'required'] as const
export type FieldRule = (typeof FIELD_RULES)[number]
export type FieldRules = Record<ParticipantField, FieldRule>

/** Fixed answers, so funder reports can count them. 'declined' is always an acceptable answer. */
export const VETERAN_STATUSES = ['yes', 'no', 'declined'] as const
export type VeteranStatus = (typeof VETERAN_STATUSES)[number]
export const HOUSING_STATUSES = ['housed', 'unstably_housed', 'sheltered', 'unsheltered', 'institution', 'declined'] as const
export type HousingStatus = (typeof HOUSING_STATUSES)[number]

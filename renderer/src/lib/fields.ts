import type { TFunction } from 'i18next'
import { zonedDay } from './zone'
import { HOUSING_STATUSES, PARTICIPANT_FIELDS, VETERAN_STATUSES } from '../../../db/domain'
import type { FieldRules, HousingStatus, ParticipantDetails, ParticipantField, VeteranStatus } from './types'
import * as rules from './validation'

/** The rule names, in the order the admin screen lists them: db's own list (db/domain), not a copy. */
export const FIELD_NAMES = PARTICIPANT_FIELDS

export type { FieldRule, FieldRules, ParticipantField } from './types'

/** The inputs a form shows, in the rules' order; the emergency contact rule governs two of them (name and phone). */
export type InputName = Exclude<ParticipantField, 'emergencyContact'> | 'emergencyContactName' | 'emergencyContactPhone'
export const INPUT_NAMES: readonly InputName[] = PARTICIPANT_FIELDS.flatMap((field): InputName[] =>
  field === 'emergencyContact' ? ['emergencyContactName', 'emergencyContactPhone'] : [field],
)

/**
 * How each input is asked for. 'suggest' offers common answers but keeps whatever is typed;
 * 'choice' is a fixed list (the contract accepts only those values).
 */
export type InputKind =
  | { kind: 'text'; max: number }
  | { kind: 'year' }
  | { kind: 'date' }
  | { kind: 'phone' }
  | { kind: 'suggest'; options: readonly string[]; max: number }
  | { kind: 'choice'; options: readonly string[] }

export const INPUTS: Record<InputName, { rule: ParticipantField; kind: InputKind }> = {
  lastName: { rule: 'lastName', kind: { kind: 'text', max: 60 } },
  birthDate: { rule: 'birthDate', kind: { kind: 'date' } },
  birthYear: { rule: 'birthYear', kind: { kind: 'year' } },
  phone: { rule: 'phone', kind: { kind: 'phone' } },
  pronouns: { rule: 'pronouns', kind: { kind: 'suggest', options: ['she_her', 'he_him', 'they_them'], max: 40 } },
  gender: { rule: 'gender', kind: { kind: 'suggest', options: ['woman', 'man', 'nonbinary', 'transgender', 'declined'], max: 60 } },
  raceEthnicity: {
    rule: 'raceEthnicity',
    kind: { kind: 'suggest', options: ['hispanic', 'black', 'white', 'native', 'asian', 'pacific', 'multiracial', 'declined'], max: 120 },
  },
  veteranStatus: { rule: 'veteranStatus', kind: { kind: 'choice', options: VETERAN_STATUSES } },
  housingStatus: { rule: 'housingStatus', kind: { kind: 'choice', options: HOUSING_STATUSES } },
  preferredLanguage: { rule: 'preferredLanguage', kind: { kind: 'suggest', options: ['english', 'spanish'], max: 40 } },
  heardAbout: {
    rule: 'heardAbout',
    kind: { kind: 'suggest', options: ['friend', 'treatment', 'court', 'hospital', 'outreach', 'online'], max: 200 },
  },
  emergencyContactName: { rule: 'emergencyContact', kind: { kind: 'text', max: 120 } },
  emergencyContactPhone: { rule: 'emergencyContact', kind: { kind: 'phone' } },
}

/** The inputs one rule governs, in form order. */
export function inputsOf(rule: ParticipantField): InputName[] {
  return INPUT_NAMES.filter((name) => INPUTS[name].rule === rule)
}

/** Every field shown, none required, until the rules arrive (or if they cannot be read). */
export const DEFAULT_RULES: FieldRules = Object.fromEntries(FIELD_NAMES.map((name) => [name, 'optional'])) as FieldRules

/** A form holds every input as text; what is hidden stays ''. */
export type FieldValues = Record<InputName, string>

export function emptyFieldValues(): FieldValues {
  return Object.fromEntries(INPUT_NAMES.map((name) => [name, ''])) as FieldValues
}

export function fieldValuesFrom(person: ParticipantDetails): FieldValues {
  const values = emptyFieldValues()
  for (const name of INPUT_NAMES) {
    const value = person[name]
    values[name] = value === null || value === undefined ? '' : String(value)
  }
  return values
}

export type FieldInput = {
  [K in InputName]?: K extends 'birthYear' ? number | null : K extends 'veteranStatus' ? VeteranStatus | null : K extends 'housingStatus' ? HousingStatus | null : string | null
}

/** Form text → contract input: blanks become null, the year a number; hidden inputs are left out. */
export function fieldInput(values: FieldValues, fieldRules: FieldRules): FieldInput {
  const input: Record<string, string | number | null> = {}
  for (const name of INPUT_NAMES) {
    if (fieldRules[INPUTS[name].rule] === 'hidden') continue
    const text = values[name].trim()
    input[name] = name === 'birthYear' ? (text ? Number(text) : null) : text || null
  }
  return input as FieldInput
}

/** The center's calendar day, YYYY-MM-DD (of `now`, by default the present moment). */
export function todayIso(now: Date = new Date()): string {
  return zonedDay(now)
}

/** A real calendar day written YYYY-MM-DD (no 2026-02-30). */
export function isRealDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const at = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === text
}

/** One input's check, in the desk's language: required first, then the input's own shape. */
export function checkInput(t: TFunction, name: InputName, value: string, fieldRules: FieldRules, values: FieldValues): string | null {
  const rule = fieldRules[INPUTS[name].rule]
  if (rule === 'hidden') return null
  const text = value.trim()
  if (!text) return rule === 'required' ? t('validation.fieldRequired', { field: t(`fields.${name}`) }) : null
  const kind = INPUTS[name].kind
  switch (kind.kind) {
    case 'text':
    case 'suggest':
      return rules.optionalMax(t, text, kind.max)
    case 'choice':
      return kind.options.includes(text) ? null : t('validation.choose')
    case 'phone':
      return rules.phone(t, value)
    case 'year': {
      const problem = rules.birthYear(t, text)
      if (problem) return problem
      const date = values.birthDate.trim()
      return date && date.slice(0, 4) !== text ? t('validation.yearDateDiffer') : null
    }
    case 'date':
      if (!isRealDay(text)) return t('validation.dateInvalid')
      if (text > todayIso()) return t('validation.dateFuture')
      if (text < '1900-01-01') return t('validation.yearMin')
      return null
  }
}

/** A stored answer as the desk reads it: our translation where it is one of the listed answers. */
export function answerLabel(t: TFunction, name: InputName, value: string): string {
  const kind = INPUTS[name].kind
  if ((kind.kind === 'choice' || kind.kind === 'suggest') && kind.options.includes(value)) {
    return t(`choices.${name}.${value}` as 'choices.veteranStatus.yes')
  }
  return value
}

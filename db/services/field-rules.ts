import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import { FIELD_RULES, PARTICIPANT_FIELDS, type FieldRule, type FieldRules, type ParticipantField } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from './context'
import { message, type MessageKey } from '../../shared/messages'
import { putSetting } from './settings-store'

export type { FieldRule, FieldRules, ParticipantField }

const SETTINGS_KEY = 'participant_fields'

/**
 * What a new center collects until an admin says otherwise. The fields that help the desk find
 * and greet someone are offered (last name, birth year, phone, pronouns, preferred language);
 * everything else is hidden, because under 42 CFR Part 2 the safest record is the one never
 * written: a center turns on demographics, housing, veteran status, date of birth or an
 * emergency contact when a funder or its own practice needs them. Nothing is required by
 * default: a walk-in who gives only a first name is still welcome.
 */
export const DEFAULT_FIELD_RULES: Readonly<FieldRules> = Object.freeze({
  lastName: 'optional',
  birthDate: 'hidden',
  birthYear: 'optional',
  phone: 'optional',
  pronouns: 'optional',
  gender: 'hidden',
  raceEthnicity: 'hidden',
  veteranStatus: 'hidden',
  housingStatus: 'hidden',
  preferredLanguage: 'optional',
  heardAbout: 'hidden',
  emergencyContact: 'hidden',
})

function isRule(value: unknown): value is FieldRule {
  return typeof value === 'string' && (FIELD_RULES as readonly string[]).includes(value)
}

/** The center's rules: the stored ones over the defaults (a field added later gets its default). */
export async function getFieldRules(db: Kysely<Database>): Promise<FieldRules> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst()
  const rules: FieldRules = { ...DEFAULT_FIELD_RULES }
  if (!row) return rules
  let stored: unknown
  try {
    stored = JSON.parse(row.value)
  } catch {
    return rules
  }
  if (stored && typeof stored === 'object') {
    for (const field of PARTICIPANT_FIELDS) {
      const value = (stored as Record<string, unknown>)[field]
      if (isRule(value)) rules[field] = value
    }
  }
  return rules
}

/** Changes some rules (the ones given); returns all of them. Existing records are not touched. */
export async function setFieldRules(ctx: ServiceContext, changes: Partial<FieldRules>): Promise<FieldRules> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const before = await getFieldRules(trx)
    const rules: FieldRules = { ...before }
    const changed: Partial<Record<ParticipantField, [FieldRule, FieldRule]>> = {}
    for (const field of PARTICIPANT_FIELDS) {
      const value = changes[field]
      if (value === undefined) continue
      if (!isRule(value)) throw new ServiceError('VALIDATION', 'fieldRules.choose', { field })
      if (value !== before[field]) changed[field] = [before[field], value]
      rules[field] = value
    }
    await putSetting(trx, SETTINGS_KEY, rules, now)
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'settings.field_rules', detail: { changed } })
    return rules
  })
}

/** The participant input fields each rule governs, with how a form names them. */
export const RULED_INPUTS: ReadonlyArray<readonly [input: string, rule: ParticipantField, what: MessageKey & `fieldRules.what.${string}`]> = [
  ['lastName', 'lastName', 'fieldRules.what.lastName'],
  ['birthDate', 'birthDate', 'fieldRules.what.birthDate'],
  ['birthYear', 'birthYear', 'fieldRules.what.birthYear'],
  ['phone', 'phone', 'fieldRules.what.phone'],
  ['pronouns', 'pronouns', 'fieldRules.what.pronouns'],
  ['gender', 'gender', 'fieldRules.what.gender'],
  ['raceEthnicity', 'raceEthnicity', 'fieldRules.what.raceEthnicity'],
  ['veteranStatus', 'veteranStatus', 'fieldRules.what.veteranStatus'],
  ['housingStatus', 'housingStatus', 'fieldRules.what.housingStatus'],
  ['preferredLanguage', 'preferredLanguage', 'fieldRules.what.preferredLanguage'],
  ['heardAbout', 'heardAbout', 'fieldRules.what.heardAbout'],
  ['emergencyContactName', 'emergencyContact', 'fieldRules.what.emergencyContactName'],
  ['emergencyContactPhone', 'emergencyContact', 'fieldRules.what.emergencyContactPhone'],
]

/** Answers a person may decline to give (fixed lists have a 'declined' answer; free text can say so). */
const CAN_DECLINE = new Set(['pronouns', 'gender', 'raceEthnicity', 'veteranStatus', 'housingStatus', 'heardAbout'])

/**
 * Refuses a value for a hidden field and a missing value for a required one.
 * `values` holds what the record will hold for each field given; on create every field is
 * given, on update only the fields being changed (a required field cannot be cleared, but a
 * record made before the field became required can still be edited without it).
 * `derived` names fields that were filled from another one (birth year from date of birth).
 */
export function enforceFieldRules(
  rules: FieldRules,
  values: object,
  given: ReadonlySet<string>,
  derived: ReadonlySet<string> = new Set(),
): void {
  for (const [input, rule, what] of RULED_INPUTS) {
    if (!given.has(input)) continue
    const value = (values as Record<string, unknown>)[input]
    const filled = value !== null && value !== undefined && value !== ''
    if (rules[rule] === 'hidden' && filled && !derived.has(input)) {
      throw new ServiceError('VALIDATION', 'fieldRules.hidden', { field: input, what: message(what) })
    }
    if (rules[rule] === 'required' && !filled) {
      throw new ServiceError('VALIDATION', CAN_DECLINE.has(input) ? 'fieldRules.requiredMayDecline' : 'fieldRules.required', { field: input, what: message(what) })
    }
  }
}

import type { Kysely } from 'kysely'
import type { Database, Participant } from '../schema'
import { HOUSING_STATUSES, VETERAN_STATUSES, type FieldRules, type HousingStatus, type VeteranStatus } from '../types'
import { ServiceError } from './context'
import { enforceFieldRules, RULED_INPUTS } from './field-rules'

/** Everything a participant record holds that a person types in. */
export interface ParticipantValues {
  firstName: string | null
  nickname: string | null
  lastName: string | null
  birthYear: number | null
  /** YYYY-MM-DD. When set, the birth year is its year. */
  birthDate: string | null
  phone: string | null
  pronouns: string | null
  gender: string | null
  raceEthnicity: string | null
  veteranStatus: VeteranStatus | null
  housingStatus: HousingStatus | null
  preferredLanguage: string | null
  heardAbout: string | null
  emergencyContactName: string | null
  emergencyContactPhone: string | null
}

/** What a form sends: any field may be left out (on update: left as it is) or null (cleared). */
export type ParticipantFieldsInput = { [K in keyof ParticipantValues]?: ParticipantValues[K] | undefined }

const TEXT_FIELDS = [
  'firstName',
  'nickname',
  'lastName',
  'phone',
  'pronouns',
  'gender',
  'raceEthnicity',
  'preferredLanguage',
  'heardAbout',
  'emergencyContactName',
  'emergencyContactPhone',
] as const satisfies ReadonlyArray<keyof ParticipantValues>

const ALL_FIELDS = [...TEXT_FIELDS, 'birthYear', 'birthDate', 'veteranStatus', 'housingStatus'] as const

/** Lower-case, accents removed, spaces collapsed: "  José  Álvarez" → "jose alvarez". */
export function normalizeName(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim()
}

export function nameKeyOf(text: string | null | undefined): string | null {
  return text ? normalizeName(text) || null : null
}

/** Trims and collapses spaces; blank becomes null. */
export function clean(text: string | null | undefined): string | null {
  const trimmed = text?.replace(/\s+/g, ' ').trim()
  return trimmed ? trimmed : null
}

export function phoneDigits(phone: string | null | undefined): string | null {
  return phone?.replace(/\D/g, '') || null
}

export function valuesOf(row: Participant): ParticipantValues {
  return {
    firstName: row.first_name,
    nickname: row.nickname,
    lastName: row.last_name,
    birthYear: row.birth_year,
    birthDate: row.birth_date,
    phone: row.phone,
    pronouns: row.pronouns,
    gender: row.gender,
    raceEthnicity: row.race_ethnicity,
    veteranStatus: row.veteran_status,
    housingStatus: row.housing_status,
    preferredLanguage: row.preferred_language,
    heardAbout: row.heard_about,
    emergencyContactName: row.emergency_contact_name,
    emergencyContactPhone: row.emergency_contact_phone,
  }
}

/** The database columns for a set of values, including the derived search and match keys. */
export function columnsOf(values: ParticipantValues) {
  return {
    first_name: values.firstName,
    nickname: values.nickname,
    last_name: values.lastName,
    birth_year: values.birthYear,
    birth_date: values.birthDate,
    phone: values.phone,
    phone_digits: phoneDigits(values.phone),
    pronouns: values.pronouns,
    gender: values.gender,
    race_ethnicity: values.raceEthnicity,
    veteran_status: values.veteranStatus,
    housing_status: values.housingStatus,
    preferred_language: values.preferredLanguage,
    heard_about: values.heardAbout,
    emergency_contact_name: values.emergencyContactName,
    emergency_contact_phone: values.emergencyContactPhone,
    name_key: normalizeName([values.firstName, values.nickname, values.lastName].filter(Boolean).join(' ')),
    first_key: nameKeyOf(values.firstName),
    nick_key: nameKeyOf(values.nickname),
    last_key: nameKeyOf(values.lastName),
  }
}

const EMPTY: ParticipantValues = {
  firstName: null,
  nickname: null,
  lastName: null,
  birthYear: null,
  birthDate: null,
  phone: null,
  pronouns: null,
  gender: null,
  raceEthnicity: null,
  veteranStatus: null,
  housingStatus: null,
  preferredLanguage: null,
  heardAbout: null,
  emergencyContactName: null,
  emergencyContactPhone: null,
}

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const at = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === text
}

/**
 * Applies a form's fields to a record (none on create) and checks the result: a first name or
 * a nickname, a birth year that agrees with the date of birth, the fixed answers, and the
 * center's field rules for every field the form sent. Returns the record's new values and the
 * names of the fields that changed.
 */
export function applyParticipantFields(
  rules: FieldRules,
  current: ParticipantValues | null,
  input: ParticipantFieldsInput,
  now: Date,
): { values: ParticipantValues; changed: Array<keyof ParticipantValues> } {
  const before = current ?? EMPTY
  const next: ParticipantValues = { ...before }
  // On create every field counts as sent, so required fields left out are caught.
  const given = new Set<string>(current ? ALL_FIELDS.filter((field) => input[field] !== undefined) : ALL_FIELDS)
  const set = <K extends keyof ParticipantValues>(field: K, value: ParticipantValues[K]) => {
    next[field] = value
  }
  for (const field of TEXT_FIELDS) if (input[field] !== undefined) set(field, clean(input[field]))
  if (input.birthYear !== undefined) set('birthYear', input.birthYear)
  if (input.birthDate !== undefined) set('birthDate', clean(input.birthDate))
  if (input.veteranStatus !== undefined) set('veteranStatus', input.veteranStatus)
  if (input.housingStatus !== undefined) set('housingStatus', input.housingStatus)

  if (!next.firstName && !next.nickname) {
    throw new ServiceError('VALIDATION', 'participants.nameRequired', { field: 'firstName' })
  }
  if (next.veteranStatus !== null && !(VETERAN_STATUSES as readonly string[]).includes(next.veteranStatus)) {
    throw new ServiceError('VALIDATION', 'participants.veteranStatus', { field: 'veteranStatus' })
  }
  if (next.housingStatus !== null && !(HOUSING_STATUSES as readonly string[]).includes(next.housingStatus)) {
    throw new ServiceError('VALIDATION', 'participants.housingStatus', { field: 'housingStatus' })
  }
  const thisYear = now.getUTCFullYear()
  if (next.birthYear !== null && (!Number.isInteger(next.birthYear) || next.birthYear < 1900 || next.birthYear > thisYear)) {
    throw new ServiceError('VALIDATION', 'participants.birthYear', { field: 'birthYear', max: thisYear })
  }
  const derived = new Set<string>()
  if (next.birthDate !== null) {
    if (!isRealDate(next.birthDate) || next.birthDate < '1900-01-01' || new Date(`${next.birthDate}T00:00:00Z`).getTime() > now.getTime() + 86_400_000) {
      throw new ServiceError('VALIDATION', 'participants.birthDate', { field: 'birthDate' })
    }
    const year = Number(next.birthDate.slice(0, 4))
    if (input.birthYear !== undefined && input.birthYear !== null && input.birthYear !== year) {
      throw new ServiceError('VALIDATION', 'participants.birthYearMismatch', { field: 'birthYear' })
    }
    if (next.birthYear !== year) {
      next.birthYear = year
      // A year filled in from the date is not a value typed into a hidden birth-year field.
      given.add('birthYear')
      derived.add('birthYear')
    }
  }
  enforceFieldRules(rules, next, given, derived)
  const changed = ALL_FIELDS.filter((field) => next[field] !== before[field])
  return { values: next, changed }
}

/** Input fields with a rule, for tests and forms. */
export const RULED_INPUT_NAMES: readonly string[] = RULED_INPUTS.map(([input]) => input)

/**
 * Fills the normalized name columns (first_key, nick_key, last_key) of rows written without
 * them, e.g. by a bulk import or the demo seeder that insert raw rows. Returns how many rows it
 * filled. Safe to run at any time: rows that have their keys are not touched.
 */
export async function fillMissingNameKeys(db: Kysely<Database>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('participants')
      .select(['id', 'first_name', 'nickname', 'last_name'])
      .where((eb) =>
        eb.or([
          eb.and([eb('first_name', 'is not', null), eb('first_key', 'is', null)]),
          eb.and([eb('nickname', 'is not', null), eb('nick_key', 'is', null)]),
          eb.and([eb('last_name', 'is not', null), eb('last_key', 'is', null)]),
        ]),
      )
      .execute()
    for (const row of rows) {
      await trx
        .updateTable('participants')
        .set({ first_key: nameKeyOf(row.first_name), nick_key: nameKeyOf(row.nickname), last_key: nameKeyOf(row.last_name) })
        .where('id', '=', row.id)
        .execute()
    }
    return rows.length
  })
}

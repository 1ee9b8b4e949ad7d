import type { Kysely, SelectQueryBuilder } from 'kysely'
import type { Database, Participant } from '../schema'
import type { DuplicateCandidate, DuplicateReason } from '../types'
import { inCenter, type CenterScope } from './centers'
import type { ServiceContext } from './context'
import { nameKeyOf, phoneDigits } from './participant-fields'
import { toSummary } from './participants'
import { portable } from './portable'
import { visiblePerson } from './visible-visits'

export type { DuplicateCandidate, DuplicateReason }

export interface DuplicateCheckInput {
  firstName?: string | null
  nickname?: string | null
  lastName?: string | null
  birthYear?: number | null
  birthDate?: string | null
  phone?: string | null
}

/** At most this many candidates: the desk reads them, it does not scroll through them. */
const MAX_CANDIDATES = 20
/** Names this close (Levenshtein) count as "spelled differently". */
const MAX_DISTANCE = 2
/** A phone number shorter than this matches too many people to mean anything. */
const MIN_PHONE_DIGITS = 7

/** Levenshtein distance, giving up (returning limit + 1) as soon as it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = MAX_DISTANCE): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      current.push(value)
      if (value < rowMin) rowMin = value
    }
    if (rowMin > limit) return limit + 1
    previous = current
  }
  return previous[b.length]!
}

/** The same number written with or without the North American leading 1. */
export function phoneVariants(digits: string): string[] {
  const variants = new Set([digits])
  if (digits.length === 10) variants.add(`1${digits}`)
  if (digits.length === 11 && digits.startsWith('1')) variants.add(digits.slice(1))
  return [...variants]
}

/** People who show in lists and checks: not merged away, not deleted, not of a people list still going in. Matches the partial indexes. */
export function activeOnly<O>(query: SelectQueryBuilder<Database, 'participants', O>): SelectQueryBuilder<Database, 'participants', O> {
  return query.where('merged_into', 'is', null).where('deleted_at', 'is', null).where(visiblePerson())
}

interface Wanted {
  /** The given first name and nickname, normalized: either may match either of a candidate's. */
  names: string[]
  last: string | null
  year: number | null
  date: string | null
}

type Row = Pick<Participant, 'id' | 'first_key' | 'nick_key' | 'last_key' | 'birth_year' | 'birth_date'>

function namesOf(row: Row): string[] {
  return [row.first_key, row.nick_key].filter((name): name is string => name !== null)
}

function closest(wanted: string[], have: string[]): number {
  let best = MAX_DISTANCE + 1
  for (const a of wanted) for (const b of have) best = Math.min(best, a === b ? 0 : editDistance(a, b))
  return best
}

/** Why a candidate with the same birth year (or none known) might be this person, if at all. */
function nameReason(wanted: Wanted, row: Row): DuplicateReason | null {
  const have = namesOf(row)
  if (wanted.names.length === 0 || have.length === 0) return null
  const sameYear = wanted.year !== null && row.birth_year === wanted.year
  // Two known dates of birth that differ are two people, whatever their names.
  if (sameYear && wanted.date && row.birth_date && wanted.date !== row.birth_date) return null
  const firstDistance = closest(wanted.names, have)
  const bothLast = wanted.last !== null && row.last_key !== null
  const lastDistance = bothLast ? (wanted.last === row.last_key ? 0 : editDistance(wanted.last!, row.last_key!)) : null
  if (sameYear) {
    if (firstDistance === 0 && (lastDistance === null || lastDistance === 0)) return 'same_name_birth_year'
    if (firstDistance <= MAX_DISTANCE && (lastDistance === null || lastDistance <= MAX_DISTANCE)) return 'similar_name'
    // Same first name, same last initial, same year: "Maria G." twice.
    if (firstDistance === 0 && bothLast && wanted.last![0] === row.last_key![0]) return 'similar_name'
    return null
  }
  // Without a shared birth year the name must carry it: first and last both given and close.
  if (wanted.year !== null && row.birth_year !== null) return null
  if (bothLast && firstDistance <= MAX_DISTANCE && lastDistance! <= MAX_DISTANCE) return 'similar_name'
  return null
}

/** A record on file as the check compares it: names, birth year and date, phone digits. */
export type RecordOnFile = Row & Pick<Participant, 'phone_digits'>

/**
 * The check's reasons for two records already on file, with the same scorer as the desk's check
 * (`a` standing for what the desk typed): the cross-center matching review (person-matches.ts)
 * asks this rather than scoring a second way.
 */
export function recordReasons(a: RecordOnFile, b: RecordOnFile): DuplicateReason[] {
  const dateYear = a.birth_date && /^\d{4}-\d{2}-\d{2}$/.test(a.birth_date) ? Number(a.birth_date.slice(0, 4)) : null
  const wanted: Wanted = { names: namesOf(a), last: a.last_key, year: a.birth_year ?? dateYear, date: dateYear !== null ? a.birth_date : null }
  const reasons: DuplicateReason[] = []
  const byName = nameReason(wanted, b)
  if (byName) reasons.push(byName)
  const digits = a.phone_digits
  if (digits && digits.length >= MIN_PHONE_DIGITS && b.phone_digits && phoneVariants(digits).includes(b.phone_digits)) reasons.push('same_phone')
  return reasons
}

/** The exclusive upper bound of all strings starting with `prefix`. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`
}

/**
 * People who may already be registered, before the desk registers someone new. Reasons:
 * `same_name_birth_year` (same normalized first name or nickname, last names not in conflict,
 * same birth year and no conflicting date of birth), `similar_name` (first and last names at
 * most two edits apart; or same first name and last initial with the same birth year),
 * `same_phone` (the same number, at least 7 digits). Every look-up reads a covering index only:
 * everyone born that year; everyone whose first name (or nickname) and last name start with the
 * same letters (when no birth year can narrow it, and only with a last name to compare); or
 * the phone digits.
 */
export async function checkDuplicates(ctx: ServiceContext, input: DuplicateCheckInput): Promise<DuplicateCandidate[]> {
  return findDuplicates(ctx.db, ctx, input)
}

/** Only the window's center's people: a person registered at another center is not a duplicate here. */
export async function findDuplicates(db: Kysely<Database>, scope: CenterScope, input: DuplicateCheckInput): Promise<DuplicateCandidate[]> {
  const dateYear = input.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(input.birthDate) ? Number(input.birthDate.slice(0, 4)) : null
  const wanted: Wanted = {
    names: [nameKeyOf(input.firstName), nameKeyOf(input.nickname)].filter((name): name is string => name !== null),
    last: nameKeyOf(input.lastName),
    year: input.birthYear ?? dateYear,
    date: dateYear !== null ? input.birthDate! : null,
  }
  const reasons = new Map<number, Set<DuplicateReason>>()
  const add = (id: number, reason: DuplicateReason) => {
    const set = reasons.get(id) ?? new Set<DuplicateReason>()
    set.add(reason)
    reasons.set(id, set)
  }
  const columns = ['id', 'first_key', 'nick_key', 'last_key', 'birth_year', 'birth_date'] as const

  if (wanted.names.length > 0) {
    if (wanted.year !== null) {
      // Everyone born that year: a few thousand at most even at 100,000 people.
      const rows = await activeOnly(db.selectFrom('participants').select(columns)).$call(inCenter(scope, 'participants')).where('birth_year', '=', wanted.year).execute()
      for (const row of rows) {
        const reason = nameReason(wanted, row)
        if (reason) add(row.id, reason)
      }
    }
    if (wanted.last !== null) {
      // People with no birth year on file (or, with none given, anyone) whose first name or
      // nickname and last name start with the same letters: close spellings rarely change a
      // first letter. One query per name column, each reading only its covering index.
      const letters = [...new Set(wanted.names.map((name) => name[0]!))]
      const lastLetter = wanted.last[0]!
      const { unindexed } = portable(db)
      for (const column of ['first_key', 'nick_key'] as const) {
        for (const letter of letters) {
          let query = activeOnly(db.selectFrom('participants').select(['id', column, 'last_key', 'birth_year'])).$call(inCenter(scope, 'participants'))
            .where(column, '>=', letter)
            .where(column, '<', prefixEnd(letter))
            // `+`: checked from this index's entries, never a reason to switch to the last-name index.
            .where(unindexed<string>('last_key'), '>=', lastLetter)
            .where(unindexed<string>('last_key'), '<', prefixEnd(lastLetter))
          if (wanted.year !== null) query = query.where('birth_year', 'is', null)
          for (const row of await query.execute()) {
            const name = column === 'first_key' ? (row as { first_key: string | null }).first_key : (row as { nick_key: string | null }).nick_key
            const reason = nameReason(wanted, { id: row.id, first_key: name, nick_key: null, last_key: row.last_key, birth_year: row.birth_year, birth_date: null })
            if (reason) add(row.id, reason)
          }
        }
      }
    }
  }

  const digits = phoneDigits(input.phone)
  if (digits && digits.length >= MIN_PHONE_DIGITS) {
    const rows = await activeOnly(db.selectFrom('participants').select('id')).$call(inCenter(scope, 'participants')).where('phone_digits', 'in', phoneVariants(digits)).execute()
    for (const row of rows) add(row.id, 'same_phone')
  }

  if (reasons.size === 0) return []
  const people = await db.selectFrom('participants').selectAll().where('id', 'in', [...reasons.keys()]).$call(inCenter(scope, 'participants')).execute()
  const weight = (set: Set<DuplicateReason>) => set.size * 10 + (set.has('same_name_birth_year') ? 5 : 0) + (set.has('same_phone') ? 3 : 0)
  return people
    .map((row) => {
      const set = reasons.get(row.id)!
      const order: DuplicateReason[] = ['same_name_birth_year', 'similar_name', 'same_phone']
      return { ...toSummary(row), reasons: order.filter((reason) => set.has(reason)), weight: weight(set) }
    })
    .sort((a, b) => b.weight - a.weight || (b.lastVisitAt ?? '').localeCompare(a.lastVisitAt ?? '') || b.id - a.id)
    .slice(0, MAX_CANDIDATES)
    .map(({ weight: _weight, ...candidate }) => candidate)
}

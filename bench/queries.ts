import type { Sqlite } from '../db/open'
import { rng } from '../db/seed'
import { normalizeName } from '../db/services/participants'

/**
 * What the front desk types, drawn from the data: the people looked up are people who came in
 * recently (a regular is looked up more often, as at a real desk), typed the way staff type.
 */
export interface QuerySet {
  /** Every keystroke of names typed letter by letter: 1 to 6 characters, or a first name and the start of a last name. */
  prefix: string[]
  /** Whole names with one typing mistake (a letter dropped, doubled, swapped or wrong), sometimes with the start of a last name. */
  typo: string[]
  /** Codes read off a card and the last four digits of a phone. */
  other: string[]
}

interface Person {
  first_name: string | null
  nickname: string | null
  last_name: string | null
  code: string
  phone_digits: string | null
}

type Random = () => number

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'

/** Staff mostly type without accents, in lower case. */
function typed(random: Random, name: string): string {
  return random() < 0.7 ? normalizeName(name) : name.toLowerCase()
}

function mistake(random: Random, word: string): string {
  const letters = [...word]
  // Not the first letter: people rarely get that wrong.
  const at = 1 + Math.floor(random() * (letters.length - 1))
  const kind = random()
  if (kind < 0.3) letters.splice(at, 1)
  else if (kind < 0.55 && at < letters.length - 1) [letters[at], letters[at + 1]] = [letters[at + 1]!, letters[at]!]
  else if (kind < 0.8) {
    let other = letters[at]!
    while (other === letters[at]) other = LETTERS[Math.floor(random() * LETTERS.length)]!
    letters[at] = other
  } else letters.splice(at, 0, LETTERS[Math.floor(random() * LETTERS.length)]!)
  return letters.join('')
}

/** `people` people looked up at the desk, and what was typed for each. */
export function buildQueries(sqlite: Sqlite, people: number, seed: number): QuerySet {
  const random = rng(seed ^ 0x5eed)
  const last = sqlite.prepare(`SELECT max(visit_date) FROM visits`).pluck().get() as string | null
  const since = sqlite
    .prepare(`SELECT min(id) FROM visits WHERE visit_date >= date(?, '-90 days')`)
    .pluck()
    .get(last ?? '1970-01-01') as number | null
  const maxId = sqlite.prepare(`SELECT max(id) FROM visits`).pluck().get() as number | null
  const visitor = sqlite.prepare(`SELECT p.first_name, p.nickname, p.last_name, p.code, p.phone_digits
    FROM visits v JOIN participants p ON p.id = v.participant_id
    WHERE v.id = ? AND p.merged_into IS NULL AND p.deleted_at IS NULL`)
  const set: QuerySet = { prefix: [], typo: [], other: [] }
  if (!since || !maxId) return set
  let attempts = 0
  for (let found = 0; found < people && attempts < people * 20; attempts++) {
    const person = visitor.get(since + Math.floor(random() * (maxId - since + 1))) as Person | undefined
    if (!person) continue
    found++
    const kind = random()
    const first = person.first_name ?? person.nickname!
    if (kind < 0.05) {
      set.other.push(random() < 0.5 ? person.code : person.code.toLowerCase())
      continue
    }
    if (kind < 0.1 && person.phone_digits && person.phone_digits.length >= 4) {
      set.other.push(person.phone_digits.slice(-4))
      continue
    }
    const name = typed(random, kind < 0.25 && person.nickname ? person.nickname : first)
    const lastName = person.last_name ? typed(random, person.last_name) : null
    // Keystrokes: the first name letter by letter, and for some the start of the last name too.
    const letters = [...name]
    for (let n = 1; n <= Math.min(6, letters.length); n++) set.prefix.push(letters.slice(0, n).join(''))
    if (lastName && random() < 0.3) {
      for (let n = 1; n <= Math.min(3, lastName.length); n++) set.prefix.push(`${name} ${[...lastName].slice(0, n).join('')}`)
    }
    // One in three also gets a name wrong.
    const target = random() < 0.6 || !lastName ? name : lastName
    if (random() < 0.35 && [...target].length >= 4) {
      const wrong = mistake(random, target)
      set.typo.push(target === name && lastName && random() < 0.3 ? `${wrong} ${[...lastName].slice(0, 2).join('')}` : wrong)
    }
  }
  return set
}

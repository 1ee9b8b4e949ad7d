import { perBackend } from '../backend'
import type { Sqlite } from '../open'
import type { Participant } from '../schema'
import type { ServiceContext } from './context'
import { normalizeName, toSummary, type ParticipantSummary } from './participants'
import { postgresSearch } from './search-postgres'
import { sqliteSearch } from './search-sqlite'

/**
 * Search as you type, over the index `participant_search` (FTS5 on SQLite, migration 0003_search;
 * a trigram-indexed table on PostgreSQL), which triggers keep in step with participants and
 * participant_aliases. How each backend reads it is in search-sqlite.ts and search-postgres.ts;
 * everything else (what a word may match, the passes, the typo guesses, the order) is here, shared.
 *
 * Every word typed must match something: a name word by prefix (from the first keystroke), the
 * participant code or an alias code by prefix (from three characters), the phone number (whole,
 * last seven or last four digits) or the birth year by prefix. Three passes, best first:
 *   1. a word of exactly six characters that is someone's code (or alias code): that person;
 *   2. prefix matches, most recently seen first (the index's rowid is the recency order, so the
 *      query stops after `limit` rows however many people match);
 *   3. only if 1 and 2 found fewer than FUZZY_BELOW: names within one or two typing mistakes
 *      (insert, delete, replace, swap two letters) of what was typed, by fewest mistakes, then
 *      most recently seen.
 * Merged and deleted people are never in the index (and the query checks again).
 */

/** A ServiceContext that may also carry the raw SQLite connection, for prepared statements. */
export type SearchContext = ServiceContext & { readonly sqlite?: Sqlite }

/** Where a word may match: a word of the names, a code (the person's or a merged record's), or the phone number or birth year. */
export type SearchField = 'name' | 'code' | 'number'

/** One way for a typed word to match: a word of `field` that starts with it (prefix) or is it. */
export interface WordMatch {
  readonly field: SearchField
  readonly word: string
  readonly prefix: boolean
}

/** What to look for: every entry must match, each by any one of its alternatives. */
export type SearchQuery = ReadonlyArray<readonly WordMatch[]>

/** The index as one backend reads it (search-sqlite.ts, search-postgres.ts). */
export interface SearchRunner {
  /** Cache key for the word list: one per connection. */
  readonly owner: object
  /** Findable people matching `query`, most recently seen first, at most `limit`. */
  search(query: SearchQuery, limit: number): Promise<Participant[]>
  /** Changes whenever the index's word list may have grown: a name changed, or someone was added. */
  namesVersion(): Promise<string>
  /** The distinct words of the indexed names. */
  nameTerms(): Promise<string[]>
}

const runnerFor = perBackend<(ctx: SearchContext) => SearchRunner>({ sqlite: sqliteSearch, postgres: postgresSearch })
const runner = (ctx: SearchContext) => runnerFor(ctx.db)(ctx)

const MAX_WORDS = 6
const MAX_WORD_LENGTH = 40
/** Participant codes are this long (see newParticipantCode). */
const CODE_LENGTH = 6
/** Code prefixes count from this many characters: shorter ones would add noise to name searches. */
const CODE_PREFIX_FROM = 3
/** The typo pass runs when the exact and prefix passes found fewer people than this. */
export const FUZZY_BELOW = 5
/** Fuzzy candidates kept per word, closest first. */
const MAX_CANDIDATES = 40

/** Mistakes tolerated in a word of this length: none in very short words, where anything is one typo away. */
export function maxTypos(length: number): number {
  return length <= 3 ? 0 : length <= 7 ? 1 : 2
}

/** Words as the index sees them: lower-case, accents removed, split at anything not a letter or digit. */
export function searchWords(text: string): string[] {
  return normalizeName(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS)
    .map((word) => word.slice(0, MAX_WORD_LENGTH))
}

// ----- The query: which columns each typed word may match.

const isDigits = (word: string) => /^[0-9]+$/.test(word)
const prefixOf = (field: SearchField, word: string): WordMatch => ({ field, word, prefix: true })

function codeAlternative(word: string): WordMatch[] {
  const mixed = /[0-9]/.test(word) && /\p{L}/u.test(word)
  return word.length >= CODE_PREFIX_FROM || mixed ? [prefixOf('code', word)] : []
}

/** One word of the prefix pass. */
function prefixTerm(word: string): WordMatch[] {
  return [prefixOf(isDigits(word) ? 'number' : 'name', word), ...codeAlternative(word)]
}

export function prefixQuery(words: readonly string[]): SearchQuery {
  return words.map(prefixTerm)
}

function exactCodeQuery(word: string): SearchQuery {
  return [[{ field: 'code', word, prefix: false }]]
}

// ----- Typo tolerance: the index's own word list, bucketed by first letter, cached per connection
// until a name changes (the triggers bump participant_search_state.names_version) or someone is added.

interface Vocabulary {
  version: string
  byFirstLetter: Map<string, string[]>
}

const vocabularies = new WeakMap<object, Vocabulary>()

async function vocabulary(run: SearchRunner): Promise<Vocabulary> {
  const version = await run.namesVersion()
  const cached = vocabularies.get(run.owner)
  if (cached && cached.version === version) return cached
  const byFirstLetter = new Map<string, string[]>()
  for (const term of await run.nameTerms()) {
    const first = String.fromCodePoint(term.codePointAt(0)!)
    let bucket = byFirstLetter.get(first)
    if (!bucket) byFirstLetter.set(first, (bucket = []))
    bucket.push(term)
  }
  const fresh = { version, byFirstLetter }
  vocabularies.set(run.owner, fresh)
  return fresh
}

/**
 * Optimal string alignment distance between `typed` and the closest prefix of `term` (a word
 * being typed is a prefix of the name it will become), or Infinity if more than `max`.
 * `whole` says whether that closest match is the whole term.
 */
export function prefixDistance(typed: string, term: string, max: number): { distance: number; whole: boolean } {
  const a = [...typed]
  const b = [...term].slice(0, a.length + max)
  const n = a.length
  const m = b.length
  const none = { distance: Infinity, whole: false }
  if (m < n - max) return none
  let before = new Array<number>(m + 1).fill(0)
  let previous = Array.from({ length: m + 1 }, (_, j) => j)
  let current = new Array<number>(m + 1).fill(0)
  for (let i = 1; i <= n; i++) {
    current[0] = i
    let rowMin = i
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1)
      current[j] = d
      if (d < rowMin) rowMin = d
    }
    if (rowMin > max) return none
    ;[before, previous, current] = [previous, current, before]
  }
  let best = Infinity
  for (let j = Math.max(0, n - max); j <= m; j++) best = Math.min(best, previous[j]!)
  if (best > max) return none
  const wholeTerm = [...term].length
  return { distance: best, whole: wholeTerm <= m && previous[wholeTerm] === best }
}

interface Candidate {
  term: string
  distance: number
}

/** Words of the index within maxTypos of `word`, looked for among words starting with its first or second letter. */
export function typoCandidates(word: string, byFirstLetter: ReadonlyMap<string, readonly string[]>): Candidate[] {
  const max = maxTypos(word.length)
  if (max === 0) return []
  const letters = [...word]
  const found: Candidate[] = []
  for (const first of new Set(letters.slice(0, 2))) {
    for (const term of byFirstLetter.get(first) ?? []) {
      const { distance, whole } = prefixDistance(word, term, max)
      // Exact prefixes were the prefix pass's business.
      if (distance === 0 || distance === Infinity) continue
      found.push({ term, distance: distance + (whole ? 0 : 0.1) })
    }
  }
  found.sort((x, y) => x.distance - y.distance || x.term.localeCompare(y.term))
  return found.slice(0, MAX_CANDIDATES)
}

/** Mistakes needed for a person to match every word; the lowest sorts first. */
function typoScore(row: Participant, words: readonly string[]): number {
  const nameWords = searchWords(row.name_key)
  let total = 0
  for (const word of words) {
    if (isDigits(word) || row.code.toLowerCase().startsWith(word)) continue
    const max = maxTypos(word.length)
    let best = max + 1
    for (const nameWord of nameWords) {
      if (nameWord.startsWith(word)) {
        best = 0
        break
      }
      const { distance, whole } = prefixDistance(word, nameWord, max)
      best = Math.min(best, distance + (whole ? 0 : 0.1))
    }
    total += best
  }
  return total
}

async function typoPass(run: SearchRunner, words: readonly string[], limit: number, seen: ReadonlySet<number>): Promise<Participant[]> {
  if (!words.some((word) => !isDigits(word) && maxTypos(word.length) > 0)) return []
  const { byFirstLetter } = await vocabulary(run)
  let anyCandidate = false
  const terms = words.map((word) => {
    if (isDigits(word)) return prefixTerm(word)
    const candidates = typoCandidates(word, byFirstLetter)
    if (candidates.length > 0) anyCandidate = true
    const names = [prefixOf('name', word), ...candidates.map((c): WordMatch => ({ field: 'name', word: c.term, prefix: false }))]
    return [...names, ...codeAlternative(word)]
  })
  if (!anyCandidate) return []
  // The most recent few times `limit` matches, then the fewest mistakes first.
  const rows = (await run.search(terms, Math.max(limit * 3, 50))).filter((row) => !seen.has(row.id))
  return rows
    .map((row, recency) => ({ row, recency, score: typoScore(row, words) }))
    .sort((x, y) => x.score - y.score || x.recency - y.recency)
    .map((scored) => scored.row)
}

/**
 * Finds people by name, nickname, code (or a merged record's code), phone or birth year as the
 * desk types: see the top of this file. Best matches first, then people seen recently.
 */
export async function searchParticipants(ctx: SearchContext, text: string, limit = 20): Promise<ParticipantSummary[]> {
  const words = searchWords(text)
  const wanted = Math.max(1, Math.min(100, Math.floor(limit)))
  if (words.length === 0) return []
  const run = runner(ctx)
  const found: Participant[] = []
  const seen = new Set<number>()
  const add = (rows: Participant[]) => {
    for (const row of rows) {
      if (found.length >= wanted) return
      if (seen.has(row.id)) continue
      seen.add(row.id)
      found.push(row)
    }
  }
  if (words.length === 1 && [...words[0]!].length === CODE_LENGTH) add(await run.search(exactCodeQuery(words[0]!), 2))
  add(await run.search(prefixQuery(words), wanted))
  if (found.length < Math.min(wanted, FUZZY_BELOW)) add(await typoPass(run, words, wanted, seen))
  return found.map(toSummary)
}

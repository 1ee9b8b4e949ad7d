import type { Statement } from 'better-sqlite3-multiple-ciphers'
import { CompiledQuery, DummyDriver, Kysely, sql, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import type { Sqlite } from '../open'
import type { Database, Participant } from '../schema'
import type { ServiceContext } from './context'
import { normalizeName, toSummary, type ParticipantSummary } from './participants'

/**
 * Search as you type, over the FTS5 index `participant_search` (migration 0003_search), which
 * triggers keep in step with participants and participant_aliases.
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
 *
 * The queries are compiled by kysely once, at load; on the desk's path they run as prepared
 * statements on the raw connection (kysely costs ~10-15 µs a query), cached per connection.
 */

/** A ServiceContext that may also carry the raw connection, for prepared statements. */
export type SearchContext = ServiceContext & { readonly sqlite?: Sqlite }

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
/** Must match ID_BITS in migration 0003_search. */
const ID_MASK = 2 ** 24 - 1

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

// ----- FTS5 query text. Every word is a quoted string, so nothing typed is ever query syntax:
// AND, OR, NEAR, *, ^, ( and : are plain text inside quotes, and quotes cannot occur in a word.

const quote = (word: string) => `"${word.replace(/"/g, '""')}"`
const isDigits = (word: string) => /^[0-9]+$/.test(word)

function codeAlternative(word: string): string | null {
  const mixed = /[0-9]/.test(word) && /\p{L}/u.test(word)
  return word.length >= CODE_PREFIX_FROM || mixed ? `{code} : ${quote(word)}*` : null
}

function either(alternatives: Array<string | null>): string {
  const present = alternatives.filter((a): a is string => a !== null)
  return present.length === 1 ? present[0]! : `(${present.join(' OR ')})`
}

/** One word of the prefix pass. */
function prefixTerm(word: string): string {
  const field = isDigits(word) ? `{phone birth} : ${quote(word)}*` : `{name} : ${quote(word)}*`
  return either([field, codeAlternative(word)])
}

export function prefixQuery(words: readonly string[]): string {
  return words.map(prefixTerm).join(' AND ')
}

function exactCodeQuery(word: string): string {
  return `{code} : ${quote(word)}`
}

// ----- The statements, compiled once by kysely against a driverless SQLite instance.

type SearchTables = {
  participant_search: { rowid: number; participant_search: string }
  participant_search_terms: { term: string; col: string }
  participant_search_state: { id: number; names_version: number }
}

const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
}).withTables<SearchTables>()

const MATCH = '\u0000match'
const LIMIT = 987_654_321

function compiledSearch(): { sql: string; matchAt: number; limitAt: number } {
  const compiled = compiler
    .selectFrom('participant_search as s')
    // CROSS JOIN: SQLite then keeps the index as the outer loop whatever its statistics say (with
    // few people it would rather scan them all and look each up in the index).
    .crossJoin('participants as p')
    .selectAll('p')
    .where('s.participant_search', 'match', MATCH)
    .where(sql<boolean>`p.id = (s.rowid & ${sql.lit(ID_MASK)})`)
    .where('p.merged_into', 'is', null)
    .where('p.deleted_at', 'is', null)
    .orderBy('s.rowid', 'desc')
    .limit(LIMIT)
    .compile()
  const matchAt = compiled.parameters.indexOf(MATCH)
  const limitAt = compiled.parameters.indexOf(LIMIT)
  if (matchAt < 0 || limitAt < 0 || compiled.parameters.length !== 2) throw new Error('search query: unexpected parameters')
  return { sql: compiled.sql, matchAt, limitAt }
}

const SEARCH = compiledSearch()
/** Changes whenever the index's word list may have grown: a name changed, or someone was added. */
const NAMES_VERSION = compiler
  .selectFrom('participant_search_state')
  .select((eb) => [
    'names_version',
    eb.selectFrom('participants').select((inner) => inner.fn.max('id').as('id')).as('last_id'),
  ])
  .where('id', '=', sql.lit(1))
  .compile().sql
const NAME_TERMS = compiler
  .selectFrom('participant_search_terms')
  .select('term')
  .where('col', '=', sql.lit('name'))
  .compile().sql

/** The SQL of the search statement, for EXPLAIN QUERY PLAN in tests and the benchmark. */
export const SEARCH_SQL = SEARCH.sql

// ----- Running them: prepared statements on the raw connection, or through kysely.

interface Runner {
  /** Cache key for the word list: one per connection. */
  readonly owner: object
  search(match: string, limit: number): Promise<Participant[]>
  namesVersion(): Promise<string>
  nameTerms(): Promise<string[]>
}

interface Prepared {
  search: Statement<unknown[], Participant>
  version: Statement<[], NamesVersionRow>
  terms: Statement<[], string>
}

interface NamesVersionRow {
  names_version: number
  last_id: number | null
}

const versionKey = (row: NamesVersionRow) => `${row.names_version}:${row.last_id ?? 0}`

const preparedByConnection = new WeakMap<Sqlite, Prepared>()

function prepared(sqlite: Sqlite): Prepared {
  let statements = preparedByConnection.get(sqlite)
  if (!statements) {
    statements = {
      search: sqlite.prepare<unknown[], Participant>(SEARCH.sql),
      version: sqlite.prepare<[], NamesVersionRow>(NAMES_VERSION),
      terms: sqlite.prepare<[], string>(NAME_TERMS).pluck(),
    }
    preparedByConnection.set(sqlite, statements)
  }
  return statements
}

function searchParameters(match: string, limit: number): unknown[] {
  const parameters: unknown[] = []
  parameters[SEARCH.matchAt] = match
  parameters[SEARCH.limitAt] = limit
  return parameters
}

function runner(ctx: SearchContext): Runner {
  const { sqlite } = ctx
  // Inside another use case's open transaction (between its awaits) the raw connection would see
  // its uncommitted rows; kysely's path waits for that transaction to end.
  if (sqlite && sqlite.open && !sqlite.inTransaction) {
    const statements = prepared(sqlite)
    return {
      owner: sqlite,
      search: async (match, limit) => statements.search.all(...searchParameters(match, limit)),
      namesVersion: async () => versionKey(statements.version.get()!),
      nameTerms: async () => statements.terms.all(),
    }
  }
  return {
    owner: ctx.db,
    search: async (match, limit) =>
      (await ctx.db.executeQuery<Participant>(CompiledQuery.raw(SEARCH.sql, searchParameters(match, limit)))).rows,
    namesVersion: async () => versionKey((await ctx.db.executeQuery<NamesVersionRow>(CompiledQuery.raw(NAMES_VERSION, []))).rows[0]!),
    nameTerms: async () =>
      (await ctx.db.executeQuery<{ term: string }>(CompiledQuery.raw(NAME_TERMS, []))).rows.map((row) => row.term),
  }
}

// ----- Typo tolerance: the index's own word list, bucketed by first letter, cached per connection
// until a name changes (the triggers bump participant_search_state.names_version) or someone is added.

interface Vocabulary {
  version: string
  byFirstLetter: Map<string, string[]>
}

const vocabularies = new WeakMap<object, Vocabulary>()

async function vocabulary(run: Runner): Promise<Vocabulary> {
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

async function typoPass(run: Runner, words: readonly string[], limit: number, seen: ReadonlySet<number>): Promise<Participant[]> {
  if (!words.some((word) => !isDigits(word) && maxTypos(word.length) > 0)) return []
  const { byFirstLetter } = await vocabulary(run)
  let anyCandidate = false
  const terms = words.map((word) => {
    if (isDigits(word)) return prefixTerm(word)
    const candidates = typoCandidates(word, byFirstLetter)
    if (candidates.length > 0) anyCandidate = true
    const names = [`{name} : ${quote(word)}*`, ...candidates.map((c) => `{name} : ${quote(c.term)}`)]
    return either([...names, codeAlternative(word)])
  })
  if (!anyCandidate) return []
  // The most recent few times `limit` matches, then the fewest mistakes first.
  const rows = (await run.search(terms.join(' AND '), Math.max(limit * 3, 50))).filter((row) => !seen.has(row.id))
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

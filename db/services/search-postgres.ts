import { sql, type AliasedSelectQueryBuilder, type RawBuilder, type SqlBool } from 'kysely'
import type { Participant } from '../schema'
import { inCenter } from './centers'
import { namesVersionQuery, versionKey } from './search-index'
import type { SearchContext, SearchField, SearchQuery, SearchRunner, WordMatch } from './search'
import { visiblePersonRow } from './visible-visits'

/**
 * The desk's search on PostgreSQL: `participant_search` is a plain table there (PostgreSQL
 * baseline 0024), one row per findable person kept by the same triggers as SQLite's FTS5 index,
 * with the same recency key as its primary key `rowid` and trigram (pg_trgm) indexes on the name,
 * code and phone columns.
 *
 * A word matches a column when a word of that column starts with it (or equals it, for an exact
 * match), the way FTS5 matches tokens. `LIKE '%word%'` is what the trigram index can answer; the
 * regular expression then keeps only matches at the start of a word. Word boundaries in names are
 * anything but a letter or digit in any script: the column's own "C" collation knows only ASCII
 * letters, so that test reads the name under ICU's root collation (present in every PostgreSQL
 * build the README recommends). Codes, phones and years are ASCII words separated by spaces.
 *
 * Accents: the index holds `name_key` and the typed words pass through the same normalizeName, so
 * both sides are already folded the same way as on SQLite. Folding the query alone with
 * `unaccent` would not be: it turns "søren" into "soren", which neither the stored name_key nor
 * SQLite's tokenizer does, and the person typed exactly would no longer be found.
 */

/** A match in the index: its recency key and its person. */
type MatchRow = { rowid: number; participant_id: number }

type SearchTables = {
  participant_search: { rowid: number; participant_id: number; name: string; code: string; phone: string | null; birth: string | null }
}

const escapeLike = (word: string) => word.replace(/[\\%_]/g, '\\$&')
const escapeRegex = (word: string) => word.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')

/** A regular expression for `word` at the start of a word (and, for an exact match, at its end too). */
function atWordStart(match: WordMatch, start: string, end: string): string {
  return `${start}${escapeRegex(match.word)}${match.prefix ? '' : end}`
}

const LETTER_OR_DIGIT_START = '(^|[^[:alnum:]])'
const LETTER_OR_DIGIT_END = '([^[:alnum:]]|$)'
/** Every ASCII character but a letter or digit: pg_trgm sees each as a word break, so it can answer a regex that uses them from the index. */
const ASCII_BREAK = '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]'
const ASCII_START = `(^|${ASCII_BREAK})`
const ASCII_END = `(${ASCII_BREAK}|$)`
const NOT_ASCII = '[^\\x01-\\x7f]'
const SPACE_START = '(^| )'
const SPACE_END = '( |$)'
/** Trigrams need three characters: LIKE '%ab%' would make pg_trgm read its whole index. */
const TRIGRAM = 3
/** Birth years are 1900 to 2100 (the participants table's CHECK): other numbers never match one. */
const YEARS = Array.from({ length: 201 }, (_, i) => String(1900 + i))

/**
 * A name word at a word start, as ICU's test says; for one or two letters, cheaper: in a name of ASCII
 * characters only, ASCII's letters and digits are all there are, so the plain regular expression
 * in the column's "C" collation says the same; pg_trgm answers it from the index, a one- or
 * two-letter prefix too (its word-start trigrams "  h", " he"). ICU's test, tens of microseconds
 * a name, is left to names holding other characters, which a partial index lists (PostgreSQL
 * migration 0051: its predicate is NOT_ASCII, written here as a literal so the planner can match
 * it). A 2-letter keystroke read every name before (~100k regular expressions, 100+ ms).
 */
function nameAtWordStart(match: WordMatch): RawBuilder<SqlBool> {
  const ascii = atWordStart(match, ASCII_START, ASCII_END)
  const icu = atWordStart(match, LETTER_OR_DIGIT_START, LETTER_OR_DIGIT_END)
  const short = [...match.word].length < TRIGRAM
  // An exact guess of the typo pass (several at one word go together, namesAtWordStart): its LIKE
  // alone is the index condition. Offered the ASCII expression too, the planner costed each guess's trigram-regex
  // (~0.3 ms each) and rechecked it in the index: at 100k people planning alone took 15-25 ms
  // and running 10-18, against 7 and 5.5-7.5 with `|| ''` keeping it to the rows LIKE found.
  const asciiName = short || match.prefix ? sql`s.name` : sql`(s.name || '')`
  const atStart = sql<SqlBool>`(${asciiName} ~ ${ascii} OR (s.name ~ ${sql.lit(NOT_ASCII)} AND s.name COLLATE "und-x-icu" ~ ${icu}))`
  if (short) return atStart
  // From three letters the trigram index finds every name holding the word (one index scan per
  // word: the typo pass's 40 guesses are 40 scans, not 80), and the ASCII test, a microsecond,
  // spares those names ICU's.
  return sql<SqlBool>`(s.name LIKE ${`%${escapeLike(match.word)}%`} AND ${atStart})`
}

/** The whole dialect of the desk's search on PostgreSQL: one condition per way a word may match. */
const MATCHES: Readonly<Record<SearchField, (match: WordMatch) => RawBuilder<SqlBool>>> = {
  name: nameAtWordStart,
  // Codes are stored as given (upper case); trigrams ignore case, and so do ILIKE and ~*.
  code: (match) => sql`(s.code ILIKE ${`%${escapeLike(match.word)}%`} AND s.code ~* ${atWordStart(match, SPACE_START, SPACE_END)})`,
  number: (match) => {
    const phone = sql<SqlBool>`(s.phone LIKE ${`%${escapeLike(match.word)}%`} AND s.phone ~ ${atWordStart(match, SPACE_START, SPACE_END)})`
    // Leaving out a test no row can pass keeps the phone's trigram index usable (birth has none).
    const year = YEARS.some((y) => (match.prefix ? y.startsWith(match.word) : y === match.word))
    return year ? sql`(${phone} OR s.birth LIKE ${match.prefix ? `${escapeLike(match.word)}%` : escapeLike(match.word)})` : phone
  },
}

/**
 * The typo pass's exact guesses at one typed word (up to 40 names of three letters or more), as one
 * condition: the trigram index answers `LIKE ANY` with one bitmap scan that loops over the
 * patterns, and one regular expression holding every guess tests the word start on the rows found.
 * Written as 40 conditions OR'd together, the planner costed each one's index scans: planning
 * alone took 15-100 ms at 100k people, more than running. Equivalent: a guess at a word start is
 * also a substring, so (some LIKE) AND (some word start) holds exactly when one guess does both.
 */
function namesAtWordStart(words: readonly string[]): RawBuilder<SqlBool> {
  const guesses = `(${words.map(escapeRegex).join('|')})`
  const patterns = words.map((word) => `%${escapeLike(word)}%`)
  return sql<SqlBool>`(s.name LIKE ANY(${patterns}::text[]) AND ((s.name || '') ~ ${ASCII_START + guesses + ASCII_END} OR (s.name ~ ${sql.lit(NOT_ASCII)} AND s.name COLLATE "und-x-icu" ~ ${LETTER_OR_DIGIT_START + guesses + LETTER_OR_DIGIT_END})))`
}

const isGuess = (match: WordMatch) => match.field === 'name' && !match.prefix && [...match.word].length >= TRIGRAM

/** One typed word's alternatives: the typo pass's guesses together (namesAtWordStart), every other way alone. */
function anyOf(alternatives: readonly WordMatch[]): Array<RawBuilder<SqlBool>> {
  const guesses = alternatives.filter(isGuess)
  const alone = guesses.length < 2 ? alternatives : alternatives.filter((match) => !isGuess(match))
  const each = alone.map((match) => MATCHES[match.field](match))
  return guesses.length < 2 ? each : [namesAtWordStart(guesses.map((match) => match.word)), ...each]
}

/** The distinct words of the indexed names, split where SQLite's tokenizer splits them. */
const NAME_TERMS = sql<{ term: string }>`
  SELECT DISTINCT term FROM participant_search, regexp_split_to_table(name COLLATE "und-x-icu", '[^[:alnum:]]+') AS term
  WHERE term <> ''`

/** Matches of `query` in the index, newest first. */
function matchesOf(ctx: Pick<SearchContext, 'db'>, query: SearchQuery) {
  return ctx.db
    .withTables<SearchTables>()
    .selectFrom('participant_search as s')
    .select(['s.rowid', 's.participant_id'])
    .where((eb) => eb.and(query.map((alternatives) => eb.or(anyOf(alternatives)))))
    .orderBy('s.rowid', 'desc')
}

/**
 * The newest `limit` matches of the session's center, with their people. The center is checked
 * before the limit (another center's newer matches must not crowd this one's out), so each match
 * is looked up in participants once, by primary key, and its row is the one returned. The index
 * holds only findable people; merged and deleted are checked as on SQLite.
 */
export function postgresSearchQuery(ctx: Pick<SearchContext, 'db' | 'centerId'>, query: SearchQuery, limit: number) {
  return newestPeople(ctx, matchesOf(ctx, query), limit)
}

/** The people of `matches` (rowid, participant_id), newest first, as postgresSearchQuery says. */
function newestPeople(ctx: Pick<SearchContext, 'db' | 'centerId'>, matches: { as(alias: 's'): AliasedSelectQueryBuilder<MatchRow, 's'> }, limit: number) {
  return ctx.db
    .withTables<SearchTables>()
    .selectFrom(matches.as('s'))
    .innerJoin('participants as p', 'p.id', 's.participant_id')
    .$call(inCenter(ctx, 'p'))
    .selectAll('p')
    .where('p.merged_into', 'is', null)
    .where('p.deleted_at', 'is', null)
    .where(visiblePersonRow('p'))
    .orderBy('s.rowid', 'desc')
    .limit(limit)
}

/**
 * postgresSearchQuery over only the newest `window` matches in the index. Names matching a short
 * prefix number thousands; looking each up, then sorting, cost 100+ ms. When the window yields
 * `limit` people they are the newest `limit` of all (no match outside it is newer); when it held
 * fewer than `window` matches it held them all, and its people are all there are.
 *
 * Always one row at least: `matched`, the matches in the window, and the index's names version
 * (namesVersionQuery) come with the people, or alone with null people when none: the typo pass
 * follows a prefix pass that found few, and its two look-ups (ask again without the window, then
 * the names version) were two more round trips.
 */
export function postgresWindowQuery(ctx: Pick<SearchContext, 'db' | 'centerId'>, query: SearchQuery, limit: number, window: number) {
  return ctx.db
    .withTables<SearchTables>()
    .with('w', () => matchesOf(ctx, query).limit(window))
    .selectFrom((eb) => eb.selectFrom('w').select((inner) => inner.fn.countAll<number>().as('matched')).as('c'))
    .crossJoin(namesVersionQuery(ctx.db).as('v'))
    .leftJoinLateral(
      (eb) =>
        newestPeople(ctx, eb.selectFrom('w').select(['w.rowid', 'w.participant_id']), limit).as('x'),
      (join) => join.onTrue(),
    )
    .selectAll('x')
    .select(['c.matched', 'v.names_version', 'v.last_id'])
}

/** Matches looked up per person wanted, before asking again without a window (a few people of another center, merged or hidden among them). */
const WINDOW_PER_PERSON = 3

export function postgresSearch(ctx: SearchContext): SearchRunner {
  const db = ctx.db.withTables<SearchTables>()
  // The names version the last windowed search read (this runner serves one search of the desk).
  let version: string | null = null
  return {
    owner: ctx.db,
    search: async (query, limit) => {
      // The prefix pass: a prefix matches hundreds or thousands of names. Not the typo pass (exact
      // guesses at a word, few matches): its window would yield too few and ask twice.
      if (query.every((alternatives) => alternatives.every((match) => match.prefix))) {
        const window = limit * WINDOW_PER_PERSON
        const rows = await postgresWindowQuery(ctx, query, limit, window).execute()
        const { matched, names_version, last_id } = rows[0]!
        version = versionKey({ names_version, last_id })
        const people = rows.filter((row) => row.id !== null).map(({ matched: _m, names_version: _v, last_id: _l, ...person }) => person as Participant)
        if (people.length >= limit || Number(matched) < window) return people
      }
      return (await postgresSearchQuery(ctx, query, limit).execute()) as Participant[]
    },
    namesVersion: async () => version ?? versionKey(await namesVersionQuery(ctx.db).executeTakeFirstOrThrow()),
    nameTerms: async () => (await NAME_TERMS.execute(db)).rows.map((row) => row.term),
  }
}

import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Participant } from '../schema'
import { inCenter } from './centers'
import { namesVersionQuery, versionKey } from './search-index'
import type { SearchContext, SearchField, SearchRunner, WordMatch } from './search'

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
const SPACE_START = '(^| )'
const SPACE_END = '( |$)'

/** The whole dialect of the desk's search on PostgreSQL: one condition per way a word may match. */
const MATCHES: Readonly<Record<SearchField, (match: WordMatch) => RawBuilder<SqlBool>>> = {
  name: (match) =>
    sql`(s.name LIKE ${`%${escapeLike(match.word)}%`} AND s.name COLLATE "und-x-icu" ~ ${atWordStart(match, LETTER_OR_DIGIT_START, LETTER_OR_DIGIT_END)})`,
  // Codes are stored as given (upper case); trigrams ignore case, and so do ILIKE and ~*.
  code: (match) => sql`(s.code ILIKE ${`%${escapeLike(match.word)}%`} AND s.code ~* ${atWordStart(match, SPACE_START, SPACE_END)})`,
  number: (match) =>
    sql`((s.phone LIKE ${`%${escapeLike(match.word)}%`} AND s.phone ~ ${atWordStart(match, SPACE_START, SPACE_END)})
      OR s.birth LIKE ${match.prefix ? `${escapeLike(match.word)}%` : escapeLike(match.word)})`,
}

/** The distinct words of the indexed names, split where SQLite's tokenizer splits them. */
const NAME_TERMS = sql<{ term: string }>`
  SELECT DISTINCT term FROM participant_search, regexp_split_to_table(name COLLATE "und-x-icu", '[^[:alnum:]]+') AS term
  WHERE term <> ''`

export function postgresSearch(ctx: SearchContext): SearchRunner {
  const db = ctx.db.withTables<SearchTables>()
  return {
    owner: ctx.db,
    search: (query, limit) =>
      db
        .selectFrom('participant_search as s')
        .innerJoin('participants as p', 'p.id', 's.participant_id')
        .selectAll('p')
        .where((eb) => eb.and(query.map((alternatives) => eb.or(alternatives.map((match) => MATCHES[match.field](match))))))
        .where('p.merged_into', 'is', null)
        .where('p.deleted_at', 'is', null)
        .$call(inCenter(ctx, 'p'))
        .orderBy('s.rowid', 'desc')
        .limit(limit)
        .execute() as Promise<Participant[]>,
    namesVersion: async () => versionKey(await namesVersionQuery(ctx.db).executeTakeFirstOrThrow()),
    nameTerms: async () => (await NAME_TERMS.execute(db)).rows.map((row) => row.term),
  }
}

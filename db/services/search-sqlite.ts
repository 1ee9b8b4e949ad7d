import type { Statement } from 'better-sqlite3-multiple-ciphers'
import { CompiledQuery, DummyDriver, Kysely, sql, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import type { Sqlite } from '../open'
import type { Database, Participant } from '../schema'
import { centerId } from './centers'
import { namesVersionQuery, versionKey, type NamesVersionRow } from './search-index'
import type { SearchContext, SearchField, SearchQuery, SearchRunner, WordMatch } from './search'
import { visiblePerson } from './visible-visits'

/**
 * The desk's search on SQLite: the FTS5 index `participant_search` (migration 0003_search).
 *
 * The queries are compiled by kysely once, at load; on the desk's path they run as prepared
 * statements on the raw connection (kysely costs ~10-15 µs a query), cached per connection.
 */

/** Must match ID_BITS in migration 0003_search. */
const ID_MASK = 2 ** 24 - 1

// ----- FTS5 query text. Every word is a quoted string, so nothing typed is ever query syntax:
// AND, OR, NEAR, *, ^, ( and : are plain text inside quotes, and quotes cannot occur in a word.

const quote = (word: string) => `"${word.replace(/"/g, '""')}"`

const COLUMNS: Readonly<Record<SearchField, string>> = { name: '{name}', code: '{code}', number: '{phone birth}' }

const ftsMatch = (match: WordMatch) => `${COLUMNS[match.field]} : ${quote(match.word)}${match.prefix ? '*' : ''}`

/** The FTS5 MATCH text of a query: its entries joined by AND, each entry's alternatives by OR. */
export function ftsQuery(query: SearchQuery): string {
  return query
    .map((alternatives) => (alternatives.length === 1 ? ftsMatch(alternatives[0]!) : `(${alternatives.map(ftsMatch).join(' OR ')})`))
    .join(' AND ')
}

// ----- The statements, compiled once by kysely against a driverless SQLite instance.

type SearchTables = {
  participant_search: { rowid: number; participant_search: string }
  participant_search_terms: { term: string; col: string }
}

const base = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
})
const compiler = base.withTables<SearchTables>()

const MATCH = '\u0000match'
const LIMIT = 987_654_321
const CENTER = 987_654_322

function compiledSearch(): { sql: string; matchAt: number; limitAt: number; centerAt: number } {
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
    .where(visiblePerson('p'))
    // The session's center (db/services/centers.ts inCenter, here as a parameter of the prepared statement).
    .where('p.center_id', '=', CENTER)
    .orderBy('s.rowid', 'desc')
    .limit(LIMIT)
    .compile()
  const matchAt = compiled.parameters.indexOf(MATCH)
  const limitAt = compiled.parameters.indexOf(LIMIT)
  const centerAt = compiled.parameters.indexOf(CENTER)
  if (matchAt < 0 || limitAt < 0 || centerAt < 0 || compiled.parameters.length !== 3) throw new Error('search query: unexpected parameters')
  return { sql: compiled.sql, matchAt, limitAt, centerAt }
}

const SEARCH = compiledSearch()
const NAMES_VERSION = namesVersionQuery(base).compile()
const NAME_TERMS = compiler
  .selectFrom('participant_search_terms')
  .select('term')
  .where('col', '=', sql.lit('name'))
  .compile().sql

/** The SQL of the search statement, for EXPLAIN QUERY PLAN in tests and the benchmark. */
export const SEARCH_SQL = SEARCH.sql

// ----- Running them: prepared statements on the raw connection, or through kysely.

interface Prepared {
  search: Statement<unknown[], Participant>
  version: Statement<unknown[], NamesVersionRow>
  terms: Statement<[], string>
}

const preparedByConnection = new WeakMap<Sqlite, Prepared>()

function prepared(sqlite: Sqlite): Prepared {
  let statements = preparedByConnection.get(sqlite)
  if (!statements) {
    statements = {
      search: sqlite.prepare<unknown[], Participant>(SEARCH.sql),
      version: sqlite.prepare<unknown[], NamesVersionRow>(NAMES_VERSION.sql),
      terms: sqlite.prepare<[], string>(NAME_TERMS).pluck(),
    }
    preparedByConnection.set(sqlite, statements)
  }
  return statements
}

function searchParameters(ctx: SearchContext, query: SearchQuery, limit: number): unknown[] {
  const parameters: unknown[] = []
  parameters[SEARCH.matchAt] = ftsQuery(query)
  parameters[SEARCH.limitAt] = limit
  parameters[SEARCH.centerAt] = centerId(ctx)
  return parameters
}

export function sqliteSearch(ctx: SearchContext): SearchRunner {
  const { sqlite } = ctx
  // Inside another use case's open transaction (between its awaits) the raw connection would see
  // its uncommitted rows; kysely's path waits for that transaction to end.
  if (sqlite && sqlite.open && !sqlite.inTransaction) {
    const statements = prepared(sqlite)
    return {
      owner: sqlite,
      search: async (query, limit) => statements.search.all(...searchParameters(ctx, query, limit)),
      namesVersion: async () => versionKey(statements.version.get(...NAMES_VERSION.parameters)!),
      nameTerms: async () => statements.terms.all(),
    }
  }
  return {
    owner: ctx.db,
    search: async (query, limit) =>
      (await ctx.db.executeQuery<Participant>(CompiledQuery.raw(SEARCH.sql, searchParameters(ctx, query, limit)))).rows,
    namesVersion: async () => versionKey((await ctx.db.executeQuery<NamesVersionRow>(NAMES_VERSION)).rows[0]!),
    nameTerms: async () =>
      (await ctx.db.executeQuery<{ term: string }>(CompiledQuery.raw(NAME_TERMS, []))).rows.map((row) => row.term),
  }
}

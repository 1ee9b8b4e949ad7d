import { sql, type Expression, type OrderByModifiers, type RawBuilder } from 'kysely'
import { perBackend } from '../backend'

/**
 * Small SQL spellings several services share, where SQLite and PostgreSQL differ: one object per
 * backend, picked by the connection (`portable(db).caseless(...)`). A feature's own larger
 * differences live in its own module (reports/dialect.ts, search-sqlite.ts / search-postgres.ts).
 */
export interface Portable {
  /**
   * A column a condition tests without letting the planner drive the query from its index: SQLite's
   * unary plus, which keeps it walking the index the query sorts by. PostgreSQL's planner costs both
   * ways itself (and `+` on text is an error there): the plain column.
   */
  unindexed<T = unknown>(column: string): RawBuilder<T>
  /** Text to sort by regardless of letter case (ASCII letters, as SQLite's NOCASE; lower() folds the same ones under PostgreSQL's "C" collation). */
  caseless(text: Expression<string>): RawBuilder<string>
  /** The latest of ISO instants or dates, none of them null. */
  latest(...values: Array<Expression<string>>): RawBuilder<string>
  /**
   * A sort direction with nulls lowest, as SQLite sorts them (first going up, last going down);
   * PostgreSQL sorts them highest unless told.
   */
  nullsLowest(direction: 'asc' | 'desc'): OrderByModifiers
}

const sqlitePortable: Portable = {
  unindexed: <T>(column: string) => sql<T>`+${sql.ref(column)}`,
  caseless: (text) => sql<string>`${text} COLLATE NOCASE`,
  latest: (...values) => sql<string>`max(${sql.join(values)})`,
  nullsLowest: (direction) => direction,
}

const postgresPortable: Portable = {
  unindexed: <T>(column: string) => sql<T>`${sql.ref(column)}`,
  caseless: (text) => sql<string>`lower(${text})`,
  latest: (...values) => sql<string>`greatest(${sql.join(values)})`,
  nullsLowest: (direction) => (order) => (direction === 'asc' ? order.asc().nullsFirst() : order.desc().nullsLast()),
}

export const portable = perBackend<Portable>({ sqlite: sqlitePortable, postgres: postgresPortable })

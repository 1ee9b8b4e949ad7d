import { PostgresAdapter, type Kysely, type Transaction } from 'kysely'

/**
 * The storage seam. Services hold a Kysely (or a transaction of one) and never ask which database
 * is behind it; what truly differs between SQLite and PostgreSQL (search, date arithmetic, the
 * integrity checks …) lives in one small module per feature with one spelling per backend, and the
 * connection picks the spelling:
 *
 *   export const searchSql = perBackend<SearchSql>({ sqlite: sqliteSearch, postgres: postgresSearch })
 *   … searchSql(trx).matching(words) …
 */
export type Backend = 'sqlite' | 'postgres'

/** Which database a Kysely instance (or one of its transactions) talks to, read from its dialect's adapter. */
export function backendOf<DB>(db: Kysely<DB>): Backend {
  // getExecutor() is marked internal in kysely's types but is the one public handle on the adapter
  // that transactions share with their parent; this is the only place Porchlight reads it.
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

/** A feature's two spellings, one chosen per connection. */
export function perBackend<T>(variants: Readonly<Record<Backend, T>>): <DB>(db: Kysely<DB>) => T {
  return (db) => variants[backendOf(db)]
}

/**
 * Reads that must agree with one another (every figure of a dashboard or a funder report) in one
 * snapshot of the records. On PostgreSQL a read-only REPEATABLE READ transaction: one snapshot,
 * without the writers' lock, so the other PCs' sign-ins go on while a manager counts. SQLite has
 * one connection in this process, which a transaction holds either way: there it is the plain one.
 */
export function readSnapshot<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  const transaction = db.transaction()
  return (backendOf(db) === 'postgres' ? transaction.setIsolationLevel('repeatable read').setAccessMode('read only') : transaction).execute(work)
}

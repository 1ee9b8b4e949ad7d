import { sql, type RawBuilder, type SqlBool } from 'kysely'

/**
 * A visit is visible unless it belongs to a records import still going in (migration 0029): its
 * rows are written chunk by chunk, and none of them is seen by a list, a count or a report until
 * the import's last transaction switches the whole file on. Every read of visits asks this; the
 * roll-up triggers ask the same in SQL of their own. One place for the test, so a PostgreSQL
 * backend words it once.
 */
export const visibleVisitText = (alias: string): string =>
  `(${alias}.import_file_id IS NULL OR ${alias}.import_file_id NOT IN (SELECT f.id FROM import_files f WHERE f.pending = 1))`

export function visibleVisit(alias = 'visits'): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.raw(visibleVisitText(alias))}`
}

/** The records imports still going in (or cut short, to be discarded by the next import). */
export const PENDING_FILES = '(SELECT f.id FROM import_files f WHERE f.pending = 1)'

/**
 * A person is visible unless they came in with a people list still going in (migration 0052): as
 * a pending file's visits, its people are written chunk by chunk and found by no search, list,
 * check, count or per-person lookup until the import's switch. Asked by id, so an index that
 * answers a query alone still does (the pending people's ids come from their own small index).
 */
export const visiblePersonText = (alias: string): string =>
  `${alias}.id NOT IN (SELECT pp.id FROM participants pp WHERE pp.import_file_id IN ${PENDING_FILES})`

export function visiblePerson(alias = 'participants'): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.raw(visiblePersonText(alias))}`
}

/**
 * The same test read from the person's own row (a person is hidden exactly when their own
 * import_file_id is a pending file's, `id` being the key), for a query that walks people one by
 * one: PostgreSQL's planner charges the subquery over participants above (hashing every person)
 * on each row looked up, so it read and sorted every match instead of walking the newest 20.
 */
export function visiblePersonRow(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.raw(`(${alias}.import_file_id IS NULL OR ${alias}.import_file_id NOT IN ${PENDING_FILES})`)}`
}

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

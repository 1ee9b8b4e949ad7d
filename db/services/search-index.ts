import type { Kysely } from 'kysely'
import type { Database } from '../schema'

/** The search index's bookkeeping table, the same on both backends (it is not in the app's schema types). */
export type SearchStateTables = {
  participant_search_state: { id: number; names_version: number }
}

export interface NamesVersionRow {
  names_version: number
  last_id: number | null
}

/** Changes whenever the index's word list may have grown: a name changed, or someone was added. */
export function namesVersionQuery(db: Kysely<Database>) {
  return db
    .withTables<SearchStateTables>()
    .selectFrom('participant_search_state')
    .select((eb) => ['names_version', eb.selectFrom('participants').select((inner) => inner.fn.max('id').as('id')).as('last_id')])
    .where('id', '=', 1)
}

export const versionKey = (row: NamesVersionRow) => `${row.names_version}:${row.last_id ?? 0}`

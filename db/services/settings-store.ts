import type { Trx } from './context'

/**
 * Writes one center setting as JSON, inserting or replacing it, inside the caller's transaction
 * (every setting change is audited beside it). One place for the upsert: its dialect-specific
 * form is the only thing about settings a PostgreSQL backend would have to look at.
 */
export async function putSetting(trx: Trx, key: string, value: unknown, at: string): Promise<void> {
  const json = JSON.stringify(value)
  await trx
    .insertInto('settings')
    .values({ key, value: json, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at }))
    .execute()
}

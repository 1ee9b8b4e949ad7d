import type { ServiceContext } from './context'
import type { CatalogService } from '../types'

export type { CatalogService }


/** Services that can be recorded on a visit today, in the center's chosen order. */
export async function listActiveServices(ctx: ServiceContext): Promise<CatalogService[]> {
  const rows = await ctx.db
    .selectFrom('services')
    .select(['id', 'key', 'name_en', 'name_es', 'has_quantity'])
    .where('retired_at', 'is', null)
    .orderBy('sort_order')
    .execute()
  return rows.map((row) => ({ id: row.id, key: row.key, nameEn: row.name_en, nameEs: row.name_es, hasQuantity: row.has_quantity === 1 }))
}

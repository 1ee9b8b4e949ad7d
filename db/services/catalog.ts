import { sql } from 'kysely'
import type { Service } from '../schema'
import type { CatalogService, ServiceAdmin } from '../types'
import { appendAudit } from './audit'
import { serviceHiddenAtDesk } from './group-settings'
import { inTransaction, isoNow, ServiceError, type ServiceContext, type Trx } from './context'
import { normalizeName } from './participant-fields'

export type { CatalogService, ServiceAdmin }

/**
 * Services that can be recorded on a visit today, in the center's chosen order. `atDesk` is false
 * for the service group attendance gives its visits when the center keeps it off the desk's toggles.
 */
export async function listActiveServices(ctx: ServiceContext): Promise<CatalogService[]> {
  const rows = await ctx.db
    .selectFrom('services')
    .select(['id', 'key', 'name_en', 'name_es', 'has_quantity'])
    .where('retired_at', 'is', null)
    .orderBy('sort_order')
    .execute()
  const hidden = await serviceHiddenAtDesk(ctx.db)
  return rows.map((row) => ({ id: row.id, key: row.key, nameEn: row.name_en, nameEs: row.name_es, hasQuantity: row.has_quantity === 1, atDesk: row.key !== hidden }))
}

function toAdmin(row: Service): ServiceAdmin {
  return {
    id: row.id,
    key: row.key,
    nameEn: row.name_en,
    nameEs: row.name_es,
    hasQuantity: row.has_quantity === 1,
    sortOrder: row.sort_order,
    retiredAt: row.retired_at,
  }
}

/**
 * The whole catalog for the admin screen, retired services included, in the center's order. The
 * service group attendance records while the desk does not offer it says so (`atDesk: false`), so
 * the screen does not claim the desk offers it.
 */
export async function listAllServices(ctx: ServiceContext): Promise<ServiceAdmin[]> {
  const rows = await ctx.db.selectFrom('services').selectAll().orderBy('sort_order').orderBy('id').execute()
  const hidden = await serviceHiddenAtDesk(ctx.db)
  return rows.map((row) => ({ ...toAdmin(row), atDesk: row.key !== hidden }))
}

export interface ServiceNames {
  nameEn: string
  nameEs: string
  hasQuantity: boolean
}

function cleanNames(input: ServiceNames): ServiceNames {
  const nameEn = input.nameEn.replace(/\s+/g, ' ').trim()
  const nameEs = input.nameEs.replace(/\s+/g, ' ').trim()
  if (!nameEn) throw new ServiceError('VALIDATION', 'catalog.nameEn', { field: 'nameEn' })
  if (!nameEs) throw new ServiceError('VALIDATION', 'catalog.nameEs', { field: 'nameEs' })
  return { nameEn, nameEs, hasQuantity: input.hasQuantity }
}

/** Two services the desk cannot tell apart would split the counts: names are unique, retired ones included. */
async function refuseNameClash(trx: Trx, names: ServiceNames, exceptId: number | null): Promise<void> {
  const all = await trx.selectFrom('services').select(['id', 'name_en', 'name_es', 'retired_at']).execute()
  for (const [field, value, column] of [
    ['nameEn', names.nameEn, 'name_en'],
    ['nameEs', names.nameEs, 'name_es'],
  ] as const) {
    const clash = all.find((s) => s.id !== exceptId && normalizeName(s[column]) === normalizeName(value))
    if (clash) {
      throw new ServiceError('CONFLICT', clash.retired_at ? 'catalog.nameTakenRetired' : 'catalog.nameTaken', { field, serviceId: clash.id, name: clash[column] })
    }
  }
}

/** A stable key from the English name ("Bus pass" → bus_pass), unique; it never changes after. */
async function newKey(trx: Trx, nameEn: string): Promise<string> {
  const base = normalizeName(nameEn).replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'service'
  const taken = new Set((await trx.selectFrom('services').select('key').execute()).map((row) => row.key))
  let key = base
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`
  return key
}

export async function addService(ctx: ServiceContext, input: ServiceNames): Promise<ServiceAdmin> {
  const names = cleanNames(input)
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    await refuseNameClash(trx, names, null)
    const { last } = await trx.selectFrom('services').select(sql<number>`coalesce(max(sort_order), 0)`.as('last')).executeTakeFirstOrThrow()
    const row = await trx
      .insertInto('services')
      .values({
        key: await newKey(trx, names.nameEn),
        name_en: names.nameEn,
        name_es: names.nameEs,
        has_quantity: names.hasQuantity ? 1 : 0,
        sort_order: last + 1,
        retired_at: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'catalog.add', targetType: 'service', targetId: row.id, detail: { key: row.key } })
    return toAdmin(row)
  })
}

async function serviceRow(trx: Trx, id: number): Promise<Service> {
  const row = await trx.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'catalog.notFound')
  return row
}

/** Renames a service or changes whether it takes a quantity. Past visits keep their lines as recorded. */
export async function updateService(ctx: ServiceContext, id: number, input: ServiceNames): Promise<ServiceAdmin> {
  const names = cleanNames(input)
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const before = await serviceRow(trx, id)
    await refuseNameClash(trx, names, id)
    const row = await trx
      .updateTable('services')
      .set({ name_en: names.nameEn, name_es: names.nameEs, has_quantity: names.hasQuantity ? 1 : 0, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'catalog.update',
      targetType: 'service',
      targetId: id,
      detail: {
        before: { nameEn: before.name_en, nameEs: before.name_es, hasQuantity: before.has_quantity === 1 },
        after: names,
      },
    })
    return toAdmin(row)
  })
}

/**
 * Retires a service (no longer offered at sign-in) or brings it back. Visits that recorded it
 * keep it: history is never rewritten by a catalog change.
 */
export async function retireService(ctx: ServiceContext, id: number, retired: boolean): Promise<ServiceAdmin> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const before = await serviceRow(trx, id)
    if ((before.retired_at !== null) === retired) return toAdmin(before)
    const row = await trx
      .updateTable('services')
      .set({ retired_at: retired ? now : null, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: retired ? 'catalog.retire' : 'catalog.unretire', targetType: 'service', targetId: id })
    return toAdmin(row)
  })
}

/** Puts the catalog in the order given. The list must name every service once, retired ones too. */
export async function reorderServices(ctx: ServiceContext, ids: number[]): Promise<ServiceAdmin[]> {
  await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const all = (await trx.selectFrom('services').select('id').execute()).map((row) => row.id)
    const given = new Set(ids)
    if (given.size !== ids.length || given.size !== all.length || !all.every((id) => given.has(id))) {
      throw new ServiceError('CONFLICT', 'catalog.changed', {
        field: 'ids',
      })
    }
    for (const [index, id] of ids.entries()) {
      await trx.updateTable('services').set({ sort_order: index + 1, updated_at: now }).where('id', '=', id).where('sort_order', '!=', index + 1).execute()
    }
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'catalog.reorder', detail: { ids } })
  })
  return listAllServices(ctx)
}

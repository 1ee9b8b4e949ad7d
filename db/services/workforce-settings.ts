import { MAX_REQUIRED_HOURS, hoursOf, type CategorySetting, type KindSetting, type WorkforceSettings } from '../workforce-types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext, type Trx } from './context'
import { categories, toKind } from './workforce'

/**
 * The center's own credential kinds and training categories (issue 16): a requirement is data, so a
 * manager or admin sets each kind's renewal period and the training hours it needs, in total and
 * per category. A kind or category still in use is never deleted (the records pointing at it would
 * lose their meaning): deleting one is refused and the message says to archive it instead; an
 * archived one stays on those records and is no longer offered for new ones.
 */

type Db = ServiceContext['db'] | Trx

export interface KindInput {
  id?: number
  nameEn: string
  nameEs: string
  periodMonths: number
  requiredHours: number
  /** Hours of the total that must be in each category; a category left out requires none. */
  categoryHours: Array<{ categoryId: number; hours: number }>
  active: boolean
}

export interface CategoryInput {
  id?: number
  nameEn: string
  nameEs: string
  active: boolean
}

async function allKinds(db: Db) {
  return (await db.selectFrom('workforce_credential_kinds').selectAll().orderBy('position').orderBy('id').execute()).map(toKind)
}

/** Every kind and category, archived ones too, with what uses each. */
export async function workforceSettings(db: Db): Promise<WorkforceSettings> {
  const kindRows = await allKinds(db)
  const held = await db
    .selectFrom('workforce_credentials')
    .select((eb) => ['kind_id', eb.fn.countAll<number>().as('n')])
    .groupBy('kind_id')
    .execute()
  const logged = await db
    .selectFrom('workforce_training')
    .select((eb) => ['category_id', eb.fn.countAll<number>().as('n')])
    .groupBy('category_id')
    .execute()
  const heldBy = new Map(held.map((r) => [r.kind_id, Number(r.n)]))
  const loggedIn = new Map(logged.map((r) => [r.category_id, Number(r.n)]))
  const kinds: KindSetting[] = kindRows.map(({ requiredMinutes: _r, categoryMinutes: _c, ...kind }) => ({ ...kind, credentials: heldBy.get(kind.id) ?? 0 }))
  const cats: CategorySetting[] = (await categories(db)).map((c) => ({
    ...c,
    training: loggedIn.get(c.id) ?? 0,
    requiredBy: kindRows.filter((k) => c.key in k.categoryMinutes).map((k) => ({ id: k.id, nameEn: k.nameEn, nameEs: k.nameEs })),
  }))
  return { kinds, categories: cats }
}

function minutes(hours: number, field: string): number {
  if (!Number.isFinite(hours) || hours < 0 || hours > MAX_REQUIRED_HOURS) throw new ServiceError('VALIDATION', 'workforce.requiredHoursRange', { field, max: MAX_REQUIRED_HOURS })
  return Math.round(hours * 60)
}

/** Adds a credential kind or changes one: its names, renewal period and required hours; archives or restores it. */
export async function saveKind(ctx: ServiceContext, input: KindInput): Promise<WorkforceSettings> {
  const nameEn = input.nameEn.trim()
  const nameEs = input.nameEs.trim()
  if (!Number.isInteger(input.periodMonths) || input.periodMonths < 1 || input.periodMonths > 120) throw new ServiceError('VALIDATION', 'workforce.periodRange', { field: 'periodMonths' })
  const requiredMinutes = minutes(input.requiredHours, 'requiredHours')
  if (new Set(input.categoryHours.map((c) => c.categoryId)).size !== input.categoryHours.length) throw new ServiceError('VALIDATION', 'workforce.categoryTwice', { field: 'categoryHours' })
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    const clash = await trx
      .selectFrom('workforce_credential_kinds')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['name_en']), '=', nameEn.toLowerCase()))
      .$if(input.id !== undefined, (q) => q.where('id', '!=', input.id ?? 0))
      .executeTakeFirst()
    if (clash) throw new ServiceError('CONFLICT', 'workforce.kindExists', { field: 'nameEn' })
    const cats = new Map((await categories(trx)).map((c) => [c.id, c]))
    const categoryMinutes: Record<string, number> = {}
    for (const part of input.categoryHours) {
      const category = cats.get(part.categoryId)
      if (!category || !category.active) throw new ServiceError('VALIDATION', 'workforce.categoryUnknown', { field: 'categoryHours' })
      const m = minutes(part.hours, 'categoryHours')
      if (m > 0) categoryMinutes[category.key] = m
    }
    const inCategories = Object.values(categoryMinutes).reduce((sum, m) => sum + m, 0)
    if (inCategories > requiredMinutes) {
      throw new ServiceError('VALIDATION', 'workforce.categoriesOverTotal', { field: 'requiredHours', hours: hoursOf(inCategories), total: hoursOf(requiredMinutes) })
    }
    const values = {
      name_en: nameEn,
      name_es: nameEs,
      period_months: input.periodMonths,
      required_minutes: requiredMinutes,
      category_minutes: JSON.stringify(categoryMinutes),
      active: input.active ? 1 : 0,
    }
    let id = input.id
    let before: unknown = null
    if (id === undefined) {
      const last = await trx.selectFrom('workforce_credential_kinds').select((eb) => eb.fn.max('position').as('position')).executeTakeFirst()
      const position = (last?.position ?? 0) + 1
      // Positions only grow, so the key is unique; names can change, keys never do.
      id = (await trx.insertInto('workforce_credential_kinds').values({ ...values, key: `custom_${position}`, position }).returning('id').executeTakeFirstOrThrow()).id
    } else {
      const old = await trx.selectFrom('workforce_credential_kinds').selectAll().where('id', '=', id).executeTakeFirst()
      if (!old) throw new ServiceError('NOT_FOUND', 'workforce.kindNotFound', { field: 'kindId' })
      before = { nameEn: old.name_en, periodMonths: old.period_months, requiredMinutes: old.required_minutes, categoryMinutes: JSON.parse(old.category_minutes) as unknown, active: old.active === 1 }
      await trx.updateTable('workforce_credential_kinds').set(values).where('id', '=', id).execute()
    }
    const after = { nameEn, periodMonths: input.periodMonths, requiredMinutes, categoryMinutes, active: input.active }
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'workforce.kind_save', detail: { kindId: id, before, after } })
    return workforceSettings(trx)
  })
}

/** Deletes a kind no credential has ever held; one in use is refused (archive it instead). */
export async function deleteKind(ctx: ServiceContext, id: number): Promise<WorkforceSettings> {
  return inTransaction(ctx, async (trx) => {
    const kind = await trx.selectFrom('workforce_credential_kinds').select(['id', 'name_en']).where('id', '=', id).executeTakeFirst()
    if (!kind) throw new ServiceError('NOT_FOUND', 'workforce.kindNotFound', { field: 'kindId' })
    const held = await trx
      .selectFrom('workforce_credentials')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind_id', '=', id)
      .executeTakeFirstOrThrow()
    if (Number(held.n) > 0) throw new ServiceError('CONFLICT', 'workforce.kindInUse', { count: Number(held.n) })
    await trx.deleteFrom('workforce_credential_kinds').where('id', '=', id).execute()
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'workforce.kind_delete', detail: { kindId: id, nameEn: kind.name_en } })
    return workforceSettings(trx)
  })
}

/** The kinds whose requirement counts hours in a category, by their English name. */
async function requiringKinds(trx: Trx, key: string, activeOnly: boolean): Promise<string[]> {
  return (await allKinds(trx)).filter((k) => key in k.categoryMinutes && (!activeOnly || k.active)).map((k) => k.nameEn)
}

/** A center adds its own training categories (or renames, archives or restores one). */
export async function saveCategory(ctx: ServiceContext, input: CategoryInput): Promise<WorkforceSettings> {
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    const nameEn = input.nameEn.trim()
    const clash = await trx
      .selectFrom('workforce_categories')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['name_en']), '=', nameEn.toLowerCase()))
      .$if(input.id !== undefined, (q) => q.where('id', '!=', input.id ?? 0))
      .executeTakeFirst()
    if (clash) throw new ServiceError('CONFLICT', 'workforce.categoryExists', { field: 'nameEn' })
    let id = input.id
    if (id === undefined) {
      const last = await trx.selectFrom('workforce_categories').select((eb) => eb.fn.max('position').as('position')).executeTakeFirst()
      const position = (last?.position ?? 0) + 1
      // Positions only grow, so the key is unique; names can change, keys never do.
      const key = `custom_${position}`
      id = (await trx
        .insertInto('workforce_categories')
        .values({ key, name_en: nameEn, name_es: input.nameEs.trim(), position, active: input.active ? 1 : 0 })
        .returning('id')
        .executeTakeFirstOrThrow()).id
    } else {
      const old = await trx.selectFrom('workforce_categories').select('key').where('id', '=', id).executeTakeFirst()
      if (!old) throw new ServiceError('NOT_FOUND', 'workforce.categoryUnknown', { field: 'categoryId' })
      // Archived, it could not be chosen for training, so a requirement naming it could never be met.
      const requiredBy = input.active ? [] : await requiringKinds(trx, old.key, true)
      if (requiredBy.length > 0) throw new ServiceError('CONFLICT', 'workforce.categoryRequired', { field: 'active', kind: requiredBy.join(', ') })
      await trx.updateTable('workforce_categories').set({ name_en: nameEn, name_es: input.nameEs.trim(), active: input.active ? 1 : 0 }).where('id', '=', id).execute()
    }
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'workforce.category_save', detail: { categoryId: id, nameEn, active: input.active } })
    return workforceSettings(trx)
  })
}

/** Deletes a category no training was logged in and no requirement names; otherwise refused (archive it instead). */
export async function deleteCategory(ctx: ServiceContext, id: number): Promise<WorkforceSettings> {
  return inTransaction(ctx, async (trx) => {
    const category = await trx.selectFrom('workforce_categories').select(['id', 'key', 'name_en']).where('id', '=', id).executeTakeFirst()
    if (!category) throw new ServiceError('NOT_FOUND', 'workforce.categoryUnknown', { field: 'categoryId' })
    const requiredBy = await requiringKinds(trx, category.key, false)
    if (requiredBy.length > 0) throw new ServiceError('CONFLICT', 'workforce.categoryRequired', { kind: requiredBy.join(', ') })
    const logged = await trx
      .selectFrom('workforce_training')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('category_id', '=', id)
      .executeTakeFirstOrThrow()
    if (Number(logged.n) > 0) throw new ServiceError('CONFLICT', 'workforce.categoryInUse', { count: Number(logged.n) })
    await trx.deleteFrom('workforce_categories').where('id', '=', id).execute()
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'workforce.category_delete', detail: { categoryId: id, nameEn: category.name_en } })
    return workforceSettings(trx)
  })
}

import { sql } from 'kysely'
import type { Agencies } from '../schema'
import { REFERRAL_TYPES, type Agency, type ReferralType } from '../types'
import { appendAudit } from './audit'
import { centerId, inCenter, type CenterScope } from './centers'
import { inTransaction, isoNow, saveVersioned, ServiceError, type ServiceContext, type Trx } from './context'
import { normalizeName } from './participant-fields'
import { portable } from './portable'

export type { Agency }

/** What a person at the desk types about an agency; blank fields are null. */
export interface AgencyInput {
  name: string
  types: ReferralType[]
  contactName?: string | null
  phone?: string | null
  email?: string | null
  address?: string | null
  website?: string | null
  hours?: string | null
  notes?: string | null
  verifiedOn?: string | null
}

const DETAIL_FIELDS = ['contactName', 'phone', 'email', 'address', 'website', 'hours', 'notes', 'verifiedOn'] as const

/** The kinds of referral each of these agencies takes (agencies read through the center's scope first). */
async function typesByAgency(db: ServiceContext['db'] | Trx, ids: number[]): Promise<Map<number, ReferralType[]>> {
  const query = db.selectFrom('agency_referral_types').select(['agency_id', 'type']).where('agency_id', 'in', ids.length > 0 ? ids : [-1])
  const map = new Map<number, ReferralType[]>()
  for (const row of await query.execute()) map.set(row.agency_id, [...(map.get(row.agency_id) ?? []), row.type])
  // The center's order of kinds, not the order they were ticked.
  for (const [id, types] of map) map.set(id, REFERRAL_TYPES.filter((type) => types.includes(type)))
  return map
}

function toAgency(row: Agencies & { open_referrals: number }, types: ReferralType[]): Agency {
  return {
    id: row.id,
    name: row.name,
    types,
    contactName: row.contact_name,
    phone: row.phone,
    email: row.email,
    address: row.address,
    website: row.website,
    hours: row.hours,
    notes: row.notes,
    verifiedOn: row.verified_on,
    active: row.active === 1,
    openReferrals: Number(row.open_referrals),
    updatedAt: row.updated_at,
    version: row.row_version,
  }
}

/** The window's center's directory (0045 gave agencies a center: each center keeps its own list of partners). */
function selectAgencies(db: ServiceContext['db'] | Trx, scope: CenterScope) {
  return db
    .selectFrom('agencies')
    .$call(inCenter(scope, 'agencies'))
    .selectAll('agencies')
    .select((eb) =>
      eb
        .selectFrom('referrals')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('referrals.agency_id', '=', 'agencies.id')
        .where('referrals.closed_on', 'is', null)
        .as('open_referrals'),
    )
}

/** The directory, active agencies first, by name. Inactive ones only when asked for (old referrals still name them). */
export async function listAgencies(ctx: ServiceContext, options: { includeInactive?: boolean } = {}): Promise<Agency[]> {
  let query = selectAgencies(ctx.db, ctx)
  if (!options.includeInactive) query = query.where('active', '=', 1)
  const rows = await query.orderBy('active', 'desc').orderBy(portable(ctx.db).caseless(sql.ref('name'))).execute()
  const types = await typesByAgency(ctx.db, rows.map((row) => row.id))
  return rows.map((row) => toAgency({ ...row, open_referrals: row.open_referrals ?? 0 }, types.get(row.id) ?? []))
}

async function getAgency(db: ServiceContext['db'] | Trx, scope: CenterScope, id: number): Promise<Agency> {
  const row = await selectAgencies(db, scope).where('id', '=', id).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'agencies.notFound')
  const types = await typesByAgency(db, [id])
  return toAgency({ ...row, open_referrals: row.open_referrals ?? 0 }, types.get(id) ?? [])
}

function columnsOf(input: AgencyInput) {
  const name = input.name.replace(/\s+/g, ' ').trim()
  if (!name) throw new ServiceError('VALIDATION', 'agencies.nameRequired', { field: 'name' })
  const text = (value: string | null | undefined) => value?.trim() || null
  return {
    name,
    name_key: normalizeName(name),
    contact_name: text(input.contactName),
    phone: text(input.phone),
    email: text(input.email),
    address: text(input.address),
    website: text(input.website),
    hours: text(input.hours),
    notes: text(input.notes),
    verified_on: text(input.verifiedOn),
  }
}

async function refuseNameClash(trx: Trx, scope: CenterScope, nameKey: string, exceptId: number | null): Promise<void> {
  const clash = await trx.selectFrom('agencies').select(['id', 'name', 'active']).where('name_key', '=', nameKey).$call(inCenter(scope, 'agencies')).executeTakeFirst()
  if (clash && clash.id !== exceptId) {
    throw new ServiceError('VALIDATION', clash.active ? 'agencies.nameTaken' : 'agencies.nameTakenInactive', { field: 'name', agencyId: clash.id, name: clash.name })
  }
}

async function setTypes(trx: Trx, agencyId: number, types: ReferralType[]): Promise<void> {
  await trx.deleteFrom('agency_referral_types').where('agency_id', '=', agencyId).execute()
  const unique = [...new Set(types)]
  if (unique.length > 0) await trx.insertInto('agency_referral_types').values(unique.map((type) => ({ agency_id: agencyId, type }))).execute()
}

/** Adds an agency to the directory (`id` absent) or changes one. Names are unique, inactive ones included. */
export async function saveAgency(ctx: ServiceContext, input: AgencyInput & { id?: number; version?: number }): Promise<Agency> {
  if (input.types.length === 0) throw new ServiceError('VALIDATION', 'agencies.typesRequired', { field: 'types' })
  const columns = columnsOf(input)
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    await refuseNameClash(trx, ctx, columns.name_key, input.id ?? null)
    let id: number
    let fields: string[]
    if (input.id === undefined) {
      const row = await trx
        .insertInto('agencies')
        .values({ ...columns, center_id: centerId(ctx), active: 1, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      id = row.id
      fields = ['name', ...DETAIL_FIELDS.filter((field) => input[field]?.trim()), 'types']
    } else {
      const before = await getAgency(trx, ctx, input.id)
      id = input.id
      await saveVersioned(trx, 'agencies', { id, row_version: before.version }, input.version, { ...columns, updated_at: now }, centerId(ctx))
      const after = { ...columns, types: [...new Set(input.types)].sort().join(',') }
      const was = {
        name: before.name,
        contact_name: before.contactName,
        phone: before.phone,
        email: before.email,
        address: before.address,
        website: before.website,
        hours: before.hours,
        notes: before.notes,
        verified_on: before.verifiedOn,
        types: [...before.types].sort().join(','),
      }
      fields = (Object.keys(was) as Array<keyof typeof was>).filter((key) => was[key] !== after[key])
    }
    await setTypes(trx, id, input.types)
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: input.id === undefined ? 'agency.create' : 'agency.update',
      targetType: 'agency',
      targetId: id,
      detail: { fields },
    })
    return getAgency(trx, ctx, id)
  })
}

/**
 * An agency the center no longer works with leaves the pickers but stays on the referrals and
 * consents that name it. Making it inactive does not close its open referrals: they still need
 * an outcome.
 */
export async function setAgencyActive(ctx: ServiceContext, id: number, active: boolean, version?: number): Promise<Agency> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const before = await getAgency(trx, ctx, id)
    if (before.active === active) return before
    await saveVersioned(trx, 'agencies', { id, row_version: before.version }, version, { active: active ? 1 : 0, updated_at: now }, centerId(ctx))
    await appendAudit(trx, now, { staffId: ctx.staffId, action: active ? 'agency.activate' : 'agency.deactivate', targetType: 'agency', targetId: id })
    return getAgency(trx, ctx, id)
  })
}

/** An agency that can receive a new referral or consent. */
export async function activeAgency(trx: Trx, scope: CenterScope, id: number): Promise<Agencies> {
  const row = await trx.selectFrom('agencies').selectAll().where('id', '=', id).$call(inCenter(scope, 'agencies')).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'agencies.gone', { field: 'agencyId' })
  if (row.active !== 1) throw new ServiceError('VALIDATION', 'agencies.inactive', { field: 'agencyId', name: row.name })
  return row
}

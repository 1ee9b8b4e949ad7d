import { sql, type Kysely } from 'kysely'
import { centerOwnedTables } from '../migrations/0045_centers'
import type { Database } from '../schema'
import type { CenterRow, CentersOverview, CenterSummary, CountingRule, Role, StaffCenters } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, saveVersioned, ServiceError, type ServiceContext, type Trx } from './context'
import { putSetting } from './settings-store'

export type { CenterRow, CentersOverview, CenterSummary, CountingRule, StaffCenters }

/**
 * Several centers on one server (issue 15, point 4). The rule: a staff member works in one center
 * at a time (the session's `centerId`); every read of a row a center owns goes through
 * `inCenter` and every insert of one carries `centerId(ctx)`, so a missing scope is one search
 * away (`test/unit/center-scope.test.ts` watches the statements the scoped channels send).
 *
 * Who owns what (migration 0045):
 * - a center owns the tables in CENTER_OWNED below (people are registered at a center; their
 *   visits, referrals, consents, groups, coaching, safety and incidents are that center's);
 * - child rows (visit_services, visit_changes, participant_aliases, referral_events,
 *   agency_referral_types, group_facilitators, coaching_events, plan_goals/steps/changes,
 *   incident_people/history) belong through their parent and are reached only through a parent
 *   that was scoped; import_rows carries its file's center itself (0061), since a row's identity
 *   is looked up by itself, not through its file;
 * - the organization owns staff accounts, the service catalog, settings, workforce records and
 *   the audit log (one hash chain);
 * - the roll-up tables (report_*) are not yet split by center: a later step.
 */
/** 0045's list; a later migration that gives another table its center adds that table here. */
export const CENTER_OWNED = [...centerOwnedTables, 'import_rows'] as const satisfies ReadonlyArray<keyof Database>

export type CenterOwnedTable = (typeof CENTER_OWNED)[number]

/** The center every database had before migration 0045, and the only one of a single-center organization. */
export const FIRST_CENTER = 1

/** What a scope needs of a use case's context: its center. */
export type CenterScope = Pick<ServiceContext, 'centerId'>

/** The center a use case works in. */
export function centerId(ctx: CenterScope): number {
  return ctx.centerId ?? FIRST_CENTER
}

/**
 * The one scope: `query.$call(inCenter(ctx, 'p'))` keeps the rows of the table (or its alias)
 * that belong to the session's center. A row of another center is then simply not found.
 */
export function inCenter(ctx: CenterScope, tableOrAlias: string) {
  return ofCentersOnly(tableOrAlias, [centerId(ctx)])
}

/**
 * The one center filter under every scope (inCenter here, the reports' inScope, the export's
 * by-center): `query.$call(ofCentersOnly('v', centers))` keeps the rows of the table (or its
 * alias) whose center_id is one of `centers`; null keeps every row (the whole organization).
 */
export function ofCentersOnly(tableOrAlias: string, centers: readonly number[] | null) {
  const column = sql.ref(`${tableOrAlias}.center_id`)
  // Any builder with a `where`: select, update and delete alike (kysely has no common type for them).
  type Where<Q> = { where: (lhs: unknown, op: '=' | 'in', rhs: unknown) => Q }
  return <Q>(query: Q): Q => {
    if (centers === null) return query
    // One center as `=`: the statement the desk's scoped channels have always sent (centers.test reads it).
    return centers.length === 1 ? (query as unknown as Where<Q>).where(column, '=', centers[0]) : (query as unknown as Where<Q>).where(column, 'in', centers)
  }
}

/** The organization's centers still in use (not archived), by name. */
export async function listCenters(db: Kysely<Database>): Promise<CenterSummary[]> {
  return db.selectFrom('centers').select(['id', 'name']).where('archived_at', 'is', null).orderBy('name').orderBy('id').execute()
}

/**
 * The centers a staff member may work in: an admin (the organization's) every one in use; anyone
 * else their home center and the centers an admin granted them. Archived centers are no one's.
 */
export async function centersOfStaff(db: Kysely<Database>, staff: { id: number; role: Role }): Promise<CenterSummary[]> {
  if (staff.role === 'admin') return listCenters(db)
  return db
    .selectFrom('centers')
    .select(['centers.id', 'centers.name'])
    .where('centers.archived_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('centers.id', '=', eb.selectFrom('staff').select('home_center_id').where('staff.id', '=', staff.id)),
        eb('centers.id', 'in', eb.selectFrom('staff_centers').select('center_id').where('staff_centers.staff_id', '=', staff.id)),
      ]),
    )
    .orderBy('centers.name')
    .orderBy('centers.id')
    .execute()
}

/** The center a window works in, by id, archived or not (a center archived under an open window is still where it works until it switches). */
export async function centerById(db: Kysely<Database>, id: number): Promise<CenterSummary> {
  const row = await db.selectFrom('centers').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'centers.notFound')
  return row
}

/** The center a staff member starts in when signing in: their home center. */
export async function homeCenterOf(db: Kysely<Database>, staffId: number): Promise<number> {
  const row = await db.selectFrom('staff').select('home_center_id').where('id', '=', staffId).executeTakeFirst()
  return row?.home_center_id ?? FIRST_CENTER
}

/** Refuses a center the staff member holds no grant to (or that does not exist). */
export async function checkMayWorkIn(db: Kysely<Database>, staff: { id: number; role: Role }, center: number): Promise<CenterSummary> {
  const found = (await centersOfStaff(db, staff)).find((c) => c.id === center)
  if (!found) throw new ServiceError('FORBIDDEN', 'centers.notGranted')
  return found
}

/** An admin adds a center to the organization. */
export async function createCenter(ctx: ServiceContext, input: { name: string }): Promise<CenterSummary> {
  return inTransaction(ctx, async (trx) => {
    const name = input.name.trim()
    await refuseNameTaken(trx, name, null)
    const now = isoNow(ctx)
    const made = await trx.insertInto('centers').values({ name, created_at: now }).returning(['id', 'name']).executeTakeFirstOrThrow()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'center.create', targetType: 'center', targetId: made.id })
    return made
  })
}

/**
 * An admin sets the centers an account works in: its home center and any others. The account's
 * open sessions keep their current center until they switch or sign in again.
 */
export async function setStaffCenters(ctx: ServiceContext, input: { staffId: number; homeCenterId: number; otherCenterIds: readonly number[] }): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const wanted = [...new Set([input.homeCenterId, ...input.otherCenterIds])]
    const known = await trx.selectFrom('centers').select(['id', 'archived_at']).where('id', 'in', wanted).execute()
    if (known.length !== wanted.length) throw new ServiceError('NOT_FOUND', 'centers.notFound')
    const archived = known.find((center) => center.archived_at !== null)
    if (archived) throw new ServiceError('VALIDATION', 'centers.archivedNotGranted', { field: archived.id === input.homeCenterId ? 'homeCenterId' : 'otherCenterIds' })
    const staff = await trx.selectFrom('staff').select('id').where('id', '=', input.staffId).executeTakeFirst()
    if (!staff) throw new ServiceError('NOT_FOUND', 'staff.notFound')
    await trx.updateTable('staff').set({ home_center_id: input.homeCenterId, updated_at: isoNow(ctx) }).where('id', '=', input.staffId).execute()
    await trx.deleteFrom('staff_centers').where('staff_id', '=', input.staffId).execute()
    const others = wanted.filter((id) => id !== input.homeCenterId)
    if (others.length > 0) await trx.insertInto('staff_centers').values(others.map((center_id) => ({ staff_id: input.staffId, center_id }))).execute()
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'center.grant', targetType: 'staff', targetId: input.staffId, detail: { home: input.homeCenterId, others } })
  })
}

/** Refuses a name another center has already, whatever its case (the unique index alone would let "north side" beside "North Side"). */
async function refuseNameTaken(trx: Trx, name: string, self: number | null): Promise<void> {
  let query = trx.selectFrom('centers').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase())
  if (self !== null) query = query.where('id', '<>', self)
  if (await query.executeTakeFirst()) throw new ServiceError('CONFLICT', 'centers.nameTaken', { field: 'name' })
}

async function loadCenter(trx: Trx, id: number) {
  const row = await trx.selectFrom('centers').select(['id', 'name', 'archived_at', 'row_version']).where('id', '=', id).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'centers.notFound')
  return row
}

/**
 * A center's name has one home, its centers row (since migration 0061; setup names center 1 there):
 * the header, the switcher, the Centers screen, Settings → Center, the reports and the printed
 * sheets all read it, and both screens that rename a center save it here, at the row version their
 * form read. Returns the name and the row's version after the save (unchanged when the name is).
 */
export async function saveCenterName(trx: Trx, ctx: ServiceContext, input: { id: number; name: string; version?: number | undefined }): Promise<{ id: number; name: string; version: number }> {
  const name = input.name.trim()
  const before = await loadCenter(trx, input.id)
  if (before.name === name) return { id: before.id, name, version: before.row_version }
  await refuseNameTaken(trx, name, input.id)
  const at = isoNow(ctx)
  await saveVersioned(trx, 'centers', before, input.version, { name })
  await appendAudit(trx, at, { staffId: ctx.staffId, action: 'center.rename', targetType: 'center', targetId: input.id, detail: { from: before.name, to: name } })
  return { id: before.id, name, version: before.row_version + 1 }
}

/** A center's name, by id; null for a center that does not exist. */
export async function centerNameOf(db: Kysely<Database>, id: number): Promise<string | null> {
  const row = await db.selectFrom('centers').select('name').where('id', '=', id).executeTakeFirst()
  return row?.name ?? null
}

/** Every center's name by id (a few rows), for the windows' headers. */
export async function centerNames(db: Kysely<Database>): Promise<Map<number, string>> {
  return new Map((await db.selectFrom('centers').select(['id', 'name']).execute()).map((row) => [Number(row.id), row.name]))
}

/** An admin renames a center on the Centers screen. */
export async function renameCenter(ctx: ServiceContext, input: { id: number; name: string; version?: number }): Promise<CenterSummary> {
  return inTransaction(ctx, async (trx) => {
    const { id, name } = await saveCenterName(trx, ctx, input)
    return { id, name }
  })
}

/**
 * An admin archives a center the organization no longer runs, or brings it back. Never deleted:
 * its records stay. Refused for the last center in use, and while an active account still has it
 * as home center (they would sign in to a center nobody works in): move them first.
 */
export async function setCenterArchived(ctx: ServiceContext, input: { id: number; archived: boolean; version?: number }): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    const before = await loadCenter(trx, input.id)
    if ((before.archived_at !== null) === input.archived) return
    if (input.archived) {
      const inUse = await trx.selectFrom('centers').select((eb) => eb.fn.countAll().as('n')).where('archived_at', 'is', null).executeTakeFirstOrThrow()
      if (Number(inUse.n) <= 1) throw new ServiceError('CONFLICT', 'centers.lastInUse')
      const homes = await trx.selectFrom('staff').select((eb) => eb.fn.countAll().as('n')).where('home_center_id', '=', input.id).where('active', '=', 1).executeTakeFirstOrThrow()
      if (Number(homes.n) > 0) throw new ServiceError('CONFLICT', 'centers.stillHome', { count: Number(homes.n) })
    }
    const at = isoNow(ctx)
    await saveVersioned(trx, 'centers', before, input.version, { archived_at: input.archived ? at : null })
    await appendAudit(trx, at, { staffId: ctx.staffId, action: input.archived ? 'center.archive' : 'center.unarchive', targetType: 'center', targetId: input.id })
  })
}

/**
 * The admin's Centers screen: every center (in use first, by name), with how many accounts work
 * there and how many people are registered there. The people count reads only the
 * participants_center index (0045). Visits this year are not shown: visits have no index by
 * center and date, so counting a year would read every visit row of the year; the per-center
 * roll-ups the reports need will give it for free.
 */
export async function centersOverview(db: Kysely<Database>): Promise<CentersOverview> {
  const centers = await db.selectFrom('centers').select(['id', 'name', 'archived_at', 'row_version']).orderBy('name').orderBy('id').execute()
  const people = await db
    .selectFrom('participants')
    .select((eb) => ['center_id', eb.fn.countAll().as('n')])
    .where('merged_into', 'is', null)
    .where('deleted_at', 'is', null)
    .groupBy('center_id')
    .execute()
  const peopleAt = new Map(people.map((row) => [Number(row.center_id), Number(row.n)]))
  const staffAt = new Map<number, number>()
  for (const entry of await staffCenters(db, { activeStaffOnly: true })) {
    for (const center of new Set([entry.homeCenterId, ...entry.otherCenterIds])) staffAt.set(center, (staffAt.get(center) ?? 0) + 1)
  }
  const rows: CenterRow[] = centers.map((c) => ({
    id: c.id,
    name: c.name,
    active: c.archived_at === null,
    version: c.row_version,
    staff: staffAt.get(c.id) ?? 0,
    people: peopleAt.get(c.id) ?? 0,
  }))
  rows.sort((a, b) => Number(b.active) - Number(a.active))
  return { centers: rows, ...(await getCountingRule(db)) }
}

/** Every account's home center and other granted centers (admins, who work everywhere, left out when `activeStaffOnly`). */
export async function staffCenters(db: Kysely<Database>, options: { activeStaffOnly?: boolean } = {}): Promise<StaffCenters[]> {
  let staff = db.selectFrom('staff').select(['id', 'home_center_id']).orderBy('id')
  if (options.activeStaffOnly) staff = staff.where('active', '=', 1).where('role', '<>', 'admin')
  const accounts = await staff.execute()
  const grants = await db.selectFrom('staff_centers').select(['staff_id', 'center_id']).orderBy('center_id').execute()
  const others = new Map<number, number[]>()
  for (const grant of grants) others.set(Number(grant.staff_id), [...(others.get(Number(grant.staff_id)) ?? []), Number(grant.center_id)])
  return accounts.map((a) => ({ staffId: a.id, homeCenterId: Number(a.home_center_id), otherCenterIds: others.get(a.id) ?? [] }))
}

const COUNTING_KEY = 'counting_rule'

/** Whether the centers have agreed to match people; until an admin says so, they have not (each center counts its own). */
export async function getCountingRule(db: Kysely<Database>): Promise<CountingRule> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', COUNTING_KEY).executeTakeFirst()
  try {
    return { matchPeople: row ? (JSON.parse(row.value) as Partial<CountingRule>).matchPeople === true : false }
  } catch {
    // A damaged value reads as the default: counted once per center, never merged across centers.
    return { matchPeople: false }
  }
}

/** An admin records whether the centers have agreed to match people, audited. */
export async function setCountingRule(ctx: ServiceContext, input: CountingRule): Promise<CountingRule> {
  return inTransaction(ctx, async (trx) => {
    const before = await getCountingRule(trx)
    if (before.matchPeople === input.matchPeople) return before
    const at = isoNow(ctx)
    await putSetting(trx, COUNTING_KEY, { matchPeople: input.matchPeople }, at)
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'settings.counting', detail: { matchPeople: input.matchPeople } })
    return { matchPeople: input.matchPeople }
  })
}

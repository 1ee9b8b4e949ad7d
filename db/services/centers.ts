import { sql, type Kysely } from 'kysely'
import { centerOwnedTables } from '../migrations/0045_centers'
import type { Database } from '../schema'
import type { CenterSummary, Role } from '../types'

export type { CenterSummary }
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from './context'

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
 *   incident_people/history, import_rows) belong through their parent and are reached only
 *   through a parent that was scoped;
 * - the organization owns staff accounts, the service catalog, settings, workforce records and
 *   the audit log (one hash chain);
 * - the roll-up tables (report_*) are not yet split by center: a later step.
 */
/** 0045's list; a later migration that gives another table its center adds that table here. */
export const CENTER_OWNED = [...centerOwnedTables] as const satisfies ReadonlyArray<keyof Database>

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
  const center = centerId(ctx)
  // Any builder with a `where`: select, update and delete alike (kysely has no common type for them).
  return <Q>(query: Q): Q => (query as unknown as { where: (lhs: unknown, op: '=', rhs: number) => Q }).where(sql.ref(`${tableOrAlias}.center_id`), '=', center)
}

/** The organization's centers, by name. */
export async function listCenters(db: Kysely<Database>): Promise<CenterSummary[]> {
  return db.selectFrom('centers').select(['id', 'name']).orderBy('name').orderBy('id').execute()
}

/**
 * The centers a staff member may work in: an admin (the organization's) every one; anyone else
 * their home center and the centers an admin granted them.
 */
export async function centersOfStaff(db: Kysely<Database>, staff: { id: number; role: Role }): Promise<CenterSummary[]> {
  if (staff.role === 'admin') return listCenters(db)
  return db
    .selectFrom('centers')
    .select(['centers.id', 'centers.name'])
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
    const clash = await trx.selectFrom('centers').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst()
    if (clash) throw new ServiceError('CONFLICT', 'centers.nameTaken', { field: 'name' })
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
    const known = await trx.selectFrom('centers').select('id').where('id', 'in', wanted).execute()
    if (known.length !== wanted.length) throw new ServiceError('NOT_FOUND', 'centers.notFound')
    const staff = await trx.selectFrom('staff').select('id').where('id', '=', input.staffId).executeTakeFirst()
    if (!staff) throw new ServiceError('NOT_FOUND', 'staff.notFound')
    await trx.updateTable('staff').set({ home_center_id: input.homeCenterId, updated_at: isoNow(ctx) }).where('id', '=', input.staffId).execute()
    await trx.deleteFrom('staff_centers').where('staff_id', '=', input.staffId).execute()
    const others = wanted.filter((id) => id !== input.homeCenterId)
    if (others.length > 0) await trx.insertInto('staff_centers').values(others.map((center_id) => ({ staff_id: input.staffId, center_id }))).execute()
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'center.grant', targetType: 'staff', targetId: input.staffId })
  })
}

import { randomInt } from 'node:crypto'
import { sql } from 'kysely'
import type { Role, StaffAccount } from '../types'
import { appendAudit } from './audit'
import { checkRowVersion, inTransaction, isoNow, saveVersioned, ServiceError, type ServiceContext, type Trx } from './context'
import { hashPassword, verifyPassword } from './passwords'
import { portable } from './portable'

export type { StaffAccount }

export interface NewStaff {
  username: string
  displayName: string
  role: Role
  /** A first password the admin hands over; the person must change it at first sign-in. */
  password: string
}

export interface StaffChanges {
  displayName?: string
  role?: Role
  active?: boolean
}

const columns = ['id', 'username', 'display_name', 'role', 'active', 'locked_until', 'must_change_password', 'created_at', 'row_version'] as const

function toAccount(row: {
  id: number
  username: string
  display_name: string
  role: Role
  active: number
  locked_until: string | null
  must_change_password: number
  created_at: string
  row_version: number
}, now: Date): StaffAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    active: row.active === 1,
    // A lockout that has run out is no lockout: the screen shows only the ones still in force.
    lockedUntil: row.locked_until && new Date(row.locked_until) > now ? row.locked_until : null,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    version: row.row_version,
  }
}

/** Everyone with an account, active first, then by name. */
export async function listStaff(ctx: ServiceContext): Promise<StaffAccount[]> {
  const rows = await ctx.db
    .selectFrom('staff')
    .select(columns)
    .orderBy('active', 'desc')
    .orderBy(portable(ctx.db).caseless(sql.ref('display_name')))
    .execute()
  const now = ctx.now()
  return rows.map((row) => toAccount(row, now))
}

async function loadAccount(trx: Trx, id: number, now: Date): Promise<StaffAccount> {
  const row = await trx.selectFrom('staff').select(columns).where('id', '=', id).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'staff.notFound')
  return toAccount(row, now)
}

export async function createStaff(ctx: ServiceContext, input: NewStaff): Promise<StaffAccount> {
  const passwordHash = await hashPassword(input.password)
  return inTransaction(ctx, async (trx) => {
    const taken = await trx.selectFrom('staff').select('id').where('username', '=', input.username).executeTakeFirst()
    if (taken) {
      throw new ServiceError('CONFLICT', 'staff.usernameTaken', { field: 'username' })
    }
    const at = isoNow(ctx)
    const { id } = await trx
      .insertInto('staff')
      .values({
        username: input.username,
        display_name: input.displayName,
        role: input.role,
        password_hash: passwordHash,
        must_change_password: 1,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // The password itself is never written to the log.
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'staff.create', targetType: 'staff', targetId: id, detail: { role: input.role } })
    return loadAccount(trx, id, ctx.now())
  })
}

async function activeAdmins(trx: Trx): Promise<number> {
  const row = await trx
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Name, role, active. Refuses to leave the center without an active admin. */
export async function updateStaff(ctx: ServiceContext, id: number, changes: StaffChanges, version?: number): Promise<StaffAccount> {
  return inTransaction(ctx, async (trx) => {
    const now = ctx.now()
    const before = await loadAccount(trx, id, now)
    checkRowVersion({ row_version: before.version }, version)
    const losesAdmin =
      before.role === 'admin' && before.active && ((changes.role !== undefined && changes.role !== 'admin') || changes.active === false)
    if (losesAdmin && (await activeAdmins(trx)) <= 1) {
      throw new ServiceError(
        'CONFLICT',
        'staff.lastAdmin',
        { field: changes.active === false ? 'active' : 'role' },
      )
    }
    if (id === ctx.staffId && changes.active === false) {
      throw new ServiceError('CONFLICT', 'staff.deactivateSelf', { field: 'active' })
    }
    const changed: Record<string, unknown> = {}
    if (changes.displayName !== undefined && changes.displayName !== before.displayName) changed.displayName = true
    if (changes.role !== undefined && changes.role !== before.role) changed.role = { from: before.role, to: changes.role }
    if (changes.active !== undefined && changes.active !== before.active) changed.active = changes.active
    if (Object.keys(changed).length === 0) return before
    const at = isoNow(ctx)
    await saveVersioned(trx, 'staff', { id, row_version: before.version }, version, {
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.active !== undefined ? { active: changes.active ? 1 : 0 } : {}),
      updated_at: at,
    })
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'staff.update', targetType: 'staff', targetId: id, detail: changed })
    return loadAccount(trx, id, now)
  })
}

/** The account with this username (active or not), for the admin command line; null when there is none. */
export async function findStaffByUsername(ctx: ServiceContext, username: string): Promise<StaffAccount | null> {
  const row = await ctx.db.selectFrom('staff').select(columns).where('username', '=', username).executeTakeFirst()
  return row ? toAccount(row, ctx.now()) : null
}

/** Letters and digits nobody misreads from a screen (no 0/O, 1/l/I). */
const ONE_TIME_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** A password to read out once: 16 characters in groups of four (about 79 bits), changed at first use. */
export function oneTimePassword(): string {
  const chars = Array.from({ length: 16 }, () => ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)]!)
  return [0, 4, 8, 12].map((at) => chars.slice(at, at + 4).join('')).join('-')
}

/**
 * An admin sets a new password for someone who forgot theirs: it works once, to sign in and
 * choose their own. It also lifts a lockout, so resetting is how an admin lets someone back in early.
 */
export async function resetStaffPassword(ctx: ServiceContext, id: number, password: string, detail?: Record<string, unknown>): Promise<StaffAccount> {
  const passwordHash = await hashPassword(password)
  return inTransaction(ctx, async (trx) => {
    const now = ctx.now()
    await loadAccount(trx, id, now)
    const at = isoNow(ctx)
    await trx
      .updateTable('staff')
      .set({ password_hash: passwordHash, must_change_password: 1, failed_logins: 0, locked_until: null, updated_at: at })
      .where('id', '=', id)
      .execute()
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'staff.reset_password', targetType: 'staff', targetId: id, ...(detail ? { detail } : {}) })
    return loadAccount(trx, id, now)
  })
}

/** The signed-in staff member changes their own password (also how a forced change is done). */
export async function changeOwnPassword(ctx: ServiceContext, current: string, next: string): Promise<void> {
  const id = ctx.staffId
  if (id === null) throw new ServiceError('CONFLICT', 'staff.signInFirst')
  const row = await ctx.db.selectFrom('staff').select(['password_hash']).where('id', '=', id).where('active', '=', 1).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'staff.inactive')
  if (!(await verifyPassword(current, row.password_hash))) {
    throw new ServiceError('AUTH_FAILED', 'staff.currentPasswordWrong', { field: 'currentPassword' })
  }
  if (current === next) {
    throw new ServiceError('VALIDATION', 'staff.samePassword', { field: 'newPassword' })
  }
  const passwordHash = await hashPassword(next)
  await inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    await trx.updateTable('staff').set({ password_hash: passwordHash, must_change_password: 0, updated_at: at }).where('id', '=', id).execute()
    await appendAudit(trx, at, { staffId: id, action: 'staff.change_password', targetType: 'staff', targetId: id })
  })
}

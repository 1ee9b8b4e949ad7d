import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from './context'
import { verifyPassword } from './passwords'
import type { StaffSummary } from './setup'

export const MAX_FAILED_LOGINS = 5
export const LOCKOUT_MINUTES = 5

/**
 * Checks a staff member's password. Repeated failures lock the account for a few minutes;
 * the message never says whether it was the name or the password that was wrong.
 */
export async function authenticate(
  ctx: ServiceContext,
  username: string,
  password: string,
  options: { via?: 'kiosk' | 'unlock' } = {},
): Promise<StaffSummary> {
  return (await signInStaff(ctx, username, password, options)).staff
}

/** As `authenticate`, also saying whether an admin set this password and it must be changed now. */
export async function signInStaff(
  ctx: ServiceContext,
  username: string,
  password: string,
  options: { via?: 'kiosk' | 'unlock' } = {},
): Promise<{ staff: StaffSummary; mustChangePassword: boolean }> {
  const staff = await ctx.db
    .selectFrom('staff')
    .selectAll()
    .where('username', '=', username)
    .where('active', '=', 1)
    .executeTakeFirst()
  const now = ctx.now()
  if (staff?.locked_until && new Date(staff.locked_until) > now) {
    throw new ServiceError('LOCKED_OUT', 'staff.lockedOut', {
      until: staff.locked_until,
    })
  }
  const ok = staff ? await verifyPassword(password, staff.password_hash) : false
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    if (!staff || !ok) {
      if (staff) {
        const failures = staff.failed_logins + 1
        const lock = failures >= MAX_FAILED_LOGINS
        await trx
          .updateTable('staff')
          .set({
            failed_logins: lock ? 0 : failures,
            locked_until: lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null,
            updated_at: at,
          })
          .where('id', '=', staff.id)
          .execute()
      }
      await appendAudit(trx, at, { staffId: staff?.id ?? null, action: 'auth.failed', detail: { username, ...(options.via ? { via: options.via } : {}) } })
      return null
    }
    await trx.updateTable('staff').set({ failed_logins: 0, locked_until: null }).where('id', '=', staff.id).execute()
    await appendAudit(trx, at, { staffId: staff.id, action: 'auth.login', ...(options.via ? { detail: { via: options.via } } : {}) })
    return {
      staff: { id: staff.id, username: staff.username, displayName: staff.display_name, role: staff.role },
      mustChangePassword: staff.must_change_password === 1,
    }
  }).then((result) => {
    // Thrown after the commit, so the failure count is kept.
    if (!result) throw new ServiceError('AUTH_FAILED', 'staff.wrongPassword')
    return result
  })
}

/** `replaced`: someone else signed in on this person's locked window. */
export async function recordLogout(ctx: ServiceContext, reason?: 'replaced'): Promise<void> {
  await inTransaction(ctx, (trx) =>
    appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'auth.logout', ...(reason ? { detail: { reason } } : {}) }),
  )
}

/** A staff member turns this screen into a self check-in kiosk. */
export async function recordKioskEnter(ctx: ServiceContext): Promise<void> {
  await inTransaction(ctx, (trx) => appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'kiosk.enter' }))
}

import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import { appendAudit } from './audit'
import { FIRST_CENTER } from './centers'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from './context'
import { hashPassword } from './passwords'
import type { StaffSummary } from '../types'

export type { StaffSummary }

export interface SetupInput {
  centerName: string
  adminName: string
  username: string
  password: string
}

export async function isSetUp(db: Kysely<Database>): Promise<boolean> {
  const admin = await db.selectFrom('staff').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst()
  return admin !== undefined
}

/** A center's name (the first center's unless told): its centers row, the name's one home (0061). */
export async function getCenterName(db: Kysely<Database>, center: number = FIRST_CENTER): Promise<string | null> {
  const row = await db.selectFrom('centers').select('name').where('id', '=', center).executeTakeFirst()
  return row?.name ?? null
}


/** First run: names the center and creates the first admin, once. */
export async function completeSetup(ctx: ServiceContext, input: SetupInput): Promise<StaffSummary> {
  const passwordHash = await hashPassword(input.password)
  return inTransaction(ctx, async (trx) => {
    if (await isSetUp(trx)) throw new ServiceError('ALREADY_SET_UP', 'setup.alreadySetUp')
    const now = isoNow(ctx)
    // The first center (migration 0045 made it before the center had a name) takes the name given here: a center's name lives in its row.
    await trx.updateTable('centers').set({ name: input.centerName.trim() }).where('id', '=', FIRST_CENTER).execute()
    const staff = await trx
      .insertInto('staff')
      .values({
        username: input.username,
        display_name: input.adminName,
        role: 'admin',
        password_hash: passwordHash,
        created_at: now,
        updated_at: now,
      })
      .returning(['id', 'username', 'display_name', 'role'])
      .executeTakeFirstOrThrow()
    await appendAudit(trx, now, { staffId: staff.id, action: 'setup.complete', targetType: 'staff', targetId: staff.id })
    return { id: staff.id, username: staff.username, displayName: staff.display_name, role: staff.role }
  })
}

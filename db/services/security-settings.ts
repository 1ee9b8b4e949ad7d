import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import type { SecuritySettings } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, type ServiceContext } from './context'
import type { PcSettingsPort } from '../pc-settings'

export type { SecuritySettings }

const KEY = 'security'

/** Ten minutes: long enough for a conversation at the desk, short enough for a walk-away. */
export const DEFAULT_SECURITY: Readonly<SecuritySettings> = Object.freeze({ idleLockSeconds: 600 })

/** The idle lock the database held when it was a center setting: what a PC starts from the first time it keeps its own (db/pc-settings.ts). */
export async function getSecuritySettings(db: Kysely<Database>): Promise<SecuritySettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  if (!row) return { ...DEFAULT_SECURITY }
  try {
    const stored = JSON.parse(row.value) as Partial<SecuritySettings>
    const seconds = stored.idleLockSeconds
    return { idleLockSeconds: typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0 ? seconds : DEFAULT_SECURITY.idleLockSeconds }
  } catch {
    return { ...DEFAULT_SECURITY }
  }
}

/**
 * The idle lock is this PC's (a desk in the lobby locks sooner than the manager's office): kept
 * in this PC's file, and audited in the center's log, which a refused file write rolls back.
 */
export async function setSecuritySettings(ctx: ServiceContext, settings: SecuritySettings, pc: PcSettingsPort): Promise<SecuritySettings> {
  return inTransaction(ctx, async (trx) => {
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'settings.security', detail: { ...settings, thisPc: ['idleLockSeconds'] } })
    pc.save({ ...pc.current(), idleLockSeconds: settings.idleLockSeconds })
    return { idleLockSeconds: settings.idleLockSeconds }
  })
}

import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import type { SecuritySettings } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, type ServiceContext } from './context'
import { putSetting } from './settings-store'

export type { SecuritySettings }

const KEY = 'security'

/** Ten minutes: long enough for a conversation at the desk, short enough for a walk-away. */
export const DEFAULT_SECURITY: Readonly<SecuritySettings> = Object.freeze({ idleLockSeconds: 600 })

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

export async function setSecuritySettings(ctx: ServiceContext, settings: SecuritySettings): Promise<SecuritySettings> {
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    await putSetting(trx, KEY, settings, at)
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'settings.security', detail: { ...settings } })
    return settings
  })
}

import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import type { UpdateSettings } from '../update-types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from './context'
import { putSetting } from './settings-store'

export type { UpdateSettings }

const KEY = 'updates'

/** Off until an admin turns it on: a center's IT decides when a new version reaches the desk. */
export const DEFAULT_UPDATES: Readonly<UpdateSettings> = Object.freeze({ enabled: false, url: null })

/** Only http(s): the generic provider reads latest.yml and the installer over the web. */
export function isUpdateAddress(url: string): boolean {
  try {
    const parsed = new URL(url)
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname.length > 0 && !parsed.username && !parsed.password
  } catch {
    return false
  }
}

export async function getUpdateSettings(db: Kysely<Database>): Promise<UpdateSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  if (!row) return { ...DEFAULT_UPDATES }
  try {
    const stored = JSON.parse(row.value) as Partial<UpdateSettings>
    const url = typeof stored.url === 'string' && isUpdateAddress(stored.url) ? stored.url : null
    return { enabled: stored.enabled === true && url !== null, url }
  } catch {
    return { ...DEFAULT_UPDATES }
  }
}

/** Turning updates on needs an address; the change is audited (the address too: it is no secret). */
export async function setUpdateSettings(ctx: ServiceContext, settings: UpdateSettings): Promise<UpdateSettings> {
  const url = settings.url?.trim() || null
  if (url !== null && !isUpdateAddress(url)) throw new ServiceError('VALIDATION', 'updates.url', { field: 'url' })
  if (settings.enabled && url === null) throw new ServiceError('VALIDATION', 'updates.urlNeeded', { field: 'url' })
  const saved: UpdateSettings = { enabled: settings.enabled, url }
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    await putSetting(trx, KEY, saved, at)
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'settings.updates', detail: { ...saved } })
    return saved
  })
}

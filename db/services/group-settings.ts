import type { GroupSettings } from '../groups-types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext, type Trx } from './context'
import { putSetting } from './settings-store'

/**
 * The center's groups settings: which service a visit made by group attendance carries (the person
 * came only for a group), and whether the desk offers that service too. The 'group' service the
 * groups migration adds is for attendance only, so by default the desk's toggles leave it out.
 */

const KEY = 'groups.visitService'
const DEFAULTS: GroupSettings = { visitServiceKey: 'group', atDesk: false }

type Db = ServiceContext['db'] | Trx

export async function groupSettings(db: Db): Promise<GroupSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  if (!row) return DEFAULTS
  const stored = JSON.parse(row.value) as Partial<GroupSettings>
  return { visitServiceKey: stored.visitServiceKey ?? DEFAULTS.visitServiceKey, atDesk: stored.atDesk ?? DEFAULTS.atDesk }
}

/** The id of the service a visit made by attendance carries, or null when it has been retired. */
export async function groupVisitServiceId(trx: Trx): Promise<number | null> {
  const { visitServiceKey } = await groupSettings(trx)
  const service = await trx.selectFrom('services').select('id').where('key', '=', visitServiceKey).where('retired_at', 'is', null).executeTakeFirst()
  return service?.id ?? null
}

/** The service key the desk leaves out of its toggles (null when the desk offers every service). */
export async function serviceHiddenAtDesk(db: Db): Promise<string | null> {
  const settings = await groupSettings(db)
  return settings.atDesk ? null : settings.visitServiceKey
}

export async function saveGroupSettings(ctx: ServiceContext, input: GroupSettings): Promise<GroupSettings> {
  return inTransaction(ctx, async (trx) => {
    const service = await trx.selectFrom('services').select(['id', 'retired_at']).where('key', '=', input.visitServiceKey).executeTakeFirst()
    if (!service) throw new ServiceError('VALIDATION', 'groups.serviceUnknown', { field: 'visitServiceKey' })
    if (service.retired_at) throw new ServiceError('VALIDATION', 'groups.serviceRetired', { field: 'visitServiceKey' })
    const now = isoNow(ctx)
    const before = await groupSettings(trx)
    const after: GroupSettings = { visitServiceKey: input.visitServiceKey, atDesk: input.atDesk }
    await putSetting(trx, KEY, after, now)
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'settings.groups', detail: { before, after } })
    return after
  })
}

import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import type { CenterSettings } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from './context'
import { getCenterName } from './setup'
import { putSetting } from './settings-store'

export type { CenterSettings }

const KEY = 'center'
/** The center's name has its own key since setup: kept there so older files read the same. */
const NAME_KEY = 'center_name'

export const KIOSK_RESET_LIMITS = { min: 15, max: 600 } as const

/** Long enough to pick services and read the screen, short enough that the next person sees a clean kiosk. */
export const DEFAULT_KIOSK_RESET_SECONDS = 30

type Stored = Partial<Omit<CenterSettings, 'centerName'>>

async function readStored(db: Kysely<Database>): Promise<Stored> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  try {
    return row ? (JSON.parse(row.value) as Stored) : {}
  } catch {
    // A damaged value falls back to the defaults rather than stopping the desk.
    return {}
  }
}

/** Whether the platform's time-zone data knows this IANA name. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/**
 * The center's settings; `fallbackZone` (this computer's zone) until an admin picks one, so a
 * single-PC center that never opens Settings keeps working on the PC's clock.
 */
export async function getCenterSettings(db: Kysely<Database>, fallbackZone: string): Promise<CenterSettings> {
  const stored = await readStored(db)
  const seconds = stored.kioskResetSeconds
  return {
    centerName: (await getCenterName(db)) ?? '',
    timeZone: typeof stored.timeZone === 'string' && isTimeZone(stored.timeZone) ? stored.timeZone : fallbackZone,
    kioskResetSeconds:
      typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= KIOSK_RESET_LIMITS.min && seconds <= KIOSK_RESET_LIMITS.max
        ? seconds
        : DEFAULT_KIOSK_RESET_SECONDS,
    requireService: stored.requireService === true,
  }
}

export async function setCenterSettings(ctx: ServiceContext, input: CenterSettings): Promise<CenterSettings> {
  const centerName = input.centerName.trim()
  if (!centerName) throw new ServiceError('VALIDATION', 'center.name', { field: 'centerName' })
  if (centerName.length > 120) throw new ServiceError('VALIDATION', 'center.nameLength', { field: 'centerName', max: 120 })
  if (!isTimeZone(input.timeZone)) throw new ServiceError('VALIDATION', 'center.timeZone', { field: 'timeZone' })
  const { min, max } = KIOSK_RESET_LIMITS
  if (!Number.isInteger(input.kioskResetSeconds) || input.kioskResetSeconds < min || input.kioskResetSeconds > max) {
    throw new ServiceError('VALIDATION', 'center.kioskReset', { field: 'kioskResetSeconds', min, max })
  }
  const settings: CenterSettings = { centerName, timeZone: input.timeZone, kioskResetSeconds: input.kioskResetSeconds, requireService: input.requireService }
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    await putSetting(trx, NAME_KEY, centerName, at)
    await putSetting(trx, KEY, { timeZone: settings.timeZone, kioskResetSeconds: settings.kioskResetSeconds, requireService: settings.requireService }, at)
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'settings.center', detail: { ...settings } })
    return settings
  })
}

/** For sign-in and corrections: refuses a visit with no service when the center requires one. */
export async function checkServiceRequired(db: Kysely<Database>, serviceCount: number): Promise<void> {
  if (serviceCount > 0) return
  if ((await readStored(db)).requireService === true) {
    throw new ServiceError('VALIDATION', 'visits.serviceRequired', { field: 'services' })
  }
}

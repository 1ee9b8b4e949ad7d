import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import type { CenterSettings, PcSettings } from '../types'
import type { PcSettingsPort } from '../pc-settings'
import { appendAudit } from './audit'
import { checkRowVersion, inTransaction, isoNow, ServiceError, type ServiceContext, type Trx } from './context'
import { centerId, FIRST_CENTER, saveCenterName } from './centers'

export type { CenterSettings }

const KEY = 'center'

/** A center's name, as the centers table's CHECK allows (0045). */
export const CENTER_NAME_MAX = 100

export const KIOSK_RESET_LIMITS = { min: 15, max: 600 } as const

/** Long enough to pick services and read the screen, short enough that the next person sees a clean kiosk. */
export const DEFAULT_KIOSK_RESET_SECONDS = 30

type Stored = Partial<Omit<CenterSettings, 'centerName' | 'nameVersion' | 'version'>>

/** The version of settings never saved yet: a save that read it inserts the row at version 1. */
const UNSAVED = 0

async function readRow(db: Kysely<Database>): Promise<{ stored: Stored; version: number }> {
  const row = await db.selectFrom('settings').select(['value', 'row_version']).where('key', '=', KEY).executeTakeFirst()
  if (!row) return { stored: {}, version: UNSAVED }
  try {
    return { stored: JSON.parse(row.value) as Stored, version: row.row_version }
  } catch {
    // A damaged value falls back to the defaults rather than stopping the desk.
    return { stored: {}, version: row.row_version }
  }
}

async function readStored(db: Kysely<Database>): Promise<Stored> {
  return (await readRow(db)).stored
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
 * single-PC center that never opens Settings keeps working on the PC's clock. The kiosk's reset
 * is this PC's (`pc`); the name and its version are `center`'s own row (the one the Centers
 * screen renames); the rest the whole organization's settings row.
 */
export async function getCenterSettings(db: Kysely<Database>, fallbackZone: string, pc: Pick<PcSettings, 'kioskResetSeconds'>, center: number = FIRST_CENTER): Promise<CenterSettings> {
  const { stored, version } = await readRow(db)
  const named = await db.selectFrom('centers').select(['name', 'row_version']).where('id', '=', center).executeTakeFirst()
  return {
    centerName: named?.name ?? '',
    nameVersion: named?.row_version ?? 1,
    timeZone: typeof stored.timeZone === 'string' && isTimeZone(stored.timeZone) ? stored.timeZone : fallbackZone,
    kioskResetSeconds: pc.kioskResetSeconds,
    requireService: stored.requireService === true,
    version,
  }
}

/**
 * The kiosk reset the database held when it was a center setting: what a PC starts from the
 * first time it keeps its own (db/pc-settings.ts), and never read after that.
 */
export async function storedKioskResetSeconds(db: Kysely<Database>): Promise<number> {
  const seconds = (await readStored(db)).kioskResetSeconds
  const { min, max } = KIOSK_RESET_LIMITS
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= min && seconds <= max ? seconds : DEFAULT_KIOSK_RESET_SECONDS
}

/**
 * Saves the window's center's name (its centers row, as the Centers screen renames it), the
 * organization's clock and rule for every PC, and the kiosk's reset on this PC only (`pc`), in the
 * same transaction's span: a refused file write rolls the rest back. A form read at `version` (or
 * a name read at `nameVersion`) is refused (STALE, with the new version) when another PC saved
 * since; no version (the command line, the test host's setup) saves over whatever is there.
 */
export async function setCenterSettings(
  ctx: ServiceContext,
  input: Omit<CenterSettings, 'version' | 'nameVersion'> & { version?: number | undefined; nameVersion?: number | undefined },
  pc: PcSettingsPort,
): Promise<CenterSettings> {
  const centerName = input.centerName.trim()
  if (!centerName) throw new ServiceError('VALIDATION', 'center.name', { field: 'centerName' })
  if (centerName.length > CENTER_NAME_MAX) throw new ServiceError('VALIDATION', 'center.nameLength', { field: 'centerName', max: CENTER_NAME_MAX })
  if (!isTimeZone(input.timeZone)) throw new ServiceError('VALIDATION', 'center.timeZone', { field: 'timeZone' })
  const { min, max } = KIOSK_RESET_LIMITS
  if (!Number.isInteger(input.kioskResetSeconds) || input.kioskResetSeconds < min || input.kioskResetSeconds > max) {
    throw new ServiceError('VALIDATION', 'center.kioskReset', { field: 'kioskResetSeconds', min, max })
  }
  const chosen = { centerName, timeZone: input.timeZone, kioskResetSeconds: input.kioskResetSeconds, requireService: input.requireService }
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    // The old kiosk value stays in the row: it is what the next new PC starts from.
    const { stored, version } = await readRow(trx)
    const { kioskResetSeconds: carried } = stored
    const value = JSON.stringify({ timeZone: chosen.timeZone, requireService: chosen.requireService, ...(carried === undefined ? {} : { kioskResetSeconds: carried }) })
    const saved = await saveCenterRow(trx, version, input.version, value, at)
    const named = await saveCenterName(trx, ctx, { id: centerId(ctx), name: centerName, version: input.nameVersion })
    const settings: CenterSettings = { ...chosen, nameVersion: named.version, version: saved }
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'settings.center', detail: { ...chosen, thisPc: ['kioskResetSeconds'] } })
    const before = pc.current()
    if (before.kioskResetSeconds !== settings.kioskResetSeconds) pc.save({ ...before, kioskResetSeconds: settings.kioskResetSeconds })
    return settings
  })
}

/**
 * Writes the center's settings row read at `version` and moves its version on, only if no other
 * PC saved it since: the statement's own condition (or, for a first save, the key) closes the gap
 * between the read and the write. Returns the new version.
 */
async function saveCenterRow(trx: Trx, version: number, expected: number | undefined, value: string, at: string): Promise<number> {
  checkRowVersion({ row_version: version }, expected)
  if (version === UNSAVED) {
    // Two first saves at once (PostgreSQL): the second breaks the key and is refused like any lost update.
    const made = await trx.insertInto('settings').values({ key: KEY, value, updated_at: at, row_version: 1 }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst()
    if (Number(made.numInsertedOrUpdatedRows ?? 0) !== 1) throw new ServiceError('STALE', 'door.changedElsewhere')
    return 1
  }
  const saved = await trx.updateTable('settings').set({ value, updated_at: at, row_version: version + 1 }).where('key', '=', KEY).where('row_version', '=', version).executeTakeFirst()
  if (Number(saved.numUpdatedRows) !== 1) throw new ServiceError('STALE', 'door.changedElsewhere')
  return version + 1
}

/** For sign-in and corrections: refuses a visit with no service when the center requires one. */
export async function checkServiceRequired(db: Kysely<Database>, serviceCount: number): Promise<void> {
  if (serviceCount > 0) return
  if ((await readStored(db)).requireService === true) {
    throw new ServiceError('VALIDATION', 'visits.serviceRequired', { field: 'services' })
  }
}

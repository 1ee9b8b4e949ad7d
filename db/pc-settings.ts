import { existsSync, readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import type { Database } from './schema'
import { replaceFileAtomically } from './keystore-passphrase'
import { log } from './log'
import { DEFAULT_KIOSK_RESET_SECONDS, KIOSK_RESET_LIMITS, storedKioskResetSeconds } from './services/center-settings'
import { DEFAULT_SECURITY, getSecuritySettings } from './services/security-settings'
import type { PcSettings } from './types'

export type { PcSettings }

const FORMAT_VERSION = 1

/** The file's name, beside the database file and the server's connection file. */
export const PC_SETTINGS_FILE = 'pc-settings.json'

/** Idle lock bounds, as the settings channel takes them (seconds). */
export const IDLE_LOCK_LIMITS = { min: 3, max: 4 * 60 * 60 } as const

export const DEFAULT_PC_SETTINGS: Readonly<PcSettings> = Object.freeze({
  idleLockSeconds: DEFAULT_SECURITY.idleLockSeconds,
  kioskResetSeconds: DEFAULT_KIOSK_RESET_SECONDS,
})

const within = (value: unknown, limits: { min: number; max: number }): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= limits.min && value <= limits.max

/** Each value checked on its own: one bad value falls back to its default and keeps the others. */
function normalize(stored: Partial<Record<keyof PcSettings, unknown>>): PcSettings {
  return {
    idleLockSeconds: within(stored.idleLockSeconds, IDLE_LOCK_LIMITS) ? stored.idleLockSeconds : DEFAULT_PC_SETTINGS.idleLockSeconds,
    kioskResetSeconds: within(stored.kioskResetSeconds, KIOSK_RESET_LIMITS) ? stored.kioskResetSeconds : DEFAULT_PC_SETTINGS.kioskResetSeconds,
  }
}

/**
 * The settings that belong to one PC rather than to the center: how soon its staff screen locks
 * and how soon its self check-in screen resets. With the records on the center's server every
 * PC shares the database, so these cannot live there (a kiosk tablet's 30 seconds would become
 * the manager's office's); they live in plain JSON beside the database file, as the connection
 * file does, on both backends so a PC behaves the same whichever holds the records. Nothing in
 * it is secret.
 */
export class PcSettingsFile {
  constructor(readonly path: string) {}

  exists(): boolean {
    return existsSync(this.path)
  }

  /** Null when the file is not there; a damaged file gives the defaults (and says so in the log) rather than stopping the PC. */
  read(): PcSettings | null {
    if (!this.exists()) return null
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { v?: unknown; settings?: Partial<Record<keyof PcSettings, unknown>> }
      if (parsed?.v !== FORMAT_VERSION || typeof parsed.settings !== 'object' || parsed.settings === null) throw new Error('not a settings file this version reads')
      return normalize(parsed.settings)
    } catch (error) {
      log.warn('pcSettings.damaged', { file: this.path, reason: error instanceof Error ? error.message : String(error) })
      return { ...DEFAULT_PC_SETTINGS }
    }
  }

  /** Written aside, fsynced, renamed over: a crash leaves the old settings or the new ones. */
  save(settings: PcSettings): void {
    replaceFileAtomically(this.path, `${JSON.stringify({ v: FORMAT_VERSION, settings: normalize(settings) }, null, 2)}\n`)
  }
}

/**
 * This PC's settings at open. The first time (no file yet) they are carried over from the
 * database, where every PC's values were kept before they were kept per PC, and written down:
 * after that the database's old values are never read again by this PC. A PC that cannot write
 * its file keeps the values for this run and tries again at the next start.
 */
export async function openPcSettings(file: PcSettingsFile, db: Kysely<Database>): Promise<PcSettings> {
  const stored = file.read()
  if (stored) return stored
  const carried = normalize({
    idleLockSeconds: (await getSecuritySettings(db)).idleLockSeconds,
    kioskResetSeconds: await storedKioskResetSeconds(db),
  })
  try {
    file.save(carried)
    log.info('pcSettings.carriedOver', { file: file.path })
  } catch (error) {
    log.warn('pcSettings.unwritable', { file: file.path, reason: error instanceof Error ? error.message : String(error) })
  }
  return carried
}

/** How the services reach this PC's settings without knowing where they are kept. */
export interface PcSettingsPort {
  current(): PcSettings
  /** Keeps the new values (throws when they cannot be written) and applies them to this PC at once. */
  save(next: PcSettings): void
}

import { dirname } from 'node:path'
import { checkFolder, BackupError } from '../backup'
import { DbError } from '../errors'
import { BACKUP_STALE_HOURS, backupState, databaseBytes, formatBytes, freeBytes, spaceNeededBeside, spaceNeededForBackup } from '../health'
import type { DbKey } from '../keys'
import { SCHEMA_VERSION, schemaVersionOf } from '../migrations'
import { appliedMigrations, openDatabase, preflight, type OpenDatabase } from '../open'

/**
 * `admin doctor`: what a careful IT person checks on a center's PC, each finding with what to do.
 * Reads only: the database is opened read-only, after the byte-level checks.
 */
export interface Finding {
  check: 'key' | 'pages' | 'integrity' | 'schema' | 'disk' | 'backup folder' | 'last backup'
  ok: boolean
  said: string
  /** What to do about it; absent when all is well. */
  todo?: string
}

export interface DoctorOptions {
  now: Date
  /** The drive's free space (tests simulate a full drive here); default: the file system's. */
  freeBytes?: (path: string) => number | null
}

export interface DoctorResult {
  findings: Finding[]
  /** The refusal that stopped the checks of the file itself (a wrong key, a damaged file, a newer schema). */
  stoppedBy: DbError | null
}

const RESTORE_TODO = 'Stop using this file: restore the latest verified backup (Backups in Porchlight, or `npm run admin -- restore`). Keep the damaged file for whoever investigates.'

function fileFinding(error: DbError): Finding {
  switch (error.code) {
    case 'DB_WRONG_KEY':
      return { check: 'key', ok: false, said: error.message, todo: "Use this center's key file (or the recovery key). The file itself may be fine." }
    case 'DB_TOO_NEW':
      return { check: 'schema', ok: false, said: error.message, todo: 'Install the newer version of Porchlight on this computer (the file was not changed).' }
    default:
      return { check: 'pages', ok: false, said: error.message, todo: RESTORE_TODO }
  }
}

function hoursBetween(from: string, to: Date): number {
  return (to.getTime() - new Date(from).getTime()) / 3_600_000
}

function ageText(hours: number): string {
  return hours < 48 ? `${Math.max(0, Math.round(hours))} hours` : `${Math.round(hours / 24)} days`
}

async function recordsFindings(opened: OpenDatabase, options: Required<DoctorOptions>, dbBytes: number): Promise<Finding[]> {
  const findings: Finding[] = []
  const applied = appliedMigrations(opened.sqlite)
  const version = schemaVersionOf(applied)
  findings.push(
    version < SCHEMA_VERSION
      ? { check: 'schema', ok: true, said: `Schema version ${version}; this Porchlight upgrades it to ${SCHEMA_VERSION} at its next start, after making a verified copy beside it.` }
      : { check: 'schema', ok: true, said: `Schema version ${version}, the one this Porchlight writes.` },
  )
  const state = await backupState(opened.db)
  if (!state.folder) {
    findings.push({ check: 'backup folder', ok: false, said: 'No backup folder is chosen: no backups are being made.', todo: 'An admin chooses a folder (ideally on another drive) in Porchlight under Backups.' })
  } else {
    try {
      checkFolder(state.folder)
      const free = options.freeBytes(state.folder)
      const needed = spaceNeededForBackup(dbBytes)
      findings.push(
        free !== null && free < needed
          ? { check: 'backup folder', ok: false, said: `The backup folder ${state.folder} is nearly full: ${formatBytes(free)} free, a backup needs about ${formatBytes(needed)}.`, todo: 'Free space on that drive (older backups there can go to an archive), or choose a larger drive under Backups.' }
          : { check: 'backup folder', ok: true, said: `Backup folder ${state.folder} is writable${free === null ? '' : `, ${formatBytes(free)} free`}.` },
      )
    } catch (error) {
      if (!(error instanceof BackupError)) throw error
      findings.push({ check: 'backup folder', ok: false, said: error.message, todo: 'Plug in or reconnect the backup drive, or choose another folder under Backups.' })
    }
  }
  const success = state.lastSuccess
  if (!success) {
    findings.push({ check: 'last backup', ok: false, said: 'No backup has ever been made of this database.', todo: 'Make one now: Backups → Back up now in Porchlight, or `npm run admin -- backup`.' })
  } else {
    const hours = hoursBetween(success.at, options.now)
    const failedSince = state.last && !state.last.ok && state.last.at > success.at ? ` The latest attempt failed: ${state.last.error ?? 'no reason recorded'}.` : ''
    findings.push(
      hours > BACKUP_STALE_HOURS
        ? { check: 'last backup', ok: false, said: `The last backup (${success.file ?? 'unnamed'}) is ${ageText(hours)} old.${failedSince}`, todo: 'Check that the backup drive is plugged in and the schedule is on, then back up now.' }
        : { check: 'last backup', ok: true, said: `Last backup ${success.file ?? ''} made ${ageText(hours)} ago.${failedSince}` },
    )
  }
  return findings
}

export async function doctor(file: string, key: DbKey, options: DoctorOptions): Promise<DoctorResult> {
  const resolved: Required<DoctorOptions> = { freeBytes, ...options }
  const findings: Finding[] = []
  let stoppedBy: DbError | null = null
  // The WAL too: an upgrade's copy and a backup hold what it holds.
  const dbBytes = databaseBytes(file).total ?? 0
  let opened: OpenDatabase | null = null
  try {
    preflight(file, key)
    findings.push({ check: 'key', ok: true, said: 'The key opens this database.' })
    // Every page's MAC and the length against the header, then SQLite's own integrity_check.
    opened = await openDatabase(file, key, { readonly: true, check: 'pages' })
    findings.push({ check: 'pages', ok: true, said: `Every page (${formatBytes(dbBytes)}) passes its MAC check.` })
    const problems = (opened.sqlite.pragma('integrity_check') as Array<Record<string, unknown>>).map((row) => String(Object.values(row)[0])).filter((line) => line !== 'ok')
    findings.push(problems.length === 0 ? { check: 'integrity', ok: true, said: 'integrity_check: ok.' } : { check: 'integrity', ok: false, said: `integrity_check found ${problems.length} problem(s): ${problems.slice(0, 3).join('; ')}`, todo: RESTORE_TODO })
    findings.push(...(await recordsFindings(opened, resolved, dbBytes)))
  } catch (error) {
    if (!(error instanceof DbError)) throw error
    stoppedBy = error
    findings.push(fileFinding(error))
  } finally {
    await opened?.close()
  }
  const folder = dirname(file)
  const free = resolved.freeBytes(folder)
  const needed = spaceNeededBeside(dbBytes)
  findings.push(
    free === null
      ? { check: 'disk', ok: false, said: `Could not read the free space of ${folder}.`, todo: 'Check that the drive is attached and readable.' }
      : free < needed
        ? { check: 'disk', ok: false, said: `Only ${formatBytes(free)} free beside the database; it needs about ${formatBytes(needed)} (its upgrades' copies, its journal, a day's work).`, todo: 'Free space on that drive before the next start or upgrade.' }
        : { check: 'disk', ok: true, said: `${formatBytes(free)} free beside the database.` },
  )
  return { findings, stoppedBy }
}

/** The findings as lines for a terminal: what was checked, what was found, what to do. */
export function doctorLines(result: DoctorResult): string[] {
  return result.findings.flatMap((finding) => [
    `${finding.ok ? 'ok     ' : 'PROBLEM'} ${finding.check}: ${finding.said}`,
    ...(finding.todo ? [`        What to do: ${finding.todo}`] : []),
  ])
}

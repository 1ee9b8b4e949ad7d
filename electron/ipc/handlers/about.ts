import { readFile } from 'node:fs/promises'
import { ServiceError } from '../../../db/services/context'
import { backupState, databaseBytes, engineVersions, formatBytes, freeBytes } from '../../../db/health'
import { log, logStatus } from '../../../db/log'
import { SCHEMA_VERSION, schemaVersionOf } from '../../../db/migrations'
import { appliedMigrations } from '../../../db/open'
import type { AboutInfo, aboutChannels } from '../contract/about'
import type { PorchlightCore, Session } from '../core'
import type { FeatureHandlers } from './types'

/** The facts About shows; the records' own (backups, integrity) only to a signed-in, unlocked window. */
export async function aboutInfo(core: PorchlightCore, session: Session): Promise<AboutInfo> {
  const { state, refusedCode } = core.databaseState()
  const opened = core.database
  const engines = engineVersions()
  let care: AboutInfo['care'] = null
  if (opened && session.staff && !session.locked) {
    try {
      const records = await backupState(opened.db)
      care = {
        backupFolder: records.folder,
        backupFolderFreeBytes: records.folder ? freeBytes(records.folder) : null,
        lastBackup: records.last && { at: records.last.at, ok: records.last.ok, file: records.last.file, error: records.last.error },
        lastSuccessAt: records.lastSuccess?.at ?? null,
        integrity: records.integrity && { at: records.integrity.at, ok: records.integrity.ok, problems: records.integrity.problems.length },
      }
    } catch (error) {
      // A database busy with another writer (the admin command line) still lets About answer.
      log.warn('about.records', {}, error)
    }
  }
  const logState = logStatus()
  return {
    versions: {
      porchlight: core.appVersion,
      electron: process.versions.electron ?? null,
      chromium: process.versions.chrome ?? null,
      node: process.versions.node,
      sqlite: engines.sqlite,
      cipher: engines.cipher,
    },
    database: {
      file: core.dbFile,
      bytes: databaseBytes(core.dbFile),
      state,
      refusedCode,
      schemaVersion: opened ? schemaVersionOf(appliedMigrations(opened.sqlite)) : null,
      knownSchemaVersion: SCHEMA_VERSION,
      freeBytes: freeBytes(core.dbFile),
    },
    care,
    updates: core.updates.status(),
    log: session.staff?.role === 'admin' && !session.locked ? { folder: logState.dir, writing: logState.writing, problem: logState.problem } : null,
  }
}

function when(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'never'
}

function size(bytes: number | null): string {
  return bytes === null ? 'unknown' : formatBytes(bytes)
}

function updateLine(status: AboutInfo['updates']): string {
  switch (status.phase) {
    case 'unavailable':
      return 'not available in this build (not installed)'
    case 'off':
      return 'off (installed by hand)'
    case 'unsigned':
      return 'turned on, but this build is not signed, so updates cannot be verified and stay off'
    case 'idle':
      return `on · last checked ${when(status.checkedAt)} · up to date`
    case 'checking':
      return 'on · checking now'
    case 'downloading':
      return `on · downloading ${status.version}${status.percent === null ? '' : ` (${status.percent} %)`}`
    case 'ready':
      return `on · ${status.version} downloaded, installs after Porchlight closes cleanly`
    case 'failed':
      return `on · last check failed ${when(status.at)}: ${status.message}`
  }
}

/** For IT, in English, safe to paste into an e-mail: versions, places, sizes, outcomes; never a record. */
export function diagnosticsText(info: AboutInfo, now: Date): string {
  const { versions: v, database: db, care } = info
  const runtime = v.electron ? `Electron ${v.electron} · Chromium ${v.chromium ?? 'unknown'}` : 'not running in Electron'
  const lines = [
    `Porchlight diagnostics, ${when(now.toISOString())}`,
    `Versions: Porchlight ${v.porchlight} · ${runtime} · Node ${v.node} · SQLite ${v.sqlite} · ${v.cipher}`,
    `System: ${process.platform} ${process.arch}`,
    `Database: ${db.file} · ${size(db.bytes.total)} on disk (main file ${size(db.bytes.main)}, -wal ${size(db.bytes.wal ?? 0)}, -shm ${size(db.bytes.shm ?? 0)}) · ${db.state}${db.refusedCode ? ` (${db.refusedCode})` : ''} · schema version ${db.schemaVersion ?? 'unknown'} (this Porchlight writes ${db.knownSchemaVersion})`,
    `Free space beside the database: ${size(db.freeBytes)}`,
  ]
  if (care) {
    lines.push(`Backup folder: ${care.backupFolder ? `${care.backupFolder} · ${size(care.backupFolderFreeBytes)} free` : 'not chosen'}`)
    lines.push(`Last backup: ${care.lastSuccessAt ? when(care.lastSuccessAt) : 'never'}${care.lastBackup && !care.lastBackup.ok ? ` · latest attempt failed ${when(care.lastBackup.at)}: ${care.lastBackup.error ?? ''}` : ''}`)
    lines.push(`Last full integrity check: ${care.integrity ? `${when(care.integrity.at)} · ${care.integrity.ok ? 'ok' : `${care.integrity.problems} problem(s)`}` : 'never'}`)
  } else {
    lines.push('Backups and integrity checks: shown once a staff member signs in.')
  }
  lines.push(`Updates: ${updateLine(info.updates)}`)
  if (info.log) lines.push(info.log.writing ? `Log folder: ${info.log.folder}` : `Log: not written (${info.log.problem ?? 'no log folder'})`)
  return lines.join('\n')
}

export const aboutHandlers: FeatureHandlers<typeof aboutChannels> = {
  'about.info': async (_input, { core, session }) => aboutInfo(core, session),
  'about.diagnostics': async (_input, { core, session }) => ({ text: diagnosticsText(await aboutInfo(core, session), core.now()) }),
  'about.notices': async (_input, { core }) => {
    const file = core.noticesFile
    if (!file) return { text: null }
    try {
      return { text: await readFile(file, 'utf8') }
    } catch {
      return { text: null }
    }
  },
  'about.openLogFolder': async (_input, { core }) => {
    const { dir, writing } = logStatus()
    if (!dir || !writing) throw new ServiceError('CONFLICT', 'about.noLogFolder')
    await core.platform.openFolder(dir)
    return { folder: dir }
  },
}

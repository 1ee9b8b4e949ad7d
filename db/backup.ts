import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { copyFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { CopyMade, Inspection } from './backup-tasks'
import { runInWorker, WorkerTaskError } from './backup-thread'
import { DbError } from './errors'
import type { BackupListing, BackupPreview } from './types'
import type { DbKey } from './keys'
import { migrationList } from './migrations'
import type { OpenDatabase } from './open'
import { english, message, type MessageRef } from '../shared/messages'

export { tableCounts } from './backup-tasks'

export type { BackupListing, BackupPreview }

/**
 * Backups are encrypted copies made with `VACUUM INTO` (SQLite's online backup API cannot copy
 * between encrypted databases; VACUUM INTO writes a compact copy under the same key), verified
 * by opening them, and described by a small manifest beside them. The copy, its checks and its
 * hash run on a worker thread with its own connection (backup-tasks.ts), so main stays free.
 */
export type BackupErrorCode = 'BACKUP_FOLDER' | 'BACKUP_NO_SPACE' | 'BACKUP_FAILED' | 'RESTORE_REFUSED' | 'RESTORE_FAILED'

/** A backup or restore that did not happen: a key of the shared catalog (shared/messages), worded in English as `message`. */
export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    readonly ref: MessageRef,
  ) {
    super(english(ref))
    this.name = 'BackupError'
  }
}

export interface BackupManifest {
  format: 'porchlight-backup'
  version: 1
  createdAt: string
  file: string
  bytes: number
  sha256: string
  migrations: string[]
  counts: Record<string, number>
}

export interface BackupOptions {
  now?: Date
  /** Called as the backup moves through its steps, for a progress bar. */
  onStep?: (step: 'copying' | 'verifying' | 'rotating' | 'done') => void
}

export interface RotationPolicy {
  /** Keep the newest backup of each of the last N days that have one. */
  daily: number
  /** And the newest of each of the last N ISO weeks that have one. */
  weekly: number
}

const BACKUP_NAME = /^porchlight-(\d{8}-\d{6})\.db$/

export function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

function fsyncPath(path: string): void {
  // Directories cannot be opened for fsync on Windows; the rename is durable enough there.
  if (process.platform === 'win32' && statSync(path).isDirectory()) return
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Turns a file system or SQLite failure while writing to the backup folder into an error a person can act on. */
export function describeFsError(error: unknown, dir: string): BackupError {
  const code = (error as NodeJS.ErrnoException).code
  const text = error instanceof Error ? error.message : String(error)
  if (code === 'ENOSPC' || /disk is full|SQLITE_FULL/i.test(text)) {
    return new BackupError('BACKUP_NO_SPACE', message('backup.noSpace', { folder: dir }))
  }
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || /readonly|read-only/i.test(text)) {
    return new BackupError('BACKUP_FOLDER', message('backup.cannotWrite', { folder: dir, reason: code ?? 'read-only' }))
  }
  return new BackupError('BACKUP_FAILED', message('backup.failed', { folder: dir, reason: text }))
}

/** Refuses a folder that is missing, is a file, or cannot be written to, with what to do about it. */
export function checkFolder(dir: string): void {
  if (!existsSync(dir)) {
    throw new BackupError('BACKUP_FOLDER', message('backup.noFolder', { folder: dir }))
  }
  if (!statSync(dir).isDirectory()) throw new BackupError('BACKUP_FOLDER', message('backup.notFolder', { folder: dir }))
  try {
    accessSync(dir, constants.W_OK)
  } catch (error) {
    throw describeFsError(error, dir)
  }
}

function removePartial(partial: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true })
}

/** A failure the worker reported, said for a person: a full or missing drive, or a copy that did not check out. */
function backupFailure(error: unknown, dir: string): BackupError {
  const phase = error instanceof WorkerTaskError ? error.phase : undefined
  if (phase === 'counts') {
    return new BackupError('BACKUP_FAILED', message('backup.countsDiffer', { reason: error instanceof Error ? error.message : '' }))
  }
  if (phase === 'verifying') {
    const why = error instanceof Error ? error.message : String(error)
    return new BackupError('BACKUP_FAILED', message('backup.notVerified', { reason: why }))
  }
  return describeFsError(error, dir)
}

/**
 * Writes a verified, encrypted backup of the open database into `dir` and returns its manifest.
 * Nothing half-written is ever left under a backup's name: the copy is made under a temporary
 * name, synced, checked, and only then renamed. The copy, the checks and the hash run on a worker
 * thread reading the same file, so the database stays open for writing throughout.
 */
export async function backupDatabase(live: Pick<OpenDatabase, 'file'>, key: DbKey, dir: string, options: BackupOptions = {}): Promise<BackupManifest> {
  checkFolder(dir)
  const at = options.now ?? new Date()
  const name = `porchlight-${stamp(at)}.db`
  const final = join(dir, name)
  const partial = `${final}.partial`
  const step = options.onStep ?? (() => {})
  removePartial(partial)
  let made: CopyMade
  try {
    made = await runInWorker<CopyMade>({ kind: 'backup', liveFile: live.file, partial }, key, step)
  } catch (error) {
    removePartial(partial)
    throw backupFailure(error, dir)
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true })
  try {
    renameSync(partial, final)
    const manifest: BackupManifest = {
      format: 'porchlight-backup',
      version: 1,
      createdAt: at.toISOString(),
      file: name,
      bytes: statSync(final).size,
      sha256: made.sha256,
      migrations: made.migrations,
      counts: made.counts,
    }
    const manifestFile = `${final}.json`
    writeFileSync(`${manifestFile}.partial`, `${JSON.stringify(manifest, null, 2)}\n`)
    fsyncPath(`${manifestFile}.partial`)
    renameSync(`${manifestFile}.partial`, manifestFile)
    fsyncPath(dir)
    step('done')
    return manifest
  } catch (error) {
    throw describeFsError(error, dir)
  }
}

export interface BackupEntry {
  file: string
  createdAt: Date
}

/** Porchlight backups in a folder, newest first (by the time in their name); `named` picks another kind of copy (pg_dump's). */
export function listBackups(dir: string, named: RegExp = BACKUP_NAME): BackupEntry[] {
  return readdirSync(dir)
    .map((name) => ({ name, match: named.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => {
      const s = match[1]!
      const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`
      return { file: join(dir, name), createdAt: new Date(iso) }
    })
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
}


function readManifest(file: string): BackupManifest | null {
  try {
    const manifest = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Partial<BackupManifest>
    return manifest.format === 'porchlight-backup' ? (manifest as BackupManifest) : null
  } catch {
    return null
  }
}

/** The backups in a folder with what their manifests say, newest first; cheap (no hashing). */
export function describeBackups(dir: string): BackupListing[] {
  return listBackups(dir).map(({ file, createdAt }) => {
    const manifest = readManifest(file)
    const bytes = statSync(file).size
    const status = !manifest ? 'unverified' : manifest.bytes === bytes ? 'verified' : 'changed'
    return { file: basename(file), createdAt: createdAt.toISOString(), bytes, status, counts: manifest?.counts ?? null }
  })
}

export interface BackupRun {
  manifest: BackupManifest
  /** Older backups the rotation removed (full paths). */
  removed: string[]
}

/** A backup and then the rotation, as the scheduler, the Backups screen and the CLI run it. */
export async function backupAndRotate(live: OpenDatabase, key: DbKey, dir: string, policy: RotationPolicy, options: BackupOptions = {}): Promise<BackupRun> {
  const step = options.onStep ?? (() => {})
  const manifest = await backupDatabase(live, key, dir, { ...options, onStep: (s) => s !== 'done' && step(s) })
  step('rotating')
  let removed: string[]
  try {
    removed = rotateBackups(dir, policy)
  } catch (error) {
    throw describeFsError(error, dir)
  }
  step('done')
  return { manifest, removed }
}

function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
  const day = d.getUTCDay() || 7
  d.setUTCDate(d.getUTCDate() + 4 - day)
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1))
  return `${d.getUTCFullYear()}-W${Math.ceil(((d.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7)}`
}

/**
 * Deletes backups the policy does not keep; the newest backup is always kept. Returns what was
 * removed. `named` rotates another kind of copy by the same policy (pg_dump's, db/pg-dump.ts);
 * only files whose whole name matches are ever touched.
 */
export function rotateBackups(dir: string, policy: RotationPolicy, named: RegExp = BACKUP_NAME): string[] {
  const backups = listBackups(dir, named)
  const keep = new Set<string>()
  if (backups[0]) keep.add(backups[0].file)
  const days = new Set<string>()
  const weeks = new Set<string>()
  for (const backup of backups) {
    const day = backup.createdAt.toISOString().slice(0, 10)
    if (!days.has(day) && days.size < policy.daily) {
      days.add(day)
      keep.add(backup.file)
    }
    const week = isoWeek(backup.createdAt)
    if (!weeks.has(week) && weeks.size < policy.weekly) {
      weeks.add(week)
      keep.add(backup.file)
    }
  }
  const removed = backups.filter((backup) => !keep.has(backup.file)).map((backup) => backup.file)
  for (const file of removed) {
    rmSync(file, { force: true })
    rmSync(`${file}.json`, { force: true })
  }
  return removed
}


function refuse(file: string, error: unknown): BackupError {
  if (error instanceof DbError) {
    if (error.code === 'DB_WRONG_KEY') {
      return new BackupError('RESTORE_REFUSED', message('restore.otherKey', { file: basename(file) }))
    }
    return new BackupError('RESTORE_REFUSED', message('restore.refused', { file: basename(file), reason: error.ref }))
  }
  return new BackupError('RESTORE_REFUSED', message('restore.refusedBecause', { file: basename(file), reason: error instanceof Error ? error.message : String(error) }))
}

/** Checks a file through on the worker thread (pages, integrity_check, counts; the hash when asked). */
function inspect(file: string, key: DbKey, hash: boolean): Promise<Inspection> {
  return runInWorker<Inspection>({ kind: 'inspect', file, hash }, key)
}

/** What a backup holds, checked through on the worker thread, without restoring it. */
export async function previewBackup(file: string, key: DbKey): Promise<BackupPreview> {
  const manifest = readManifest(file)
  let verified: Inspection
  try {
    verified = await inspect(file, key, manifest !== null)
  } catch (error) {
    throw refuse(file, error)
  }
  const known = new Set(migrationList.map(([name]) => name))
  if (verified.migrations.length === 0 || verified.counts.participants === undefined) {
    throw new BackupError('RESTORE_REFUSED', message('restore.notBackup', { file: basename(file) }))
  }
  const unknown = verified.migrations.filter((name) => !known.has(name))
  if (unknown.length > 0) {
    throw new BackupError('RESTORE_REFUSED', message('restore.tooNew', { file: basename(file), versions: unknown.join(', ') }))
  }
  if (manifest && manifest.sha256 !== verified.sha256) {
    throw new BackupError('RESTORE_REFUSED', message('restore.changed', { file: basename(file) }))
  }
  const createdAt = manifest?.createdAt ?? null
  return { file, bytes: statSync(file).size, createdAt, counts: verified.counts, migrations: verified.migrations }
}

export interface RestoreResult {
  preview: BackupPreview
  /** Where the database that was replaced now lives, kept until someone removes it. */
  asideFile: string
}

/**
 * Replaces the database at `liveFile` (which the caller has closed) with a backup. The backup is
 * checked first; the current file is renamed aside, never deleted; the restored file must open
 * and pass its checks, or the current file is put back. Both checks run on the worker thread.
 */
export async function restoreDatabase(liveFile: string, backupFile: string, key: DbKey, now: Date = new Date(), checked?: BackupPreview): Promise<RestoreResult> {
  // `checked`: the caller previewed this very file a moment ago (a full read of it); not twice.
  const preview = checked ?? (await previewBackup(backupFile, key))
  const incoming = `${liveFile}.restoring`
  const asideFile = `${liveFile}.before-restore-${stamp(now)}`
  rmSync(incoming, { force: true })
  try {
    await copyFile(backupFile, incoming)
    fsyncPath(incoming)
  } catch (error) {
    rmSync(incoming, { force: true })
    throw new BackupError('RESTORE_FAILED', message('restore.copyFailed', { reason: error instanceof Error ? error.message : String(error) }))
  }
  const moved: Array<[string, string]> = []
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(`${liveFile}${suffix}`)) {
      renameSync(`${liveFile}${suffix}`, `${asideFile}${suffix}`)
      moved.push([`${liveFile}${suffix}`, `${asideFile}${suffix}`])
    }
  }
  renameSync(incoming, liveFile)
  fsyncPath(dirname(liveFile))
  try {
    // Checked through on the worker thread; the caller then opens it with the quick page check.
    await inspect(liveFile, key, false)
  } catch (error) {
    // Put the previous database back exactly as it was.
    rmSync(liveFile, { force: true })
    for (const suffix of ['-wal', '-shm']) rmSync(`${liveFile}${suffix}`, { force: true })
    for (const [original, aside] of moved) renameSync(aside, original)
    fsyncPath(dirname(liveFile))
    throw new BackupError('RESTORE_FAILED', message('restore.checksFailed', { reason: error instanceof Error ? error.message : String(error) }))
  }
  return { preview, asideFile }
}

/**
 * PRAGMA integrity_check of the live file, on the worker thread while main keeps writing. A
 * backup checks only its copy, which VACUUM INTO rebuilds: index damage in the live file would
 * never show there. Returns the problems found (empty: the file is sound).
 */
export async function checkLiveDatabase(live: OpenDatabase, key: DbKey): Promise<string[]> {
  const { problems } = await runInWorker<{ problems: string[] }>({ kind: 'integrity', file: live.file }, key)
  return problems
}

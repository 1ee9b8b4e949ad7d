import { randomInt } from 'node:crypto'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { checkFolder, stamp } from '../../backup'
import { runInWorker, WorkerTaskError } from '../../backup-thread'
import type { DbKey } from '../../keys'
import { elapsed, log } from '../../log'
import type { RecordsSource } from '../../backup-tasks'
import { appendAudit } from '../audit'
import { inTransaction, isDiskFull, isoNow, ServiceError, type ServiceContext } from '../context'
import type { ExportCenters, ExportWritten, FullExportResult } from '../../export-types'
import type { ReportScopeChoice } from '../../report-types'
import { countScope } from '../reports/scope'
import { centersNamed } from './by-center'

/** No 0/O, 1/l/I: read off a screen and typed into an unzip tool. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** Six groups of four from 31 characters: about 119 bits, typed without ambiguity. */
export function generateExportPassword(): string {
  const groups = Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''))
  return groups.join('-')
}

/**
 * An export killed part-way (power cut, crash) leaves its half-written `.zip.partial` beside where
 * the zip would have gone; it may hold people's records, so the next export in that folder removes it.
 */
export function removeLeftoverPartials(folder: string): string[] {
  const left = readdirSync(folder).filter((name) => /^porchlight-export-.+\.zip\.partial$/.test(name))
  for (const name of left) rmSync(join(folder, name), { force: true })
  return left
}

function failure(error: unknown, folder: string, file: string): ServiceError {
  const code = error instanceof WorkerTaskError || error instanceof Error ? (error as { code?: string }).code : undefined
  if (code === 'EEXIST') return new ServiceError('CONFLICT', 'export.exists', { file, field: 'folder' })
  if (isDiskFull(error)) return new ServiceError('DISK_FULL', 'door.diskFull')
  return new ServiceError('VALIDATION', 'export.failed', { folder, reason: error instanceof Error ? error.message : String(error), field: 'folder' })
}

/**
 * Where the export reads: the live file, the server through this PC's connection file, or a server
 * URL the admin command was given; always on the worker thread, from a read-only connection of its
 * own, so the desk keeps working.
 */
export type ExportSource = RecordsSource

/**
 * The centers an export holds: the window's center ('center'), or every center ('organization',
 * an organization admin's choice, refused to anyone else), by the reports' own rule (countScope);
 * a database that has only ever had one center is exported whole either way.
 */
export async function exportCenters(ctx: ServiceContext, choice: ReportScopeChoice): Promise<ExportCenters> {
  const { centers } = await countScope(ctx, choice)
  let named = ctx.db.selectFrom('centers').select('name').orderBy('id')
  if (centers !== null) named = named.where('id', 'in', centers)
  return { ids: centers, names: (await named.execute()).map((row) => row.name) }
}

/**
 * A full export of the chosen centers' records into `folder` as porchlight-export-<time>.zip, then
 * audited. Refuses a folder that is missing or not writable and never writes over a file.
 */
export async function exportEverything(
  source: ExportSource,
  /** The records' key (the file's, or the one the connection file's secrets open with); not needed for a URL. */
  key: DbKey | null,
  ctx: ServiceContext,
  /** scope: the window's center (the default) or, for an organization admin, every center. */
  options: { folder: string; encrypted: boolean; scope?: ReportScopeChoice | undefined },
  onProgress: (done: number, total: number) => void = () => {},
): Promise<FullExportResult> {
  checkFolder(options.folder)
  removeLeftoverPartials(options.folder)
  const at = ctx.now()
  const file = join(options.folder, `porchlight-export-${stamp(at)}.zip`)
  if (existsSync(file)) throw new ServiceError('CONFLICT', 'export.exists', { file, field: 'folder' })
  const centers = await exportCenters(ctx, options.scope ?? 'center')
  const password = options.encrypted ? generateExportPassword() : null
  const started = performance.now()
  let written: ExportWritten
  try {
    // Only the path or URL crosses to the worker (an open database passed as the source carries its handles too).
    const onWorker: RecordsSource = 'file' in source ? { file: source.file } : 'serverFile' in source ? { serverFile: source.serverFile } : { serverUrl: source.serverUrl }
    // A URL carries its own password: the key is only the worker's envelope then.
    const envelope = key ?? ('serverUrl' in source ? Buffer.alloc(32) : null)
    if (!envelope) throw new ServiceError('NOT_READY', 'setup.notOpen')
    written = await runInWorker<ExportWritten>({ kind: 'export', source: onWorker, target: file, password, createdAt: at.toISOString(), centers }, envelope, () => {}, (progress) => onProgress(progress.done, progress.total))
  } catch (error) {
    log.warn('export.done', { ok: false, ms: elapsed(started) }, error)
    throw failure(error, options.folder, file)
  }
  const rows = written.files.reduce((sum, entry) => sum + entry.rows, 0)
  await inTransaction(ctx, (trx) =>
    appendAudit(trx, isoNow(ctx), {
      staffId: ctx.staffId,
      action: 'export.create',
      detail: { file, centers: centersNamed(centers), encrypted: password !== null, files: written.files.length, rows, documents: written.documents, bytes: written.bytes },
    }),
  )
  log.info('export.done', { ok: true, ms: elapsed(started), rows, bytes: written.bytes, encrypted: password !== null })
  return { ...written, file, encrypted: password !== null, password }
}

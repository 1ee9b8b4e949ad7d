import { sourceName, type RecordsSource } from '../../backup-tasks'
import { runInWorker, WorkerTaskError } from '../../backup-thread'
import type { DbKey } from '../../keys'
import type { RecordsImportProgress, RecordsImportResult, RecordsPreview } from '../../records-import-types'
import { ServiceError, type ServiceErrorCode } from '../context'
import type { RecordsJob } from '.'

/**
 * Runs a records preview or import on the worker thread (as backups do), so reading 200,000 rows
 * and writing them never holds main's event loop: the window and the desk keep answering. One at a
 * time per database; its progress is kept here for the screen to poll.
 */
const running = new Map<string, RecordsImportProgress>()

/** `source`: the live file, or the server through this PC's connection file (the worker opens either with `key`). */
export function recordsProgress(source: RecordsSource): RecordsImportProgress | null {
  return running.get(sourceName(source)) ?? null
}

export async function runRecordsTask(source: RecordsSource, key: DbKey, action: 'preview', job: RecordsJob): Promise<RecordsPreview>
export async function runRecordsTask(source: RecordsSource, key: DbKey, action: 'import', job: RecordsJob): Promise<RecordsImportResult>
export async function runRecordsTask(source: RecordsSource, key: DbKey, action: 'preview' | 'import', job: RecordsJob): Promise<RecordsPreview | RecordsImportResult> {
  const name = sourceName(source)
  if (running.has(name)) throw new ServiceError('CONFLICT', 'recordsImport.busy')
  running.set(name, { phase: 'reading', done: 0, total: 1 })
  try {
    return await runInWorker({ kind: 'records', source, action, job }, key, undefined, (progress) => {
      if ('phase' in progress) running.set(name, progress)
    })
  } catch (error) {
    // A refusal inside the worker (a bad row, a file imported before) reaches the screen as the same refusal.
    if (error instanceof WorkerTaskError && error.ref) throw ServiceError.carried((error.code ?? 'VALIDATION') as ServiceErrorCode, error.ref)
    throw error
  } finally {
    running.delete(name)
  }
}

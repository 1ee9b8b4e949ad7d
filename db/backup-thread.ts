import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { BackupTask, WorkerProgress, WorkerStep } from './backup-tasks'
import { DbError, type DbErrorCode } from './errors'
import type { DbKey } from './keys'
import { isMessageRef, type MessageRef } from '../shared/messages'
import { elapsed, log } from './log'

/** What main hands the worker: the task and the key, in memory only (never a file or argv). */
export interface WorkerRequest {
  task: BackupTask
  key: Uint8Array
}

export interface SerializedError {
  name: string
  message: string
  code?: string
  detail?: string
  phase?: string
  /** A DbError's message as the shared catalog's key and values. */
  ref?: MessageRef
}

/**
 * 'log': a line for the log file, written by main (one writer per file): the worker's own
 * timings. Only an event name and numbers or codes cross, never a path or a record.
 */
export type WorkerMessage =
  | { type: 'step'; step: WorkerStep }
  | { type: 'progress'; progress: Parameters<WorkerProgress>[0] }
  | { type: 'done'; value: unknown }
  | { type: 'failed'; error: SerializedError }
  | { type: 'log'; event: string; fields: Record<string, string | number | boolean> }

/** An error as it crossed from the worker: its message, errno or SQLite code and the step it failed in. */
export class WorkerTaskError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly phase: string | undefined,
    /** A refusal's message (a ServiceError's key and detail), when the task refused rather than failed. */
    readonly ref?: MessageRef,
  ) {
    super(message)
    this.name = 'WorkerTaskError'
  }
}

export function serializeError(error: unknown): SerializedError {
  const phase = error instanceof Error && error.name === 'TaskError' ? (error as Error & { phase: string }).phase : undefined
  const inner = phase ? (error as Error & { cause: unknown }).cause : error
  if (!(inner instanceof Error)) return { name: 'Error', message: String(inner), phase }
  const { code, detail, ref } = inner as Error & { code?: unknown; detail?: unknown; ref?: unknown }
  return {
    name: inner.name,
    message: inner.message,
    code: typeof code === 'string' ? code : undefined,
    detail: typeof detail === 'string' ? detail : undefined,
    phase,
    ...(isMessageRef(ref) ? { ref } : {}),
  }
}

/** DbErrors come back as DbErrors (callers tell a wrong key from damage by code); the rest keep code and step. */
function revive(error: SerializedError): Error {
  if (error.name === 'DbError' && error.code && error.ref && !error.phase) return new DbError(error.code as DbErrorCode, error.ref, error.detail)
  return new WorkerTaskError(error.message, error.code, error.phase, error.name === 'ServiceError' ? error.ref : undefined)
}

/**
 * Where the worker's code is. From source (tests, the test host, the admin CLI under tsx) it is
 * backup-worker.ts, loaded through tsx's loader; the packaged app bundles it with electron-vite
 * and says where with `useBackupWorkerFile` before the first backup.
 */
let chosenFile: string | null = null

function workerFile(): string {
  return chosenFile ?? join(dirname(fileURLToPath(import.meta.url)), 'backup-worker.ts')
}

/** Sets where the worker's code is; returns where it was (tests put it back). */
export function useBackupWorkerFile(file: string): string {
  const previous = workerFile()
  chosenFile = file
  return previous
}

function execArgv(file: string): string[] {
  if (!file.endsWith('.ts')) return []
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
}

/** Runs one task on a worker thread of its own and resolves with its result. */
export function runInWorker<T>(task: BackupTask, key: DbKey, onStep: (step: WorkerStep) => void = () => {}, onProgress: WorkerProgress = () => {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const copy = Uint8Array.from(key)
    const request: WorkerRequest = { task, key: copy }
    const file = workerFile()
    const worker = new Worker(file, { workerData: request, transferList: [copy.buffer], execArgv: execArgv(file) })
    // Settled when the thread has exited, not at its last message: by then every connection it
    // opened is closed, so main may close, rename or checkpoint the files it read.
    let outcome: { ok: true; value: T } | { ok: false; error: Error } | null = null
    const started = performance.now()
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'step') return onStep(message.step)
      if (message.type === 'progress') return onProgress(message.progress)
      if (message.type === 'log') return log.info(message.event, { ...message.fields, task: task.kind })
      outcome = message.type === 'done' ? { ok: true, value: message.value as T } : { ok: false, error: revive(message.error) }
    })
    worker.on('error', (error) => {
      outcome ??= { ok: false, error }
    })
    worker.on('exit', (code) => {
      const result = outcome ?? { ok: false as const, error: new Error(`The backup worker stopped before it finished (exit code ${code}).`) }
      const fields = { task: task.kind, ok: result.ok, exitCode: code, ms: elapsed(started) }
      // A worker that died is a failed task, said so here and to the caller; the next task gets a new thread.
      if (result.ok) log.info('worker.done', fields)
      else log.warn('worker.done', fields, result.error)
      if (result.ok) resolve(result.value)
      else reject(result.error)
    })
  })
}

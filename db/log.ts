/**
 * Porchlight's log file, for the center's IT person: start-up checks and their timings, backups
 * and integrity checks, refused calls, slow calls, warnings and errors with their stacks.
 *
 * It must never hold a person's name, code, phone, birth date, notes or any field of a record,
 * nor a password or key. Two things make sure of it:
 * - callers log events with a handful of fields (channel, code, milliseconds, counts), never
 *   an input or a row; and
 * - every string that reaches the file, an error's message included, goes through `redact`
 *   (one rule, tested in test/unit/log.test.ts).
 *
 * Written with pino to files rotated by pino-roll (by size and by day, the oldest removed), so
 * nothing here is hand-written rotation. No Electron import: main, the test host, the admin CLI
 * and the backup worker's reports all come through the same module.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type pinoRoll from 'pino-roll'

export type LogValue = string | number | boolean | null | undefined
export type LogFields = Readonly<Record<string, LogValue>>

/** A log record's base name in the folder; pino-roll adds the day and a number: porchlight.2026-12-06.1.log */
export const LOG_BASE_NAME = 'porchlight'

export interface LogFileOptions {
  /** Rotate when the file reaches this size (pino-roll units: '5m', '200k', or bytes as a number of MB). */
  size?: string | number
  /** Rotate at least this often ('daily' in the app; a number of ms in tests). */
  frequency?: 'daily' | 'hourly' | number
  /** Rotated files kept besides the current one; older ones are removed. */
  keep?: number
}

export const DEFAULT_LOG_FILE: Required<LogFileOptions> = { size: '5m', frequency: 'daily', keep: 14 }

// ---------------------------------------------------------------------------------------------
// The redaction rule
// ---------------------------------------------------------------------------------------------

const HOME = homedir()
const QUOTED = /'[^'\n]*'|"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’|`[^`\n]*`|«[^»\n]*»/g
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+/gu
// A run with digits in it that could be a phone, a date, a code or an amount: kept only when it
// has fewer than 3 digits (an errno, "2 rows", a step number).
const NUMBERISH = /[+(]?[\p{L}\p{N}]*\p{N}[\p{L}\p{N}().:/\- ]*[\p{L}\p{N}]/gu
// A capitalised word that does not begin the text: the shape of a person's or a place's name.
const NAMEISH = /(?<=[^\s.!?:]\s+|[(,;[{]\s*)\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+)*/gu
const FRAME = /^\s+at /

function digitsIn(text: string): number {
  return text.replace(/\D/g, '').length
}

/**
 * The one redaction rule. Whatever a message was built from, what is left is its wording: the
 * home folder becomes "~", and quoted text, e-mail addresses, anything with 3 or more digits in
 * it and capitalised words inside a sentence (names) become "‹…›". Code identifiers (lowercase,
 * ALL CAPS like SQLite's "UNIQUE constraint failed: participants.code") are kept, so the line
 * still says what went wrong.
 */
export function redact(text: string): string {
  return text
    .split(HOME)
    .join('~')
    .replace(QUOTED, '‹…›')
    .replace(EMAIL, '‹…›')
    .replace(NUMBERISH, (run) => (digitsIn(run) >= 3 ? '‹…›' : run))
    .replace(NAMEISH, '‹…›')
}

export interface LoggedError {
  type: string
  code?: string
  message: string
  stack?: string
}

/**
 * An error as it may be written: its class, its code, its message redacted, and its stack's
 * frames (code locations, with the home folder shortened) under the redacted first line.
 */
export function describeError(error: unknown): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: redact(String(error)) }
  const code = (error as { code?: unknown }).code
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => FRAME.test(line))
    .map((line) => line.split(HOME).join('~'))
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: redact(String(code)) } : {}),
    message: redact(error.message),
    ...(frames.length ? { stack: frames.join('\n') } : {}),
  }
}

function cleanFields(fields: LogFields | undefined): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {}
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue
    out[key] = typeof value === 'string' ? redact(value) : value
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// The file
// ---------------------------------------------------------------------------------------------

type RollStream = Awaited<ReturnType<typeof pinoRoll>>

interface LogFile {
  dir: string
  stream: RollStream
  logger: Logger
}

let current: LogFile | null = null
let problem: { dir: string; reason: string } | null = null

/** Where the log is being written, or why it is not (the About screen says so). */
export function logStatus(): { dir: string | null; writing: boolean; problem: string | null } {
  if (current) return { dir: current.dir, writing: true, problem: null }
  return { dir: problem?.dir ?? null, writing: false, problem: problem ? `Could not write the log in ${problem.dir}: ${problem.reason}` : null }
}

/**
 * Opens (or keeps) the log in `dir`. A folder that cannot be written does not stop anything:
 * the app goes on without a log file, says so on stderr and in `logStatus`, and returns false.
 */
export async function startLogFile(dir: string, options: LogFileOptions = {}): Promise<boolean> {
  if (current?.dir === dir) return true
  await stopLogFile()
  const { size, frequency, keep } = { ...DEFAULT_LOG_FILE, ...options }
  try {
    mkdirSync(dir, { recursive: true })
    // Loaded only when a log file is opened: the backup worker and the CLI import this module for
    // `log` and the redaction rule without paying for pino at every start.
    const [{ default: pino }, { default: roll }] = await Promise.all([import('pino'), import('pino-roll')])
    const stream = await roll({
      file: join(dir, LOG_BASE_NAME),
      size,
      frequency,
      dateFormat: 'yyyy-MM-dd',
      limit: { count: keep, removeOtherLogFiles: true },
      mkdir: true,
      // Each line is on disk before the call that logged it returns: the line that explains a
      // crash is not lost in a buffer. The log is a few lines a minute, so this costs nothing.
      sync: true,
    })
    const file: LogFile = { dir, stream, logger: null as unknown as Logger }
    // A write that fails later (disk removed, file locked) must never throw into a caller.
    stream.on('error', (error: unknown) => {
      problem = { dir, reason: describeError(error).message }
      if (current === file) current = null
    })
    file.logger = pino(
      {
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      stream,
    )
    current = file
    problem = null
    return true
  } catch (error) {
    problem = { dir, reason: describeError(error).message }
    process.stderr.write(`[porchlight] ${logStatus().problem}\n`)
    return false
  }
}

/** Writes what is buffered and closes the file (at quit, and between tests). */
export async function stopLogFile(): Promise<void> {
  const file = current
  current = null
  if (!file) return
  await new Promise<void>((resolve) => {
    file.stream.once('close', () => resolve())
    file.stream.once('error', () => resolve())
    try {
      file.stream.flushSync()
    } catch {
      // Nothing more can be saved; closing still releases the file.
    }
    file.stream.end()
  })
}

/**
 * The file being written was deleted (by a person cleaning up, or antivirus): start a new one
 * with the same name rather than write into a file nobody can see.
 */
function reopenIfDeleted(file: LogFile): void {
  const path = (file.stream as unknown as { file?: string }).file
  if (path && !existsSync(path)) {
    try {
      file.stream.reopen()
    } catch (error) {
      problem = { dir: file.dir, reason: describeError(error).message }
      current = null
    }
  }
}

type Level = 'info' | 'warn' | 'error'

function write(level: Level, event: string, fields: LogFields | undefined, error?: unknown): void {
  const record = { event, ...cleanFields(fields), ...(error === undefined ? {} : { err: describeError(error) }) }
  const file = current
  if (!file) {
    // No log file (tests, the CLI, or a folder that could not be written): errors still reach stderr.
    if (level === 'error') process.stderr.write(`[porchlight] ${JSON.stringify(record)}\n`)
    return
  }
  reopenIfDeleted(file)
  file.logger[level](record)
}

/**
 * The log. `event` names what happened ('startup.open', 'ipc.refused', 'backup.done' …); fields
 * are counts, codes, channel names and milliseconds, never a record's contents.
 */
export const log = {
  info: (event: string, fields?: LogFields) => write('info', event, fields),
  warn: (event: string, fields?: LogFields, error?: unknown) => write('warn', event, fields, error),
  error: (event: string, error: unknown, fields?: LogFields) => write('error', event, fields, error),
}

/** Milliseconds since `start` (from `performance.now()`), rounded for the log. */
export function elapsed(start: number): number {
  return Math.round(performance.now() - start)
}

/**
 * The clock probe: while a test file runs, it notes every read of the machine's wall clock or of
 * its time zone made by our code, with the file and line that made it. A file not named in
 * test/date-sensitive.ts must make none (setup.ts fails it otherwise), so the list the shifted-
 * clock run (`npm run test:clock`) takes is the whole list of files whose result can depend on the
 * date or the zone, not a guess.
 *
 * What counts as a read:
 * - the clock: `Date.now()`, `new Date()` and `Date()` without arguments (Temporal.Now and
 *   rrule-temporal go through `Date.now()` too);
 * - the zone: `new Date(y, m, ...)`, a date string with a time but no offset, the local getters
 *   and setters (`getHours()`, `setDate()`, `getTimezoneOffset()`...), `toString()` and the
 *   `toLocale*String()` calls without a `timeZone`, and an `Intl.DateTimeFormat` made without one
 *   (`Intl.DateTimeFormat().resolvedOptions().timeZone` is one).
 *
 * Who counts as "our code": the first frame of the stack outside node_modules. A read made inside
 * a library counts for the line of ours that called it (exceljs stamping a workbook, date-fns
 * formatting in the local zone), unless the library is one that keeps time for itself (the test
 * runner, the migrator's applied-at column, the logger). Our own files that read the clock by
 * design are in IGNORED_FILES.
 */
import { sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface ClockRead {
  /** 'clock' for the wall clock, 'zone' for the machine's time zone. */
  kind: 'clock' | 'zone'
  /** What was called, e.g. `Date.now()`. */
  what: string
  /** Our file and line that made the read, relative to the repository. */
  at: string
  /** The whole stack, with PORCHLIGHT_CLOCK_PROBE_STACKS=1 (to see which library read for us). */
  stack?: string
}

/** The repository, with its trailing slash. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Our files that read the clock by design, or only for time nobody sees in a result. */
export const IGNORED_FILES: ReadonlyArray<[RegExp, string]> = [
  [/^db\/log\.ts$/, "the log's own timestamps"],
  [/^test\/clock\.ts$/, 'the injected clocks: a start instant plus the monotonic clock'],
  [/^db\/migrations\//, "migrations stamp the schema's history when they run"],
  [/^db\/migrate\.ts$/, 'the migrator records when a migration ran'],
]

/** Libraries that read the clock for their own purposes (timing, logging), never for a result of ours. */
export const IGNORED_PACKAGES: ReadonlyArray<[string, string]> = [
  ['vitest', 'the test runner'],
  ['@vitest', 'the test runner'],
  ['vite', 'the test runner'],
  ['tinypool', 'the test runner'],
  ['tinyrainbow', 'the test runner'],
  ['chai', 'assertions'],
  ['kysely', "the migrator's applied-at column"],
  ['pino', "the log's own timestamps"],
  ['pino-roll', "the log file's rotation"],
  ['thread-stream', "the log's writer"],
  ['pg-pool', 'idle timeouts'],
  ['graceful-fs', 'its retry queue for busy files'],
  ['@tanstack/query-core', "the renderer's query cache stamps when data or a write arrived (its staleness), never a figure"],
  ['fast-check', "the property runner's own time limits"],
]

/**
 * Reads inside a library that cannot change a result of ours, told by a function on the stack.
 */
export const IGNORED_CALLS: ReadonlyArray<[RegExp, string]> = [
  // The Temporal polyfill (rrule-temporal bundles one) looks for a zone's rule changes up to three
  // years past today and no further; our schedules are expanded a year at a time, well inside that.
  [/at Temporal\.ZonedDateTime\.getTimeZoneTransition /, "the Temporal polyfill's search horizon for a zone's next rule change"],
  // The stamps a new workbook starts with: reportWorkbook() sets its own from the context's clock,
  // and an import only reads cells.
  [/at new Workbook \([^)]*node_modules\/exceljs\//, "exceljs's default created and modified stamps"],
  // The file dates inside an .xlsx (exceljs gives jszip none): the zip's bookkeeping, not its cells.
  [/node_modules\/jszip\/lib\/object\.js/, "the file dates inside an .xlsx zip"],
  // A zip's entries carry DOS dates in local time; reading an entry decodes them, used or not.
  [/node_modules\/@zip\.js\/zip\.js\/lib\/core\/zip-reader\.js/, "a zip entry's DOS date, decoded as it is read"],
]

const PROBE = 'test/unit/clock-probe.ts'

const FRAME = /\((?<path>[^()]+?):(?<line>\d+):\d+\)$|at (?:async )?(?<bare>\/[^ ]+?):(?<bareLine>\d+):\d+$/

function frames(stack: string): Array<{ path: string; line: string }> {
  const found: Array<{ path: string; line: string }> = []
  for (const text of stack.split('\n').slice(1)) {
    const match = FRAME.exec(text.trim())
    const path = match?.groups?.path ?? match?.groups?.bare
    const line = match?.groups?.line ?? match?.groups?.bareLine
    if (!path || !line || path.startsWith('node:')) continue
    found.push({ path: path.replace(/^file:\/\//, ''), line })
  }
  return found
}

function packageOf(path: string): string | null {
  const at = path.lastIndexOf(`${sep}node_modules${sep}`)
  if (at < 0) return null
  const parts = path.slice(at + '/node_modules/'.length).split(sep)
  return parts[0]!.startsWith('@') && parts[0] !== '@vitest' ? `${parts[0]}/${parts[1]}` : parts[0]!
}

/**
 * Whose read a stack shows: our file and line, or null when it is a library's own time or one of
 * IGNORED_FILES. Exported for the probe's own test.
 */
export function attribute(stack: string, root: string = ROOT): string | null {
  if (IGNORED_CALLS.some(([pattern]) => pattern.test(stack))) return null
  for (const { path, line } of frames(stack)) {
    const pkg = packageOf(path)
    if (pkg !== null) {
      if (IGNORED_PACKAGES.some(([name]) => pkg === name || pkg.startsWith(`${name}/`))) return null
      continue
    }
    if (!path.startsWith(root)) continue
    const file = path.slice(root.length).replace(/^\//, '')
    if (file === PROBE) continue
    if (IGNORED_FILES.some(([pattern]) => pattern.test(file))) return null
    return `${file}:${line}`
  }
  return null
}

const reads: ClockRead[] = []
const STACKS = process.env.PORCHLIGHT_CLOCK_PROBE_STACKS === '1'
let busy = false

function note(kind: ClockRead['kind'], what: string): void {
  if (busy) return
  busy = true
  try {
    const limit = Error.stackTraceLimit
    const errors = Error as { prepareStackTrace?: unknown }
    const mapped = errors.prepareStackTrace
    Error.stackTraceLimit = 40
    // First V8's own stack, cheap: most reads are the runner's and go no further. Only a read of
    // ours pays for the source-mapped stack, whose lines are the ones to report.
    errors.prepareStackTrace = undefined
    const raw = new Error().stack ?? ''
    errors.prepareStackTrace = mapped
    const stack = attribute(raw) === null ? null : (new Error().stack ?? '')
    Error.stackTraceLimit = limit
    const at = stack === null ? null : attribute(stack)
    if (stack !== null && at !== null) reads.push({ kind, what, at, ...(STACKS ? { stack } : {}) })
  } finally {
    busy = false
  }
}

/** A date string read in the machine's zone: a time of day with no offset (a bare date is UTC). */
function localString(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const text = value.trim()
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(text)) return false
  return !/(Z|[+-]\d{2}:?\d{2}|GMT|UTC)(\s*\(.*\))?$/i.test(text)
}

const LOCAL_METHODS = [
  'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getTimezoneOffset',
  'setFullYear', 'setMonth', 'setDate', 'setHours', 'setMinutes',
  'toString', 'toDateString', 'toTimeString',
] as const
const LOCALE_METHODS = ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString'] as const

/** Set by test/unit/setup.ts once it has registered the check that uses the probe. */
export const CHECKED = Symbol.for('porchlight.clockProbeChecked')

/** The global Date and Intl.DateTimeFormat once the probe is in, to tell that nobody took it out. */
let installed: { date: DateConstructor; format: typeof Intl.DateTimeFormat; now: () => number } | null = null

/** Puts the probe in: once per test file's process, before any of our modules runs. */
export function installClockProbe(): void {
  if (installed) return
  const RealDate = Date
  const realNow = RealDate.now
  const now = function now(): number {
    note('clock', 'Date.now()')
    return realNow.call(RealDate)
  }
  RealDate.now = now
  const realParse = RealDate.parse
  RealDate.parse = function parse(text: string): number {
    if (localString(text)) note('zone', `Date.parse(${JSON.stringify(text)})`)
    return realParse.call(RealDate, text)
  }
  const proto = RealDate.prototype as unknown as Record<string, (...args: unknown[]) => unknown>
  for (const name of LOCAL_METHODS) {
    const real = proto[name]!
    proto[name] = function (this: Date, ...args: unknown[]) {
      note('zone', `Date#${name}()`)
      return real.apply(this, args)
    }
  }
  for (const name of LOCALE_METHODS) {
    const real = proto[name]!
    proto[name] = function (this: Date, ...args: unknown[]) {
      const options = args[1] as Intl.DateTimeFormatOptions | undefined
      if (!options?.timeZone) note('zone', `Date#${name}() without a timeZone`)
      return real.apply(this, args)
    }
  }
  const ProbedDate = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget) {
      if (args.length === 0) note('clock', 'new Date()')
      else if (args.length >= 2) note('zone', 'new Date(year, month, ...)')
      else if (localString(args[0])) note('zone', `new Date(${JSON.stringify(args[0])})`)
      return Reflect.construct(target, args, newTarget) as object
    },
    apply(target) {
      note('clock', 'Date()')
      return target()
    },
  })
  globalThis.Date = ProbedDate
  const RealFormat = Intl.DateTimeFormat
  const ProbedFormat = new Proxy(RealFormat, {
    construct(target, args: unknown[], newTarget) {
      if (!(args[1] as Intl.DateTimeFormatOptions | undefined)?.timeZone) note('zone', 'Intl.DateTimeFormat without a timeZone')
      return Reflect.construct(target, args, newTarget) as object
    },
    apply(target, _this, args: unknown[]) {
      if (!(args[1] as Intl.DateTimeFormatOptions | undefined)?.timeZone) note('zone', 'Intl.DateTimeFormat without a timeZone')
      return Reflect.apply(target, undefined, args) as object
    },
  })
  Intl.DateTimeFormat = ProbedFormat
  installed = { date: ProbedDate, format: ProbedFormat, now }
}

/** The reads noted since the last call, and a complaint if the probe was taken out on the way. */
export function takeClockReads(): { reads: ClockRead[]; removed: string | null } {
  const taken = reads.splice(0)
  let removed: string | null = null
  if (!installed) removed = 'the clock probe was never installed (test/unit/setup.ts installs it)'
  else if (globalThis.Date !== installed.date || Date.now !== installed.now || Intl.DateTimeFormat !== installed.format) {
    removed = 'something replaced Date, Date.now or Intl.DateTimeFormat during the file, so its clock reads went unseen'
  }
  return { reads: taken, removed }
}

installClockProbe()

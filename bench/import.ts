import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { generateKey, type DbKey } from '../db/keys'
import { createDatabase, openDatabase, type OpenDatabase } from '../db/open'
import { writeFullExport } from '../db/services/export/write'
import type { RecordMapping } from '../db/domain/records-import'
import type { RecordsImportResult } from '../db/records-import-types'
import { seedDatabase } from '../db/seed'
import { completeSetup } from '../db/services/setup'
import { recordsProgress, runRecordsTask } from '../db/services/records-import/run'
import { signIn } from '../db/services/visits'
import { stats, type Stats } from './harness'

/** 200,000 sign-ins: four years of a busy center's paper log, typed into a spreadsheet. */
export const IMPORT_ROWS = 200_000
export const VISITS_MAPPING: RecordMapping = { person: 'Code', date: 'Date', timeIn: 'Time in', timeOut: 'Time out', services: 'Services' }
const SERVICES = ['Meal', 'Shower', 'Laundry', 'Peer support', 'Phone', '']

/**
 * A sign-in log as an old center keeps it: people by their code, US dates, 12-hour times, services
 * by name. Deterministic (a small LCG), so every run and the kill test import the same rows.
 */
export function buildVisitsLog(codes: readonly string[], rows: number, firstDay = Date.UTC(2021, 0, 4), seed = 7): string {
  let state = seed
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  const lines = ['Code,Date,Time in,Time out,Services']
  const perDay = 140
  for (let i = 0; i < rows; i++) {
    const day = new Date(firstDay + Math.floor(i / perDay) * 86_400_000)
    const date = `${day.getUTCMonth() + 1}/${day.getUTCDate()}/${day.getUTCFullYear()}`
    const minute = 8 * 60 + 30 + Math.floor(next() * 540)
    const hour = Math.floor(minute / 60)
    const time = (m: number, h: number) => `${((h + 11) % 12) + 1}:${String(m % 60).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`
    const out = Math.min(minute + 30 + Math.floor(next() * 120), 23 * 60)
    const services = [SERVICES[Math.floor(next() * SERVICES.length)], SERVICES[Math.floor(next() * SERVICES.length)]].filter((s, at, all) => s && all.indexOf(s) === at).join('; ')
    lines.push(`${codes[Math.floor(next() * codes.length)]},${date},${time(minute, hour)},${time(out, Math.floor(out / 60))},${services}`)
  }
  return `${lines.join('\r\n')}\r\n`
}

/** A people list as an old center keeps it: its own ids, names in several scripts, birth years, phones in mixed forms. Deterministic. */
export function buildPeopleList(rows: number, seed = 11): string {
  let state = seed
  const pick = <T>(items: readonly T[]): T => {
    state = (state * 1103515245 + 12345) % 2147483648
    return items[Math.floor((state / 2147483648) * items.length)]!
  }
  const first = ['María', 'José', 'Nguyễn', 'Aaliyah', 'Björn', 'Zoë', 'Mohammed', 'Li', 'Olúwaseun', 'Dmitri', 'Ana', 'Sam']
  const last = ['García', 'Smith', 'Tran', 'Okafor', 'Johnson', 'Müller', 'Lopez', 'Khan', 'Ivanova', 'Brown', 'Nakamura', 'Díaz']
  const digits = '0123456789'.split('')
  const lines = ['Client ID,First,Last,Nickname,Birth year,Phone']
  for (let i = 0; i < rows; i++) {
    const phone = Array.from({ length: 7 }, () => pick(digits)).join('')
    const written = pick([`(555) ${phone.slice(0, 3)}-${phone.slice(3)}`, `555.${phone.slice(0, 3)}.${phone.slice(3)}`, `+1 555 ${phone}`, ''])
    lines.push(`OLD-${String(i + 1).padStart(6, '0')},${pick(first)},${pick(last)},${pick(['', '', 'Mo', 'Liz', 'Red'])},${1940 + Math.floor(i % 67)},${written}`)
  }
  return `${lines.join('\r\n')}\r\n`
}
export const PEOPLE_MAPPING: RecordMapping = { personId: 'Client ID', firstName: 'First', lastName: 'Last', nickname: 'Nickname', birthYear: 'Birth year', phone: 'Phone' }

export interface ImportFigures {
  rows: number
  /** The whole import on its worker: read, check, the chunks and the switch. */
  seconds: number
  /**
   * CPU seconds of every thread but main's meanwhile: the import on its worker (and SQLite's and
   * libuv's helpers), without the desk's sign-ins on main. About what the import takes on a quiet
   * machine, whatever else shares the cores while it runs.
   */
  cpuSeconds: number
  /** Of which writing: the chunks (each its own transaction) and the switch that counts the file in. */
  writingSeconds: number
  /** From the count prepared (the step before the last) to the import's end: the switch's one transaction (with the progress message's delay). */
  switchSeconds: number
  /** Sign-ins made on main while the import ran (ms). */
  signInsDuring: Stats
  /** Of them, the ones made while it was writing (its chunks and switch hold the write lock in turns). */
  signInsWhileWriting: Stats
  /** Sign-ins refused meanwhile (database locked): none is the goal. */
  failedSignIns: number
  /** The longest main's event loop was held up while the import ran. */
  longestStallMs: number
  /** Then the full export of that center (every table, encrypted zip), on a read-only connection as the worker does. */
  fullExport: { seconds: number; rows: number; megabytes: number }
  /** Then a people list imported into that center the same way, with the desk signing people in meanwhile. */
  people: PeopleFigures
}

export interface PeopleFigures {
  rows: number
  seconds: number
  /** CPU seconds of every thread but main's meanwhile (as ImportFigures.cpuSeconds). */
  cpuSeconds: number
  /** Sign-ins made on main while it ran (ms); the longest of them is about the longest the import held the write lock. */
  signInsDuring: Stats
  failedSignIns: number
  longestStallMs: number
}

/** The CPU time of every thread but this one (main, where the desk signs people in), in µs. */
function otherThreadsCpu(): number {
  const all = process.cpuUsage()
  const main = process.threadCpuUsage()
  return all.user + all.system - main.user - main.system
}

const cpuSince = (from: number) => Math.round((otherThreadsCpu() - from) / 1e5) / 10

/**
 * A sign-in on main every PACE_MS while `task` runs: what the desk feels of it. `tag` says, as
 * each sign-in starts, whether it counts among the tagged samples too (made while writing).
 */
async function deskMeanwhile<T>(ctx: Parameters<typeof signIn>[0], task: Promise<T>, tag: () => boolean = () => false) {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  let running = true
  const watched = task.finally(() => {
    running = false
  })
  const samples: number[] = []
  const tagged: number[] = []
  let failed = 0
  while (running) {
    const counted = tag()
    const at = performance.now()
    try {
      await signIn(ctx, { participantId: null, anonymousCode: null, services: [] })
    } catch {
      failed++
    }
    const ms = performance.now() - at
    samples.push(ms)
    if (counted) tagged.push(ms)
    await sleep(PACE_MS)
  }
  const result = await watched
  delay.disable()
  return { result, samples, tagged, failed, longestStallMs: Math.round(delay.max / 1e4) / 100 }
}

/** A sign-in every this many ms while the import runs: a busy desk. */
const PACE_MS = 50

/**
 * A fresh center of `people` participants, a 200,000-row sign-in log over them, imported on the
 * worker thread as the app does while main keeps signing people in; then the full export of it.
 */
export async function measureImport(options: { people: number; rows?: number; dataDir?: string } = { people: 5000 }): Promise<ImportFigures> {
  const folder = mkdtempSync(join(options.dataDir ?? tmpdir(), 'import-bench-'))
  const key = generateKey()
  const opened = await createDatabase(join(folder, 'bench.db'), key)
  try {
    const now = new Date('2025-06-02T15:00:00.000Z')
    const setup = { db: opened.db, staffId: null, now: () => now, timeZone: 'UTC' }
    const admin = await completeSetup(setup, { centerName: 'Bench House', adminName: 'Bench Admin', username: 'bench', password: 'a long enough password' })
    await seedDatabase(opened, { participants: options.people, days: 30, visitsPerWeekday: 40, until: new Date('2020-12-31T20:00:00.000Z'), timeZone: 'UTC' })
    const codes = opened.sqlite.prepare('SELECT code FROM participants').pluck().all() as string[]
    const rows = options.rows ?? IMPORT_ROWS
    const file = join(folder, 'sign-in-log.csv')
    writeFileSync(file, buildVisitsLog(codes, rows))
    const ctx = { db: opened.db, staffId: admin.id, now: () => now, timeZone: 'UTC' }
    const started = performance.now()
    const cpu = otherThreadsCpu()
    let writingFrom = 0
    let preparedAt = 0
    const importing = runRecordsTask({ file: opened.file }, key, 'import', { file, kind: 'visits', mapping: VISITS_MAPPING, staffId: admin.id, now: now.toISOString(), timeZone: 'UTC' })
    const desk = await deskMeanwhile(ctx, importing, () => {
      const progress = recordsProgress({ file: opened.file })
      if (progress?.phase === 'writing') {
        writingFrom ||= performance.now()
        if (progress.done === progress.total - 1) preparedAt ||= performance.now()
      }
      return writingFrom > 0
    })
    const result: RecordsImportResult = desk.result
    const ended = performance.now()
    const cpuSeconds = cpuSince(cpu)
    if (result.counts.visits !== rows) throw new Error(`imported ${result.counts.visits} of ${rows} rows`)
    const seconds = (ms: number) => Math.round((ms / 1000) * 10) / 10
    const reader = await openDatabase(opened.file, key, { readonly: true, check: 'none' })
    const exportStarted = performance.now()
    const migrations = reader.sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all() as string[]
    const written = await writeFullExport(reader.db, join(folder, 'export.zip'), { password: 'bench export password', createdAt: now.toISOString(), migrations, centers: { ids: null, names: ['Bench'] } }, () => {}).finally(() => reader.close())
    const fullExport = {
      seconds: seconds(performance.now() - exportStarted),
      rows: written.files.reduce((sum, file) => sum + file.rows, 0),
      megabytes: Math.round(written.bytes / 1e5) / 10,
    }
    return {
      rows,
      seconds: seconds(ended - started),
      cpuSeconds,
      writingSeconds: seconds(writingFrom ? ended - writingFrom : 0),
      switchSeconds: seconds(preparedAt ? ended - preparedAt : 0),
      signInsDuring: stats(desk.samples),
      signInsWhileWriting: stats(desk.tagged),
      failedSignIns: desk.failed,
      longestStallMs: desk.longestStallMs,
      fullExport,
      people: await measurePeopleImport(opened, key, ctx, now),
    }
  } finally {
    await opened.close()
    rmSync(folder, { recursive: true, force: true })
  }
}

/** People in the list the bench imports: a big county program's whole roster, more than any one center's. */
export const PEOPLE_ROWS = 20_000

/** A people list of PEOPLE_ROWS imported on the worker thread into the center, while main keeps signing people in. */
async function measurePeopleImport(opened: OpenDatabase, key: DbKey, ctx: Parameters<typeof signIn>[0], now: Date): Promise<PeopleFigures> {
  const file = join(dirname(opened.file), 'people.csv')
  writeFileSync(file, buildPeopleList(PEOPLE_ROWS))
  const started = performance.now()
  const cpu = otherThreadsCpu()
  const importing = runRecordsTask({ file: opened.file }, key, 'import', { file, kind: 'participants', mapping: PEOPLE_MAPPING, staffId: ctx.staffId, now: now.toISOString(), timeZone: 'UTC' })
  const desk = await deskMeanwhile(ctx, importing)
  if (desk.result.counts.newPeople !== PEOPLE_ROWS) throw new Error(`imported ${desk.result.counts.newPeople} of ${PEOPLE_ROWS} people`)
  return {
    rows: PEOPLE_ROWS,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    cpuSeconds: cpuSince(cpu),
    signInsDuring: stats(desk.samples),
    failedSignIns: desk.failed,
    longestStallMs: desk.longestStallMs,
  }
}

/** `npm run bench -- --only import`: prints the figures and writes them into results.json as its "import" part. */
export async function runImportBench(resultsFile: string, write: boolean): Promise<void> {
  const figures = await measureImport({ people: 5000 })
  const line = (s: Stats) => `p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms, max ${s.max} ms (n ${s.n})`
  console.log(`${figures.rows.toLocaleString('en-US')} visit rows imported in ${figures.seconds} s (worker thread; ${figures.cpuSeconds} s of CPU besides main's); writing ${figures.writingSeconds} s in chunks, of which the switch ~${figures.switchSeconds} s`)
  console.log(`desk sign-ins meanwhile: ${line(figures.signInsDuring)}; ${figures.failedSignIns} refused; longest event-loop stall ${figures.longestStallMs} ms`)
  console.log(`  while it was writing: ${line(figures.signInsWhileWriting)}`)
  const e = figures.fullExport
  console.log(`full export of that center afterwards (${e.rows.toLocaleString('en-US')} rows, every table, AES-256 zip of ${e.megabytes} MB): ${e.seconds} s`)
  const p = figures.people
  // A refused sign-in waited the whole busy timeout (5 s): their number says how long the people list held the lock.
  console.log(`then ${p.rows.toLocaleString('en-US')} people imported in ${p.seconds} s (in chunks behind one switch; ${p.cpuSeconds} s of CPU besides main's); desk sign-ins meanwhile: ${line(p.signInsDuring)}; ${p.failedSignIns} refused; longest event-loop stall ${p.longestStallMs} ms`)
  if (write && existsSync(resultsFile)) {
    const recorded = JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>
    writeFileSync(resultsFile, `${JSON.stringify({ ...recorded, import: figures }, null, 2)}\n`)
    console.log(`Wrote the import figures into ${resultsFile}`)
  }
}

import { createRequire } from 'node:module'
import { cpus, totalmem } from 'node:os'
import { statSync } from 'node:fs'
import { openDatabase, type OpenDatabase } from '../db/open'
import type { ServiceContext } from '../db/services/context'
import { listParticipants } from '../db/services/participant-list'
import { listReferrals } from '../db/services/referrals'
import { dashboard } from '../db/services/reports/dashboard'
import { reportCsv } from '../db/services/reports/export'
import { addDays } from '../db/services/reports/range'
import { funderReport } from '../db/services/reports/report'
import { searchParticipants } from '../db/services/search'
import { SEARCH_SQL } from '../db/services/search-sqlite'
import { signIn, todayVisits } from '../db/services/visits'
import type { DbKey } from '../db/keys'
import { measureBackup, type BackupFigures } from './backup'
import { measureGroups, type GroupTimes } from './groups'
import { BENCH_ADMIN, copyDatabase, ensureData, openPlain, removeDb, scratchFile, type BuiltData, type DataSpec } from './databases'
import { likeSearch } from './like'
import { buildQueries, type QuerySet } from './queries'

/**
 * The benchmark: the desk's interactive operations on a database the size Porchlight is designed
 * for (ten times the largest center over five years), encrypted and, for comparison, the same
 * pages unencrypted. Everything is timed one call at a time, the way the desk makes them, after
 * a warm-up; figures are milliseconds.
 */
export interface BenchOptions extends DataSpec {
  /** Where the databases are kept between runs. */
  dataDir: string
  /** People looked up (each gives several keystrokes). */
  people: number
  /** Timed passes over the keystroke list (typo and code lists get more: they are shorter). */
  searchRounds: number
  /** Searches timed against the LIKE baseline (it reads everyone on a miss, so fewer). */
  likeQueries: number
  boardRounds: number
  listRounds: number
  signIns: number
  /** Timed passes of the dashboard and funder report workloads. */
  reportRounds: number
  /** People marked present in the day's group sessions, one timed write each. */
  groupMarks: number
  onProgress?: (done: number, total: number, phase: string) => void
}

export const FULL_SIZE: Omit<BenchOptions, 'dataDir' | 'onProgress'> = {
  participants: 100_000,
  // Five years; ~660 on a weekday (~290 on a weekend day) lands near a million visits.
  days: 1826,
  visitsPerWeekday: 661,
  seed: 20261125,
  endDate: '2026-11-24',
  groups: 40,
  groupSize: 2,
  people: 400,
  searchRounds: 2,
  likeQueries: 300,
  boardRounds: 200,
  listRounds: 200,
  signIns: 400,
  reportRounds: 20,
  groupMarks: 200,
}

export interface Stats {
  n: number
  p50: number
  p95: number
  p99: number
  mean: number
  max: number
}

export interface Workload {
  id: string
  label: string
  encrypted: Stats
  plain: Stats | null
  /** encrypted / plain. */
  ratio: { p50: number; p95: number } | null
}

export interface Target {
  name: string
  value: number
  limit: number
  met: boolean
}

export interface BenchResults {
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; sqlite: string; driver: string }
  data: {
    participants: number
    visits: number
    referrals: number
    assessments: number
    anonymousVisits: number
    visitServices: number
    days: number
    firstDate: string
    lastDate: string
    seed: number
    visitsPerWeekday: number
    busiestDay: { date: string; visits: number }
    bytes: { encrypted: number; plain: number; searchIndex: number }
    plainCopy: string
    cacheSizeKiB: number
    built: {
      reused: boolean
      buildSeconds: number | null
      plainCopySeconds: number | null
      /** When an earlier build was migrated forward instead: which, and how long each file's upgrade took. */
      migrated: BuiltData['migrated']
    }
  }
  /** Seconds to open the encrypted database with each check; and the same check on the plain copy. */
  open: { pages: number; full: number; quick: number; none: number; plainIntegrityCheck: number }
  queries: { prefix: number; typo: number; other: number }
  searchPlan: string[]
  workloads: Workload[]
  searchVsLike: { queries: number; fts: Stats; like: Stats; likeOverFts: { p50: number; p95: number } }
  /** A backup of the encrypted database while the desk signs people in. */
  backup: BackupFigures
  targets: Target[]
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits

export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length)
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), mean: round(mean), max: round(sorted.at(-1) ?? 0) }
}

type Pair = [number[], number[]]

/**
 * The moment between two of a person's actions, outside the timing: the thread goes idle, as it
 * does between two clicks, so work the app queues for after its answer (the WAL checkpoint,
 * db/open.ts) runs there and not in the next timed action, as it would not in real use.
 */
export const betweenActions = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Times `work` on both databases, alternating which goes first, after one untimed pass: both see
 * the same machine at the same moments (other processes, disk flushes), so the ratio is fair.
 */
export async function timedPair<T>(
  items: readonly T[],
  rounds: number,
  work: (side: 0 | 1, item: T) => Promise<unknown> | unknown,
  warmUp = true,
): Promise<Pair> {
  if (warmUp) {
    for (const item of items) {
      await work(0, item)
      await work(1, item)
    }
  }
  const samples: Pair = [[], []]
  for (let r = 0; r < rounds; r++) {
    for (const [i, item] of items.entries()) {
      for (const side of (i + r) % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const)) {
        const started = performance.now()
        await work(side, item)
        samples[side].push(performance.now() - started)
        await betweenActions()
      }
    }
  }
  return samples
}

async function timedEach<T>(items: readonly T[], work: (item: T) => Promise<unknown> | unknown): Promise<number[]> {
  for (const item of items) await work(item)
  const samples: number[] = []
  for (const item of items) {
    const started = performance.now()
    await work(item)
    samples.push(performance.now() - started)
    await betweenActions()
  }
  return samples
}

function seconds(work: () => unknown): number {
  const started = performance.now()
  work()
  return round((performance.now() - started) / 1000, 2)
}

async function secondsAsync(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return round((performance.now() - started) / 1000, 2)
}

function machine(sqliteVersion: string): BenchResults['machine'] {
  const require = createRequire(import.meta.url)
  const driver = (require('better-sqlite3-multiple-ciphers/package.json') as { version: string }).version
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    sqlite: sqliteVersion,
    driver: `better-sqlite3-multiple-ciphers ${driver}`,
  }
}

export interface Plan {
  queries: QuerySet
  busiestDay: { date: string; visits: number }
  /** People to sign in on the day after the data ends: recent visitors, each once. */
  signInIds: number[]
  services: Array<{ serviceId: number; quantity: number }>
  adminId: number
  dayAfter: string
  /** People with referrals, spread over the file, whose lists are opened. */
  referredIds: number[]
}

export function plan(opened: OpenDatabase, options: BenchOptions): Plan {
  const { sqlite } = opened
  const busiest = sqlite
    .prepare(`SELECT visit_date AS date, count(*) AS visits FROM visits WHERE voided_at IS NULL GROUP BY visit_date ORDER BY visits DESC, visit_date DESC LIMIT 1`)
    .get() as { date: string; visits: number } | undefined
  const last = sqlite.prepare(`SELECT max(visit_date) FROM visits`).pluck().get() as string
  const signInIds = sqlite
    .prepare(`SELECT id FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL AND last_visit_at IS NOT NULL
              ORDER BY last_visit_at DESC LIMIT ?`)
    .pluck()
    .all(options.signIns + SIGN_IN_WARM_UP) as number[]
  const serviceIds = sqlite.prepare(`SELECT id FROM services WHERE key IN ('peer_support', 'meal') ORDER BY sort_order`).pluck().all() as number[]
  return {
    queries: buildQueries(sqlite, options.people, options.seed),
    busiestDay: busiest ?? { date: options.endDate, visits: 0 },
    signInIds,
    services: serviceIds.map((serviceId) => ({ serviceId, quantity: 1 })),
    adminId: sqlite.prepare(`SELECT id FROM staff WHERE username = ?`).pluck().get(BENCH_ADMIN.username) as number,
    dayAfter: new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
    referredIds: sqlite.prepare(`SELECT participant_id FROM referrals GROUP BY participant_id ORDER BY (participant_id * 7919) % 10007 LIMIT 200`).pluck().all() as number[],
  }
}

export const SIGN_IN_WARM_UP = 30

type Context = ServiceContext & { sqlite: OpenDatabase['sqlite'] }

function contextOf(opened: OpenDatabase, now: () => Date, staffId: number | null = null): Context {
  return { db: opened.db, sqlite: opened.sqlite, staffId, now, timeZone: 'UTC' }
}

interface Measured {
  prefix: Pair
  typo: Pair
  other: Pair
  board: Pair
  list: Pair
  signIn: Pair
  referralsDue: Pair
  referralsOfPerson: Pair
  kysely: number[]
  like: number[]
  ftsForLike: number[]
  backup: BackupFigures
  dashboardYear: Pair
  dashboardFiveYears: Pair
  reportQuarter: Pair
  reportCsv: Pair
  groups: GroupTimes
}

async function measure(
  sides: readonly [OpenDatabase, OpenDatabase],
  copies: readonly [() => Promise<OpenDatabase>, () => Promise<OpenDatabase>],
  p: Plan,
  options: BenchOptions,
  key: DbKey,
): Promise<Measured> {
  const progress = (step: number, name: string) => options.onProgress?.(step, 8, name)
  const busy = new Date(`${p.busiestDay.date}T17:30:00Z`)
  const ctx = sides.map((side) => contextOf(side, () => busy)) as [Context, Context]
  const search = (side: 0 | 1, text: string) => searchParticipants(ctx[side], text, 20)

  progress(0, 'search')
  const prefix = await timedPair(p.queries.prefix, options.searchRounds, search)
  const typo = await timedPair(p.queries.typo, options.searchRounds * 4, search)
  const other = await timedPair(p.queries.other, options.searchRounds * 4, search)

  progress(1, 'search via kysely')
  const viaKysely: ServiceContext = { db: ctx[0].db, staffId: null, now: ctx[0].now, timeZone: 'UTC' }
  const kysely = await timedEach([...p.queries.prefix, ...p.queries.typo], (text) => searchParticipants(viaKysely, text, 20))

  progress(2, 'LIKE baseline')
  const everything = [...p.queries.prefix, ...p.queries.typo, ...p.queries.other]
  const step = Math.max(1, Math.floor(everything.length / options.likeQueries))
  const likeSample = everything.filter((_, i) => i % step === 0).slice(0, options.likeQueries)
  const like = likeSearch(sides[0].sqlite)
  const likeTimes = await timedEach(likeSample, (text) => like(text, 20))
  const ftsForLike = await timedEach(likeSample, (text) => search(0, text))

  progress(3, "today's board")
  const rounds = (n: number) => Array.from({ length: n }, (_, i) => i)
  const board = await timedPair(rounds(options.boardRounds), 1, (side) => todayVisits(ctx[side]))
  progress(4, 'participant list')
  const list = await timedPair(rounds(options.listRounds), 1, (side) => listParticipants(ctx[side], { offset: 0, limit: 100 }))

  progress(4, 'dashboard and funder report')
  // The morning after the data ends: every range below is in the past, as a manager reads it.
  const manager = sides.map((side) => contextOf(side, () => new Date(`${p.dayAfter}T08:00:00Z`))) as [Context, Context]
  const fiveYears = { from: addDays(p.dayAfter, -1826), to: addDays(p.dayAfter, -1) }
  const reportRounds = rounds(options.reportRounds)
  const dashboardYear = await timedPair(reportRounds, 1, (side) => dashboard(manager[side], { preset: 'last_12_months' }))
  const dashboardFiveYears = await timedPair(reportRounds, 1, (side) => dashboard(manager[side], fiveYears))
  const reportQuarter = await timedPair(reportRounds, 1, (side) => funderReport(manager[side], { preset: 'last_quarter' }))
  const reportCsvTimes = await timedPair(reportRounds, 1, async (side) => reportCsv(await funderReport(manager[side], { preset: 'last_quarter' }), 10))

  progress(5, 'sign-in')
  const copy = [await copies[0](), await copies[1]()] as const
  let signIn2: Pair
  let referralsDue: Pair
  let referralsOfPerson: Pair
  let groups: GroupTimes
  let backup: BackupFigures
  try {
    const desk = morningDesks(copy, p)
    signIn2 = await timedSignIns(desk, p)
    // Reads of referrals write their audit row (with its fsync), so they run here on the copies.
    progress(6, 'referrals')
    referralsDue = await timedPair(rounds(options.listRounds), 1, (side) => listReferrals(desk[side]!(), { view: 'due' }, 0, 50))
    referralsOfPerson = await timedPair(p.referredIds, 1, (side, id) => listReferrals(desk[side]!(), { view: 'all', participantId: id }, 0, 50))
    progress(6, 'groups and attendance')
    groups = await measureGroups(copy, p.dayAfter, p.adminId, options.groupMarks)
    progress(7, 'backup while signing in')
    // Anonymous walk-ins: as many as the backup lasts, none already signed in that day.
    backup = await measureBackup(copy[0], key, options.dataDir, desk[0]!().now(), () => signIn(desk[0]!(), { participantId: null, anonymousCode: null, services: p.services }))
  } finally {
    for (const c of copy) {
      await c.close()
      removeDb(c.file)
    }
  }
  progress(8, 'done')
  return {
    prefix,
    typo,
    other,
    board,
    list,
    signIn: signIn2,
    referralsDue,
    referralsOfPerson,
    kysely,
    like: likeTimes,
    ftsForLike,
    backup,
    dashboardYear,
    dashboardFiveYears,
    reportQuarter,
    reportCsv: reportCsvTimes,
    groups,
  }
}

/** Each copy's desk, its clock a sign-in every 20 seconds of the morning after the data ends. */
function morningDesks(copy: readonly [OpenDatabase, OpenDatabase], p: Plan): [() => Context, () => Context] {
  const start = Date.parse(`${p.dayAfter}T08:30:00Z`)
  return copy.map((c) => {
    let n = 0
    return () => {
      const at = new Date(start + n++ * 20_000)
      return contextOf(c, () => at, p.adminId)
    }
  }) as [() => Context, () => Context]
}

/** The plan's people signed in on both copies, each once per database: the warm-up signs in the first few, the timed loop the rest. */
async function timedSignIns(desk: readonly [() => Context, () => Context], p: Plan): Promise<Pair> {
  const ids = p.signInIds
  const next: [number, number] = [0, 0]
  const once = (side: 0 | 1) => signIn(desk[side](), { participantId: ids[next[side]++]!, services: p.services })
  for (let i = 0; i < Math.min(SIGN_IN_WARM_UP, ids.length); i++) {
    await once(0)
    await once(1)
  }
  return timedPair(
    Array.from({ length: Math.max(0, ids.length - SIGN_IN_WARM_UP) }, (_, i) => i),
    1,
    (side) => once(side),
    false,
  )
}

function workload(id: string, label: string, encrypted: number[], plain: number[] | null): Workload {
  const e = stats(encrypted)
  const p = plain ? stats(plain) : null
  return {
    id,
    label,
    encrypted: e,
    plain: p,
    ratio: p ? { p50: round(e.p50 / Math.max(p.p50, 1e-6), 2), p95: round(e.p95 / Math.max(p.p95, 1e-6), 2) } : null,
  }
}

/** The speed goals for the dashboard and the funder report (encrypted, p95). */
function reportTargets(workloads: Workload[]): Target[] {
  const goals: Array<[string, string, number]> = [
    ['dashboard.year', 'dashboard, 12 months, p95 < 100 ms', 100],
    ['dashboard.five_years', 'dashboard, 5 years, p95 < 300 ms', 300],
    ['report.quarter', 'funder report, a quarter, p95 < 200 ms', 200],
    ['report.csv', 'funder report CSV, a quarter, p95 < 1 s', 1000],
  ]
  return goals.map(([id, name, limit]) => {
    const value = workloads.find((w) => w.id === id)!.encrypted.p95
    return { name, value, limit, met: value < limit }
  })
}

function groupWorkloads(g: GroupTimes): Workload[] {
  const { counts } = g
  return [
    workload('groups.mark', `groups: mark one person present (+ audit, FULL fsync; answers with the changed row)`, ...g.mark),
    workload('groups.sheet', `groups: open a session's attendance screen (+ audit row; ${counts.sheets} sessions)`, ...g.sheet),
    workload('groups.history', `groups: a group's page, 5 years of history (${counts.groups} groups, ${counts.sessions} sessions, ${counts.attendance} marks)`, ...g.history),
    workload('groups.expand', 'groups: expand a schedule over 5 years (no database)', g.expand, null),
  ]
}

/** The speed goals for groups and attendance (encrypted, p95). */
function groupTargets(workloads: Workload[]): Target[] {
  const goals: Array<[string, string, number]> = [
    ['groups.mark', 'groups: marking one person present, p95 < 10 ms', 10],
    ['groups.sheet', "groups: a session's attendance screen, p95 < 20 ms", 20],
    ['groups.history', "groups: a group's 5-year history page, p95 < 50 ms", 50],
    ['groups.expand', 'groups: a schedule expanded over 5 years, p95 < 20 ms', 20],
  ]
  return goals.map(([id, name, limit]) => {
    const value = workloads.find((w) => w.id === id)!.encrypted.p95
    return { name, value, limit, met: value < limit }
  })
}

/**
 * Only the groups workloads (`npm run bench -- --only groups`): the same databases and copies as
 * the full run, for a quick look after a change to groups.
 */
export async function runGroupsBench(options: BenchOptions): Promise<{ workloads: Workload[]; targets: Target[] }> {
  const data = await ensureData(options.dataDir, options, options.onProgress)
  const opened = await openDatabase(data.file, data.key, { check: 'none' })
  const plain = openPlain(data.plainFile)
  const files = [scratchFile(options.dataDir, 'groups-copy'), scratchFile(options.dataDir, 'groups-copy.plain')] as const
  copyDatabase(opened, files[0])
  copyDatabase(plain, files[1])
  const last = opened.sqlite.prepare(`SELECT max(visit_date) FROM visits`).pluck().get() as string
  const adminId = opened.sqlite.prepare(`SELECT id FROM staff WHERE username = ?`).pluck().get(BENCH_ADMIN.username) as number
  await opened.close()
  await plain.close()
  const copy = [await openDatabase(files[0], data.key, { check: 'none' }), openPlain(files[1])] as const
  try {
    const workloads = groupWorkloads(await measureGroups(copy, addDays(last, 1), adminId, options.groupMarks))
    return { workloads, targets: groupTargets(workloads) }
  } finally {
    for (const c of copy) {
      await c.close()
      removeDb(c.file)
    }
  }
}

/**
 * Only the sign-ins (`npm run bench -- --only sign-in [--repeats R]`): the full run's sign-in
 * workload on fresh copies of both databases, `repeats` times, for the encrypted/plain ratio
 * in a few minutes (the full run takes twenty). Each repeat's ratio is returned beside the pooled one.
 */
export async function runSignInBench(options: BenchOptions, repeats = 1): Promise<{ workload: Workload; ratios: number[] }> {
  const data = await ensureData(options.dataDir, options, options.onProgress)
  const opened = await openDatabase(data.file, data.key, { check: 'none' })
  const plain = openPlain(data.plainFile)
  const files = [scratchFile(options.dataDir, 'signin-copy'), scratchFile(options.dataDir, 'signin-copy.plain')] as const
  const p = plan(opened, options)
  const samples: Pair = [[], []]
  const ratios: number[] = []
  try {
    for (let r = 0; r < repeats; r++) {
      options.onProgress?.(r, repeats, 'sign-in')
      copyDatabase(opened, files[0])
      copyDatabase(plain, files[1])
      const copy = [await openDatabase(files[0], data.key, { check: 'none' }), openPlain(files[1])] as const
      try {
        const [encrypted, unencrypted] = await timedSignIns(morningDesks(copy, p), p)
        samples[0].push(...encrypted)
        samples[1].push(...unencrypted)
        ratios.push(workload('sign_in', '', encrypted, unencrypted).ratio!.p50)
      } finally {
        for (const c of copy) {
          await c.close()
          removeDb(c.file)
        }
      }
    }
  } finally {
    await opened.close()
    await plain.close()
  }
  return { workload: workload('sign_in', 'sign-in (signIn + audit, FULL fsync)', ...samples), ratios }
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const progress = options.onProgress ?? (() => {})
  const data: BuiltData = await ensureData(options.dataDir, options, progress)

  // Opening: what the app pays at every start (every page's MAC), and the other checks.
  progress(0, 3, 'open: page check')
  let opened!: OpenDatabase
  const pages = await secondsAsync(async () => {
    opened = await openDatabase(data.file, data.key, { check: 'pages' })
  })
  progress(1, 3, 'open: integrity_check')
  const full = await secondsAsync(async () => (await openDatabase(data.file, data.key, { check: 'full', readonly: true })).close())
  const quick = await secondsAsync(async () => (await openDatabase(data.file, data.key, { check: 'quick', readonly: true })).close())
  const none = await secondsAsync(async () => (await openDatabase(data.file, data.key, { check: 'none', readonly: true })).close())
  const plain = openPlain(data.plainFile)
  progress(2, 3, 'open: plain integrity_check')
  const plainIntegrityCheck = seconds(() => plain.sqlite.pragma('integrity_check'))
  progress(3, 3, 'open')

  try {
    const p = plan(opened, options)
    const searchPlan = (opened.sqlite.prepare(`EXPLAIN QUERY PLAN ${SEARCH_SQL}`).all('x', 1, 20) as Array<{ detail: string }>).map((row) => row.detail)
    // Sign-in writes: it runs on throwaway copies, so the cached database stays as built.
    const copyOf = (source: OpenDatabase, file: string, open: (file: string) => Promise<OpenDatabase>) => () => {
      copyDatabase(source, file)
      return open(file)
    }
    const m = await measure(
      [opened, plain],
      [
        copyOf(opened, scratchFile(options.dataDir, 'signin-copy'), (file) => openDatabase(file, data.key, { check: 'none' })),
        copyOf(plain, scratchFile(options.dataDir, 'signin-copy.plain'), async (file) => openPlain(file)),
      ],
      p,
      options,
      data.key,
    )

    const workloads = [
      workload('search.prefix', 'search: keystrokes (1-6 chars)', ...m.prefix),
      workload('search.typo', 'search: names with a typo', ...m.typo),
      workload('search.code_phone', 'search: code / last 4 of phone', ...m.other),
      workload(
        'search.all',
        'search: all of the above',
        [...m.prefix[0], ...m.typo[0], ...m.other[0]],
        [...m.prefix[1], ...m.typo[1], ...m.other[1]],
      ),
      workload('search.kysely', 'search via kysely (no prepared stmt)', m.kysely, null),
      workload('sign_in', 'sign-in (signIn + audit, FULL fsync)', ...m.signIn),
      workload('board', `today's board (${p.busiestDay.visits} visits)`, ...m.board),
      workload('list', 'participant list, first 100 by name', ...m.list),
      workload('referrals.due', 'referrals: due follow-ups, first 50 (+ audit row)', ...m.referralsDue),
      workload('referrals.person', "referrals: one person's (+ audit row)", ...m.referralsOfPerson),
      workload('dashboard.year', 'dashboard: last 12 months, every figure and the period before', ...m.dashboardYear),
      workload('dashboard.five_years', 'dashboard: five years', ...m.dashboardFiveYears),
      workload('report.quarter', 'funder report: last quarter', ...m.reportQuarter),
      workload('report.csv', 'funder report: last quarter as CSV', ...m.reportCsv),
      ...groupWorkloads(m.groups),
    ]
    const fts = stats(m.ftsForLike)
    const like = stats(m.like)
    const bytesOf = (file: string) => statSync(file).size
    const searchIndex = opened.sqlite
      .prepare(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('participant_search_data', 'participant_search_idx', 'participant_search_docsize', 'participant_search_config') AND aggregate = TRUE`)
      .pluck()
      .get() as number
    const all = workloads.find((w) => w.id === 'search.all')!
    const signInW = workloads.find((w) => w.id === 'sign_in')!
    const ratios = workloads.filter((w) => w.ratio)
    const worstRatio = ratios.reduce((worst, w) => (w.ratio!.p50 > worst.ratio!.p50 ? w : worst), ratios[0]!)
    return {
      machine: machine(opened.sqlite.prepare('SELECT sqlite_version()').pluck().get() as string),
      data: {
        participants: data.seeded.participants,
        visits: data.seeded.visits,
        referrals: data.seeded.referrals,
        assessments: data.seeded.assessments,
        anonymousVisits: data.seeded.anonymousVisits,
        visitServices: data.seeded.visitServices,
        days: options.days,
        firstDate: data.seeded.firstDate,
        lastDate: data.seeded.lastDate,
        seed: options.seed,
        visitsPerWeekday: options.visitsPerWeekday,
        busiestDay: p.busiestDay,
        bytes: { encrypted: bytesOf(data.file), plain: bytesOf(data.plainFile), searchIndex },
        plainCopy: 'rebuilt with the same seed: the same rows inserted in the same order, no encryption',
        cacheSizeKiB: -Number(opened.sqlite.pragma('cache_size', { simple: true })),
        built: { reused: data.reused, buildSeconds: data.buildSeconds === null ? null : round(data.buildSeconds, 1), plainCopySeconds: data.plainSeconds === null ? null : round(data.plainSeconds, 1), migrated: data.migrated },
      },
      open: { pages, full, quick, none, plainIntegrityCheck },
      queries: { prefix: p.queries.prefix.length, typo: p.queries.typo.length, other: p.queries.other.length },
      searchPlan,
      workloads,
      searchVsLike: {
        queries: m.like.length,
        fts,
        like,
        likeOverFts: { p50: round(like.p50 / Math.max(fts.p50, 1e-6), 1), p95: round(like.p95 / Math.max(fts.p95, 1e-6), 1) },
      },
      backup: m.backup,
      targets: [
        { name: 'search p95 < 5 ms (encrypted, all keystrokes)', value: all.encrypted.p95, limit: 5, met: all.encrypted.p95 < 5 },
        { name: 'sign-in p95 < 10 ms (encrypted)', value: signInW.encrypted.p95, limit: 10, met: signInW.encrypted.p95 < 10 },
        ...reportTargets(workloads),
        ...groupTargets(workloads),
        {
          name: `encrypted/plain p50 <= 1.2 (worst: ${worstRatio.id})`,
          value: worstRatio.ratio!.p50,
          limit: 1.2,
          met: worstRatio.ratio!.p50 <= 1.2,
        },
      ],
    }
  } finally {
    await opened.close()
    await plain.close()
  }
}

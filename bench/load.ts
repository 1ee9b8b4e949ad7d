import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileKeyStore } from '../db/keystore-file'
import { connectionFromUrl } from '../db/postgres'
import { createParticipant } from '../db/services/participants'
import { PorchlightCore, type Session } from '../electron/ipc/core'
import { dispatch } from '../electron/ipc/dispatch'
import { bundleNodeModule } from '../test/backup-worker-bundle'
import { createHostDatabase, onServer } from '../test/host/postgres'
import { stats, type Stats } from './harness'

/**
 * `npm run load -- --postgres URL`: four desks and a kiosk, each a process of its own holding a
 * PorchlightCore joined to one new database on the server as a PC is, sign people in and search
 * for them at once for a set time (bench/load-pc.ts). Afterwards the database is read directly:
 * every acknowledged sign-in is there exactly once, nothing is there that nobody was told of, and
 * nobody is here twice.
 */

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))

export interface LoadPerson {
  id: number
  firstName: string
  birthYear: number
}

/** What the orchestrator sends each PC. */
export interface PcOrders {
  url: string
  role: 'desk' | 'kiosk'
  username: string
  password: string
  seed: number
  people: LoadPerson[]
  /** The first `hot` people are reached for `hotShare` of the time by every desk. */
  hot: number
  hotShare: number
  keepHere: number
  kioskEveryMs: number
  /** The run's first instant (tests), or null for the machine's clock (the script). */
  start: string | null
  timeZone: string | undefined
}

export interface PcReport {
  signIns: Array<{ visitId: number; participantId: number }>
  /** Refused as already here (another desk, or this one earlier, signed them in): the desk's message, not a failure. */
  already: number
  signInMs: number[]
  searchMs: number[]
  /** Searches whose last keystroke did not list the person looked for. */
  searchMisses: number
  signOuts: number[]
  /** Any other refusal, by channel and code: a run with any fails. */
  otherRefusals: Record<string, number>
  kioskSignIns: number[]
  /** Look-ups the kiosk sent to the desk. */
  kioskDesk: number
  lookupMs: number[]
}

export type PcMessage = { kind: 'ready' } | { kind: 'done'; report: PcReport } | { kind: 'failed'; message: string }

export interface LoadOptions {
  /** A role that may create databases on the server (the run's database is made there and dropped after). */
  url: string
  seconds: number
  desks?: number
  kiosk?: boolean
  people?: number
  seed?: number
  start?: string | null
  timeZone?: string
  progress?: (line: string) => void
  /**
   * Called after the check, before the database is dropped: a test changes the records behind the
   * run's back and checks again, to show the check would see a lost or doubled visit.
   */
  afterCheck?: (url: string, checkAgain: () => Promise<LoadCheck>) => Promise<void>
}

export interface LoadCheck {
  /** Acknowledged sign-ins with no visit, or not the person's, in the database. */
  lost: number
  /** Visits in the database nobody was told of, and people here twice without a confirmed repeat. */
  doubled: number
  unacknowledged: number
  hereTwice: number
  /** Sign-outs acknowledged but the visit still open. */
  signOutsLost: number
  visitsInDatabase: number
}

export interface LoadResult {
  seconds: number
  desks: number
  kiosk: boolean
  people: number
  signIns: { desk: number; kiosk: number; perSecond: number; already: number; ms: Stats }
  searches: { n: number; perSecond: number; misses: number; ms: Stats }
  kioskLookups: { n: number; sentToDesk: number; ms: Stats }
  signOuts: number
  refusals: Record<string, number>
  check: LoadCheck
  server: { version: string; settings: Record<string, string> }
}

const PASSWORD = 'load test password'

/** Distinct first names of letters only (the kiosk takes nothing else), from syllables. */
function firstName(n: number): string {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'va', 'zo', 'be', 'do', 'fe', 'gi', 'ha', 'ju', 'ko', 'le', 'ma', 'no', 'pe']
  let name = ''
  let rest = n
  for (let i = 0; i < 3; i++) {
    name += syllables[rest % syllables.length]
    rest = Math.floor(rest / syllables.length)
  }
  // Past 8,000 names a fourth syllable keeps them distinct.
  if (rest > 0) name += syllables[rest % syllables.length]
  return name[0]!.toUpperCase() + name.slice(1)
}

function startPc(script: string, orders: PcOrders): { child: ChildProcess; ready: Promise<void>; done: Promise<PcReport> } {
  const child = fork(script, [], { cwd: ROOT, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let markReady!: () => void
  let fail!: (error: Error) => void
  const ready = new Promise<void>((resolveReady, reject) => {
    markReady = resolveReady
    fail = reject
  })
  const done = new Promise<PcReport>((resolveDone, reject) => {
    child.on('message', (message: PcMessage) => {
      if (message.kind === 'ready') markReady()
      else if (message.kind === 'done') resolveDone(message.report)
      else {
        const error = new Error(`${orders.username}'s PC failed: ${message.message}`)
        fail(error)
        reject(error)
      }
    })
    child.on('exit', (code) => {
      const error = new Error(`${orders.username}'s PC stopped (exit ${code}) before it reported`)
      fail(error)
      reject(error)
    })
  })
  // Rejections are read through `ready` and `done`; this keeps an unread one from ending the process.
  ready.catch(() => undefined)
  done.catch(() => undefined)
  child.send(orders)
  return { child, ready, done }
}

/** Reads the run's visits past Porchlight's code and compares them with what each PC was told. */
async function check(url: string, reports: PcReport[]): Promise<LoadCheck> {
  return onServer(url, async (client) => {
    const { rows } = await client.query<{ id: string; participant_id: string | null; signed_out: boolean; repeat_confirmed: number }>(
      'SELECT id, participant_id, signed_out_at IS NOT NULL AS signed_out, repeat_confirmed FROM visits WHERE voided_at IS NULL',
    )
    const visits = new Map(rows.map((row) => [Number(row.id), { participantId: Number(row.participant_id), signedOut: row.signed_out, repeat: row.repeat_confirmed }]))
    let lost = 0
    let signOutsLost = 0
    const told = new Set<number>()
    for (const report of reports) {
      for (const ack of report.signIns) {
        const visit = visits.get(ack.visitId)
        if (!visit || visit.participantId !== ack.participantId) lost++
        told.add(ack.visitId)
      }
      for (const visitId of report.signOuts) if (!visits.get(visitId)?.signedOut) signOutsLost++
    }
    // The kiosk is told "signed in" without an id: its visits are counted person by person.
    const kioskLeft = new Map<number, number>()
    for (const report of reports) for (const id of report.kioskSignIns) kioskLeft.set(id, (kioskLeft.get(id) ?? 0) + 1)
    let unacknowledged = 0
    for (const [id, visit] of visits) {
      if (told.has(id)) continue
      const left = kioskLeft.get(visit.participantId) ?? 0
      if (left > 0) kioskLeft.set(visit.participantId, left - 1)
      else unacknowledged++
    }
    for (const left of kioskLeft.values()) lost += left
    const { rows: twice } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT participant_id FROM visits WHERE signed_out_at IS NULL AND voided_at IS NULL AND repeat_confirmed = 0 AND participant_id IS NOT NULL GROUP BY participant_id, visit_date HAVING count(*) > 1) AS t`,
    )
    const hereTwice = Number(twice[0]!.n)
    return { lost, doubled: unacknowledged + hereTwice, unacknowledged, hereTwice, signOutsLost, visitsInDatabase: visits.size }
  })
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

/** Runs the load against a new database on the server at `options.url`, dropped afterwards. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const desks = options.desks ?? 4
  const withKiosk = options.kiosk ?? true
  const peopleCount = options.people ?? 1500
  const seed = options.seed ?? 15
  const say = options.progress ?? (() => undefined)
  const database = await createHostDatabase(options.url)
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-load-'))
  const origin = options.start ? Date.parse(options.start) : null
  const began = performance.now()
  const now = origin === null ? undefined : () => new Date(origin + (performance.now() - began))
  // The manager's PC: sets the center up, makes the desks' accounts and registers the people.
  const core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now, timeZone: options.timeZone, appVersion: '0.0.0-load' })
  const pcs: Array<ReturnType<typeof startPc>> = []
  try {
    await core.start()
    await core.connectServer(connectionFromUrl(database.url))
    const session: Session = { staff: null }
    const must = async (channel: string, input: unknown) => {
      const envelope = await dispatch(channel, input, { core, session })
      if (!envelope.ok) throw new Error(`${channel} refused: ${envelope.error.code}`)
      return envelope.value
    }
    await must('setup.create', { centerName: 'Load Test Center', adminName: 'Load Admin', username: 'admin', password: PASSWORD })
    await must('auth.login', { username: 'admin', password: PASSWORD })
    const accounts = Array.from({ length: desks + (withKiosk ? 1 : 0) }, (_, i) => (i < desks ? `desk${i + 1}` : 'kiosk'))
    for (const username of accounts) await must('staff.create', { username, displayName: username, role: 'front_desk', password: PASSWORD })
    say(`registering ${peopleCount} people`)
    const ctx = core.context(session)
    const people: LoadPerson[] = []
    for (let n = 0; n < peopleCount; n++) {
      const birthYear = 1950 + ((n * 37) % 56)
      const person = await createParticipant(ctx, { firstName: firstName(n), lastName: `Load${n}`, birthYear })
      people.push({ id: person.id, firstName: firstName(n), birthYear })
    }
    say(`starting ${accounts.length} PCs`)
    // Bundled as electron-vite bundles main: five PCs each loading the core through tsx spent two
    // minutes starting on a busy 2-core machine.
    const script = bundleNodeModule(join('bench', 'load-pc.ts'), 'load-pc')
    const base = { url: database.url, password: PASSWORD, people, hot: 20, hotShare: 0.15, keepHere: 40, kioskEveryMs: 10_500, start: options.start ?? null, timeZone: options.timeZone }
    for (const [i, username] of accounts.entries()) {
      pcs.push(startPc(script, { ...base, role: username === 'kiosk' ? 'kiosk' : 'desk', username, seed: seed * 100 + i }))
    }
    await Promise.all(pcs.map((pc) => pc.ready))
    say(`running for ${options.seconds} s`)
    const started = performance.now()
    for (const pc of pcs) pc.child.send({ kind: 'go', ms: options.seconds * 1000 })
    const reports = await Promise.all(pcs.map((pc) => pc.done))
    const seconds = (performance.now() - started) / 1000
    const result = summarize(reports, seconds, { desks, kiosk: withKiosk, people: peopleCount })
    const { check: checked, server } = await onServer(database.url, async (client) => {
      const version = (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v
      const settings: Record<string, string> = {}
      for (const name of ['fsync', 'synchronous_commit', 'max_connections']) settings[name] = (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0]![name]!
      return { check: await check(database.url, reports), server: { version, settings } }
    })
    await options.afterCheck?.(database.url, () => check(database.url, reports))
    return { ...result, check: checked, server }
  } finally {
    for (const pc of pcs) if (pc.child.exitCode === null) pc.child.kill()
    await core.close()
    await database.drop()
    rmSync(dir, { recursive: true, force: true })
  }
}

function summarize(reports: PcReport[], seconds: number, shape: { desks: number; kiosk: boolean; people: number }): Omit<LoadResult, 'check' | 'server'> {
  const all = <T>(pick: (report: PcReport) => T[]) => reports.flatMap(pick)
  const refusals: Record<string, number> = {}
  for (const report of reports) for (const [key, n] of Object.entries(report.otherRefusals)) refusals[key] = (refusals[key] ?? 0) + n
  const desk = all((r) => r.signIns).length
  const kiosk = all((r) => r.kioskSignIns).length
  const searches = all((r) => r.searchMs)
  return {
    seconds: round(seconds),
    ...shape,
    signIns: { desk, kiosk, perSecond: round((desk + kiosk) / seconds), already: reports.reduce((sum, r) => sum + r.already, 0), ms: stats(all((r) => r.signInMs)) },
    searches: { n: searches.length, perSecond: round(searches.length / seconds), misses: reports.reduce((sum, r) => sum + r.searchMisses, 0), ms: stats(searches) },
    kioskLookups: { n: all((r) => r.lookupMs).length, sentToDesk: reports.reduce((sum, r) => sum + r.kioskDesk, 0), ms: stats(all((r) => r.lookupMs)) },
    signOuts: all((r) => r.signOuts).length,
    refusals,
  }
}

/** The run in a few lines, as RELIABILITY.md quotes it. */
export function describeLoad(result: LoadResult): string {
  const { signIns, searches, kioskLookups, check: c } = result
  return [
    `load: ${result.desks} desks${result.kiosk ? ' and a kiosk' : ''}, ${result.seconds} s, ${result.people} people: ${signIns.desk + signIns.kiosk} sign-ins (${signIns.kiosk} at the kiosk), ${signIns.perSecond}/s, p50 ${signIns.ms.p50} ms, p95 ${signIns.ms.p95} ms, p99 ${signIns.ms.p99} ms; ${signIns.already} refused as already here`,
    `load: ${searches.n} searches (a keystroke each), ${searches.perSecond}/s, p50 ${searches.ms.p50} ms, p95 ${searches.ms.p95} ms; ${searches.misses} without the person; ${result.signOuts} sign-outs; kiosk look-ups ${kioskLookups.n}, p95 ${kioskLookups.ms.p95} ms, ${kioskLookups.sentToDesk} sent to the desk`,
    `load: checked against the database: ${c.visitsInDatabase} visits, ${c.lost} lost, ${c.doubled} doubled (${c.unacknowledged} nobody was told of, ${c.hereTwice} people here twice), ${c.signOutsLost} sign-outs lost; other refusals: ${JSON.stringify(result.refusals)}`,
  ].join('\n')
}

import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from '@playwright/test'
import { openDatabase } from '../db/open'
import { RENDERER_DIR } from '../test/host/server'
import e2eConfig from '../playwright.config'
import en from '../renderer/src/i18n/en.json'
import { MARKS } from '../shared/perf-marks'
import type { FeltHostMemory, FeltHostOptions } from './felt-host'
import { BENCH_ADMIN, copyDatabase, dataName, ensureData, removeDb, scratchFile, type DataSpec } from './databases'
import { stats, type Stats, type Target } from './harness'
import { buildQueries } from './queries'

/**
 * What a person feels (issue 11): the built renderer in Debian's Chromium, through the test host
 * (the real handlers on a copy of the bench's encrypted database), timed with the Performance API
 * inside the page: from the input event's own timestamp to the mark the renderer sets once the
 * frame that shows the answer is painted (renderer/src/lib/perf.ts). Nothing is timed from here,
 * so Playwright's own round trips do not count.
 */

export interface FeltOptions extends DataSpec {
  dataDir: string
  /** Fresh tabs opened to the sign-in form. */
  coldStarts: number
  /** People looked up letter by letter at the desk. */
  people: number
  /** People signed in from the desk's search. */
  signIns: number
  /** Page loads of the dashboard, each followed by a change to every other preset range. */
  dashboardRounds: number
  onProgress?: (done: number, total: number, phase: string) => void
  /** Each sample as it is taken, in order (the slow ones' neighbours tell what they had in common). */
  onSample?: (workload: string, ms: number) => void
}

// Enough samples that a p95 is not one unlucky sample: at 20 sign-ins the p95 is the 19th slowest, and two
// quiet runs of the same build differed by 20-40 %.
export const FELT_SIZE = { coldStarts: 40, people: 50, signIns: 60, dashboardRounds: 10 }

export interface FeltWorkload {
  id: string
  label: string
  stats: Stats
}

export interface FeltResults {
  about: string
  browser: string
  workloads: FeltWorkload[]
  /**
   * The host process's resident memory at the end of the run (it runs in a process of its own, as
   * the app's main process does: the bench's Playwright client and query-picking connection are not in it).
   */
  residentMiB: number
  /** The rest of the host's account: its peak, V8's heap and what lives outside it (SQLite's page cache among it). */
  hostMemory: FeltHostMemory
  /** The same, once the host was serving and before the browser asked it anything: what the run added. */
  hostMemoryAtStart: FeltHostMemory
  targets: Target[]
}

/** Set in the page before any of its scripts: every mark as it is made, every key and click with its time. */
function recorder(): void {
  const felt = { marks: [] as Array<{ name: string; t: number; detail: unknown }>, keys: [] as number[], clicks: [] as number[] }
  Object.assign(window, { __felt: felt })
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) felt.marks.push({ name: entry.name, t: entry.startTime, detail: (entry as PerformanceMark).detail })
  }).observe({ type: 'mark', buffered: true })
  // A letter no US key makes (é, ñ) is typed as inserted text: no keydown, so its input is the start.
  let keyHeld = false
  addEventListener('keydown', (event) => { keyHeld = true; felt.keys.push(event.timeStamp) }, true)
  addEventListener('keyup', () => { keyHeld = false }, true)
  addEventListener('beforeinput', (event) => { if (!keyHeld) felt.keys.push(event.timeStamp) }, true)
  addEventListener('click', (event) => felt.clicks.push(event.timeStamp), true)
}

interface Felt {
  marks: Array<{ name: string; t: number; detail: unknown }>
  keys: number[]
  clicks: number[]
}

/** Which mark answers the input: one whose detail is this text, or a board whose newest visit is newer than this one. */
type Wanted = { detail: string } | { visitAfter: number }

/** Waits for the mark named `name` that answers the last input event and returns milliseconds from that event to it. */
async function sinceInput(page: Page, name: string, input: 'keys' | 'clicks', wanted: Wanted): Promise<number> {
  const handle = await page.waitForFunction(
    ([name, input, wanted]) => {
      const felt = (window as unknown as { __felt: Felt }).__felt
      const at = felt[input].at(-1)
      if (at === undefined) return null
      // No named helper functions in here: tsx would wrap them in a __name() the page lacks.
      for (const m of felt.marks) {
        if (m.name !== name || m.t <= at) continue
        if ('detail' in wanted ? m.detail === wanted.detail : (JSON.parse(String(m.detail)) as { visit: number }).visit > wanted.visitAfter && (JSON.parse(String(m.detail)) as { participant: number | null }).participant !== null) return m.t - at
      }
      return null
    },
    [name, input, wanted] as const,
    { timeout: 30_000 },
  )
  return (await handle.jsonValue()) as number
}

/** The newest visit on the board as last marked, or 0. */
async function newestVisit(page: Page): Promise<number> {
  return page.evaluate((name) => {
    const marks = (window as unknown as { __felt: Felt }).__felt.marks.filter((m) => m.name === name)
    const last = marks.at(-1)
    return last ? (JSON.parse(String(last.detail)) as { visit: number }).visit : 0
  }, MARKS.board)
}

interface FeltHost {
  url: string
  memory(): Promise<FeltHostMemory>
  close(): Promise<void>
}

/** Forks bench/felt-host.ts and waits until it serves. */
async function forkHost(options: FeltHostOptions): Promise<FeltHost> {
  const child: ChildProcess = fork(fileURLToPath(new URL('felt-host.ts', import.meta.url)), [JSON.stringify(options)], { execArgv: ['--import', 'tsx'] })
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (!(key in message)) return
        child.off('exit', onExit)
        child.off('message', onMessage)
        resolve(message[key] as T)
      }
      const onExit = (code: number | null) => reject(new Error(`The felt bench's host exited (code ${code}) before answering.`))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  const url = await next<string>('url')
  return {
    url,
    memory: async () => {
      const answer = next<FeltHostMemory>('memory')
      child.send('memory')
      return answer
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.send('close')
      }),
  }
}

async function signInAs(page: Page, host: FeltHost): Promise<void> {
  await page.goto(host.url)
  await page.getByRole('textbox', { name: en.login.username }).fill(BENCH_ADMIN.username)
  await page.getByRole('textbox', { name: en.login.password }).fill(BENCH_ADMIN.password)
  await page.getByRole('button', { name: en.login.submit }).click()
  await page.getByRole('combobox', { name: en.search.label }).waitFor()
}

/** The whole felt bench: builds or reuses the bench's databases, serves a copy, measures, cleans up. */
export async function runFeltBench(options: FeltOptions): Promise<FeltResults> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('The felt bench times the built renderer: run "npm run build" first.')
  const progress = options.onProgress ?? (() => {})
  const data = await ensureData(options.dataDir, options, progress)
  const total = options.coldStarts + options.people + options.signIns + options.dashboardRounds
  let done = 0
  const step = (phase: string) => progress(++done, total, `felt: ${phase}`)

  // The host writes (sign-ins, audit rows): a copy, so the cached database stays as built.
  const copy = scratchFile(options.dataDir, 'felt-copy')
  const opened = await openDatabase(data.file, data.key, { check: 'none' })
  const last = opened.sqlite.prepare(`SELECT max(visit_date) FROM visits`).pluck().get() as string
  const queries = buildQueries(opened.sqlite, options.people, options.seed)
  // People to sign in: not already signed in on the bench's "today" (that asks whether to sign them in again).
  const codes = opened.sqlite
    .prepare(
      `SELECT code FROM participants p WHERE merged_into IS NULL AND deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.participant_id = p.id AND v.visit_date = ?)
       ORDER BY (id * 7919) % 10007 LIMIT ?`,
    )
    .pluck()
    .all(last, options.signIns) as string[]
  copyDatabase(opened, copy)
  await opened.close()

  // The desk's day is the last day of data, late in the evening: its board holds that day's
  // visits, and a visit signed in now is the newest (the top row), after every seeded one.
  const offset = Date.now() - Date.parse(`${last}T23:15:00Z`)
  const host = await forkHost({ dbFile: copy, keyFile: join(options.dataDir, `${dataName(options)}.key`), offsetMs: offset, timeZone: 'UTC' })
  const hostMemoryAtStart = await host.memory()
  const launch = e2eConfig.use?.launchOptions ?? {}
  const browser = await chromium.launch({ ...launch, headless: true })
  const version = browser.version()
  const samples = { cold: [] as number[], key: [] as number[], board: [] as number[], range: [] as number[] }
  let hostMemory: FeltHostMemory
  try {
    const context = await browser.newContext({ viewport: e2eConfig.use?.viewport ?? { width: 1366, height: 820 }, locale: 'en-US' })
    await context.addInitScript(recorder)

    // Cold start: a new tab (its own session, signed out) to the sign-in form painted with the focus in it.
    for (let i = 0; i < options.coldStarts; i++) {
      const page = await context.newPage()
      await page.goto(host.url)
      const t = await page.waitForFunction((name) => (window as unknown as { __felt: Felt }).__felt.marks.find((m) => m.name === name)?.t ?? null, MARKS.login)
      samples.cold.push((await t.jsonValue()) as number)
      await page.close()
      step('cold start')
    }

    const page = await context.newPage()
    await signInAs(page, host)
    const search = page.getByRole('combobox', { name: en.search.label })

    // Keystrokes: each name typed letter by letter, as the main bench's query list has them.
    const words: string[] = []
    for (const text of queries.prefix) {
      const previous = words.at(-1)
      if (previous !== undefined && text.startsWith(previous) && [...text].length === [...previous].length + 1) words[words.length - 1] = text
      else words.push(text)
    }
    for (const word of words.slice(0, options.people)) {
      await search.fill('')
      let typed = ''
      for (const letter of word) {
        const before = typed.trim()
        typed += letter
        if (letter === ' ') await search.press('Space')
        else if (/^[\x21-\x7e]$/.test(letter)) await search.press(letter)
        else await page.keyboard.insertText(letter)
        // A space changes nothing to look up: no new answer to wait for.
        if (typed.trim() === before) continue
        samples.key.push(await sinceInput(page, MARKS.search, 'keys', { detail: typed.trim() }))
      }
      step('desk search')
    }

    // Sign-ins: a card's code typed, Enter on the person (their panel), Enter again (signed in, on the board).
    for (const code of codes) {
      await search.fill(code)
      await page.waitForFunction(
        ([name, text]) => (window as unknown as { __felt: Felt }).__felt.marks.some((m) => m.name === name && m.detail === text),
        [MARKS.search, code] as const,
      )
      const before = await newestVisit(page)
      await search.press('Enter')
      // Their panel, with the focus on the first service.
      await page.waitForFunction(() => document.activeElement?.getAttribute('type') === 'checkbox')
      await page.keyboard.press('Enter')
      samples.board.push(await sinceInput(page, MARKS.board, 'keys', { visitAfter: before }))
      options.onSample?.('felt.signed_in', samples.board.at(-1)!)
      step('desk sign-in')
    }

    // The dashboard: each page load starts with nothing cached, then every other preset once.
    const presets = Object.keys(en.dashboard.presets).filter((p) => p !== 'custom' && p !== 'this_month') as Array<keyof typeof en.dashboard.presets>
    for (let round = 0; round < options.dashboardRounds; round++) {
      await page.reload()
      await page.getByRole('button', { name: en.nav.dashboard }).click()
      await sinceInput(page, MARKS.dashboard, 'clicks', { detail: JSON.stringify({ preset: 'this_month' }) })
      for (const preset of presets) {
        await page.getByLabel(en.dashboard.range, { exact: true }).first().click()
        await page.getByRole('option', { name: en.dashboard.presets[preset], exact: true }).click()
        samples.range.push(await sinceInput(page, MARKS.dashboard, 'clicks', { detail: JSON.stringify({ preset }) }))
      }
      step('dashboard ranges')
    }
    await context.close()
    hostMemory = await host.memory()
  } finally {
    await browser.close()
    await host.close()
    removeDb(copy)
  }

  const residentMiB = hostMemory.residentMiB
  const workloads: FeltWorkload[] = [
    { id: 'felt.cold_start', label: 'felt: cold start to an interactive sign-in form', stats: stats(samples.cold) },
    { id: 'felt.keystroke', label: 'felt: desk search, keystroke to results painted', stats: stats(samples.key) },
    { id: 'felt.signed_in', label: "felt: Enter (sign in) to today's board showing them", stats: stats(samples.board) },
    { id: 'felt.range', label: 'felt: dashboard range change to every chart painted', stats: stats(samples.range) },
  ]
  const p95 = (id: string) => workloads.find((w) => w.id === id)!.stats.p95
  const goals: Array<[string, number, string]> = [
    ['felt: a range change to every chart painted, p95 < 300 ms', 300, 'felt.range'],
    ['felt: a keystroke to the results painted, p95 < 50 ms', 50, 'felt.keystroke'],
    ["felt: Enter to today's board showing them, p95 < 100 ms", 100, 'felt.signed_in'],
    ['felt: cold start to an interactive sign-in form, p95 < 400 ms', 400, 'felt.cold_start'],
  ]
  // A run of one part (--only felt-board) has no samples of the others: no figure, so no target.
  const measured = (id: string) => workloads.find((w) => w.id === id)!.stats.n > 0
  const targets: Target[] = goals.filter(([, , id]) => measured(id)).map(([name, limit, id]) => ({ name, value: p95(id), limit, met: p95(id) < limit }))
  targets.push({ name: 'felt: resident memory of the host process after the run, goal < 300 MB', value: residentMiB, limit: 300, met: residentMiB < 300 })
  return {
    about: 'milliseconds from the input event to the painted answer, measured inside Chromium with Performance API marks',
    browser: version,
    workloads,
    residentMiB,
    hostMemory,
    hostMemoryAtStart,
    targets,
  }
}

/** The section's lines, in the style of the other bench sections. */
export function formatFelt(felt: FeltResults): string {
  const lines = [`What a person feels (Chromium ${felt.browser}, through the test host)`]
  for (const w of felt.workloads.filter((w) => w.stats.n > 0)) lines.push(`${w.label}\n  p50 ${w.stats.p50} p95 ${w.stats.p95} p99 ${w.stats.p99} (n ${w.stats.n})`)
  const about = (m: FeltHostMemory) => `${m.residentMiB} MiB (peak ${m.peakMiB}; V8 heap ${m.heapMiB}, ${m.heapUsedMiB} of it live; outside V8's heap ${m.outsideHeapMiB})`
  lines.push(`resident memory of the host process: ${about(felt.hostMemory)}; serving, before the run: ${about(felt.hostMemoryAtStart)}`)
  for (const t of felt.targets) lines.push(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value}`)
  return lines.join('\n')
}

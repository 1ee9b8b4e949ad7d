import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Page } from '@playwright/test'
import { startHost } from '../test/host/server'
import e2eConfig from '../playwright.config'
import en from '../renderer/src/i18n/en.json'
import { MARKS } from '../shared/perf-marks'
import { BENCH_ADMIN } from './databases'

/**
 * Where the felt bench's time goes (issue 11): one cold start and a few dashboard range changes
 * in Chromium through the test host, with the page's own resource timings (what was fetched,
 * when, how long the main process took to answer) and a Chromium trace whose main-thread tasks are
 * summed by kind. A diagnostic, not a figure: bench/felt.ts measures.
 *
 *   tsx bench/felt-trace.ts --db FILE --key-file FILE --out DIR [--last YYYY-MM-DD]
 *
 * Give it a copy of a bench database: the host writes to it (audit rows, the sign-in).
 */

interface Task {
  name: string
  ph: string
  ts: number
  dur?: number
  tid: number
  pid: number
  args?: { data?: { url?: string; functionName?: string } }
}

/** Main-thread time of the renderer by event name (nested events counted in their own line too). */
function summarize(events: Task[], from: number, to: number): Array<[string, number]> {
  const main = events.find((e) => e.name === 'thread_name' && (e.args as { name?: string } | undefined)?.name === 'CrRendererMain')
  const totals = new Map<string, number>()
  for (const e of events) {
    if (!main || e.tid !== main.tid || e.pid !== main.pid || e.ph !== 'X' || e.dur === undefined) continue
    if (e.ts < from || e.ts > to) continue
    totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur / 1000)
  }
  return [...totals].filter(([, ms]) => ms >= 2).sort((a, b) => b[1] - a[1]).slice(0, 25)
}

async function traced<T>(page: Page, file: string, work: () => Promise<T>): Promise<{ result: T; events: Task[] }> {
  const browser = page.context().browser()!
  await browser.startTracing(page, { path: file, categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'loading'] })
  const result = await work()
  const buffer = await browser.stopTracing()
  const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: Task[] }).traceEvents
  return { result, events }
}

const resources = (page: Page) =>
  page.evaluate(() =>
    performance.getEntriesByType('resource').map((r) => {
      const e = r as PerformanceResourceTiming
      return { name: e.name.replace(location.origin, '').slice(0, 60), start: Math.round(e.startTime), end: Math.round(e.responseEnd), wait: Math.round(e.responseStart - e.requestStart), bytes: e.encodedBodySize }
    }),
  )

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { db: { type: 'string' }, 'key-file': { type: 'string' }, out: { type: 'string' }, last: { type: 'string' } } })
  if (!values.db || !values['key-file'] || !values.out) throw new Error('--db, --key-file and --out are required')
  mkdirSync(values.out, { recursive: true })
  const offset = values.last ? Date.now() - Date.parse(`${values.last}T23:15:00Z`) : 0
  const host = await startHost({ dbFile: values.db, keyFile: values['key-file'], now: () => new Date(Date.now() - offset), timeZone: 'UTC' })
  const browser = await chromium.launch({ ...(e2eConfig.use?.launchOptions ?? {}), headless: true })
  try {
    const context = await browser.newContext({ viewport: e2eConfig.use?.viewport ?? { width: 1366, height: 820 }, locale: 'en-US' })
    // A first, untraced load: the host bundles its bridge and warms its own caches on the first request.
    const warm = await context.newPage()
    await warm.goto(host.url)
    await warm.waitForFunction((name) => performance.getEntriesByName(name).length > 0, MARKS.login)
    await warm.close()

    const page = await context.newPage()
    const cold = await traced(page, join(values.out, 'cold.json'), async () => {
      await page.goto(host.url)
      await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, MARKS.login)
      await page.waitForTimeout(300)
    })
    const timing = await page.evaluate((name) => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const paints = performance.getEntriesByType('paint').map((p) => `${p.name} ${Math.round(p.startTime)}`)
      return { login: Math.round(performance.getEntriesByName(name)[0]!.startTime), domInteractive: Math.round(nav.domInteractive), domContentLoaded: Math.round(nav.domContentLoadedEventEnd), loadEnd: Math.round(nav.loadEventEnd), paints }
    }, MARKS.login)
    const lines = ['# Cold start', JSON.stringify(timing), '## Resources (ms since navigation)']
    for (const r of await resources(page)) lines.push(`${String(r.start).padStart(5)} → ${String(r.end).padStart(5)}  wait ${String(r.wait).padStart(4)}  ${String(r.bytes).padStart(8)} B  ${r.name}`)
    const origin = Math.min(...cold.events.filter((e) => e.name === 'navigationStart' || e.name === 'TracingStartedInBrowser').map((e) => e.ts))
    lines.push('## Renderer main thread, by event (ms)')
    for (const [name, ms] of summarize(cold.events, origin, origin + timing.login * 1000 + 50_000)) lines.push(`${ms.toFixed(1).padStart(8)}  ${name}`)

    // Dashboard: sign in, open it, then trace range changes.
    await page.getByRole('textbox', { name: en.login.username }).fill(BENCH_ADMIN.username)
    await page.getByRole('textbox', { name: en.login.password }).fill(BENCH_ADMIN.password)
    await page.getByRole('button', { name: en.login.submit }).click()
    await page.getByRole('combobox', { name: en.search.label }).waitFor()
    await page.getByRole('button', { name: en.nav.dashboard }).click()
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, MARKS.dashboard)
    for (const preset of ['last_12_months', 'this_quarter', 'this_year'] as const) {
      await page.evaluate(() => performance.clearResourceTimings())
      const clickAt = { t: 0 }
      const range = await traced(page, join(values.out, `range-${preset}.json`), async () => {
        await page.getByLabel(en.dashboard.range, { exact: true }).first().click()
        const option = page.getByRole('option', { name: en.dashboard.presets[preset], exact: true })
        await option.waitFor()
        clickAt.t = await page.evaluate(() => {
          const w = window as unknown as { __click?: number }
          addEventListener('click', (e) => (w.__click = e.timeStamp), { capture: true, once: true })
          return performance.now()
        })
        await option.click()
        return page.waitForFunction(
          ([name, detail]) => {
            const w = window as unknown as { __click?: number }
            const m = performance.getEntriesByName(name).at(-1) as PerformanceMark | undefined
            return m && m.detail === detail && w.__click !== undefined && m.startTime > w.__click ? Math.round(m.startTime - w.__click) : null
          },
          [MARKS.dashboard, JSON.stringify({ preset })] as const,
        )
      })
      lines.push(`# Range change to ${preset}: ${String(await range.result.jsonValue())} ms click to painted`)
      for (const r of await resources(page)) lines.push(`${String(r.start).padStart(7)} → ${String(r.end).padStart(7)}  wait ${String(r.wait).padStart(4)}  ${r.name}`)
      const ts = range.events.filter((e) => e.ph === 'X').map((e) => e.ts)
      for (const [name, ms] of summarize(range.events, Math.min(...ts), Math.max(...ts))) lines.push(`${ms.toFixed(1).padStart(8)}  ${name}`)
    }
    writeFileSync(join(values.out, 'summary.txt'), `${lines.join('\n')}\n`)
    console.log(lines.join('\n'))
  } finally {
    await browser.close()
    await host.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

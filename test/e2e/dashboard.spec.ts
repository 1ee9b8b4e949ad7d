import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { axeOn } from './axe'
import type { Page } from '@playwright/test'
import { runningClock } from '../clock'
import { startDemoHost, type DemoLogin } from '../host/demo'
import type { RunningHost } from '../host/server'
import { expect, hostApi, hostBackend, watchConsole, withBackend } from './fixtures'
import { chromiumPrints, lookAtPdf, PRINTING } from './pdf'

/**
 * The manager's dashboard and the funder report, through the test host on a demo center:
 * the app opens on the dashboard for a manager; a range change, a chart switched to its table,
 * a drill into a bar (audited), a CSV export, the funder report printed to PDF; and axe-core
 * over the new screens in English and Spanish. Screenshots go to test-results/dashboard/.
 */
const SHOTS = join('test-results', 'dashboard')
// The figures do not depend on the day the test runs.
const START = '2026-11-20T15:00:00.000Z'

const test = withBackend.extend<{ center: { host: RunningHost; manager: DemoLogin; admin: DemoLogin } }>({
  center: async ({ backend }, use) => {
    const { host, logins } = await startDemoHost({ now: runningClock(START), timeZone: 'UTC', ...hostBackend(backend) }, { participants: 400, days: 200, seed: 11 })
    await use({ host, manager: logins.find((l) => l.role === 'manager')!, admin: logins.find((l) => l.role === 'admin')! })
    await host.close()
  },
})

async function signIn(page: Page, host: RunningHost, who: DemoLogin): Promise<void> {
  await page.goto(host.url)
  await page.getByRole('textbox', { name: 'Username' }).fill(who.username)
  await page.getByRole('textbox', { name: 'Password' }).fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

test('a manager opens on the dashboard, changes the range, reads a chart as a table, drills in, exports, prints the funder report and saves it as a PDF', { tag: '@postgres' }, async ({ page, center, browser }, testInfo) => {
  // Chromium's PDF viewer opening the report's pages takes a while on a loaded machine.
  test.setTimeout(300_000)
  const errors = watchConsole(page)
  await signIn(page, center.host, center.manager)
  // The dashboard is its own chunk, fetched on first use: on a busy machine that can take a while.
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText(/referral follow-ups? (is|are) due|No referral follow-ups are due/)).toBeVisible()
  await expect(page.getByText('Different people').first()).toBeVisible()
  await shot(page, '1-this-month')

  await page.getByRole('combobox', { name: 'Range' }).click()
  await page.getByRole('option', { name: 'Last quarter' }).click()
  await expect(page.getByText(/^Jul 1, 2026 to Sep 30, 2026/)).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Visits by week' })).toBeVisible()
  await shot(page, '2-last-quarter')

  // The visits chart as its table: one row per week, every number.
  const visits = page.getByRole('region', { name: 'Visits by week' })
  await visits.getByText('Table').click()
  const table = visits.getByRole('table')
  await expect(table.getByRole('columnheader', { name: 'Week starting' })).toBeVisible()
  expect(await table.getByRole('row').count()).toBeGreaterThan(10)
  await shot(page, '3-visits-table')

  // Drill into a bar of the services chart: the visits with that service, names shown (audited).
  const services = page.getByRole('region', { name: 'Services' })
  await services.locator('.recharts-bar-rectangle').first().click()
  const drawer = page.getByRole('dialog')
  await expect(drawer.getByText(/in all, showing 1–/)).toBeVisible()
  await shot(page, '4-drill-down')
  const admin = hostApi(center.host)
  await admin.call('auth.login', { username: center.admin.username, password: center.admin.password })
  const audit = await admin.call('audit.list', { offset: 0, limit: 5, filter: { action: 'report.drill_down' } })
  expect(audit.total).toBeGreaterThan(0)
  expect(audit.rows[0]!.detail).toMatchObject({ list: 'visits', from: '2026-07-01', to: '2026-09-30' })
  await drawer.getByRole('button', { name: 'Close' }).click()

  // A chart's CSV: its table's numbers.
  const download = page.waitForEvent('download')
  await visits.getByRole('button', { name: 'Save Visits by week as CSV' }).click()
  const csv = readFileSync(await (await download).path(), 'utf8')
  expect(csv.split('\r\n')[0]).toBe('Week starting,Visits,Different people,"Visits, period before"')

  // The funder report: printed (Chromium's PDF), its CSV from main with small counts hidden.
  await page.getByRole('button', { name: 'Funder report' }).click()
  await expect(page.getByRole('heading', { name: /report to funders/ })).toBeVisible()
  await expect(page.getByText('Not asked').first()).toBeVisible()
  // On screen small counts show in full (the center's setting is off); whatever leaves the building hides them.
  const shownReport = page.locator('article.pl-report:visible')
  await expect(shownReport).toHaveCount(1)
  await expect(shownReport.getByText(/<11/)).toHaveCount(0)
  await shot(page, '5-funder-report')
  const reportCsv = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download CSV' }).click()
  const file = await reportCsv
  expect(file.suggestedFilename()).toBe('porchlight-report-2026-07-01-to-2026-09-30.csv')
  const lines = readFileSync(await file.path(), 'utf8').split('\r\n')
  expect(lines[0]).toBe('center,from,to,table,row,measure,value')
  expect(lines[1]).toMatch(/^Harbor Light Recovery Center,2026-07-01,2026-09-30,people,unduplicated,people,\d+$/)
  expect(lines.filter((line) => line.endsWith(',<11')).length).toBeGreaterThan(0)
  // On paper: the window's print dialog (the OS's own, stood in for), the page as it prints.
  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', 'yes')
  })
  await page.getByRole('button', { name: 'Print', exact: true }).click()
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes')
  await page.emulateMedia({ media: 'print' })
  // Paper and the PDF (main prints this same page) hide small counts as the CSV does: one report, one copy.
  await expect(shownReport).toHaveCount(1)
  await expect(shownReport.getByRole('cell', { name: '<11', exact: true }).first()).toBeVisible()
  await shot(page, '6-funder-report-print')
  await page.emulateMedia({ media: null })
  // As a PDF file: main prints the page (Chromium here, Electron's printToPDF in the app), proposes
  // a name, writes the file and audits it as an export; the PDF is looked at as a person would.
  const pdfFile = testInfo.outputPath('funder-report.pdf')
  chromiumPrints(center.host, page, pdfFile)
  await page.getByRole('button', { name: 'Save as PDF' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved as' })).toContainText(pdfFile, { timeout: PRINTING })
  expect(center.host.platform.proposed).toEqual(['porchlight-report-2026-07-01-to-2026-09-30.pdf'])
  const pdf = readFileSync(pdfFile)
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  writeFileSync(join(SHOTS, 'funder-report.pdf'), pdf)
  await lookAtPdf(browser, pdfFile, join(SHOTS, '6-funder-report-pdf.png'))
  const exported = await center.host.core.records!.selectFrom('audit_log').select(['detail']).where('action', '=', 'report.export').execute()
  expect(exported.map((row) => (JSON.parse(row.detail!) as { format: string }).format)).toEqual(['csv', 'pdf'])
  expect(errors).toEqual([])
})

test('the dashboard and the funder report pass axe in English and Spanish', async ({ page, center }, testInfo) => {
  // Eleven screens scanned and two PDFs printed: over five minutes on a machine shared with CI.
  test.setTimeout(480_000)
  await signIn(page, center.host, center.manager)
  // The dashboard is its own chunk, fetched on first use: on a busy machine that can take a while.
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByText('Different people').first()).toBeVisible()
  const problems: string[] = []
  const scan = async (screen: string) => {
    await page.waitForTimeout(250)
    const results = await axeOn(page).analyze()
    for (const v of results.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') problems.push(`${screen}: ${v.id} at ${v.nodes.slice(0, 3).map((n) => n.html.slice(0, 100)).join(' | ')}`)
    }
  }
  await scan('dashboard')
  await page.getByRole('region', { name: 'Services' }).getByText('Table').click()
  await scan('dashboard, a chart as a table')
  await page.getByRole('button', { name: /^Different people/ }).click()
  await expect(page.getByRole('dialog').getByText(/in all, showing/)).toBeVisible()
  await scan('drill-down list')
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
  await page.getByRole('button', { name: 'Funder report' }).click()
  await expect(page.getByRole('heading', { name: /report to funders/ })).toBeVisible()
  await scan('funder report')
  chromiumPrints(center.host, page, testInfo.outputPath('report-en.pdf'))
  await page.getByRole('button', { name: 'Save as PDF' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved as' })).toBeVisible({ timeout: PRINTING })
  await scan('funder report, saved as PDF')
  await shot(page, '8-funder-report-saved-en')
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('heading', { name: /informe para financiadores/ })).toBeVisible()
  await scan('funder report in Spanish')
  chromiumPrints(center.host, page, testInfo.outputPath('report-es.pdf'))
  await page.getByRole('button', { name: 'Guardar como PDF' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Guardado como' })).toBeVisible({ timeout: PRINTING })
  await scan('funder report in Spanish, saved as PDF')
  await shot(page, '8-funder-report-saved-es')
  await page.getByRole('button', { name: 'Volver al panel' }).click()
  await expect(page.getByRole('heading', { name: 'Panel', level: 1 })).toBeVisible()
  await scan('dashboard in Spanish')
  await shot(page, '7-dashboard-spanish')
  expect(problems, problems.join('\n')).toEqual([])
})

test('an admin of an organization with two centers counts this center or all centers (screenshots in English and Spanish)', async ({ page, center }) => {
  test.setTimeout(300_000)
  const api = hostApi(center.host)
  await api.call('auth.login', { username: center.admin.username, password: center.admin.password })
  await api.call('centers.create', { name: 'North Side' })
  await page.setViewportSize({ width: 1280, height: 900 })
  await signIn(page, center.host, center.admin)
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Dashboard', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible({ timeout: 30_000 })
  const choice = page.getByRole('radiogroup', { name: 'Count' })
  await expect(choice).toBeVisible()
  const people = page.getByRole('button', { name: /^Different people/ })
  const before = (await people.textContent()) ?? ''
  await choice.getByText('All centers').click()
  await expect(page.getByText(/All centers \(.* \+ North Side\): a person counts once in each center they came to\./)).toBeVisible()
  // North Side has no records yet: the organization's figures are the first center's.
  await expect(people).toHaveText(before)
  await shot(page, 'centers-all-en')
  await page.getByText('ES', { exact: true }).click()
  await expect(page.getByRole('radiogroup', { name: 'Contar' })).toBeVisible()
  await expect(page.getByText(/Todos los centros \(.* \+ North Side\)/)).toBeVisible()
  await shot(page, 'centers-all-es')
})

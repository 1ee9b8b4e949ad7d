import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { runningClock } from '../clock'
import { DEMO_STAFF, setUpDemo } from '../host/demo'
import { startHost, type RunningHost } from '../host/server'
import { report, scan, type Found } from './axe'
import { expect, test as base } from './fixtures'

/**
 * axe-core on the demo center, as each role sees it: hand-made fixtures have no overdue
 * follow-ups, no striped rows full of every status badge and no long names, and colour problems
 * hide there. Every screen in each role's navigation, every tab on it, the referral lists in
 * every view, and a busy person's profile, in English and, for one role, Spanish.
 */
const test = base.extend<object, { demo: { host: RunningHost; logins: Array<{ username: string; password: string; role: string }> } }>({
  // One demo center per worker, shared by the roles' walks that worker runs.
  demo: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const host = await startHost({ now: runningClock() })
      const { logins } = await setUpDemo(host, { participants: 800, days: 90, seed: 11 })
      await use({ host, logins })
      await host.close()
    },
    { scope: 'worker', timeout: 300_000 },
  ],
})

// Each role's walk is its own test, so the walks share out over the workers.
test.describe.configure({ mode: 'parallel' })

// A screen that does not show what the walk expects should fail in seconds, not at the test's end.
test.use({ actionTimeout: 15_000 })

async function scanNamed(page: Page, screen: string, found: Found[], scanned: string[]): Promise<void> {
  scanned.push(screen)
  await scan(page, screen, found)
}

/** Clicks every tab in the main area and scans each one. */
async function scanTabs(page: Page, where: string, found: Found[], scanned: string[]): Promise<void> {
  const tabs = page.getByRole('main').getByRole('tab')
  const names = await tabs.allInnerTexts()
  for (const name of names.slice(1)) {
    await page.getByRole('main').getByRole('tab', { name: name.trim(), exact: true }).click()
    await scanNamed(page, `${where} · tab ${name.trim()}`, found, scanned)
  }
}

/** Each view of the referral list (due, open, closed, all): every status badge and overdue date. */
async function scanReferralViews(page: Page, where: string, views: string[], found: Found[], scanned: string[]): Promise<void> {
  for (const view of views) {
    await page.getByRole('main').getByRole('radiogroup', { name: 'Show' }).getByText(view, { exact: true }).click()
    await expect(page.getByTestId('referral-table')).toBeVisible()
    await page.waitForTimeout(400)
    await scanNamed(page, `${where} · ${view}`, found, scanned)
  }
}

const ROLES = ['admin', ...DEMO_STAFF.map(([, , role]) => role)]

for (const role of ROLES) {
  test(`the demo center as ${role}: every screen in the navigation, no serious or critical finding`, async ({ page, demo }) => {
    test.setTimeout(600_000)
    const found: Found[] = []
    const scanned: string[] = []
    const login = demo.logins.find((candidate) => candidate.role === role)!
    // Each role opens on its own home (a manager on the dashboard, a facilitator on a session due now).
    await page.goto(demo.host.url)
    await page.getByRole('textbox', { name: 'Username' }).fill(login.username)
    await page.getByRole('textbox', { name: 'Password' }).fill(login.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const nav = page.getByRole('navigation', { name: 'Main navigation' })
    await expect(nav).toBeVisible()
    const items = (await nav.getByRole('button').allInnerTexts()).map((text) => text.trim())
      // The two buttons that open a dialog rather than a screen (the incident dialog has its own scans: incidents.spec.ts).
      .filter((text) => text !== 'Kiosk mode' && text !== 'Report an incident')
    expect(items.length, login.role).toBeGreaterThan(0)
    for (const item of items) {
      await nav.getByRole('button', { name: item, exact: true }).click()
      await page.waitForTimeout(600)
      const where = `${login.role}: ${item}`
      await scanNamed(page, where, found, scanned)
      await scanTabs(page, where, found, scanned)
      if (item === 'Referrals') {
        await page.getByRole('main').getByRole('tab', { name: 'Referrals', exact: true }).click()
        await scanReferralViews(page, where, ['Open', 'Closed', 'All'], found, scanned)
      }
      if (item === 'Participants') {
        // The busiest person: the list sorted by visits, most first, so the profile is full.
        const visits = page.getByRole('grid').getByRole('columnheader', { name: /Visits/ })
        for (let i = 0; i < 2 && (await visits.getAttribute('aria-sort')) !== 'descending'; i++) await visits.getByRole('button').click()
        await expect(visits).toHaveAttribute('aria-sort', 'descending')
        // The rows are drawn again when the sorted list arrives: a double click made across that
        // redraw lands on two different rows and opens nothing, so it is made again until it opens.
        const drawer = page.getByRole('dialog')
        await expect(async () => {
          await page.getByRole('grid').getByRole('row').nth(1).dblclick()
          await expect(drawer).toBeVisible({ timeout: 2_000 })
        }).toPass({ timeout: 15_000 })
        await scanNamed(page, `${where} · profile`, found, scanned)
        for (const tab of (await drawer.getByRole('tab').allInnerTexts()).slice(1)) {
          await drawer.getByRole('tab', { name: tab.trim(), exact: true }).click()
          await scanNamed(page, `${where} · profile · ${tab.trim()}`, found, scanned)
        }
        await page.keyboard.press('Escape')
        await expect(drawer).toBeHidden()
      }
    }
    if (login.role === 'peer_specialist') {
      await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
      const navegacion = page.getByRole('navigation', { name: 'Navegación principal' })
      await navegacion.getByRole('button', { name: 'Derivaciones' }).click()
      await page.waitForTimeout(600)
      await scanNamed(page, `${login.role}: referrals in Spanish`, found, scanned)
      await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()
    }
    await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click()
    await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible()

    mkdirSync(join('test-results', 'a11y-demo'), { recursive: true })
    writeFileSync(join('test-results', 'a11y-demo', `${role}.json`), `${JSON.stringify({ screens: scanned.length, scanned }, null, 2)}\n`)
    console.log(`a11y on the demo center as ${role}: ${scanned.length} screens scanned with axe-core`)
    // At least one scan for every screen in this role's navigation.
    expect(scanned.length).toBeGreaterThanOrEqual(items.length)
    expect(found, report(found)).toEqual([])
  })
}

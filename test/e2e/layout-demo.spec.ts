import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { runningClock } from '../clock'
import { setUpDemo } from '../host/demo'
import { startHost } from '../host/server'
import { expect, hostApi, test } from './fixtures'

/**
 * Layout faults found on the demo center, in the language where the words are longest: a button
 * must sit whole inside the box that holds it (the desk's "Registrar salida" in Today's visits;
 * the first-run screen's recovery-key button in its card), and the header must show who is signed
 * in, by name, without running over the center's name. Screenshots of each, in English
 * and Spanish, land in test-results/layout/.
 */
const SHOTS = join('test-results', 'layout')

async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  const a = (await inner.boundingBox())!
  const b = (await outer.boundingBox())!
  expect(a.x, 'left edge').toBeGreaterThanOrEqual(b.x - 0.5)
  expect(a.x + a.width, 'right edge').toBeLessThanOrEqual(b.x + b.width + 0.5)
}

async function toLanguage(page: Page, label: 'EN' | 'ES'): Promise<void> {
  await page.getByText(label, { exact: true }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', label.toLowerCase())
}

test('the first-run screen’s recovery-key button stays inside its card, in English and Spanish', async ({ page, host }) => {
  mkdirSync(SHOTS, { recursive: true })
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(host.url)
  await expect(page.getByRole('heading', { name: 'Set up Porchlight' })).toBeVisible()
  const card = page.locator('.mantine-Paper-root').filter({ has: page.getByRole('heading', { level: 1 }) })
  for (const [language, name] of [
    ['EN', "Open an existing center's records with its recovery key"],
    ['ES', 'Abrir los registros de un centro con su clave de recuperación'],
  ] as const) {
    await toLanguage(page, language)
    const button = page.getByRole('button', { name })
    await expect(button).toBeVisible()
    await button.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, `setup-${language.toLowerCase()}.png`), fullPage: true })
    await expectInside(button, card)
  }
})

test('on the demo center, the desk’s sign-out button sits whole in Today’s visits, in English and Spanish', async ({ page }) => {
  test.setTimeout(300_000)
  mkdirSync(SHOTS, { recursive: true })
  const host = await startHost({ now: runningClock() })
  try {
    const { logins } = await setUpDemo(host, { participants: 300, days: 30, seed: 11 })
    const desk = logins.find((login) => login.role === 'front_desk')!
    // Someone still here today, so the board has a sign-out button whatever hour the test runs.
    const api = hostApi(host)
    await api.call('auth.login', { username: desk.username, password: desk.password })
    const [person] = await api.call('participants.search', { text: 'a', limit: 1 })
    await api.call('visits.signIn', { participantId: person!.id, services: [], allowRepeat: true })

    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(host.url)
    await page.getByRole('textbox', { name: 'Username' }).fill(desk.username)
    await page.getByRole('textbox', { name: 'Password' }).fill(desk.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    // The scroll area's viewport: what is outside it is behind a scrollbar, cut off from view.
    const board = page.locator('.mantine-ScrollArea-viewport').filter({ has: page.getByRole('table') })
    for (const [language, label] of [
      ['EN', 'Sign out'],
      ['ES', 'Registrar salida'],
    ] as const) {
      await toLanguage(page, language)
      const button = board.getByRole('button').filter({ hasText: label }).first()
      await expect(button).toBeVisible({ timeout: 30_000 })
      await page.screenshot({ path: join(SHOTS, `desk-${language.toLowerCase()}.png`) })
      await expectInside(button, board)
      // No sideways scrolling: the last column is whole without it.
      expect(await board.evaluate((viewport) => viewport.scrollWidth - viewport.clientWidth)).toBeLessThanOrEqual(0)
      // The header: who is signed in stays on screen by name (a menu under it), after the center's name.
      const banner = page.getByRole('banner')
      const centerName = (await banner.getByRole('heading', { level: 1 }).boundingBox())!
      const account = banner.getByRole('button', { name: language === 'EN' ? 'Signed in as Demo Front Desk, Front desk' : /^Sesión de Demo Front Desk/ })
      await expect(account).toHaveText('Demo Front Desk')
      expect(await account.getByText('Demo Front Desk').evaluate((name) => name.scrollWidth - name.clientWidth), 'the whole name, not cut short').toBeLessThanOrEqual(0)
      const signedIn = (await account.boundingBox())!
      expect(centerName.x + centerName.width, 'the center name ends before who is signed in').toBeLessThanOrEqual(signedIn.x)
      expect(centerName.width, 'some of the center name shows').toBeGreaterThan(60)
      // ... and the header's buttons keep their whole labels, on the screen.
      const clipped = await banner
        .getByRole('button')
        .evaluateAll((buttons) => buttons.filter((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > window.innerWidth).map((b) => b.textContent))
      expect(clipped).toEqual([])
    }
  } finally {
    await host.close()
  }
})

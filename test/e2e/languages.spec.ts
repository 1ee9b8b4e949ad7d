import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { expect, test, watchConsole } from './fixtures'

/**
 * Each language's words (and main's messages in it) are chunks of their own, read when the
 * language is first shown (issue 11, cold start): the sign-in form opens with one language, and
 * switching reads the other before any string changes, so no key ever shows.
 */

const en = JSON.parse(readFileSync(new URL('../../renderer/src/i18n/en.json', import.meta.url), 'utf8')) as { login: { username: string } }

/** Every key of the screen's catalog, as i18next would print it when its words are missing. */
function keysOf(words: object, prefix = ''): string[] {
  return Object.entries(words).flatMap(([key, value]) => (typeof value === 'object' && value !== null ? keysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key}`]))
}
const KEYS = new Set(keysOf(en).map((key) => key.replace(/_(one|other|many|zero)$/, '')))

/** Records every text the page ever shows, from its first node on. */
function recordTexts(): void {
  const seen = new Set<string>()
  Object.assign(window, { __texts: seen })
  const note = (node: Node) => {
    const text = node.textContent?.trim()
    if (text) seen.add(text)
  }
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'characterData') note(record.target)
      record.addedNodes.forEach((added) => {
        note(added)
        if (added instanceof Element) added.querySelectorAll('*').forEach(note)
      })
      if (record.type === 'attributes' && record.target instanceof Element) {
        const value = record.target.getAttribute(record.attributeName ?? '')
        if (value) seen.add(value.trim())
      }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-label', 'title', 'placeholder'] })
}

async function keysShown(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => [...(window as unknown as { __texts: Set<string> }).__texts])
  return texts.filter((text) => KEYS.has(text))
}

/** The language chunks the page fetched: Vite names each after its file (en.json, en.ts: "en-<hash>.js"). */
function languageChunks(page: Page): string[] {
  const fetched: string[] = []
  page.on('request', (request) => {
    const name = /\/assets\/(en|es)-[\w-]+\.js$/.exec(request.url())?.[1]
    if (name) fetched.push(name)
  })
  return fetched
}

test('the sign-in form opens in one language and switches to the other, and back, with no key on screen', async ({ page, host, api }) => {
  void api
  const consoleErrors = watchConsole(page)
  await page.addInitScript(recordTexts)
  const chunks = languageChunks(page)

  await page.goto(host.url)
  await expect(page.getByRole('textbox', { name: 'Username' })).toBeFocused()
  // English only: its words and its messages, nothing of Spanish.
  expect(chunks.filter((c) => c === 'es')).toEqual([])
  expect(chunks.filter((c) => c === 'en').length).toBeGreaterThanOrEqual(2)

  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('textbox', { name: 'Nombre de usuario' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Iniciar sesión' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'es')
  expect(chunks.filter((c) => c === 'es').length).toBeGreaterThanOrEqual(2)

  // A refusal from main, worded from the Spanish catalog just read.
  await page.getByRole('textbox', { name: 'Nombre de usuario' }).fill(en.login.username)
  await page.getByRole('textbox', { name: 'Contraseña' }).fill('not the password')
  await page.getByRole('button', { name: 'Iniciar sesión' }).click()
  await expect(page.getByRole('alert')).toContainText('El nombre de usuario y la contraseña no coinciden')

  await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
  expect(await keysShown(page)).toEqual([])

  // A new tab remembers Spanish and opens in it, reading Spanish alone.
  const second = await page.context().newPage()
  await second.addInitScript(recordTexts)
  const secondChunks = languageChunks(second)
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('button', { name: 'Iniciar sesión' })).toBeVisible()
  await second.goto(host.url)
  await expect(second.getByRole('textbox', { name: 'Nombre de usuario' })).toBeFocused()
  expect(secondChunks.filter((c) => c === 'en')).toEqual([])
  expect(await keysShown(second)).toEqual([])
  expect(await keysShown(page)).toEqual([])
  expect(consoleErrors).toEqual([])
})

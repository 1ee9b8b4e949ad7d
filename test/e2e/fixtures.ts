import { randomUUID } from 'node:crypto'
import { test as base, expect, type Locator, type Page } from '@playwright/test'
import type { ChannelName } from '../../electron/ipc/channels'
import type { InputOf, ResultOf } from '../../electron/ipc/contract'
import type { Envelope } from '../../electron/ipc/envelope'
import { startHost, type RunningHost } from '../host/server'
import { TEST_START } from '../clock'
import { useTestPasswordCost } from '../../db/services/passwords'
import { parseKey } from '../../db/keys'
import { useMigratedTemplate } from '../../db/open'
import { makeMigratedTemplate } from '../migrated-template'

// The hosts run in this worker: their staff passwords are hashed at the tests' scrypt cost, not
// the app's (~0.2 s of CPU per hash, three or more per test: setup, the API's and the page's sign-in).
// test/unit/passwords.test.ts checks the app's cost.
useTestPasswordCost(true)

/** The first admin every test's center gets (setup through the API: the setup screen has its own test). */
export const ADMIN = { centerName: 'Harbor Light Recovery Center', adminName: 'Dana Reyes', username: 'dana', password: 'correct horse battery' }

/**
 * The contract over the host's HTTP door, as one more client (its own session), for arranging
 * a test's data quickly. The page under test never sees this session.
 */
export interface HostApi {
  call<C extends ChannelName>(channel: C, input: InputOf<C>): Promise<ResultOf<C>>
  /** The envelope itself, for tests that expect a refusal. */
  raw<C extends ChannelName>(channel: C, input: InputOf<C>): Promise<Envelope<ResultOf<C>>>
}

export function hostApi(host: RunningHost): HostApi {
  const client = randomUUID()
  const raw = async <C extends ChannelName>(channel: C, input: InputOf<C>): Promise<Envelope<ResultOf<C>>> => {
    const response = await fetch(`${host.origin}/__ipc/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, 'x-porchlight-client': client },
      body: JSON.stringify(input),
    })
    return (await response.json()) as Envelope<ResultOf<C>>
  }
  return {
    raw,
    async call(channel, input) {
      const envelope = await raw(channel, input)
      if (!envelope.ok) throw new Error(`${channel} failed: ${envelope.error.code} ${envelope.error.message}`)
      return envelope.value
    },
  }
}

/** Sets up the center and signs this API client in as its admin. */
export async function setUpCenter(host: RunningHost): Promise<HostApi> {
  const api = hostApi(host)
  await api.call('setup.create', ADMIN)
  await api.call('auth.login', { username: ADMIN.username, password: ADMIN.password })
  return api
}

/** Opens the app and signs in through the login screen; resolves on the front desk with the search focused. */
/** Signs in from the login screen, whatever screen the role opens on (a manager's is the dashboard). */
export async function signIn(page: Page, host: RunningHost, who: { username: string; password: string } = ADMIN): Promise<void> {
  await page.goto(host.url)
  await page.getByRole('textbox', { name: 'Username' }).fill(who.username)
  await page.getByRole('textbox', { name: 'Password' }).fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible()
}

export async function signInAtDesk(page: Page, host: RunningHost, who: { username: string; password: string } = ADMIN): Promise<void> {
  await signIn(page, host, who)
  await expect(page.getByRole('combobox', { name: 'Find a person' })).toBeFocused()
}

/** At the desk: types into the search, picks the person shown as `shown` (e.g. "DeShawn M."), returns their check-in panel. */
/**
 * Picks `option` in the select labelled `label` inside `scope` (a dialog, a form). A click that
 * lands while the dialog is still opening can leave the select focused but closed (seen under two
 * workers), so the list is opened again until it shows.
 */
export async function choose(page: Page, scope: Locator, label: string, option: string | RegExp): Promise<void> {
  const choice = page.getByRole('option', { name: option })
  await expect(async () => {
    if (!(await choice.isVisible())) await scope.getByRole('combobox', { name: label }).click()
    await expect(choice).toBeVisible({ timeout: 1_000 })
  }).toPass({ timeout: 15_000 })
  await choice.click()
}

export async function openCheckIn(page: Page, typed: string, shown: string) {
  const name = new RegExp(shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await search.fill(typed)
  await expect(page.getByRole('option', { name })).toBeVisible()
  await search.press('ArrowDown')
  await search.press('Enter')
  return page.getByRole('region', { name })
}

/** Collects console errors (CSP violations show up there too) so a test can insist on none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

/**
 * `host`: each test gets its own host with a fresh, not-yet-set-up encrypted database (in the
 * `postgres` project, a fresh database of its own on the test server, connected but not set up).
 * `api`: that center set up (through the API) with an admin signed in on a side session.
 * `desk`: the page, signed in at the front desk as that admin; the test fails on any console error.
 */
/** performance.now() when the current test's page clock was set to TEST_START. */
let pageClockSince: number | null = null

/**
 * A host clock that reads what the page's clock reads: TEST_START at the moment the page's clock
 * was installed, running at real speed since. A test that arranges data before starting its host
 * would otherwise have a host behind the screen by however long that took on a loaded machine,
 * and "now" on the screen would be in the host's future.
 */
export function pageClock(): () => Date {
  const since = pageClockSince ?? performance.now()
  const start = Date.parse(TEST_START)
  return () => new Date(start + Math.floor(performance.now() - since))
}

/** Where a test host keeps its records: the encrypted file (every spec) or PostgreSQL (the `postgres` project's subset). */
export type Backend = 'sqlite' | 'postgres'

/**
 * The backend, chosen by the Playwright project (playwright.config.ts): specs that start hosts of
 * their own extend this and pass `hostBackend(backend)` to startHost.
 */
export const withBackend = base.extend<object, { backend: Backend; migratedTemplate: void }>({
  backend: ['sqlite', { option: true, scope: 'worker' }],
  // Every test's new center is a copy of one database the migrations made once in this worker,
  // under its own key (useMigratedTemplate): ~45 ms instead of ~0.5 s of CPU per host. The unit
  // tests prove creation and the migrations themselves (db-open, upgrade).
  migratedTemplate: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const template = await makeMigratedTemplate()
      useMigratedTemplate({ file: template.file, key: parseKey(template.keyHex) })
      await use()
      useMigratedTemplate(null)
      template.remove()
    },
    { scope: 'worker', auto: true },
  ],
})

/**
 * startHost's options for the backend: on PostgreSQL, the test server's URL. Without one the test
 * is skipped on a developer's PC, saying how to run it; under CI it fails, so a missing server can
 * never pass as green.
 */
export function hostBackend(backend: Backend): { postgres?: string } {
  if (backend === 'sqlite') return {}
  const url = process.env.PORCHLIGHT_TEST_PG_URL
  if (!url) {
    if (process.env.CI) throw new Error('CI is set but PORCHLIGHT_TEST_PG_URL is not: .ci/run starts a throwaway server with .ci/postgres and exports it')
    base.skip(true, 'no PostgreSQL: run `.ci/postgres start /tmp/pg` and set PORCHLIGHT_TEST_PG_URL to the URL it prints')
  }
  return { postgres: url }
}

export const test = withBackend.extend<{ host: RunningHost; api: HostApi; desk: Page }>({
  // The page's clock starts at TEST_START and runs at real speed, and the host's follows it (see
  // pageClock): main and the screen agree on "now", and neither depends on the machine's date.
  page: async ({ page }, use) => {
    await page.clock.install({ time: new Date(TEST_START) })
    pageClockSince = performance.now()
    await use(page)
    pageClockSince = null
  },
  host: async ({ page, backend }, use) => {
    void page
    const host = await startHost({ now: pageClock(), ...hostBackend(backend) })
    await use(host)
    await host.close()
  },
  api: async ({ host }, use) => {
    await use(await setUpCenter(host))
  },
  desk: async ({ page, host, api }, use) => {
    void api
    // Nothing may go wrong quietly: no script error, no CSP violation, no React warning.
    const consoleErrors = watchConsole(page)
    await signInAtDesk(page, host)
    await use(page)
    expect(consoleErrors).toEqual([])
  },
})

export { expect }

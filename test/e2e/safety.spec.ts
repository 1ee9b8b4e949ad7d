import type { Locator, Page } from '@playwright/test'
import { movableClock, runningClock, TEST_START } from '../clock'
import { setUpDemo } from '../host/demo'
import { startHost } from '../host/server'
import { report, scan, type Found } from './axe'
import { ADMIN, expect, hostApi, openCheckIn, setUpCenter, test } from './fixtures'

const DESK = { username: 'jofront', password: 'jo has a secret 9' }
const REASON = 'Threatened a volunteer in the parking lot'

/** The login screen's sign-in, with room for a password hash on a loaded machine. */
async function signInAs(page: Page, url: string, who: { username: string; password: string }): Promise<void> {
  await page.goto(url)
  await page.getByRole('textbox', { name: 'Username' }).fill(who.username)
  await page.getByRole('textbox', { name: 'Password' }).fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('combobox', { name: 'Find a person' })).toBeVisible({ timeout: 60_000 })
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Sign out|Cerrar sesión/ }).click()
  await expect(page.getByRole('textbox', { name: /Username|Usuario/ })).toBeVisible()
}

/**
 * On a 1366×768 desk screen, without a scroll: the care flag and the whole restriction banner are in
 * view above the check-in panel's sticky buttons, which keep to one row, and nothing overlaps.
 */
async function expectBannerClearOfActions(page: Page, panel: Locator, banner: string, submit: string): Promise<void> {
  const notice = panel.getByTestId('checkin-notice')
  const alert = panel.getByRole('status').filter({ hasText: banner })
  const actions = panel.getByTestId('checkin-actions')
  await expect(alert).toBeInViewport({ ratio: 1 })
  await expect(notice).toBeInViewport({ ratio: 1 })
  const noticeBox = (await notice.boundingBox())!
  const actionsBox = (await actions.boundingBox())!
  // The sticky bar sits over the panel's lower part; the banner's last line must end above it.
  expect(noticeBox.y + noticeBox.height, 'the banner ends above the sticky buttons').toBeLessThanOrEqual(actionsBox.y)
  expect(actionsBox.y + actionsBox.height).toBeLessThanOrEqual(768)
  // One row: Cancel and the sign-in button side by side, not stacked.
  const cancelBox = (await actions.getByRole('button').first().boundingBox())!
  const submitBox = (await actions.getByRole('button', { name: submit, exact: true }).boundingBox())!
  expect(cancelBox.y + cancelBox.height, 'Cancel beside the sign-in button, one row').toBeGreaterThan(submitBox.y)
  expect(submitBox.y + submitBox.height).toBeGreaterThan(cancelBox.y)
  expect(await page.evaluate(() => window.scrollY)).toBe(0)
}

test('a manager restricts a person; the desk sees only the calm banner and the care flags, the kiosk sends them to the desk, and it ends by itself on its date', async ({ page }) => {
  // Three people's sessions, a kiosk and five axe scans on a loaded machine.
  test.setTimeout(300_000)
  const clock = movableClock(TEST_START)
  const host = await startHost({ now: clock.now })
  // The clock jumps days here; the idle lock has its own tests.
  host.core.idleLockSeconds = 365 * 24 * 60 * 60
  const found: Found[] = []
  try {
    const api = await setUpCenter(host)
    await api.call('staff.create', { username: DESK.username, displayName: 'Jo Front', role: 'front_desk', password: 'handed over 123' })
    const jo = hostApi(host)
    await jo.call('auth.login', { username: DESK.username, password: 'handed over 123' })
    await jo.call('auth.changePassword', { currentPassword: 'handed over 123', newPassword: DESK.password })
    await api.call('participants.create', { firstName: 'Rosalind', lastName: 'Thackeray', birthYear: 1979 })

    // The admin (a manager's rights) records the restriction and a care flag on the profile.
    await signInAs(page, host.url, ADMIN)
    let panel = await openCheckIn(page, 'Rosalind', 'Rosalind T.')
    await panel.getByRole('button', { name: 'Profile' }).click()
    const profile = page.getByRole('dialog', { name: 'Rosalind Thackeray' })
    await profile.getByRole('tab', { name: 'Safety' }).click()
    await profile.getByRole('textbox', { name: 'One line (optional)' }).fill('Spanish')
    await profile.getByRole('button', { name: 'Add the flag' }).click()
    await expect(profile.getByRole('listitem').filter({ hasText: 'Needs an interpreter: Spanish' })).toBeVisible()
    await profile.getByRole('button', { name: 'Add a restriction' }).click()
    const add = page.getByRole('dialog', { name: 'Add a restriction' })
    // Bad input first: an end before the start is refused, nothing saved.
    await add.getByRole('textbox', { name: /Reason/ }).fill(REASON)
    await add.getByLabel('May come back on').fill('2026-11-20')
    await add.getByRole('button', { name: 'Save the restriction' }).click()
    await expect(add.getByText('The end must be after the start.')).toBeVisible()
    await add.getByLabel('May come back on').fill('2026-12-02')
    await page.screenshot({ path: '/tmp/safety-restriction-form.png' })
    await scan(page, 'restriction form', found)
    await add.getByRole('button', { name: 'Save the restriction' }).click()
    await expect(add).toBeHidden()
    await expect(profile.getByTestId('restriction')).toContainText(REASON)
    await expect(profile.getByTestId('restriction')).toContainText('In force')
    await page.screenshot({ path: '/tmp/safety-profile.png' })
    await scan(page, 'profile safety tab', found)
    await page.keyboard.press('Escape')
    await expect(profile).toBeHidden()
    // The admin at the desk sees the banner too, with the manager's override.
    await expect(panel.getByText('Please ask a manager before signing in')).toBeVisible()
    // Sign-in stays off until the manager ticks the override.
    const signInButton = panel.getByRole('button', { name: 'Sign in', exact: true })
    await expect(signInButton).toBeDisabled()
    await panel.getByRole('checkbox', { name: /I am the manager/ }).check()
    await expect(signInButton).toBeEnabled()
    await page.screenshot({ path: '/tmp/safety-checkin-manager.png' })
    await panel.getByRole('checkbox', { name: /I am the manager/ }).uncheck()
    await signOut(page)

    // The front desk: the banner and the flag, no reason, and no way to sign the person in.
    await signInAs(page, host.url, DESK)
    panel = await openCheckIn(page, 'Rosalind', 'Rosalind T.')
    await expect(panel.getByText('Please ask a manager before signing in')).toBeVisible()
    await expect(panel.getByRole('listitem').filter({ hasText: 'Needs an interpreter: Spanish' })).toBeVisible()
    await expect(panel.getByRole('checkbox', { name: /I am the manager/ })).toHaveCount(0)
    // The button is off, and the banner says why (main would refuse it too: test/unit/safety.test.ts).
    await expect(panel.getByRole('button', { name: 'Sign in', exact: true })).toBeDisabled()
    await expect(panel.getByText('Signing in stays off for this person until a manager has seen them.')).toBeVisible()
    expect(await page.content()).not.toContain('Threatened')
    await page.setViewportSize({ width: 1366, height: 768 })
    await expectBannerClearOfActions(page, panel, 'Please ask a manager before signing in', 'Sign in')
    await page.screenshot({ path: '/tmp/safety-checkin-desk.png' })
    await scan(page, 'desk check-in with the banner', found)
    expect((await api.call('visits.today', {})).length).toBe(0)

    // In Spanish, the same calm words; on the 1366×768 desk screen the flag and the whole banner are in
    // view, above the sticky buttons (one row), without a scroll.
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
    await expect(panel.getByText('Por favor, consulte a un gerente antes de registrar la entrada', { exact: true })).toBeVisible()
    await expect(panel.getByRole('listitem').filter({ hasText: 'Necesita intérprete: Spanish' })).toBeInViewport()
    await expectBannerClearOfActions(page, panel, 'Por favor, consulte a un gerente antes de registrar la entrada', 'Registrar entrada')
    await page.screenshot({ path: '/tmp/safety-checkin-desk-es.png' })
    await scan(page, 'desk check-in with the banner, Spanish', found)
    await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()
    await page.keyboard.press('Escape')

    // The kiosk: sent to the desk, without a word of why.
    await page.getByRole('button', { name: 'Kiosk mode' }).click()
    await page.getByRole('dialog', { name: 'Start kiosk mode?' }).getByRole('button', { name: 'Start kiosk mode' }).click()
    const findMe = async () => {
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('textbox', { name: 'Your first name' }).fill('Rosalind')
      const keypad = page.getByRole('group', { name: 'Number keypad' })
      for (const digit of '1979') await keypad.getByRole('button', { name: digit, exact: true }).click()
      await page.getByRole('button', { name: 'Find me' }).click()
    }
    await findMe()
    await expect(page.getByRole('heading', { name: 'Please ask at the front desk' })).toBeVisible()
    expect(await page.content()).not.toMatch(/Threatened|restrict|manager/i)
    await page.screenshot({ path: '/tmp/safety-kiosk-desk.png' })
    await page.getByRole('button', { name: 'Start over' }).click()

    // 2 December, the day she may come back: the restriction has ended by itself.
    clock.set('2026-12-02T15:00:00.000Z')
    await page.clock.setSystemTime(clock.now())
    await findMe()
    await expect(page.getByRole('heading', { name: 'Hi, Rosalind! What are you here for today?' })).toBeVisible()
    await page.getByRole('button', { name: 'Sign me in' }).click()
    await expect(page.getByRole('heading', { name: 'Welcome, Rosalind!' })).toBeVisible()
    expect((await api.call('visits.today', {})).map((visit) => visit.participant?.firstName)).toEqual(['Rosalind'])
    expect(found, report(found)).toEqual([])
  } finally {
    await host.close()
  }
})

test('on the demo center, a restricted person with care flags and visits: the banner stays clear of the sticky buttons at 1366×768, English and Spanish', async ({ page }) => {
  test.setTimeout(300_000)
  const host = await startHost({ now: runningClock() })
  try {
    const { logins } = await setUpDemo(host, { participants: 400, days: 60, seed: 19 })
    const admin = hostApi(host)
    const adminLogin = logins.find((login) => login.role === 'admin')!
    await admin.call('auth.login', { username: adminLogin.username, password: adminLogin.password })
    // The seeded restrictions, the person with the most care flags first (the tallest notice), then the busiest (the longest line under the name).
    const db = host.core.database!.db
    const candidates = await db
      .selectFrom('restrictions as r')
      .innerJoin('participants as p', 'p.id', 'r.participant_id')
      .select(['p.id', 'p.code', 'p.first_name', 'p.last_name', 'p.nickname'])
      .select((eb) => [
        eb.selectFrom('care_flags as f').whereRef('f.participant_id', '=', 'p.id').where('f.removed_at', 'is', null).select((f) => f.fn.countAll<number>().as('n')).as('flags'),
        eb.selectFrom('visits as v').whereRef('v.participant_id', '=', 'p.id').select((v) => v.fn.countAll<number>().as('n')).as('visits'),
      ])
      .orderBy('flags', 'desc')
      .orderBy('visits', 'desc')
      .execute()
    let person: (typeof candidates)[number] | undefined
    for (const candidate of candidates) {
      if ((await admin.call('safety.checkIn', { participantId: candidate.id })).askManager) {
        person = candidate
        break
      }
    }
    expect(person, 'the demo has a restriction in force today').toBeDefined()
    const shown = [person!.first_name, person!.nickname ? `“${person!.nickname}”` : null, person!.last_name ? `${person!.last_name[0]}.` : null].filter(Boolean).join(' ')

    await page.setViewportSize({ width: 1366, height: 768 })
    await signInAs(page, host.url, logins.find((login) => login.role === 'front_desk')!)
    const panel = await openCheckIn(page, person!.code, shown)
    await expectBannerClearOfActions(page, panel, 'Please ask a manager before signing in', 'Sign in')
    await page.screenshot({ path: '/tmp/safety-demo-checkin.png' })
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
    await expectBannerClearOfActions(page, panel, 'Por favor, consulte a un gerente antes de registrar la entrada', 'Registrar entrada')
    await page.screenshot({ path: '/tmp/safety-demo-checkin-es.png' })
  } finally {
    await host.close()
  }
})

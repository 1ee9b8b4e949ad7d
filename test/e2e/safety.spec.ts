import type { Page } from '@playwright/test'
import { movableClock, TEST_START } from '../clock'
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
    await page.screenshot({ path: '/tmp/safety-checkin-desk.png' })
    await scan(page, 'desk check-in with the banner', found)
    expect((await api.call('visits.today', {})).length).toBe(0)

    // In Spanish, the same calm words; on a 1366×768 desk screen the flag is in view, above the sticky buttons, without a scroll.
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
    await expect(panel.getByText('Por favor, consulte a un gerente antes de registrar la entrada', { exact: true })).toBeVisible()
    const flag = panel.getByRole('listitem').filter({ hasText: 'Necesita intérprete: Spanish' })
    await expect(flag).toBeInViewport()
    const flagBox = (await flag.boundingBox())!
    const actionsBox = (await panel.getByRole('button', { name: 'Registrar entrada', exact: true }).boundingBox())!
    expect(flagBox.y + flagBox.height).toBeLessThan(actionsBox.y)
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
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

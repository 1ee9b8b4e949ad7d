import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

/** Collects console errors (CSP violations show up there too) so the test can insist on none. */
function watchConsole(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

test('front desk: first-run setup, register a walk-in, sign them in twice', { tag: '@postgres' }, async ({ page, host }) => {
  const consoleErrors = watchConsole(page)
  await page.goto(host.url)

  // First-run setup: the center and its first admin.
  await expect(page.getByRole('heading', { name: 'Set up Porchlight' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Center name' }).fill('Harbor Light Recovery Center')
  await page.getByRole('textbox', { name: 'Your name' }).fill('Dana Reyes')
  await page.getByRole('textbox', { name: 'Username' }).fill('dana')
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('correct horse battery')
  await page.getByRole('textbox', { name: 'Confirm password' }).fill('correct horse battery')
  await page.getByRole('button', { name: 'Set up Porchlight' }).click()

  if (host.postgres) {
    // On the center's server the key only wraps this PC's password: no recovery key to keep.
    await expect(page.getByRole('heading', { name: 'Your recovery key' })).toHaveCount(0)
  } else {
    // The recovery key, shown once; Continue waits for the checkbox.
    await expect(page.getByRole('heading', { name: 'Your recovery key' })).toBeVisible()
    await expect(page.getByTestId('recovery-key')).toHaveText(/^[0-9A-F]{8}(-[0-9A-F]{8}){7}$/)
    const continueButton = page.getByRole('button', { name: 'Continue to the front desk' })
    await expect(continueButton).toBeDisabled()
    await page.getByRole('checkbox', { name: 'I have written down or printed the recovery key' }).check()
    await continueButton.click()
  }

  // The front desk, signed in as the new admin, with the search field ready.
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await expect(search).toBeFocused()
  await expect(page.getByRole('button', { name: 'Signed in as Dana Reyes, Admin' })).toBeVisible()
  const todayHeading = page.getByRole('heading', { name: /Today's visits/ })
  await expect(todayHeading).toHaveText("Today's visits (0)")

  // Register a new walk-in...
  await page.getByRole('button', { name: 'Register new person' }).click()
  const registerForm = page.getByRole('region', { name: 'Register a new person' })
  await registerForm.getByRole('textbox', { name: 'First name' }).fill('Marisol')
  await registerForm.getByRole('textbox', { name: 'Last name' }).fill('Quintero')
  await registerForm.getByRole('textbox', { name: 'Birth year' }).fill('1988')
  await registerForm.getByRole('button', { name: 'Register and continue' }).click()

  // ...and sign her in with two services, one of them with a quantity.
  const firstPanel = page.getByRole('region', { name: 'Sign in Marisol Q.' })
  await expect(firstPanel).toBeVisible()
  await firstPanel.getByRole('checkbox', { name: 'Peer support' }).check()
  await firstPanel.getByRole('checkbox', { name: 'Meal' }).check()
  await firstPanel.getByRole('textbox', { name: 'How many: Meal' }).fill('2')
  await firstPanel.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByText(/^Marisol Q\. at \d\d:\d\d$/)).toBeVisible()
  await expect(firstPanel).toBeHidden()
  await expect(search).toBeFocused()
  await expect(todayHeading).toHaveText("Today's visits (1)")

  // Find her again by part of her name, with the keyboard only.
  await search.pressSequentially('Maris')
  const option = page.getByRole('option', { name: /Marisol Q\..*born 1988/ })
  await expect(option).toBeVisible()
  await search.press('ArrowDown')
  await expect(option).toHaveAttribute('aria-selected', 'true')
  await expect(search).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id')) ?? '')
  await search.press('Enter')

  // A second sign-in today needs a confirmation.
  const secondPanel = page.getByRole('region', { name: 'Sign in Marisol Q.' })
  await expect(secondPanel).toBeVisible()
  const shower = secondPanel.getByRole('checkbox', { name: 'Shower' })
  await expect(secondPanel.getByRole('checkbox', { name: 'Peer support' })).toBeFocused()
  await page.keyboard.press('3')
  await expect(shower).toBeChecked()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Already signed in' })
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText(/Marisol Q\. is already signed in today \(since \d\d:\d\d\)\. Sign in again\?/)
  await dialog.getByRole('button', { name: 'Sign in again' }).click()
  await expect(dialog).toBeHidden()
  await expect(secondPanel).toBeHidden()

  // Today's list has both visits, each with its services.
  await expect(todayHeading).toHaveText("Today's visits (2)")
  const table = page.getByRole('table', { name: 'Everyone signed in today, newest first' })
  const rows = table.getByRole('row').filter({ hasText: 'Marisol Q.' })
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0)).toContainText('Shower')
  await expect(rows.nth(1)).toContainText('Peer support')
  await expect(rows.nth(1)).toContainText('Meal ×2')

  await page.screenshot({ path: 'test-results/front-desk-today.png', fullPage: true })
  expect(consoleErrors).toEqual([])
})

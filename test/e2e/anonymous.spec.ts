import { expect, openCheckIn, test } from './fixtures'

test('an anonymous visit with a code, then the same code found again from the search', async ({ desk: page }) => {
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await page.keyboard.press('Alt+A')
  const panel = page.getByRole('region', { name: 'Anonymous visit' })
  const code = panel.getByRole('textbox', { name: "Visitor's code" })
  await expect(code).toBeFocused()
  await code.fill('sun42')
  // A code nobody has used yet says so.
  await expect(panel.getByText('A new code: no visits under it yet.')).toBeVisible()
  await panel.getByRole('checkbox', { name: 'Shower' }).check()
  await panel.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByText(/^Anonymous \(SUN42\) at \d\d:\d\d$/)).toBeVisible()
  await expect(search).toBeFocused()

  // The visitor leaves.
  const board = page.getByRole('table', { name: 'Everyone signed in today, newest first' })
  await board.getByRole('button', { name: 'Sign out Anonymous (SUN42)' }).click()
  await expect(page.getByRole('radio', { name: 'Left (1)' })).toHaveCount(1)

  // Later the same person comes back and gives their code: typing it finds them.
  await search.fill('sun4')
  const option = page.getByRole('option', { name: /Anonymous · code SUN42.*1 visit/ })
  await expect(option).toBeVisible()
  await expect(page.getByText('No one matches “sun4”.')).toBeHidden()
  await search.press('ArrowDown')
  await expect(option).toHaveAttribute('aria-selected', 'true')
  await search.press('Enter')

  const again = page.getByRole('region', { name: 'Anonymous visit' })
  await expect(again.getByRole('textbox', { name: "Visitor's code" })).toHaveValue('SUN42')
  await expect(again.getByText('Returning visitor: code SUN42 · 1 visit so far · last visit today')).toBeVisible()
  await again.getByRole('checkbox', { name: 'Meal' }).check()
  await again.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByText(/^Anonymous \(SUN42\) at \d\d:\d\d$/).last()).toBeVisible()

  // Both visits are the same visitor's: the code now shows two.
  await expect(board.getByRole('row').filter({ hasText: 'Anonymous (SUN42)' })).toHaveCount(2)
  await search.fill('SUN42')
  await expect(page.getByRole('option', { name: /Anonymous · code SUN42.*2 visits/ })).toBeVisible()
})

test('Alt+A then Enter asks once before an empty anonymous visit; Enter again records it', async ({ desk: page, api }) => {
  await page.keyboard.press('Alt+A')
  const panel = page.getByRole('region', { name: 'Anonymous visit' })
  await expect(panel.getByRole('textbox', { name: "Visitor's code" })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(panel.getByRole('alert')).toContainText('No code and no services')
  expect(await api.call('visits.today', {})).toEqual([])
  await page.keyboard.press('Enter')
  await expect(page.getByText(/^Anonymous at \d\d:\d\d$/)).toBeVisible()
  expect(await api.call('visits.today', {})).toHaveLength(1)
  // With a service picked there is nothing to ask.
  await page.keyboard.press('Alt+A')
  await page.getByRole('region', { name: 'Anonymous visit' }).getByRole('checkbox', { name: 'Meal' }).check()
  await page.getByRole('region', { name: 'Anonymous visit' }).getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect.poll(async () => (await api.call('visits.today', {})).length).toBe(2)
})

test('at 1366×768 the check-in panel’s Sign in button is on screen without scrolling', async ({ desk: page, api }) => {
  await page.setViewportSize({ width: 1366, height: 768 })
  const person = await api.call('participants.create', { firstName: 'Rosalind', lastName: 'Whitfield-Abernathy' })
  const panel = await openCheckIn(page, 'rosalind', 'Rosalind W.')
  const signIn = panel.getByRole('button', { name: 'Sign in', exact: true })
  await expect(signIn).toBeInViewport()
  expect(await page.evaluate(() => window.scrollY)).toBe(0)
  await page.screenshot({ path: 'test-results/desk-1366x768.png' })
  await signIn.click()
  await expect.poll(async () => (await api.call('visits.today', {})).map((visit) => visit.participant?.id)).toEqual([person.id])
})

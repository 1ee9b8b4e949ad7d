import { expect, test } from './fixtures'

test('keyboard only: a returning participant is found and signed in with type, ↓, Enter, Enter', async ({ desk: page, api }) => {
  const services = await api.call('catalog.services', {})
  const rosa = await api.call('participants.create', { firstName: 'Rosalind', lastName: 'Delgado', birthYear: 1975 })
  // She came before (and left): a returning participant.
  const earlier = await api.call('visits.signIn', { participantId: rosa.id, services: [{ serviceId: services[0]!.id, quantity: 1 }] })
  await api.call('visits.signOut', { visitId: earlier.id })
  await page.reload()
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await expect(search).toBeFocused()

  // No mouse from here on: only the keyboard.
  await page.keyboard.type('rosal')
  const option = page.getByRole('option', { name: /Rosalind D\..*born 1975/ })
  await expect(option).toBeVisible()
  await page.keyboard.press('ArrowDown')
  await expect(option).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')

  const panel = page.getByRole('region', { name: 'Sign in Rosalind D.' })
  await expect(panel).toBeVisible()
  // The first service has the focus, so Enter signs her in straight away.
  await expect(panel.getByRole('checkbox').first()).toBeFocused()
  await page.keyboard.press('Enter')

  await expect(page.getByText(/^Rosalind D\. at \d\d:\d\d$/)).toBeVisible()
  await expect(panel).toBeHidden()
  await expect(search).toBeFocused()
  const board = page.getByRole('table', { name: 'Everyone signed in today, newest first' })
  const rows = board.getByRole('row').filter({ hasText: 'Rosalind D.' })
  // Today's earlier visit (she left) and the new one (still here).
  await expect(rows).toHaveCount(2)
  await expect(rows.first().getByRole('button', { name: 'Sign out Rosalind D.' })).toBeVisible()
  await expect(page.getByRole('radio', { name: 'Here now (1)' })).toHaveCount(1)
})

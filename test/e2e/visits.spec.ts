import { expect, test } from './fixtures'

test('today’s board: sign out one person, edit and void a visit with a reason, end of day for the rest', async ({ desk: page, api }) => {
  const services = await api.call('catalog.services', {})
  const byName = (name: string) => services.find((s) => s.nameEn === name)!.id
  const people = []
  for (const [firstName, lastName] of [['Ana', 'Pereira'], ['Luis', 'Ortega'], ['Keisha', 'Moore'], ['Ray', 'Nguyen']] as const) {
    const person = await api.call('participants.create', { firstName, lastName })
    people.push(person)
    await api.call('visits.signIn', { participantId: person.id, services: [{ serviceId: byName('Shower'), quantity: 1 }] })
  }
  await page.reload()
  const board = page.getByRole('table', { name: 'Everyone signed in today, newest first' })
  const row = (name: string) => board.getByRole('row').filter({ hasText: name })
  await expect(page.getByRole('radio', { name: 'Here now (4)' })).toHaveCount(1)

  // Sign out one person: they move from "here" to "left".
  await row('Ana P.').getByRole('button', { name: 'Sign out Ana P.' }).click()
  await expect(row('Ana P.')).toContainText(/left \d\d:\d\d/)
  await expect(page.getByRole('radio', { name: 'Here now (3)' })).toHaveCount(1)
  await expect(page.getByRole('radio', { name: 'Left (1)' })).toHaveCount(1)
  await page.getByText('Left (1)').click()
  await expect(board.getByRole('row')).toHaveCount(2)
  await page.getByText('Here now (3)').click()
  await expect(row('Ana P.')).toHaveCount(0)
  await page.getByText('All (4)').click()

  // Filter by service.
  await page.getByRole('combobox', { name: 'Filter by service' }).click()
  await page.getByRole('option', { name: 'Meal' }).click()
  await expect(page.getByText('No visit today with this service.')).toBeVisible()
  await page.getByRole('combobox', { name: 'Filter by service' }).click()
  await page.getByRole('option', { name: 'All services' }).click()
  await expect(row('Luis O.')).toBeVisible()

  // Edit a visit: the reason is required.
  await row('Luis O.').getByRole('button', { name: 'More actions for Luis O.' }).click()
  await page.getByRole('menuitem', { name: 'Edit visit…' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit the visit of Luis O.' })
  await edit.getByRole('checkbox', { name: 'Shower' }).uncheck()
  await edit.getByRole('checkbox', { name: 'Laundry' }).check()
  await edit.getByRole('textbox', { name: 'Short note' }).fill('Needs a locker')
  await edit.getByRole('button', { name: 'Save changes' }).click()
  const reason = edit.getByRole('textbox', { name: 'Reason for the change' })
  await expect(reason).toBeFocused()
  await expect(edit).toContainText('Say briefly why (at least 3 characters).')
  await reason.fill('Picked the wrong service')
  await edit.getByRole('button', { name: 'Save changes' }).click()
  await expect(edit).toBeHidden()
  await expect(row('Luis O.')).toContainText('Laundry')
  await expect(row('Luis O.')).not.toContainText('Shower')
  await expect(row('Luis O.')).toContainText('Needs a locker')

  // Void a visit: again only with a reason; it leaves the board and stops counting.
  await row('Keisha M.').getByRole('button', { name: 'More actions for Keisha M.' }).click()
  await page.getByRole('menuitem', { name: 'Void visit…' }).click()
  const voiding = page.getByRole('dialog', { name: 'Void this visit?' })
  await voiding.getByRole('button', { name: 'Void visit' }).click()
  await expect(voiding).toContainText('Say briefly why (at least 3 characters).')
  await voiding.getByRole('textbox', { name: 'Reason for the change' }).fill('Signed in by mistake')
  await voiding.getByRole('button', { name: 'Void visit' }).click()
  await expect(voiding).toBeHidden()
  await expect(row('Keisha M.')).toHaveCount(0)
  await expect(page.getByRole('radio', { name: 'All (3)' })).toHaveCount(1)
  // Her profile keeps the visit, marked voided, with the reason.
  const history = (await api.call('participants.get', { id: people[2]!.id })).visits
  expect(history).toEqual([expect.objectContaining({ voidReason: 'Signed in by mistake', voidedAt: expect.any(String) })])

  // End of day: everyone still here (Luis, Ray) is signed out after a confirmation with the count.
  await page.getByRole('button', { name: 'End of day…' }).click()
  const endOfDay = page.getByRole('dialog', { name: 'Sign out everyone still here?' })
  await expect(endOfDay).toContainText('2 people are still signed in.')
  await endOfDay.getByRole('button', { name: 'Sign out 2 people' }).click()
  await expect(endOfDay).toBeHidden()
  await expect(page.getByText('Signed out 2 people.')).toBeVisible()
  await expect(page.getByRole('radio', { name: 'Here now (0)' })).toHaveCount(1)
  await expect(page.getByRole('radio', { name: 'Left (3)' })).toHaveCount(1)
  await expect(board.getByRole('button', { name: /^Sign out / })).toHaveCount(0)
  await page.screenshot({ path: 'test-results/front-desk.png' })
})

import { expect, test } from './fixtures'

test('new registration follows the admin’s field rules and warns about a near-duplicate', async ({ desk: page, api }) => {
  const mike = await api.call('participants.create', { firstName: 'Mike', lastName: 'Rourke', birthYear: 1979 })

  // An admin makes Phone required and hides Pronouns.
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Registration fields' }).click()
  const rules = page.getByRole('table', { name: 'Registration fields' })
  await rules.getByRole('radiogroup', { name: 'Phone: hidden, optional or required' }).getByText('Required').click()
  await rules.getByRole('radiogroup', { name: 'Pronouns: hidden, optional or required' }).getByText('Hidden').click()
  await page.getByRole('button', { name: 'Save field settings' }).click()
  await expect(page.getByText('The registration fields were updated.')).toBeVisible()
  expect(await api.call('settings.fieldRules', {})).toMatchObject({ phone: 'required', pronouns: 'hidden' })

  // At the desk: "mike rourke" typed in the search, then registered.
  await page.getByRole('button', { name: 'Front desk' }).click()
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await search.fill('mike rourke')
  await page.getByRole('button', { name: 'Register new person' }).click()
  const form = page.getByRole('region', { name: 'Register a new person' })
  await expect(form.getByRole('textbox', { name: 'First name' })).toHaveValue('Mike')
  await expect(form.getByRole('textbox', { name: 'Last name' })).toHaveValue('Rourke')
  // Hidden fields are absent; required ones are marked.
  await expect(form.getByRole('textbox', { name: /Pronouns/ })).toHaveCount(0)
  await expect(form.getByRole('textbox', { name: 'Phone' })).toHaveAttribute('required', '')
  await form.getByRole('textbox', { name: 'Birth year' }).fill('1979')

  // The near-duplicate shows up as the desk types, with both answers offered.
  const warning = form.getByRole('group', { name: /^Possible match: Mike R\., born 1979/ })
  await expect(warning).toContainText('Possible match: Mike R., born 1979 — same name and birth year')
  await expect(warning).toContainText(`Code ${mike.code}`)

  // "Use this person" goes straight to signing in the existing record.
  await warning.getByRole('button', { name: 'Use this person' }).click()
  const panel = page.getByRole('region', { name: 'Sign in Mike R.' })
  await expect(panel).toContainText(`Code ${mike.code}`)
  await panel.getByRole('button', { name: 'Cancel' }).click()

  // Again, and this time it really is someone new.
  await page.getByRole('button', { name: 'Register new person' }).click()
  await form.getByRole('textbox', { name: 'First name' }).fill('Mike')
  await form.getByRole('textbox', { name: 'Last name' }).fill('Rourke')
  await form.getByRole('textbox', { name: 'Birth year' }).fill('1979')
  await expect(warning).toBeVisible()
  // Registering before answering is refused, with the reason.
  await form.getByRole('button', { name: 'Register and continue' }).click()
  await expect(form.getByRole('alert')).toContainText('Choose “Use this person” or “It\'s someone new” first.')
  await warning.getByRole('button', { name: "It's someone new" }).click()
  await expect(warning).toBeHidden()

  // The required phone is checked before anything is sent.
  await form.getByRole('button', { name: 'Register and continue' }).click()
  const phone = form.getByRole('textbox', { name: 'Phone' })
  await expect(phone).toBeFocused()
  await expect(phone).toHaveAccessibleDescription('Phone is required here.')
  await phone.fill('(555) 010-4477')
  await form.getByRole('button', { name: 'Register and continue' }).click()

  // Registered: straight on to signing in the new Mike, who has his own code.
  const newPanel = page.getByRole('region', { name: 'Sign in Mike R.' })
  await expect(newPanel).toBeVisible()
  await expect(newPanel).not.toContainText(`Code ${mike.code}`)
  const found = await api.call('participants.search', { text: 'mike rourke' })
  expect(found.map((p) => p.phoneLast4).sort()).toEqual(['4477', null].sort())
})

import { expect, test } from './fixtures'

// Two PCs on one set of records: this page is one desk, the test's API calls the other.
test('a person\'s details saved on another PC while this desk edits them: the save is refused, said, and the new version shown', { tag: '@postgres' }, async ({ desk: page, api }) => {
  const person = await api.call('participants.create', { firstName: 'Marisol', lastName: 'Quintero', birthYear: 1979 })
  await page.reload()
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await search.fill(person.code)
  await expect(page.getByRole('option', { name: /Marisol Q\./ })).toBeVisible()
  await search.press('Shift+Enter')
  // Its name follows the nickname, which changes below.
  const profile = page.getByRole('dialog', { name: /Marisol/ })
  const form = profile.getByRole('form', { name: 'Details' })
  const nickname = form.getByRole('textbox', { name: 'Nickname' })
  await nickname.fill('Mari')

  // Meanwhile the other PC saves a nickname of its own.
  await api.call('participants.update', { id: person.id, nickname: 'Sol' })

  await form.getByRole('button', { name: 'Save details' }).click()
  await expect(form.getByRole('alert')).toContainText('Changed on another PC while you had it open, so your change was not saved. Here is the new version')
  await expect(nickname).toHaveValue('Sol')
  await page.screenshot({ path: 'test-results/changed-elsewhere.png' })

  // Made again on the new version, the change saves.
  await nickname.fill('Mari')
  await form.getByRole('button', { name: 'Save details' }).click()
  await expect(form.getByRole('alert')).toHaveCount(0)
  expect((await api.call('participants.get', { id: person.id })).participant.nickname).toBe('Mari')
})

import { expect, test } from './fixtures'

test('merge two records of the same person, then undo: the history moves and comes back', async ({ desk: page, api }) => {
  const services = await api.call('catalog.services', {})
  const keep = await api.call('participants.create', { firstName: 'Delphine', lastName: 'Arceneaux', birthYear: 1981 })
  const dup = await api.call('participants.create', { firstName: 'Delphine', lastName: 'Arseneaux', birthYear: 1981, phone: '555-0143' })
  for (const person of [keep, dup]) {
    const visit = await api.call('visits.signIn', { participantId: person.id, services: [{ serviceId: services[0]!.id, quantity: 1 }] })
    await api.call('visits.signOut', { visitId: visit.id })
  }
  const second = await api.call('visits.signIn', { participantId: dup.id, services: [{ serviceId: services[2]!.id, quantity: 1 }], allowRepeat: true })
  await api.call('visits.signOut', { visitId: second.id })
  await page.reload()

  // Shift+Enter on a search result opens the profile.
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await search.fill(keep.code)
  await expect(page.getByRole('option', { name: /Delphine A\./ })).toBeVisible()
  await search.press('Shift+Enter')
  const profile = page.getByRole('dialog', { name: 'Delphine Arceneaux' })
  await expect(profile).toBeVisible()
  await expect(profile.getByRole('tab', { name: 'Visits (1)' })).toBeVisible()

  // Merge: the duplicate is suggested, compared side by side, and this record kept.
  await profile.getByRole('button', { name: 'Merge duplicate…' }).click()
  const merge = page.getByRole('dialog', { name: 'Merge a duplicate of Delphine A.' })
  await merge.getByRole('button', { name: `Compare with Delphine Arseneaux (${dup.code})` }).click()
  const compare = merge.getByRole('table', { name: 'The two records side by side' })
  await expect(compare.getByRole('row', { name: /Name/ }).first()).toContainText('Delphine Arceneaux')
  await expect(compare.getByRole('row', { name: /Visits/ })).toContainText('1')
  await expect(compare.getByRole('row', { name: /Visits/ })).toContainText('2')
  await expect(merge.getByRole('radio', { name: `Keep Delphine Arceneaux (${keep.code})` })).toBeChecked()
  await expect(merge).toContainText(`Record ${dup.code} will be merged into Delphine Arceneaux (${keep.code}): its 2 visits move over`)
  await merge.getByRole('textbox', { name: 'Note (optional)' }).fill('Same person, spelling of the last name')
  await merge.getByRole('button', { name: 'Merge records' }).click()
  await expect(merge).toBeHidden()

  // The kept person now has all three visits, and the merged code as an alias.
  await expect(profile.getByTestId('profile-aliases')).toHaveText(`Also known as code ${dup.code} (merged)`)
  await expect(profile.getByRole('tab', { name: 'Visits (3)' })).toBeVisible()
  const record = profile.getByTestId('merge-record')
  await expect(record).toContainText(`Record ${dup.code} was merged into this one`)
  await expect(record).toContainText('2 visits moved')
  await expect(record).toContainText('Same person, spelling of the last name')
  // The old code still finds her.
  expect((await api.call('participants.search', { text: dup.code })).map((p) => p.id)).toEqual([keep.id])
  await page.screenshot({ path: 'test-results/profile.png' })

  // Undo.
  await record.getByRole('button', { name: 'Undo merge' }).click()
  const confirm = page.getByRole('dialog', { name: 'Undo this merge?' })
  await expect(confirm).toContainText(`Record ${dup.code} comes back on its own, with the 2 visits that moved.`)
  await confirm.getByRole('button', { name: 'Undo merge' }).click()
  await expect(confirm).toBeHidden()
  await expect(profile.getByRole('tab', { name: 'Visits (1)' })).toBeVisible()
  await expect(profile.getByTestId('profile-aliases')).toHaveCount(0)
  await expect(record).toContainText('Undone')
  await expect(record.getByRole('button', { name: 'Undo merge' })).toHaveCount(0)

  // The other record is back, with its own two visits.
  await record.getByRole('button', { name: 'Open the other record' }).click()
  const other = page.getByRole('dialog', { name: 'Delphine Arseneaux' })
  await expect(other.getByRole('tab', { name: 'Visits (2)' })).toBeVisible()
  await other.getByRole('tab', { name: 'Visits (2)' }).click()
  await expect(other.getByRole('table', { name: 'Visit history, newest first' }).getByRole('row')).toHaveCount(3)
  await page.keyboard.press('Escape')
  await expect(other).toBeHidden()
})

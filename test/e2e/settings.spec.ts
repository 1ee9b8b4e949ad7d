import { expect, test } from './fixtures'

test('services catalog: add, rename in both languages, reorder from the keyboard, retire and offer again', async ({ desk: page, api }) => {
  // Two languages and two saves of the group attendance setting besides the catalog's own steps, on a loaded machine.
  test.setTimeout(150_000)
  await page.getByRole('button', { name: 'Settings' }).click()
  const table = page.getByRole('table', { name: 'Services' })
  // Group attendance records "Group"; the desk does not offer it, and the catalog says so.
  const groupRow = table.getByRole('row', { name: /Move Group up/ })
  await expect(groupRow).toContainText('Group attendance only')
  await expect(groupRow).not.toContainText('Offered')
  await expect(table.getByRole('row', { name: /Move Meal up/ })).toContainText('Offered')
  await page.screenshot({ path: '/tmp/catalog.png', fullPage: true })
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('table', { name: 'Servicios' }).getByRole('row', { name: /Subir Group/ })).toContainText('Solo asistencia a grupos')
  await page.screenshot({ path: '/tmp/catalog-es.png', fullPage: true })
  await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()
  // Once the center offers it at the desk too, the catalog says so, and the desk shows it.
  const groupSetting = page.getByRole('region', { name: 'Group attendance' })
  await groupSetting.getByRole('checkbox', { name: /Also offer this service at the desk/ }).check()
  await groupSetting.getByRole('button', { name: 'Save' }).click()
  await expect(groupRow).toContainText('Offered')
  await expect(groupRow).not.toContainText('Group attendance only')
  await groupSetting.getByRole('checkbox', { name: /Also offer this service at the desk/ }).uncheck()
  await groupSetting.getByRole('button', { name: 'Save' }).click()
  await expect(groupRow).toContainText('Group attendance only')

  // Add a service with a quantity.
  await page.getByRole('button', { name: 'Add a service' }).click()
  const add = page.getByRole('dialog', { name: 'Add a service' })
  await add.getByRole('button', { name: 'Add service' }).click()
  await expect(add).toContainText('Enter the English name.')
  await add.getByRole('textbox', { name: 'Name in English' }).fill('Bus pass')
  await add.getByRole('textbox', { name: 'Name in Spanish' }).fill('Pase de autobús')
  await add.getByRole('checkbox', { name: 'Takes a quantity' }).check()
  await add.getByRole('button', { name: 'Add service' }).click()
  await expect(add).toBeHidden()
  const busRow = table.getByRole('row').filter({ hasText: 'Bus pass' })
  await expect(busRow).toContainText('Pase de autobús')
  await expect(busRow).toContainText('Yes')

  // Rename it.
  await busRow.getByRole('button', { name: 'Edit Bus pass' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit service' })
  await edit.getByRole('textbox', { name: 'Name in English' }).fill('Bus token')
  await edit.getByRole('textbox', { name: 'Name in Spanish' }).fill('Ficha de autobús')
  await edit.getByRole('button', { name: 'Save' }).click()
  await expect(table.getByRole('row').filter({ hasText: 'Bus token' })).toContainText('Ficha de autobús')

  // Move it up twice with the keyboard: the focus stays on its "up" button.
  const up = table.getByRole('button', { name: 'Move Bus token up' })
  await up.focus()
  await page.keyboard.press('Enter')
  await expect(table.getByRole('button', { name: 'Move Bus token up' })).toBeFocused()
  await expect(table.getByRole('button', { name: 'Move Bus token up' })).toBeEnabled()
  await page.keyboard.press('Enter')
  await expect(async () => {
    const names = (await api.call('catalog.all', {})).map((s) => s.nameEn)
    expect(names.indexOf('Bus token')).toBe(names.length - 3)
  }).toPass()

  // Retire it: the desk no longer offers it; offered again, it is back.
  await table.getByRole('button', { name: 'Retire Bus token' }).click()
  await expect(table.getByRole('row').filter({ hasText: 'Bus token' })).toContainText('Retired')
  expect((await api.call('catalog.services', {})).map((s) => s.nameEn)).not.toContain('Bus token')
  await page.getByRole('button', { name: 'Front desk' }).click()
  await page.keyboard.press('Alt+A')
  const panel = page.getByRole('region', { name: 'Anonymous visit' })
  await expect(panel.getByRole('checkbox', { name: 'Shower' })).toBeVisible()
  await expect(panel.getByRole('checkbox', { name: 'Bus token' })).toHaveCount(0)
  await panel.getByRole('button', { name: 'Cancel' }).click()
  await page.getByRole('button', { name: 'Settings' }).click()
  await table.getByRole('button', { name: 'Offer Bus token again' }).click()
  await expect(table.getByRole('row').filter({ hasText: 'Bus token' })).toContainText('Offered')
  expect((await api.call('catalog.services', {})).map((s) => s.nameEn)).toContain('Bus token')
})

import { scan, report, type Found } from './axe'
import { expect, test } from './fixtures'

test('Settings → Center: name, time zone, kiosk reset and "every visit needs a service", used at once by the desk', async ({ desk: page, api }) => {
  const found: Found[] = []
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Center' }).click()
  const name = page.getByRole('textbox', { name: 'Center name' })
  await expect(name).toHaveValue('Harbor Light Recovery Center')
  // Which settings are this PC's and which the whole center's, said beside them.
  await expect(page.getByRole('group', { name: 'This PC' })).toContainText('Self check-in resets after')
  await expect(page.getByRole('group', { name: 'The whole center' })).toContainText('Time zone')
  await scan(page, 'settings: center (EN)', found)

  // Bad input first: the form says what is wrong and nothing is saved; the seconds field keeps to its range.
  const reset = page.getByRole('textbox', { name: /Self check-in resets after/ })
  await reset.fill('5')
  await name.fill('')
  await page.getByRole('button', { name: 'Save center settings' }).click()
  await expect(page.getByText('Enter the center’s name.')).toBeVisible()
  await expect(reset).toHaveValue('15')
  expect(await api.call('settings.center', {})).toMatchObject({ centerName: 'Harbor Light Recovery Center', kioskResetSeconds: 30 })

  await name.fill('Harbor Light Recovery Center — East Side Drop-In')
  await reset.fill('45')
  const zone = page.getByRole('combobox', { name: 'Time zone' })
  await zone.fill('Chicago')
  await page.getByRole('option', { name: 'America/Chicago' }).click()
  await page.getByRole('switch', { name: 'Every visit needs at least one service' }).check()
  await page.getByRole('button', { name: 'Save center settings' }).click()
  await expect(page.getByText('The center settings were saved.')).toBeVisible()
  await page.screenshot({ path: 'test-results/settings-center.png', fullPage: true })
  expect(await api.call('settings.center', {})).toEqual({
    centerName: 'Harbor Light Recovery Center — East Side Drop-In',
    timeZone: 'America/Chicago',
    kioskResetSeconds: 45,
    requireService: true,
    nameVersion: expect.any(Number),
    version: expect.any(Number),
  })
  await expect(page.getByRole('banner')).toContainText('East Side Drop-In')
  // One name: the Centers screen's row is the one Settings renamed.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Centers', exact: true }).click()
  await expect(page.getByRole('table', { name: 'Centers of the organization' })).toContainText('Harbor Light Recovery Center — East Side Drop-In')

  // The desk: Alt+A then Enter asks for a service instead of recording an empty visit.
  await page.getByRole('button', { name: 'Front desk' }).click()
  await page.keyboard.press('Alt+A')
  const panel = page.getByRole('region', { name: 'Anonymous visit' })
  await expect(panel).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(panel.getByRole('alert')).toContainText('This center records at least one service on every visit.')
  await expect(panel.getByRole('checkbox').first()).toBeFocused()
  await page.screenshot({ path: 'test-results/desk-service-required.png' })
  await scan(page, 'desk: a service is needed', found)
  expect(await api.call('visits.today', {})).toHaveLength(0)
  await page.keyboard.press('1')
  await page.keyboard.press('Enter')
  await expect(panel).toBeHidden()
  expect(await api.call('visits.today', {})).toHaveLength(1)
  expect(found, report(found)).toEqual([])
})

test('Settings → Center in Spanish', async ({ desk: page, api }) => {
  const found: Found[] = []
  await api.call('settings.setCenter', { centerName: 'Harbor Light Recovery Center', timeZone: 'America/Chicago', kioskResetSeconds: 45, requireService: true })
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await page.getByRole('tab', { name: 'Centro' }).click()
  await expect(page.getByRole('switch', { name: 'Cada visita necesita al menos un servicio' })).toBeChecked()
  await scan(page, 'settings: center (ES)', found)
  await page.screenshot({ path: 'test-results/settings-center-es.png', fullPage: true })
  await expect(page.getByRole('group', { name: 'Esta computadora' })).toContainText('El registro propio se reinicia')
  await page.getByRole('tab', { name: 'Seguridad' }).click()
  await expect(page.getByRole('group', { name: 'Esta computadora' })).toContainText('Bloquear tras estos minutos sin uso')
  await scan(page, 'settings: security (ES)', found)
  await page.screenshot({ path: 'test-results/settings-security-es.png', fullPage: true })
  expect(found, report(found)).toEqual([])
})

import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Page } from '@playwright/test'
import type { PorchlightApi } from '../../electron/ipc/api'
import { ADMIN, expect, test } from './fixtures'

declare global {
  interface Window {
    /** The app's bridge, called here as the screen would: what main answers is worded by the screen. */
    readonly porchlight: PorchlightApi
  }
}

/** Sentences main used to send to a Spanish screen in English (issue 18). */
const ENGLISH = /Some of what was sent|is not valid|That username is taken|keepDaily|At least|Use letters and digits|Choose another/

async function toSpanish(page: Page): Promise<void> {
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('radiogroup', { name: 'Idioma' })).toBeVisible()
}

test('in a Spanish session, main’s refusals read in Spanish: a taken username, a keep-daily of 0, and nothing is written', async ({ desk: page, api, host }) => {
  await toSpanish(page)

  // A taken username: said in Spanish under the field, and no second account.
  await page.getByRole('button', { name: 'Personal', exact: true }).click()
  const staffTable = page.getByRole('table', { name: 'Cuentas del personal' })
  await expect(staffTable.getByRole('row')).toHaveCount(2)
  await page.getByRole('button', { name: 'Agregar a alguien del personal' }).click()
  const add = page.getByRole('dialog', { name: 'Agregar a alguien del personal' })
  await add.getByRole('textbox', { name: 'Nombre', exact: true }).fill('Dana Otra')
  await add.getByRole('textbox', { name: 'Usuario' }).fill(ADMIN.username.toUpperCase())
  await add.getByRole('textbox', { name: 'Contraseña para entregar' }).fill('handed over 123')
  await add.getByRole('button', { name: 'Agregar cuenta' }).click()
  await expect(add.getByText('Ese nombre de usuario ya está en uso (no importan las mayúsculas ni las minúsculas). Elija otro.')).toBeVisible()
  await expect(add).not.toContainText(ENGLISH)
  await page.screenshot({ path: '/tmp/errors-es-username.png' })
  await add.getByRole('button', { name: 'Cancelar' }).click()
  expect((await api.call('staff.list', {})).length).toBe(1)

  // Backups: a keep-daily of 0 sent with Enter (no blur to clamp it), refused in Spanish at the field.
  const usb = join(dirname(host.dbFile), 'usb')
  mkdirSync(usb)
  await page.getByRole('button', { name: 'Copias de seguridad' }).click()
  await page.getByRole('textbox', { name: 'Carpeta de copias' }).fill(usb)
  const keepDaily = page.getByRole('textbox', { name: 'Copias diarias a conservar' })
  await keepDaily.fill('0')
  await keepDaily.press('Enter')
  await expect(page.getByText('Como mínimo 1.')).toBeVisible()
  await expect(page.getByRole('main')).not.toContainText(ENGLISH)
  await page.screenshot({ path: '/tmp/errors-es-backups.png', fullPage: true })
  expect((await api.call('backups.overview', {})).settings.folder).toBeNull()

  // What main sent is a key and its parameters; its English wording stays for the logs.
  const refused = await page.evaluate(() => window.porchlight.backups.saveSettings({ folder: '/tmp', schedule: { kind: 'off' }, keepDaily: 0, keepWeekly: 4 }))
  expect(refused).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT', key: 'input.invalidField', message: 'Daily backups to keep: At least 1.', fields: { keepDaily: { key: 'input.atLeast', params: { min: 1 } } } },
  })
})

test('at a Spanish kiosk, a code with symbols is refused in Spanish, on the screen and by main, and nobody is found', async ({ desk: page, api }) => {
  await api.call('participants.create', { firstName: 'Marisol', lastName: 'Flores', birthYear: 1990 })
  await page.getByRole('button', { name: 'Kiosk mode' }).click()
  await page.getByRole('dialog', { name: 'Start kiosk mode?' }).getByRole('button', { name: 'Start kiosk mode' }).click()
  await expect(page.getByRole('heading', { name: 'Welcome!' })).toBeVisible()
  await toSpanish(page)
  await page.getByRole('button', { name: 'Registrar mi entrada' }).click()
  await page.getByText('Tengo un código').click()
  await page.getByRole('textbox', { name: 'Su código' }).fill('AB$%12')
  await page.getByRole('button', { name: 'Buscarme' }).click()
  await expect(page.getByText('Use solo las letras y los números de su tarjeta.')).toBeVisible()
  await expect(page.getByRole('main')).not.toContainText(ENGLISH)
  await page.screenshot({ path: '/tmp/errors-es-kiosk.png' })

  // Main, asked the same directly, refuses it on the code field with a key the screen words.
  const refused = await page.evaluate(() => window.porchlight.kiosk.find({ code: 'AB$%12' }))
  expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', key: 'input.invalidField', fields: { code: { key: 'input.lettersDigits' } } } })
  await expect(page.getByRole('heading', { name: /¡Hola/ })).toHaveCount(0)
})

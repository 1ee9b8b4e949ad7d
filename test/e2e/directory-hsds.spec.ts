import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Page } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { expect, test } from './fixtures'

const EXAMPLES = join(import.meta.dirname, '../fixtures/hsds-3.0-examples')

// Two full imports, an export and axe scans on each screen: longer than the default minute on a shared machine.
test.describe.configure({ timeout: 300_000 })

async function openDirectory(page: Page, referrals: string, directory: string) {
  await page.getByRole('navigation').getByRole('button', { name: referrals }).click()
  await page.getByRole('tab', { name: directory }).click()
}

/** A copy of the examples with a service area naming a service that is not in the package. */
function brokenCopy(folder: string): string {
  cpSync(EXAMPLES, folder, { recursive: true })
  const areas = join(folder, 'service_areas.csv')
  writeFileSync(areas, `${readFileSync(areas, 'utf8').trimEnd()}\r\nsa-2,no-such-service,County,,,,\r\n`)
  return folder
}

test('an admin imports the specification’s HSDS examples, sees the agency in the directory and the referral form, imports again to no change, and exports the directory', async ({ desk: page, host }) => {
  const found: Found[] = []
  await openDirectory(page, 'Referrals', 'Agency directory')
  await page.getByRole('button', { name: 'Import from HSDS…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Import the directory (Open Referral HSDS)' })
  host.platform.folder = EXAMPLES
  await dialog.getByRole('button', { name: 'Choose folder…' }).click()
  await expect(dialog.getByRole('textbox', { name: 'Folder with the HSDS files' })).toHaveValue(EXAMPLES)
  await dialog.getByRole('button', { name: 'Preview' }).click()

  // The preview: one new agency, nothing written yet, and what was noticed.
  await expect(dialog.getByTestId('count-new')).toHaveText('1')
  await expect(dialog.getByTestId('count-unchanged')).toHaveText('0')
  await expect(dialog.getByTestId('directory-changes')).toContainText('Example Organization Inc.')
  await expect(dialog.getByTestId('directory-notes')).toContainText('datapackage.json is not a data package')
  await expect(dialog.getByTestId('directory-problems')).toHaveCount(0)
  await page.screenshot({ path: '/tmp/hsds-preview-en.png' })
  await scan(page, 'directory import preview', found)
  await dialog.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(dialog.getByRole('status')).toContainText('1 new, 0 changed, 0 unchanged')
  await page.screenshot({ path: '/tmp/hsds-result-en.png' })
  await scan(page, 'directory import result', found)
  await dialog.getByRole('button', { name: 'Done' }).click()

  // In the directory, with the date it was last verified and how long ago that was.
  const table = page.getByTestId('agency-table')
  await expect(table).toContainText('Example Organization Inc.')
  await expect(table).toContainText('Mental health')
  await expect(table).toContainText('Jan 1, 2005')
  await expect(table.getByTestId('verified-age')).toHaveText('21 years ago')
  await page.screenshot({ path: '/tmp/hsds-directory-en.png' })
  await scan(page, 'agency directory after import', found)

  // The same files again: nothing would change.
  await page.getByRole('button', { name: 'Import from HSDS…' }).click()
  await dialog.getByRole('textbox', { name: 'Folder with the HSDS files' }).fill(EXAMPLES)
  await dialog.getByRole('button', { name: 'Preview' }).click()
  await expect(dialog.getByTestId('count-unchanged')).toHaveText('1')
  await expect(dialog.getByTestId('count-new')).toHaveText('0')
  await dialog.getByRole('button', { name: 'Close' }).click()

  // The referral form offers it for its kind.
  await page.getByRole('tab', { name: 'Referrals', exact: true }).click()
  await page.getByRole('button', { name: 'New referral' }).click()
  const form = page.getByRole('dialog', { name: 'New referral' })
  await form.getByRole('combobox', { name: 'Referral for' }).click()
  await page.getByRole('option', { name: 'Mental health' }).click()
  await form.getByRole('combobox', { name: 'Agency' }).click()
  await expect(page.getByRole('option', { name: /Example Organization Inc\./ })).toBeVisible()
  await page.keyboard.press('Escape')
  await form.getByRole('button', { name: 'Cancel' }).click()

  // Export into a new folder: every HSDS file and a datapackage.json.
  await page.getByRole('tab', { name: 'Agency directory' }).click()
  await page.getByRole('button', { name: 'Export as HSDS…' }).click()
  const exporting = page.getByRole('dialog', { name: 'Export the directory (Open Referral HSDS)' })
  const out = join(dirname(host.dbFile), 'hsds-export')
  await exporting.getByRole('textbox', { name: 'Folder to write the files into' }).fill(out)
  await page.screenshot({ path: '/tmp/hsds-export-en.png' })
  await scan(page, 'directory export', found)
  await exporting.getByRole('button', { name: 'Export', exact: true }).click()
  await expect(exporting.getByRole('status')).toContainText('Wrote 21 files with 1 agencies')
  expect(existsSync(join(out, 'datapackage.json'))).toBe(true)
  expect(readdirSync(out).filter((file) => file.endsWith('.csv')).sort()).toEqual(readdirSync(EXAMPLES).filter((file) => file.endsWith('.csv')).sort())
  expect(readFileSync(join(out, 'organizations.csv'), 'utf8')).toContain('Example Organization Inc.')
  expect(report(found)).toBe('')
})

test('en español: a directory with a bad row is refused until the person chooses to skip it, and the skipped row is reported', async ({ desk: page, host }) => {
  const found: Found[] = []
  const folder = brokenCopy(join(dirname(host.dbFile), 'hsds-broken'))
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('radiogroup', { name: 'Idioma' })).toBeVisible()
  await openDirectory(page, 'Derivaciones', 'Directorio de agencias')
  await page.getByRole('button', { name: 'Importar de HSDS…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Importar el directorio (Open Referral HSDS)' })
  await dialog.getByRole('textbox', { name: 'Carpeta con los archivos HSDS' }).fill(folder)
  await page.screenshot({ path: '/tmp/hsds-choose-es.png' })
  await scan(page, 'importar directorio: carpeta', found)
  await dialog.getByRole('button', { name: 'Vista previa' }).click()
  await expect(dialog.getByTestId('directory-problems')).toContainText('service_areas.csv, fila 3, columna service_id: no-such-service no es un id de services.csv.')
  const importButton = dialog.getByRole('button', { name: 'Importar', exact: true })
  await expect(importButton).toBeDisabled()
  await page.screenshot({ path: '/tmp/hsds-preview-es.png' })
  await scan(page, 'importar directorio: vista previa con problemas', found)
  await dialog.getByRole('checkbox', { name: 'Omitir la fila con problema e importar el resto' }).check()
  await importButton.click()
  await expect(dialog.getByTestId('directory-skipped')).toContainText('service_areas.csv, fila 3')
  await expect(dialog.getByRole('status')).toContainText('Nuevas: 1;')
  await page.screenshot({ path: '/tmp/hsds-result-es.png' })
  await scan(page, 'importar directorio: resultado', found)
  await dialog.getByRole('button', { name: 'Listo' }).click()
  await expect(page.getByTestId('agency-table')).toContainText('hace 21 años')
  await page.screenshot({ path: '/tmp/hsds-directory-es.png' })
  expect(report(found)).toBe('')
})

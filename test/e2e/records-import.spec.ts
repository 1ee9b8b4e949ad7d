import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { report, scan, type Found } from './axe'
import { expect, test } from './fixtures'

// Two imports through the worker thread and axe scans on each step: longer than the default minute.
// The test host starts each worker through tsx's loader (tens of seconds on a shared machine): waits on it are long.
const WORKER = { timeout: 120_000 }
test.describe.configure({ timeout: 300_000 })

const PEOPLE = ['ID,First,Last,Birth year,Phone', 'P1,María,López,1980,(555) 201-3344', 'P2,Kofi,Mensah,1975,555.201.9876', 'P3,Ana,Reyes,1990,'].join('\r\n')
const VISITS = ['ID,Date,Time in,Time out,Services', 'P1,11/2/2026,9:30 AM,11:00 AM,Meal; Shower', 'P1,2026-11-03,13:05,14:00,Laundry', 'P3,11/3/2026,10:00,,Meal'].join('\r\n')

test('an admin imports a people list and a sign-in log with a mapping, reviews two possible duplicates, and finds the visits in the person’s history', { tag: '@postgres' }, async ({ desk: page, api, host }) => {
  const found: Found[] = []
  const maria = await api.call('participants.create', { firstName: 'Maria', lastName: 'Lopez', birthYear: 1980 })
  await api.call('participants.create', { firstName: 'Kofi', lastName: 'Mensah', birthYear: 1975 })
  const people = join(dirname(host.dbFile), 'old-people.csv')
  const visits = join(dirname(host.dbFile), 'old-visits.csv')
  writeFileSync(people, PEOPLE)
  writeFileSync(visits, VISITS)

  await page.getByRole('button', { name: 'Participants' }).click()
  await page.getByRole('button', { name: 'Import records…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Import records from a spreadsheet' })
  host.platform.file = people
  await dialog.getByRole('button', { name: 'Choose file…' }).click()
  await expect(dialog.getByRole('textbox', { name: 'File to import' })).toHaveValue(people)
  await scan(page, 'records import: choose', found)
  await dialog.getByRole('button', { name: 'Read the file' }).click()

  // The mapping, guessed from the headers, and the dry run: three new people, two of them possible duplicates.
  await expect(dialog.getByRole('combobox', { name: 'First name' })).toHaveValue('First', WORKER)
  await expect(dialog.getByRole('combobox', { name: 'Birth year' })).toHaveValue('Birth year')
  await expect(dialog.getByTestId('records-count-newPeople')).toHaveText('3')
  await expect(dialog.getByTestId('records-count-duplicates')).toHaveText('2')
  await page.screenshot({ path: '/tmp/records-mapping-en.png', fullPage: true })
  await scan(page, 'records import: mapping and preview', found)
  const duplicates = dialog.getByTestId('records-duplicates')
  await duplicates.getByRole('radio', { name: /The same person as Maria Lopez/ }).check()
  await duplicates.getByRole('radio', { name: /The same person as Kofi Mensah/ }).check()
  await page.screenshot({ path: '/tmp/records-preview-en.png', fullPage: true })
  await dialog.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(dialog.getByRole('status')).toContainText('1 new person, 2 matched to people already here', WORKER)
  await page.screenshot({ path: '/tmp/records-result-en.png' })
  await scan(page, 'records import: result', found)
  await dialog.getByRole('button', { name: 'Done' }).click()

  // The sign-in log: people by their old ids, visits in US and ISO dates.
  await page.getByRole('button', { name: 'Import records…' }).click()
  await dialog.getByText('Visits (sign-in log)').click()
  await dialog.getByRole('textbox', { name: 'File to import' }).fill(visits)
  await dialog.getByRole('button', { name: 'Read the file' }).click()
  await expect(dialog.getByRole('combobox', { name: 'Person (ID or code)' })).toHaveValue('ID', WORKER)
  await expect(dialog.getByTestId('records-count-visits')).toHaveText('3')
  await dialog.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(dialog.getByRole('status')).toContainText('3 visits added', WORKER)
  await dialog.getByRole('button', { name: 'Done' }).click()

  // María's old visits are in Maria's history.
  await page.getByRole('textbox', { name: 'Filter' }).fill('lopez')
  await expect(page.getByTestId('list-total')).toHaveText('1 person')
  await page.getByRole('grid', { name: 'Participants' }).locator('[role="row"][aria-rowindex="2"]').dblclick()
  const profile = page.getByRole('dialog', { name: 'Maria Lopez' })
  await expect(profile).toContainText(`Code ${maria.code}`)
  await profile.getByRole('tab', { name: 'Visits (2)' }).click()
  const history = profile.getByRole('table', { name: 'Visit history, newest first' })
  await expect(history).toContainText('Laundry')
  await expect(history).toContainText('Shower')
  await page.screenshot({ path: '/tmp/records-history-en.png' })
  expect(report(found)).toBe('')
})

test('en español: a sign-in log with a bad row is refused until the person chooses to skip it', async ({ desk: page, api, host }) => {
  const found: Found[] = []
  const person = await api.call('participants.create', { firstName: 'Lucía', lastName: 'Peña' })
  const file = join(dirname(host.dbFile), 'registro.csv')
  writeFileSync(file, ['Código,Fecha,Entrada,Servicios', `${person.code},2026-11-02,9:30,Comida`, `${person.code},2026-11-31,9:30,Comida`].join('\n'))
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await page.getByRole('button', { name: 'Participantes' }).click()
  await page.getByRole('button', { name: 'Importar registros…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Importar registros de una hoja de cálculo' })
  await dialog.getByText('Visitas (registro de entradas)').click()
  await dialog.getByRole('textbox', { name: 'Archivo que importar' }).fill(file)
  await page.screenshot({ path: '/tmp/records-choose-es.png' })
  await dialog.getByRole('button', { name: 'Leer el archivo' }).click()
  await expect(dialog.getByRole('button', { name: 'Comprobar de nuevo' })).toBeVisible(WORKER)
  // "Código" is not guessed as a person's column in this header: chosen by hand, then checked again.
  await dialog.getByRole('combobox', { name: 'Persona (ID o código)' }).selectOption('Código')
  await dialog.getByRole('button', { name: 'Comprobar de nuevo' }).click()
  await expect(dialog.getByRole('combobox', { name: 'Persona (ID o código)' })).toHaveValue('Código', WORKER)
  await expect(dialog.getByTestId('records-count-anonymous')).toHaveText('0', WORKER)
  await expect(dialog.getByTestId('records-problems')).toContainText('Fila 3, columna Fecha: «2026-11-31» no es una fecha')
  const importButton = dialog.getByRole('button', { name: 'Importar', exact: true })
  await expect(importButton).toBeDisabled()
  await page.screenshot({ path: '/tmp/records-mapping-es.png', fullPage: true })
  await scan(page, 'importar registros: vista previa con problemas', found)
  await dialog.getByRole('checkbox', { name: 'Omitir la fila con problema e importar el resto' }).check()
  await importButton.click()
  await expect(dialog.getByRole('status')).toContainText('1 visita agregada (0 anónimas), 0 filas importadas antes.', WORKER)
  await expect(dialog.getByTestId('records-skipped')).toContainText('Fila 3, columna Fecha')
  await page.screenshot({ path: '/tmp/records-result-es.png' })
  await scan(page, 'importar registros: resultado', found)
  expect(report(found)).toBe('')
})

import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { TextWriter, Uint8ArrayReader, ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js'
import type { Page } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { expect, signInAtDesk, test } from './fixtures'

// Two exports on the worker and axe scans in two languages: longer than the default minute on a shared machine.
test.describe.configure({ timeout: 300_000 })

const isFile = (entry: Entry): entry is FileEntry => !entry.directory

const WORDS = {
  en: { nav: 'Backups', folder: 'Folder to write the zip into', run: 'Export everything', plain: 'Unencrypted zip', done: 'Export written', password: 'Password of the export' },
  es: { nav: 'Copias de seguridad', folder: 'Carpeta donde escribir el zip', run: 'Exportar todo', plain: 'Zip sin cifrar', done: 'Exportación escrita', password: 'Contraseña de la exportación' },
}

async function exportFrom(page: Page, language: 'en' | 'es', folder: string, found: Found[], encrypted: boolean): Promise<string | null> {
  const words = WORDS[language]
  await page.getByRole('navigation').getByRole('button', { name: words.nav, exact: true }).click()
  await page.getByRole('heading', { name: words.run, level: 2 }).scrollIntoViewIfNeeded()
  await page.getByRole('textbox', { name: words.folder }).fill(folder)
  if (!encrypted) await page.getByRole('radio', { name: words.plain }).check()
  await scan(page, `export form (${language})`, found)
  await page.getByRole('button', { name: words.run, exact: true }).click()
  await expect(page.getByText(words.done)).toBeVisible({ timeout: 120_000 })
  await scan(page, `export done (${language})`, found)
  await page.screenshot({ path: `test-results/export-${language}.png`, fullPage: true })
  if (!encrypted) return null
  return page.getByLabel(words.password).innerText()
}

test('an admin exports everything, encrypted by default, and the zip opens with the password shown once; an unencrypted one is said to be unprotected', { tag: '@postgres' }, async ({ desk: page, api, host }) => {
  const found: Found[] = []
  const person = await api.call('participants.create', { firstName: '=HYPERLINK("http://x.example")', lastName: 'Rivera' })
  await api.call('visits.signIn', { participantId: person.id, services: [] })
  const usb = join(dirname(host.dbFile), 'usb')
  mkdirSync(usb)

  // Said on screen before anything is written: an export is every record, and unencrypted it is not protected.
  await page.getByRole('navigation').getByRole('button', { name: 'Backups', exact: true }).click()
  await expect(page.getByText(/An unencrypted export is not protected/)).toBeVisible()
  await expect(page.getByRole('radio', { name: /Encrypted zip \(AES-256\)/ })).toBeChecked()

  // A folder that is not there: said on the field, nothing written.
  await page.getByRole('textbox', { name: 'Folder to write the zip into' }).fill(join(usb, 'not-plugged-in'))
  await page.getByRole('button', { name: 'Export everything', exact: true }).click()
  await expect(page.getByText(/does not exist/)).toBeVisible()

  const password = await exportFrom(page, 'en', usb, found, true)
  expect(password).toMatch(/^([a-z2-9]{4}-){5}[a-z2-9]{4}$/)
  const [zipName] = readdirSync(usb)
  expect(zipName).toMatch(/^porchlight-export-\d{8}-\d{6}\.zip$/)
  const reader = new ZipReader(new Uint8ArrayReader(readFileSync(join(usb, zipName!))))
  const entries = (await reader.getEntries()).filter(isFile)
  expect(entries.every((entry) => entry.encrypted)).toBe(true)
  const text = async (name: string) => entries.find((entry) => entry.filename === name)!.getData(new TextWriter(), { password: password! })
  for (const file of ['data-dictionary.csv', 'export.json', 'participants.csv', 'visits.csv', 'staff.csv', 'audit_log.csv', 'consents.csv', 'workforce_training.csv']) {
    expect(entries.map((entry) => entry.filename)).toContain(file)
  }
  const people = await text('participants.csv')
  expect(people).toContain(`"'=HYPERLINK(""http://x.example"")"`)
  expect(await text('staff.csv')).not.toContain('password_hash')
  expect(await text('data-dictionary.csv')).toContain('visits.csv,participant_id')
  await reader.close()

  // The export is in the audit log.
  const audited = await host.core.records!.selectFrom('audit_log').select('detail').where('action', '=', 'export.create').execute()
  expect(audited).toHaveLength(1)

  // In Spanish, unencrypted: the done notice says it is not protected.
  const plainFolder = join(usb, 'plain')
  mkdirSync(plainFolder)
  await page.getByText('ES', { exact: true }).click()
  await exportFrom(page, 'es', plainFolder, found, false)
  await expect(page.getByText(/Este zip no está cifrado/)).toBeVisible()
  const [plainZip] = readdirSync(plainFolder)
  const plain = new ZipReader(new Uint8ArrayReader(readFileSync(join(plainFolder, plainZip!))))
  const plainEntries = (await plain.getEntries()).filter(isFile)
  expect(plainEntries.some((entry) => entry.encrypted)).toBe(false)
  await plain.close()
  expect(found, report(found)).toEqual([])
})

test('with two centers, an admin exports the window’s center or all centers, named in export.json (screenshots in English and Spanish)', { tag: '@postgres' }, async ({ page, host, api }) => {
  await api.call('centers.create', { name: 'North Side' })
  await signInAtDesk(page, host)
  const usb = join(dirname(host.dbFile), 'usb')
  const centersOf = async (folder: string) => {
    const [zip] = readdirSync(folder)
    const reader = new ZipReader(new Uint8ArrayReader(readFileSync(join(folder, zip!))))
    const manifest = (await reader.getEntries()).filter(isFile).find((entry) => entry.filename === 'export.json')!
    const centers = (JSON.parse(await manifest.getData(new TextWriter())) as { centers: { all: boolean; names: string[] } }).centers
    await reader.close()
    return centers
  }
  const exportTo = async (name: string, words: (typeof WORDS)['en'], shot: string) => {
    const folder = join(usb, name)
    mkdirSync(folder, { recursive: true })
    await page.getByRole('textbox', { name: words.folder }).fill(folder)
    await page.getByRole('radio', { name: words.plain }).check()
    await page.screenshot({ path: `test-results/${shot}.png`, fullPage: true })
    await page.getByRole('button', { name: words.run, exact: true }).click()
    await expect(page.getByText(words.done)).toBeVisible({ timeout: 120_000 })
    return centersOf(folder)
  }

  await page.getByRole('navigation').getByRole('button', { name: 'Backups', exact: true }).click()
  const choice = page.getByRole('radiogroup', { name: 'Centers' })
  await expect(choice.getByRole('radio', { name: /^This center: / })).toBeChecked()
  await choice.getByRole('radio', { name: 'All centers (2)' }).check()
  const all = await exportTo('all', WORDS.en, 'export-centers-en')
  expect(all).toMatchObject({ all: true })
  expect(all.names).toContain('North Side')

  await page.getByText('ES', { exact: true }).click()
  const eleccion = page.getByRole('radiogroup', { name: 'Centros' })
  await eleccion.getByRole('radio', { name: /^Este centro: / }).check()
  const one = await exportTo('one', WORDS.es, 'export-centers-es')
  expect(one).toMatchObject({ all: false })
  expect(one.names).toHaveLength(1)
  expect(one.names).not.toContain('North Side')
})

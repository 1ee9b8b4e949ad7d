import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { SCHEMA_VERSION } from '../../db/migrations'
import { startHost, type RunningHost } from '../host/server'
import { runningClock } from '../clock'
import { report, scan, type Found } from './axe'
import { ADMIN, expect, signInAtDesk, test as base, watchConsole } from './fixtures'

/** Help → About and the crash screen, in English and Spanish, on a host writing its log file. */
const test = base.extend<{ host: RunningHost; logDir: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  logDir: async ({}, use) => {
    await use(mkdtempSync(join(tmpdir(), 'porchlight-about-logs-')))
  },
  host: async ({ logDir }, use) => {
    const host = await startHost({ now: runningClock(), logDir })
    await use(host)
    await host.close()
  },
})

const NOTICES = existsSync(join(process.cwd(), 'build', 'third-party-notices.txt'))

async function toSpanish(page: Page): Promise<void> {
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('radiogroup', { name: 'Idioma' })).toBeVisible()
}

test('an admin reads About, copies the diagnostics (no one’s records in them), opens the log folder and the notices', async ({ page, host, api, logDir }) => {
  test.setTimeout(240_000)
  void api
  const consoleErrors = watchConsole(page)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await signInAtDesk(page, host)
  const found: Found[] = []

  await page.getByRole('button', { name: 'About' }).click()
  const about = page.getByRole('dialog', { name: 'About Porchlight and diagnostics' })
  const versions = about.getByRole('region', { name: 'Versions' })
  await expect(versions.getByRole('row', { name: /^Electron not running in Electron$/ })).toBeVisible()
  await expect(versions.getByRole('row', { name: /^Chromium not running in Electron$/ })).toBeVisible()
  await expect(versions.getByRole('row', { name: /^SQLite 3\.\d+\.\d+$/ })).toBeVisible()
  const database = about.getByRole('region', { name: 'The database' })
  await expect(database.getByRole('row', { name: `File ${host.dbFile}` })).toBeVisible()
  await expect(database.getByRole('row', { name: `Schema version ${SCHEMA_VERSION} (this Porchlight writes ${SCHEMA_VERSION})` })).toBeVisible()
  // The true size on disk, and what each part is: the main file, the write-ahead log, its index.
  await expect(database.getByRole('row', { name: /^Size on disk \d/ })).toBeVisible()
  await expect(database.getByRole('row', { name: /^Made of main file .+ · write-ahead log \(-wal\) .+ · shared-memory index \(-shm\) / })).toBeVisible()
  await expect(database.getByText(/^The write-ahead log holds the latest changes/)).toBeVisible()
  await expect(about.getByTestId('about-updates')).toHaveText('Automatic updates are not available in this copy of Porchlight (it is not an installed build).')
  const care = about.getByRole('region', { name: 'Backups and checks' })
  await expect(care.getByRole('row', { name: 'Backup folder Not chosen: no backups are being made' })).toBeVisible()
  await expect(care.getByRole('row', { name: 'Last backup Never' })).toBeVisible()
  await expect(about.getByText(`The log is written in ${logDir}.`)).toBeVisible()
  await page.screenshot({ path: '/tmp/about-en.png', fullPage: true })
  await scan(page, 'about (admin)', found)

  await about.getByRole('button', { name: 'Copy diagnostics' }).click()
  const text = about.getByLabel('Diagnostics')
  await expect(text).toContainText('not running in Electron')
  await expect(about.getByRole('status')).toHaveText(/^Copied\./)
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toContain(`Database: ${host.dbFile}`)
  expect(copied).toContain(`Log folder: ${logDir}`)
  expect(copied).toMatch(/ on disk \(main file .+, -wal .+, -shm .+\)/)
  expect(copied).toContain('Updates: not available in this build (not installed)')
  for (const secret of [ADMIN.password, ADMIN.adminName]) expect(copied).not.toContain(secret)
  await text.scrollIntoViewIfNeeded()
  await page.screenshot({ path: '/tmp/about-diagnostics-en.png', fullPage: true })

  await about.getByRole('button', { name: 'Open the log folder' }).click()
  await expect.poll(() => host.platform.opened).toEqual([logDir])

  await about.getByRole('button', { name: 'Licence and third-party notices' }).click()
  await expect(about.getByText('Porchlight is released under the Apache License 2.0.', { exact: false })).toBeVisible()
  // The notices are over a megabyte of text: read and drawn once, on a busy machine in seconds.
  if (NOTICES) {
    const notices = about.getByRole('region', { name: 'Third-party notices' })
    await expect(notices).toContainText(/^react-dom@\d+\.\d+\.\d+$/m, { timeout: 60_000 })
    // What ships and nothing else: the test and build tools are not in it.
    await expect(notices).not.toContainText(/^(vitest|eslint|@playwright\/test)@/m)
  } else await expect(about.getByText(/does not include the third-party notices/)).toBeVisible()
  await scan(page, 'about with notices', found)
  await page.screenshot({ path: '/tmp/about-notices-en.png' })

  // Settings → Updates: off by default; an address that is not http(s) is refused and nothing is saved.
  await page.keyboard.press('Escape')
  await expect(about).toBeHidden()
  await page.getByRole('navigation').getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByRole('tab', { name: 'Updates' }).click()
  const address = page.getByRole('textbox', { name: 'Update address' })
  await expect(page.getByRole('checkbox', { name: 'Check for updates automatically' })).not.toBeChecked()
  // The test host is no installed build: it says so, whatever the setting (the manager's states are unit-tested).
  await expect(page.getByTestId('update-status')).toHaveText('Automatic updates are not available in this copy of Porchlight (it is not an installed build).')
  await address.fill('file:///srv/porchlight')
  await page.getByRole('checkbox', { name: 'Check for updates automatically' }).check()
  await page.getByRole('button', { name: 'Save update settings' }).click()
  await expect(page.getByText(/Give the update address as a web address starting with https:\/\//)).toBeVisible()
  expect((await api.call('updates.settings', {})).settings).toEqual({ enabled: false, url: null })
  await address.fill('https://intranet.example.org/porchlight/')
  await page.getByRole('button', { name: 'Save update settings' }).click()
  await expect(page.getByText('Update settings saved.')).toBeVisible()
  expect((await api.call('updates.settings', {})).settings).toEqual({ enabled: true, url: 'https://intranet.example.org/porchlight/' })
  await expect(page.getByTestId('update-status')).toHaveText('Automatic updates are not available in this copy of Porchlight (it is not an installed build).')
  await page.screenshot({ path: '/tmp/settings-updates-en.png', fullPage: true })
  await scan(page, 'settings: updates', found)
  await toSpanish(page)
  await expect(page.getByRole('textbox', { name: 'Dirección de actualizaciones' })).toHaveValue('https://intranet.example.org/porchlight/')
  await page.screenshot({ path: '/tmp/settings-updates-es.png', fullPage: true })
  await scan(page, 'settings: updates (es)', found)
  expect(consoleErrors).toEqual([])
  expect(found, report(found)).toEqual([])
})

test('signed out and in Spanish: About answers without the records’ facts, and the sign-in screen says whom to ask', async ({ page, host, api }) => {
  test.setTimeout(180_000)
  void api
  const found: Found[] = []
  await page.goto(host.url)
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
  await toSpanish(page)
  await expect(page.getByText(/^¿Olvidó su contraseña o quedó bloqueado\(a\)\? Pida a un\(a\) administrador\(a\)/)).toBeVisible()
  await page.getByRole('button', { name: 'Acerca de' }).click()
  const about = page.getByRole('dialog', { name: 'Acerca de Porchlight y diagnóstico' })
  await expect(about.getByRole('region', { name: 'Versiones' }).getByRole('row', { name: /^Electron no se ejecuta en Electron$/ })).toBeVisible()
  await expect(about.getByText('Inicie sesión para ver las copias y las comprobaciones de integridad.')).toBeVisible()
  await expect(about.getByRole('button', { name: 'Abrir la carpeta del registro' })).toHaveCount(0)
  await about.getByRole('button', { name: 'Copiar diagnóstico' }).click()
  await expect(about.getByLabel('Diagnóstico')).toContainText('Backups and integrity checks: shown once a staff member signs in.')
  await expect(about.getByLabel('Diagnóstico')).not.toContainText('Log folder')
  await page.screenshot({ path: '/tmp/about-es.png', fullPage: true })
  await scan(page, 'about (signed out, es)', found)
  expect(found, report(found)).toEqual([])
})

for (const language of ['en', 'es'] as const) {
  test(`a screen that crashes shows the calm crash screen (${language}), logs it, and Reload brings the desk back`, async ({ page, host, api, logDir }) => {
    test.setTimeout(180_000)
    void api
    const found: Found[] = []
    await page.goto(host.url)
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
    if (language === 'es') await toSpanish(page)
    // Main answers the board with something no screen expects: the screen's own bug, as a person meets it.
    await page.route('**/__ipc/visits.today', (route) => route.fulfill({ json: { ok: true, value: 42 } }))
    await page.getByRole('textbox', { name: language === 'en' ? 'Username' : 'Usuario' }).fill(ADMIN.username)
    await page.getByRole('textbox', { name: language === 'en' ? 'Password' : 'Contraseña', exact: true }).fill(ADMIN.password)
    await page.getByRole('textbox', { name: language === 'en' ? 'Password' : 'Contraseña', exact: true }).press('Enter')
    const crash = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: language === 'en' ? 'Something went wrong on this screen' : 'Algo salió mal en esta pantalla' }) })
    await expect(crash).toBeVisible({ timeout: 30_000 })
    await expect(crash).toContainText(language === 'en' ? 'Your records are safe' : 'Sus registros están a salvo')
    await page.screenshot({ path: `/tmp/crash-${language}.png` })
    await scan(page, `crash screen (${language})`, found)

    await page.unroute('**/__ipc/visits.today')
    await crash.getByRole('button', { name: language === 'en' ? 'Reload' : 'Volver a cargar' }).click()
    await expect(page.getByRole('combobox', { name: /^(Find a person|Buscar a una persona)$/ })).toBeVisible({ timeout: 30_000 })
    const lines = readdirSync(logDir).flatMap((name) => readFileSync(join(logDir, name), 'utf8').split('\n'))
    expect(lines.some((line) => line.includes('"renderer.error"'))).toBe(true)
    expect(found, report(found)).toEqual([])
  })
}

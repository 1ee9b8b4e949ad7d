import { mkdirSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import pg from 'pg'
import { report, scan, type Found } from './axe'
import { ADMIN, expect, test, watchConsole } from './fixtures'
import { closedPort } from '../closed-port'

const SCANS_TIMEOUT = 400_000

test('first run: the records stay on this PC unless the center’s server is chosen; the server form checks what it is given (English and Spanish)', async ({ page, host }) => {
  test.setTimeout(SCANS_TIMEOUT)
  const consoleErrors = watchConsole(page)
  const found: Found[] = []
  await page.goto(host.url)
  await expect(page.getByRole('heading', { name: 'Set up Porchlight' })).toBeVisible()
  const where = page.getByRole('radiogroup', { name: 'Where to keep the center\'s records' })
  await expect(where.getByRole('radio', { name: /Keep the records on this PC/ })).toBeChecked()
  // The default path is the one it always was: the center's name has the focus.
  await expect(page.getByRole('textbox', { name: 'Center name' })).toBeFocused()
  await page.screenshot({ path: '/tmp/setup-choice-en.png', fullPage: true })

  // Keyboard only: back to the choice, the arrow picks the server, Tab reaches its first field.
  await page.keyboard.press('Shift+Tab')
  await expect(where.getByRole('radio', { name: /Keep the records on this PC/ })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(where.getByRole('radio', { name: /Connect to the center's PostgreSQL server/ })).toBeChecked()
  const form = page.getByRole('form', { name: "The center's PostgreSQL server" })
  await expect(form).toBeVisible()
  await page.keyboard.press('Tab')
  await expect(form.getByRole('textbox', { name: 'Server' })).toBeFocused()
  await scan(page, 'setup: the center’s server', found)

  // Nothing typed: each required field says so, and the first one takes the focus.
  await form.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(form.getByText("Enter the server's name or address.")).toBeVisible()
  await expect(form.getByRole('textbox', { name: 'Server' })).toBeFocused()
  await scan(page, 'setup: the center’s server, field errors', found)

  // A relative CA path is refused beside its field.
  await form.getByRole('textbox', { name: 'Server' }).fill('127.0.0.1')
  await form.getByRole('textbox', { name: 'CA certificate file (optional)' }).fill('ca.pem')
  await form.getByRole('button', { name: 'Test connection' }).click()
  await expect(form.getByText('Enter the full path, starting with / or a drive letter like D:\\.')).toBeVisible()
  await form.getByRole('textbox', { name: 'CA certificate file (optional)' }).fill('')

  // A server that does not answer: said plainly, with what to check, and nothing is kept.
  await form.getByRole('textbox', { name: 'Port' }).fill(String(await closedPort()))
  await form.getByRole('textbox', { name: 'Password' }).fill('a password')
  await form.getByRole('button', { name: 'Test connection' }).click()
  const alert = form.getByRole('alert')
  await expect(alert).toContainText('Porchlight cannot reach the PostgreSQL server at 127.0.0.1:')
  await expect(alert).toContainText('pg_hba.conf')
  await scan(page, 'setup: the center’s server unreachable', found)
  await page.screenshot({ path: '/tmp/setup-server-unreachable-en.png', fullPage: true })
  expect(host.core.status({ staff: null })).toMatchObject({ phase: 'setup', records: 'file' })

  // A client certificate asks for its two files instead of a password.
  await form.getByRole('radio', { name: 'A client certificate' }).check()
  await expect(form.getByRole('textbox', { name: 'Password' })).toBeHidden()
  await form.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(form.getByRole('textbox', { name: 'Client certificate file' })).toBeFocused()
  await expect(form.getByText('Enter the full path, starting with / or a drive letter like D:\\.')).toHaveCount(2)

  // The same in Spanish, main's refusal included.
  await form.getByRole('radio', { name: 'A password' }).check()
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('heading', { name: 'Configurar Porchlight' })).toBeVisible()
  const formulario = page.getByRole('form', { name: 'El servidor PostgreSQL del centro' })
  await formulario.getByRole('button', { name: 'Probar la conexión' }).click()
  await expect(formulario.getByRole('alert')).toContainText('Porchlight no puede comunicarse con el servidor PostgreSQL en 127.0.0.1:')
  await scan(page, 'setup: the center’s server, Spanish', found)
  await page.screenshot({ path: '/tmp/setup-server-es.png', fullPage: true })
  expect(found, report(found)).toEqual([])
  expect(consoleErrors).toEqual([])
})

const PG_URL = process.env.PORCHLIGHT_TEST_PG_URL

test('first run on the center’s server: test, connect, name the center, straight to the desk', async ({ page, host }) => {
  test.skip(!PG_URL && !process.env.CI, 'no PostgreSQL: run .ci/postgres start and set PORCHLIGHT_TEST_PG_URL')
  expect(PG_URL, 'CI is set but PORCHLIGHT_TEST_PG_URL is not').toBeTruthy()
  test.setTimeout(120_000)
  const server = new URL(PG_URL!)
  const database = `porchlight_e2e_${process.pid}_${Math.floor(performance.now())}`
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${database}" TEMPLATE template0`)
  try {
    await page.goto(host.url)
    await page.getByRole('radio', { name: /Connect to the center's PostgreSQL server/ }).check()
    const form = page.getByRole('form', { name: "The center's PostgreSQL server" })
    await form.getByRole('textbox', { name: 'Server' }).fill(server.hostname)
    await form.getByRole('textbox', { name: 'Port' }).fill(server.port)
    await form.getByRole('textbox', { name: 'Database' }).fill(database)
    await form.getByRole('textbox', { name: 'User' }).fill(decodeURIComponent(server.username))
    await form.getByRole('textbox', { name: 'Password' }).fill(decodeURIComponent(server.password))
    await form.getByRole('button', { name: 'Test connection' }).click()
    const found = form.getByRole('status')
    await expect(found).toContainText(`Porchlight reached ${server.hostname}:${server.port}/${database}`)
    await expect(found).toContainText('The database is empty')
    await page.screenshot({ path: '/tmp/setup-server-found-en.png', fullPage: true })
    await form.getByRole('button', { name: 'Connect', exact: true }).click()

    await expect(page.getByText(`Connected to the center's server ${server.hostname}:${server.port}/${database}`)).toBeVisible()
    await expect(page.getByRole('textbox', { name: 'Center name' })).toBeFocused()
    await page.screenshot({ path: '/tmp/setup-server-center-en.png', fullPage: true })
    // The center and its first admin, as on a PC's own file.
    for (const [name, value] of [['Center name', ADMIN.centerName], ['Your name', ADMIN.adminName], ['Username', ADMIN.username]] as const) {
      await page.getByRole('textbox', { name }).fill(value)
    }
    for (const name of ['Password', 'Confirm password']) await page.getByRole('textbox', { name, exact: true }).fill(ADMIN.password)
    await page.getByRole('button', { name: 'Set up Porchlight' }).click()
    // No recovery key on the server: straight to the front desk.
    await expect(page.getByRole('combobox', { name: 'Find a person' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Signed in as Dana Reyes, Admin' })).toBeVisible()
    expect(host.core.status({ staff: null })).toMatchObject({ records: 'server' })

    // Backups on the server: the server's own come first; this PC may add a pg_dump copy.
    await page.getByRole('button', { name: 'Backups', exact: true }).click()
    await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible()
    await expect(page.getByText('The server’s own backups come first')).toBeVisible()
    await expect(page.getByText(/a pg_dump copy is not encrypted/)).toBeVisible()
    await expect(page.getByRole('button', { name: /recovery key/ })).toHaveCount(0)
    const usb = join(dirname(host.dbFile), 'usb')
    mkdirSync(usb)
    await page.getByRole('textbox', { name: 'Backup folder' }).fill(usb)
    await page.getByRole('button', { name: 'Save backup settings' }).click()
    // The same schedule as a file's backups (daily at 18:00 unless changed), run by one PC with pg_dump at a time.
    await expect(page.getByRole('combobox', { name: 'Back up automatically' })).toBeVisible()
    await expect(page.getByText(/Next scheduled pg_dump copy: /)).toBeVisible()
    // The copies are rotated by the file backups' counts, shown here too.
    await expect(page.getByRole('textbox', { name: /Daily backups to keep/ })).toHaveValue('7')
    await expect(page.getByText(/older pg_dump copies in this folder that the counts below do not keep are deleted/)).toBeVisible()
    await page.getByRole('button', { name: 'Back up now with pg_dump' }).click()
    await expect(page.getByText(/Last good pg_dump copy: .*porchlight-\d{8}-\d{6}\.dump/)).toBeVisible()
    expect(readdirSync(usb)).toEqual([expect.stringMatching(/^porchlight-\d{8}-\d{6}\.dump$/)])
    await page.screenshot({ path: '/tmp/backups-server-en.png', fullPage: true })
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
    await expect(page.getByText('Las copias propias del servidor van primero')).toBeVisible()
    await page.screenshot({ path: '/tmp/backups-server-es.png', fullPage: true })
  } finally {
    await host.core.close()
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
    await admin.end()
  }
})

import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { recordIntegrityCheck } from '../../db/services/integrity-check'
import { runningClock, TEST_START } from '../clock'
import { startHost } from '../host/server'
import { expect, test as base } from './fixtures'

/** The host's clock, moved by the test: the center's first visitors came years ago. */
let at = new Date('2015-06-01T15:00:00.000Z')

const test = base.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  host: async ({}, use) => {
    at = new Date('2015-06-01T15:00:00.000Z')
    const host = await startHost({ now: () => new Date(at) })
    // The clock jumps eleven years mid-test; the idle lock has its own tests.
    host.core.idleLockSeconds = 20 * 365 * 24 * 60 * 60
    await use(host)
    await host.close()
  },
})

test('admin sets a backup folder, backs up now and sees the verified backup; the retention dry run shows counts', async ({ desk: page, api, host }) => {
  for (const firstName of ['Old', 'Older', 'Oldest']) {
    const person = await api.call('participants.create', { firstName })
    await api.call('visits.signIn', { participantId: person.id, services: [] })
  }
  at = new Date(TEST_START)
  const usb = join(dirname(host.dbFile), 'usb')
  mkdirSync(usb)

  await page.getByRole('button', { name: 'Backups' }).click()
  await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible()
  const folder = page.getByRole('textbox', { name: 'Backup folder' })

  // A folder that is not there: said on the field, nothing saved.
  await folder.fill(join(usb, 'not-plugged-in'))
  await page.getByRole('button', { name: 'Save backup settings' }).click()
  await expect(page.getByText(/does not exist/)).toBeVisible()
  await expect(folder).toBeFocused()

  await folder.fill(usb)
  await page.getByRole('button', { name: 'Save backup settings' }).click()
  await expect(page.getByText('The backup settings were saved.')).toBeVisible()
  await expect(page.getByText('There are no backups in this folder yet.')).toBeVisible()
  await expect(page.getByText(/Next automatic backup/)).toBeVisible()

  await page.getByRole('button', { name: 'Back up now' }).click()
  await expect(page.getByText('Backup made')).toBeVisible()
  const table = page.getByRole('table', { name: 'Backups in the folder' })
  const row = table.getByRole('row').nth(1)
  await expect(row).toContainText('Verified')
  await expect(row.getByRole('cell').nth(1)).toHaveText('3')
  await expect(page.getByText(/Last good backup/)).toBeVisible()
  await page.screenshot({ path: 'test-results/backups-screen.png', fullPage: true })

  // Restore asks for a preview and a typed word before it does anything.
  await row.getByRole('button', { name: /Restore the backup made/ }).click()
  const dialog = page.getByRole('dialog', { name: /Restore the backup made/ })
  await expect(dialog.getByText('3 people')).toBeVisible()
  const confirm = dialog.getByRole('button', { name: 'Restore this backup' })
  await expect(confirm).toBeDisabled()
  await dialog.getByRole('textbox', { name: 'Type RESTORE to confirm' }).fill('restore')
  await expect(confirm).toBeEnabled()
  await page.screenshot({ path: 'test-results/backups-restore.png' })
  await dialog.getByRole('button', { name: 'Cancel' }).click()

  // Retention: the dry run counts before anything can be applied.
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByRole('tab', { name: 'Data retention' }).click()
  await page.getByRole('textbox', { name: 'No activity for (years)' }).fill('5')
  await page.getByRole('button', { name: 'Dry run: show what it would change' }).click()
  const counts = page.getByRole('table', { name: 'What applying the policy now would change' })
  await expect(counts.getByRole('row', { name: /People to de-identify/ })).toContainText('3')
  await expect(counts.getByRole('row', { name: /Their visits/ })).toContainText('3')
  await expect(page.getByRole('button', { name: 'Apply now…' })).toBeDisabled()
  await page.screenshot({ path: 'test-results/retention-dry-run.png', fullPage: true })
  // Nothing was changed by looking.
  expect((await api.call('participants.search', { text: 'Old' })).length).toBe(3)

  // The same screen in Spanish.
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await page.getByRole('button', { name: 'Copias de seguridad' }).click()
  await expect(page.getByRole('table', { name: 'Copias en la carpeta' }).getByRole('row').nth(1)).toContainText('Comprobada')
  await page.screenshot({ path: 'test-results/backups-screen-es.png', fullPage: true })
})

test('a new PC opens the records from a backup with the recovery key', async ({ page, api, host }) => {
  const usb = join(dirname(host.dbFile), 'usb')
  mkdirSync(usb)
  await api.call('participants.create', { firstName: 'Carried' })
  await api.call('backups.saveSettings', { folder: usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
  const made = await api.call('backups.run', {})
  const { recoveryKey } = await api.call('security.newRecoveryKey', { confirm: true })

  const pc = await startHost({ now: runningClock() })
  try {
    await page.goto(pc.url)
    await page.getByRole('button', { name: 'Open an existing center' }).click()
    await page.getByRole('textbox', { name: 'Recovery key' }).fill(recoveryKey)
    await page.getByRole('textbox', { name: 'Backup file (optional)' }).fill(join(usb, made.file))
    await page.getByRole('button', { name: 'Open the records' }).click()
    // Made before the key change: the new recovery key does not open it, and it says so.
    await expect(page.getByRole('alert')).toContainText('different key')
    await page.screenshot({ path: 'test-results/recover-refused.png' })
    at = new Date(at.getTime() + 60_000)
    const fresh = await api.call('backups.run', {})
    await page.getByRole('textbox', { name: 'Backup file (optional)' }).fill(join(usb, fresh.file))
    await page.getByRole('button', { name: 'Open the records' }).click()
    // The backup is verified page by page and copied into place before the sign-in shows: give a busy machine time.
    await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible({ timeout: 45_000 })
  } finally {
    await pc.close()
  }
})

test('admin chooses the backup folder with the folder picker, runs a full check, and is told what to do when one fails', async ({ desk: page, host }) => {
  at = new Date(TEST_START)
  const usb = join(dirname(host.dbFile), 'usb-picked')
  mkdirSync(usb)
  await page.getByRole('button', { name: 'Backups' }).click()
  const folder = page.getByRole('textbox', { name: 'Backup folder' })
  // The export section below has a folder picker of its own.
  const settings = page.getByRole('form', { name: 'Where and when' })
  await expect(page.getByText('The records file has not had a full check yet.')).toBeVisible()

  // Cancelled: the field keeps what was typed.
  await folder.fill('/typed/by/hand')
  host.platform.folder = null
  await settings.getByRole('button', { name: 'Choose folder…' }).click()
  await expect(folder).toHaveValue('/typed/by/hand')
  // Chosen: the path lands in the field, and saving checks it as if typed.
  host.platform.folder = usb
  await settings.getByRole('button', { name: 'Choose folder…' }).click()
  await expect(folder).toHaveValue(usb)
  await page.getByRole('button', { name: 'Save backup settings' }).click()
  await expect(page.getByText('The backup settings were saved.')).toBeVisible()

  await page.getByRole('button', { name: 'Check now' }).click()
  await expect(page.getByText(/^Last full check: .*No problems found\.$/)).toBeVisible()
  await page.screenshot({ path: 'test-results/backups-check-ok.png', fullPage: true })

  // A check that found damage (the damage itself is unit-tested on a real file): the admin is told what to do next.
  await recordIntegrityCheck(host.core.context({ staff: null }), { ok: false, scheduled: true, problems: ['row 12 missing from index visits_by_date'] })
  await page.reload()
  await page.getByRole('button', { name: 'Backups' }).click()
  const alert = page.getByRole('alert').filter({ hasText: 'found damage in the records file' })
  await expect(alert).toContainText('Restore the newest backup in the list below')
  await expect(alert).toContainText('Call your IT person')
  await expect(alert).toContainText('row 12 missing from index visits_by_date')
  await page.screenshot({ path: 'test-results/backups-check-failed.png', fullPage: true })

  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('form', { name: 'Dónde y cuándo' }).getByRole('button', { name: 'Elegir carpeta…' })).toBeVisible()
  await expect(page.getByRole('alert').filter({ hasText: 'encontró daños en el archivo de registros' })).toContainText('Llame a su persona de informática')
  await page.screenshot({ path: 'test-results/backups-check-failed-es.png', fullPage: true })
})

import type { Page } from '@playwright/test'
import { CHANNELS } from '../../electron/ipc/channels'
import { report, scan, type Found } from './axe'
import { expect, hostApi, setUpCenter, test, watchConsole } from './fixtures'

/**
 * The peer workforce (issue 16) through the test host: a manager adds a credential expiring in
 * 30 days and sees it on their home; a specialist logs a training with a PDF attached, the manager
 * confirms it and the totals move; a front-desk login is refused every workforce channel. Axe over
 * each new screen, and screenshots in English and Spanish (/tmp/workforce-*.png).
 */
const MANAGER = { username: 'morgan', password: 'manager password 1' }
const PEER = { username: 'sam', password: 'peer specialist 1' }
const DESK = { username: 'jofront', password: 'front desk pass 1' }
// "%PDF-1.4" and a little body: enough for main's check by content.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n')

async function workforceCenter(host: Parameters<typeof setUpCenter>[0]) {
  const api = await setUpCenter(host)
  await api.call('staff.create', { username: MANAGER.username, displayName: 'Morgan Manager', role: 'manager', password: MANAGER.password })
  const peer = await api.call('staff.create', { username: PEER.username, displayName: 'Sam Peer', role: 'peer_specialist', password: PEER.password })
  await api.call('staff.create', { username: DESK.username, displayName: 'Jo Front', role: 'front_desk', password: DESK.password })
  await host.core.database!.db.updateTable('staff').set({ must_change_password: 0 }).execute()
  return { api, peer }
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/workforce-${name}.png`, fullPage: true })
}

/** Signs in from the login screen; a busy machine can take a while over the password hash and the first screen. */
async function signIn(page: Page, host: Parameters<typeof setUpCenter>[0], who: { username: string; password: string }) {
  await page.goto(host.url)
  await page.getByRole('textbox', { name: 'Username' }).fill(who.username)
  await page.getByRole('textbox', { name: 'Password' }).fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible({ timeout: 30_000 })
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: /Sign out|Cerrar sesión/ }).click()
  await expect(page.getByRole('button', { name: /Sign in|Iniciar sesión/ })).toBeVisible()
}

test('a manager adds a credential expiring in 30 days and sees it on their home; a specialist logs a training with a PDF, the manager confirms it and the totals move', async ({ page, host }) => {
  test.setTimeout(360_000)
  const { peer } = await workforceCenter(host)
  const errors = watchConsole(page)
  const found: Found[] = []

  // The manager: staff records, Sam's records, a state certification expiring in 30 days.
  await signIn(page, host, MANAGER)
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Staff records' }).click()
  await expect(page.getByRole('heading', { name: 'Staff records', level: 1 })).toBeVisible()
  await scan(page, 'workforce: overview', found)
  await page.getByRole('button', { name: 'Open records of Sam Peer' }).click()
  await page.getByRole('button', { name: 'Add credential' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add credential' })
  // Bad input first: an expiry before the issue date is refused, nothing saved.
  await dialog.getByRole('combobox', { name: 'Credential' }).click()
  await page.getByRole('option', { name: 'State peer recovery specialist certification' }).click()
  await dialog.getByRole('textbox', { name: 'Issued by' }).fill('State Certification Board')
  await dialog.getByLabel('Number').fill('PRS-20417')
  await dialog.getByLabel('Issued on').fill('2025-01-01')
  await dialog.getByLabel('Expires on').fill('2024-12-01')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toContainText('The expiry date must be after the issue date.')
  await scan(page, 'workforce: credential dialog with an error', found)
  await dialog.getByLabel('Expires on').fill('2026-12-25')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  const credentials = page.getByRole('table', { name: 'Credentials' })
  await expect(credentials).toContainText('Expires in 30 days')
  await expect(page.getByTestId('progress-done')).toHaveText('0 of 40 hours done')
  await shot(page, '1-manager-person')
  await scan(page, 'workforce: a person’s records', found)

  // Their home (the dashboard) names it.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Dashboard' }).click()
  const reminders = page.getByTestId('workforce-reminders')
  await expect(reminders).toContainText('Sam Peer: State peer recovery specialist certification expires on Dec 25, 2026 (in 30 days).', { timeout: 30_000 })
  await shot(page, '2-manager-home')
  await signOut(page)

  // The specialist: their reminder on sign-in, then their own records, a training with its certificate.
  await signIn(page, host, PEER)
  await expect(page.getByTestId('workforce-reminders')).toContainText('You: State peer recovery specialist certification expires on Dec 25, 2026')
  await shot(page, '3-peer-sign-in')
  await page.getByRole('button', { name: 'Open staff records' }).click()
  await expect(page.getByRole('heading', { name: 'Staff records', level: 1 })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Add credential' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Log training' }).click()
  const training = page.getByRole('dialog', { name: 'Log training' })
  await training.getByRole('textbox', { name: 'Title' }).fill('Ethics and boundaries for peers')
  await training.getByRole('textbox', { name: 'Provider' }).fill('State Certification Board')
  await training.getByLabel('Date').fill('2026-11-20')
  await training.getByRole('textbox', { name: 'Hours' }).fill('6')
  await training.getByRole('combobox', { name: 'Category' }).click()
  await page.getByRole('option', { name: 'Ethics' }).click()
  await training.locator('input[type="file"]').setInputFiles({ name: 'ethics-certificate.pdf', mimeType: 'application/pdf', buffer: PDF })
  await scan(page, 'workforce: training dialog', found)
  await training.getByRole('button', { name: 'Save' }).click()
  await expect(training).toBeHidden()
  const log = page.getByRole('table', { name: 'Training log' })
  await expect(log).toContainText('Waiting for a manager')
  await expect(page.getByTestId('progress-done')).toHaveText('0 of 40 hours done')
  await expect(page.getByText('6 hours wait for a manager’s confirmation and do not count yet.')).toBeVisible()
  await shot(page, '4-peer-records')
  await scan(page, 'workforce: a specialist’s own records', found)
  // Spanish, the same screen.
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('heading', { name: 'Registros del personal', level: 1 })).toBeVisible()
  await shot(page, '5-peer-records-es')
  await scan(page, 'workforce: a specialist’s own records in Spanish', found)
  await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()
  await signOut(page)

  // The manager confirms it: the totals move, and the attached copy opens (audited).
  await signIn(page, host, MANAGER)
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Staff records' }).click()
  await expect(page.getByRole('table', { name: 'Staff credentials' })).toContainText('Sam Peer')
  await page.getByRole('button', { name: 'Open records of Sam Peer' }).click()
  await page.getByRole('button', { name: 'Confirm Ethics and boundaries for peers' }).click()
  await expect(page.getByTestId('progress-done')).toHaveText('6 of 40 hours done')
  await expect(page.getByTestId('progress-missing')).toHaveText('Still missing: 34 hours')
  await expect(page.getByRole('table', { name: 'Training log' })).toContainText('Confirmed')
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Open copy: Ethics and boundaries for peers' }).click()
  expect((await download).suggestedFilename()).toBe('ethics-certificate.pdf')
  const looks = await host.core.database!.db.selectFrom('audit_log').select('staff_id').where('action', '=', 'workforce.document_view').execute()
  expect(looks).toHaveLength(1)
  await shot(page, '6-manager-confirmed')

  // The workforce page of the funder report, in Spanish too.
  await page.getByRole('button', { name: 'Workforce report' }).click()
  await expect(page.getByRole('heading', { name: 'Workforce', level: 1 })).toBeVisible()
  await expect(page.getByTestId('report-training-hours')).toHaveText('6')
  await shot(page, '7-report')
  await scan(page, 'workforce: report', found)
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('heading', { name: 'Personal', level: 1 })).toBeVisible()
  await shot(page, '8-report-es')
  await scan(page, 'workforce: report in Spanish', found)

  expect(peer.id).toBeGreaterThan(0)
  expect(found, report(found)).toEqual([])
  expect(errors).toEqual([])
})

test('a front-desk login gets FORBIDDEN from every workforce channel, and sees no staff records', async ({ page, host }) => {
  await workforceCenter(host)
  const desk = hostApi(host)
  await desk.call('auth.login', DESK)
  const channels = CHANNELS.filter((c) => c.startsWith('workforce.'))
  expect(channels.length).toBeGreaterThanOrEqual(12)
  for (const channel of channels) {
    const envelope = await desk.raw(channel, {} as never)
    expect(envelope, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  }
  await signIn(page, host, DESK)
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Staff records' })).toHaveCount(0)
})

test('a manager edits the credential kinds and training categories: a new requirement, an over-total refused, a kind in use archived not deleted, in English and Spanish', async ({ page, host }) => {
  test.setTimeout(300_000)
  const { api, peer } = await workforceCenter(host)
  // CPR is held by Sam, so it is in use.
  const lists = await api.call('workforce.lists', {})
  const cpr = lists.kinds.find((k) => k.key === 'cpr')!
  await api.call('workforce.saveCredential', { staffId: peer.id, kindId: cpr.id, issuer: 'Red Cross', issuedOn: '2026-01-10', expiresOn: '2028-01-10' })
  const errors = watchConsole(page)
  const found: Found[] = []

  await signIn(page, host, MANAGER)
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Staff records' }).click()
  await page.getByRole('button', { name: 'Credentials and categories' }).click()
  await expect(page.getByRole('heading', { name: 'Credential kinds and training categories', level: 1 })).toBeVisible()
  const kinds = page.getByRole('table', { name: 'Credential kinds' })
  await expect(kinds.getByRole('row', { name: /State peer recovery specialist certification/ })).toContainText('Ethics 6 h')
  await scan(page, 'workforce settings', found)

  // A new kind, its category hours over its total first: refused on the screen, nothing sent.
  await page.getByRole('button', { name: 'Add a credential kind' }).click()
  const add = page.getByRole('dialog', { name: 'Add a credential kind' })
  await add.getByRole('textbox', { name: 'Name in English' }).fill('County peer supervisor')
  await add.getByRole('textbox', { name: 'Name in Spanish' }).fill('Supervisor de pares del condado')
  await add.getByRole('textbox', { name: 'Renewal period (months)' }).fill('12')
  await add.getByRole('textbox', { name: 'Training hours required per period' }).fill('10')
  await add.getByRole('textbox', { name: 'Ethics (hours)' }).fill('12')
  await add.getByRole('button', { name: 'Save' }).click()
  await expect(add).toContainText('The hours by category (12) add up to more than the total (10).')
  await shot(page, '9-settings-kind-error')
  await scan(page, 'workforce settings: kind dialog with an error', found)
  await add.getByRole('textbox', { name: 'Ethics (hours)' }).fill('3')
  await add.getByRole('button', { name: 'Save' }).click()
  await expect(add).toBeHidden()
  await expect(kinds.getByRole('row', { name: /County peer supervisor/ })).toContainText('Ethics 3 h')

  // Deleting a kind in use is refused, and the message says to archive it instead.
  await page.getByRole('button', { name: 'Delete CPR and first aid' }).click()
  const remove = page.getByRole('dialog', { name: 'Delete CPR and first aid?' })
  await remove.getByRole('button', { name: 'Delete' }).click()
  await expect(remove).toContainText('This credential kind is on 1 staff credential record(s), so it cannot be deleted')
  await expect(remove).toContainText('Archive it instead')
  await shot(page, '10-settings-delete-refused')
  await scan(page, 'workforce settings: delete refused', found)
  await remove.getByRole('button', { name: 'Cancel' }).click()
  // Archived instead.
  await page.getByRole('button', { name: 'Edit CPR and first aid' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit: CPR and first aid' })
  await edit.getByRole('checkbox', { name: 'Archived' }).check()
  await edit.getByRole('button', { name: 'Save' }).click()
  await expect(edit).toBeHidden()
  await expect(kinds.getByRole('row', { name: /CPR and first aid/ })).toContainText('Archived')
  // An unused kind is deleted.
  await page.getByRole('button', { name: 'Delete Naloxone trainer' }).click()
  await page.getByRole('dialog', { name: 'Delete Naloxone trainer?' }).getByRole('button', { name: 'Delete' }).click()
  await expect(kinds.getByRole('row', { name: /Naloxone trainer/ })).toHaveCount(0)

  // A category of the center's own; one a requirement names is not deleted.
  const categories = page.getByRole('table', { name: 'Training categories' })
  await page.getByRole('button', { name: 'Add a category' }).click()
  const addCategory = page.getByRole('dialog', { name: 'Add a category' })
  await addCategory.getByRole('textbox', { name: 'Name in English' }).fill('Motivational interviewing')
  await addCategory.getByRole('textbox', { name: 'Name in Spanish' }).fill('Entrevista motivacional')
  await addCategory.getByRole('button', { name: 'Save' }).click()
  await expect(addCategory).toBeHidden()
  await expect(categories).toContainText('Motivational interviewing')
  await page.getByRole('button', { name: 'Delete Ethics' }).click()
  const removeEthics = page.getByRole('dialog', { name: 'Delete Ethics?' })
  await removeEthics.getByRole('button', { name: 'Delete' }).click()
  await expect(removeEthics).toContainText('counts hours in this category. Take the category out of that requirement first.')
  await removeEthics.getByRole('button', { name: 'Cancel' }).click()
  await shot(page, '11-settings-after')

  const actions = await host.core.database!.db.selectFrom('audit_log').select('action').where('action', 'like', 'workforce.%').orderBy('id').execute()
  expect(actions.map((a) => a.action)).toEqual(['workforce.credential_create', 'workforce.kind_save', 'workforce.kind_save', 'workforce.kind_delete', 'workforce.category_save'])

  // Spanish: the same screen and its dialog.
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('heading', { name: 'Tipos de credencial y categorías de capacitación', level: 1 })).toBeVisible()
  await expect(page.getByRole('table', { name: 'Tipos de credencial' })).toContainText('Supervisor de pares del condado')
  await shot(page, '12-settings-es')
  await scan(page, 'workforce settings in Spanish', found)
  await page.getByRole('button', { name: 'Editar Supervisor de pares del condado' }).click()
  await expect(page.getByRole('dialog', { name: 'Editar: Supervisor de pares del condado' })).toBeVisible()
  await shot(page, '13-settings-kind-es')
  await scan(page, 'workforce settings: kind dialog in Spanish', found)
  await page.getByRole('dialog', { name: 'Editar: Supervisor de pares del condado' }).getByRole('button', { name: 'Cancelar' }).click()
  await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()

  // A new credential is offered the new kind, not the archived one.
  await page.getByRole('button', { name: 'All staff' }).click()
  await page.getByRole('button', { name: 'Open records of Sam Peer' }).click()
  await page.getByRole('button', { name: 'Add credential' }).click()
  await page.getByRole('dialog', { name: 'Add credential' }).getByRole('combobox', { name: 'Credential' }).click()
  await expect(page.getByRole('option', { name: 'County peer supervisor' })).toBeVisible()
  await expect(page.getByRole('option', { name: 'CPR and first aid' })).toHaveCount(0)

  expect(found, report(found)).toEqual([])
  expect(errors).toEqual([])
})

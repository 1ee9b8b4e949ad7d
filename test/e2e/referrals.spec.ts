import { report, scan, type Found } from './axe'
import { choose, expect, setUpCenter, signIn, signInAtDesk, test, watchConsole } from './fixtures'

const PEER = { username: 'sam', password: 'peer specialist 1' }

/** A center with a peer specialist (past their first password change) and one person on file. */
async function peerCenter(host: Parameters<typeof setUpCenter>[0]) {
  const api = await setUpCenter(host)
  await api.call('staff.create', { username: PEER.username, displayName: 'Sam Peer', role: 'peer_specialist', password: PEER.password })
  await host.core.records!.updateTable('staff').set({ must_change_password: 0 }).where('username', '=', PEER.username).execute()
  const person = await api.call('participants.create', { firstName: 'Rosa', lastName: 'Alvarez', birthYear: 1979 })
  return { api, person }
}

test('a peer specialist adds an agency, refers a person under a signed consent, follows it to an outcome, and the consent is revoked', { tag: '@postgres' }, async ({ page, host }) => {
  const { person } = await peerCenter(host)
  const errors = watchConsole(page)
  await signInAtDesk(page, host, PEER)

  // The third screen for a peer specialist, from the keyboard.
  await page.keyboard.press('Alt+3')
  await expect(page.getByRole('heading', { name: 'Referrals', level: 1 })).toBeVisible()
  await expect(page.getByText('No follow-ups are due today. Well done.')).toBeVisible()

  // The directory first: a referral needs an agency that takes that kind.
  await page.getByRole('tab', { name: 'Agency directory' }).click()
  await page.getByRole('button', { name: 'Add an agency' }).click()
  const agencyForm = page.getByRole('dialog', { name: 'Add an agency' })
  await agencyForm.getByRole('button', { name: 'Save' }).click()
  await expect(agencyForm).toContainText('Enter the agency’s name.')
  await expect(agencyForm).toContainText('Tick at least one kind of referral.')
  await agencyForm.getByRole('textbox', { name: 'Name' }).fill('Harbor Treatment Center')
  await agencyForm.getByRole('checkbox', { name: 'Treatment' }).check()
  await agencyForm.getByRole('checkbox', { name: 'Detox' }).check()
  await agencyForm.getByRole('textbox', { name: 'Phone' }).fill('555-0100')
  await agencyForm.getByRole('textbox', { name: 'Hours' }).fill('Mon–Fri 8–6')
  await agencyForm.getByRole('button', { name: 'Save' }).click()
  await expect(agencyForm).toBeHidden()
  await expect(page.getByTestId('agency-table')).toContainText('Harbor Treatment Center')
  await expect(page.getByTestId('agency-table')).toContainText('Treatment, Detox')

  // A new referral: the person, the kind, the agency, shared under a consent recorded on the spot.
  await page.getByRole('tab', { name: 'Referrals' }).click()
  await page.getByRole('button', { name: 'New referral' }).click()
  const form = page.getByRole('dialog', { name: 'New referral' })
  await form.getByRole('combobox', { name: 'Person' }).fill('Rosa')
  await page.getByRole('option', { name: /Rosa A\./ }).click()
  await choose(page, form, 'Referral for', 'Treatment')
  await choose(page, form, 'Agency', /Harbor Treatment Center/)
  // A follow-up before the referral date is caught before anything is sent.
  const referredOn = await form.getByLabel('Referred on').inputValue()
  const dayBefore = new Date(Date.parse(`${referredOn}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
  await form.getByLabel('Follow-up').fill(dayBefore)
  await form.getByRole('radio', { name: /under the person’s signed consent/ }).check()
  await form.getByRole('button', { name: 'Make the referral' }).click()
  await expect(form).toContainText('The follow-up cannot be before the referral date.')
  await expect(form).toContainText('Choose the consent it is shared under, or record one.')
  await form.getByLabel('Follow-up').fill(referredOn)

  await form.getByRole('button', { name: 'Record a consent…' }).click()
  const consentForm = page.getByRole('dialog', { name: 'Record a signed consent' })
  await expect(consentForm.getByRole('combobox', { name: 'Agency that may receive it' })).toHaveValue('Harbor Treatment Center')
  await consentForm.getByRole('textbox', { name: 'Purpose' }).fill('Coordinate a referral to outpatient treatment')
  await consentForm.getByRole('button', { name: 'Record the consent' }).click()
  await expect(consentForm).toContainText('Record a consent only once the form is signed.')
  await consentForm.getByRole('checkbox', { name: /signed the consent form/ }).check()
  await consentForm.getByRole('button', { name: 'Record the consent' }).click()
  await expect(consentForm).toBeHidden()
  await expect(form.getByRole('combobox', { name: 'Consent' })).toHaveValue(/^Signed /)
  await form.getByRole('textbox', { name: 'Note' }).fill('Wants evening outpatient')
  await page.screenshot({ path: 'test-results/referral-new.png' })
  await form.getByRole('button', { name: 'Make the referral' }).click()

  // It opens at once: pending, shared under a current consent, due today.
  const details = page.getByRole('dialog', { name: /Treatment referral · Rosa A\./ })
  await expect(details.getByTestId('referral-status')).toHaveText('Pending')
  await expect(details).toContainText('Shared under a consent: Current')
  await expect(details).toContainText('Harbor Treatment Center may receive: Contact details, Referral status and outcome.')
  await page.screenshot({ path: 'test-results/referral-details.png' })

  // The outcome: got help, with a word on how.
  await choose(page, details, 'Status', 'Got help')
  await expect(details.getByLabel('Follow-up')).toBeDisabled()
  await details.getByRole('textbox', { name: 'Outcome' }).fill('Started outpatient on Monday')
  await details.getByRole('button', { name: 'Save' }).click()
  // The dialog stays on the saved referral for the next step; Escape closes it.
  await expect(details.getByTestId('referral-status')).toHaveText('Got help')
  await page.keyboard.press('Escape')
  await expect(details).toBeHidden()
  await page.getByRole('radiogroup', { name: 'Show' }).getByText('Closed').click()
  const table = page.getByTestId('referral-table')
  await expect(table.getByRole('row').filter({ hasText: 'Rosa A.' })).toContainText('Got help')

  // The person withdraws consent in their profile; the referral shows it.
  await table.getByRole('button', { name: 'Open the referral for Rosa A.' }).click()
  await page.getByRole('dialog', { name: /Treatment referral/ }).getByRole('button', { name: /Rosa A\./ }).click()
  const profile = page.getByRole('dialog', { name: 'Rosa Alvarez' })
  await profile.getByRole('tab', { name: 'Consents' }).click()
  await profile.getByRole('button', { name: 'Revoke the consent for Harbor Treatment Center' }).click()
  const revoke = page.getByRole('dialog', { name: 'Revoke a consent' })
  await revoke.getByRole('textbox', { name: 'Note (optional)' }).fill('Asked us to stop sharing')
  await revoke.getByRole('button', { name: 'Revoke the consent' }).click()
  await expect(profile.getByTestId('consent-table')).toContainText('Revoked')
  await profile.getByRole('tab', { name: 'Referrals' }).click()
  await expect(profile.getByTestId('referral-table')).toContainText('Revoked')
  await page.screenshot({ path: 'test-results/profile-referrals.png' })

  // Written once each, audited, with the history the dialog showed.
  const db = host.core.records!
  const referral = await db.selectFrom('referrals').selectAll().executeTakeFirstOrThrow()
  expect(referral).toMatchObject({ participant_id: person.id, status: 'got_help', outcome_note: 'Started outpatient on Monday', follow_up_on: null })
  expect((await db.selectFrom('referral_events').select('status').orderBy('id').execute()).map((e) => e.status)).toEqual(['pending', 'got_help'])
  const actions = (await db.selectFrom('audit_log').select('action').execute()).map((row) => row.action)
  for (const action of ['agency.create', 'consent.create', 'referral.create', 'referral.update', 'referral.view', 'consent.revoke']) expect(actions).toContain(action)
  expect(errors).toEqual([])
})

test('a manager reads referrals but cannot change them; main refuses the write from the page too', async ({ page, host }) => {
  const { api, person } = await peerCenter(host)
  const agency = await api.call('agencies.save', { name: 'Open Door Housing', types: ['housing'] })
  const made = await api.call('referrals.create', { participantId: person.id, agencyId: agency.id, type: 'housing', followUpOn: null })
  await api.call('staff.create', { username: 'morgan', displayName: 'Morgan Manager', role: 'manager', password: 'manager password 1' })
  await host.core.records!.updateTable('staff').set({ must_change_password: 0 }).where('username', '=', 'morgan').execute()
  // A manager's day opens on the dashboard.
  await signIn(page, host, { username: 'morgan', password: 'manager password 1' })
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible({ timeout: 30_000 })

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Referrals' }).click()
  await expect(page.getByRole('button', { name: 'New referral' })).toHaveCount(0)
  await page.getByRole('radiogroup', { name: 'Show' }).getByText('Open').click()
  await page.getByRole('button', { name: 'Open the referral for Rosa A.' }).click()
  const details = page.getByRole('dialog', { name: /Housing referral/ })
  await expect(details.getByTestId('referral-status')).toHaveText('Pending')
  await expect(details.getByRole('button', { name: 'Save' })).toHaveCount(0)
  const refused = await page.evaluate((id) => window.porchlight.referrals.update({ id, status: 'got_help' }), made.id)
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  expect((await host.core.records!.selectFrom('referrals').select('status').executeTakeFirstOrThrow()).status).toBe('pending')
})

test('a peer specialist records recovery capital (BARC-10) in a profile: every statement must be answered; two give a change and a chart', async ({ page, host }) => {
  const { person, api } = await peerCenter(host)
  await api.call('assessments.create', { participantId: person.id, takenOn: '2026-01-15', answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] })
  await signInAtDesk(page, host, PEER)
  await page.getByRole('combobox', { name: 'Find a person' }).fill('Rosa')
  await expect(page.getByRole('option', { name: /Rosa A\./ })).toBeVisible()
  await page.keyboard.press('Shift+Enter')
  const profile = page.getByRole('dialog', { name: 'Rosa Alvarez' })
  await profile.getByRole('tab', { name: 'Recovery capital' }).click()
  await expect(profile.getByTestId('assessment-table')).toContainText('30')

  await profile.getByRole('button', { name: 'New assessment' }).click()
  const form = page.getByRole('dialog', { name: 'Recovery capital: BARC-10' })
  await form.getByRole('button', { name: 'Save the assessment' }).click()
  await expect(form.getByText('Choose an answer from 1 to 6.')).toHaveCount(10)
  const statements = form.getByRole('radiogroup')
  for (let i = 0; i < 10; i++) await statements.nth(i).getByRole('radio', { name: i < 5 ? '5: Agree' : '4: Somewhat agree' }).check()
  await expect(form.getByRole('status')).toHaveText('Total so far: 45 (10 of 10 answered)')
  await form.getByRole('button', { name: 'Save the assessment' }).click()
  await expect(form).toBeHidden()
  const table = profile.getByTestId('assessment-table')
  await expect(table.getByRole('row').nth(2)).toContainText('45')
  await expect(table.getByRole('row').nth(2)).toContainText('+15')
  await expect(profile.getByRole('img', { name: 'Totals from 30 to 45 over 2 assessments.' })).toBeVisible()
  await page.screenshot({ path: 'test-results/recovery-capital.png' })
  const rows = await host.core.records!.selectFrom('assessments').select(['total', 'answers']).orderBy('id').execute()
  expect(rows.map((row) => row.total)).toEqual([30, 45])
  expect(JSON.parse(rows[1]!.answers)).toEqual([5, 5, 5, 5, 5, 4, 4, 4, 4, 4])
})

test('a second referral of one person to one agency within a week is asked about first, then made on purpose', async ({ page, host }) => {
  const { api, person } = await peerCenter(host)
  const agency = await api.call('agencies.save', { name: 'Harbor Treatment Center', types: ['treatment', 'detox'] })
  await api.call('referrals.create', { participantId: person.id, agencyId: agency.id, type: 'treatment' })
  const errors = watchConsole(page)
  await signInAtDesk(page, host, PEER)
  await page.keyboard.press('Alt+3')
  await page.getByRole('button', { name: 'New referral' }).click()
  const form = page.getByRole('dialog', { name: 'New referral' })
  await form.getByRole('combobox', { name: 'Person' }).fill('Rosa')
  await page.getByRole('option', { name: /Rosa A\./ }).click()
  await choose(page, form, 'Referral for', 'Detox')
  await choose(page, form, 'Agency', /Harbor Treatment Center/)
  await form.getByRole('button', { name: 'Make the referral' }).click()
  const asked = form.getByRole('alert').filter({ hasText: 'Referred there this week already' })
  await expect(asked).toContainText('This person was referred to Harbor Treatment Center on')
  await expect(asked).toContainText('(now: Pending)')
  await page.screenshot({ path: 'test-results/referral-recent.png' })
  expect((await api.call('referrals.list', { filter: { view: 'all' }, offset: 0, limit: 50 })).rows).toHaveLength(1)
  await asked.getByRole('button', { name: 'Make another referral' }).click()
  await expect(form).toBeHidden()
  expect((await api.call('referrals.list', { filter: { view: 'all' }, offset: 0, limit: 50 })).rows).toHaveLength(2)
  expect(errors).toEqual([])
})

test('the referral summary for the agency carries only what the consent names, with the §2.32 notice, and is recorded as a disclosure', async ({ page, host }) => {
  const { api, person } = await peerCenter(host)
  await api.call('participants.update', { id: person.id, phone: '555 010 7788', pronouns: 'she/her' })
  const agency = await api.call('agencies.save', { name: 'Harbor Treatment Center', types: ['treatment'], phone: '555-0100', contactName: 'Intake desk' })
  const consent = await api.call('consents.create', {
    participantId: person.id,
    agencyId: agency.id,
    purpose: 'Coordinate admission to outpatient treatment',
    information: ['contact', 'referral_status'],
    signedOn: '2026-11-25',
    expiresOn: '2027-05-25',
  })
  const referral = await api.call('referrals.create', { participantId: person.id, agencyId: agency.id, type: 'treatment', note: 'Prefers mornings', consentId: consent.id })
  const errors = watchConsole(page)
  await signInAtDesk(page, host, PEER)
  await page.keyboard.press('Alt+3')
  await page.getByRole('radiogroup', { name: 'Show' }).getByText('Open').click()
  await page.getByTestId('referral-table').getByRole('button', { name: 'Open the referral for Rosa A.' }).click()
  const details = page.getByRole('dialog', { name: /Treatment referral · Rosa A\./ })
  await expect(details.getByRole('button', { name: 'Print for the agency' })).toBeVisible()
  const found: Found[] = []
  await scan(page, 'referral dialog with the print button', found)
  expect(found, report(found)).toEqual([])
  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', 'yes')
  })
  await details.getByRole('button', { name: 'Print for the agency' }).click()
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes')
  await page.emulateMedia({ media: 'print' })
  const sheet = page.getByTestId('referral-summary-sheet')
  await expect(sheet).toContainText('Rosa Alvarez')
  await expect(sheet).toContainText('Harbor Treatment Center')
  await expect(sheet).toContainText('Notice against redisclosure (42 CFR §2.32)')
  await expect(sheet).toContainText('A general authorization for the release of medical or other information is NOT sufficient')
  await expect(sheet).toContainText('Prefers mornings')
  await expect(sheet).toContainText('555 010 7788')
  // "Attendance" is not on this consent: nothing about visits goes out.
  await expect(sheet).not.toContainText('Attendance at the center')
  await page.screenshot({ path: 'test-results/referral-summary.png', fullPage: true })
  const pdf = await page.pdf({ path: 'test-results/referral-summary.pdf', format: 'Letter' })
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  await page.emulateMedia({ media: 'screen' })
  const disclosed = await host.core.records!.selectFrom('audit_log').select(['target_id', 'detail']).where('action', '=', 'referral.disclose').execute()
  expect(disclosed).toHaveLength(1)
  expect(disclosed[0]!.target_id).toBe(person.id)
  expect(JSON.parse(disclosed[0]!.detail!)).toMatchObject({ referralId: referral.id, agencyName: 'Harbor Treatment Center' })
  expect(errors).toEqual([])
})

test('the consent form to sign: pre-filled in Spanish from the dialog, printed again from the profile, and never for a revoked consent', async ({ page, host }) => {
  const { api, person } = await peerCenter(host)
  const agency = await api.call('agencies.save', { name: 'Harbor Treatment Center', types: ['treatment'] })
  const housing = await api.call('agencies.save', { name: 'Open Door Housing', types: ['housing'] })
  const old = await api.call('consents.create', { participantId: person.id, agencyId: housing.id, purpose: 'Housing application', information: ['contact'], signedOn: '2026-11-25', expiresOn: '2027-11-25' })
  await api.call('consents.revoke', { id: old.id, note: null, confirm: true })
  const shared = await api.call('consents.create', { participantId: person.id, agencyId: agency.id, purpose: 'Coordinate treatment', information: ['contact', 'referral_status'], signedOn: '2026-11-25', expiresOn: '2027-05-25' })
  await api.call('referrals.create', { participantId: person.id, agencyId: agency.id, type: 'treatment', consentId: shared.id })
  const errors = watchConsole(page)
  await signInAtDesk(page, host, PEER)
  await page.keyboard.press('Alt+3')
  await page.getByRole('radiogroup', { name: 'Show' }).getByText('Open').click()
  await page.getByTestId('referral-table').getByRole('button', { name: 'Open the referral for Rosa A.' }).click()
  await page.getByRole('dialog', { name: /Treatment referral/ }).getByRole('button', { name: /Rosa A\./ }).click()
  const profile = page.getByRole('dialog', { name: 'Rosa Alvarez' })
  await profile.getByRole('tab', { name: 'Consents' }).click()
  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', String(Number(document.body.getAttribute('data-printed') ?? 0) + 1))
  })

  // A revoked consent: a clear message, nothing printed.
  await profile.getByRole('button', { name: 'Print form: consent for Open Door Housing' }).click()
  await expect(profile.getByRole('alert')).toContainText('This consent was revoked on')
  await expect(page.locator('body')).not.toHaveAttribute('data-printed', /.+/)
  const found: Found[] = []
  await scan(page, 'profile consents with a refused form', found)

  // The current one prints again, filled in.
  await profile.getByRole('button', { name: 'Print form: consent for Harbor Treatment Center' }).click()
  await expect(page.locator('body')).toHaveAttribute('data-printed', '1')
  const sheet = page.getByTestId('consent-form-sheet')
  await expect(sheet).toContainText('Rosa Alvarez')
  await expect(sheet).toContainText('Coordinate treatment')
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
  await expect(sheet).toHaveCount(0)

  // A new consent: the form printed first, in Spanish, from what is typed.
  await profile.getByRole('button', { name: 'Record a consent' }).click()
  const dialog = page.getByRole('dialog', { name: 'Record a signed consent' })
  await choose(page, dialog, 'Agency that may receive it', 'Open Door Housing')
  await dialog.getByRole('textbox', { name: 'Purpose' }).fill('Solicitud de vivienda')
  await choose(page, dialog, 'Form language', 'Español')
  await scan(page, 'consent dialog with the form to print', found)
  expect(found, report(found)).toEqual([])
  await dialog.getByRole('button', { name: 'Print the form to sign' }).click()
  await expect(page.locator('body')).toHaveAttribute('data-printed', '2')
  await page.emulateMedia({ media: 'print' })
  await expect(sheet).toContainText('Consentimiento para compartir información (42 CFR Parte 2)')
  await expect(sheet).toContainText('Open Door Housing')
  await expect(sheet).toContainText('Puedo retirar (revocar) este consentimiento en cualquier momento')
  await page.screenshot({ path: 'test-results/consent-form-es.png', fullPage: true })
  const pdf = await page.pdf({ path: 'test-results/consent-form-es.pdf', format: 'Letter' })
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  await page.emulateMedia({ media: 'screen' })
  expect(errors).toEqual([])
})

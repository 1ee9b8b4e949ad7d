import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { report, scan, scanned, type Found } from './axe'
import { ADMIN, expect, signInAtDesk, test, type HostApi } from './fixtures'

/**
 * axe-core over every screen and dialog, in English and (for the desk) Spanish. Fails on any
 * serious or critical violation of WCAG 2.1 A/AA. Each test collects everything it finds and
 * reports it at once, so one run shows all the work left. a11y-demo.spec.ts does the same on the
 * demo center's data, every role.
 */

// Each axe run takes a few seconds, many more on a machine shared with other work.
const SCANS_TIMEOUT = 400_000

test.afterAll(() => {
  mkdirSync('test-results', { recursive: true })
  writeFileSync(join('test-results', 'a11y-report.json'), `${JSON.stringify({ screens: scanned.length, scanned }, null, 2)}\n`)
  console.log(`a11y: ${scanned.length} screens and dialogs scanned with axe-core`)
})

test('first run: setup, recovery key, an empty front desk', async ({ page, host }) => {
  test.setTimeout(SCANS_TIMEOUT)
  const found: Found[] = []
  await page.goto(host.url)
  await expect(page.getByRole('heading', { name: 'Set up Porchlight' })).toBeVisible()
  await scan(page, 'setup', found)
  await page.getByRole('button', { name: 'Set up Porchlight' }).click()
  await scan(page, 'setup with field errors', found)
  await page.getByRole('textbox', { name: 'Center name' }).fill(ADMIN.centerName)
  await page.getByRole('textbox', { name: 'Your name' }).fill(ADMIN.adminName)
  await page.getByRole('textbox', { name: 'Username' }).fill(ADMIN.username)
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password)
  await page.getByRole('textbox', { name: 'Confirm password' }).fill(ADMIN.password)
  await page.getByRole('button', { name: 'Set up Porchlight' }).click()
  await expect(page.getByRole('heading', { name: 'Your recovery key' })).toBeVisible()
  await scan(page, 'recovery key', found)
  await page.getByRole('checkbox', { name: 'I have written down or printed the recovery key' }).check()
  await page.getByRole('button', { name: 'Continue to the front desk' }).click()
  await expect(page.getByRole('combobox', { name: 'Find a person' })).toBeVisible()
  await scan(page, 'front desk (empty)', found)
  expect(found, report(found)).toEqual([])

  // The scan itself can fail: an unlabeled button and an image without text are caught.
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<button id="probe-button"></button><img id="probe-img" src="data:,x">'))
  const probe: Found[] = []
  await scan(page, 'probe (not counted as a screen)', probe)
  scanned.pop()
  expect(probe.map((f) => f.rule).sort()).toEqual(['button-name', 'image-alt'])
})

/** Four people, two of them likely duplicates, three signed in today. */
async function seedDesk(api: HostApi): Promise<void> {
  const services = await api.call('catalog.services', {})
  const people = []
  for (const [firstName, lastName] of [['Delphine', 'Arceneaux'], ['Delphine', 'Arseneaux'], ['Luis', 'Ortega'], ['Keisha', 'Moore']] as const) {
    people.push(await api.call('participants.create', { firstName, lastName, birthYear: 1981 }))
  }
  for (const person of people.slice(1)) {
    await api.call('visits.signIn', { participantId: person.id, services: [{ serviceId: services[0]!.id, quantity: 1 }] })
  }
}

test('the desk: login, front desk, search, check-in, registration, today board and its dialogs', async ({ page, host, api }) => {
  test.setTimeout(SCANS_TIMEOUT)
  const found: Found[] = []
  await seedDesk(api)

  await page.goto(host.url)
  await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible()
  await scan(page, 'login', found)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await scan(page, 'login with field errors', found)
  await page.getByRole('textbox', { name: 'Username' }).fill(ADMIN.username)
  await page.getByRole('textbox', { name: 'Password' }).fill('not the password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toBeVisible()
  await scan(page, 'login refused', found)
  await signInAtDesk(page, host)
  await scan(page, 'front desk with today board', found)

  const search = page.getByRole('combobox', { name: 'Find a person' })
  await search.fill('delphine')
  await expect(page.getByRole('option', { name: /Delphine A\./ }).first()).toBeVisible()
  await scan(page, 'search results', found)
  await page.getByRole('option', { name: /Delphine A\./ }).first().click()
  await scan(page, 'check-in panel', found)
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Register new person' }).click()
  await expect(page.getByRole('region', { name: 'Register a new person' })).toBeVisible()
  await page.getByRole('region', { name: 'Register a new person' }).getByRole('button', { name: 'Register and continue' }).click()
  await scan(page, 'register form with errors', found)
  await page.getByRole('region', { name: 'Register a new person' }).getByRole('textbox', { name: 'First name' }).fill('Delphine')
  await page.getByRole('region', { name: 'Register a new person' }).getByRole('textbox', { name: 'Last name' }).fill('Arceneaux')
  await page.getByRole('region', { name: 'Register a new person' }).getByRole('textbox', { name: 'Birth year' }).fill('1981')
  await expect(page.getByRole('group', { name: /^Possible match/ }).first()).toBeVisible()
  await scan(page, 'register form with duplicate warning', found)
  await page.getByRole('region', { name: 'Register a new person' }).locator('button', { hasText: 'Cancel' }).click()

  const board = page.getByRole('table', { name: 'Everyone signed in today, newest first' })
  await board.getByRole('button', { name: 'More actions for Luis O.' }).click()
  await expect(page.getByRole('menuitem', { name: 'Edit visit…' })).toBeVisible()
  await scan(page, 'visit actions menu', found)
  await page.keyboard.press('Escape')
  await board.getByRole('button', { name: 'More actions for Luis O.' }).click()
  await page.getByRole('menuitem', { name: 'Edit visit…' }).click()
  await expect(page.getByRole('dialog', { name: 'Edit the visit of Luis O.' })).toBeVisible()
  await scan(page, 'edit visit dialog', found)
  await page.keyboard.press('Escape')
  // A closing dialog stays in the page, emptied, for its fade-out: wait it out so the next scan sees one dialog.
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await board.getByRole('button', { name: 'More actions for Keisha M.' }).click()
  await page.getByRole('menuitem', { name: 'Void visit…' }).click()
  await expect(page.getByRole('dialog', { name: 'Void this visit?' })).toBeVisible()
  await scan(page, 'void visit dialog', found)
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await page.getByRole('button', { name: 'End of day…' }).click()
  await expect(page.getByRole('dialog', { name: 'Sign out everyone still here?' })).toBeVisible()
  await scan(page, 'end of day dialog', found)
  await page.keyboard.press('Escape')
  expect(found, report(found)).toEqual([])
})

test('the desk: profile drawer, merge dialog, participant list, settings, Spanish', async ({ page, host, api }) => {
  test.setTimeout(SCANS_TIMEOUT)
  const found: Found[] = []
  await seedDesk(api)
  await signInAtDesk(page, host)
  const board = page.getByRole('table', { name: 'Everyone signed in today, newest first' })
  await board.getByRole('button', { name: 'Open the profile of Delphine A.' }).click()
  const profile = page.getByRole('dialog', { name: 'Delphine Arseneaux' })
  await expect(profile).toBeVisible()
  await scan(page, 'profile drawer: details', found)
  for (const tab of [/^Visits/, 'Services received', /^Merges/]) {
    await profile.getByRole('tab', { name: tab }).click()
    await scan(page, `profile drawer: ${String(tab)}`, found)
  }
  await profile.getByRole('button', { name: 'Merge duplicate…' }).click()
  const merge = page.getByRole('dialog', { name: /^Merge a duplicate of/ })
  await expect(merge).toBeVisible()
  await scan(page, 'merge dialog', found)
  await merge.getByRole('button', { name: /^Compare with/ }).first().click()
  await expect(merge.getByRole('table', { name: 'The two records side by side' })).toBeVisible()
  await scan(page, 'merge dialog: comparison', found)
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Participants' }).click()
  await expect(page.getByRole('grid', { name: 'Participants' })).toBeVisible()
  await scan(page, 'participant list', found)
  await page.getByRole('button', { name: 'Columns' }).click()
  await scan(page, 'participant list: columns menu', found)
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('table', { name: 'Services' })).toBeVisible()
  await scan(page, 'settings: services', found)
  await page.getByRole('button', { name: 'Add a service' }).click()
  await expect(page.getByRole('dialog', { name: 'Add a service' })).toBeVisible()
  await page.getByRole('dialog', { name: 'Add a service' }).getByRole('button', { name: 'Add service' }).click()
  await scan(page, 'settings: add service with errors', found)
  await page.keyboard.press('Escape')
  await page.getByRole('tab', { name: 'Registration fields' }).click()
  await expect(page.getByRole('table', { name: 'Registration fields' })).toBeVisible()
  await scan(page, 'settings: registration fields', found)

  // The desk in Spanish: the same screens, other words (lang must follow).
  await page.getByRole('button', { name: 'Front desk' }).click()
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await scan(page, 'front desk in Spanish', found)
  expect(found, report(found)).toEqual([])
})

test('kiosk: enter, welcome, find, one more question, not sure, services, done, staff exit', async ({ page, host, api }) => {
  test.setTimeout(SCANS_TIMEOUT)
  const found: Found[] = []
  await api.call('participants.create', { firstName: 'Marisol', lastName: 'Fuentes', birthYear: 1988, phone: '555 010 1111' })
  await api.call('participants.create', { firstName: 'Marisol', lastName: 'Figueroa', birthYear: 1988, phone: '555 010 2222' })
  await signInAtDesk(page, host)
  await page.getByRole('button', { name: 'Kiosk mode' }).click()
  await expect(page.getByRole('dialog', { name: 'Start kiosk mode?' })).toBeVisible()
  await scan(page, 'kiosk: start dialog', found)
  await page.getByRole('dialog', { name: 'Start kiosk mode?' }).getByRole('button', { name: 'Start kiosk mode' }).click()
  await expect(page.getByRole('heading', { name: 'Welcome!' })).toBeVisible()
  await scan(page, 'kiosk: welcome', found)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: "Let's find you" })).toBeVisible()
  await scan(page, 'kiosk: find by name', found)
  await page.getByRole('textbox', { name: 'Your first name' }).fill('marisol')
  const keypad = page.getByRole('group', { name: 'Number keypad' })
  for (const digit of '1988') await keypad.getByRole('button', { name: digit, exact: true }).click()
  await page.getByRole('button', { name: 'Find me' }).click()
  await expect(page.getByRole('heading', { name: 'One more thing, so we know it’s you' })).toBeVisible()
  await scan(page, 'kiosk: one more question', found)
  await page.getByRole('button', { name: 'Continue' }).click()
  await scan(page, 'kiosk: one more question with an error', found)
  for (const digit of '2222') await keypad.getByRole('button', { name: digit, exact: true }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('button', { name: 'Sign me in' })).toBeVisible()
  await scan(page, 'kiosk: services', found)
  await page.getByRole('checkbox').first().check()
  await page.getByRole('button', { name: 'Sign me in' }).click()
  await expect(page.getByRole('button', { name: 'Done' })).toBeVisible()
  await scan(page, 'kiosk: done', found)
  await page.getByRole('button', { name: 'Done' }).click()
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('textbox', { name: 'Your first name' }).fill('marisol')
  for (const digit of '1988') await keypad.getByRole('button', { name: digit, exact: true }).click()
  await page.getByRole('button', { name: 'Find me' }).click()
  for (const digit of '9999') await keypad.getByRole('button', { name: digit, exact: true }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'Please ask at the front desk' })).toBeVisible()
  await scan(page, 'kiosk: ask at the desk', found)
  await page.getByRole('button', { name: 'Start over' }).click()
  await page.getByRole('button', { name: 'Staff', exact: true }).click()
  await expect(page.getByRole('dialog', { name: 'Staff sign-in' })).toBeVisible()
  await scan(page, 'kiosk: staff exit', found)
  expect(found, report(found)).toEqual([])
})

test('admin and safety screens: staff, audit log, security, retention, backups, lock, change password', async ({ page, host, api }) => {
  test.setTimeout(SCANS_TIMEOUT)
  const found: Found[] = []
  await api.call('participants.create', { firstName: 'Ines', lastName: 'Okafor' })
  await signInAtDesk(page, host)

  await page.getByRole('button', { name: 'Staff', exact: true }).click()
  await expect(page.getByRole('table', { name: 'Staff accounts' })).toBeVisible()
  await scan(page, 'staff', found)
  await page.getByRole('button', { name: 'Add a staff member' }).click()
  const add = page.getByRole('dialog', { name: 'Add a staff member' })
  await add.getByRole('button', { name: 'Add staff member' }).click()
  await expect(add).toContainText('Enter the person’s name.')
  await scan(page, 'staff: add with field errors', found)
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Audit log', exact: true }).click()
  await expect(page.getByRole('table', { name: 'Audit log entries' })).toBeVisible()
  await scan(page, 'audit log', found)

  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByRole('tab', { name: 'Security' }).click()
  await scan(page, 'settings: security', found)
  await page.getByRole('tab', { name: 'Data retention' }).click()
  await page.getByRole('button', { name: 'Dry run: show what it would change' }).click()
  await expect(page.getByRole('table', { name: 'What applying the policy now would change' })).toBeVisible()
  await scan(page, 'settings: retention dry run', found)

  await page.getByRole('button', { name: 'Backups', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible()
  await scan(page, 'backups', found)

  await page.getByRole('button', { name: /^Signed in as/ }).click()
  await expect(page.getByRole('menu')).toBeVisible()
  await scan(page, 'account menu', found)
  await page.getByRole('menuitem', { name: 'Change password' }).click()
  await expect(page.getByRole('dialog', { name: 'Change your password' })).toBeVisible()
  await scan(page, 'change password', found)
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Lock' }).click()
  await expect(page.getByRole('dialog', { name: 'Locked' })).toBeVisible()
  await scan(page, 'lock screen', found)
  expect(found, report(found)).toEqual([])
})

test('referrals: work list, new referral, consent, details, agency directory, profile tabs, in English and Spanish', async ({ page, host, api }) => {
  test.setTimeout(SCANS_TIMEOUT)
  const found: Found[] = []
  const person = await api.call('participants.create', { firstName: 'Ines', lastName: 'Okafor' })
  const agency = await api.call('agencies.save', { name: 'Open Door Housing', types: ['housing'], phone: '555-0100' })
  const consent = await api.call('consents.create', {
    participantId: person.id,
    agencyId: agency.id,
    purpose: 'Coordinate a housing referral',
    information: ['contact'],
    signedOn: host.core.now().toISOString().slice(0, 10),
    expiresOn: `${host.core.now().getFullYear() + 1}-01-31`,
  })
  await api.call('referrals.create', { participantId: person.id, agencyId: agency.id, type: 'housing', consentId: consent.id, followUpOn: null })
  await signInAtDesk(page, host)

  await page.getByRole('button', { name: 'Referrals', exact: true }).click()
  await expect(page.getByText('No follow-ups are due today. Well done.')).toBeVisible()
  await scan(page, 'referrals: due (empty)', found)
  await page.getByRole('radiogroup', { name: 'Show' }).getByText('Open').click()
  await expect(page.getByTestId('referral-table')).toContainText('Ines O.')
  await scan(page, 'referrals: open', found)
  await page.getByRole('button', { name: 'Open the referral for Ines O.' }).click()
  await expect(page.getByRole('dialog', { name: /Housing referral/ })).toBeVisible()
  await scan(page, 'referral details with update form', found)
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: 'New referral' }).click()
  const form = page.getByRole('dialog', { name: 'New referral' })
  await form.getByRole('button', { name: 'Make the referral' }).click()
  await expect(form).toContainText('Choose the person.')
  await scan(page, 'new referral with field errors', found)
  await form.getByRole('button', { name: 'Cancel' }).click()
  await page.getByRole('tab', { name: 'Agency directory' }).click()
  await expect(page.getByTestId('agency-table')).toContainText('Open Door Housing')
  await scan(page, 'agency directory', found)
  await page.getByRole('button', { name: 'Open Door Housing' }).click()
  await expect(page.getByRole('dialog', { name: 'Edit the agency' })).toBeVisible()
  await scan(page, 'agency form', found)
  await page.getByRole('dialog', { name: 'Edit the agency' }).getByRole('button', { name: 'Cancel' }).click()

  await page.getByRole('button', { name: 'Participants', exact: true }).click()
  await page.getByRole('grid', { name: 'Participants' }).getByText('Okafor').dblclick()
  const profile = page.getByRole('dialog', { name: 'Ines Okafor' })
  await profile.getByRole('tab', { name: 'Consents' }).click()
  await expect(profile.getByTestId('consent-table')).toContainText('Open Door Housing')
  await scan(page, 'profile: consents', found)
  await profile.getByRole('button', { name: 'Record a consent' }).click()
  await expect(page.getByRole('dialog', { name: 'Record a signed consent' })).toBeVisible()
  await scan(page, 'consent form', found)
  await page.getByRole('dialog', { name: 'Record a signed consent' }).getByRole('button', { name: 'Cancel' }).click()
  await profile.getByRole('tab', { name: 'Referrals' }).click()
  await scan(page, 'profile: referrals', found)
  await profile.getByRole('tab', { name: 'Recovery capital' }).click()
  await profile.getByRole('button', { name: 'New assessment' }).click()
  const barc = page.getByRole('dialog', { name: 'Recovery capital: BARC-10' })
  await barc.getByRole('button', { name: 'Save the assessment' }).click()
  await expect(barc.getByText('Choose an answer from 1 to 6.').first()).toBeVisible()
  await scan(page, 'BARC-10 form with errors', found)
  await barc.getByRole('button', { name: 'Cancel' }).click()
  await scan(page, 'profile: recovery capital', found)
  await page.keyboard.press('Escape')

  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await page.getByRole('button', { name: 'Derivaciones', exact: true }).click()
  await page.getByRole('radiogroup', { name: 'Mostrar' }).getByText('Todas').click()
  await expect(page.getByTestId('referral-table')).toContainText('Vivienda')
  await scan(page, 'referrals in Spanish', found)
  expect(found, report(found)).toEqual([])
})

import type { PorchlightApi } from '../../electron/ipc/api'
import { ADMIN, expect, signInAtDesk, test, watchConsole } from './fixtures'

declare global {
  interface Window {
    /** The app's bridge, called here as a page script could: main must refuse what the role may not do. */
    readonly porchlight: PorchlightApi
  }
}

test('admin adds a front-desk account; it must change its password, sees no staff, audit or referrals screens, and main refuses those channels', async ({ desk: page, host }) => {
  // The admin adds Jo at the front desk, with a password to hand over.
  await page.getByRole('button', { name: 'Staff', exact: true }).click()
  const staffTable = page.getByRole('table', { name: 'Staff accounts' })
  await expect(staffTable.getByRole('row').filter({ hasText: 'Dana Reyes' })).toContainText('Admin')
  await page.getByRole('button', { name: 'Add a staff member' }).click()
  const add = page.getByRole('dialog', { name: 'Add a staff member' })
  await add.getByRole('button', { name: 'Add staff member' }).click()
  await expect(add).toContainText('Enter the person’s name.')
  await add.getByRole('textbox', { name: 'Name', exact: true }).fill('Jo Front')
  await add.getByRole('textbox', { name: 'Username' }).fill('jofront')
  await add.getByRole('combobox', { name: 'Role' }).click()
  await page.getByRole('option', { name: 'Front desk' }).click()
  await add.getByRole('textbox', { name: 'Password to hand over' }).fill('handed over 123')
  await add.getByRole('button', { name: 'Add staff member' }).click()
  await expect(add).toBeHidden()
  const joRow = staffTable.getByRole('row').filter({ hasText: 'Jo Front' })
  await expect(joRow).toContainText('Front desk')
  await expect(joRow).toContainText('Must change password')
  await page.screenshot({ path: 'test-results/staff-screen.png', fullPage: true })

  // The audit log shows it, newest first; a filter narrows it.
  await page.getByRole('button', { name: 'Audit log' }).click()
  const log = page.getByRole('table', { name: 'Audit log entries' })
  await expect(log.getByRole('row').nth(1)).toContainText('Added a staff account')
  await page.getByRole('combobox', { name: 'Action' }).click()
  await page.getByRole('option', { name: 'Signed in to Porchlight' }).click()
  await expect(log.getByRole('row').nth(1)).toContainText('Signed in to Porchlight')
  await expect(log.getByRole('row').filter({ hasText: 'Added a staff account' })).toHaveCount(0)
  await page.screenshot({ path: 'test-results/audit-viewer.png', fullPage: true })

  // Jo signs in: first a password of Jo's own.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await page.getByRole('textbox', { name: 'Username' }).fill('jofront')
  await page.getByRole('textbox', { name: 'Password' }).fill('handed over 123')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Choose your own password' })).toBeVisible()
  await page.screenshot({ path: 'test-results/forced-password-change.png' })
  // Until then, main answers nothing else.
  const early = await page.evaluate(() => window.porchlight.visits.today({}))
  expect(early).toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } })
  await page.getByRole('textbox', { name: 'Current password' }).fill('handed over 123')
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('jo has a secret 9')
  await page.getByRole('textbox', { name: 'Confirm new password' }).fill('jo has a secret 9')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByRole('combobox', { name: 'Find a person' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Signed in as Jo Front, Front desk' })).toBeVisible()

  // No staff, audit, settings or full list screens for the front desk...
  const nav = page.getByRole('navigation', { name: 'Main navigation' })
  await expect(nav.getByRole('button', { name: 'Front desk' })).toBeVisible()
  for (const screen of ['Staff', 'Audit log', 'Settings', 'Participants', 'Referrals']) await expect(nav.getByRole('button', { name: screen })).toHaveCount(0)
  // Alt+3 would be the third screen for a role that has one; the front desk has only its own.
  await page.keyboard.press('Alt+3')
  await expect(page.getByRole('heading', { name: 'Referrals' })).toHaveCount(0)
  // ...and calling those channels straight from the page is refused by main.
  const refused = await page.evaluate(async () => [
    await window.porchlight.staff.list({}),
    await window.porchlight.audit.list({ offset: 0, limit: 10, filter: {} }),
    await window.porchlight.staff.create({ username: 'mallory', displayName: 'Mallory', role: 'admin', password: 'let me in please' }),
    await window.porchlight.participants.list({ offset: 0, limit: 10 }),
    await window.porchlight.referrals.list({ offset: 0, limit: 10, filter: { view: 'all' } }),
    await window.porchlight.referrals.create({ participantId: 1, agencyId: 1, type: 'treatment' }),
    await window.porchlight.consents.list({ participantId: 1 }),
    await window.porchlight.agencies.list({}),
  ])
  for (const envelope of refused) expect(envelope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  // What the front desk does need still answers.
  expect(await page.evaluate(() => window.porchlight.visits.today({}))).toMatchObject({ ok: true })
  // The same desk in Spanish, as Jo sees it.
  await page.getByText('ES', { exact: true }).click()
  await expect(page.getByRole('button', { name: 'Bloquear' })).toBeVisible()
  await page.screenshot({ path: 'test-results/front-desk-role-es.png' })
  // Nothing was created by the refused call.
  const usernames = (await host.core.database!.db.selectFrom('staff').select('username').execute()).map((row) => row.username)
  expect(usernames.sort()).toEqual(['dana', 'jofront'])
  expect(await host.core.database!.db.selectFrom('referrals').select('id').execute()).toEqual([])
})

test('the idle lock covers the screen, keeps a half-typed form, and unlocks with the password', async ({ page, host, api }) => {
  const consoleErrors = watchConsole(page)
  await api.call('settings.setSecurity', { idleLockSeconds: 4 })
  await signInAtDesk(page, host)

  // Half-way through registering someone.
  await page.getByRole('combobox', { name: 'Find a person' }).fill('Rosalind')
  await page.getByRole('button', { name: 'Register new person' }).click()
  const form = page.getByRole('region', { name: 'Register a new person' })
  await form.getByRole('textbox', { name: 'Last name' }).fill('Okaf')

  // Four seconds without input: the lock comes up over the app.
  const lock = page.getByRole('dialog', { name: 'Locked' })
  await expect(lock).toBeVisible({ timeout: 10_000 })
  await expect(lock).toContainText('Dana Reyes, type your password')
  await page.screenshot({ path: 'test-results/idle-lock.png' })
  // The lock is main's too: the page's own calls are refused while it shows.
  expect(await page.evaluate(() => window.porchlight.participants.search({ text: 'Ros' }))).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } })
  // The form beneath cannot be reached.
  await expect(form.getByRole('textbox', { name: 'Last name' })).not.toBeFocused()

  // A wrong password is refused; the right one unlocks. (A longer idle time now, so the check below is not raced.)
  await lock.getByRole('textbox', { name: 'Password' }).fill('not my password')
  await lock.getByRole('button', { name: 'Unlock' }).click()
  await expect(lock.getByRole('alert')).toBeVisible()
  // The arranging side session idled too: it unlocks the same way.
  await api.call('session.unlock', { password: ADMIN.password })
  await api.call('settings.setSecurity', { idleLockSeconds: 600 })
  await lock.getByRole('textbox', { name: 'Password' }).fill('correct horse battery')
  await lock.getByRole('button', { name: 'Unlock' }).click()
  await expect(lock).toBeHidden()

  // Everything typed before the lock is still there.
  await expect(form.getByRole('textbox', { name: 'First name' })).toHaveValue('Rosalind')
  await expect(form.getByRole('textbox', { name: 'Last name' })).toHaveValue('Okaf')
  expect(await page.evaluate(() => window.porchlight.participants.search({ text: 'Ros' }))).toMatchObject({ ok: true })
  expect(consoleErrors).toEqual([])
})

test('on a locked screen someone else may sign in instead, which signs the first person out', async ({ desk: page, api }) => {
  await api.call('staff.create', { username: 'lee', displayName: 'Lee Peer', role: 'peer_specialist', password: 'lee password 42' })
  await page.getByRole('button', { name: 'Lock' }).click()
  const lock = page.getByRole('dialog', { name: 'Locked' })
  await lock.getByRole('button', { name: 'Not Dana Reyes? Sign in as someone else' }).click()
  await lock.getByRole('textbox', { name: 'Username' }).fill('lee')
  await lock.getByRole('textbox', { name: 'Password' }).fill('lee password 42')
  await lock.getByRole('button', { name: 'Sign in' }).click()
  // Lee's first password was set by an admin: Lee chooses one, then works as Lee.
  await expect(page.getByRole('heading', { name: 'Choose your own password' })).toBeVisible()
  const logouts = await api.call('audit.list', { offset: 0, limit: 5, filter: { action: 'auth.logout' } })
  expect(logouts.rows[0]).toMatchObject({ staffName: 'Dana Reyes', detail: { reason: 'replaced' } })
})

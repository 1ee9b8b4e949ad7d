import type { Locator, Page } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { expect, setUpCenter, signIn, signInAtDesk, test, watchConsole } from './fixtures'

const PEER = { username: 'sam', password: 'peer specialist 1' }
const DESK = { username: 'fran', password: 'front desk person 1' }

async function choose(page: Page, scope: Locator, label: string, option: string | RegExp) {
  await scope.getByRole('combobox', { name: label }).click()
  await page.getByRole('option', { name: option }).click()
}

async function openProfile(page: Page) {
  await page.getByRole('combobox', { name: /Find a person|Buscar a una persona/ }).fill('Rosa')
  await expect(page.getByRole('option', { name: /Rosa A\./ })).toBeVisible()
  await page.keyboard.press('Shift+Enter')
  return page.getByRole('dialog', { name: 'Rosa Alvarez' })
}

// The test host's day is Wednesday 25 November 2026 (TEST_START).
test('a peer specialist starts coaching, schedules weekly meetings, logs two contacts, builds a plan, and sees the person on their caseload; the desk sees only the coach’s name', async ({ page, host }) => {
  // Long on purpose: the whole acceptance path, with axe over each dialog in two languages.
  test.setTimeout(300_000)
  const api = await setUpCenter(host)
  for (const [who, name, role] of [
    [PEER, 'Sam Peer', 'peer_specialist'],
    [DESK, 'Fran Desk', 'front_desk'],
  ] as const) {
    await api.call('staff.create', { username: who.username, displayName: name, role, password: who.password })
    await host.core.database!.db.updateTable('staff').set({ must_change_password: 0 }).where('username', '=', who.username).execute()
  }
  await api.call('participants.create', { firstName: 'Rosa', lastName: 'Alvarez', birthYear: 1979 })
  const errors = watchConsole(page)
  const found: Found[] = []
  await signInAtDesk(page, host, PEER)

  const profile = await openProfile(page)
  await profile.getByRole('tab', { name: 'Coaching' }).click()
  await expect(profile.getByText('No coach yet.')).toBeVisible()
  await profile.getByRole('button', { name: 'Start coaching' }).click()
  const start = page.getByRole('dialog', { name: 'Start coaching' })
  await expect(start.getByRole('combobox', { name: 'Coach' })).toHaveValue('Sam Peer')
  await start.getByRole('button', { name: 'Start coaching' }).click()
  await expect(start).toContainText('Choose the stage of recovery.')
  await choose(page, start, 'Stage of recovery', 'After treatment')
  await start.getByRole('checkbox', { name: 'SMART Recovery' }).check()
  await start.getByLabel('Started on').fill('2026-11-02')
  await scan(page, 'coaching: start dialog', found)
  await start.getByRole('button', { name: 'Start coaching' }).click()
  await expect(start).toBeHidden()
  const card = profile.getByTestId('engagement-card')
  await expect(card).toContainText('Sam Peer')
  await expect(card).toContainText('Nov 2, 2026 to Jan 31, 2027')

  // Weekly meetings on Wednesdays until the end of the year.
  await card.getByRole('button', { name: 'Schedule meetings' }).click()
  const schedule = page.getByRole('dialog', { name: 'Schedule meetings' })
  await schedule.getByLabel('First meeting').fill('2026-11-18')
  await choose(page, schedule, 'Repeats', 'Every week')
  await schedule.getByLabel('Last day').fill('2026-12-30')
  await scan(page, 'coaching: schedule dialog', found)
  await schedule.getByRole('button', { name: 'Schedule', exact: true }).click()
  await expect(schedule).toBeHidden()
  await expect(profile.getByTestId('meeting-table').getByRole('row')).toHaveCount(8)

  // A phone call last Friday, then today's meeting in person.
  await card.getByRole('button', { name: 'Log a contact' }).click()
  let contact = page.getByRole('dialog', { name: 'Log a contact' })
  await contact.getByLabel('Date').fill('2026-11-20')
  await contact.getByRole('textbox', { name: 'Minutes' }).fill('20')
  await contact.getByRole('checkbox', { name: 'Housing' }).check()
  await contact.getByRole('textbox', { name: 'Note' }).fill('Looking at rooms near the bus line')
  await scan(page, 'coaching: contact dialog', found)
  await contact.getByRole('button', { name: 'Save the contact' }).click()
  await expect(contact).toBeHidden()
  await card.getByRole('button', { name: 'Log a contact' }).click()
  contact = page.getByRole('dialog', { name: 'Log a contact' })
  await choose(page, contact, 'Kind', 'In person')
  await choose(page, contact, 'For the scheduled meeting', /Nov 25, 2026/)
  await contact.getByRole('textbox', { name: 'Minutes' }).fill('45')
  await contact.getByRole('textbox', { name: 'Next steps' }).fill('Call the housing office Monday')
  await contact.getByRole('button', { name: 'Save the contact' }).click()
  await expect(contact).toBeHidden()
  const contacts = profile.getByTestId('contact-table')
  await expect(contacts.getByRole('row')).toHaveCount(3)
  await expect(contacts.getByRole('row').nth(1)).toContainText('In person')
  await expect(contacts.getByRole('row').nth(2)).toContainText('Phone')
  await expect(profile.getByTestId('meeting-table')).toContainText('Held')

  // A goal with two steps; one done. The "Contact saved." notice closes first: axe would otherwise
  // measure its text through the dialog's overlay, mid-fade.
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 15_000 })
  await profile.getByRole('button', { name: 'Add a goal' }).click()
  const goal = page.getByRole('dialog', { name: 'Add a goal' })
  await choose(page, goal, 'Life area', 'Housing')
  await goal.getByRole('textbox', { name: 'Goal' }).fill('A room of my own')
  await scan(page, 'coaching: goal dialog', found)
  await goal.getByRole('button', { name: 'Add the goal' }).click()
  await expect(goal).toBeHidden()
  for (const [text, date] of [
    ['Call the housing office', '2026-11-30'],
    ['Visit two rooms', '2026-12-10'],
  ]) {
    await profile.getByRole('button', { name: 'Add a step to “A room of my own”' }).click()
    const step = page.getByRole('dialog', { name: 'A step toward “A room of my own”' })
    await step.getByRole('textbox', { name: 'Step' }).fill(text!)
    await step.getByLabel('Target date').fill(date!)
    if (text === 'Visit two rooms') await scan(page, 'coaching: step dialog', found)
    await step.getByRole('button', { name: 'Add the step' }).click()
    await expect(step).toBeHidden()
  }
  await profile.getByRole('checkbox', { name: 'Call the housing office (by Nov 30, 2026)' }).click()
  await expect(profile.getByRole('checkbox', { name: 'Call the housing office (by Nov 30, 2026)' })).toBeChecked()
  await expect(profile.getByTestId('plan-goal')).toContainText('In progress')
  await page.screenshot({ path: '/tmp/coaching-profile.png', fullPage: true })
  await scan(page, 'coaching: profile section', found)

  // The caseload: Rosa, last in touch today.
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: 'Caseload' }).click()
  await expect(page.getByRole('heading', { name: 'My caseload', level: 1 })).toBeVisible()
  const row = page.getByTestId('caseload-table').getByRole('row', { name: /Rosa Alvarez/ })
  await expect(row).toContainText('Nov 25, 2026')
  await expect(row).toContainText('0 days')
  await expect(row).toContainText('Dec 2, 2026 10:00 · In person')
  await page.screenshot({ path: '/tmp/coaching-caseload.png' })
  await scan(page, 'coaching: caseload', found)

  // The same in Spanish.
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await expect(page.getByRole('heading', { name: 'Mis personas acompañadas', level: 1 })).toBeVisible()
  await page.screenshot({ path: '/tmp/coaching-caseload-es.png' })
  await scan(page, 'coaching: caseload (ES)', found)
  await page.getByRole('button', { name: 'Rosa Alvarez' }).click()
  await page.getByRole('dialog', { name: 'Rosa Alvarez' }).getByRole('tab', { name: 'Coaching' }).click()
  await expect(page.getByTestId('engagement-card')).toContainText('Después del tratamiento')
  await scan(page, 'coaching: profile section (ES)', found)
  await page.getByRole('button', { name: 'Registrar un contacto' }).click()
  await scan(page, 'coaching: contact dialog (ES)', found)
  await page.screenshot({ path: '/tmp/coaching-contact-es.png' })
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()
  expect(found, report(found)).toEqual([])
  expect(errors).toEqual([])

  // The front desk: the coach's name to call them over, and nothing more.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await signIn(page, host, DESK)
  const deskProfile = await openProfile(page)
  await expect(deskProfile.getByTestId('profile-coach')).toHaveText('Coach: Sam Peer')
  await expect(deskProfile.getByRole('tab', { name: 'Coaching' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Caseload' })).toHaveCount(0)
  await page.screenshot({ path: '/tmp/coaching-desk.png' })
})

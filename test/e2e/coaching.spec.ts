import type { Page } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { choose, expect, setUpCenter, signIn, signInAtDesk, test, watchConsole } from './fixtures'

const PEER = { username: 'sam', password: 'peer specialist 1' }
const DESK = { username: 'fran', password: 'front desk person 1' }

async function openProfile(page: Page, first = 'Rosa', last = 'Alvarez') {
  await page.getByRole('combobox', { name: /Find a person|Buscar a una persona/ }).fill(first)
  await expect(page.getByRole('option', { name: new RegExp(`${first} ${last[0]}\\.`) })).toBeVisible()
  const profile = page.getByRole('dialog', { name: `${first} ${last}` })
  // Shift+Enter acts only on the answer to the latest keystroke: pressed a moment early, it does nothing.
  await expect(async () => {
    if (!(await profile.isVisible())) await page.keyboard.press('Shift+Enter')
    await expect(profile).toBeVisible({ timeout: 2_000 })
  }).toPass({ timeout: 15_000 })
  return profile
}

/** Waits for save notices to close: axe would otherwise measure their text mid-fade through a dialog's overlay. */
async function noticesGone(page: Page) {
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 15_000 })
}

// A screen that does not show what the walk expects should fail in seconds, not at the test's end.
test.use({ actionTimeout: 15_000 })

// The test host's day is Wednesday 25 November 2026 (TEST_START).
test('a peer specialist starts coaching, schedules weekly meetings, logs two contacts, builds a plan, and sees the person on their caseload; the desk sees only the coach’s name', async ({ page, host }) => {
  // Long on purpose: the whole acceptance path, with axe over each dialog in two languages.
  test.setTimeout(480_000)
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

test('a coach records a missed meeting, renews, pauses and transfers an engagement with its history kept; logs an anonymous warmline call and links it; a manager edits the topic list', async ({ page, host }) => {
  test.setTimeout(480_000)
  const api = await setUpCenter(host)
  const ids: Record<string, number> = {}
  for (const [who, name, role] of [
    [PEER, 'Sam Peer', 'peer_specialist'],
    [{ username: 'lee', password: 'peer specialist 2' }, 'Lee Peer', 'peer_specialist'],
    [{ username: 'max', password: 'manager person 1' }, 'Max Manager', 'manager'],
  ] as const) {
    ids[who.username] = (await api.call('staff.create', { username: who.username, displayName: name, role, password: who.password })).id
    await host.core.database!.db.updateTable('staff').set({ must_change_password: 0 }).where('username', '=', who.username).execute()
  }
  const rosa = await api.call('participants.create', { firstName: 'Rosa', lastName: 'Alvarez', birthYear: 1979 })
  await api.call('participants.create', { firstName: 'Marco', lastName: 'Diaz', birthYear: 1990 })
  const [goal] = await api.call('coaching.saveGoal', { participantId: rosa.id, area: 'housing', title: 'A room of my own', setOn: '2026-11-02' })
  await api.call('coaching.saveStep', { goalId: goal!.id, text: 'Call the housing office', targetOn: '2026-11-30' })
  const engagement = await api.call('coaching.start', { participantId: rosa.id, coachId: ids.sam!, startedOn: '2026-11-02', stage: 'outpatient', pathways: ['twelve_step'] })
  await api.call('coaching.logContact', { participantId: rosa.id, contactOn: '2026-11-20', minutes: 40, kind: 'in_person', topics: [] })
  await api.call('coaching.schedule', { engagementId: engagement.id, date: '2026-11-11', time: '10:00', kind: 'in_person', repeat: { intervalWeeks: 1, until: '2026-12-30' } })
  const errors = watchConsole(page)
  const found: Found[] = []
  await signInAtDesk(page, host, PEER)

  const profile = await openProfile(page)
  await profile.getByRole('tab', { name: 'Coaching' }).click()
  const card = profile.getByTestId('engagement-card')
  await expect(card).toContainText('Nov 2, 2026 to Jan 31, 2027')

  // Last Wednesday's meeting: Rosa did not come.
  await profile.getByRole('button', { name: 'Did not happen: meeting on Nov 18, 2026 at 10:00' }).click()
  const outcome = page.getByRole('dialog', { name: 'Meeting on Nov 18, 2026 at 10:00' })
  await outcome.getByRole('radio', { name: 'Missed: the person did not come' }).check()
  // Leaving is not worded "Cancel" beside the choice "Cancelled".
  await expect(outcome.getByRole('button', { name: 'Record nothing' })).toBeVisible()
  await expect(outcome.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0)
  await outcome.getByRole('button', { name: 'Record it' }).click()
  await expect(outcome).toContainText('Write the reason')
  await outcome.getByRole('textbox', { name: 'Reason' }).fill('Had a job interview')
  await scan(page, 'coaching: meeting outcome dialog', found)
  await outcome.getByRole('button', { name: 'Record it' }).click()
  await expect(outcome).toBeHidden()
  await expect(profile.getByTestId('meeting-table').getByRole('row', { name: /Nov 18, 2026/ })).toContainText('Missed: Had a job interview')

  // A BARC-10 at last Friday's contact (logged beforehand): the contact shows its total, the plan the latest.
  await profile.getByRole('button', { name: 'Take a BARC-10 at the contact of Nov 20, 2026' }).click()
  const barc = page.getByRole('dialog', { name: 'BARC-10 at the contact of Nov 20, 2026' })
  await expect(barc.locator('input[type="date"]')).toHaveValue('2026-11-20')
  for (let item = 0; item < 10; item++) await barc.getByRole('radiogroup').nth(item).getByRole('radio').nth(3).check()
  await scan(page, 'coaching: BARC-10 at a contact', found)
  await barc.getByRole('button', { name: 'Save the assessment' }).click()
  await expect(barc).toBeHidden()
  await expect(profile.getByTestId('contact-table').getByRole('row', { name: /Nov 20, 2026/ })).toContainText('40')
  await expect(profile.getByTestId('plan-barc')).toContainText('40')

  // Another 30 days.
  await noticesGone(page)
  await noticesGone(page)
  await card.getByRole('button', { name: 'Renew' }).click()
  const renew = page.getByRole('dialog', { name: 'Renew coaching' })
  await renew.getByRole('textbox', { name: 'Days to add' }).fill('30')
  await scan(page, 'coaching: renew dialog', found)
  await renew.getByRole('button', { name: 'Renew' }).click()
  await expect(renew).toBeHidden()
  await expect(card).toContainText('Nov 2, 2026 to Mar 2, 2027')

  // A pause, with the reason on the card.
  await noticesGone(page)
  await card.getByRole('button', { name: 'Pause, resume or end' }).click()
  const status = page.getByRole('dialog', { name: 'Pause, resume or end coaching' })
  await status.getByRole('radio', { name: 'Pause' }).check()
  await status.getByRole('textbox', { name: 'Reason' }).fill('Away visiting family')
  await scan(page, 'coaching: status dialog', found)
  await status.getByRole('button', { name: 'Save the change' }).click()
  await expect(status).toBeHidden()
  await expect(card).toContainText('Paused: Away visiting family')

  // Handed on to Lee: the history says who, when and why.
  await noticesGone(page)
  await card.getByRole('button', { name: 'Transfer' }).click()
  const transfer = page.getByRole('dialog', { name: 'Transfer to another coach' })
  await choose(page, transfer, 'New coach', 'Lee Peer')
  await transfer.getByRole('textbox', { name: 'Reason' }).fill('Sam moves to evenings')
  await scan(page, 'coaching: transfer dialog', found)
  await transfer.getByRole('button', { name: 'Transfer' }).click()
  await expect(transfer).toBeHidden()
  await expect(card).toContainText('Lee Peer')
  const history = profile.getByTestId('engagement-history')
  await expect(history.getByRole('row')).toHaveCount(5)
  await expect(history.getByRole('row').nth(1)).toContainText('Transferred from Sam Peer to Lee Peer: Sam moves to evenings')
  await expect(history).toContainText('Active → Paused: Away visiting family')
  await expect(history).toContainText('Renewed to Mar 2, 2027')
  await expect(history).toContainText('Coaching started')
  await noticesGone(page)
  await page.screenshot({ path: '/tmp/coaching-manage.png', fullPage: true })
  await scan(page, 'coaching: profile with history', found)

  // The plan on paper, in Spanish for Rosa to take home, printed from an English screen.
  await profile.getByRole('button', { name: 'Print the plan' }).click()
  const print = page.getByRole('dialog', { name: 'Print the recovery plan' })
  await print.getByRole('radio', { name: 'Español (Spanish)' }).check()
  await scan(page, 'coaching: print dialog', found)
  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', 'yes')
  })
  await print.getByRole('button', { name: 'Print', exact: true }).click()
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes')
  await page.emulateMedia({ media: 'print' })
  const printed = page.getByTestId('printed-plan')
  await expect(printed).toContainText('Harbor Light Recovery Center')
  await expect(printed).toContainText('Plan de recuperación de Rosa A.')
  await expect(printed).toContainText('Acompañante: Lee Peer')
  await expect(printed).toContainText('Vivienda: A room of my own')
  await expect(printed).toContainText('☐ Call the housing office')
  await expect(printed).not.toContainText('Alvarez')
  await page.screenshot({ path: '/tmp/coaching-plan-print.png', fullPage: true })
  await page.emulateMedia({ media: 'screen' })
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
  await expect(printed).toHaveCount(0)
  const audited = await host.core.database!.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'plan.print').execute()
  expect(audited.map((row) => JSON.parse(row.detail ?? '{}') as unknown)).toEqual([{ language: 'es', goals: 1 }])

  // A call from someone the center does not know yet, then linked once he is found.
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: 'Caseload' }).click()
  await expect(page.getByText('No anonymous calls waiting.')).toBeVisible()
  await page.getByRole('button', { name: 'Log a warmline call' }).click()
  const call = page.getByRole('dialog', { name: 'Log a warmline call' })
  await expect(call.getByRole('textbox', { name: 'Caller' })).toBeFocused()
  await page.keyboard.type('Marco')
  await call.getByRole('textbox', { name: 'Minutes' }).fill('25')
  await call.getByRole('checkbox', { name: 'Recovery meetings' }).check()
  await call.getByRole('textbox', { name: 'Note' }).fill('Asked where evening meetings are')
  await scan(page, 'coaching: warmline call dialog', found)
  await call.getByRole('button', { name: 'Save the contact' }).click()
  await expect(call).toBeHidden()
  const warm = page.getByTestId('warmline-table')
  await expect(warm.getByRole('row')).toHaveCount(2)
  await expect(warm).toContainText('Asked where evening meetings are')
  await noticesGone(page)
  await page.screenshot({ path: '/tmp/coaching-warmline.png', fullPage: true })
  await scan(page, 'coaching: caseload with warmline calls', found)
  await warm.getByRole('button', { name: 'Link to a person: call from Marco on Nov 25, 2026' }).click()
  const link = page.getByRole('dialog', { name: 'Link the call to a person' })
  await link.getByRole('button', { name: 'Link the call' }).click()
  await expect(link).toContainText('Choose the person.')
  await link.getByRole('radio', { name: /Marco D\. · born 1990/ }).check()
  await scan(page, 'coaching: link dialog', found)
  await link.getByRole('button', { name: 'Link the call' }).click()
  await expect(link).toBeHidden()
  await expect(page.getByText('No anonymous calls waiting.')).toBeVisible()
  await page.getByRole('button', { name: 'Front desk' }).click()
  const marco = await openProfile(page, 'Marco', 'Diaz')
  await marco.getByRole('tab', { name: 'Coaching' }).click()
  await expect(marco.getByTestId('contact-table')).toContainText('Warmline call')
  await page.keyboard.press('Escape')

  // The same dialogs in Spanish.
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  const perfil = await openProfile(page)
  await perfil.getByRole('tab', { name: 'Coaching' }).click()
  await expect(perfil.getByTestId('engagement-history')).toContainText('Transferido de Sam Peer a Lee Peer')
  await perfil.getByRole('button', { name: 'Pausar, reanudar o terminar' }).click()
  await scan(page, 'coaching: status dialog (ES)', found)
  await page.screenshot({ path: '/tmp/coaching-status-es.png' })
  await page.getByRole('dialog', { name: 'Pausar, reanudar o terminar el acompañamiento' }).getByRole('button', { name: 'Cancelar' }).click()
  await perfil.getByRole('button', { name: /^No se hizo: reunión del 2 dic/ }).click()
  await scan(page, 'coaching: meeting outcome dialog (ES)', found)
  // In Spanish too, leaving is not "Cancelar" beside the choice "Cancelada".
  await expect(page.getByRole('dialog', { name: /^Reunión del 2 dic/ }).getByRole('button', { name: 'Cancelar', exact: true })).toHaveCount(0)
  await page.screenshot({ path: '/tmp/coaching-meeting-outcome-es.png' })
  await page.getByRole('dialog', { name: /^Reunión del 2 dic/ }).getByRole('button', { name: 'No registrar nada' }).click()
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: 'Acompañados' }).click()
  await page.getByRole('button', { name: 'Registrar una llamada a la línea de apoyo' }).click()
  await scan(page, 'coaching: warmline call dialog (ES)', found)
  await page.getByRole('dialog', { name: 'Registrar una llamada a la línea de apoyo' }).getByRole('button', { name: 'Cancelar' }).click()
  await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()

  // A manager keeps the center's topic list.
  await signIn(page, host, { username: 'max', password: 'manager person 1' })
  await page.getByRole('button', { name: 'Caseload' }).click()
  await page.getByRole('button', { name: 'Coaching settings' }).click()
  const settings = page.getByRole('dialog', { name: 'Coaching settings' })
  await settings.getByRole('button', { name: 'Remove “Legal”' }).click()
  await settings.getByRole('textbox', { name: 'New topic' }).fill('Peer support groups')
  await page.keyboard.press('Enter')
  await settings.getByRole('textbox', { name: 'New topic' }).fill('housing')
  await page.keyboard.press('Enter')
  await expect(settings).toContainText('“housing” is already on the list.')
  await settings.getByRole('textbox', { name: 'New topic' }).fill('')
  await settings.getByRole('button', { name: 'Move “Peer support groups” up' }).click()
  await scan(page, 'coaching: settings dialog', found)
  await page.screenshot({ path: '/tmp/coaching-settings.png' })
  await settings.getByRole('button', { name: 'Save the settings' }).click()
  await expect(settings).toBeHidden()
  const saved = await api.call('coaching.settings', {})
  expect(saved.topics).not.toContain('Legal')
  expect(saved.topics.at(-2)).toBe('Peer support groups')
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await page.getByRole('button', { name: 'Ajustes del acompañamiento' }).click()
  await scan(page, 'coaching: settings dialog (ES)', found)
  await page.getByRole('dialog', { name: 'Ajustes del acompañamiento' }).getByRole('button', { name: 'Cancelar' }).click()
  await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()
  expect(found, report(found)).toEqual([])
  expect(errors).toEqual([])
})

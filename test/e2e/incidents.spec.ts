import type { Page } from '@playwright/test'
import { startHost, type RunningHost } from '../host/server'
import { report, scan, type Found } from './axe'
import { expect, hostApi, pageClock, setUpCenter, signIn, test, type HostApi } from './fixtures'

const DESK = { username: 'jofront', password: 'jo has a secret 9' }
const MANAGER = { username: 'mamanager', password: 'mo has a secret 9' }
const FACILITATOR = { username: 'fafacil', password: 'fay has a secret 9' }

/** A staff account ready to sign in (its first password already changed, as on a real first day). */
async function addStaff(host: RunningHost, api: HostApi, who: { username: string; password: string }, displayName: string, role: 'front_desk' | 'manager' | 'facilitator') {
  const made = await api.call('staff.create', { username: who.username, displayName, role, password: 'handed over 123' })
  const them = hostApi(host)
  await them.call('auth.login', { username: who.username, password: 'handed over 123' })
  await them.call('auth.changePassword', { currentPassword: 'handed over 123', newPassword: who.password })
  return made
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(Sign out|Cerrar sesión)$/ }).click()
  await expect(page.getByRole('textbox', { name: /Username|Usuario/ })).toBeVisible()
}

test('the desk records an overdose response with the keyboard alone, in one dialog; a manager completes and closes it; the funder report counts one reversal', async ({ page }) => {
  // Two people's sessions, a dashboard and seven axe scans on a loaded machine.
  test.setTimeout(300_000)
  const host = await startHost({ now: pageClock() })
  const found: Found[] = []
  try {
    const api = await setUpCenter(host)
    await addStaff(host, api, DESK, 'Jo Front', 'front_desk')
    await addStaff(host, api, MANAGER, 'Mo Manager', 'manager')
    const marcus = await api.call('participants.create', { firstName: 'Marcus', lastName: 'Bell', birthYear: 1988 })

    // The desk, keyboard only: Alt+I, the kind, one line, the person, two doses, EMS called, Enter.
    await signIn(page, host, DESK)
    await page.keyboard.press('Alt+I')
    const start = page.getByRole('dialog', { name: 'Report an incident' })
    const kind = start.getByRole('combobox', { name: 'Kind of incident' })
    await expect(kind).toBeFocused()
    await page.keyboard.press('ArrowDown')
    await expect(kind).toHaveValue('overdose')
    await page.keyboard.press('Tab')
    await expect(start.getByRole('textbox', { name: 'What happened, in one line' })).toBeFocused()
    await page.keyboard.type('Found unresponsive in the restroom')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Marcus')
    await expect(page.getByRole('option', { name: /Marcus B\./ })).toBeVisible()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    await expect(start.getByRole('textbox', { name: 'Naloxone doses given on site' })).toBeFocused()
    await page.keyboard.type('2')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space')
    await expect(start.getByRole('checkbox', { name: 'EMS (911) called' })).toBeChecked()
    // The time is now (the page's clock), and an overdose is critical unless said otherwise.
    await expect(start.getByLabel('When it happened')).toHaveValue(/^2026-11-25T\d\d:\d\d$/)
    await expect(start.getByRole('checkbox', { name: /Critical/ })).toBeChecked()
    await page.screenshot({ path: '/tmp/incidents-start.png' })
    await scan(page, 'report an incident (desk)', found)
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Enter')
    await expect(start).toBeHidden()
    await expect(page.getByText('Incident report saved.')).toBeVisible()
    const [saved] = await api.call('incidents.list', {})
    const kept = await api.call('incidents.get', { id: saved!.id })
    expect(kept).toMatchObject({ kind: 'overdose', summary: 'Found unresponsive in the restroom', naloxoneDoses: 2, emsCalled: true, critical: true, closed: false, createdByName: 'Jo Front' })
    expect(kept.people.map((p) => p.participantId)).toEqual([marcus.id])

    // The same dialog in Spanish.
    // Once the dialog's closing overlay has gone (a click on it would not reach the toggle).
    await expect(page.locator('.mantine-Modal-overlay')).toHaveCount(0)
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
    await expect(page.getByRole('navigation').getByRole('button', { name: 'Incidentes', exact: true })).toBeVisible()
    await page.keyboard.press('Alt+I')
    const inicio = page.getByRole('dialog', { name: 'Informar un incidente' })
    await expect(inicio.getByRole('combobox', { name: 'Tipo de incidente' })).toBeFocused()
    await page.keyboard.press('ArrowDown')
    await expect(inicio.getByRole('textbox', { name: 'Dosis de naloxona dadas en el centro' })).toBeVisible()
    await page.screenshot({ path: '/tmp/incidents-start-es.png' })
    await scan(page, 'report an incident, Spanish', found)
    await page.keyboard.press('Escape')
    await expect(inicio).toBeHidden()
    await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()

    // The desk reads its own report, and cannot close it.
    await page.getByRole('navigation').getByRole('button', { name: 'Incidents', exact: true }).click()
    await page.getByRole('button', { name: 'Open the report: Found unresponsive in the restroom' }).click()
    const detail = page.getByRole('dialog', { name: 'Incident report' })
    await expect(detail.getByTestId('incident-history')).toContainText('Started by Jo Front')
    await expect(detail.getByRole('button', { name: 'Review and close' })).toHaveCount(0)
    await page.screenshot({ path: '/tmp/incidents-desk-detail.png' })
    await scan(page, 'incident report (desk, its author)', found)
    await page.keyboard.press('Escape')
    await signOut(page)

    // The manager completes it (the outcome, the narrative) and closes it after review.
    await signIn(page, host, MANAGER)
    await page.getByRole('navigation').getByRole('button', { name: 'Incidents', exact: true }).click()
    await expect(page.getByRole('heading', { name: 'Incident reports' })).toBeVisible()
    await page.screenshot({ path: '/tmp/incidents-list.png' })
    await scan(page, 'incident reports (manager)', found)
    await page.getByRole('button', { name: 'Open the report: Found unresponsive in the restroom' }).click()
    // Closing before the outcome is known is refused, with the reason; nothing is closed.
    await detail.getByRole('textbox', { name: 'Review note' }).fill('Reviewed with the team; naloxone restocked.')
    await detail.getByRole('button', { name: 'Review and close' }).click()
    await expect(detail.getByText('Record the outcome of the overdose response before closing the report.')).toBeVisible()
    await detail.getByRole('combobox', { name: 'Outcome' }).selectOption('transported')
    await detail.getByRole('textbox', { name: /What happened \(facts only/ }).fill('Staff found him on the floor, gave two doses of naloxone; EMS took him to the hospital.')
    await detail.getByRole('textbox', { name: 'Where' }).fill('Restroom by the lobby')
    await detail.getByRole('button', { name: 'Save changes' }).click()
    await expect(detail.getByTestId('incident-history')).toContainText('Changed by Mo Manager')
    await detail.getByRole('textbox', { name: 'Review note' }).fill('Reviewed with the team; naloxone restocked.')
    await page.screenshot({ path: '/tmp/incidents-manager-detail.png', fullPage: true })
    await scan(page, 'incident report (manager, before closing)', found)
    await detail.getByRole('button', { name: 'Review and close' }).click()
    await expect(detail.getByTestId('incident-status')).toHaveText('Closed')
    await expect(detail.getByText(/Closed by Mo Manager/)).toBeVisible()

    // Printed for the funder's 24-hour notice: the print path every printable sheet uses.
    await page.evaluate(() => {
      window.print = () => document.body.setAttribute('data-printed', 'yes')
    })
    await detail.getByRole('button', { name: /Print for the funder/ }).click()
    await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes')
    await expect(page.getByTestId('incident-sheet')).toContainText('Critical incident report')
    await expect(page.getByTestId('incident-sheet')).toContainText(marcus.code)
    await expect(page.getByTestId('incident-sheet')).not.toContainText('Marcus')
    await page.emulateMedia({ media: 'print' })
    await page.screenshot({ path: '/tmp/incidents-sheet-print.png' })
    await page.emulateMedia({ media: 'screen' })
    await page.keyboard.press('Escape')

    // The funder report counts one reversal (naloxone given, the person came round), two doses on site.
    await page.getByRole('navigation').getByRole('button', { name: 'Dashboard', exact: true }).click()
    await expect(page.getByRole('heading', { name: 'Safety' })).toBeVisible()
    await page.getByRole('heading', { name: 'Safety' }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: '/tmp/incidents-dashboard.png' })
    await scan(page, 'dashboard with the safety card', found)
    await page.getByRole('button', { name: 'Funder report' }).click()
    const safety = page.getByRole('table', { name: /^Safety/ })
    await expect(safety.getByRole('row', { name: /^Overdose reversals/ })).toContainText('1')
    await expect(safety.getByRole('row', { name: /^Naloxone doses given on site/ })).toContainText('2')
    await expect(safety.getByRole('row', { name: /^Overdose response on site/ })).toContainText('1')
    await safety.scrollIntoViewIfNeeded()
    await page.screenshot({ path: '/tmp/incidents-funder-report.png' })
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
    await expect(page.getByRole('table', { name: /^Seguridad/ }).getByRole('row', { name: /^Reversiones de sobredosis/ })).toContainText('1')
    await page.getByRole('table', { name: /^Seguridad/ }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: '/tmp/incidents-funder-report-es.png' })
    await scan(page, 'funder report with safety, Spanish', found)
    expect(found, report(found)).toEqual([])
  } finally {
    await host.close()
  }
})

test('a facilitator reports from a group session: its room and, the session over, its start time are filled in; a colleague is named from the staff list', async ({ page }) => {
  test.setTimeout(300_000)
  // 15:00 on Wednesday 25 November in the center's zone, UTC (given, not the machine's); the
  // session ran 10:30 to 12:00.
  const host = await startHost({ now: pageClock(), timeZone: 'UTC' })
  const found: Found[] = []
  try {
    const api = await setUpCenter(host)
    const fay = await addStaff(host, api, FACILITATOR, 'Fay Facil', 'facilitator')
    const jo = await addStaff(host, api, DESK, 'Jo Front', 'front_desk')
    await api.call('groups.save', {
      name: 'WRAP Series',
      kind: 'open',
      durationMinutes: 90,
      room: 'Room B',
      facilitatorIds: [fay.id],
      schedule: { pattern: { startDate: '2026-11-01', startTime: '10:30', frequency: 'weekly', interval: 1, weekdays: ['WE'] } },
    })

    await signIn(page, host, FACILITATOR)
    await page.getByRole('navigation').getByRole('button', { name: 'Groups', exact: true }).click()
    await page.getByRole('button', { name: 'Take attendance: WRAP Series' }).click()
    await expect(page.getByRole('heading', { name: 'WRAP Series', level: 1 })).toBeVisible()
    await page.keyboard.press('Alt+I')
    const start = page.getByRole('dialog', { name: 'Report an incident' })
    await expect(start.getByTestId('incident-from-session')).toHaveText('From the group session WRAP Series: where it happened and its start time are filled in; change them if needed.')
    await expect(start.getByRole('textbox', { name: 'Where' })).toHaveValue('Room B · WRAP Series')
    await expect(start.getByLabel('When it happened')).toHaveValue('2026-11-25T10:30')
    await start.getByRole('combobox', { name: 'Kind of incident' }).selectOption('behavioral')
    await start.getByRole('textbox', { name: 'What happened, in one line' }).fill('Two members argued loudly during the check-in round')
    await page.screenshot({ path: '/tmp/incidents-from-session.png' })
    await scan(page, 'report an incident from a group session', found)
    await start.getByRole('button', { name: 'Save report' }).click()
    await expect(start).toBeHidden()
    const [row] = await api.call('incidents.list', {})
    expect(await api.call('incidents.get', { id: row!.id })).toMatchObject({ kind: 'behavioral', location: 'Room B · WRAP Series', occurredAt: '2026-11-25T10:30:00.000Z', createdByName: 'Fay Facil' })

    // From the desk (no session on screen) nothing is filled in.
    await page.getByRole('navigation').getByRole('button', { name: 'Front desk', exact: true }).click()
    await page.keyboard.press('Alt+I')
    await expect(start.getByRole('textbox', { name: 'Where' })).toHaveValue('')
    await expect(start.getByTestId('incident-from-session')).toHaveCount(0)
    await page.keyboard.press('Escape')
    await expect(start).toBeHidden()

    // The facilitator names the colleague who helped, from the staff list, with the keyboard.
    await page.getByRole('navigation').getByRole('button', { name: 'Incidents', exact: true }).click()
    await page.getByRole('button', { name: 'Open the report: Two members argued loudly during the check-in round' }).click()
    const detail = page.getByRole('dialog', { name: 'Incident report' })
    const colleague = detail.getByLabel('Staff member involved')
    await colleague.focus()
    await page.keyboard.type('Jo')
    await expect(page.getByRole('option', { name: 'Jo Front' })).toBeVisible()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await expect(detail.getByRole('list', { name: 'People involved' })).toContainText('Jo Front (staff)')
    await expect(colleague).toHaveValue('')
    await page.screenshot({ path: '/tmp/incidents-staff-picker.png', fullPage: true })
    await scan(page, 'incident report with a colleague named', found)
    await detail.getByRole('button', { name: 'Save changes' }).click()
    await expect(detail.getByTestId('incident-history')).toContainText('Changed by Fay Facil')
    expect((await api.call('incidents.get', { id: row!.id })).people).toEqual([expect.objectContaining({ staffId: jo.id, name: 'Jo Front' })])

    await page.keyboard.press('Escape')
    await expect(page.locator('.mantine-Modal-overlay')).toHaveCount(0)
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
    await page.getByRole('navigation').getByRole('button', { name: 'Grupos', exact: true }).click()
    await page.getByRole('button', { name: /WRAP Series/ }).first().click()
    await expect(page.getByRole('heading', { name: 'WRAP Series', level: 1 })).toBeVisible()
    await page.keyboard.press('Alt+I')
    const inicio = page.getByRole('dialog', { name: 'Informar un incidente' })
    await expect(inicio.getByTestId('incident-from-session')).toContainText('Desde la sesión de grupo WRAP Series')
    await page.screenshot({ path: '/tmp/incidents-from-session-es.png' })
    await scan(page, 'report an incident from a group session, Spanish', found)
    expect(found, report(found)).toEqual([])
  } finally {
    await host.close()
  }
})

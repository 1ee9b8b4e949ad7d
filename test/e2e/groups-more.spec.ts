import type { Locator, Page } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { expect, test, type HostApi } from './fixtures'

/** Presses Tab until the target has the focus: the way a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  throw new Error('could not reach the control with Tab')
}

/** A closed weekly group meeting on Wednesdays (today is Wednesday 25 November), three enrolled. */
async function arrange(api: HostApi) {
  const people = await Promise.all(
    [
      ['Ana', 'Lima'],
      ['Ben', 'Ortiz'],
      ['Cleo', 'Park'],
      ['Dee', 'Walker'],
    ].map(([firstName, lastName]) => api.call('participants.create', { firstName: firstName!, lastName: lastName! })),
  )
  const staff = await api.call('groups.staff', {})
  const group = await api.call('groups.save', {
    name: 'WRAP Series',
    kind: 'closed',
    capacity: 10,
    seriesLength: 8,
    durationMinutes: 90,
    room: 'Room B',
    facilitatorIds: [staff[0]!.id],
    schedule: { pattern: { startDate: '2026-11-01', startTime: '10:30', frequency: 'weekly', interval: 1, weekdays: ['WE'] } },
  })
  for (const person of people.slice(0, 3)) await api.call('groups.enroll', { groupId: group.id, participantId: person.id, date: '2026-11-01' })
  return { people, group }
}

async function openGroup(page: Page, name: string, labels = { groups: 'Groups', all: 'All groups' }) {
  await page.getByRole('button', { name: labels.groups, exact: true }).click()
  await page.getByRole('tab', { name: labels.all }).click()
  await page.getByRole('button', { name }).click()
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible()
}

test('a manager moves, cancels, restores and covers a session, and adds a make-up for a cancelled one that counts toward the series', async ({ desk: page, api }) => {
  test.setTimeout(240_000)
  const { group } = await arrange(api)
  await api.call('staff.create', { username: 'fran', displayName: 'Fran Cover', role: 'facilitator', password: 'a long enough password' })
  await openGroup(page, 'WRAP Series')

  // Next Wednesday's session: moved to Thursday afternoon in the kitchen.
  await page.getByRole('button', { name: /^Wed, Dec 2 10:30/ }).click()
  await page.getByRole('button', { name: 'Move', exact: true }).click()
  const move = page.getByRole('dialog', { name: 'Move this session of WRAP Series' })
  await expect(move.getByLabel('New day')).toBeFocused()
  await move.getByLabel('New day').fill('2026-12-03')
  await move.getByLabel('Start time').fill('14:00')
  await move.getByRole('textbox', { name: 'Room' }).fill('Kitchen')
  await page.screenshot({ path: 'test-results/groups-move.png' })
  await move.getByRole('button', { name: 'Move the session' }).click()
  await expect(move).toBeHidden()
  await expect(page.getByText('Moved from Wed, Dec 2')).toBeVisible()
  await expect(page.getByText(/Thursday, December 3, 2026 · 14:00 · Kitchen/)).toBeVisible()

  // Covered by Fran: the cover sees it that day.
  await page.getByRole('button', { name: 'Cover', exact: true }).click()
  const cover = page.getByRole('dialog', { name: 'Who covers this session of WRAP Series' })
  await cover.getByRole('combobox', { name: 'Covered by' }).selectOption({ label: 'Fran Cover' })
  await cover.getByRole('button', { name: 'Save' }).click()
  await expect(cover).toBeHidden()
  await expect(page.getByText(/Covered by Fran Cover/)).toBeVisible()

  // Cancelled with a reason, restored, cancelled again.
  await page.getByRole('button', { name: 'Cancel session' }).click()
  const cancel = page.getByRole('dialog', { name: 'Cancel this session of WRAP Series' })
  // A reason is required: without one nothing is sent.
  await cancel.getByRole('button', { name: 'Cancel the session' }).click()
  await expect(cancel.getByRole('textbox', { name: 'Reason' })).toBeFocused()
  // Leaving the dialog is not worded "Cancel" beside "Cancel the session".
  await expect(cancel.getByRole('button', { name: 'Keep the session' })).toBeVisible()
  await expect(cancel.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0)
  await cancel.getByRole('textbox', { name: 'Reason' }).fill('Facilitator ill')
  await page.screenshot({ path: 'test-results/groups-cancel.png' })
  await cancel.getByRole('button', { name: 'Cancel the session' }).click()
  await expect(page.getByText('This session was cancelled: Facilitator ill')).toBeVisible()
  await page.getByRole('button', { name: 'Restore the session' }).click()
  await expect(page.getByText('This session was cancelled: Facilitator ill')).toBeHidden()
  await page.getByRole('button', { name: 'Cancel session' }).click()
  await cancel.getByRole('textbox', { name: 'Reason' }).fill('Snow')
  await cancel.getByRole('button', { name: 'Cancel the session' }).click()
  await expect(page.getByText('This session was cancelled: Snow')).toBeVisible()

  // A make-up on Saturday for the cancelled one, from the group page.
  await page.getByRole('button', { name: 'Back', exact: true }).click()
  await openGroup(page, 'WRAP Series')
  await page.getByRole('button', { name: 'Add a session' }).click()
  const add = page.getByRole('dialog', { name: 'Add a session of WRAP Series' })
  await add.getByLabel('Day').fill('2026-12-05')
  await add.getByRole('combobox', { name: 'Makes up for' }).selectOption({ label: 'Thursday, December 3, 2026 · Cancelled' })
  await page.screenshot({ path: 'test-results/groups-makeup.png' })
  await add.getByRole('button', { name: 'Add the session' }).click()
  await expect(add).toBeHidden()
  const sessions = await api.call('sessions.week', { from: '2026-11-30' })
  const makeup = sessions.find((s) => s.date === '2026-12-05')!
  const cancelled = sessions.find((s) => s.date === '2026-12-03')!
  expect(makeup).toMatchObject({ groupId: group.id, startTime: '10:30', makeupFor: cancelled.id, status: 'scheduled' })
  expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Snow', movedFrom: '2026-12-02', coverStaff: { name: 'Fran Cover' } })
  await page.getByRole('button', { name: /^Sat, Dec 5 10:30/ }).click()
  await expect(page.getByText('Make-up session')).toBeVisible()
  await page.screenshot({ path: 'test-results/groups-makeup-session.png' })
})

test('a paper sign-in sheet entered into last week\'s session from the keyboard: names and codes, a walk-in, the rest absent after a confirmation', async ({ desk: page, api }) => {
  test.setTimeout(240_000)
  const { people, group } = await arrange(api)
  const [ana, ben, cleo, dee] = people
  const last = await api.call('sessions.create', { groupId: group.id, date: '2026-11-18', startTime: '10:30' })
  await openGroup(page, 'WRAP Series')
  await page.getByRole('button', { name: /^Wed, Nov 18$/ }).click()
  await expect(page.getByRole('radiogroup', { name: 'Attendance for Ana Lima' })).toBeFocused()

  await tabTo(page, page.getByRole('button', { name: 'Enter a paper sheet' }))
  await page.keyboard.press('Enter')
  const box = page.getByRole('combobox', { name: 'Name or code' })
  await expect(box).toBeFocused()
  // A name: Enter marks the first match present.
  await page.keyboard.type('ana')
  await expect(page.getByRole('option', { name: /Ana Lima/ })).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')
  await expect(box).toHaveValue('')
  // A code, typed as written on the sheet.
  await page.keyboard.type(ben!.code.toLowerCase())
  await expect(page.getByRole('option', { name: /Ben Ortiz/ })).toBeVisible()
  await page.keyboard.press('Enter')
  // Someone not on the list, found by the desk's search.
  await page.keyboard.type('Dee Walker')
  await expect(page.getByRole('option', { name: /Dee W\./ })).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')
  await expect(page.getByText('Present on the sheet: 3')).toBeVisible()
  await page.screenshot({ path: 'test-results/groups-paper.png', fullPage: true })

  await tabTo(page, page.getByRole('button', { name: 'Save the sheet' }))
  await page.keyboard.press('Enter')
  const confirm = page.getByRole('dialog', { name: 'Save the paper sheet?' })
  await expect(confirm).toContainText('3 people will be marked present.')
  await expect(confirm).toContainText('1 person not on the sheet will be marked absent: Cleo Park.')
  await page.screenshot({ path: 'test-results/groups-paper-confirm.png' })
  await expect(confirm.getByRole('button', { name: 'Save', exact: true })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(confirm).toBeHidden()

  const sheet = await api.call('sessions.sheet', { sessionId: last.id })
  expect(Object.fromEntries(sheet.people.map((p) => [p.participantId, p.status]))).toEqual({ [ana!.id]: 'present', [ben!.id]: 'present', [cleo!.id]: 'absent', [dee!.id]: 'present' })
  await expect(page.getByRole('radiogroup', { name: 'Attendance for Cleo Park' }).getByRole('radio', { name: 'Absent' })).toHaveAttribute('aria-checked', 'true')
  // Dee came only for the group that day: attendance made her one visit, on that day.
  expect((await api.call('participants.get', { id: dee!.id })).participant.visitCount).toBe(1)
})

test('an attendance letter for one person: asked for, the reason recorded, printed with first name, last initial and the center', async ({ desk: page, api }) => {
  test.setTimeout(240_000)
  const { people, group } = await arrange(api)
  const [ana, ben] = people
  const last = await api.call('sessions.create', { groupId: group.id, date: '2026-11-18', startTime: '10:30' })
  await api.call('sessions.markMany', { sessionId: last.id, marks: [{ participantId: ana!.id, status: 'present' }, { participantId: ben!.id, status: 'absent' }] })

  await page.keyboard.press('Alt+2')
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await search.fill('Ana Lima')
  await expect(page.getByRole('option', { name: /Ana/ }).first()).toBeVisible()
  await search.press('Shift+Enter')
  const profile = page.getByRole('dialog', { name: 'Ana Lima' })
  await profile.getByRole('tab', { name: 'Groups' }).click()
  await profile.getByRole('button', { name: 'Attendance letter' }).click()
  const letter = page.getByRole('dialog', { name: 'Attendance letter' })
  await expect(letter.getByRole('textbox', { name: 'Who asked, and what for' })).toBeFocused()
  await letter.getByLabel('From').fill('2026-11-01')
  await letter.getByRole('textbox', { name: 'Who asked, and what for' }).fill('Asked for it for the drug court')
  await page.screenshot({ path: 'test-results/groups-letter-dialog.png' })
  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', 'yes')
  })
  await letter.getByRole('button', { name: 'Print the letter' }).click()
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes')
  await page.emulateMedia({ media: 'print' })
  const printed = page.getByTestId('attendance-letter')
  await expect(printed).toContainText('Harbor Light Recovery Center')
  await expect(printed).toContainText('Ana L. attended 1 group session at Harbor Light Recovery Center between Sunday, November 1, 2026 and Wednesday, November 25, 2026')
  await expect(printed).toContainText('WRAP Series')
  await expect(printed).not.toContainText('Lima')
  const area = await printed.evaluate((el) => {
    const r = el.getBoundingClientRect()
    return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height }
  })
  await page.screenshot({ path: 'test-results/groups-letter.png', fullPage: true, clip: area })
  const pdf = await page.pdf({ path: 'test-results/groups-letter.pdf', format: 'Letter' })
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  await page.emulateMedia({ media: 'screen' })
})

test('the group service stays off the desk until the center offers it there', async ({ desk: page, api }) => {
  test.setTimeout(120_000)
  await api.call('participants.create', { firstName: 'Ana', lastName: 'Lima' })
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await search.fill('Ana Lima')
  await expect(page.getByRole('option', { name: /Ana L\./ })).toBeVisible()
  await search.press('ArrowDown')
  await search.press('Enter')
  const panel = page.getByRole('region', { name: /Ana L\./ })
  await expect(panel.getByRole('checkbox').first()).toBeFocused()
  await expect(panel.getByRole('checkbox', { name: /^Group/ })).toHaveCount(0)
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const section = page.getByRole('region', { name: 'Group attendance' })
  await expect(section.getByRole('combobox', { name: 'Service for a visit made by group attendance' })).toHaveValue('group')
  await section.getByRole('checkbox', { name: 'Also offer this service at the desk and the kiosk' }).check()
  await section.getByRole('button', { name: 'Save' }).click()
  await expect(section.getByRole('button', { name: 'Save' })).toBeDisabled()
  await page.screenshot({ path: 'test-results/groups-settings.png', fullPage: true })
  expect(await api.call('groups.settings', {})).toEqual({ visitServiceKey: 'group', atDesk: true })
})

test('axe over the new groups dialogs and panels, in English and Spanish: 0 serious or critical', async ({ desk: page, api }) => {
  test.setTimeout(400_000)
  const found: Found[] = []
  const { people, group } = await arrange(api)
  const last = await api.call('sessions.create', { groupId: group.id, date: '2026-11-18', startTime: '10:30' })
  await api.call('sessions.mark', { sessionId: last.id, participantId: people[0]!.id, status: 'present' })
  const open = await api.call('groups.save', {
    name: 'Open Circle',
    kind: 'open',
    durationMinutes: 60,
    facilitatorIds: [(await api.call('groups.staff', {}))[0]!.id],
    schedule: { pattern: { startDate: '2026-11-01', startTime: '09:00', frequency: 'weekly', interval: 1, weekdays: ['WE'] } },
  })
  const today = (await api.call('sessions.today', {})).sessions.find((s) => s.groupId === open.id)!
  await api.call('sessions.markAnonymous', { sessionId: today.id, code: 'BLUE7', status: 'present' })

  for (const language of ['EN', 'ES'] as const) {
    if (language === 'ES') await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
    const t =
      language === 'EN'
        ? { groups: 'Groups', all: 'All groups', back: 'Back', move: 'Move', cover: 'Cover', cancel: 'Cancel session', add: 'Add a session', paper: 'Enter a paper sheet', take: 'Take attendance: Open Circle', today: 'Today', letter: 'Attendance letter', settings: 'Settings', tabGroups: 'Groups', desk: 'Find a person' }
        : { groups: 'Grupos', all: 'Todos los grupos', back: 'Volver', move: 'Mover', cover: 'Suplencia', cancel: 'Cancelar la sesión', add: 'Añadir una sesión', paper: 'Pasar una hoja en papel', take: 'Tomar asistencia: Open Circle', today: 'Hoy', letter: 'Carta de asistencia', settings: 'Configuración', tabGroups: 'Grupos', desk: 'Buscar a una persona' }
    await openGroup(page, 'WRAP Series', { groups: t.groups, all: t.all })
    await page.getByRole('button', { name: t.add }).click()
    await expect(page.getByRole('dialog')).toBeVisible()
    await scan(page, `groups: add a session dialog (${language})`, found)
    if (language === 'ES') await page.screenshot({ path: 'test-results/groups-makeup-es.png' })
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: /^(Wed, Dec 2|mié, 2 dic) 10:30/ }).click()
    for (const [button, label] of [
      [t.move, 'move'],
      [t.cover, 'cover'],
      [t.cancel, 'cancel'],
    ] as const) {
      await page.getByRole('button', { name: button, exact: true }).click()
      await expect(page.getByRole('dialog')).toBeVisible()
      await scan(page, `groups: ${label} session dialog (${language})`, found)
      if (language === 'ES') await page.screenshot({ path: `test-results/groups-${label}-es.png` })
      await page.keyboard.press('Escape')
      await expect(page.getByRole('dialog')).toBeHidden()
    }
    await page.getByRole('button', { name: t.back, exact: true }).click()
    await openGroup(page, 'WRAP Series', { groups: t.groups, all: t.all })
    await page.getByRole('button', { name: /^(Wed, Nov 18|mié, 18 nov)$/ }).click()
    await page.getByRole('button', { name: t.paper }).click()
    await page.keyboard.type('a')
    await expect(page.getByRole('option').first()).toBeVisible()
    await scan(page, `groups: paper sheet entry (${language})`, found)
    if (language === 'ES') await page.screenshot({ path: 'test-results/groups-paper-es.png', fullPage: true })
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: language === 'EN' ? 'Save the sheet' : 'Guardar la hoja' }).click()
    await expect(page.getByRole('dialog')).toBeVisible()
    await scan(page, `groups: paper sheet confirmation (${language})`, found)
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: t.back, exact: true }).click()
    await page.getByRole('tab', { name: t.today }).click()
    await page.getByRole('button', { name: t.take }).click()
    await expect(page.getByText('BLUE7', { exact: true })).toBeVisible()
    await scan(page, `groups: attendance of an open meeting, anonymous by code (${language})`, found)
    await page.getByRole('button', { name: t.back, exact: true }).click()

    await page.getByRole('button', { name: t.settings, exact: true }).click()
    await expect(page.getByRole('region', { name: language === 'EN' ? 'Group attendance' : 'Asistencia a grupos' })).toBeVisible()
    await scan(page, `settings: group attendance (${language})`, found)

    await page.getByRole('button', { name: language === 'EN' ? 'Front desk' : 'Recepción' }).first().click()
    const search = page.getByRole('combobox', { name: t.desk })
    await search.fill('Ana Lima')
    await expect(page.getByRole('option', { name: /Ana/ }).first()).toBeVisible()
    await search.press('Shift+Enter')
    const profile = page.getByRole('dialog', { name: 'Ana Lima' })
    await profile.getByRole('tab', { name: t.tabGroups }).click()
    await profile.getByRole('button', { name: t.letter }).click()
    await expect(page.getByRole('dialog', { name: t.letter })).toBeVisible()
    await scan(page, `groups: attendance letter dialog (${language})`, found)
    if (language === 'ES') await page.screenshot({ path: 'test-results/groups-letter-es.png' })
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
  }
  expect(found, report(found)).toEqual([])
})

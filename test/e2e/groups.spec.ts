import { readFileSync } from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { expect, test } from './fixtures'
import { chromiumPrints, lookAtPdf, PRINTING } from './pdf'

const SHEET_WORDS = {
  en: { save: 'Save sign-in sheet as PDF', saved: 'Saved as' },
  es: { save: 'Guardar hoja de firmas como PDF', saved: 'Guardado como' },
}

/** Presses Tab until the target has the focus: the way a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  throw new Error('could not reach the control with Tab')
}

test('a weekly group with a holiday closure, three enrolled, attendance taken from the keyboard, rates on the group and the profile, the sign-in sheet printed and saved as a PDF', { tag: '@postgres' }, async ({ desk: page, api, host, browser }, testInfo) => {
  test.setTimeout(240_000)
  const [ana, ben, cleo, dee] = await Promise.all(
    [
      ['Ana', 'Lima'],
      ['Ben', 'Ortiz'],
      ['Cleo', 'Park'],
      ['Dee', 'Walker'],
    ].map(([firstName, lastName]) => api.call('participants.create', { firstName: firstName!, lastName: lastName! })),
  )
  // Dee signed in at the desk this morning, for a meal; she is not in the group.
  await api.call('visits.signIn', { participantId: dee!.id, services: [] })
  const deeVisits = (await api.call('participants.get', { id: dee!.id })).participant.visitCount
  expect(deeVisits).toBe(1)

  // Groups is the admin's ninth screen (after the dashboard, the desk … backups).
  await page.keyboard.press('Alt+9')
  await expect(page.getByRole('heading', { name: 'Groups', level: 1 })).toBeVisible()
  await page.getByRole('tab', { name: 'All groups' }).click()
  await page.getByRole('button', { name: 'New group' }).click()
  const form = page.getByRole('dialog', { name: 'New group' })
  await form.getByRole('textbox', { name: 'Name' }).fill('Wednesday Recovery Circle')
  await form.getByText('Closed (roster)').click()
  await form.getByRole('combobox', { name: 'Facilitators' }).click()
  await page.getByRole('option', { name: 'Dana Reyes' }).click()
  await form.getByRole('textbox', { name: 'Capacity' }).fill('12')
  await form.getByRole('checkbox', { name: 'Wednesday' }).check()
  await form.getByRole('checkbox', { name: 'Friday' }).check()
  await form.getByLabel('Start time').fill('15:30')
  await page.screenshot({ path: 'test-results/groups-form.png' })
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(form).toBeHidden()

  // The group page: enroll three people.
  await expect(page.getByRole('heading', { name: 'Wednesday Recovery Circle', level: 1 })).toBeVisible()
  await expect(page.getByText('Every Wednesday and Friday at 15:30')).toBeVisible()
  await page.getByRole('textbox', { name: 'Enroll a person' }).fill('Ana')
  await page.getByRole('button', { name: /^Enroll: Ana / }).click()
  await expect(page.getByTestId('roster-table')).toContainText('Ana Lima')
  // A second and a third in the same box (this once stalled the page: the history table's rows were
  // a new array each render, and TanStack's page-index reset rendered again in a microtask, for ever).
  await page.getByRole('textbox', { name: 'Enroll a person' }).fill('Ben')
  await page.getByRole('button', { name: /^Enroll: Ben / }).click()
  await expect(page.getByTestId('roster-table')).toContainText('Ben Ortiz')
  await page.getByRole('textbox', { name: 'Enroll a person' }).fill('Cleo')
  await page.getByRole('button', { name: /^Enroll: Cleo / }).click()
  await expect(page.getByTestId('roster-table')).toContainText('Cleo Park')
  await page.getByRole('button', { name: 'Back', exact: true }).click()
  await page.getByRole('button', { name: 'Wednesday Recovery Circle' }).click()
  await expect(page.getByRole('heading', { name: 'Roster: 3 of 12 enrolled, 0 waiting' })).toBeVisible()
  await page.getByRole('button', { name: 'Back', exact: true }).click()

  // Christmas, a Friday: the preview says what it cancels before it is saved.
  await page.getByRole('tab', { name: 'Closed days' }).click()
  await page.getByRole('button', { name: 'Close the center for a day' }).click()
  const closure = page.getByRole('dialog', { name: 'Close the center for a day' })
  await closure.getByLabel('Closed on').fill('2026-12-25')
  await closure.getByRole('textbox', { name: 'Reason' }).fill('Christmas')
  await expect(closure.getByTestId('closure-preview')).toHaveText('1 session in 1 group will be cancelled: Wednesday Recovery Circle')
  await page.screenshot({ path: 'test-results/groups-closure.png' })
  await closure.getByRole('button', { name: 'Close the center that day' }).click()
  await expect(closure).toBeHidden()
  await expect(page.getByRole('cell', { name: 'Christmas' })).toBeVisible()

  // Today's session, from the keyboard only.
  await page.getByRole('tab', { name: 'Today' }).click()
  await tabTo(page, page.getByRole('button', { name: 'Take attendance: Wednesday Recovery Circle' }))
  await page.keyboard.press('Enter')
  const first = page.getByRole('radiogroup', { name: 'Attendance for Ana Lima' })
  await expect(first).toBeFocused()
  await page.keyboard.press('p')
  await expect(page.getByRole('radiogroup', { name: 'Attendance for Ben Ortiz' })).toBeFocused()
  await page.keyboard.press('a')
  await page.keyboard.press('l')
  await expect(first.getByRole('radio', { name: 'Present' })).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByRole('radiogroup', { name: 'Attendance for Ben Ortiz' }).getByRole('radio', { name: 'Absent' })).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByRole('radiogroup', { name: 'Attendance for Cleo Park' }).getByRole('radio', { name: 'Late' })).toHaveAttribute('aria-checked', 'true')
  // Up goes back; a second key changes the mark.
  await page.keyboard.press('ArrowUp')
  await expect(page.getByRole('radiogroup', { name: 'Attendance for Ben Ortiz' })).toBeFocused()

  // Dee signed in at the desk: one tap (Enter) adds her from "here today".
  await expect(page.getByText('Here today, not yet in the group (1)')).toBeVisible()
  await tabTo(page, page.getByRole('button', { name: 'Add Dee Walker' }))
  await page.keyboard.press('Enter')
  await expect(page.getByRole('radiogroup', { name: 'Attendance for Dee Walker' }).getByRole('radio', { name: 'Present' })).toHaveAttribute('aria-checked', 'true')

  // A walk-in registered on the spot, without leaving the screen.
  await tabTo(page, page.getByRole('button', { name: 'Register someone new' }))
  await page.keyboard.press('Enter')
  await expect(page.getByRole('textbox', { name: 'First name' })).toBeFocused()
  await page.keyboard.type('Eve')
  await tabTo(page, page.getByRole('textbox', { name: 'Last name' }))
  await page.keyboard.type('Santos')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('radiogroup', { name: 'Attendance for Eve Santos' }).getByRole('radio', { name: 'Present' })).toHaveAttribute('aria-checked', 'true')
  await page.screenshot({ path: 'test-results/groups-attendance.png', fullPage: true })

  // One visit for Dee, before and after; Eve's visit was made by the attendance.
  expect((await api.call('participants.get', { id: dee!.id })).participant.visitCount).toBe(deeVisits)
  const eve = (await api.call('participants.search', { text: 'Eve Santos', limit: 5 }))[0]!
  expect((await api.call('participants.get', { id: eve.id })).participant.visitCount).toBe(1)

  // The sign-in sheet on paper: first names and last initials, the group, the day and the room.
  // The window's print dialog is the OS's own; it is stood in for, and the page looked at as it prints.
  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', 'yes')
  })
  await page.getByRole('button', { name: 'Print sign-in sheet' }).click()
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes')
  await page.emulateMedia({ media: 'print' })
  const sheet = page.getByTestId('signin-sheet')
  await expect(sheet).toContainText('Ana L.')
  await expect(sheet).not.toContainText('Lima')
  await expect(sheet).toContainText('Wednesday Recovery Circle')
  const box = await sheet.evaluate((el) => {
    const r = el.getBoundingClientRect()
    return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height }
  })
  await page.screenshot({ path: 'test-results/groups-signin-sheet.png', fullPage: true, clip: box })
  // Back to no emulation at all: a PDF printed next must use the page's print stylesheet as Electron's would.
  await page.emulateMedia({ media: null })
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
  await expect(sheet).toHaveCount(0)

  // The same sheet saved as a PDF file, in English and in Spanish: main prints the page (Chromium
  // here, Electron's printToPDF in the app), proposes a name, writes the file and audits it.
  const found: Found[] = []
  for (const language of ['en', 'es'] as const) {
    const words = SHEET_WORDS[language]
    const file = testInfo.outputPath(`signin-sheet-${language}.pdf`)
    chromiumPrints(host, page, file)
    await page.getByRole('button', { name: words.save }).click()
    await expect(page.getByRole('status').filter({ hasText: words.saved })).toContainText(file, { timeout: PRINTING })
    // The sheet was on the page only while it printed.
    await expect(sheet).toHaveCount(0)
    const pdf = readFileSync(file)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await page.screenshot({ path: `test-results/groups-signin-saved-${language}.png`, fullPage: true })
    await scan(page, `attendance: sign-in sheet saved as PDF (${language})`, found)
    await lookAtPdf(browser, file, `test-results/groups-signin-sheet-pdf-${language}.png`, 1)
    if (language === 'en') await page.getByText('ES', { exact: true }).click()
  }
  await page.getByRole('radiogroup', { name: 'Idioma' }).getByText('EN').click()
  expect(host.platform.proposed).toEqual(['sign-in-sheet-wednesday-recovery-circle-2026-11-25.pdf', 'sign-in-sheet-wednesday-recovery-circle-2026-11-25.pdf'])
  const saved = await host.core.records!.selectFrom('audit_log').select(['detail']).where('action', '=', 'session.sheet_pdf').execute()
  expect(saved.map((row) => (JSON.parse(row.detail!) as { people: number }).people)).toEqual([5, 5])
  expect(found, report(found)).toEqual([])

  // The rate on the group page: two of the three enrolled came (Ben's absence counts).
  await page.getByRole('button', { name: 'Back', exact: true }).click()
  await page.getByRole('tab', { name: 'All groups' }).click()
  await page.getByRole('button', { name: 'Wednesday Recovery Circle' }).click()
  await expect(page.getByTestId('group-rate')).toHaveText('67%')
  await page.screenshot({ path: 'test-results/groups-page.png', fullPage: true })

  // And on Ana's profile (the desk is the admin's second screen, after the dashboard).
  await page.keyboard.press('Alt+2')
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await search.fill('Ana Lima')
  await expect(page.getByRole('option', { name: /Ana/ }).first()).toBeVisible()
  await search.press('Shift+Enter')
  const profile = page.getByRole('dialog', { name: 'Ana Lima' })
  await profile.getByRole('tab', { name: 'Groups' }).click()
  await expect(profile.getByTestId('profile-groups')).toContainText('Wednesday Recovery Circle')
  await expect(profile.getByTestId('profile-groups')).toContainText('100%')
  await page.screenshot({ path: 'test-results/groups-profile.png' })
  void [ana, ben, cleo]
})

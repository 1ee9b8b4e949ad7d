import type { Locator } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { expect, test } from './fixtures'

/**
 * A dialog's way out and its action side by side, not stacked: once the dialog has settled (it
 * grows into place as it opens, and a box measured then can still be stacked).
 */
async function expectOneRow(leave: Locator, act: Locator): Promise<void> {
  const layout = async () => {
    const [a, b] = [(await leave.boundingBox())!, (await act.boundingBox())!]
    return { sameRow: Math.abs(a.y - b.y) < 4, leaveFirst: a.x + a.width <= b.x }
  }
  await expect.poll(layout, { message: 'the two buttons on one row, the way out first' }).toEqual({ sameRow: true, leaveFirst: true })
}

/** axe-core over every groups screen and dialog, in English and Spanish: 0 serious or critical. */
test('groups: today, week, list, group page, closures, attendance and their dialogs, in English and Spanish', async ({ desk: page, api }) => {
  test.setTimeout(400_000)
  const found: Found[] = []
  const people = await Promise.all(['Ana', 'Ben', 'Cleo'].map((firstName) => api.call('participants.create', { firstName, lastName: 'Test' })))
  const dee = await api.call('participants.create', { firstName: 'Dee', lastName: 'Walker' })
  await api.call('visits.signIn', { participantId: dee.id, services: [] })
  const staff = await api.call('groups.staff', {})
  const group = await api.call('groups.save', {
    name: 'Wednesday Circle',
    kind: 'closed',
    capacity: 3,
    durationMinutes: 90,
    room: 'Room B',
    facilitatorIds: [staff[0]!.id],
    schedule: { pattern: { startDate: '2026-11-01', startTime: '15:30', frequency: 'weekly', interval: 1, weekdays: ['WE'] } },
  })
  for (const person of people) await api.call('groups.enroll', { groupId: group.id, participantId: person.id })
  await api.call('closures.create', { date: '2026-12-25', reason: 'Christmas' })

  for (const language of ['EN', 'ES'] as const) {
    if (language === 'ES') await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
    const t = language === 'EN'
      ? { groups: 'Groups', week: 'Week', all: 'All groups', closed: 'Closed days', newGroup: 'New group', addClosure: 'Close the center for a day', take: 'Take attendance: Wednesday Circle', back: 'Back', end: /^End Ana Test.s enrollment$/, register: 'Register someone new', flag: 'Flag a follow-up for Ana Test', everyone: 'Everyone present', cancel: 'Cancel', keepOpen: 'Keep the center open', cancelSession: 'Cancel session', keepSession: 'Keep the session', cancelSubmit: 'Cancel the session', closeDay: 'Close the center that day' }
      : { groups: 'Grupos', week: 'Semana', all: 'Todos los grupos', closed: 'Días cerrados', newGroup: 'Nuevo grupo', addClosure: 'Cerrar el centro un día', take: 'Tomar asistencia: Wednesday Circle', back: 'Volver', end: 'Terminar la inscripción de Ana Test', register: 'Registrar a alguien nuevo', flag: 'Marcar un seguimiento para Ana Test', everyone: 'Todos presentes', cancel: 'Cancelar', keepOpen: 'Dejar el centro abierto', cancelSession: 'Cancelar la sesión', keepSession: 'Mantener la sesión', cancelSubmit: 'Cancelar la sesión', closeDay: 'Cerrar el centro ese día' }
    await page.getByRole('button', { name: t.groups, exact: true }).click()
    await expect(page.getByRole('heading', { name: t.groups, level: 1 })).toBeVisible()
    await scan(page, `groups: today (${language})`, found)
    await page.getByRole('tab', { name: t.week }).click()
    await expect(page.getByRole('button', { name: /15:30\s*Wednesday Circle/ }).first()).toBeVisible()
    await scan(page, `groups: week (${language})`, found)
    await page.getByRole('tab', { name: t.all }).click()
    await expect(page.getByTestId('group-table')).toContainText('Wednesday Circle')
    await scan(page, `groups: list (${language})`, found)
    await page.getByRole('button', { name: t.newGroup }).click()
    await scan(page, `groups: new group dialog (${language})`, found)
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Wednesday Circle' }).click()
    await expect(page.getByTestId('roster-table')).toBeVisible()
    await scan(page, `groups: group page (${language})`, found)
    await page.getByRole('button', { name: t.end }).click()
    await scan(page, `groups: end enrollment dialog (${language})`, found)
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: t.back, exact: true }).click()
    await page.getByRole('tab', { name: t.closed }).click()
    await expect(page.getByRole('cell', { name: 'Christmas' })).toBeVisible()
    await scan(page, `groups: closures (${language})`, found)
    await page.getByRole('button', { name: t.addClosure }).click()
    await page.getByRole('dialog').getByLabel(language === 'EN' ? 'Closed on' : 'Cerrado el').fill('2026-12-02')
    await expect(page.getByTestId('closure-preview')).toBeVisible()
    // Under "… will be cancelled", leaving is not worded "Cancel".
    await expect(page.getByRole('dialog').getByRole('button', { name: t.keepOpen })).toBeVisible()
    await expect(page.getByRole('dialog').getByRole('button', { name: t.cancel, exact: true })).toHaveCount(0)
    await expectOneRow(page.getByRole('dialog').getByRole('button', { name: t.keepOpen }), page.getByRole('dialog').getByRole('button', { name: t.closeDay }))
    await page.screenshot({ path: `/tmp/groups-closure-${language}.png` })
    await scan(page, `groups: closure dialog with preview (${language})`, found)
    await page.keyboard.press('Escape')
    await page.getByRole('tab', { name: language === 'EN' ? 'Today' : 'Hoy' }).click()
    await page.getByRole('button', { name: t.take }).click()
    await expect(page.getByRole('radiogroup', { name: /(Attendance for|Asistencia de) Ana Test/ })).toBeFocused()
    if (language === 'EN') {
      await page.keyboard.press('p')
      await page.keyboard.press('e')
    }
    await scan(page, `groups: attendance (${language})`, found)
    // A manager's "Cancel session": leaving is not worded "Cancel" beside "Cancel the session".
    await page.getByRole('button', { name: t.cancelSession }).click()
    const cancelDialog = page.getByRole('dialog')
    await expect(cancelDialog.getByRole('button', { name: t.keepSession })).toBeVisible()
    await expect(cancelDialog.getByRole('button', { name: t.cancel, exact: true })).toHaveCount(0)
    await expectOneRow(cancelDialog.getByRole('button', { name: t.keepSession }), cancelDialog.getByRole('button', { name: t.cancelSubmit }))
    await page.screenshot({ path: `/tmp/groups-cancel-session-${language}.png` })
    await scan(page, `groups: cancel session dialog (${language})`, found)
    await cancelDialog.getByRole('button', { name: t.keepSession }).click()
    await expect(cancelDialog).toBeHidden()
    await page.getByRole('button', { name: t.everyone }).click()
    await expect(page.getByRole('dialog')).toBeVisible()
    await scan(page, `groups: replace marks dialog (${language})`, found)
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: t.flag }).click()
    await scan(page, `groups: follow-up dialog (${language})`, found)
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: t.register }).click()
    await scan(page, `groups: register on the spot (${language})`, found)
    await page.getByRole('button', { name: t.cancel }).last().click()
    await page.getByRole('button', { name: t.back, exact: true }).click()
  }
  expect(found, report(found)).toEqual([])
})

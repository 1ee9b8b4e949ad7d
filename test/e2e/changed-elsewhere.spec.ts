import { expect, test } from './fixtures'

// Two PCs on one set of records: this page is one desk, the test's API calls the other.
test('a person\'s details saved on another PC while this desk edits them: the save is refused, said, and the new version shown', { tag: '@postgres' }, async ({ desk: page, api }) => {
  const person = await api.call('participants.create', { firstName: 'Marisol', lastName: 'Quintero', birthYear: 1979 })
  await page.reload()
  const search = page.getByRole('combobox', { name: 'Find a person' })
  await search.fill(person.code)
  await expect(page.getByRole('option', { name: /Marisol Q\./ })).toBeVisible()
  await search.press('Shift+Enter')
  // Its name follows the nickname, which changes below.
  const profile = page.getByRole('dialog', { name: /Marisol/ })
  const form = profile.getByRole('form', { name: 'Details' })
  const nickname = form.getByRole('textbox', { name: 'Nickname' })
  await nickname.fill('Mari')

  // Meanwhile the other PC saves a nickname of its own.
  await api.call('participants.update', { id: person.id, nickname: 'Sol' })

  await form.getByRole('button', { name: 'Save details' }).click()
  await expect(form.getByRole('alert')).toContainText('Changed on another PC while you had it open, so your change was not saved. Here is the new version')
  await expect(nickname).toHaveValue('Sol')
  await page.screenshot({ path: 'test-results/changed-elsewhere.png' })

  // Made again on the new version, the change saves.
  await nickname.fill('Mari')
  await form.getByRole('button', { name: 'Save details' }).click()
  await expect(form.getByRole('alert')).toHaveCount(0)
  // No alert holds from the click on, before the save's answer: wait for the saved record.
  await expect.poll(async () => (await api.call('participants.get', { id: person.id })).participant.nickname).toBe('Mari')
})

test('a session\'s record saved on another PC while the facilitator types: the save is refused, said, and the other PC\'s topic shown', async ({ desk: page, api }) => {
  const group = await api.call('groups.save', {
    name: 'Open Circle',
    kind: 'open',
    durationMinutes: 60,
    facilitatorIds: [(await api.call('groups.staff', {}))[0]!.id],
    schedule: { pattern: { startDate: '2026-11-01', startTime: '09:00', frequency: 'weekly', interval: 1, weekdays: ['WE'] } },
  })
  const session = (await api.call('sessions.today', {})).sessions.find((s) => s.groupId === group.id)!
  await page.getByRole('button', { name: 'Groups', exact: true }).click()
  await page.getByRole('button', { name: 'Take attendance: Open Circle' }).click()
  const record = page.getByRole('region', { name: 'Session record' })
  const topic = record.getByRole('textbox', { name: 'Topic' })
  await topic.fill('Boundaries')

  // Meanwhile the co-facilitator's laptop saves a topic of its own.
  await api.call('sessions.record', { sessionId: session.id, topic: 'Gratitude', version: session.version })

  await record.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(record.getByRole('alert')).toContainText('Changed on another PC while you had it open')
  await expect(topic).toHaveValue('Gratitude')
  await page.screenshot({ path: 'test-results/changed-elsewhere-session.png' })

  // Made again on the new version, the change saves.
  await topic.fill('Boundaries and gratitude')
  await record.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(record.getByRole('alert')).toHaveCount(0)
  expect((await api.call('sessions.sheet', { sessionId: session.id })).session).toMatchObject({ topic: 'Boundaries and gratitude', version: 3 })
})

import { expect, openCheckIn, test } from './fixtures'

test('“Referral” ticked at the desk puts the person on the referral work list until one is made for them', async ({ desk: page, api }) => {
  const deshawn = await api.call('participants.create', { firstName: 'DeShawn', lastName: 'Miles' })
  await api.call('agencies.save', { name: 'Harbor Treatment Center', types: ['treatment'] })
  // At the desk: DeShawn signs in for peer support and a referral.
  const panel = await openCheckIn(page, 'deshawn', 'DeShawn M.')
  await panel.getByRole('checkbox', { name: 'Referral' }).check()
  await panel.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByText(/^DeShawn M\. at \d\d:\d\d$/)).toBeVisible()

  // On the referrals screen he waits at the top, and one button starts his referral.
  await page.getByRole('navigation').getByRole('button', { name: 'Referrals' }).click()
  const waiting = page.getByRole('list', { name: '1 person asked for a referral at the desk' })
  await expect(waiting).toContainText('DeShawn M.')
  await page.screenshot({ path: 'test-results/referral-requests.png' })
  await waiting.getByRole('button', { name: 'Start a referral for DeShawn M.' }).click()
  const dialog = page.getByRole('dialog', { name: 'New referral' })
  await expect(dialog).toContainText('DeShawn')
  await dialog.getByRole('combobox', { name: 'Referral for' }).click()
  await page.getByRole('option', { name: 'Treatment' }).click()
  await dialog.getByRole('combobox', { name: 'Agency' }).click()
  await page.getByRole('option', { name: 'Harbor Treatment Center' }).click()
  await dialog.getByRole('button', { name: 'Make the referral' }).click()
  await expect(page.getByRole('list', { name: /asked for a referral at the desk/ })).toHaveCount(0)
  expect(await api.call('referrals.requests', {})).toEqual([])
  expect((await api.call('referrals.list', { offset: 0, limit: 10, filter: { participantId: deshawn.id, view: 'all' } })).rows).toHaveLength(1)
})

import { seedDatabase } from '../../db/seed'
import { expect, test } from './fixtures'

test('participant list: thousands of rows, windowed paging, sort, filters, columns, open a profile', async ({ desk: page, api, host }) => {
  await seedDatabase(host.core.database!, { participants: 3000, days: 30, seed: 7, until: host.core.now() })
  const zeb = await api.call('participants.create', { firstName: 'Zebulon', lastName: 'Quartermaine', birthYear: 1970 })
  const all = await api.call('participants.list', { offset: 0, limit: 1, sort: { column: 'name', direction: 'asc' } })
  expect(all.total).toBeGreaterThan(3000)

  await page.getByRole('button', { name: 'Participants' }).click()
  await expect(page.getByTestId('list-total')).toHaveText(`${all.total.toLocaleString('en-US')} people`)
  const grid = page.getByRole('grid', { name: 'Participants' })
  await expect(grid).toHaveAttribute('aria-rowcount', String(all.total + 1))
  const bodyRows = grid.locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])')
  // Only what is in view (plus a few) is in the page.
  await expect(bodyRows.first()).toContainText(all.rows[0]!.firstName ?? '')
  expect(await bodyRows.count()).toBeLessThan(40)

  // Sort by a header: aria-sort follows, and the first row is main's first row.
  const nameHeader = grid.getByRole('columnheader', { name: 'Name' })
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending')
  await nameHeader.getByRole('button').click()
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending')
  const desc = await api.call('participants.list', { offset: 0, limit: 1, sort: { column: 'name', direction: 'desc' } })
  await expect(bodyRows.first()).toContainText(desc.rows[0]!.code)
  const visitsHeader = grid.getByRole('columnheader', { name: 'Visits' })
  await visitsHeader.getByRole('button').click()
  await expect(visitsHeader).toHaveAttribute('aria-sort', 'descending')
  await expect(nameHeader).toHaveAttribute('aria-sort', 'none')
  const most = await api.call('participants.list', { offset: 0, limit: 1, sort: { column: 'visits', direction: 'desc' } })
  await expect(bodyRows.first()).toContainText(most.rows[0]!.code)

  // The keyboard walks the list; End goes to the very last row, fetched from main on the way.
  await grid.focus()
  await page.keyboard.press('ArrowDown')
  await expect(grid).toHaveAttribute('aria-activedescendant', /-row-1$/)
  await page.keyboard.press('End')
  const last = await api.call('participants.list', { offset: all.total - 1, limit: 1, sort: { column: 'visits', direction: 'desc' } })
  const lastRow = grid.locator(`[role="row"][aria-rowindex="${all.total + 1}"]`)
  await expect(lastRow).toContainText(last.rows[0]!.code)
  await expect(lastRow).toHaveAttribute('aria-selected', 'true')
  expect(await bodyRows.count()).toBeLessThan(40)

  // Filters: never visited, then text.
  await page.getByText('Never visited').click()
  const never = await api.call('participants.list', { offset: 0, limit: 1, filter: { neverVisited: true } })
  await expect(page.getByTestId('list-total')).toHaveText(`${never.total.toLocaleString('en-US')} ${never.total === 1 ? 'person' : 'people'}`)
  await page.getByRole('textbox', { name: 'Filter' }).fill('quartermaine')
  await expect(page.getByTestId('list-total')).toHaveText('1 person')
  await expect(bodyRows).toHaveCount(1)
  await expect(bodyRows.first()).toContainText('Zebulon Quartermaine')

  // Column chooser, remembered on this computer.
  await expect(grid.getByRole('columnheader', { name: 'Phone' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Columns' }).click()
  await page.getByRole('checkbox', { name: 'Phone' }).check()
  await page.keyboard.press('Escape')
  await expect(grid.getByRole('columnheader', { name: 'Phone' })).toBeVisible()
  expect(await page.evaluate(() => localStorage.getItem('porchlight.list.hiddenColumns'))).not.toContain('phone')

  // Enter opens the profile of the active row; a double click does too.
  await grid.focus()
  await page.keyboard.press('Enter')
  const profile = page.getByRole('dialog', { name: 'Zebulon Quartermaine' })
  await expect(profile).toContainText(`Code ${zeb.code}`)
  await page.keyboard.press('Escape')
  await expect(profile).toBeHidden()
  await expect(grid).toBeFocused()
  await bodyRows.first().dblclick()
  await expect(profile).toBeVisible()
  await page.keyboard.press('Escape')

  await page.reload()
  await page.getByRole('button', { name: 'Participants' }).click()
  await expect(page.getByRole('grid', { name: 'Participants' }).getByRole('columnheader', { name: 'Phone' })).toBeVisible()
})

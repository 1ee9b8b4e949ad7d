import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { ADMIN, expect, test } from './fixtures'

/**
 * The same person at two centers (issue 15 point 4): with the counting rule on, the admin's
 * Centers screen lists likely pairs of records of different centers; "Same person" and "Not the
 * same" by keyboard, then "Undo" on a matched record. axe in English and Spanish; screenshots in
 * test-results/person-matches/.
 */
const SHOTS = join('test-results', 'person-matches')
const TIMEOUT = 400_000
test.describe.configure({ timeout: TIMEOUT })

async function toLanguage(page: Page, label: 'EN' | 'ES'): Promise<void> {
  await page.getByText(label, { exact: true }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', label.toLowerCase())
}

test('an admin reviews records at two centers: same person, not the same, undo, in English and Spanish @postgres', async ({ desk: page, api }) => {
  mkdirSync(SHOTS, { recursive: true })
  await page.setViewportSize({ width: 1280, height: 900 })
  const found: Found[] = []
  await api.call('settings.setFieldRules', { rules: { birthDate: 'optional' } })
  const north = await api.call('centers.create', { name: 'North Side' })
  await api.call('participants.create', { firstName: 'Maria', lastName: 'Lopez', birthDate: '1980-03-04', birthYear: 1980 })
  await api.call('participants.create', { firstName: 'Jon', lastName: 'Reyes', birthYear: 1975 })
  await api.call('centers.switch', { centerId: north.id })
  const there = await api.call('participants.create', { firstName: 'María', lastName: 'López', birthDate: '1980-03-04', birthYear: 1980 })
  await api.call('visits.signIn', { participantId: there.id, services: [] })
  await api.call('participants.create', { firstName: 'John', lastName: 'Reyes', birthYear: 1975 })
  await api.call('centers.switch', { centerId: 1 })

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Centers', exact: true }).click()
  const panel = page.getByRole('region', { name: 'Same person at two centers' })
  // Off until the centers agree to match people: nothing is proposed.
  await expect(panel).toContainText('only when your centers have agreed to match people')
  await page.getByRole('radio', { name: 'Our centers have agreed to match people' }).check()
  await page.getByRole('button', { name: 'Save counting rule' }).click()
  const pairs = panel.getByRole('table', { name: 'Possible matches between centers' })
  await expect(pairs.getByRole('row')).toHaveCount(3)
  await expect(pairs.getByRole('row').nth(1)).toContainText('Maria Lopez')
  await expect(pairs.getByRole('row').nth(1)).toContainText('North Side')
  await expect(pairs.getByRole('row').nth(1)).toContainText('Born Mar 4, 1980')
  await scan(page, 'centers: possible matches', found)
  await panel.screenshot({ path: join(SHOTS, 'matches-en.png') })
  await toLanguage(page, 'ES')
  const panelEs = page.getByRole('region', { name: 'La misma persona en dos centros' })
  await expect(panelEs.getByRole('table', { name: 'Posibles coincidencias entre centros' }).getByRole('row')).toHaveCount(3)
  await scan(page, 'centros: posibles coincidencias (es)', found)
  await panelEs.screenshot({ path: join(SHOTS, 'matches-es.png') })
  await toLanguage(page, 'EN')

  // By keyboard: the pair's buttons say whom they are about; Enter answers.
  await page.getByRole('button', { name: `Same person: Maria Lopez at ${ADMIN.centerName} and María López at North Side`, exact: true }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByText('Maria Lopez and María López are now counted as one person.')).toBeVisible()
  await page.getByRole('button', { name: `Not the same person: Jon Reyes at ${ADMIN.centerName} and John Reyes at North Side`, exact: true }).focus()
  await page.keyboard.press('Enter')
  await expect(panel).toContainText('No possible matches to review right now.')
  const matched = panel.getByRole('table', { name: 'Matched records' })
  await expect(matched.getByRole('row')).toHaveCount(2)
  await expect(matched).toContainText('María López')
  await scan(page, 'centers: matched records', found)
  await panel.screenshot({ path: join(SHOTS, 'matched-en.png') })
  await toLanguage(page, 'ES')
  await expect(page.getByRole('table', { name: 'Registros identificados' })).toBeVisible()
  await scan(page, 'centros: registros identificados (es)', found)
  await page.getByRole('region', { name: 'La misma persona en dos centros' }).screenshot({ path: join(SHOTS, 'matched-es.png') })
  await toLanguage(page, 'EN')

  // Undo: the record counts as its own person again, and the pair comes back for review.
  await page.getByRole('button', { name: 'Undo the match of María López at North Side' }).click()
  await expect(page.getByText('María López at North Side counts as their own person again.')).toBeVisible()
  await expect(matched).toHaveCount(0)
  await expect(pairs.getByRole('row')).toHaveCount(2)

  expect(found, report(found)).toEqual([])
})

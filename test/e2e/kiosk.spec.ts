import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

/** Distinctive last names: none of them may ever reach the kiosk's screen. */
const PEOPLE = [
  { firstName: 'Marisol', lastName: 'Featherstonehaugh', birthYear: 1988 },
  { firstName: 'Marisol', lastName: 'Wojciechowski', birthYear: 1988 },
  { firstName: 'Marisol', lastName: 'Quillfeather', birthYear: 1990 },
  { firstName: 'Bartholomew', lastName: 'Okonkwo-Ellery', birthYear: 1988 },
  { firstName: 'Tomasz', lastName: 'Brightwater', birthYear: 1966 },
]
const LAST_NAMES = PEOPLE.map((p) => p.lastName)

/** Neither the page's HTML nor its visible text holds any of the last names. */
async function expectNoLastNames(page: Page): Promise<void> {
  const html = await page.content()
  const text = await page.locator('body').innerText()
  for (const name of LAST_NAMES) {
    expect(html, `"${name}" in the page's HTML`).not.toContain(name)
    expect(text, `"${name}" on screen`).not.toContain(name)
  }
}

test('kiosk check-in shows no one’s last name, only the chosen first name and initial', async ({ desk: page, api }) => {
  const made = []
  for (const person of PEOPLE) made.push(await api.call('participants.create', person))
  const services = await api.call('catalog.services', {})
  // One of them is already on the board, so the desk page itself has seen them.
  await api.call('visits.signIn', { participantId: made[4]!.id, services: [] })
  await page.reload()
  await expect(page.getByRole('table', { name: 'Everyone signed in today, newest first' })).toContainText('Tomasz B.')
  // A staff member looked at a full record just before handing the screen over.
  await page.getByRole('button', { name: 'Open the profile of Tomasz B.' }).click()
  await expect(page.getByRole('dialog', { name: 'Tomasz Brightwater' })).toBeVisible()
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Kiosk mode' }).click()
  await page.getByRole('dialog', { name: 'Start kiosk mode?' }).getByRole('button', { name: 'Start kiosk mode' }).click()

  // Start: no navigation, no records; EN/ES always there.
  await expect(page.getByRole('heading', { name: 'Welcome!' })).toBeVisible()
  await expect(page.getByRole('navigation')).toHaveCount(0)
  await expect(page.getByRole('radiogroup', { name: 'Language' })).toBeVisible()
  await expectNoLastNames(page)
  await expect(page.locator('body')).not.toContainText('Tomasz')
  await page.getByRole('button', { name: 'Sign in' }).click()

  // Find: first name and birth year from the on-screen keypad.
  await expect(page.getByRole('heading', { name: "Let's find you" })).toBeVisible()
  await page.getByRole('textbox', { name: 'Your first name' }).fill('marisol')
  const keypad = page.getByRole('group', { name: 'Number keypad' })
  for (const digit of '1988') await keypad.getByRole('button', { name: digit, exact: true }).click()
  await expect(page.getByRole('textbox', { name: 'The year you were born' })).toHaveValue('1988')
  await expectNoLastNames(page)
  await page.getByRole('button', { name: 'Find me' }).click()

  // Pick: the two Marisols born in 1988, as first name and initial only.
  await expect(page.getByRole('heading', { name: 'Which one is you?' })).toBeVisible()
  const choices = page.getByRole('list', { name: 'Which one is you?' }).getByRole('button')
  await expect(choices).toHaveText(['Marisol F.', 'Marisol W.'], { useInnerText: true })
  await expectNoLastNames(page)
  // Big enough for a finger.
  const box = await choices.first().boundingBox()
  expect(box!.height).toBeGreaterThanOrEqual(64)
  await choices.filter({ hasText: 'Marisol F.' }).click()

  // Services: large toggles.
  await expect(page.getByRole('heading', { name: 'Hi, Marisol F.! What are you here for today?' })).toBeVisible()
  const meal = page.getByRole('checkbox', { name: 'Meal' })
  await meal.click()
  await expect(meal).toBeChecked()
  await expectNoLastNames(page)
  await page.screenshot({ path: 'test-results/kiosk.png' })
  await page.getByRole('button', { name: 'Sign me in' }).click()

  // Confirmation, then back to the start.
  await expect(page.getByRole('heading', { name: 'Welcome, Marisol!' })).toBeVisible()
  await expectNoLastNames(page)
  await page.getByRole('button', { name: 'Done' }).click()
  await expect(page.getByRole('heading', { name: 'Welcome!' })).toBeVisible()

  // By code, in Spanish this time.
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await page.getByRole('button', { name: 'Registrar mi entrada' }).click()
  await page.getByText('Tengo un código').click()
  await page.getByRole('textbox', { name: 'Su código' }).fill(made[3]!.code.toLowerCase())
  await page.getByRole('button', { name: 'Buscarme' }).click()
  await expect(page.getByRole('list', { name: '¿Cuál es usted?' }).getByRole('button')).toHaveText(['Bartholomew O.'], { useInnerText: true })
  await expectNoLastNames(page)
  // Starting over also brings back the screen's own language for the next person.
  await page.getByRole('button', { name: 'Empezar de nuevo' }).click()
  await expect(page.getByRole('heading', { name: 'Welcome!' })).toBeVisible()

  // A staff member takes the screen back.
  await page.getByRole('button', { name: 'Staff' }).click()
  const exit = page.getByRole('dialog', { name: 'Staff sign-in' })
  await exit.getByRole('textbox', { name: 'Username' }).fill('dana')
  await exit.getByRole('textbox', { name: 'Password' }).fill('wrong password')
  await exit.getByRole('button', { name: 'Back to the front desk' }).click()
  await expect(exit.getByRole('alert')).toContainText('do not match')
  await exit.getByRole('textbox', { name: 'Password' }).fill('correct horse battery')
  await exit.getByRole('button', { name: 'Back to the front desk' }).click()

  // Back at the desk: Marisol F.'s kiosk visit is on the board, with her meal.
  await expect(page.getByRole('combobox', { name: 'Find a person' })).toBeVisible()
  const row = page.getByRole('table', { name: 'Everyone signed in today, newest first' }).getByRole('row').filter({ hasText: 'Marisol F.' })
  await expect(row).toContainText('Meal')
  expect(services.some((s) => s.nameEn === 'Meal')).toBe(true)
})

test('the kiosk goes back to its start after 30 seconds without a touch', async ({ desk: page }) => {
  await page.clock.install()
  await page.reload()
  await page.getByRole('button', { name: 'Kiosk mode' }).click()
  await page.getByRole('button', { name: 'Start kiosk mode' }).click()
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('textbox', { name: 'Your first name' }).fill('Somebody')
  await page.clock.runFor(20_000)
  // Still there after 20 s; a touch starts the wait again.
  await expect(page.getByRole('heading', { name: "Let's find you" })).toBeVisible()
  await page.getByRole('group', { name: 'Number keypad' }).getByRole('button', { name: '1', exact: true }).click()
  await page.clock.runFor(20_000)
  await expect(page.getByRole('heading', { name: "Let's find you" })).toBeVisible()
  await page.clock.runFor(11_000)
  await expect(page.getByRole('heading', { name: 'Welcome!' })).toBeVisible()
  // And what was typed is gone.
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('textbox', { name: 'Your first name' })).toHaveValue('')
})

import type { Page } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { expect, test } from './fixtures'

/** Distinctive last names: none of them may ever reach the kiosk's screen. */
const PEOPLE = [
  { firstName: 'Marisol', lastName: 'Featherstonehaugh', birthYear: 1988, phone: '555 010 4471' },
  { firstName: 'Marisol', lastName: 'Wojciechowski', birthYear: 1988, phone: '555 010 9932' },
  { firstName: 'Marisol', lastName: 'Quillfeather', birthYear: 1990 },
  { firstName: 'Bartholomew', lastName: 'Okonkwo-Ellery', birthYear: 1988 },
  { firstName: 'Tomasz', lastName: 'Brightwater', birthYear: 1966 },
]
const LAST_NAMES = PEOPLE.map((p) => p.lastName)

/** Neither the page's HTML nor its visible text holds any of these. */
async function expectNone(page: Page, words: readonly string[]): Promise<void> {
  const html = await page.content()
  const text = await page.locator('body').innerText()
  for (const word of words) {
    expect(html, `"${word}" in the page's HTML`).not.toContain(word)
    expect(text, `"${word}" on screen`).not.toContain(word)
  }
}

async function startKiosk(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Kiosk mode' }).click()
  await page.getByRole('dialog', { name: 'Start kiosk mode?' }).getByRole('button', { name: 'Start kiosk mode' }).click()
  await expect(page.getByRole('heading', { name: 'Welcome!' })).toBeVisible()
}

async function keypadType(page: Page, digits: string): Promise<void> {
  const keypad = page.getByRole('group', { name: /Number keypad|Teclado de números/ })
  for (const digit of digits) await keypad.getByRole('button', { name: digit, exact: true }).click()
}

test('kiosk check-in shows no name the person did not type, and settles two records for one name and year with the phone', { tag: '@postgres' }, async ({ desk: page, api }) => {
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

  await startKiosk(page)
  // Start: no navigation, no records; EN/ES always there.
  await expect(page.getByRole('navigation')).toHaveCount(0)
  await expect(page.getByRole('radiogroup', { name: 'Language' })).toBeVisible()
  await expectNone(page, [...LAST_NAMES, 'Tomasz'])
  await page.getByRole('button', { name: 'Sign in' }).click()

  // Find: first name and birth year from the on-screen keypad.
  await expect(page.getByRole('heading', { name: "Let's find you" })).toBeVisible()
  await page.getByRole('textbox', { name: 'Your first name' }).fill('marisol')
  await keypadType(page, '1988')
  await expect(page.getByRole('textbox', { name: 'The year you were born' })).toHaveValue('1988')
  await page.getByRole('button', { name: 'Find me' }).click()

  // Two Marisols born in 1988: no choice between them, one more question instead.
  await expect(page.getByRole('heading', { name: 'One more thing, so we know it’s you' })).toBeVisible()
  await expectNone(page, [...LAST_NAMES, 'Marisol F', 'Marisol W', 'Bartholomew', 'Tomasz'])
  await keypadType(page, '4471')
  await expect(page.getByRole('textbox', { name: 'The last four numbers of your phone' })).toHaveValue('4471')
  // Big enough for a finger.
  const box = await page.getByRole('button', { name: 'Continue' }).boundingBox()
  expect(box!.height).toBeGreaterThanOrEqual(64)
  await page.getByRole('button', { name: 'Continue' }).click()

  // Services: greeted by the name she typed, nothing more.
  await expect(page.getByRole('heading', { name: 'Hi, Marisol! What are you here for today?' })).toBeVisible()
  const meal = page.getByRole('checkbox', { name: 'Meal' })
  await meal.click()
  await expect(meal).toBeChecked()
  await expectNone(page, LAST_NAMES)
  await page.screenshot({ path: 'test-results/kiosk.png' })
  await page.getByRole('button', { name: 'Sign me in' }).click()

  // Confirmation, then back to the start.
  await expect(page.getByRole('heading', { name: 'Welcome, Marisol!' })).toBeVisible()
  await expectNone(page, LAST_NAMES)
  await page.getByRole('button', { name: 'Done' }).click()
  await expect(page.getByRole('heading', { name: 'Welcome!' })).toBeVisible()

  // By code, in Spanish this time: found, and greeted without any name.
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await page.getByRole('button', { name: 'Registrar mi entrada' }).click()
  await page.getByText('Tengo un código').click()
  await page.getByRole('textbox', { name: 'Su código' }).fill(made[3]!.code.toLowerCase())
  await page.getByRole('button', { name: 'Buscarme' }).click()
  await expect(page.getByRole('heading', { name: '¡Hola! ¿Qué necesita hoy?' })).toBeVisible()
  await expectNone(page, [...LAST_NAMES, 'Bartholomew'])
  // Starting over also brings back the screen's own language for the next person.
  await page.getByRole('button', { name: 'Empezar de nuevo' }).click()
  await expect(page.getByRole('heading', { name: 'Welcome!' })).toBeVisible()

  // A staff member takes the screen back.
  await page.getByRole('button', { name: 'Staff', exact: true }).click()
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

test('“Tiny” and two “Stephanie”s: a stranger learns nothing, a wrong answer goes to the desk, the phone settles it; in Spanish too', async ({ desk: page, api }) => {
  await api.call('participants.create', { firstName: 'Tiny', lastName: 'Okoro', birthYear: 1987, phone: '555 300 1111' })
  await api.call('participants.create', { firstName: 'Chidi', lastName: 'Pemberton', nickname: 'Tiny', birthYear: 1987, phone: '555 300 2222' })
  await api.call('participants.create', { firstName: 'Stephanie', lastName: 'Adeyemi', birthYear: 1983, phone: '555 400 1234' })
  const baker = await api.call('participants.create', { firstName: 'Stephanie', lastName: 'Bakersfield', birthYear: 1983, phone: '555 400 5678' })
  const strangerMustNotSee = ['Chidi', 'Pemberton', 'Okoro', 'Adeyemi', 'Bakersfield', 'Tiny O', 'Tiny P', 'Stephanie A', 'Stephanie B']
  await startKiosk(page)

  // A stranger types "Tiny" and 1987: one more question, and no other name anywhere.
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('textbox', { name: 'Your first name' }).fill('Tiny')
  await keypadType(page, '1987')
  await page.getByRole('button', { name: 'Find me' }).click()
  await expect(page.getByRole('heading', { name: 'One more thing, so we know it’s you' })).toBeVisible()
  await expectNone(page, strangerMustNotSee)
  // A guess that fits neither: the desk, with nothing learned.
  await keypadType(page, '0000')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('heading', { name: 'Please ask at the front desk' })).toBeVisible()
  await expectNone(page, strangerMustNotSee)
  await page.getByRole('button', { name: 'Start over' }).click()

  // Stephanie, in Spanish, settles it with her phone and signs in as herself.
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('ES').click()
  await page.getByRole('button', { name: 'Registrar mi entrada' }).click()
  // A name with digits is refused in the screen's language, before anything is asked of main.
  await page.getByRole('textbox', { name: 'Su nombre' }).fill('Stephanie3')
  await keypadType(page, '1983')
  await page.getByRole('button', { name: 'Buscarme' }).click()
  await expect(page.getByText('Escriba su nombre solo con letras.')).toBeVisible()
  await page.getByRole('textbox', { name: 'Su nombre' }).fill('Stephanie')
  await page.getByRole('button', { name: 'Buscarme' }).click()
  await expect(page.getByRole('heading', { name: 'Una cosa más, para saber que es usted' })).toBeVisible()
  await expectNone(page, strangerMustNotSee)
  await keypadType(page, '5678')
  await page.getByRole('button', { name: 'Continuar' }).click()
  await expect(page.getByRole('heading', { name: '¡Hola, Stephanie! ¿Qué necesita hoy?' })).toBeVisible()
  await page.getByRole('button', { name: 'Registrar mi entrada' }).click()
  await expect(page.getByRole('heading', { name: '¡Bienvenido(a), Stephanie!' })).toBeVisible()
  await expectNone(page, strangerMustNotSee)

  // The desk sees the right Stephanie on the board.
  const today = await api.call('visits.today', {})
  expect(today.map((visit) => visit.participant?.id)).toEqual([baker.id])
})

test('the kiosk goes back to its start after 30 seconds without a touch', async ({ desk: page }) => {
  // The page's clock is installed by the fixture (fixtures.ts): runFor moves it on by hand.
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

test('the center’s kiosk settings: a longer reset, and a service required before signing in', async ({ desk: page, api }) => {
  await api.call('participants.create', { firstName: 'Marisol', lastName: 'Featherstonehaugh', birthYear: 1988 })
  await api.call('settings.setCenter', { centerName: 'Harbor Light Recovery Center', timeZone: 'UTC', kioskResetSeconds: 60, requireService: true })
  await page.reload()
  await startKiosk(page)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('textbox', { name: 'Your first name' }).fill('Marisol')
  await keypadType(page, '1988')
  await page.getByRole('button', { name: 'Find me' }).click()
  await expect(page.getByRole('heading', { name: 'Hi, Marisol! What are you here for today?' })).toBeVisible()
  // Nothing tapped: asked for one thing, and nothing is written.
  await page.getByRole('button', { name: 'Sign me in' }).click()
  await expect(page.getByRole('alert')).toHaveText('Tap at least one thing you came for today.')
  expect(await api.call('visits.today', {})).toHaveLength(0)
  const found: Found[] = []
  await scan(page, 'kiosk: a service is needed', found)
  expect(found, report(found)).toEqual([])
  // 60 seconds now, not 30: still here after 40.
  await page.clock.runFor(40_000)
  await expect(page.getByRole('heading', { name: 'Hi, Marisol! What are you here for today?' })).toBeVisible()
  await page.getByRole('checkbox', { name: 'Meal' }).click()
  await expect(page.getByRole('alert')).toHaveCount(0)
  await page.getByRole('button', { name: 'Sign me in' }).click()
  await expect(page.getByRole('heading', { name: /Welcome, Marisol/ })).toBeVisible()
  expect(await api.call('visits.today', {})).toHaveLength(1)
})

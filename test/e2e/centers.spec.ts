import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { report, scan, type Found } from './axe'
import { ADMIN, expect, hostApi, signIn, signInAtDesk, test } from './fixtures'
import { runningClock } from '../clock'
import { DEMO_CENTER, setUpDemo } from '../host/demo'
import { startHost, type RunningHost } from '../host/server'

/**
 * Several centers on screen (issue 15): an admin adds a second center on the Centers screen and
 * gives a front-desk account both on the Staff screen; that desk switches from the header (by
 * keyboard) and finds the other center's empty board; a desk of one center sees no switcher.
 * axe over the new screen and dialogs in English and Spanish; screenshots in test-results/centers/.
 */
const SHOTS = join('test-results', 'centers')
const SCANS_TIMEOUT = 400_000
// The fixtures' sign-in counts against the test's time too (slow on a shared machine).
test.describe.configure({ timeout: SCANS_TIMEOUT })

async function toLanguage(page: Page, label: 'EN' | 'ES'): Promise<void> {
  // A dialog just closed stays in the page for its fade-out, its overlay taking the click meant for the header.
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await page.getByText(label, { exact: true }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', label.toLowerCase())
}

/** A front-desk account with its own password already chosen (through its own API session). */
async function deskAccount(host: RunningHost, admin: ReturnType<typeof hostApi>, username: string, displayName: string) {
  const made = await admin.call('staff.create', { username, displayName, role: 'front_desk', password: 'handed over 123' })
  const own = hostApi(host)
  await own.call('auth.login', { username, password: 'handed over 123' })
  await own.call('auth.changePassword', { currentPassword: 'handed over 123', newPassword: `${username} has a secret 9` })
  return { id: made.id, username, password: `${username} has a secret 9` }
}

test('an admin adds a second center and gives a desk both; the desk switches and sees that center’s empty board; a one-center desk sees no switcher', async ({ desk: page, host, api }) => {
  test.setTimeout(SCANS_TIMEOUT)
  mkdirSync(SHOTS, { recursive: true })
  await page.setViewportSize({ width: 1280, height: 860 })
  const found: Found[] = []
  const jo = await deskAccount(host, api, 'jofront', 'Jo Front')
  const kim = await deskAccount(host, api, 'kimsingle', 'Kim Single')
  // Someone is here at the first center, so its board is not empty.
  const dee = await api.call('participants.create', { firstName: 'Dee', lastName: 'Morales', birthYear: 1990 })
  await api.call('visits.signIn', { participantId: dee.id, services: [] })
  // With one center, the admin's header has no switcher.
  await expect(page.getByRole('heading', { level: 1, name: ADMIN.centerName })).toBeVisible()
  await expect(page.getByRole('button', { name: /Switch center/ })).toHaveCount(0)

  // The Centers screen: add North Side.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Centers', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Centers', exact: true })).toBeVisible()
  await page.getByRole('button', { name: 'Add a center' }).click()
  const add = page.getByRole('dialog', { name: 'Add a center' })
  await add.getByRole('button', { name: 'Add center' }).click()
  await expect(add).toContainText('Enter the center')
  await scan(page, 'centers: add dialog with an error', found)
  await add.getByRole('textbox', { name: 'Name' }).fill('North Side')
  await add.getByRole('button', { name: 'Add center' }).click()
  await expect(add).toBeHidden()
  const table = page.getByRole('table', { name: 'Centers of the organization' })
  await expect(table.getByRole('row').filter({ hasText: 'North Side' })).toContainText('In use')
  await expect(table.getByRole('row').filter({ hasText: ADMIN.centerName })).toContainText('1')
  // Archiving asks first (and would refuse while someone's home center is there).
  await page.getByRole('button', { name: 'Archive North Side' }).click()
  const archive = page.getByRole('dialog', { name: 'Archive North Side?' })
  await expect(archive).toContainText('Its records stay')
  await scan(page, 'centers: archive dialog', found)
  await archive.getByRole('button', { name: 'Cancel' }).click()
  await scan(page, 'centers screen', found)
  await page.screenshot({ path: join(SHOTS, 'centers-screen-en.png'), fullPage: true })

  // The Staff screen now shows where each account works; Jo gets North Side too.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Staff', exact: true }).click()
  const staff = page.getByRole('table', { name: 'Staff accounts' })
  await expect(staff.getByRole('row').filter({ hasText: 'Jo Front' })).toContainText(`Home: ${ADMIN.centerName}`)
  await page.getByRole('button', { name: 'Centers of Jo Front' }).click()
  const where = page.getByRole('dialog', { name: 'Where Jo Front works' })
  await where.getByRole('checkbox', { name: 'North Side' }).check()
  await scan(page, 'staff: where an account works', found)
  await where.getByRole('button', { name: 'Save' }).click()
  await expect(where).toBeHidden()
  await expect(staff.getByRole('row').filter({ hasText: 'Jo Front' })).toContainText(`Home: ${ADMIN.centerName} · also North Side`)
  await expect(staff.getByRole('row').filter({ hasText: 'Kim Single' })).not.toContainText('North Side')
  await page.screenshot({ path: join(SHOTS, 'staff-centers-en.png'), fullPage: true })

  // In Spanish, the same screen and dialogs.
  await toLanguage(page, 'ES')
  await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('button', { name: 'Centros', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Centros', exact: true })).toBeVisible()
  await scan(page, 'centros (es)', found)
  await page.screenshot({ path: join(SHOTS, 'centers-screen-es.png'), fullPage: true })
  await page.getByRole('button', { name: 'Agregar un centro' }).click()
  await scan(page, 'agregar un centro (es)', found)
  await page.getByRole('dialog', { name: 'Agregar un centro' }).getByRole('button', { name: 'Cancelar' }).click()
  await toLanguage(page, 'EN')

  // Jo signs in: the header says where this window works, with a switcher; so does the desk.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await signInAtDesk(page, host, jo)
  await expect(page.getByRole('heading', { level: 1, name: ADMIN.centerName })).toBeVisible()
  await expect(page.getByText(`Signing people in at ${ADMIN.centerName}`)).toBeVisible()
  const board = page.getByRole('region', { name: /Today's visits/ })
  await expect(board).toContainText('Dee')
  // A half-typed search does not follow the desk to the other center.
  await page.getByRole('combobox', { name: 'Find a person' }).fill('Dee')
  // By keyboard: the switcher opens with Enter, the arrows pick, Enter switches.
  const switcher = page.getByRole('button', { name: `Working in ${ADMIN.centerName}. Switch center` })
  await switcher.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('menuitem', { name: 'North Side' })).toBeVisible()
  await scan(page, 'header: center switcher open', found)
  await page.screenshot({ path: join(SHOTS, 'header-switcher-en.png') })
  await page.getByRole('menuitem', { name: 'North Side' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'North Side' })).toBeVisible()
  await expect(page.getByText('Signing people in at North Side')).toBeVisible()
  await expect(page.getByRole('region', { name: /Today's visits/ })).toContainText('No one has signed in yet today.')
  await expect(page.getByRole('combobox', { name: 'Find a person' })).toHaveValue('')
  await page.getByRole('combobox', { name: 'Find a person' }).fill('Dee')
  await expect(page.getByText('No one matches “Dee”.')).toBeVisible()
  await scan(page, 'front desk at the second center', found)
  await page.screenshot({ path: join(SHOTS, 'desk-second-center-en.png') })
  await toLanguage(page, 'ES')
  await expect(page.getByText('Registrando entradas en North Side')).toBeVisible()
  const switcherEs = page.getByRole('button', { name: 'Trabajando en North Side. Cambiar de centro' })
  await switcherEs.hover()
  const tip = page.getByText('Cambiar de centro', { exact: true })
  await expect(tip).toBeVisible()
  await switcherEs.click()
  await expect(page.getByRole('menuitem', { name: ADMIN.centerName })).toBeVisible()
  // The tooltip gives way to the open menu (it sat half behind it).
  await expect(tip).toBeHidden()
  await scan(page, 'header: center switcher open (es)', found)
  await page.screenshot({ path: join(SHOTS, 'header-switcher-es.png') })
  await page.keyboard.press('Escape')
  await toLanguage(page, 'EN')

  // Kim works in one center only: the header is as it always was, with no switcher.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await signInAtDesk(page, host, kim)
  await expect(page.getByRole('heading', { level: 1, name: ADMIN.centerName })).toBeVisible()
  await expect(page.getByRole('region', { name: /Today's visits/ })).toContainText('Dee')
  await expect(page.getByRole('button', { name: /Switch center/ })).toHaveCount(0)
  await expect(page.getByText(/Signing people in at/)).toHaveCount(0)

  expect(found, report(found)).toEqual([])
})

test('on the demo center with a second center: the header switcher and the Centers screen, in English and Spanish (screenshots), the header whole', async ({ page }) => {
  test.setTimeout(SCANS_TIMEOUT)
  mkdirSync(SHOTS, { recursive: true })
  const host = await startHost({ now: runningClock() })
  try {
    const { logins } = await setUpDemo(host, { participants: 300, days: 30, seed: 15 })
    const admin = logins.find((login) => login.role === 'admin')!
    const desk = logins.find((login) => login.role === 'front_desk')!
    const api = hostApi(host)
    await api.call('auth.login', { username: admin.username, password: admin.password })
    const north = await api.call('centers.create', { name: 'Harbor Light North Side' })
    const deskId = (await api.call('staff.list', {})).find((account) => account.username === desk.username)!.id
    await api.call('centers.grant', { staffId: deskId, homeCenterId: 1, otherCenterIds: [north.id] })
    await page.setViewportSize({ width: 1280, height: 800 })

    // The admin's Centers screen, with the demo's people counted at the first center.
    await signIn(page, host, admin)
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Centers', exact: true }).click()
    const first = page.getByRole('table', { name: 'Centers of the organization' }).getByRole('row').filter({ hasText: DEMO_CENTER })
    await expect(first).toContainText('In use')
    // The demo's people are counted at the first center (the seeder merges a few, so not exactly 300).
    expect(Number(await first.getByRole('cell').nth(2).innerText())).toBeGreaterThan(200)
    await page.screenshot({ path: join(SHOTS, 'demo-centers-en.png'), fullPage: true })
    await toLanguage(page, 'ES')
    await expect(page.getByRole('table', { name: 'Centros de la organización' })).toBeVisible()
    await page.screenshot({ path: join(SHOTS, 'demo-centers-es.png'), fullPage: true })
    await toLanguage(page, 'EN')
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()

    // The front desk: which center, and the switcher, without crowding out who is signed in.
    await signInAtDesk(page, host, desk)
    for (const language of ['EN', 'ES'] as const) {
      await toLanguage(page, language)
      const banner = page.getByRole('banner')
      const switcher = banner.getByRole('button', { name: language === 'EN' ? `Working in ${DEMO_CENTER}. Switch center` : `Trabajando en ${DEMO_CENTER}. Cambiar de centro` })
      await expect(switcher).toBeVisible()
      await page.screenshot({ path: join(SHOTS, `demo-desk-${language.toLowerCase()}.png`) })
      const clipped = await banner
        .getByRole('button')
        .evaluateAll((buttons) => buttons.filter((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > window.innerWidth).map((b) => b.textContent))
      expect(clipped).toEqual([])
      expect((await banner.getByRole('heading', { level: 1 }).boundingBox())!.width, 'some of the center name shows').toBeGreaterThan(60)
      await switcher.click()
      await expect(page.getByRole('menuitem', { name: 'Harbor Light North Side' })).toBeVisible()
      await page.screenshot({ path: join(SHOTS, `demo-switcher-${language.toLowerCase()}.png`) })
      await page.keyboard.press('Escape')
    }
  } finally {
    await host.close()
  }
})

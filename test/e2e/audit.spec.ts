import { readFileSync, writeFileSync } from 'node:fs'
import type { Browser, Page } from '@playwright/test'
import { scan, report, type Found } from './axe'
import { expect, hostApi, test, type HostApi } from './fixtures'
import { lookAtPdf } from './pdf'
import { setUpDemo } from '../host/demo'
import type { RunningHost } from '../host/server'

/**
 * "Who opened DeShawn's file, and when?" An admin types his name in the audit log's Person
 * filter and reads, in plain words, every look at either of his records (the one merged away
 * too) and who it was; then prints his accounting of disclosures (Chromium's PDF) and saves it
 * as CSV. In English and in Spanish, with axe on the changed screen.
 */

interface Story {
  old: number
  kept: number
}

/** DeShawn's two records (the first merged into the second), a look at each by Jo at the desk, and a referral shared under consent. */
async function deshawn(host: RunningHost, api: HostApi): Promise<Story> {
  const old = (await api.call('participants.create', { firstName: 'Deshawn', lastName: 'M', birthYear: 1990 })).id
  const kept = (await api.call('participants.create', { firstName: 'DeShawn', lastName: 'Moore', birthYear: 1990 })).id
  await api.call('participants.create', { firstName: 'Ana', lastName: 'Lima', birthYear: 1979 })
  await api.call('staff.create', { username: 'jofront', displayName: 'Jo Front', role: 'front_desk', password: 'handed over 123' })
  const jo = hostApi(host)
  await jo.call('auth.login', { username: 'jofront', password: 'handed over 123' })
  await jo.call('auth.changePassword', { currentPassword: 'handed over 123', newPassword: 'jo has a secret 9' })
  await jo.call('participants.get', { id: old })
  await api.call('participants.merge', { keepId: kept, mergeId: old })
  await jo.call('participants.get', { id: kept })
  const agency = await api.call('agencies.save', { name: 'Harbor Treatment Center', types: ['treatment'] })
  const consent = await api.call('consents.create', {
    participantId: kept,
    agencyId: agency.id,
    purpose: 'Coordinate a treatment referral',
    information: ['contact', 'referral_status'],
    signedOn: '2026-11-25',
    expiresOn: '2027-11-25',
  })
  await api.call('referrals.create', { participantId: kept, agencyId: agency.id, type: 'treatment', consentId: consent.id })
  return { old, kept }
}

const WORDS = {
  en: {
    nav: 'Audit log',
    table: 'Audit log entries',
    person: 'Person',
    opened: 'Opened the profile',
    merged: /merged record Deshawn M/,
    produce: 'Produce the accounting',
    print: 'Print',
    csv: 'Save as CSV',
    header: 'Date,Sent to,Information,Purpose,How,Sent by,Record',
    info: 'Contact details, Referral status and outcome',
    title: 'Accounting of disclosures: DeShawn Moore',
    backwards: 'The period ends before it starts',
    periodTo: 'Period to',
    periodFrom: 'Period from',
    clear: 'Clear filters',
  },
  es: {
    nav: 'Registro de auditoría',
    table: 'Entradas del registro de auditoría',
    person: 'Persona',
    opened: 'Abrió el perfil',
    merged: /registro unido Deshawn M/,
    produce: 'Preparar el informe',
    print: 'Imprimir',
    csv: 'Guardar como CSV',
    header: 'Fecha,Enviado a,Información,Propósito,Cómo,Enviado por,Registro',
    info: 'Datos de contacto',
    title: 'Informe de divulgaciones: DeShawn Moore',
    backwards: 'termina antes de empezar',
    periodTo: 'Periodo hasta',
    periodFrom: 'Periodo desde',
    clear: 'Quitar filtros',
  },
} as const

async function findWhoOpened(page: Page, language: 'en' | 'es', found: Found[]) {
  const words = WORDS[language]
  await page.getByRole('navigation').getByRole('button', { name: words.nav }).click()
  const log = page.getByRole('table', { name: words.table })
  await expect(log).toBeVisible()
  await page.getByRole('button', { name: words.clear }).click()
  // Typing his name, as the desk knows him; the option shows his code beside it.
  const person = page.getByRole('combobox', { name: words.person, exact: true })
  await person.fill('DeShawn Moore')
  const option = page.getByRole('option', { name: /DeShawn “?.*Moore/ })
  await expect(option).toBeVisible()
  await option.click()
  const opened = log.getByRole('row').filter({ hasText: words.opened })
  await expect(opened).toHaveCount(2)
  // Both looks were Jo's; the older one, at the record merged away, sits under DeShawn Moore with the old number.
  await expect(opened.first()).toContainText('Jo Front')
  await expect(opened.first()).toContainText('DeShawn Moore')
  await expect(opened.nth(1)).toContainText('DeShawn Moore')
  await expect(opened.nth(1)).toContainText(words.merged)
  await expect(log).not.toContainText('Ana Lima')
  await expect(log).not.toContainText('participant.view')
  await page.screenshot({ path: `test-results/audit-person-${language}.png`, fullPage: true })
  await scan(page, `audit log by person (${language})`, found)
}

async function printAccounting(page: Page, browser: Browser, language: 'en' | 'es', found: Found[]) {
  const words = WORDS[language]
  // A period that ends before it starts: a clear message, and nothing produced.
  await page.getByLabel(words.periodFrom).fill('2026-11-25')
  await page.getByLabel(words.periodTo).fill('2026-01-01')
  await page.getByRole('button', { name: words.produce }).click()
  await expect(page.getByText(words.backwards)).toBeVisible()
  await expect(page.getByLabel(words.periodTo)).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('accounting')).toHaveCount(0)
  // Blank: the six years up to today.
  await page.getByLabel(words.periodFrom).fill('')
  await page.getByLabel(words.periodTo).fill('')
  await page.getByRole('button', { name: words.produce }).click()
  const accounting = page.getByTestId('accounting')
  await expect(accounting).toContainText('Harbor Treatment Center')
  await expect(accounting).toContainText(words.info)
  await page.screenshot({ path: `test-results/audit-accounting-${language}.png`, fullPage: true })
  await scan(page, `accounting of disclosures (${language})`, found)

  const download = page.waitForEvent('download')
  await accounting.getByRole('button', { name: words.csv }).click()
  const csv = readFileSync(await (await download).path(), 'utf8').split('\r\n')
  expect(csv[0]).toBe(words.header)
  expect(csv[1]).toContain('Harbor Treatment Center')
  expect(csv).toHaveLength(3)

  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', 'yes')
  })
  await accounting.getByRole('button', { name: words.print }).click()
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes')
  await page.emulateMedia({ media: 'print' })
  const sheet = page.getByTestId('accounting-sheet')
  await expect(sheet).toBeVisible()
  await expect(sheet).toContainText(words.title)
  await expect(sheet).toContainText('Harbor Treatment Center')
  await page.screenshot({ path: `test-results/audit-accounting-print-${language}.png`, fullPage: true })
  const pdf = await page.pdf({ format: 'Letter' })
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  await page.emulateMedia({ media: 'screen' })
  await page.evaluate(() => document.body.removeAttribute('data-printed'))
  const file = `test-results/audit-accounting-${language}.pdf`
  writeFileSync(file, pdf)
  await lookAtPdf(browser, file, `test-results/audit-accounting-pdf-${language}.png`, 1)
}

test('an admin finds who opened DeShawn’s file by typing his name, and prints his accounting of disclosures', async ({ desk: page, host, api, browser }) => {
  test.setTimeout(300_000)
  const story = await deshawn(host, api)
  const found: Found[] = []
  await findWhoOpened(page, 'en', found)
  await printAccounting(page, browser, 'en', found)

  // The accountings produced are in the log themselves, under DeShawn (the refused one is not).
  const produced = await host.core.database!.db.selectFrom('audit_log').select(['target_id', 'detail']).where('action', '=', 'participant.accounting').execute()
  expect(produced.map((row) => row.target_id)).toEqual([story.kept])

  await page.getByText('ES', { exact: true }).click()
  await findWhoOpened(page, 'es', found)
  await printAccounting(page, browser, 'es', found)
  expect(found, report(found)).toEqual([])
})

test('on the demo center, the log of one regular reads as their visits, by name', async ({ page, host }) => {
  test.setTimeout(300_000)
  const { logins } = await setUpDemo(host, { participants: 300, days: 60, seed: 18 })
  const admin = logins.find((login) => login.role === 'admin')!
  const db = host.core.database!.db
  // The regular with the most visits: a long log, most of it sign-ins and sign-outs.
  const regular = await db
    .selectFrom('visits')
    .innerJoin('participants', 'participants.id', 'visits.participant_id')
    .select(['participants.first_name', 'participants.last_name', 'participants.code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('participants.last_name', 'is not', null)
    .groupBy('participants.id')
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  await page.goto(host.url)
  await page.getByRole('textbox', { name: 'Username' }).fill(admin.username)
  await page.getByRole('textbox', { name: 'Password' }).fill(admin.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation').getByRole('button', { name: 'Audit log' }).click()
  await page.getByRole('combobox', { name: 'Person', exact: true }).fill(regular.code)
  await page.getByRole('option', { name: new RegExp(regular.code) }).click()
  const log = page.getByRole('table', { name: 'Audit log entries' })
  await expect(log.getByRole('row').filter({ hasText: 'Signed the person in' }).first()).toContainText(regular.code)
  await expect(page.getByText(/^\d+ entries$/)).toBeVisible()
  await page.screenshot({ path: 'test-results/audit-person-demo.png', fullPage: true })
  const found: Found[] = []
  await scan(page, 'audit log by person (demo)', found)
  expect(found, report(found)).toEqual([])
})

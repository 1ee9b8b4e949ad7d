import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { axeOn } from './axe'
import { test as base, expect } from '@playwright/test'
import { backupDatabase } from '../../db/backup'
import { FileKeyStore } from '../../db/keystore-file'
import { runningClock } from '../clock'
import { startHost } from '../host/server'
import { ADMIN, setUpCenter, signInAtDesk, watchConsole } from './fixtures'

/** A center whose database file was damaged after its last backup: the folder outlives the hosts. */
const test = base.extend<{ folder: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  folder: async ({}, use) => {
    const folder = mkdtempSync(join(tmpdir(), 'porchlight-restore-'))
    await use(folder)
    rmSync(folder, { recursive: true, force: true })
  },
})

test('a damaged database: the error screen offers the latest verified backup and restores it', async ({ page, folder }) => {
  const dbFile = join(folder, 'porchlight.db')
  const first = await startHost({ dbFile, now: runningClock() })
  const api = await setUpCenter(first)
  for (const firstName of ['Marisol', 'Terrence', 'Aiyana']) await api.call('participants.create', { firstName, lastName: 'Backup' })
  mkdirSync(first.core.backupDir)
  await backupDatabase(first.core.database!, new FileKeyStore(first.keyFile).load()!, first.core.backupDir, { now: first.core.now() })
  await first.close()
  const bytes = readFileSync(dbFile)
  const middle = Math.floor(bytes.length / 2)
  bytes[middle] = bytes[middle]! ^ 0x01
  writeFileSync(dbFile, bytes)

  const host = await startHost({ dbFile, now: runningClock() })
  try {
    const consoleErrors = watchConsole(page)
    await page.goto(host.url)
    await expect(page.getByRole('heading', { name: 'Porchlight cannot open its records' })).toBeVisible()
    await expect(page.getByRole('alert')).toContainText('is damaged')
    const offer = page.getByRole('region', { name: 'Restore the latest backup' })
    await expect(offer).toContainText('It holds 3 people and 0 visits.')
    await expect(offer.getByRole('button', { name: 'Restore this backup' })).toBeFocused()
    await page.screenshot({ path: 'test-results/restore-offer.png' })
    // The error screen is a screen too: no serious or critical axe finding (as in a11y.spec.ts).
    const axe = await axeOn(page).analyze()
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])

    await offer.getByRole('button', { name: 'Restore this backup' }).click()
    await expect(page.getByText('Backup restored')).toBeVisible()
    await expect(page.getByText(/The damaged file was kept as porchlight\.db\.before-restore-/)).toBeVisible()
    await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible()
    await page.screenshot({ path: 'test-results/restore-done.png' })
    await expect(page.getByText('Backup restored')).toBeVisible()
    await signInAtDesk(page, host, ADMIN)
    expect(consoleErrors).toEqual([])
  } finally {
    await host.close()
  }
})

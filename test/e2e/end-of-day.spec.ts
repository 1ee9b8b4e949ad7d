import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { movableClock } from '../clock'
import { startHost } from '../host/server'
import { ADMIN, expect, hostApi, setUpCenter, signInAtDesk, test } from './fixtures'

const ZONE = 'America/New_York'
test.use({ timezoneId: ZONE })

test('End of day pressed at 21:00 signs everyone out at the 17:00 closing time; a visit left open yesterday is closed at the next start, and the desk is told', async ({ page }) => {
  const folder = mkdtempSync(join(tmpdir(), 'porchlight-eod-'))
  const dbFile = join(folder, 'porchlight.db')
  // Thursday 2027-11-04, 09:30 in New York.
  const clock = movableClock('2027-11-04T13:30:00.000Z')
  let host = await startHost({ dbFile, now: clock.now, timeZone: ZONE })
  // The clock jumps hours and days here; the idle lock has its own tests.
  host.core.idleLockSeconds = 365 * 24 * 60 * 60
  try {
    // The page's clock (installed by the fixture) follows the host's.
    await page.clock.setSystemTime(clock.now())
    const api = await setUpCenter(host)
    const ana = await api.call('participants.create', { firstName: 'Ana', lastName: 'Ruiz' })
    const kofi = await api.call('participants.create', { firstName: 'Kofi', lastName: 'Mensah' })
    await api.call('visits.signIn', { participantId: ana.id, services: [] })
    await api.call('visits.signIn', { participantId: kofi.id, services: [] })

    // 21:00: the desk presses End of day long after closing.
    clock.set('2027-11-05T01:00:00.000Z')
    await page.clock.setSystemTime(clock.now())
    await signInAtDesk(page, host)
    await page.getByRole('button', { name: 'End of day…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Sign out everyone still here?' })
    await expect(dialog.getByRole('radio', { name: 'At closing time, 17:00' })).toBeChecked()
    await page.screenshot({ path: 'test-results/end-of-day.png' })
    await dialog.getByRole('button', { name: 'Sign out 2 people' }).click()
    await expect(dialog).toBeHidden()
    const today = await api.call('visits.today', {})
    expect(today.map((visit) => visit.signedOutAt)).toEqual(['2027-11-04T21:00:00.000Z', '2027-11-04T21:00:00.000Z'])

    // Friday: Ana signs in and nobody presses End of day; the PC is shut down for the weekend.
    clock.set('2027-11-05T15:00:00.000Z')
    await api.call('visits.signIn', { participantId: ana.id, services: [] })
    await host.close()

    // Monday 08:30: Porchlight starts again and closes Friday's visit at Friday's closing time.
    clock.set('2027-11-08T13:30:00.000Z')
    host = await startHost({ dbFile, now: clock.now, timeZone: ZONE })
    host.core.idleLockSeconds = 365 * 24 * 60 * 60
    expect(host.core.status({ staff: null }).phase).toBe('signed-out')
    await page.clock.setSystemTime(clock.now())
    await signInAtDesk(page, host)
    await expect(page.getByText('1 visit left open on an earlier day was closed at that day’s closing time.')).toBeVisible()
    const friday = (await (await setUpApi(host)).call('participants.get', { id: ana.id })).visits[0]
    expect(friday!.signedInAt.slice(0, 16)).toBe('2027-11-05T15:00')
    expect(friday!.signedOutAt).toBe('2027-11-05T21:00:00.000Z')
    await page.screenshot({ path: 'test-results/auto-closed.png' })
  } finally {
    await host.close()
    rmSync(folder, { recursive: true, force: true })
  }
})

/** An API session signed in as the admin, on a center already set up. */
async function setUpApi(host: Awaited<ReturnType<typeof startHost>>) {
  const api = hostApi(host)
  await api.call('auth.login', { username: ADMIN.username, password: ADMIN.password })
  return api
}

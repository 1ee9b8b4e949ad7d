import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runningClock } from '../clock'
import { setUpDemo } from '../host/demo'
import { startHost } from '../host/server'
import { expect, hostApi, openCheckIn, signInAtDesk, test } from './fixtures'

/**
 * The log file holds nothing about a person. The host runs with its log on, on the demo center
 * (hundreds of seeded people), through a day's work: sign-ins (one with a wrong password),
 * searches and a check-in at the desk, a refused call, a backup and an integrity check. Then
 * every log file is searched for every seeded person's name, code and phone and every staff
 * password: none may be there. The start-up, backup and refused-call lines must be.
 */
test('the log of a realistic day holds no name, code, phone or password, and holds what IT needs', async ({ page }) => {
  // The demo center, a backup and a full integrity check: more than a minute on a busy machine.
  test.setTimeout(240_000)
  const root = mkdtempSync(join(tmpdir(), 'porchlight-log-'))
  const logDir = join(root, 'logs')
  const backups = join(root, 'backups')
  mkdirSync(backups)
  try {
    const dbFile = join(root, 'porchlight.db')
    const host = await startHost({ now: runningClock(), logDir, dbFile })
    const { logins } = await setUpDemo(host, { participants: 300, days: 30, seed: 5 })
    const db = host.core.database!.db
    const people = await db.selectFrom('participants').select(['first_name', 'last_name', 'nickname', 'code', 'phone', 'phone_digits']).execute()
    const first = people.find((p) => p.first_name && p.last_name && p.first_name.length > 3)!
    const admin = logins.find((login) => login.role === 'admin')!

    // The desk: search and check a person in.
    await signInAtDesk(page, host, admin)
    const panel = await openCheckIn(page, `${first.first_name} ${first.last_name}`, `${first.nickname ?? first.first_name} ${first.last_name![0]}.`)
    await panel.getByRole('checkbox', { name: /Meal/ }).check()
    await panel.getByRole('button', { name: /Sign in/ }).click()
    await expect(panel).toBeHidden()
    // A wrong password (refused), and a call before signing in (refused by the door).
    const api = hostApi(host)
    const wrong = await api.raw('auth.login', { username: admin.username, password: `${admin.password}x` })
    expect(wrong.ok).toBe(false)
    expect((await api.raw('participants.search', { text: first.last_name! })).ok).toBe(false)
    await api.call('auth.login', { username: admin.username, password: admin.password })
    await api.call('backups.saveSettings', { folder: backups, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    await api.call('backups.run', {})
    await api.call('backups.checkNow', {})
    // The renderer's channel: a crash report carrying a name in its message.
    await api.call('app.logError', { message: `Cannot render ${first.first_name} ${first.last_name}`, stack: '    at Profile (index.js:10:5)' })
    await page.close()
    await host.close()
    // The next morning: Porchlight starts on the existing file, and the log says how that went.
    const nextMorning = await startHost({ now: runningClock(), logDir, dbFile })
    await nextMorning.close()

    const text = readdirSync(logDir)
      .filter((name) => name.endsWith('.log'))
      .map((name) => readFileSync(join(logDir, name), 'utf8'))
      .join('')
    const events = text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event: string }).event)
    expect(events).toContain('startup.open')
    expect(events).toContain('startup.ready')
    expect(events).toContain('backup.done')
    expect(events).toContain('integrity.done')
    expect(events).toContain('worker.done')
    expect(events).toContain('ipc.refused')
    expect(events).toContain('renderer.error')
    expect(text).toMatch(/"event":"ipc.refused","channel":"participants.search","code":"NOT_SIGNED_IN"/)

    const secrets = new Set<string>()
    for (const person of people) {
      for (const value of [person.first_name, person.last_name, person.nickname, person.code, person.phone, person.phone_digits]) {
        // Two-letter names would match JSON keys and words; every name here is longer.
        if (value && value.length >= 3) secrets.add(value)
      }
    }
    for (const login of logins) secrets.add(login.password)
    expect(secrets.size).toBeGreaterThan(600)
    const found = [...secrets].filter((secret) => text.includes(secret))
    expect(found).toEqual([])
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

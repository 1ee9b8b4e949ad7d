import { EventEmitter } from 'node:events'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import type { StaffSummary } from '../../db/services/setup'
import { PorchlightCore } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { closeThenQuit, UpdateManager, type Updater } from '../../electron/updates/manager'
import { TEST_START } from '../clock'
import { expectError, expectOk, useTempDirs } from './helpers'

/**
 * Updates through the seam main uses: the manager drives an updater object it is given, here a
 * fake that records what it was asked and emits electron-updater's events when told to.
 */
class FakeUpdater extends EventEmitter implements Updater {
  autoDownload = false
  autoInstallOnAppQuit = true
  allowDowngrade = true
  allowPrerelease = true
  feeds: Array<{ provider: 'generic'; url: string }> = []
  checks = 0
  installs: Array<[boolean | undefined, boolean | undefined]> = []
  answer: () => Promise<unknown> = async () => null
  setFeedURL(options: { provider: 'generic'; url: string }): void {
    this.feeds.push(options)
  }
  checkForUpdates(): Promise<unknown> {
    this.checks++
    return this.answer()
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter])
  }
}

const quiet = { info: () => undefined, warn: () => undefined }
const now = () => new Date(TEST_START)
let managers: UpdateManager[] = []
function manager(updater: Updater, signed = true) {
  const made = new UpdateManager(updater, { now, log: quiet, signed })
  managers.push(made)
  return made
}
afterEach(() => {
  for (const made of managers) made.stop()
  managers = []
})

describe('the update manager', () => {
  it('is off by default: no address, no check, and electron-updater never installs on its own', () => {
    const updater = new FakeUpdater()
    const updates = manager(updater)
    expect(updates.status()).toEqual({ phase: 'off' })
    updates.configure({ enabled: false, url: 'https://updates.example.org/porchlight/' })
    expect(updates.status()).toEqual({ phase: 'off' })
    expect(updater.feeds).toEqual([])
    expect(updater.checks).toBe(0)
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: false, allowDowngrade: false, allowPrerelease: false })
    expect(updates.installAfterCleanClose()).toBe(false)
    expect(updater.installs).toEqual([])
  })

  it('on: checks the generic address, downloads, says so, and installs only when told the database closed cleanly', async () => {
    const updater = new FakeUpdater()
    let finish = () => undefined as void
    updater.answer = () => new Promise<void>((resolve) => (finish = resolve))
    const updates = manager(updater)
    updates.configure({ enabled: true, url: 'https://updates.example.org/porchlight/' })
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example.org/porchlight/' }])
    expect(updates.status()).toEqual({ phase: 'checking' })
    // A second check while one runs does not start another.
    await updates.checkNow()
    expect(updater.checks).toBe(1)
    updater.emit('update-available', { version: '0.2.0' })
    updater.emit('download-progress', { percent: 41.6 })
    expect(updates.status()).toEqual({ phase: 'downloading', version: '0.2.0', percent: 42 })
    finish()
    updater.emit('update-downloaded', { version: '0.2.0' })
    expect(updates.status()).toEqual({ phase: 'ready', version: '0.2.0' })
    expect(updater.installs).toEqual([])
    expect(updates.installAfterCleanClose()).toBe(true)
    expect(updater.installs).toEqual([[true, false]])
  })

  it('a failed check says when and why; nothing newer is "up to date" with the time of the check', async () => {
    const updater = new FakeUpdater()
    updater.answer = async () => {
      throw new Error('net::ERR_NAME_NOT_RESOLVED\n    at somewhere')
    }
    const updates = manager(updater)
    updates.configure({ enabled: true, url: 'https://updates.example.org/porchlight/' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(updates.status()).toEqual({ phase: 'failed', at: TEST_START, message: 'net::ERR_NAME_NOT_RESOLVED' })
    updater.answer = async () => updater.emit('update-not-available')
    expect(await updates.checkNow()).toEqual({ phase: 'idle', checkedAt: TEST_START })
    updates.configure({ enabled: false, url: null })
    expect(updates.status()).toEqual({ phase: 'off' })
  })
})

describe('an unsigned build', () => {
  it('never points the updater anywhere, even turned on, and says why', async () => {
    const updater = new FakeUpdater()
    const updates = manager(updater, false)
    updates.configure({ enabled: true, url: 'https://updates.example.org/porchlight/' })
    expect(updates.status()).toEqual({ phase: 'unsigned' })
    expect(await updates.checkNow()).toEqual({ phase: 'unsigned' })
    updater.emit('update-downloaded', { version: '0.2.0' })
    expect(updates.installAfterCleanClose()).toBe(false)
    expect({ feeds: updater.feeds, checks: updater.checks, installs: updater.installs }).toEqual({ feeds: [], checks: 0, installs: [] })
  })
})

describe("main's quit", () => {
  it('hands over to the installer only after the database has closed cleanly', async () => {
    const updater = new FakeUpdater()
    const updates = manager(updater)
    updates.configure({ enabled: true, url: 'https://updates.example.org/porchlight/' })
    updater.emit('update-downloaded', { version: '0.2.0' })
    const order: string[] = []
    let closed = () => undefined as void
    const quitting = closeThenQuit({
      closeDatabase: () => new Promise<void>((resolve) => (closed = () => (order.push('closed'), resolve()))),
      updates: { installAfterCleanClose: () => (order.push('install'), updates.installAfterCleanClose()) },
      quit: () => order.push('quit'),
      log: quiet,
    })
    await new Promise((resolve) => setImmediate(resolve))
    // Mid-close (a write finishing): nothing installs yet.
    expect(updater.installs).toEqual([])
    closed()
    await quitting
    expect(order).toEqual(['closed', 'install'])
    expect(updater.installs).toEqual([[true, false]])
  })

  it('a close that failed quits without installing: the download waits for a clean close', async () => {
    const updater = new FakeUpdater()
    const updates = manager(updater)
    updates.configure({ enabled: true, url: 'https://updates.example.org/porchlight/' })
    updater.emit('update-downloaded', { version: '0.2.0' })
    const order: string[] = []
    await closeThenQuit({
      closeDatabase: async () => {
        throw new Error('disk I/O error')
      },
      updates,
      quit: () => order.push('quit'),
      log: quiet,
    })
    expect(order).toEqual(['quit'])
    expect(updater.installs).toEqual([])
  })
})

describe('the update settings, through the door', () => {
  const tempDir = useTempDirs()
  let core: PorchlightCore | null = null
  afterEach(async () => {
    await core?.close()
    core = null
  })

  it('an admin turns updates on with an address (audited), the core applies it at once and at the next start; bad addresses change nothing', async () => {
    const dir = tempDir()
    const updater = new FakeUpdater()
    const open = async (updates: UpdateManager) => {
      core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now, updates, timeZone: 'UTC' })
      await core.start()
      return core
    }
    const first = await open(manager(updater))
    const created = await dispatch('setup.create', { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }, { core: first, session: { staff: null } })
    const admin = { core: first, session: { staff: expectOk<{ staff: StaffSummary }>(created).staff } }

    expect(expectOk(await dispatch('updates.settings', {}, admin))).toEqual({ settings: { enabled: false, url: null }, status: { phase: 'off' } })
    const audits = () => first.database!.sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'settings.updates'").pluck().get()
    for (const url of ['file:///srv/updates', 'https://user:secret@updates.example.org/', 'not an address']) {
      expectError(await dispatch('updates.save', { enabled: true, url }, admin), 'INVALID_INPUT')
    }
    expect(expectError(await dispatch('updates.save', { enabled: true, url: null }, admin), 'VALIDATION').fields).toHaveProperty('url')
    expect(audits()).toBe(0)
    expect(updater.feeds).toEqual([])

    const saved = expectOk<{ settings: unknown; status: { phase: string } }>(await dispatch('updates.save', { enabled: true, url: ' https://updates.example.org/porchlight/ ' }, admin))
    expect(saved.settings).toEqual({ enabled: true, url: 'https://updates.example.org/porchlight/' })
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example.org/porchlight/' }])
    expect(audits()).toBe(1)
    expect(expectOk<{ updates: unknown }>(await dispatch('about.info', {}, admin)).updates).toMatchObject({ phase: expect.stringMatching(/checking|idle/) })
    await first.close()

    // The next start reads the stored setting as soon as the database opens.
    const again = new FakeUpdater()
    await open(manager(again))
    expect(again.feeds).toEqual([{ provider: 'generic', url: 'https://updates.example.org/porchlight/' }])
  })
})

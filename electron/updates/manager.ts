import type { UpdateSettings, UpdateStatus } from '../../db/update-types'

/**
 * The part of electron-updater's AppUpdater that Porchlight uses. Main passes the real
 * `autoUpdater` (the only place electron-updater is imported); tests pass a fake, so everything
 * below runs without Electron.
 */
export interface Updater {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  allowDowngrade: boolean
  allowPrerelease: boolean
  setFeedURL(options: { provider: 'generic'; url: string }): void
  checkForUpdates(): Promise<unknown>
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown
  on(event: 'update-not-available', listener: () => void): unknown
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
}

export interface UpdateLog {
  info(event: string, fields?: Record<string, unknown>): void
  warn(event: string, fields?: Record<string, unknown>, error?: unknown): void
}

/** What the core asks of updates: the status line for About, and an admin's new settings. */
export interface UpdatesPort {
  status(): UpdateStatus
  configure(settings: UpdateSettings): void
  checkNow(): Promise<UpdateStatus>
}

/** For a build that cannot update itself (the test host, a checkout): says so and does nothing. */
export const NO_UPDATES: UpdatesPort = {
  status: () => ({ phase: 'unavailable' }),
  configure: () => undefined,
  checkNow: async () => ({ phase: 'unavailable' }),
}

/** Four times a day is plenty for a desk app; IT can also press "Check now". */
export const CHECK_EVERY_MS = 6 * 60 * 60 * 1000

/**
 * Updates, off by default. On, it checks the address IT set (a generic provider: latest.yml and
 * the signed installers), downloads a newer version in the background, and installs it only when
 * main says the database has closed cleanly (`installAfterCleanClose`): never on its own, never
 * mid-write. electron-updater's own install-on-quit is turned off so nothing else can start it.
 * The new version's first start makes its verified pre-migration copy as any upgrade does.
 */
export class UpdateManager implements UpdatesPort {
  private state: UpdateStatus = { phase: 'off' }
  private settings: UpdateSettings = { enabled: false, url: null }
  private downloaded: string | null = null
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly updater: Updater,
    private readonly options: {
      now: () => Date
      log: UpdateLog
      every?: number
      /**
       * Whether this build can check an update's signature: on Windows, electron-updater refuses an
       * installer not signed by the publisher named in the build's app-update.yml, and skips the
       * check when none is named. Main says false for such a build, so it never updates itself.
       */
      signed: boolean
    },
  ) {
    updater.autoDownload = true
    updater.autoInstallOnAppQuit = false
    updater.allowDowngrade = false
    updater.allowPrerelease = false
    updater.on('update-available', (info) => this.set({ phase: 'downloading', version: info.version, percent: null }))
    updater.on('download-progress', (progress) => {
      if (this.state.phase === 'downloading') this.state = { ...this.state, percent: Math.round(progress.percent) }
    })
    updater.on('update-not-available', () => this.set({ phase: 'idle', checkedAt: this.now() }))
    updater.on('update-downloaded', (info) => {
      this.downloaded = info.version
      this.set({ phase: 'ready', version: info.version })
    })
    updater.on('error', (error) => this.failed(error))
  }

  status(): UpdateStatus {
    return this.settings.enabled ? this.state : { phase: 'off' }
  }

  /** Applies an admin's settings (and the stored ones at start): off stops checking; on checks now and then every few hours. */
  configure(settings: UpdateSettings): void {
    const changed = settings.enabled !== this.settings.enabled || settings.url !== this.settings.url
    this.settings = { ...settings }
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (!settings.enabled || !settings.url) {
      this.state = { phase: 'off' }
      if (changed) this.options.log.info('updates.off')
      return
    }
    if (!this.options.signed) {
      this.state = { phase: 'unsigned' }
      if (changed) this.options.log.warn('updates.unsigned')
      return
    }
    this.updater.setFeedURL({ provider: 'generic', url: settings.url })
    if (changed) this.options.log.info('updates.on')
    if (this.state.phase === 'off') this.state = { phase: 'idle', checkedAt: null }
    this.timer = setInterval(() => void this.checkNow(), this.options.every ?? CHECK_EVERY_MS)
    this.timer.unref?.()
    void this.checkNow()
  }

  /** One check (an admin's "Check now", the timer, the start): nothing while off, downloading or downloaded. */
  async checkNow(): Promise<UpdateStatus> {
    if (!this.settings.enabled || !this.options.signed) return this.status()
    if (this.state.phase === 'checking' || this.state.phase === 'downloading' || this.state.phase === 'ready') return this.status()
    this.set({ phase: 'checking' })
    try {
      await this.updater.checkForUpdates()
      // Some updater builds answer without an event (e.g. nothing newer): the check is over all the same.
      // (Read again: an event may have moved the state on while the check ran.)
      if ((this.state as UpdateStatus).phase === 'checking') this.set({ phase: 'idle', checkedAt: this.now() })
    } catch (error) {
      this.failed(error)
    }
    return this.status()
  }

  /**
   * Main calls this once the database has closed cleanly at quit. With an update downloaded, it
   * hands over to the installer (which waits for this process to end) and returns true; main then
   * does not quit by itself. Otherwise false, and main quits as usual.
   */
  installAfterCleanClose(): boolean {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (!this.settings.enabled || !this.options.signed || this.downloaded === null) return false
    this.options.log.info('updates.install', { version: this.downloaded })
    // Silent (the same questions were answered at the first install); not started again: the desk closed it.
    this.updater.quitAndInstall(true, false)
    return true
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private now(): string {
    return this.options.now().toISOString()
  }

  private set(next: UpdateStatus): void {
    this.state = next
    if (next.phase === 'ready') this.options.log.info('updates.downloaded', { version: next.version })
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error)
    this.state = { phase: 'failed', at: this.now(), message: message.split('\n')[0]!.slice(0, 300) }
    this.options.log.warn('updates.failed', {}, error)
  }
}

/**
 * Main's quit: close the database first; only a clean close may hand over to the installer. A
 * close that failed (a write stuck, a disk error) quits without installing: the download stays
 * and the next clean close installs it.
 */
export async function closeThenQuit(steps: { closeDatabase: () => Promise<void>; updates: Pick<UpdateManager, 'installAfterCleanClose'> | null; quit: () => void; log: UpdateLog }): Promise<void> {
  let clean = true
  try {
    await steps.closeDatabase()
  } catch (error) {
    clean = false
    steps.log.warn('quit.close', {}, error)
  }
  if (clean && steps.updates?.installAfterCleanClose()) return
  steps.quit()
}

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron'
// The one place electron-updater is loaded: main only, never the renderer or the core.
import electronUpdater from 'electron-updater'
import { useBackupWorkerFile } from '../../db/backup-thread'
// electron-vite bundles the worker as its own entry and gives its path in out/main.
import backupWorkerFile from '../../db/backup-worker?modulePath'
import { PorchlightCore } from '../ipc/core'
import { log, startLogFile, stopLogFile } from '../../db/log'
import { registerIpc, type IpcDoor } from './ipc'
import { chooseKeyStore } from './keystore'
import { electronPlatform } from './platform'
import { createMainWindow, hardenSession, hardenWebContents, resolveAppLocation } from './window'
import { closeThenQuit, UpdateManager } from '../updates/manager'

const location = resolveAppLocation(import.meta.dirname, {
  isPackaged: app.isPackaged,
  devUrl: process.env.ELECTRON_RENDERER_URL,
  resourcesPath: process.resourcesPath,
})

useBackupWorkerFile(backupWorkerFile)

let core: PorchlightCore | null = null
let door: IpcDoor | null = null
let mainWindow: BrowserWindow | null = null
let quitState: 'running' | 'closing' | 'closed' = 'running'
/** Only an installed build updates itself: a checkout has no installer to hand over to. */
let updates: UpdateManager | null = null

function openWindow(): void {
  if (!door) return
  const window = createMainWindow(location, app.isPackaged)
  door.trust(window.webContents)
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  mainWindow = window
}

/** The third-party notices: shipped beside the app (extraResources), or where `npm run notices` writes them in a checkout. */
function noticesFile(): string | undefined {
  // resourcesPath is Electron's: absent only when main runs outside Electron (its unit tests).
  const folder = app.isPackaged ? (process.resourcesPath as string | undefined) : join(app.getAppPath(), 'build')
  return folder ? join(folder, 'third-party-notices.txt') : undefined
}

/**
 * Whether electron-updater can check an update's signature in this build: on Windows it compares
 * the installer's signer with the publisherName electron-builder writes into app-update.yml when
 * the release is signed (and skips the check when there is none). Linux packages carry no
 * signature it could check; there the address IT serves and latest-linux.yml's sha512 are the guard.
 */
function buildIsSigned(): boolean {
  if (process.platform !== 'win32') return true
  try {
    return /^publisherName:/m.test(readFileSync(join(process.resourcesPath, 'app-update.yml'), 'utf8'))
  } catch {
    return false
  }
}

async function start(): Promise<void> {
  const started = performance.now()
  // A log folder that cannot be written does not stop the app: About says where it could not write.
  await startLogFile(app.getPath('logs'))
  log.info('startup.begin', { version: app.getVersion(), electron: process.versions.electron, platform: process.platform })
  hardenSession(session.defaultSession, location.page)
  const userData = app.getPath('userData')
  const keyStore = chooseKeyStore(userData)
  // Off until an admin turns it on (Settings → Updates); the core applies the stored setting once the database opens.
  updates = app.isPackaged ? new UpdateManager(electronUpdater.autoUpdater, { now: () => new Date(), log, signed: buildIsSigned() }) : null
  core = new PorchlightCore({
    dbFile: join(userData, 'porchlight.db'),
    keyStore,
    platform: electronPlatform(dialog, () => mainWindow, shell, () => app.getPath('documents')),
    appVersion: app.getVersion(),
    noticesFile: noticesFile(),
    ...(updates ? { updates } : {}),
  })
  try {
    // May leave the core waiting for a passphrase, for setup, or in an error: the window shows those.
    await core.start()
  } catch (error) {
    // Only a key store that cannot be read at all lands here; there is nothing useful to show.
    const message = error instanceof Error ? error.message : String(error)
    log.error('startup.keyStore', error)
    dialog.showErrorBox('Porchlight cannot start', message)
    app.quit()
    return
  }
  door = registerIpc({
    ipcMain,
    core,
    page: location.page,
    // A kiosk fills the screen and hides the desktop: a participant cannot reach other windows.
    onModeChange: (contents, mode) => BrowserWindow.fromWebContents(contents)?.setKiosk(mode === 'kiosk'),
  })
  // Scheduled backups and retention run here in main, beside the database; they do nothing
  // until the database is open and an admin has chosen a backup folder.
  core.scheduler.start()
  openWindow()
  log.info('startup.window', { ms: Math.round(performance.now() - started) })
}

/**
 * Something threw where nobody catches it (a timer, a stray promise). It is logged and the
 * process goes on: a write in flight is its own transaction in the core and finishes or rolls
 * back by itself; exiting here would be what loses it.
 */
process.on('uncaughtException', (error) => log.error('main.uncaughtException', error))
process.on('unhandledRejection', (reason) => log.error('main.unhandledRejection', reason))

// One Porchlight per computer account: two processes on one encrypted file would fight over it.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // Every renderer sandboxed, including any window something might open later.
  app.enableSandbox()

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  // Defence in depth: whatever web contents appear (ours or not), they get the same rules.
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, location.page)
    hardenSession(contents.session, location.page)
  })

  // A renderer that crashed or was killed: the window shows its crash screen (or is gone); IT sees why here.
  app.on('render-process-gone', (_event, _contents, details) => log.warn('renderer.gone', { reason: details.reason, exitCode: details.exitCode }))

  // Quit when the window closes, on macOS too: the database should not stay open with no one at it.
  app.on('window-all-closed', () => app.quit())

  app.on('activate', () => {
    if (!mainWindow && quitState === 'running') openWindow()
  })

  // Close the database before exiting so the WAL is checkpointed into the main file.
  app.on('before-quit', (event) => {
    if (quitState === 'closed' || !core) return
    event.preventDefault()
    if (quitState === 'closing') return
    quitState = 'closing'
    door?.dispose()
    const closing = core
    // A downloaded update is installed only after this clean close (electron/updates/manager.ts).
    void closeThenQuit({
      closeDatabase: async () => {
        try {
          await closing.close()
        } finally {
          quitState = 'closed'
          log.info('quit.done')
        }
      },
      updates,
      quit: () => void stopLogFile().finally(() => app.quit()),
      log,
    })
  })

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('startup.failed', error)
      dialog.showErrorBox('Porchlight cannot start', error instanceof Error ? error.message : String(error))
      app.exit(1)
    })
}

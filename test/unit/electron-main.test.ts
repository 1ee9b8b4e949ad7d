import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { log } from '../../db/log'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { IpcMainInvokeEvent, Session, WebContents } from 'electron'
import { buildSync } from 'esbuild'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { CHANNELS, IPC_PREFIX } from '../../electron/ipc/channels'
import { FEED_CHANNEL, type FeedBridge } from '../../electron/ipc/feed'
import { PorchlightCore } from '../../electron/ipc/core'
import { runningClock, TEST_START, coreTime } from '../clock'
import type { Envelope } from '../../electron/ipc/envelope'
import { registerIpc } from '../../electron/main/ipc'
import {
  CONTENT_SECURITY_POLICY,
  createMainWindow,
  externalUrl,
  hardenSession,
  hardenWebContents,
  isAllowedRequest,
  isAppPageUrl,
  resolveAppLocation,
  webPreferences,
  type AppPage,
} from '../../electron/main/window'

const ROOT = resolve(import.meta.dirname, '../..')

/** Just enough of Electron for main-process code to run under Node. */
const fake = vi.hoisted(() => {
  type Listener = (...args: never[]) => unknown

  class Emitter {
    private readonly listeners = new Map<string, Listener[]>()
    on(name: string, listener: Listener): this {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener])
      return this
    }
    once(name: string, listener: Listener): this {
      const wrapper = (...args: never[]): unknown => {
        this.off(name, wrapper)
        return listener(...args)
      }
      return this.on(name, wrapper)
    }
    off(name: string, listener: Listener): this {
      this.listeners.set(name, (this.listeners.get(name) ?? []).filter((l) => l !== listener))
      return this
    }
    emit(name: string, ...args: unknown[]): void {
      for (const listener of this.listeners.get(name) ?? []) (listener as (...a: unknown[]) => unknown)(...args)
    }
    count(name: string): number {
      return this.listeners.get(name)?.length ?? 0
    }
  }

  type PermissionRequest = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void
  type RequestListener = (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void
  type HeadersListener = (
    details: { url: string; responseHeaders?: Record<string, string[]> },
    callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
  ) => void

  class FakeSession {
    permissionRequest: PermissionRequest | null = null
    permissionCheck: ((...args: unknown[]) => boolean) | null = null
    devicePermission: ((...args: unknown[]) => boolean) | null = null
    beforeRequest: RequestListener | null = null
    headersReceived: HeadersListener | null = null
    setPermissionRequestHandler(handler: PermissionRequest): void {
      this.permissionRequest = handler
    }
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
      this.permissionCheck = handler
    }
    setDevicePermissionHandler(handler: (...args: unknown[]) => boolean): void {
      this.devicePermission = handler
    }
    readonly webRequest = {
      onBeforeRequest: (listener: RequestListener): void => {
        this.beforeRequest = listener
      },
      onHeadersReceived: (listener: HeadersListener): void => {
        this.headersReceived = listener
      },
    }
  }

  type OpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' }
  let nextId = 1

  class FakeWebContents extends Emitter {
    readonly id: number
    readonly mainFrame: { url: string }
    readonly session = new FakeSession()
    openHandler: OpenHandler | null = null
    /** What main pushed to this window (the change feed). */
    readonly sent: Array<{ channel: string; message: unknown }> = []
    destroyed = false
    constructor(url = '', id?: number) {
      super()
      this.id = id ?? nextId++
      this.mainFrame = { url }
    }
    setWindowOpenHandler(handler: OpenHandler): void {
      this.openHandler = handler
    }
    isDestroyed(): boolean {
      return this.destroyed
    }
    send(channel: string, message: unknown): void {
      this.sent.push({ channel, message })
    }
  }

  class FakeBrowserWindow extends Emitter {
    static instances: FakeBrowserWindow[] = []
    readonly webContents = new FakeWebContents()
    readonly loadFile = vi.fn(async (file: string) => {
      this.webContents.mainFrame.url = new URL(`file://${file}`).href
    })
    readonly loadURL = vi.fn(async (url: string) => {
      this.webContents.mainFrame.url = url
    })
    readonly show = vi.fn()
    readonly focus = vi.fn()
    readonly restore = vi.fn()
    isMinimized(): boolean {
      return false
    }
    constructor(readonly options: Record<string, unknown>) {
      super()
      FakeBrowserWindow.instances.push(this)
    }
  }

  type Handler = (event: unknown, input: unknown) => Promise<unknown>
  const handlers = new Map<string, Handler>()
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    userData: '',
    gotLock: true,
    requestSingleInstanceLock: vi.fn((): boolean => app.gotLock),
    enableSandbox: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(async (): Promise<void> => {}),
    // 'logs' too: the log file goes beside the database in the test's folder.
    getPath: vi.fn((): string => app.userData),
    getVersion: vi.fn((): string => '0.1.0'),
  })

  return {
    Emitter,
    FakeSession,
    FakeWebContents,
    FakeBrowserWindow,
    handlers,
    app,
    defaultSession: new FakeSession(),
    ipcMain: {
      handle: vi.fn((channel: string, handler: Handler) => {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
        handlers.set(channel, handler)
      }),
      removeHandler: vi.fn((channel: string) => {
        handlers.delete(channel)
      }),
    },
    openExternal: vi.fn(async (_url: string): Promise<void> => {}),
    showErrorBox: vi.fn(),
    safeStorage: {
      isEncryptionAvailable: (): boolean => true,
      getSelectedStorageBackend: (): string => 'gnome_libsecret',
      encryptString: (text: string): Buffer => Buffer.from(text, 'utf8').reverse(),
      decryptString: (data: Buffer): string => Buffer.from(data).reverse().toString('utf8'),
    },
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: { invoke: vi.fn(async (): Promise<unknown> => ({ ok: true, value: null })), on: vi.fn() },
  }
})

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.FakeBrowserWindow,
  dialog: { showErrorBox: fake.showErrorBox },
  ipcMain: fake.ipcMain,
  session: { defaultSession: fake.defaultSession },
  shell: { openExternal: fake.openExternal },
  safeStorage: fake.safeStorage,
  contextBridge: fake.contextBridge,
  ipcRenderer: fake.ipcRenderer,
}))

// The packaged app builds its update manager on electron-updater's autoUpdater, which needs a real
// Electron; here a stand-in that is never told to check (updates are off in a new database).
vi.mock('electron-updater', () => ({
  default: {
    autoUpdater: { autoDownload: false, autoInstallOnAppQuit: true, allowDowngrade: false, allowPrerelease: false, on: vi.fn(), setFeedURL: vi.fn(), checkForUpdates: vi.fn(), quitAndInstall: vi.fn() },
  },
}))

type FakeWebContents = InstanceType<typeof fake.FakeWebContents>
type FakeSession = InstanceType<typeof fake.FakeSession>
const asContents = (contents: FakeWebContents): WebContents => contents as unknown as WebContents
const asSession = (session: FakeSession): Session => session as unknown as Session

const MAIN_DIR = join(ROOT, 'out', 'main')
const PAGE_FILE = join(ROOT, 'out', 'renderer', 'index.html')
const location = resolveAppLocation(MAIN_DIR, { isPackaged: true })
const page: AppPage = location.page
const PAGE_URL = pathToFileURL(PAGE_FILE).href

function navigationEvent(url: string): { url: string; preventDefault: ReturnType<typeof vi.fn> } {
  return { url, preventDefault: vi.fn() }
}

beforeEach(() => {
  vi.clearAllMocks()
  fake.handlers.clear()
  fake.FakeBrowserWindow.instances = []
})

describe('web preferences', () => {
  it('turns on every isolation flag and turns off everything that reaches Node or the network', () => {
    const prefs = webPreferences('/app/out/preload/index.cjs', true)
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    })
    expect(webPreferences('/p.cjs', false).devTools).toBe(true)
  })

  it('points at the built preload and page beside the built main', () => {
    expect(location.preload).toBe(join(ROOT, 'out', 'preload', 'index.cjs'))
    expect(page).toEqual({ kind: 'file', url: PAGE_URL, file: PAGE_FILE })
  })

  it('takes the dev server URL only when not packaged, and only on this computer', () => {
    const dev = 'http://localhost:5173/'
    expect(resolveAppLocation(MAIN_DIR, { isPackaged: true, devUrl: dev }).page.kind).toBe('file')
    expect(resolveAppLocation(MAIN_DIR, { isPackaged: false, devUrl: dev }).page).toEqual({
      kind: 'dev',
      url: dev,
      origin: 'http://localhost:5173',
    })
    for (const remote of ['https://localhost:5173/', 'http://evil.example/', 'file:///tmp/x.html', 'nonsense']) {
      expect(resolveAppLocation(MAIN_DIR, { isPackaged: false, devUrl: remote }).page.kind).toBe('file')
    }
  })

  it('creates the window with those preferences and loads the built page from disk', () => {
    const window = createMainWindow(location, true) as unknown as InstanceType<typeof fake.FakeBrowserWindow>
    expect(window.options.webPreferences).toEqual(webPreferences(location.preload, true))
    expect(window.options.show).toBe(false)
    expect(window.options.icon).toBe(join(MAIN_DIR, '..', '..', 'resources', 'icon.png'))
    expect(existsSync(resolveAppLocation(join(ROOT, 'out', 'main'), { isPackaged: false }).icon)).toBe(true)
    expect(resolveAppLocation(MAIN_DIR, { isPackaged: true, resourcesPath: '/opt/Porchlight/resources' }).icon).toBe(join('/opt/Porchlight/resources', 'icon.png'))
    expect(window.loadFile).toHaveBeenCalledWith(PAGE_FILE)
    expect(window.loadURL).not.toHaveBeenCalled()
    // The window's web contents are hardened as soon as it exists.
    expect(window.webContents.openHandler).not.toBeNull()
    expect(window.webContents.count('will-navigate')).toBe(1)
  })
})

describe('navigation', () => {
  it('stays on the app page: other origins, other files and other schemes are refused', () => {
    const contents = new fake.FakeWebContents(PAGE_URL)
    hardenWebContents(asContents(contents), page, fake.openExternal)
    const refused = [
      'https://evil.example/',
      'http://127.0.0.1:8080/index.html',
      'file:///etc/passwd',
      pathToFileURL(join(ROOT, 'out', 'renderer', 'other.html')).href,
      pathToFileURL(join(ROOT, 'out', 'renderer', 'index.html.evil')).href,
      'file://evil-host/share/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'porchlight://anything',
      'not a url',
    ]
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of refused) {
        const event = navigationEvent(url)
        contents.emit(name, event)
        expect(event.preventDefault, `${name} ${url}`).toHaveBeenCalled()
      }
      for (const url of [PAGE_URL, `${PAGE_URL}#/check-in`, `${PAGE_URL}?lang=es`]) {
        const event = navigationEvent(url)
        contents.emit(name, event)
        expect(event.preventDefault, `${name} ${url}`).not.toHaveBeenCalled()
      }
    }
  })

  it('in development, only the dev server origin counts as the app page', () => {
    const dev: AppPage = { kind: 'dev', url: 'http://localhost:5173/', origin: 'http://localhost:5173' }
    expect(isAppPageUrl('http://localhost:5173/#/x', dev)).toBe(true)
    expect(isAppPageUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppPageUrl('https://localhost:5173/', dev)).toBe(false)
    expect(isAppPageUrl(PAGE_URL, dev)).toBe(false)
  })

  it('denies window.open always, and hands only parsed http(s) links to the OS browser', () => {
    const contents = new fake.FakeWebContents(PAGE_URL)
    hardenWebContents(asContents(contents), page, fake.openExternal)
    const open = contents.openHandler!
    for (const url of ['https://findhelp.org/search?q=food', 'http://example.org/a b']) {
      expect(open({ url })).toEqual({ action: 'deny' })
    }
    expect(fake.openExternal.mock.calls).toEqual([['https://findhelp.org/search?q=food'], ['http://example.org/a%20b']])

    fake.openExternal.mockClear()
    const never = [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'file:///C:/Windows/System32/calc.exe',
      'porchlight://x',
      'ms-msdt:/id PCWDiagnostic',
      'smb://host/share',
      'mailto:someone@example.org',
      'data:text/html,hi',
      'https://user:secret@evil.example/',
      'not a url',
      '',
    ]
    for (const url of never) expect(open({ url })).toEqual({ action: 'deny' })
    expect(fake.openExternal).not.toHaveBeenCalled()
    expect(externalUrl('HTTPS://Example.org')).toBe('https://example.org/')
  })

  it('prevents <webview> from attaching', () => {
    const contents = new fake.FakeWebContents(PAGE_URL)
    hardenWebContents(asContents(contents), page, fake.openExternal)
    const event = { preventDefault: vi.fn() }
    contents.emit('will-attach-webview', event, {}, {})
    expect(event.preventDefault).toHaveBeenCalled()
  })
})

describe('session', () => {
  it('denies every permission request and check', () => {
    const session = new fake.FakeSession()
    hardenSession(asSession(session), page)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn()
      session.permissionRequest!({}, permission, callback)
      expect(callback).toHaveBeenCalledWith(false)
      expect(session.permissionCheck!({}, permission, PAGE_URL, {})).toBe(false)
    }
    expect(session.devicePermission!({ deviceType: 'usb', origin: PAGE_URL })).toBe(false)
  })

  it('sends the strict CSP on every response, replacing whatever the server sent', () => {
    const session = new fake.FakeSession()
    hardenSession(asSession(session), page)
    const callback = vi.fn()
    session.headersReceived!(
      {
        url: 'http://localhost:5173/',
        responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] },
      },
      callback,
    )
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    })
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
  })

  it('cancels every request that is not the built renderer (no remote content)', () => {
    const session = new fake.FakeSession()
    hardenSession(asSession(session), page)
    const cancelled = (url: string): boolean | undefined => {
      let result: boolean | undefined
      session.beforeRequest!({ url }, (response) => (result = response.cancel))
      return result
    }
    expect(cancelled(PAGE_URL)).toBe(false)
    expect(cancelled(pathToFileURL(join(ROOT, 'out', 'renderer', 'assets', 'index.js')).href)).toBe(false)
    expect(cancelled('data:image/png;base64,AAAA')).toBe(false)
    expect(cancelled('devtools://devtools/bundled/devtools_app.html')).toBe(false)
    for (const url of [
      'https://fonts.googleapis.com/css',
      'http://localhost:5173/',
      'wss://evil.example/',
      'file:///etc/passwd',
      `${pathToFileURL(join(ROOT, 'out', 'renderer')).href}/../main/index.js`,
      pathToFileURL(join(ROOT, 'out', 'renderer-evil', 'x.js')).href,
    ]) {
      expect(cancelled(url), url).toBe(true)
    }
    const dev: AppPage = { kind: 'dev', url: 'http://localhost:5173/', origin: 'http://localhost:5173' }
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true)
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true)
    expect(isAllowedRequest('https://cdn.example/x.js', dev)).toBe(false)
  })

  it('uses the same policy as the renderer’s meta tag and the test host', async () => {
    const html = readFileSync(join(ROOT, 'renderer', 'index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    const directives = (policy: string): string[] =>
      policy
        .split(';')
        .map((d) => d.trim().replace(/\s+/g, ' '))
        .filter(Boolean)
        .sort()
    // frame-ancestors is ignored in a meta tag, so only the header carries it.
    expect(directives(meta ?? '')).toEqual(directives(CONTENT_SECURITY_POLICY).filter((d) => !d.startsWith('frame-ancestors')))
    const host = await import('../../test/host/server')
    expect(host.CONTENT_SECURITY_POLICY).toBe(CONTENT_SECURITY_POLICY)
  })
})

describe('IPC registration', () => {
  let dir: string
  let core: PorchlightCore

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'porchlight-ipc-'))
    core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'db.key')), ...coreTime() })
  })

  afterEach(async () => {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  })

  function call(
    channel: string,
    contents: FakeWebContents,
    input: unknown = {},
    frame: { url: string } | null = contents.mainFrame,
  ): Promise<Envelope<unknown>> {
    const handler = fake.handlers.get(IPC_PREFIX + channel)
    if (!handler) throw new Error(`no handler for ${channel}`)
    const event = { sender: contents, senderFrame: frame } as unknown as IpcMainInvokeEvent
    return handler(event, input) as Promise<Envelope<unknown>>
  }

  const BAD_SENDER = { ok: false, error: { code: 'BAD_SENDER', message: expect.any(String) } }

  it('registers exactly one handler per channel, and dispose removes them', () => {
    const door = registerIpc({ ipcMain: fake.ipcMain, core, page })
    expect([...fake.handlers.keys()].sort()).toEqual(CHANNELS.map((c) => IPC_PREFIX + c).sort())
    expect(fake.ipcMain.handle).toHaveBeenCalledTimes(CHANNELS.length)
    door.dispose()
    expect(fake.handlers.size).toBe(0)
  })

  it('answers the top frame of a trusted window on the app page through dispatch', async () => {
    const door = registerIpc({ ipcMain: fake.ipcMain, core, page })
    await core.start()
    const contents = new fake.FakeWebContents(`${PAGE_URL}#/setup`)
    door.trust(asContents(contents))
    expect(await call('app.status', contents)).toMatchObject({ ok: true, value: { phase: 'setup', keyProtection: 'file' } })
    // dispatch's own checks run behind the door: input validation and roles.
    expect(await call('app.status', contents, { extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await call('visits.today', contents)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } })
  })

  it('a PDF channel prints the window that asked (its own webContents) and no other', async () => {
    const saved = join(dir, 'report.pdf')
    const printing = new PorchlightCore({
      dbFile: join(dir, 'printing.db'),
      keyStore: new FileKeyStore(join(dir, 'printing.key')),
      now: runningClock(TEST_START),
      timeZone: 'UTC',
      platform: { chooseFolder: async () => null, openFolder: async () => {}, chooseSpreadsheet: async () => null, chooseSaveFile: async () => saved },
    })
    const door = registerIpc({ ipcMain: fake.ipcMain, core: printing, page })
    await printing.start()
    const asker = Object.assign(new fake.FakeWebContents(`${PAGE_URL}#/`), { printToPDF: vi.fn(async () => Buffer.from('%PDF-1.7 the asker')) })
    const other = Object.assign(new fake.FakeWebContents(`${PAGE_URL}#/`), { printToPDF: vi.fn(async () => Buffer.from('%PDF-1.7 another window')) })
    door.trust(asContents(asker))
    door.trust(asContents(other))
    expect(await call('setup.create', asker, { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })).toMatchObject({ ok: true })
    expect(await call('pdf.funderReport', asker, { range: { from: '2026-07-01', to: '2026-09-30' } })).toEqual({ ok: true, value: { file: saved } })
    expect(readFileSync(saved, 'utf8')).toBe('%PDF-1.7 the asker')
    expect(asker.printToPDF).toHaveBeenCalledTimes(1)
    expect(other.printToPDF).not.toHaveBeenCalled()
    door.dispose()
    await printing.close()
  })

  it('refuses foreign windows, subframes, other URLs and vanished frames with BAD_SENDER', async () => {
    const door = registerIpc({ ipcMain: fake.ipcMain, core, page, logInternal: () => {} })
    const warn = vi.spyOn(log, 'warn')
    const ours = new fake.FakeWebContents(PAGE_URL)
    door.trust(asContents(ours))

    const stranger = new fake.FakeWebContents(PAGE_URL)
    expect(await call('app.status', stranger)).toEqual(BAD_SENDER)
    expect(await call('app.status', ours, {}, { url: PAGE_URL })).toEqual(BAD_SENDER) // a subframe
    expect(await call('app.status', ours, {}, null)).toEqual(BAD_SENDER)
    for (const url of ['https://evil.example/', 'file:///tmp/index.html', pathToFileURL(join(ROOT, 'renderer', 'index.html')).href]) {
      ours.mainFrame.url = url
      expect(await call('app.status', ours), url).toEqual(BAD_SENDER)
    }
    ours.mainFrame.url = PAGE_URL
    expect(await call('app.status', ours)).toMatchObject({ ok: true })
    ours.emit('destroyed')
    expect(await call('app.status', ours)).toEqual(BAD_SENDER)
    // The refusal is in the log with its channel and code, nothing of the call's input.
    expect(warn).toHaveBeenCalledWith('ipc.refused', { channel: 'app.status', code: 'BAD_SENDER' })
    warn.mockRestore()
  })

  it('keeps one session per window, dropped when the window is destroyed', async () => {
    const door = registerIpc({ ipcMain: fake.ipcMain, core, page })
    await core.start()
    const first = new fake.FakeWebContents(PAGE_URL)
    const second = new fake.FakeWebContents(PAGE_URL)
    door.trust(asContents(first))
    door.trust(asContents(second))
    const setup = await call('setup.create', first, {
      centerName: 'Harbor Light',
      adminName: 'Ada Admin',
      username: 'ada',
      password: 'a long enough password',
    })
    expect(setup).toMatchObject({ ok: true, value: { staff: { username: 'ada' } } })
    expect(await call('app.status', first)).toMatchObject({ ok: true, value: { phase: 'signed-in' } })
    expect(await call('app.status', second)).toMatchObject({ ok: true, value: { phase: 'signed-out' } })

    first.emit('destroyed')
    // A new window that happened to get the same id starts signed out.
    const reborn = new fake.FakeWebContents(PAGE_URL, first.id)
    door.trust(asContents(reborn))
    expect(await call('app.status', reborn)).toMatchObject({ ok: true, value: { phase: 'signed-out' } })
  })

  it('tells main when a window becomes a kiosk and when a staff member takes it back', async () => {
    const onModeChange = vi.fn()
    const door = registerIpc({ ipcMain: fake.ipcMain, core, page, onModeChange })
    await core.start()
    const contents = new fake.FakeWebContents(PAGE_URL)
    door.trust(asContents(contents))
    const admin = { username: 'ada', password: 'a long enough password' }
    await call('setup.create', contents, { centerName: 'Harbor Light', adminName: 'Ada Admin', ...admin })
    expect(onModeChange).not.toHaveBeenCalled()

    expect(await call('kiosk.enter', contents)).toMatchObject({ ok: true, value: { phase: 'kiosk' } })
    expect(onModeChange).toHaveBeenLastCalledWith(contents, 'kiosk')
    // A refused exit leaves the screen a kiosk.
    expect(await call('kiosk.exit', contents, { ...admin, password: 'wrong password' })).toMatchObject({ ok: false })
    expect(onModeChange).toHaveBeenCalledTimes(1)
    expect(await call('kiosk.exit', contents, admin)).toMatchObject({ ok: true })
    expect(onModeChange).toHaveBeenLastCalledWith(contents, 'desk')
    expect(onModeChange).toHaveBeenCalledTimes(2)
  })

  it('never throws across the bridge, even when something below fails unexpectedly', async () => {
    const logInternal = vi.fn()
    const door = registerIpc({ ipcMain: fake.ipcMain, core, page, logInternal })
    const contents = new fake.FakeWebContents(PAGE_URL)
    door.trust(asContents(contents))
    vi.spyOn(core, 'status').mockImplementation(() => {
      throw new Error('boom')
    })
    expect(await call('app.status', contents)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(logInternal).toHaveBeenCalledWith('app.status', expect.any(Error))
  })
})

describe('preload', () => {
  it('exposes window.porchlight once, with one function per channel calling ipcRenderer.invoke', async () => {
    vi.resetModules()
    fake.contextBridge.exposeInMainWorld.mockClear()
    await import('../../electron/preload/index')
    // The API, and beside it the change feed's subscription.
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(2)
    const [name, api] = fake.contextBridge.exposeInMainWorld.mock.calls[0] as [string, Record<string, Record<string, unknown>>]
    expect(name).toBe('porchlight')

    const seen: string[] = []
    for (const [group, methods] of Object.entries(api)) {
      for (const [method, fn] of Object.entries(methods)) {
        expect(typeof fn, `${group}.${method}`).toBe('function')
        fake.ipcRenderer.invoke.mockClear()
        const input = { probe: `${group}.${method}` }
        await (fn as (input: unknown) => Promise<unknown>)(input)
        expect(fake.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(`porchlight:${group}.${method}`, input)
        seen.push(`${group}.${method}`)
      }
    }
    expect(seen.sort()).toEqual([...CHANNELS].sort())
  })

  it('exposes the change feed as a subscription that passes on only well-formed messages from main', async () => {
    vi.resetModules()
    fake.contextBridge.exposeInMainWorld.mockClear()
    fake.ipcRenderer.on.mockClear()
    await import('../../electron/preload/index')
    const [name, feed] = fake.contextBridge.exposeInMainWorld.mock.calls[1] as [string, FeedBridge]
    expect(name).toBe('porchlightFeed')
    expect(fake.ipcRenderer.on).toHaveBeenCalledOnce()
    const [channel, fromMain] = fake.ipcRenderer.on.mock.calls[0] as unknown as [string, (event: unknown, message: unknown) => void]
    expect(channel).toBe(FEED_CHANNEL)
    const heard: unknown[] = []
    feed.subscribe((message) => heard.push(message))
    fromMain({}, { kind: 'changes', changes: [{ topic: 'visits' }], elsewhere: true })
    fromMain({}, { kind: 'changes', changes: [{ topic: 'visits', name: 'Ana' }], elsewhere: true })
    fromMain({}, { kind: 'changes', changes: [{ topic: 'audit_log' }], elsewhere: true })
    fromMain({}, '<script>')
    // Only topics and ids reach the page: an extra field is dropped, an unknown topic refused.
    expect(heard).toEqual([
      { kind: 'changes', changes: [{ topic: 'visits' }], elsewhere: true },
      { kind: 'changes', changes: [{ topic: 'visits' }], elsewhere: true },
    ])
  })

  it('bundles to one CommonJS file that requires only electron and carries no zod', () => {
    // The same bundling the sandbox needs: everything inlined except 'electron'.
    const result = buildSync({
      absWorkingDir: ROOT,
      entryPoints: ['electron/preload/index.ts'],
      bundle: true,
      write: false,
      metafile: true,
      format: 'cjs',
      platform: 'node',
      external: ['electron'],
      logLevel: 'silent',
    })
    expect(Object.keys(result.metafile.inputs).sort()).toEqual([
      'electron/ipc/api.ts',
      'electron/ipc/channels.ts',
      'electron/ipc/feed.ts',
      'electron/preload/index.ts',
    ])
    const code = result.outputFiles[0]!.text
    const required = [...code.matchAll(/require\((["'])(.+?)\1\)/g)].map((m) => m[2])
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(code).not.toMatch(/ZodType|safeParse|from ["']zod["']/)
  })
})

describe('app lifecycle (electron/main/index.ts)', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'porchlight-app-'))
    fake.app.userData = dir
    fake.app.gotLock = true
    vi.resetModules()
  })

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('quits at once when another Porchlight already runs', async () => {
    fake.app.gotLock = false
    await import('../../electron/main/index')
    expect(fake.app.quit).toHaveBeenCalled()
    expect(fake.app.enableSandbox).not.toHaveBeenCalled()
    expect(fake.app.whenReady).not.toHaveBeenCalled()
  })

  it('starts sandboxed, opens one hardened window, serves IPC and closes the database on quit', async () => {
    await import('../../electron/main/index')
    expect(fake.app.enableSandbox).toHaveBeenCalled()
    expect(fake.app.enableSandbox.mock.invocationCallOrder[0]).toBeLessThan(fake.app.whenReady.mock.invocationCallOrder[0]!)
    // The window follows main's start (its modules, the database's first open): vi.waitFor's default second is short on a busy PC.
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1), { timeout: 15_000 })
    const window = fake.FakeBrowserWindow.instances[0]!
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false })
    expect(fake.defaultSession.permissionRequest).not.toBeNull()
    expect(fake.defaultSession.headersReceived).not.toBeNull()
    expect([...fake.handlers.keys()].sort()).toEqual(CHANNELS.map((c) => IPC_PREFIX + c).sort())

    // Any other web contents gets the same rules.
    const other = new fake.FakeWebContents('about:blank')
    fake.app.emit('web-contents-created', {}, other)
    const attach = { preventDefault: vi.fn() }
    other.emit('will-attach-webview', attach, {}, {})
    expect(attach.preventDefault).toHaveBeenCalled()
    expect(other.openHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' })

    // The window (trusted, on its page) reaches the core: first-run setup through IPC.
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame }
    const status = (await fake.handlers.get('porchlight:app.status')!(event, {})) as Envelope<{ phase: string }>
    expect(status).toMatchObject({ ok: true, value: { phase: 'setup', keyProtection: 'os' } })
    const setup = await fake.handlers.get('porchlight:setup.create')!(event, {
      centerName: 'Harbor Light',
      adminName: 'Ada Admin',
      username: 'ada',
      password: 'a long enough password',
    })
    expect(setup).toMatchObject({ ok: true })
    // The loaded page learns whether to poll; the window that signs someone in hears it as its own change.
    window.webContents.emit('did-finish-load')
    expect(window.webContents.sent).toEqual([{ channel: FEED_CHANNEL, message: { kind: 'status', live: true } }])
    const person = (await fake.handlers.get('porchlight:participants.create')!(event, { firstName: 'Rosa' })) as Envelope<{ id: number }>
    expect(person).toMatchObject({ ok: true })
    expect(window.webContents.sent[1]).toEqual({ channel: FEED_CHANNEL, message: { kind: 'changes', changes: [{ topic: 'participants' }], elsewhere: false } })
    expect(existsSync(join(dir, 'database-key.safestorage'))).toBe(true)
    expect(existsSync(join(dir, 'porchlight.db-wal'))).toBe(true)

    // Quitting waits for the database to close, which checkpoints and removes the WAL.
    const quit = { preventDefault: vi.fn() }
    fake.app.emit('before-quit', quit)
    expect(quit.preventDefault).toHaveBeenCalled()
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledTimes(1), { timeout: 15_000 })
    expect(existsSync(join(dir, 'porchlight.db-wal'))).toBe(false)
    expect(fake.handlers.size).toBe(0)
    // The second before-quit (from that app.quit) lets the app go.
    const again = { preventDefault: vi.fn() }
    fake.app.emit('before-quit', again)
    expect(again.preventDefault).not.toHaveBeenCalled()
  })
})

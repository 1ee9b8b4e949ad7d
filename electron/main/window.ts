import { dirname, join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  BrowserWindow,
  shell,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron'
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from '../csp'
import { log } from '../../db/log'

export { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from '../csp'

/** Where the app's one page lives: the built file, or electron-vite's dev server. */
export type AppPage =
  | { readonly kind: 'file'; readonly url: string; readonly file: string }
  | { readonly kind: 'dev'; readonly url: string; readonly origin: string }

export interface AppLocation {
  readonly preload: string
  readonly page: AppPage
  /** The window's icon (Linux shows it in the task bar; Windows takes the .exe's, made from resources/icon.ico). */
  readonly icon: string
}

/** The dev server must be on this computer: a packaged app never takes a URL from the environment. */
function devServerUrl(raw: string | undefined): URL | null {
  if (!raw) return null
  try {
    const url = new URL(raw)
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
    return url.protocol === 'http:' && local ? url : null
  } catch {
    return null
  }
}

/**
 * Resolves the preload and the page relative to the built main (`out/main`), as electron-vite
 * lays them out. `ELECTRON_RENDERER_URL` is honoured only when not packaged.
 */
export function resolveAppLocation(mainDir: string, options: { isPackaged: boolean; devUrl?: string; resourcesPath?: string }): AppLocation {
  const preload = join(mainDir, '..', 'preload', 'index.cjs')
  // Packaged, electron-builder copies the icon beside app.asar (extraResources); from source it is in resources/.
  const icon = options.isPackaged && options.resourcesPath ? join(options.resourcesPath, 'icon.png') : join(mainDir, '..', '..', 'resources', 'icon.png')
  const dev = options.isPackaged ? null : devServerUrl(options.devUrl)
  if (dev) return { preload, icon, page: { kind: 'dev', url: dev.href, origin: dev.origin } }
  const file = join(mainDir, '..', 'renderer', 'index.html')
  return { preload, icon, page: { kind: 'file', url: pathToFileURL(file).href, file } }
}

function samePath(a: string, b: string): boolean {
  // Windows paths compare without case (drive letters come back as c: or C:).
  return process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b
}

/** True for the app's own page only (any hash or query), never another file or origin. */
export function isAppPageUrl(raw: string, page: AppPage): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (page.kind === 'dev') return url.origin === page.origin
  if (url.protocol !== 'file:' || url.host !== '') return false
  try {
    return samePath(fileURLToPath(url), page.file)
  } catch {
    return false
  }
}

/** A link the OS browser may open: parsed, http or https, no credentials in it. Otherwise null. */
export function externalUrl(raw: string): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.username || url.password) return null
  return url.href
}

/**
 * Requests a window may make: files of the built renderer, inline data, and in development the
 * dev server. Anything else, above all the network, is cancelled.
 */
export function isAllowedRequest(raw: string, page: AppPage): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  // DevTools' own pages (only reachable when not packaged: devTools is off in a packaged build).
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'devtools:') return true
  if (page.kind === 'file') {
    if (url.protocol !== 'file:' || url.host !== '') return false
    try {
      const file = fileURLToPath(url)
      const root = dirname(page.file) + sep
      return samePath(file.slice(0, root.length), root)
    } catch {
      return false
    }
  }
  // Vite's hot reload talks over a WebSocket to the same host and port.
  return (url.protocol === 'http:' || url.protocol === 'ws:') && url.host === new URL(page.origin).host
}

export function webPreferences(preload: string, isPackaged: boolean): WebPreferences {
  return {
    preload,
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
    safeDialogs: true,
    // Off: participants' names are flagged as misspellings everywhere, and on Linux and Windows
    // Chromium downloads Hunspell dictionaries from Google, which is remote traffic we do not want.
    spellcheck: false,
    devTools: !isPackaged,
  }
}

export type OpenExternal = (url: string) => Promise<void>

const hardenedContents = new WeakSet<WebContents>()
const hardenedSessions = new WeakSet<Session>()

/**
 * Every web contents (ours and any other that might appear) stays on the app page: no navigation
 * or redirect elsewhere, no new windows, no <webview>. http(s) links go to the OS browser.
 */
export function hardenWebContents(contents: WebContents, page: AppPage, openExternal: OpenExternal = shell.openExternal): void {
  if (hardenedContents.has(contents)) return
  hardenedContents.add(contents)
  const stayOnPage = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppPageUrl(url, page)) event.preventDefault()
  }
  contents.on('will-navigate', (event) => stayOnPage(event, event.url))
  contents.on('will-frame-navigate', (event) => stayOnPage(event, event.url))
  contents.on('will-redirect', (event) => stayOnPage(event, event.url))
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrl(url)
    if (external) {
      openExternal(external).catch((error: unknown) => log.error('window.openLink', error))
    }
    return { action: 'deny' }
  })
}

/** Denies every permission (camera, notifications, USB...), sends the CSP header, blocks remote requests. */
export function hardenSession(session: Session, page: AppPage): void {
  if (hardenedSessions.has(session)) return
  hardenedSessions.add(session)
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, page) }))
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string[]> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Ours replaces any policy the server sent, whatever the header's case.
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value
    }
    responseHeaders['Content-Security-Policy'] = [page.kind === 'dev' ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY]
    callback({ responseHeaders })
  })
}

/** The one app window. The caller hardens the session and trusts the window's IPC. */
export function createMainWindow(location: AppLocation, isPackaged: boolean): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    title: 'Porchlight',
    icon: location.icon,
    webPreferences: webPreferences(location.preload, isPackaged),
  })
  hardenWebContents(window.webContents, location.page)
  window.once('ready-to-show', () => window.show())
  const { page } = location
  const loading = page.kind === 'dev' ? window.loadURL(page.url) : window.loadFile(page.file)
  loading.catch((error: unknown) => log.error('window.load', error))
  return window
}

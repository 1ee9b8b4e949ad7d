import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
import { useBackupWorkerFile } from '../../db/backup-thread'
import { FileKeyStore } from '../../db/keystore-file'
import { CONTENT_SECURITY_POLICY } from '../../electron/csp'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { messageFor } from '../../electron/ipc/changes'
import type { Platform } from '../../electron/ipc/platform'
import type { PrintingPage } from '../../electron/ipc/printing'
import { startLogFile, stopLogFile } from '../../db/log'
import { bundleBackupWorker } from '../backup-worker-bundle'
import type { DbKey } from '../../db/keys'
import { moveToPostgres } from '../../db/move'
import { connectionFromUrl } from '../../db/postgres'
import { createHostDatabase, type HostDatabase } from './postgres'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const RENDERER_DIR = join(ROOT, 'out', 'renderer')
const MAX_BODY = 1024 * 1024

// The same policy the Electron window sends: the host must not be laxer than the app.
export { CONTENT_SECURITY_POLICY }

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
}

export interface HostOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** An existing or new database file; default: a new one in a temp folder. */
  dbFile?: string
  /** Key file for dbFile; default: beside the database. */
  keyFile?: string
  rendererDir?: string
  now?: () => Date
  timeZone?: string
  /** Writes Porchlight's log file here, as the app does in its user-data folder (default: no log file). */
  logDir?: string
  /**
   * Keeps the records on this PostgreSQL server instead of an encrypted file: the URL of a role that
   * may create databases. The host makes a new database there (this build's schema, no center yet,
   * as after "connect to the center's server" at first run), connects to it as a PC would, and drops
   * it on close.
   */
  postgres?: string
  /** With `postgres`: the center in this SQLite file is copied into the new database (`admin migrate`), set up already. */
  postgresFrom?: { dbFile: string; key: DbKey }
}

/**
 * The test host cannot show an OS dialog: its folder picker answers with whatever a test put in
 * `folder` (null: as if the person cancelled). Everything around it is the app's own code.
 */
export interface HostPlatform extends Platform {
  folder: string | null
  /** Folders Porchlight asked the file manager to show (the test host has none to open). */
  opened: string[]
  /** What the file picker answers next (a spreadsheet to import). */
  file: string | null
  /** What the save dialog answers (a full path; null: as if the person cancelled), and the names it proposed. */
  saveAs: string | null
  proposed: string[]
  /**
   * The page that prints a PDF: Electron's webContents.printToPDF in the app. The host has no
   * browser of its own; a test hands it the Chromium page it drives (Playwright's page.pdf on the
   * app page itself, with main's options), so the PDF is printed by the same engine from the same
   * page, and everything around it (dialog, durable write, audit) is main's own code. Null: the
   * host says plainly that it cannot, as the admin CLI would.
   */
  printer: PrintingPage | null
}

export interface RunningHost {
  url: string
  origin: string
  token: string
  dbFile: string
  keyFile: string
  /** Where the records are when the host runs on PostgreSQL: the host's own database (dropped on close). */
  postgres: { url: string; name: string } | null
  core: PorchlightCore
  platform: HostPlatform
  close(): Promise<void>
}

let bridgeBundle: string | null = null

/** The bridge script, bundled once per process: a worker starts a host for every test. */
function bundleBridge(): string {
  if (bridgeBundle !== null) return bridgeBundle
  const result = buildSync({
    entryPoints: [join(ROOT, 'test', 'host', 'bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
  })
  bridgeBundle = result.outputFiles[0]!.text
  return bridgeBundle
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  })
  res.end(body)
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value))
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        resolveBody(null)
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer ([0-9a-f]+)$/.exec(header ?? '')?.[1] ?? '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * Serves the built renderer and carries the IPC contract over HTTP on 127.0.0.1, backed by the
 * real handler table and a real encrypted database (or a PostgreSQL database of its own): the app,
 * usable in any Chromium, without Electron.
 */
let workerBundled = false

export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  // Backups, exports and checks start worker threads from the bundle, as the app does: through
  // tsx each start costs seconds, enough to push a busy machine's e2e tests past their timeouts.
  if (!workerBundled) {
    useBackupWorkerFile(bundleBackupWorker())
    workerBundled = true
  }
  const rendererDir = options.rendererDir ?? RENDERER_DIR
  const indexFile = join(rendererDir, 'index.html')
  if (!existsSync(indexFile)) {
    throw new Error(`No built renderer at ${rendererDir}. Run "npm run build" first.`)
  }
  const tempDir = options.dbFile ? null : mkdtempSync(join(tmpdir(), 'porchlight-host-'))
  const dbFile = options.dbFile ?? join(tempDir!, 'porchlight.db')
  const keyFile = options.keyFile ?? `${dbFile}.key`
  const platform: HostPlatform = {
    folder: null,
    file: null,
    chooseFolder: async () => platform.folder,
    chooseSpreadsheet: async () => platform.file,
    saveAs: null,
    proposed: [],
    chooseSaveFile: async (fileName) => {
      platform.proposed.push(fileName)
      return platform.saveAs
    },
    printer: null,
    opened: [],
    openFolder: async (folder) => {
      platform.opened.push(folder)
    },
  }
  if (options.logDir) await startLogFile(options.logDir)
  const core = new PorchlightCore({
    dbFile,
    keyStore: new FileKeyStore(keyFile),
    now: options.now,
    timeZone: options.timeZone,
    platform,
    appVersion: (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    noticesFile: join(ROOT, 'build', 'third-party-notices.txt'),
  })
  await core.start()
  let database: HostDatabase | null = null
  if (options.postgres) {
    if (options.dbFile) throw new Error('A host on PostgreSQL keeps no records file: leave out dbFile.')
    database = await createHostDatabase(options.postgres, { empty: Boolean(options.postgresFrom) })
    try {
      if (options.postgresFrom) await moveToPostgres(options.postgresFrom.dbFile, options.postgresFrom.key, database.url)
      // The same path as the first-run screen's "Connect": the connection file and its key beside dbFile.
      await core.connectServer(connectionFromUrl(database.url))
    } catch (error) {
      await core.close()
      await database.drop()
      throw error
    }
  }
  core.scheduler.start()

  const token = randomBytes(24).toString('hex')
  const bridge = bundleBridge()
  // The bridge must define window.porchlight before the app's module script runs: a deferred
  // classic script placed before it runs first (deferred and module scripts keep document order),
  // without holding up the parser and the module requests behind it, as Electron's preload does not.
  const indexHtml = readFileSync(indexFile, 'utf8').replace('<head>', '<head>\n    <script defer src="/__host/bridge.js"></script>')
  const sessions = new Map<string, Session>()
  let origin = ''

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('[host] request failed:', error)
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'The test host failed.' } })
    })
  })

  const sessionOf = (clientId: string): Session => {
    let session = sessions.get(clientId)
    if (!session) {
      session = { staff: null }
      sessions.set(clientId, session)
    }
    return session
  }

  /** The token and the tab's client id, as every call carries them; a refusal is answered here. */
  function admitted(req: IncomingMessage, res: ServerResponse): string | null {
    // Same-origin only: another page in the browser must not drive (or watch) the records.
    if (req.headers.origin && req.headers.origin !== origin) {
      sendJson(res, 403, { ok: false, error: { code: 'BAD_SENDER', message: 'Calls are accepted from the app page only.' } })
      return null
    }
    if (!tokenMatches(req.headers.authorization, token)) {
      sendJson(res, 401, { ok: false, error: { code: 'BAD_SENDER', message: 'Open the address the host printed, with its token.' } })
      return null
    }
    const clientId = String(req.headers['x-porchlight-client'] ?? '')
    if (!/^[0-9a-f-]{36}$/.test(clientId)) {
      sendJson(res, 400, { ok: false, error: { code: 'BAD_SENDER', message: 'Missing client id.' } })
      return null
    }
    return clientId
  }

  /**
   * The change feed as Server-Sent Events (Electron's webContents.send in the app): the bridge
   * reads it with fetch, so the token travels in its header as on every call, never in the address.
   */
  function streamChanges(req: IncomingMessage, res: ServerResponse, clientId: string): void {
    const session = sessionOf(clientId)
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    })
    const write = (message: unknown) => res.write(`data: ${JSON.stringify(message)}\n\n`)
    write({ kind: 'status', live: core.changes.live })
    const unsubscribe = core.changes.subscribe((event) => write(messageFor(event, session)))
    // A comment now and then keeps an idle stream from looking dead to anything in between.
    const beat = setInterval(() => res.write(': beat\n\n'), 15_000)
    beat.unref()
    req.on('close', () => {
      clearInterval(beat)
      unsubscribe()
    })
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin)
    if (url.pathname === '/__changes') {
      if (req.method !== 'GET') return sendJson(res, 405, { ok: false, error: { code: 'BAD_SENDER', message: 'GET only.' } })
      const clientId = admitted(req, res)
      if (clientId) streamChanges(req, res, clientId)
      return
    }
    if (url.pathname.startsWith('/__ipc/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'BAD_SENDER', message: 'POST only.' } })
      const clientId = admitted(req, res)
      if (!clientId) return
      const body = await readBody(req)
      if (body === null) {
        return sendJson(res, 413, { ok: false, error: { code: 'INVALID_INPUT', message: 'That request is too large.' } })
      }
      let input: unknown
      try {
        input = JSON.parse(body)
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'INVALID_INPUT', message: 'That request is not valid JSON.' } })
      }
      const session = sessionOf(clientId)
      const channel = decodeURIComponent(url.pathname.slice('/__ipc/'.length))
      return sendJson(res, 200, await dispatch(channel, input, { core, session, ...(platform.printer ? { page: platform.printer } : {}) }))
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed')
    if (url.pathname === '/__host/bridge.js') return send(res, 200, TYPES['.js']!, bridge)
    if (url.pathname === '/' || url.pathname === '/index.html') return send(res, 200, TYPES['.html']!, indexHtml)
    const file = normalize(join(rendererDir, decodeURIComponent(url.pathname)))
    if (!file.startsWith(rendererDir + sep) || !existsSync(file)) return send(res, 404, 'text/plain', 'Not found')
    return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file))
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    dbFile,
    keyFile,
    postgres: database && { url: database.url, name: database.name },
    core,
    platform,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()))
      await core.close()
      await database?.drop()
      if (options.logDir) await stopLogFile()
      if (tempDir) rmSync(tempDir, { recursive: true, force: true })
    },
  }
}

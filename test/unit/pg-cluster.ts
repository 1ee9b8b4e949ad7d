import { execFile } from 'node:child_process'
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * A PostgreSQL server of a test's own, for what CI's shared one (`.ci/postgres`: fsync off, no TLS)
 * cannot show: durability across a server crash, and TLS with a certificate. Made the way
 * `.ci/postgres` makes its cluster (initdb refuses root, so under root the files belong to the
 * `postgres` account the Debian package creates), with the settings and files the test asks for.
 */
export interface TestCluster {
  /** postgres://porchlight:PASSWORD@HOST:PORT/postgres, HOST being the first listen address. */
  readonly url: string
  readonly port: number
  readonly password: string
  readonly dir: string
  /** `pg_ctl restart -m immediate`: the server stops as if it crashed, then recovers from its WAL. */
  restartImmediate(): Promise<void>
  /** Stops the server and removes its files. */
  remove(): Promise<void>
}

/** The newest PostgreSQL server binaries Debian's packages installed, or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b))
  return versions.length > 0 ? join(root, versions.at(-1)!, 'bin') : null
}

function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
  })
}

export interface ClusterOptions {
  /** Addresses to listen on (the URL names the first): 127.0.0.1 unless told. */
  listen?: string[]
  /** Lines added to postgresql.conf. */
  settings?: Record<string, string>
  /** pg_hba.conf's whole text, replacing initdb's. */
  hba?: string
  /** Files written into the data folder (certificates), readable by the server only. */
  files?: Record<string, string>
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const bin = postgresBinDir()
  if (!bin) throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt install postgresql)')
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-pgcluster-'))
  const data = join(dir, 'data')
  const asRoot = userInfo().uid === 0
  let owner: { uid: number; gid: number } | null = null
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    owner = { uid: Number(stdout.trim()), gid: Number(gid.trim()) }
  }
  const own = (path: string) => owner && chownSync(path, owner.uid, owner.gid)
  chmodSync(dir, 0o700)
  own(dir)
  const pg = (program: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args]) : run(join(bin, program), args))
  const password = `pw${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
  const pwfile = join(dir, 'pwfile')
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
  own(pwfile)
  // --no-sync only for initdb's own files: the server below runs with fsync on unless told otherwise.
  await pg('initdb', ['-D', data, '-U', 'porchlight', `--pwfile=${pwfile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'])
  rmSync(pwfile)
  const listen = options.listen ?? ['127.0.0.1']
  const port = await freePort(listen[0]!)
  const settings = { listen_addresses: `'${listen.join(',')}'`, port: String(port), unix_socket_directories: `'${dir}'`, max_connections: '50', ...options.settings }
  appendFileSync(join(data, 'postgresql.conf'), Object.entries(settings).map(([name, value]) => `${name} = ${value}\n`).join(''))
  if (options.hba !== undefined) {
    writeFileSync(join(data, 'pg_hba.conf'), options.hba)
    own(join(data, 'pg_hba.conf'))
  }
  for (const [name, text] of Object.entries(options.files ?? {})) {
    const path = join(data, name)
    writeFileSync(path, text, { mode: 0o600 })
    own(path)
  }
  const log = join(dir, 'server.log')
  const ctl = (args: string[]) => pg('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', ...args])
  await ctl(['start'])
  return {
    url: `postgres://porchlight:${password}@${listen[0]}:${port}/postgres`,
    port,
    password,
    dir,
    restartImmediate: async () => {
      await ctl(['-m', 'immediate', 'restart'])
    },
    remove: async () => {
      await ctl(['-m', 'immediate', 'stop']).catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { openPostgres } from '../../db/postgres'

/**
 * The test host's databases on a PostgreSQL server (`startHost({ postgres: URL })`): a new database
 * per host, copied from a template that holds this build's schema, dropped when the host closes.
 * The URL names a server and a role that may create databases (`.ci/postgres start` prints one);
 * its own database is only where the CREATE and DROP statements are sent from.
 */

const MIGRATIONS_DIR = resolve(fileURLToPath(new URL('../../db/migrations/postgres', import.meta.url)))
/** Any fixed number: hosts in several processes (Playwright's workers) build the template one at a time. */
const TEMPLATE_LOCK = 0x686f737474706cn

/** `url` with its path pointing at `database`. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/**
 * Named by the text of the PostgreSQL migrations: a changed or added migration makes a new template
 * rather than hosts on a stale schema. Templates of older schemas stay on a developer's server
 * until dropped (a few MB each); CI's server is thrown away with the run.
 */
function templateName(): string {
  const hash = createHash('sha256')
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)))
  return `porchlight_host_template_${hash.digest('hex').slice(0, 12)}`
}

/** Runs `work` on one connection to the server URL's own database, closed afterwards. */
export async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * The template, built once per server and schema: migrated under another name, then renamed, so a
 * host never copies a half-built one; the lock keeps two processes from building it at once.
 */
async function ensureTemplate(url: string): Promise<string> {
  const name = templateName()
  await onServer(url, async (client) => {
    const exists = async () => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1
    if (await exists()) return
    await client.query(`SELECT pg_advisory_lock(${TEMPLATE_LOCK})`)
    try {
      if (await exists()) return
      const building = `${name}_building`
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`)
      await client.query(`CREATE DATABASE "${building}" TEMPLATE template0 ENCODING 'UTF8'`)
      // The app's own opening builds the schema, exactly as a PC's first connection would.
      const opened = await openPostgres(databaseUrl(url, building), { poolSize: 1 })
      await opened.close()
      await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`)
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${TEMPLATE_LOCK})`)
    }
  })
  return name
}

export interface HostDatabase {
  /** The new database's URL (the server's, with the password). */
  url: string
  name: string
  /** Drops it, ending any connection still open to it. */
  drop(): Promise<void>
}

/**
 * A new database for one host: at this build's schema with no center set up (`empty`: no tables
 * at all, for `admin migrate`'s copy of the demo center). The name carries the process and random
 * bytes, so hosts in parallel processes never collide.
 */
export async function createHostDatabase(url: string, options: { empty?: boolean } = {}): Promise<HostDatabase> {
  const template = options.empty ? 'template0' : await ensureTemplate(url)
  const name = `porchlight_host_${process.pid}_${randomBytes(4).toString('hex')}`
  // FILE_COPY: for a database this small, copying its files beats writing them through the WAL.
  await onServer(url, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" ${options.empty ? "ENCODING 'UTF8'" : 'STRATEGY FILE_COPY'}`))
  return {
    url: databaseUrl(url, name),
    name,
    drop: () => onServer(url, async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  }
}

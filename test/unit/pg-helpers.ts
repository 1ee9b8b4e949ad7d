import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest'
import { generateKey } from '../../db/keys'
import { createDatabase, type OpenDatabase } from '../../db/open'
import { openPostgres, type OpenPostgres } from '../../db/postgres'
import { useTempDirs } from './helpers'
import { databaseUrl, onServer } from '../host/postgres'

/**
 * The PostgreSQL server the tests may use: a URL to a role that may create databases (CI's
 * `.ci/postgres start DIR` prints one). Every test gets a database of its own, dropped after it.
 */
export const PG_URL = process.env.PORCHLIGHT_TEST_PG_URL

/**
 * `describe` for tests that need PostgreSQL. Without a server they are skipped on a developer's
 * PC, saying how to run them; under CI they fail, so a missing server can never pass as green.
 * PORCHLIGHT_TEST_PG=off skips them everywhere (the shifted-clock run, which re-runs the date-sensitive files).
 */
export function describePostgres(name: string, body: () => void): void {
  if (process.env.PORCHLIGHT_TEST_PG === 'off') {
    // Turned off on purpose by a runner that tests something else (the shifted clock: SQLite only).
    describe.skip(`${name} (PostgreSQL turned off for this run)`, body)
  } else if (PG_URL) {
    describe(name, body)
  } else if (process.env.CI) {
    describe(name, () => {
      it('has a PostgreSQL server to test against', () => {
        throw new Error('CI is set but PORCHLIGHT_TEST_PG_URL is not: .ci/run starts a throwaway server with .ci/postgres and exports it')
      })
    })
  } else {
    describe.skip(`${name} (skipped: no PostgreSQL; run \`.ci/postgres start /tmp/pg\` and set PORCHLIGHT_TEST_PG_URL to the URL it prints)`, body)
  }
}

function urlFor(database: string): string {
  return databaseUrl(PG_URL!, database)
}

/** Work on the test server as its admin role (creating and dropping databases). */
export function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return onServer(PG_URL!, work)
}

/** The tables a server database holds, read past Porchlight's own code: for tests that something was, or was not, written. */
export async function tablesOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)
    return rows.map((row) => row.name)
  } finally {
    await client.end()
  }
}

let made = 0
/** A database at the current schema, made once per test process: new ones are copied from it. */
let template: Promise<string> | undefined

function freshName(): string {
  // Unique across the test files vitest runs at once in separate processes.
  return `porchlight_test_${process.pid}_${++made}`
}

/**
 * Running the migrations takes a second or two; copying a migrated database (CREATE DATABASE …
 * TEMPLATE) a tenth of that. The template is dropped after the block that made it.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const name = `porchlight_template_${process.pid}`
    await asAdmin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${name}"`)
      await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`)
    })
    const handle = await openPostgres(urlFor(name))
    await handle.close()
    return name
  })()
  return template
}

/**
 * Databases on the test server for one test: `make()` creates an empty one and returns its URL,
 * `open()` one at the current schema, opened; all of them are closed and dropped after the test
 * (with scope 'block', after the block). Call once at the top of a describePostgres block.
 */
export function usePostgresDatabases(scope: Scope = 'test'): { make: () => Promise<string>; open: () => Promise<OpenPostgres> } {
  const databases: string[] = []
  const opened: OpenPostgres[] = []
  afterAll(async () => {
    if (!template) return
    const name = await template
    template = undefined
    await asAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}"`))
  })
  // Registered after the template's afterAll, so (hooks run in reverse) a block's databases go first.
  ;(scope === 'test' ? afterEach : afterAll)(async () => {
    for (const handle of opened.splice(0)) await handle.close()
    const names = databases.splice(0)
    if (names.length === 0) return
    await asAdmin(async (client) => {
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    })
  })
  const create = async (from: string) => {
    const name = freshName()
    // FILE_COPY: for a database this small, copying its files beats writing them through the WAL.
    await asAdmin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${from}" STRATEGY FILE_COPY`))
    databases.push(name)
    return urlFor(name)
  }
  const make = () => create('template0')
  const open = async () => {
    const handle = await openPostgres(await create(await migratedTemplate()))
    opened.push(handle)
    return handle
  }
  return { make, open }
}

/**
 * A new database on each backend for one piece of work: a SQLite file and a PostgreSQL database,
 * both at the current schema, closed (and the server's dropped) afterwards. Call once at the top
 * of a describePostgres block.
 */
export function useBothBackends(): (work: (sqlite: OpenDatabase, server: OpenPostgres) => Promise<void>) => Promise<void> {
  const tempDir = useTempDirs()
  const databases = usePostgresDatabases()
  return async (work) => {
    const sqlite = await createDatabase(join(tempDir(), 'porchlight.db'), generateKey())
    try {
      await work(sqlite, await databases.open())
    } finally {
      await sqlite.close()
    }
  }
}

export type TestBackend = 'sqlite' | 'postgres'

/** How long a test database lives: one test, or the whole block (for tests that build on each other's writes). */
export type Scope = 'test' | 'block'

/**
 * The same tests on each backend: `body` runs inside a describe for SQLite and one for PostgreSQL
 * (the latter as describePostgres: failing under CI without a server, skipped on a PC without one).
 */
export function describeEachBackend(name: string, body: (backend: TestBackend) => void): void {
  describe(`${name} (SQLite)`, () => body('sqlite'))
  describePostgres(`${name} (PostgreSQL)`, () => body('postgres'))
}

/** The records a test writes to: the Kysely the services take, whichever backend holds it. */
export interface TestRecords {
  readonly db: OpenDatabase['db']
  /** SQLite's raw connection (for the paths that use it, such as the desk's prepared search statements); none on PostgreSQL. */
  readonly sqlite?: OpenDatabase['sqlite']
}

/**
 * A new, empty database on `backend` before each test, closed after it (with scope 'block': one for
 * the whole block): read the current one with the returned function. Call once inside
 * describeEachBackend's body.
 */
export function useRecords(backend: TestBackend, scope: Scope = 'test'): () => TestRecords {
  const tempDir = useTempDirs()
  const databases = usePostgresDatabases(scope)
  let current: (TestRecords & { close(): Promise<void> }) | undefined
  let blockDir: string | undefined
  ;(scope === 'test' ? beforeEach : beforeAll)(async () => {
    if (backend === 'postgres') {
      current = await databases.open()
      return
    }
    // useTempDirs empties its folders after each test: a block's file needs one of its own.
    const dir = scope === 'test' ? tempDir() : (blockDir = mkdtempSync(join(tmpdir(), 'porchlight-')))
    current = await createDatabase(join(dir, 'porchlight.db'), generateKey())
  })
  ;(scope === 'test' ? afterEach : afterAll)(async () => {
    // The server's database is closed and dropped by usePostgresDatabases.
    if (backend === 'sqlite') await current?.close()
    if (blockDir) rmSync(blockDir, { recursive: true, force: true })
  })
  return () => current!
}

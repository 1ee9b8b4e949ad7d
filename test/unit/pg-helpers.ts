import { join } from 'node:path'
import pg from 'pg'
import { afterEach, describe, it } from 'vitest'
import { generateKey } from '../../db/keys'
import { createDatabase, type OpenDatabase } from '../../db/open'
import { openPostgres, type OpenPostgres } from '../../db/postgres'
import { useTempDirs } from './helpers'

/**
 * The PostgreSQL server the tests may use: a URL to a role that may create databases (CI's
 * `.ci/postgres start DIR` prints one). Every test gets a database of its own, dropped after it.
 */
export const PG_URL = process.env.PORCHLIGHT_TEST_PG_URL

/**
 * `describe` for tests that need PostgreSQL. Without a server they are skipped on a developer's
 * PC, saying how to run them; under CI they fail, so a missing server can never pass as green.
 */
export function describePostgres(name: string, body: () => void): void {
  if (PG_URL) {
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
  const url = new URL(PG_URL!)
  url.pathname = `/${database}`
  return url.toString()
}

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

let made = 0

/**
 * Empty databases on the test server for one test: `make()` creates one and returns its URL; all
 * of them are dropped after the test (open connections to them closed first). Call once at the top
 * of a describePostgres block.
 */
export function usePostgresDatabases(): { make: () => Promise<string>; open: () => Promise<OpenPostgres> } {
  const databases: string[] = []
  const opened: OpenPostgres[] = []
  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close()
    const names = databases.splice(0)
    if (names.length === 0) return
    await asAdmin(async (client) => {
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    })
  })
  const make = async () => {
    // Unique across the test files vitest runs at once in separate processes.
    const name = `porchlight_test_${process.pid}_${++made}`
    await asAdmin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`))
    databases.push(name)
    return urlFor(name)
  }
  const open = async () => {
    const handle = await openPostgres(await make())
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

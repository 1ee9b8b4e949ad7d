import pg from 'pg'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { DbError } from '../../db/errors'
import { postgresMigrationList } from '../../db/migrations/postgres'
import { openPostgres } from '../../db/postgres'
import { dbErrorCode } from './helpers'
import { describePostgres, usePostgresDatabases } from './pg-helpers'

/** Runs statements on a database as its owner, outside Porchlight. */
async function onDatabase(url: string, ...statements: string[]): Promise<Array<Array<Record<string, unknown>>>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const results = []
    for (const statement of statements) results.push((await client.query(statement)).rows)
    return results
  } finally {
    await client.end()
  }
}

const tablesOf = async (url: string) =>
  (await onDatabase(url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`))[0]!.map((row) => row.table_name)

describePostgres('opening the records on a PostgreSQL server', () => {
  const databases = usePostgresDatabases()

  it('brings an empty database to the current schema once; opening again runs nothing', async () => {
    const url = await databases.make()
    const first = await openPostgres(url)
    await first.close()
    const [recorded] = await onDatabase(url, `SELECT name, timestamp FROM kysely_migration ORDER BY name`)
    expect(recorded!.map((row) => row.name)).toEqual(postgresMigrationList.map(([name]) => name))
    const again = await openPostgres(url)
    await again.close()
    expect((await onDatabase(url, `SELECT name, timestamp FROM kysely_migration ORDER BY name`))[0]).toEqual(recorded)
  })

  it("refuses a database that holds someone else's tables, and writes nothing to it", async () => {
    const url = await databases.make()
    await onDatabase(url, `CREATE TABLE invoices (id integer PRIMARY KEY, total numeric)`)
    expect(await dbErrorCode(openPostgres(url))).toBe('DB_NOT_DATABASE')
    expect(await tablesOf(url)).toEqual(['invoices'])
  })

  it('refuses a database a newer Porchlight migrated, naming its version, and changes nothing', async () => {
    const url = await databases.make()
    await (await openPostgres(url)).close()
    await onDatabase(url, `INSERT INTO kysely_migration (name, timestamp) VALUES ('0031_from_the_future', '2027-01-01T00:00:00.000Z')`)
    const before = await tablesOf(url)
    const refusal = await openPostgres(url).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(DbError)
    expect((refusal as DbError).code).toBe('DB_TOO_NEW')
    expect((refusal as DbError).message).toMatch(/0031_from_the_future/)
    // The message names the server and database, never the password in the URL.
    expect((refusal as DbError).message).toContain(new URL(url).host)
    expect((refusal as DbError).message).not.toContain(new URL(url).password)
    expect(await tablesOf(url)).toEqual(before)
  })

  it('a wrong password is refused by the server, and the refusal does not repeat it', async () => {
    const url = new URL(await databases.make())
    url.password = 'not-the-password'
    const refusal = await openPostgres(url.toString()).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(DbError)
    expect((refusal as DbError).code).toBe('PG_LOGIN_REFUSED')
    expect(String(refusal)).toMatch(/refused user porchlight|refused user/)
    expect(String(refusal)).not.toContain('not-the-password')
  })

  it('runs every pooled connection without JIT compilation', async () => {
    const opened = await openPostgres(await databases.make(), { poolSize: 2 })
    try {
      // Two transactions at once hold both of the pool's connections.
      const jitOf = () =>
        opened.db.transaction().execute(async (trx) => {
          await sql`SELECT pg_sleep(0.05)`.execute(trx)
          return (await sql<{ jit: string; pid: number }>`SELECT current_setting('jit') AS jit, pg_backend_pid() AS pid`.execute(trx)).rows[0]!
        })
      const both = await Promise.all([jitOf(), jitOf()])
      expect(new Set(both.map((row) => row.pid)).size).toBe(2)
      expect(both.map((row) => row.jit)).toEqual(['off', 'off'])
    } finally {
      await opened.close()
    }
  })
})

import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { DbError } from '../../db/errors'
import { PROBE_MS } from '../../db/postgres'
import { onServer } from '../host/postgres'
import { describePostgres, PG_URL, usePostgresDatabases } from './pg-helpers'

describePostgres('the server going away under a running query', () => {
  const databases = usePostgresDatabases()

  /** Ends the connections running pg_sleep in `database`, as a server shutting down ends them all (57P01). */
  async function terminateSleepers(database: string): Promise<number> {
    return onServer(PG_URL!, async (client) => {
      const { rowCount } = await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep%'`, [database])
      return rowCount ?? 0
    })
  }

  it('is one clear error naming the server, marks it unreachable, and a probe finds it back by itself', async () => {
    const server = await databases.open()
    const database = server.where.split('/').pop()!
    expect(server.reachable()).toBe(true)
    const sleeping = sql`SELECT pg_sleep(30)`.execute(server.db).then(
      () => null,
      (error: unknown) => error,
    )
    await expect.poll(() => terminateSleepers(database), { timeout: 10_000, interval: 100 }).toBe(1)
    const lost = await sleeping
    expect(lost).toBeInstanceOf(DbError)
    expect((lost as DbError).code).toBe('PG_UNREACHABLE')
    expect((lost as DbError).ref).toEqual({ key: 'pg.lost', params: { where: server.where } })
    expect(server.reachable()).toBe(false)
    // The server itself never went: the next probe reaches it, with no query from the desk.
    await expect.poll(() => server.reachable(), { timeout: PROBE_MS * 5, interval: 100 }).toBe(true)
    expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(server.db)).rows).toEqual([{ one: 1 }])
  })

  it('a query that fails for its own reasons is not a lost server', async () => {
    const server = await databases.open()
    const failed = await sql`SELECT * FROM no_such_table`.execute(server.db).then(
      () => null,
      (error: unknown) => error,
    )
    expect(failed).not.toBeNull()
    expect(failed).not.toBeInstanceOf(DbError)
    expect(server.reachable()).toBe(true)
  })
})

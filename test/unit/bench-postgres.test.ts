import { afterAll, expect, it } from 'vitest'
import { dataName, ensureData } from '../../bench/databases'
import { FULL_SIZE } from '../../bench/harness'
import { ensurePostgresData, formatPostgres, postgresDataName, runPostgresBench, type PostgresWorkload } from '../../bench/postgres'
import { useTempDirs } from './helpers'
import { asAdmin, describePostgres, PG_URL } from './pg-helpers'

const tempDir = useTempDirs()

const OPTIONS = {
  ...FULL_SIZE,
  participants: 500,
  days: 30,
  visitsPerWeekday: 40,
  people: 20,
  searchRounds: 1,
  signIns: 5,
  reportRounds: 2,
  groups: 4,
  groupMarks: 10,
}

/** `npm run bench -- --postgres URL` at a tiny size, so it keeps working. Shapes only: timings on CI mean nothing. */
describePostgres('npm run bench -- --postgres, tiny', () => {
  const database = postgresDataName(dataName(OPTIONS))

  afterAll(async () => {
    await asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`))
  })

  it('copies the data to the server once, then reuses it, and measures each workload on both backends', async () => {
    const options = { ...OPTIONS, dataDir: tempDir() }
    const heard: string[] = []
    const first = await runPostgresBench(PG_URL!, options, (w) => heard.push(w.id))
    expect(first.data).toMatchObject({ database, reused: false, participants: 500 })
    expect(first.data.copySeconds).toBeGreaterThan(0)
    expect(first.workloads.map((w) => w.id)).toEqual([
      'search.prefix',
      'search.typo',
      'search.code_phone',
      'search.all',
      'sign_in',
      'dashboard.year',
      'groups.mark',
      'groups.sheet',
      'groups.history',
    ])
    expect(heard).toEqual(['search.prefix', 'search.typo', 'dashboard.year', 'sign_in'])
    const shaped = (w: PostgresWorkload) => {
      for (const side of [w.sqlite, w.postgres]) {
        expect(side.n, w.id).toBeGreaterThan(0)
        expect(side.p50, w.id).toBeLessThanOrEqual(side.p95)
      }
      expect(w.ratio.p50, w.id).toBeGreaterThan(0)
    }
    first.workloads.forEach(shaped)
    expect(first.workloads.find((w) => w.id === 'sign_in')!.postgres.n).toBe(5)
    expect(first.targets.map((t) => t.name)).toEqual([
      'PostgreSQL: search per keystroke, p95 < 10 ms',
      'PostgreSQL: sign-in, p95 < 15 ms',
      'PostgreSQL: dashboard, 12 months, p95 < 200 ms',
    ])
    expect(formatPostgres(first)).toMatch(/PG\/SQLite/)
    // The cached database holds the data as copied: the writes went to a copy, now dropped.
    const databases = await asAdmin(async (client) => (await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${database}%`])).rows)
    expect(databases.map((row) => row.datname)).toEqual([database])

    // A second run finds it (the data's SQLite file is cached in dataDir too).
    const again = await ensurePostgresData(PG_URL!, await ensureData(options.dataDir, options), dataName(options), () => {})
    expect(again).toEqual({ database, reused: true, copySeconds: null })
  }, 300_000)
})

import { createHash } from 'node:crypto'
import { openDatabase, type OpenDatabase } from '../db/open'
import { moveToPostgres } from '../db/move'
import { describeUrl, openPostgres } from '../db/postgres'
import type { ServiceContext } from '../db/services/context'
import { dashboard } from '../db/services/reports/dashboard'
import { searchParticipants } from '../db/services/search'
import { signIn } from '../db/services/visits'
import { copyDatabase, dataName, ensureData, removeDb, scratchFile, type BuiltData } from './databases'
import { measureGroups } from './groups'
import { databaseUrl as urlFor, onServer as asServer } from '../test/host/postgres'
import { plan, SIGN_IN_WARM_UP, stats, timedPair, type BenchOptions, type Stats, type Target } from './harness'

/**
 * `npm run bench -- --postgres URL`: the desk's workloads on the center's server, against the same
 * records in the encrypted SQLite file, one call at a time, alternating sides as the main
 * benchmark does. The records are the benchmark's SQLite database copied to the server once with
 * `admin migrate`'s code (db/move.ts) and kept there in a database named after the data, so a
 * second run only times. Writes (sign-ins, attendance marks) go to throwaway copies on both sides.
 */
export interface PostgresWorkload {
  id: string
  label: string
  sqlite: Stats
  postgres: Stats
  /** postgres / sqlite. */
  ratio: { p50: number; p95: number }
}

export interface PostgresBenchResults {
  /** durable: fsync, synchronous_commit and full_page_writes all on, as on a center's server (else the writes' figures flatter it). */
  server: { version: string; where: string; settings: Record<string, string>; durable: boolean }
  data: { name: string; database: string; participants: number; visits: number; reused: boolean; copySeconds: number | null }
  workloads: PostgresWorkload[]
  targets: Target[]
}

type Progress = (done: number, total: number, phase: string) => void

/** What a center's server keeps on so an acknowledged write survives a crash (.ci/postgres start DIR --durable). */
const DURABLE_SETTINGS = ['fsync', 'synchronous_commit', 'full_page_writes'] as const

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits

/** A database on the server named by the data (PostgreSQL names stop at 63 bytes, so a hash of the name). */
export function postgresDataName(name: string): string {
  return `porchlight_bench_${createHash('sha256').update(name).digest('hex').slice(0, 16)}`
}

/**
 * The benchmark's records on the server: reused when a database of that name, marked complete
 * (its comment is the data's name), is there; else copied into a new one with `admin migrate`'s
 * move, marked, and renamed into place.
 */
export async function ensurePostgresData(url: string, data: BuiltData, name: string, progress: Progress): Promise<{ database: string; reused: boolean; copySeconds: number | null }> {
  const database = postgresDataName(name)
  const part = `${database}_part`
  const present = await asServer(url, async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [database])
    return rows[0]?.comment === name
  })
  if (present) return { database, reused: true, copySeconds: null }
  await asServer(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${part} WITH (FORCE)`)
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await client.query(`CREATE DATABASE ${part} TEMPLATE template0 ENCODING 'UTF8'`)
  })
  const started = performance.now()
  // The move ends with ANALYZE: the planner knows the tables as copied.
  await moveToPostgres(data.file, data.key, urlFor(url, part), (done, total, phase) => progress(done, total, `copy to the server: ${phase}`))
  const copySeconds = round((performance.now() - started) / 1000, 1)
  await asServer(url, async (client) => {
    await client.query(`ALTER DATABASE ${part} RENAME TO ${database}`)
    await client.query(`COMMENT ON DATABASE ${database} IS ${client.escapeLiteral(name)}`)
  })
  return { database, reused: false, copySeconds }
}

/** A throwaway copy of the cached database for the writing workloads (CREATE DATABASE … TEMPLATE, dropped after). */
async function serverCopy(url: string, database: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const copy = `${database}_copy`
  await asServer(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`)
    await client.query(`CREATE DATABASE ${copy} TEMPLATE ${database}`)
  })
  return { url: urlFor(url, copy), drop: () => asServer(url, (client) => client.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`)).then(() => undefined) }
}

function workload(id: string, label: string, [sqlite, postgres]: [number[], number[]]): PostgresWorkload {
  const s = stats(sqlite)
  const p = stats(postgres)
  return { id, label, sqlite: s, postgres: p, ratio: { p50: round(p.p50 / Math.max(s.p50, 1e-6), 2), p95: round(p.p95 / Math.max(s.p95, 1e-6), 2) } }
}

/** The issue's speed goals on PostgreSQL (p95 on the server). */
function targets(workloads: PostgresWorkload[]): Target[] {
  const goals: Array<[string, string, number]> = [
    ['search.all', 'PostgreSQL: search per keystroke, p95 < 10 ms', 10],
    ['sign_in', 'PostgreSQL: sign-in, p95 < 15 ms', 15],
    ['dashboard.year', 'PostgreSQL: dashboard, 12 months, p95 < 200 ms', 200],
  ]
  return goals.map(([id, name, limit]) => {
    const value = workloads.find((w) => w.id === id)!.postgres.p95
    return { name, value, limit, met: value < limit }
  })
}

/** `onWorkload` hears each workload's figures as soon as they are measured (a long run shows what it has). */
export async function runPostgresBench(url: string, options: BenchOptions, onWorkload: (w: PostgresWorkload) => void = () => {}): Promise<PostgresBenchResults> {
  const progress: Progress = options.onProgress ?? (() => {})
  const measured = (w: PostgresWorkload) => {
    onWorkload(w)
    return w
  }
  const data = await ensureData(options.dataDir, options, progress)
  const name = dataName(options)
  const cached = await ensurePostgresData(url, data, name, progress)
  const where = describeUrl(urlFor(url, cached.database))
  const settings = await asServer(url, async (client) => {
    const { rows } = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', ${DURABLE_SETTINGS.map((name) => `'${name}'`).join(', ')}, 'shared_buffers', 'work_mem') ORDER BY name`,
    )
    return Object.fromEntries(rows.map((row) => [row.name, row.setting]))
  })
  const file = await openDatabase(data.file, data.key, { check: 'none' })
  const server = await openPostgres(urlFor(url, cached.database), { poolSize: 2 })
  let closed = false
  try {
    const p = plan(file, options)
    const sides = [file.db, server.db] as const
    const contextOf = (side: 0 | 1, now: () => Date, staffId: number | null = null): ServiceContext & { sqlite?: OpenDatabase['sqlite'] } => ({
      db: sides[side],
      ...(side === 0 ? { sqlite: file.sqlite } : {}),
      staffId,
      now,
      timeZone: 'UTC',
    })
    const total = 5
    progress(0, total, 'postgres: search')
    const busy = new Date(`${p.busiestDay.date}T17:30:00Z`)
    const desk = [contextOf(0, () => busy), contextOf(1, () => busy)] as const
    const search = (side: 0 | 1, text: string) => searchParticipants(desk[side], text, 20)
    const prefix = await timedPair(p.queries.prefix, options.searchRounds, search)
    measured(workload('search.prefix', 'search: keystrokes (1-6 chars)', prefix))
    const typo = await timedPair(p.queries.typo, options.searchRounds * 4, search)
    measured(workload('search.typo', 'search: names with a typo', typo))
    const other = await timedPair(p.queries.other, options.searchRounds * 4, search)

    progress(1, total, 'postgres: dashboard')
    const manager = [contextOf(0, () => new Date(`${p.dayAfter}T08:00:00Z`)), contextOf(1, () => new Date(`${p.dayAfter}T08:00:00Z`))] as const
    const rounds = Array.from({ length: options.reportRounds }, (_, i) => i)
    const dashboardYear = await timedPair(rounds, 1, (side) => dashboard(manager[side], { preset: 'last_12_months' }))
    measured(workload('dashboard.year', 'dashboard: last 12 months, every figure and the period before', dashboardYear))

    progress(2, total, 'postgres: copies for the writes')
    // CREATE DATABASE … TEMPLATE needs the cached database without connections.
    await server.close()
    closed = true
    const sqliteCopyFile = scratchFile(options.dataDir, 'postgres-signin-copy')
    copyDatabase(file, sqliteCopyFile)
    const sqliteCopy = await openDatabase(sqliteCopyFile, data.key, { check: 'none' })
    const copy = await serverCopy(url, cached.database)
    const serverCopyDb = await openPostgres(copy.url, { poolSize: 2 })
    let signIns: [number[], number[]]
    let groups: Awaited<ReturnType<typeof measureGroups>>
    try {
      progress(3, total, 'postgres: sign-in')
      const copies = [sqliteCopy.db, serverCopyDb.db] as const
      const start = Date.parse(`${p.dayAfter}T08:30:00Z`)
      const n: [number, number] = [0, 0]
      const next: [number, number] = [0, 0]
      // As the main benchmark: a sign-in every 20 seconds of the morning, each person once per side.
      const once = (side: 0 | 1) => {
        const at = new Date(start + n[side]++ * 20_000)
        return signIn({ db: copies[side], staffId: p.adminId, now: () => at, timeZone: 'UTC' }, { participantId: p.signInIds[next[side]++]!, services: p.services })
      }
      for (let i = 0; i < Math.min(SIGN_IN_WARM_UP, p.signInIds.length); i++) {
        await once(0)
        await once(1)
      }
      const timedIds = Array.from({ length: Math.max(0, p.signInIds.length - SIGN_IN_WARM_UP) }, (_, i) => i)
      signIns = await timedPair(timedIds, 1, (side) => once(side), false)
      measured(workload('sign_in', 'sign-in (signIn + audit; SQLite FULL fsync, server synchronous_commit as set)', signIns))
      progress(4, total, 'postgres: groups')
      groups = await measureGroups([sqliteCopy, serverCopyDb], p.dayAfter, p.adminId, options.groupMarks)
    } finally {
      await serverCopyDb.close()
      await copy.drop()
      await sqliteCopy.close()
      removeDb(sqliteCopyFile)
    }
    progress(5, total, 'postgres: done')
    const workloads = [
      workload('search.prefix', 'search: keystrokes (1-6 chars)', prefix),
      workload('search.typo', 'search: names with a typo', typo),
      workload('search.code_phone', 'search: code / last 4 of phone', other),
      workload('search.all', 'search: all of the above', [
        [...prefix[0], ...typo[0], ...other[0]],
        [...prefix[1], ...typo[1], ...other[1]],
      ]),
      workload('sign_in', 'sign-in (signIn + audit; SQLite FULL fsync, server synchronous_commit as set)', signIns),
      workload('dashboard.year', 'dashboard: last 12 months, every figure and the period before', dashboardYear),
      workload('groups.mark', 'groups: mark one person present (+ audit; answers with the changed row)', groups.mark),
      workload('groups.sheet', `groups: open a session's attendance screen (+ audit row; ${groups.counts.sheets} sessions)`, groups.sheet),
      workload('groups.history', `groups: a group's page, 5 years of history (${groups.counts.groups} groups)`, groups.history),
    ]
    return {
      server: { version: server.server.version, where, settings, durable: DURABLE_SETTINGS.every((name) => settings[name] === 'on') },
      data: { name, database: cached.database, participants: data.seeded.participants, visits: data.seeded.visits, reused: cached.reused, copySeconds: cached.copySeconds },
      workloads,
      targets: targets(workloads),
    }
  } finally {
    if (!closed) await server.close()
    await file.close()
  }
}

/** The table printed after a run: each workload's p50/p95 on each side and the ratio. */
export function formatPostgres(results: PostgresBenchResults): string {
  const lines = [
    `PostgreSQL ${results.server.version} at ${results.server.where} (${Object.entries(results.server.settings)
      .filter(([name]) => name !== 'server_version')
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')})`,
    ...(results.server.durable
      ? []
      : [`NOT DURABLE: ${DURABLE_SETTINGS.filter((name) => results.server.settings[name] !== 'on').join(', ')} off on this server, so its writes (sign-in, marks) are timed without the disk; a center's server keeps them on (.ci/postgres start DIR --durable)`]),
    `data: ${results.data.participants.toLocaleString('en-US')} participants, ${results.data.visits.toLocaleString('en-US')} visits (${results.data.reused ? 'reused on the server' : `copied in ${results.data.copySeconds} s`})`,
    '',
    `${'workload'.padEnd(62)} ${'SQLite p50/p95'.padStart(16)} ${'PG p50/p95'.padStart(16)} ${'PG/SQLite p50, p95'.padStart(20)}`,
  ]
  for (const w of results.workloads) {
    lines.push(
      `${w.label.slice(0, 62).padEnd(62)} ${`${w.sqlite.p50}/${w.sqlite.p95}`.padStart(16)} ${`${w.postgres.p50}/${w.postgres.p95}`.padStart(16)} ${`${w.ratio.p50}, ${w.ratio.p95}`.padStart(20)}`,
    )
  }
  lines.push('')
  for (const t of results.targets) lines.push(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value}`)
  return lines.join('\n')
}

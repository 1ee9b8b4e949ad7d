import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openPostgres } from '../../db/postgres'
import { admin } from './admin-helpers'
import { bundleFixture, childEnv, eachLine, random } from './fixture-child'
import { useTempDirs } from './helpers'
import { startCluster, type TestCluster } from './pg-cluster'
import { describePostgres } from './pg-helpers'

/**
 * Durability on PostgreSQL: a child process signs people in through the service layer on the
 * server, acknowledging each after its commit. It is SIGKILLed at random moments, and separately
 * the server itself is stopped as by a crash (`pg_ctl restart -m immediate`) while the child
 * writes, the child retrying as the desk does. Every acknowledged sign-in must be there, none
 * twice, and the audit chain must verify (`admin verify`). CI's shared server runs without fsync,
 * so this test starts a server of its own with PostgreSQL's durable defaults.
 * PORCHLIGHT_PG_CRASH_KILLS and PORCHLIGHT_PG_CRASH_RESTARTS set the sizes (10 and 3).
 */
const KILLS = Number(process.env.PORCHLIGHT_PG_CRASH_KILLS ?? 10)
const RESTARTS = Number(process.env.PORCHLIGHT_PG_CRASH_RESTARTS ?? 3)

interface Child {
  /** Sign-ins acknowledged so far (an "ack N again" is a retried sign-in whose first COMMIT had landed). */
  acked: number[]
  confirmedAgain: number
  retries: number
  /** Resolves once `n` more acknowledgements have come. */
  ackedMore(n: number): Promise<void>
  kill(): Promise<void>
  /** Resolves when the child first printed "ready" (rejects, like the others, if it stopped by itself). */
  ready: Promise<void>
}

function startChild(script: string, url: string, start: number): Child {
  const child = spawn(process.execPath, [script, url, String(start)], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() })
  let stderr = ''
  let waiters: Array<{ count: number; done: () => void; fail: (error: Error) => void }> = []
  let exitError: Error | null = null
  let markReady!: () => void
  let failReady!: (error: Error) => void
  const ready = new Promise<void>((resolveReady, reject) => {
    markReady = resolveReady
    failReady = reject
  })
  const state: Child = {
    acked: [],
    confirmedAgain: 0,
    retries: 0,
    ready,
    ackedMore: (n) =>
      new Promise((resolveMore, reject) => {
        if (exitError) return reject(exitError)
        waiters.push({ count: state.acked.length + n, done: resolveMore, fail: reject })
      }),
    kill: () =>
      new Promise((resolveKill, reject) => {
        if (exitError) return reject(exitError)
        if (child.exitCode !== null || child.signalCode !== null) return resolveKill()
        child.once('exit', () => resolveKill())
        child.kill('SIGKILL')
      }),
  }
  eachLine(child.stdout, (line) => {
    if (line === 'ready') markReady()
    else if (line.startsWith('ack ')) {
      state.acked.push(Number.parseInt(line.slice(4), 10))
      if (line.endsWith(' again')) state.confirmedAgain++
    } else if (line.startsWith('retry ')) state.retries++
    waiters = waiters.filter((waiter) => (state.acked.length >= waiter.count ? (waiter.done(), false) : true))
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.on('exit', (_code, signal) => {
    if (signal === 'SIGKILL') return
    // A child that stops by itself (a sign-in refused for good, a crash) fails whatever waits on it.
    exitError = new Error(`the child stopped by itself: ${stderr}`)
    failReady(exitError)
    for (const waiter of waiters.splice(0)) waiter.fail(exitError)
  })
  return state
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms))

describePostgres('crash durability on PostgreSQL', () => {
  const tempDir = useTempDirs()
  let cluster: TestCluster
  let url = ''
  let script = ''

  beforeAll(async () => {
    script = bundleFixture('pg-crash-child', tempDir())
    // The server's durable defaults (fsync, synchronous_commit, full_page_writes on), unlike CI's shared one.
    cluster = await startCluster()
    const client = new pg.Client({ connectionString: cluster.url })
    await client.connect()
    const settings = await client.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')`)
    await client.query('CREATE DATABASE porchlight_crash')
    await client.end()
    expect(Object.fromEntries(settings.rows.map((row) => [row.name, row.setting]))).toEqual({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' })
    url = cluster.url.replace(/\/postgres$/, '/porchlight_crash')
    const setup = await admin(['init', '--postgres', url, '--center', 'Crash Center', '--admin-name', 'Ana Ruiz', '--username', 'ana'])
    expect(setup.code, setup.stderr).toBe(0)
  }, 120_000)

  afterAll(async () => {
    await cluster?.remove()
  })

  it(`loses no acknowledged sign-in and doubles none across ${KILLS} client SIGKILLs and ${RESTARTS} immediate server restarts`, async () => {
    const next = random(KILLS * 7919 + RESTARTS)
    const acknowledged: number[] = []
    let confirmedAgain = 0
    let retries = 0
    let start = 1
    for (let kill = 0; kill < KILLS; kill++) {
      const child = startChild(script, url, start)
      await child.ready
      // After its first sign-in (a loaded machine may take longer to get there than the whole
      // window), so that every kill lands while the child is writing.
      await child.ackedMore(1)
      await sleep(Math.floor(next() * 300))
      await child.kill()
      acknowledged.push(...child.acked)
      start = Math.max(start, ...child.acked) + 1000
    }
    const betweenKills = acknowledged.length
    // One writer throughout; the server goes down under it, at a random moment each time.
    const child = startChild(script, url, start)
    await child.ready
    for (let restart = 0; restart < RESTARTS; restart++) {
      await sleep(30 + Math.floor(next() * 250))
      await cluster.restartImmediate()
      // Writing again after the restart: every sign-in in flight was retried to its end.
      await child.ackedMore(5)
    }
    await child.kill()
    acknowledged.push(...child.acked)
    confirmedAgain += child.confirmedAgain
    retries += child.retries

    const opened = await openPostgres(url, { poolSize: 1 })
    let rows: Array<{ note: string | null; n: number }>
    try {
      rows = await opened.db
        .selectFrom('visits')
        .select(['note', (eb) => eb.fn.countAll<number>().as('n')])
        .where('note', 'like', 'pgcrash-%')
        .groupBy('note')
        .execute()
    } finally {
      await opened.close()
    }
    const present = new Map(rows.map((row) => [Number(String(row.note).slice('pgcrash-'.length)), Number(row.n)]))
    const lost = acknowledged.filter((n) => !present.has(n)).length
    const doubled = [...present.values()].filter((n) => n > 1).length
    const verified = await admin(['verify', '--postgres', url])
    const chain = /Audit log: (\d+) rows, hash chain intact/.exec(verified.stdout)?.[1]
    const report = { clientKills: KILLS, acknowledgedBetweenKills: betweenKills, serverRestarts: RESTARTS, acknowledgedWrites: acknowledged.length, lostWrites: lost, doubledWrites: doubled, retries, confirmedOnRetry: confirmedAgain, auditRows: Number(chain) }
    mkdirSync('test-results', { recursive: true })
    writeFileSync(join('test-results', 'pg-crash-report.json'), `${JSON.stringify(report, null, 2)}\n`)
    console.log(
      `postgres crash durability: ${KILLS} client kills and ${RESTARTS} immediate server restarts, ${acknowledged.length} acknowledged sign-ins (${betweenKills} between kills), ${lost} lost, ${doubled} doubled ` +
        `(${retries} retries, ${confirmedAgain} confirmed on retry); admin verify: audit chain ${chain ?? '?'} rows intact`,
    )
    expect(verified.code, verified.stderr).toBe(0)
    // The restarts landed while the child was writing: it had to retry.
    expect(retries).toBeGreaterThan(0)
    expect(lost).toBe(0)
    expect(doubled).toBe(0)
  }, 120_000)
})

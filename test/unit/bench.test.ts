import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FULL_SIZE, runBench, type Stats } from '../../bench/harness'
import { formatReport } from '../../bench/report'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()

/** The benchmark's code path at a tiny size, so it keeps working. Shapes only: timings on CI mean nothing. */
describe('npm run bench, tiny', () => {
  it('builds, reuses, measures both databases and reports every workload', async () => {
    const dataDir = tempDir()
    const options = {
      ...FULL_SIZE,
      participants: 500,
      days: 30,
      visitsPerWeekday: 40,
      dataDir,
      people: 80,
      searchRounds: 1,
      likeQueries: 10,
      boardRounds: 3,
      listRounds: 3,
      signIns: 5,
      reportRounds: 2,
      groups: 4,
      groupMarks: 10,
    }
    const phases = new Set<string>()
    const first = await runBench({ ...options, onProgress: (_done, _total, phase) => phases.add(phase) })
    expect([...phases].some((phase) => phase.startsWith('build encrypted:'))).toBe(true)
    expect([...phases].some((phase) => phase.startsWith('build plain:'))).toBe(true)
    expect(first.data.built.reused).toBe(false)

    const isStats = (s: Stats | null) => {
      expect(s).not.toBeNull()
      for (const key of ['n', 'p50', 'p95', 'p99', 'mean', 'max'] as const) expect(Number.isFinite(s![key]), key).toBe(true)
      expect(s!.n).toBeGreaterThan(0)
      expect(s!.p50).toBeLessThanOrEqual(s!.p95)
      expect(s!.p95).toBeLessThanOrEqual(s!.p99)
    }
    expect(first.workloads.map((w) => w.id)).toEqual([
      'search.prefix',
      'search.typo',
      'search.code_phone',
      'search.all',
      'search.kysely',
      'sign_in',
      'board',
      'list',
      'referrals.due',
      'referrals.person',
      'dashboard.year',
      'dashboard.five_years',
      'report.quarter',
      'report.csv',
      'groups.mark',
      'groups.sheet',
      'groups.history',
      'groups.expand',
    ])
    for (const w of first.workloads) {
      isStats(w.encrypted)
      if (w.id === 'search.kysely' || w.id === 'groups.expand') continue
      isStats(w.plain)
      expect(w.ratio!.p50).toBeGreaterThan(0)
    }
    expect(first.workloads.find((w) => w.id === 'sign_in')!.encrypted.n).toBe(5)
    expect(first.workloads.find((w) => w.id === 'groups.mark')!.encrypted.n).toBe(10)
    expect(first.workloads.find((w) => w.id === 'groups.history')!.encrypted.n).toBe(3 * 4)
    isStats(first.backup.signInsDuring)
    expect(first.backup.seconds).toBeGreaterThan(0)
    expect(first.backup.longestStallMs).toBeGreaterThan(0)
    expect(formatReport(first)).toMatch(/Backup of the encrypted database/)
    expect(readdirSync(dataDir).filter((f) => f.startsWith('backup-run-'))).toEqual([])
    isStats(first.searchVsLike.fts)
    isStats(first.searchVsLike.like)
    expect(first.data.participants).toBe(500)
    expect(first.data.visits).toBeGreaterThan(0)
    expect(first.data.bytes.encrypted).toBeGreaterThan(0)
    // Same rows; the plain file lacks SQLCipher's 80 bytes a page, so it is a little smaller.
    expect(first.data.bytes.plain).toBeLessThanOrEqual(first.data.bytes.encrypted)
    expect(first.data.bytes.plain).toBeGreaterThan(first.data.bytes.encrypted * 0.9)
    expect(first.data.bytes.searchIndex).toBeGreaterThan(0)
    expect(first.open.full).toBeGreaterThanOrEqual(0)
    expect(first.machine.cpus).toBeGreaterThan(0)
    expect(first.machine.node).toBe(process.version)
    expect(first.searchPlan.join('\n')).toMatch(/VIRTUAL TABLE/)
    expect(first.targets).toHaveLength(11)
    expect(formatReport(first)).toMatch(/search: keystrokes/)

    // The second run reuses the databases, and sign-in ran on copies that are gone.
    const second = await runBench(options)
    expect(second.data.built.reused).toBe(true)
    expect(second.data.visits).toBe(first.data.visits)
    expect(readdirSync(dataDir).filter((f) => f.includes('signin-copy'))).toEqual([])
    expect(existsSync(dataDir)).toBe(true)
  }, 180_000) // It builds two databases and runs a backup worker: on a busy two-core machine that took 30 s.
})

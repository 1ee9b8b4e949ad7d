import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dataName, ensureData, findEarlierBuild, openPlain, scratchFile, type DataSpec } from '../../bench/databases'
import { migrationList } from '../../db/migrations'
import { openDatabase } from '../../db/open'
import { sha256File, useTempDirs } from './helpers'

const tempDir = useTempDirs()

const tiny: DataSpec = { participants: 60, days: 14, visitsPerWeekday: 12, seed: 7, endDate: '2026-11-24', groups: 2, groupSize: 1 }
const names = migrationList.map(([name]) => name)

/** The four files of a cached build, empty: the lookup only asks whether they are there. */
function fakeBuild(dir: string, name: string, skip: string[] = []): void {
  for (const suffix of ['.db', '.plain.db', '.key', '.json']) if (!skip.includes(suffix)) writeFileSync(join(dir, `${name}${suffix}`), '')
}

describe('bench data: finding an earlier build to migrate forward', () => {
  it('takes the longest cached prefix of the migration list, of the same spec', () => {
    const dir = tempDir()
    const later = [...names, '9998_later', '9999_latest']
    expect(findEarlierBuild(dir, tiny, later)).toBeNull()
    fakeBuild(dir, dataName(tiny, names.slice(0, 3)))
    expect(findEarlierBuild(dir, tiny, later)).toEqual({ name: dataName(tiny, names.slice(0, 3)), migrations: names.slice(0, 3) })
    fakeBuild(dir, dataName(tiny, names))
    expect(findEarlierBuild(dir, tiny, later)).toEqual({ name: dataName(tiny, names), migrations: names })
    // The list itself is not an earlier build of itself.
    expect(findEarlierBuild(dir, tiny, names)?.migrations).toEqual(names.slice(0, 3))
  })

  it('ignores another spec, an incomplete build and a list that is not a prefix', () => {
    const dir = tempDir()
    const later = [...names, '9999_latest']
    fakeBuild(dir, dataName({ ...tiny, seed: 8 }, names))
    fakeBuild(dir, dataName({ ...tiny, groupSize: 2 }, names))
    expect(findEarlierBuild(dir, tiny, later)).toBeNull()
    fakeBuild(dir, dataName(tiny, names), ['.plain.db'])
    expect(findEarlierBuild(dir, tiny, later)).toBeNull()
    // A migration that landed before the last one: the cached schema differs in the middle.
    const reordered = [...names.slice(0, -1), '0999_inserted', names.at(-1)!]
    fakeBuild(dir, dataName(tiny, names.slice(0, -1).concat('0999_other')))
    expect(findEarlierBuild(dir, tiny, reordered)).toBeNull()
  })

  it('migrates a cached build forward into the new name and leaves the cached one as it was', async () => {
    const dir = tempDir()
    // Built and filed as if the schema had lacked the last migration (the file itself has them all,
    // so opening it applies nothing: this checks the copying, opening and caching, not a migration).
    const older = names.slice(0, -1)
    const built = await ensureData(dir, tiny, () => {}, older)
    expect(built.migrated).toBeNull()
    const before = [sha256File(built.file), sha256File(built.plainFile)]

    const phases: string[] = []
    const forward = await ensureData(dir, tiny, (_d, _t, phase) => phases.push(phase))
    expect(forward.file).toBe(join(dir, `${dataName(tiny)}.db`))
    expect(forward.migrated).toMatchObject({ from: dataName(tiny, older) })
    expect(forward.migrated!.seconds).toBeGreaterThanOrEqual(0)
    expect(forward.reused).toBe(false)
    expect(forward.buildSeconds).toBeNull()
    expect(phases.some((phase) => phase.startsWith('build'))).toBe(false)
    expect(forward.seeded).toEqual(built.seeded)
    expect(JSON.parse(readFileSync(join(dir, `${dataName(tiny)}.json`), 'utf8'))).toMatchObject({ seeded: built.seeded, migrated: forward.migrated })
    expect([sha256File(built.file), sha256File(built.plainFile)]).toEqual(before)
    expect(existsSync(join(dir, `${dataName(tiny)}.part.db`))).toBe(false)

    const opened = await openDatabase(forward.file, forward.key, { check: 'full', readonly: true })
    const plain = openPlain(forward.plainFile)
    try {
      const visits = (o: { sqlite: typeof opened.sqlite }) => o.sqlite.prepare('SELECT count(*) FROM visits').pluck().get()
      // Same rows in both (group attendance adds visits beyond the seed's own count).
      expect(visits(opened)).toBeGreaterThanOrEqual(built.seeded.visits)
      expect(visits(plain)).toBe(visits(opened))
    } finally {
      await opened.close()
      await plain.close()
    }

    // The next run finds the migrated build under the current name.
    expect((await ensureData(dir, tiny)).reused).toBe(true)
  }, 120_000)
})

describe('bench data: throwaway copies', () => {
  it("names a copy after its process, and removes copies whose process is gone but no other run's", () => {
    const dir = tempDir()
    // A process that has exited: its pid is free (a reuse within this test is not plausible).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
    const dead = join(dir, `signin-copy.scratch-${gone}.db`)
    const alive = join(dir, `signin-copy.scratch-${process.ppid}.db`)
    const cached = join(dir, `${dataName(tiny)}.db`)
    for (const file of [dead, `${dead}-wal`, alive, cached]) writeFileSync(file, 'x')

    const mine = scratchFile(dir, 'groups-copy')
    expect(mine).toBe(join(dir, `groups-copy.scratch-${process.pid}.db`))
    expect([existsSync(dead), existsSync(`${dead}-wal`), existsSync(alive), existsSync(cached)]).toEqual([false, false, true, true])
  })
})

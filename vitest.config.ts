import { availableParallelism } from 'node:os'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * electron-vite turns `import file from './x?modulePath'` into the path of a separately bundled
 * x.js (main uses it for the backup worker). Under vitest the same import gives the source path,
 * which the worker loader runs through tsx, so main's code can be imported in tests as it is.
 */
const PREFIX = '\0porchlight-module-path:'
const modulePath: Plugin = {
  name: 'porchlight-module-path',
  enforce: 'pre',
  async resolveId(id, importer) {
    if (!id.endsWith('?modulePath')) return null
    const resolved = await this.resolve(id.slice(0, -'?modulePath'.length), importer)
    return resolved ? PREFIX + resolved.id : null
  },
  load(id) {
    return id.startsWith(PREFIX) ? `export default ${JSON.stringify(id.slice(PREFIX.length))}` : null
  },
}

/**
 * Files that take minutes alone (crash proofs killing child processes, the fuzz's 400 calls on both
 * backends) start first. Vitest orders a fresh clone's files by size, which put the 3-minute import
 * kill test near the end of a CI run, with one core idle behind it (474 s for 803 s of tests on two).
 */
const LONGEST_FIRST = ['import-kill', 'ipc-fuzz', 'crash', 'hsds-directory', 'keystore', 'db-open', 'seed']

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (spec: TestSpecification): number => {
      const name = spec.moduleId.split('/').at(-1)?.replace(/\.test\.ts$/, '') ?? ''
      const at = LONGEST_FIRST.indexOf(name)
      return at === -1 ? LONGEST_FIRST.length : at
    }
    return sorted.map((spec, index) => ({ spec, index })).sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index).map(({ spec }) => spec)
  }
}

export default defineConfig({
  plugins: [modulePath],
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/unit/global-setup.ts'],
    setupFiles: ['test/unit/setup.ts'],
    // Real encrypted databases with scrypt and fsync: allow a slow disk some room.
    testTimeout: 30_000,
    // Set-ups make real databases too (a PostgreSQL copy from its template, scrypt for the staff).
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest leaves one core free by default, which on a two-core CI machine means one file at a
    // time; the tests wait on fsync and scrypt as much as on the CPU, so use every core.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongestFirst },
  },
})

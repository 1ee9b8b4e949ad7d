import { join, resolve } from 'node:path'
import { buildSync } from 'esbuild'

/**
 * Bundles a child-process fixture (test/unit/fixtures/NAME.ts) to plain JavaScript in `outDir`,
 * so each child starts in ~100 ms rather than through a TS loader. CommonJS so the child finds
 * the native driver through NODE_PATH (`childEnv`) from a temp folder.
 */
export function bundleFixture(name: string, outDir: string): string {
  const outfile = join(outDir, `${name}.cjs`)
  buildSync({
    entryPoints: [resolve(__dirname, 'fixtures', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile,
    external: ['better-sqlite3-multiple-ciphers', 'tsx'],
  })
  return outfile
}

export function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_PATH: resolve(__dirname, '..', '..', 'node_modules') }
}

/** A seeded pseudo-random sequence (mulberry32) for kill tests, so a failing run can be repeated exactly. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

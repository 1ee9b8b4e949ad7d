import { spawn } from 'node:child_process'
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

/**
 * Runs a bundled child fixture; once it prints "ready", kills it with SIGKILL after `killAfterMs`
 * (never, when null). Resolves with how long it ran after "ready" and everything it printed; a
 * child that fails on its own (not killed) rejects with its stderr.
 */
export function runChild(script: string, args: string[], killAfterMs: number | null): Promise<{ ms: number; out: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() })
    let out = ''
    let stderr = ''
    let started = 0
    let timer: NodeJS.Timeout | undefined
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      out += chunk
      if (!started && out.includes('ready\n')) {
        started = performance.now()
        if (killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`the child ${script} failed: ${stderr}`))
      else resolveRun({ ms: performance.now() - started, out })
    })
  })
}

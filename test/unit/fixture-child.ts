import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
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

export { random } from '../random'

/** When to kill a child: `ms` after it first prints a line starting with `after` ("ready" unless told). */
export interface KillAt {
  ms: number
  after?: string
}

/**
 * Runs a bundled child fixture; once it prints "ready", kills it with SIGKILL after `killAfterMs`
 * (never, when null), or `ms` after it prints a line starting with `after`. Resolves with how long
 * it ran after "ready", everything it printed, and when (ms after "ready") each line came; a child
 * that fails on its own (not killed) rejects with its stderr.
 */
export function runChild(script: string, args: string[], kill: number | KillAt | null): Promise<{ ms: number; out: string; lines: Array<{ at: number; line: string }> }> {
  const killAt = typeof kill === 'number' ? { ms: kill, after: 'ready' } : kill
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() })
    let out = ''
    let pending = ''
    let stderr = ''
    let started = 0
    let timer: NodeJS.Timeout | undefined
    const lines: Array<{ at: number; line: string }> = []
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      out += chunk
      pending += chunk
      const complete = pending.split('\n')
      pending = complete.pop() ?? ''
      for (const line of complete) {
        if (!started && line === 'ready') started = performance.now()
        lines.push({ at: started ? performance.now() - started : 0, line })
        if (killAt && !timer && line.startsWith(killAt.after ?? 'ready')) timer = setTimeout(() => child.kill('SIGKILL'), killAt.ms)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`the child ${script} failed: ${stderr}`))
      else resolveRun({ ms: performance.now() - started, out, lines })
    })
  })
}

/** Calls `onLine` with each whole line a child prints, as it comes (for a parent that acts while the child runs). */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let pending = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    pending += chunk
    const complete = pending.split('\n')
    pending = complete.pop() ?? ''
    for (const line of complete) onLine(line)
  })
}

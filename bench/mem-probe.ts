import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PorchlightCore } from '../electron/ipc/core'
import { startHost } from '../test/host/server'

/**
 * Diagnostic (issue 11): where the host process's resident memory goes, step by step. Serves a
 * COPY of a bench database (the host writes), then prints, after each step, VmRSS and
 * /proc/self/smaps split by kind: V8's heap, glibc's main heap ([heap]), glibc's thread arenas
 * (the 64 MiB-aligned reservations worker threads allocate from), other anonymous memory, and
 * files mapped in (node, better-sqlite3's .node).
 *
 *   node --expose-gc --import tsx bench/mem-probe.ts DB KEYFILE [--steps=integrity,gc,sleep5] [--now=ISO] [--defer-stale]
 *
 * Steps: integrity, gc, sleepN, malloc (glibc's own account through gdb: what each arena holds
 * from the system and how much of it is in use, so memory held but free shows apart from memory
 * in use), shrink (PRAGMA shrink_memory: SQLite lets go of its clean cached pages), stale
 * (closeStaleVisits; with --defer-stale the host starts without it, so this step is its cost alone).
 */

const mib = (kib: number) => Math.round(kib / 1024)

interface Mapping {
  start: bigint
  end: bigint
  perms: string
  path: string
  rssKiB: number
}

function mappings(): Mapping[] {
  const out: Mapping[] = []
  let current: Mapping | null = null
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (head) {
      current = { start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perms: head[3]!, path: head[4]!.trim(), rssKiB: 0 }
      out.push(current)
    } else if (current && line.startsWith('Rss:')) current.rssKiB = Number(/(\d+)/.exec(line)![1])
  }
  return out
}

const ARENA = 64n * 1024n * 1024n

/** Resident KiB by kind. A glibc thread arena is a 64 MiB-aligned run of anonymous mappings inside one 64 MiB block. */
function breakdown(): Record<string, number> {
  const maps = mappings()
  const kinds: Record<string, number> = { arenas: 0, heap: 0, anon: 0, files: 0, stack: 0 }
  // Blocks that start exactly on a 64 MiB boundary with an rw-p mapping followed by ---p in the same block.
  const arenaBlocks = new Set<bigint>()
  for (let i = 0; i < maps.length; i++) {
    const m = maps[i]!
    if (m.path !== '' || m.start % ARENA !== 0n || m.perms !== 'rw-p') continue
    const next = maps[i + 1]
    const size = m.end - m.start
    if (size === ARENA || (next && next.path === '' && next.perms === '---p' && next.start === m.end && next.end - m.start === ARENA)) arenaBlocks.add(m.start)
  }
  for (const m of maps) {
    if (m.path === '[heap]') kinds.heap! += m.rssKiB
    else if (m.path.startsWith('[stack')) kinds.stack! += m.rssKiB
    else if (m.path === '' && arenaBlocks.has(m.start - (m.start % ARENA))) kinds.arenas! += m.rssKiB
    else if (m.path === '' || m.path.startsWith('[anon')) kinds.anon! += m.rssKiB
    else kinds.files! += m.rssKiB
  }
  return kinds
}

function statusKiB(field: string): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(`${field}:`))
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0)
}

function report(step: string): void {
  const usage = process.memoryUsage()
  const kinds = breakdown()
  const parts = Object.entries(kinds).map(([k, v]) => `${k} ${mib(v)}`).join(', ')
  console.log(
    `${step.padEnd(28)} rss ${mib(statusKiB('VmRSS'))} (peak ${mib(statusKiB('VmHWM'))}) | v8 heap ${Math.round(usage.heapTotal / 2 ** 20)} used ${Math.round(usage.heapUsed / 2 ** 20)} external ${Math.round(usage.external / 2 ** 20)} arrayBuffers ${Math.round(usage.arrayBuffers / 2 ** 20)} | smaps: ${parts}`,
  )
}

/** glibc's malloc_stats(), asked through gdb: it prints to the process's stderr, pointed at a file for the call. */
function mallocStats(): string {
  const file = join(tmpdir(), `mem-probe-malloc-${process.pid}.txt`)
  const calls = ['call (int) dup(2)', `call (int) open("${file}", 577, 384)`, 'call (int) dup2($2, 2)', 'call (void) malloc_stats()', 'call (int) dup2($1, 2)', 'call (int) close($1)', 'call (int) close($2)']
  spawnSync('gdb', ['-p', String(process.pid), '-batch', ...calls.flatMap((c) => ['-ex', c])], { encoding: 'utf8' })
  try {
    return readFileSync(file, 'utf8')
  } finally {
    rmSync(file, { force: true })
  }
}

function mallocLine(): string {
  const text = mallocStats()
  const arenas = [...text.matchAll(/Arena (\d+):\s+system bytes\s+=\s+(\d+)\s+in use bytes\s+=\s+(\d+)/g)]
  const total = /Total \(incl\. mmap\):\s+system bytes\s+=\s+(\d+)\s+in use bytes\s+=\s+(\d+)/.exec(text)
  const m = (bytes: string | undefined) => Math.round(Number(bytes ?? 0) / 2 ** 20)
  const main = arenas.find((a) => a[1] === '0')
  const others = arenas.filter((a) => a[1] !== '0')
  const sum = (i: number) => others.reduce((n, a) => n + Number(a[i]), 0)
  return `malloc: main arena ${m(main?.[2])} held, ${m(main?.[3])} in use; ${others.length} other arenas ${m(String(sum(2)))} held, ${m(String(sum(3)))} in use; total with mmap ${m(total?.[1])} held, ${m(total?.[2])} in use`
}

async function main(): Promise<void> {
  const [dbFile, keyFile] = process.argv.slice(2)
  const steps = (process.argv.find((a) => a.startsWith('--steps='))?.slice(8) ?? 'integrity,gc').split(',')
  report('loaded')
  // --now=ISO: the host's clock starts there (the felt bench's is the last day of data), and runs on.
  const nowArg = process.argv.find((a) => a.startsWith('--now='))?.slice(6)
  const offset = nowArg ? Date.now() - Date.parse(nowArg) : 0
  const closeStale = PorchlightCore.prototype.closeStaleVisits
  if (process.argv.includes('--defer-stale')) PorchlightCore.prototype.closeStaleVisits = async () => {}
  const host = await startHost({ dbFile, keyFile, timeZone: 'UTC', rendererDir: process.env.PROBE_RENDERER, now: () => new Date(Date.now() - offset) })
  host.core.scheduler.dispose()
  PorchlightCore.prototype.closeStaleVisits = closeStale
  report('serving')
  const gc = (globalThis as { gc?: () => void }).gc
  for (const step of steps) {
    const started = performance.now()
    if (step === 'integrity') await host.core.checkIntegrity(null, true)
    else if (step === 'gc') gc?.()
    else if (step === 'stale') await host.core.closeStaleVisits()
    else if (step === 'shrink') host.core.database!.sqlite.pragma('shrink_memory')
    else if (step === 'malloc') {
      console.log(`  ${mallocLine()}`)
      continue
    } else if (step.startsWith('sleep')) await new Promise((r) => setTimeout(r, Number(step.slice(5)) * 1000))
    report(`${step} (${Math.round(performance.now() - started)} ms)`)
  }
  await host.close()
  report('closed')
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

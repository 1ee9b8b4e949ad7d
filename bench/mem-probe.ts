import { readFileSync } from 'node:fs'
import { startHost } from '../test/host/server'

/**
 * Diagnostic (issue 11): where the host process's resident memory goes, step by step. Serves a
 * COPY of a bench database (the host writes), then prints, after each step, VmRSS and
 * /proc/self/smaps split by kind: V8's heap, glibc's main heap ([heap]), glibc's thread arenas
 * (the 64 MiB-aligned reservations worker threads allocate from), other anonymous memory, and
 * files mapped in (node, better-sqlite3's .node).
 *
 *   node --expose-gc --import tsx bench/mem-probe.ts DB KEYFILE [--steps=integrity,gc,sleep5] [--now=ISO]
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

async function main(): Promise<void> {
  const [dbFile, keyFile] = process.argv.slice(2)
  const steps = (process.argv.find((a) => a.startsWith('--steps='))?.slice(8) ?? 'integrity,gc').split(',')
  report('loaded')
  // --now=ISO: the host's clock starts there (the felt bench's is the last day of data), and runs on.
  const nowArg = process.argv.find((a) => a.startsWith('--now='))?.slice(6)
  const offset = nowArg ? Date.now() - Date.parse(nowArg) : 0
  const host = await startHost({ dbFile, keyFile, timeZone: 'UTC', rendererDir: process.env.PROBE_RENDERER, now: () => new Date(Date.now() - offset) })
  host.core.scheduler.dispose()
  report('serving')
  const gc = (globalThis as { gc?: () => void }).gc
  for (const step of steps) {
    const started = performance.now()
    if (step === 'integrity') await host.core.checkIntegrity(null, true)
    else if (step === 'gc') gc?.()
    else if (step.startsWith('sleep')) await new Promise((r) => setTimeout(r, Number(step.slice(5)) * 1000))
    report(`${step} (${Math.round(performance.now() - started)} ms)`)
  }
  await host.close()
  report('closed')
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

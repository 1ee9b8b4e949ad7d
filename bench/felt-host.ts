import { readFileSync } from 'node:fs'
import { startHost } from '../test/host/server'

/**
 * The felt bench's host in a process of its own (forked by bench/felt.ts), so the resident memory
 * it reports is the host's alone, as the app's main process would hold it: not the bench's
 * Playwright client, nor the connection the bench opened to choose its queries.
 *
 * In: the options as JSON in argv[2] (`now` as an offset from the machine clock, since a function
 * cannot cross the process boundary). Out, over the IPC channel: { url } once serving; then
 * { memory } for every 'memory' message, and the process closes the host and exits on 'close'.
 */
export interface FeltHostOptions {
  dbFile: string
  keyFile: string
  /** Milliseconds the host's clock runs behind the machine's. */
  offsetMs: number
  timeZone: string
}

export interface FeltHostMemory {
  /** Resident now and at its peak (VmRSS, VmHWM), MiB. */
  residentMiB: number
  peakMiB: number
  /** V8's heap as reserved (heapTotal), and what it holds live. */
  heapMiB: number
  heapUsedMiB: number
  /** Resident minus V8's heap: Node's code and buffers, and SQLite's page cache (native memory V8 does not count). */
  outsideHeapMiB: number
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20)

/** Linux's own account of this process (kB lines in /proc/self/status). */
function statusKiB(field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(`${field}:`))
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0)
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FeltHostOptions
  const host = await startHost({
    dbFile: options.dbFile,
    keyFile: options.keyFile,
    now: () => new Date(Date.now() - options.offsetMs),
    timeZone: options.timeZone,
  })
  process.on('message', (message) => {
    if (message === 'memory') {
      const usage = process.memoryUsage()
      const residentKiB = statusKiB('VmRSS')
      const memory: FeltHostMemory = {
        residentMiB: Math.round(residentKiB / 1024),
        peakMiB: Math.round(statusKiB('VmHWM') / 1024),
        heapMiB: mib(usage.heapTotal),
        heapUsedMiB: mib(usage.heapUsed),
        outsideHeapMiB: mib(residentKiB * 1024 - usage.heapTotal),
      }
      process.send?.({ memory })
    } else if (message === 'close') {
      void host.close().then(() => process.exit(0))
    }
  })
  process.send?.({ url: host.url })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

import type { BenchResults, Stats } from './harness'

const ms = (n: number) => (n < 10 ? n.toFixed(3) : n < 100 ? n.toFixed(2) : n.toFixed(1))
const triple = (s: Stats | null) => (s ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}` : '-')
const count = (n: number) => n.toLocaleString('en-US')
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)))
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)]
}

/** The results as a readable report (what `npm run bench` prints). */
export function formatReport(r: BenchResults): string {
  const d = r.data
  const out: string[] = []
  out.push(
    `Porchlight benchmark: ${count(d.participants)} participants, ${count(d.visits)} visits (${count(d.anonymousVisits)} anonymous), ` +
      `${count(d.visitServices)} services given, ${d.firstDate} to ${d.lastDate}, seed ${d.seed}`,
  )
  out.push(
    `Machine: ${r.machine.cpus} x ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, ${r.machine.platform}, Node ${r.machine.node}, ` +
      `SQLite ${r.machine.sqlite} (${r.machine.driver}, SQLCipher 4 settings)`,
  )
  out.push(
    `Files: encrypted ${mib(d.bytes.encrypted)}, plain ${mib(d.bytes.plain)} (${d.plainCopy}); search index ${mib(d.bytes.searchIndex)}; ` +
      `page cache ${count(d.cacheSizeKiB)} KiB`,
  )
  out.push(
    d.built.reused
      ? 'Data: reused from bench/data (delete it to rebuild)'
      : d.built.migrated
        ? `Data: migrated forward from ${d.built.migrated.from} in ${d.built.migrated.seconds} s (plain copy ${d.built.migrated.plainSeconds} s)`
        : `Data: built in ${d.built.buildSeconds ?? '-'} s, plain copy in ${d.built.plainCopySeconds ?? '-'} s`,
  )
  out.push(`Searches: ${count(r.queries.prefix)} keystrokes, ${count(r.queries.typo)} typo'd names, ${count(r.queries.other)} codes/phones (timed several times each)`)
  out.push('')
  out.push('Milliseconds per call, p50 / p95 / p99:')
  out.push(
    ...table([
      ['workload', 'n', 'encrypted', 'plain', 'enc/plain p50', 'p95'],
      ...r.workloads.map((w) => [
        w.label,
        count(w.encrypted.n),
        triple(w.encrypted),
        triple(w.plain),
        w.ratio ? w.ratio.p50.toFixed(2) : '-',
        w.ratio ? w.ratio.p95.toFixed(2) : '-',
      ]),
    ]),
  )
  out.push('')
  const s = r.searchVsLike
  out.push(
    `Search index vs LIKE '%x%' over the same fields (encrypted, ${s.queries} searches): ` +
      `index ${triple(s.fts)}, LIKE ${triple(s.like)} ms; LIKE takes ${s.likeOverFts.p50}x (p50) and ${s.likeOverFts.p95}x (p95) as long`,
  )
  out.push(
    `Opening the encrypted database: ${r.open.pages} s checking every page's MAC (what the app does), ${r.open.full} s with integrity_check, ${r.open.quick} s with quick_check, ` +
      `${r.open.none} s with no check; integrity_check on the plain copy: ${r.open.plainIntegrityCheck} s`,
  )
  const b = r.backup
  out.push(
    `Backup of the encrypted database (${mib(b.bytes)}) on its worker thread while the desk signed people in: ${b.seconds} s in all; ` +
      `longest main-thread stall ${b.longestStallMs} ms (p99 ${b.stallP99Ms} ms); sign-ins meanwhile ${triple(b.signInsDuring)} ms (n ${count(b.signInsDuring.n)})`,
  )
  out.push(`Search query plan: ${r.searchPlan.join('; ')}`)
  out.push('')
  out.push('Targets:')
  for (const t of r.targets) out.push(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value}`)
  return out.join('\n')
}

/**
 * Electronegativity (Doyensec's Electron security linter) over the main-process and preload
 * sources and over what the build emits for them. Fails on any HIGH or MEDIUM finding that is not
 * in electronegativity-allow.json with a reason. Runs offline: the tool's two network look-ups
 * (updated translations, and the list of Electron releases) are replaced before it loads.
 * Usage: npm run lint:electron (after npm run build).
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(join(ROOT, 'package.json'))

interface Finding {
  id: string
  file: string
  location: { line: number; column: number }
  severity: { name?: string; value?: number } | string
  confidence: { name?: string } | string
  description: string
  manualReview?: boolean
  shortenedURL?: string
}

interface Allowed {
  check: string
  file: string
  reason: string
}

// The tool fetches translations with `got` (and crashes when offline, in got's retry timer).
// A stand-in that fails at once makes it use the translations it ships with.
const toolDir = dirname(require.resolve('@doyensec/electronegativity/package.json'))
const gotPath = require.resolve('got', { paths: [toolDir] })
require.cache[gotPath] = {
  id: gotPath,
  filename: gotPath,
  loaded: true,
  exports: () => Promise.reject(new Error('offline: Porchlight runs Electronegativity without network')),
} as unknown as NodeJS.Module

const run = require('@doyensec/electronegativity/dist/runner.js') as (options: Record<string, unknown>, forCli: boolean) => Promise<unknown>

const electronVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version

async function scan(input: string): Promise<Finding[]> {
  const result = (await run(
    {
      input,
      output: undefined,
      isSarif: false,
      customScan: [],
      // Looks up Electron's releases on GitHub: network, and covered by keeping Electron current.
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: false,
      isVerbose: false,
      electronUpgrade: undefined,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  )) as { issues: Finding[]; errors: Array<{ file: string; message: string; tolerable: boolean }> }
  // A file the tool could not parse would be a file it did not check.
  const broken = result.errors.filter((error) => !error.tolerable)
  if (broken.length > 0) throw new Error(`Electronegativity could not parse: ${broken.map((e) => `${e.file} (${e.message})`).join(', ')}`)
  return result.issues
}

const severityOf = (finding: Finding): string => (typeof finding.severity === 'string' ? finding.severity : (finding.severity.name ?? '')).toUpperCase()

async function main(): Promise<number> {
  // The built main process; the renderer bundle is not Electron code (and uses syntax the tool cannot parse).
  const built = [join(ROOT, 'out', 'main')]
  if (!['main', 'preload', 'renderer'].every((part) => existsSync(join(ROOT, 'out', part)))) {
    console.error('lint:electron: no built main/preload in out/. Run "npm run build" first.')
    return 1
  }
  const allowList = JSON.parse(readFileSync(join(ROOT, 'test', 'static', 'electronegativity-allow.json'), 'utf8')) as Allowed[]
  for (const entry of allowList) {
    if (!entry.reason || entry.reason.trim().length < 20) throw new Error(`The allow-list entry ${entry.check} ${entry.file} needs a reason.`)
  }
  const findings: Finding[] = []
  for (const input of [join(ROOT, 'electron'), ...built]) findings.push(...(await scan(input)))

  const serious = findings.filter((finding) => ['HIGH', 'MEDIUM'].includes(severityOf(finding)))
  const used = new Set<Allowed>()
  const unjustified = serious.filter((finding) => {
    const file = relative(ROOT, finding.file)
    const entry = allowList.find((allowed) => allowed.check === finding.id && allowed.file === file)
    if (entry) used.add(entry)
    return !entry
  })
  const bySeverity = (name: string) => findings.filter((finding) => severityOf(finding) === name).length
  console.log(
    `electronegativity: electron/ and out/main, ${findings.length} findings ` +
      `(${bySeverity('HIGH')} high, ${bySeverity('MEDIUM')} medium, ${bySeverity('LOW')} low, ${bySeverity('INFORMATIONAL')} informational); ` +
      `${serious.length - unjustified.length} high/medium justified in the allow-list, ${unjustified.length} not`,
  )
  for (const entry of allowList.filter((allowed) => !used.has(allowed))) {
    console.log(`  allow-list entry no longer needed: ${entry.check} in ${entry.file}`)
  }
  for (const finding of unjustified) {
    console.error(`  ${severityOf(finding)} ${finding.id} at ${relative(ROOT, finding.file)}:${finding.location.line}: ${finding.description} (${finding.shortenedURL ?? ''})`)
  }
  return unjustified.length > 0 ? 1 : 0
}

process.exitCode = await main()

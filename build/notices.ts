/**
 * `npm run notices`: build/third-party-notices.txt, shipped inside the packaged app
 * (extraResources) and shown from Help → About. It lists what ships, and only that:
 * - the production dependencies and theirs, which the packager copies into the app as node_modules;
 * - the packages a build inlined into out/ (the renderer's React, Mantine… are devDependencies
 *   that Vite bundles), recorded by build/shipped-packages.ts during `npm run build`;
 * - Electron itself, the runtime every installer carries. Chromium's own notices are the
 *   LICENSES.chromium.html file the packager puts beside the program (with LICENSE.electron.txt).
 * The test, lint and build tools never ship and are not listed. A maintained license checker
 * (license-checker-rseidelsohn) reads the installed packages; nothing here is a hand-kept list.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { init, type ModuleInfo, type ModuleInfos } from 'license-checker-rseidelsohn'
import { SHIPPED_DIR } from './shipped-packages'

const ROOT = join(import.meta.dirname, '..')
const OUT = join(ROOT, 'build', 'third-party-notices.txt')
const SHIPPED = join(ROOT, SHIPPED_DIR)

function checker(production: boolean): Promise<ModuleInfos> {
  return new Promise((resolve, reject) => {
    init({ start: ROOT, production, excludePrivatePackages: true }, (error, packages) => (error ? reject(error) : resolve(packages)))
  })
}

/** The packages to list: production ones, bundled ones and Electron; every bundled one must be found. */
export function selectShipped(production: ModuleInfos, installed: ModuleInfos, bundled: readonly string[]): ModuleInfos {
  const chosen: ModuleInfos = { ...production }
  const missing: string[] = []
  for (const key of bundled) {
    const info = installed[key]
    if (info) chosen[key] = info
    else missing.push(key)
  }
  if (missing.length > 0) throw new Error(`The license checker does not know these bundled packages: ${missing.join(', ')}`)
  const electron = Object.keys(installed).find((key) => key.startsWith('electron@'))
  if (electron) chosen[electron] = installed[electron]!
  return chosen
}

function licenseName(info: ModuleInfo): string {
  const names = Array.isArray(info.licenses) ? info.licenses : [info.licenses ?? 'UNKNOWN']
  return names.join(', ')
}

/** The notices text: a short header, then each package with its license name and its own license file. */
export function noticesText(packages: ModuleInfos, readLicense: (file: string) => string): string {
  const header = [
    'Porchlight: third-party notices',
    '',
    'Porchlight is released under the Apache License 2.0 (the LICENSE file beside this one).',
    'It ships the open-source packages below, each under its own license, printed after its name.',
    "Electron's license (LICENSE.electron.txt) and Chromium's third-party notices",
    '(LICENSES.chromium.html) are installed beside the Porchlight program file.',
    '',
  ]
  const entries = Object.keys(packages)
    .sort((a, b) => a.localeCompare(b, 'en'))
    .map((key) => {
      const info = packages[key]!
      const lines = [key, `License: ${licenseName(info)}`]
      if (info.repository) lines.push(`Repository: ${info.repository}`)
      if (info.publisher) lines.push(`Publisher: ${info.publisher}`)
      const file = info.licenseFile && !/readme/i.test(info.licenseFile) ? readLicense(info.licenseFile).trim() : ''
      lines.push('', file || `No license file in the package; its package.json names ${licenseName(info)}.`)
      return lines.join('\n')
    })
  return `${header.join('\n')}\n${entries.map((entry) => `${'-'.repeat(72)}\n${entry}\n`).join('\n')}`
}

function bundledPackages(): string[] {
  if (!existsSync(SHIPPED) || readdirSync(SHIPPED).length === 0) {
    throw new Error('No record of what the build bundled: run `npm run build` first (build/shipped/ is written by it).')
  }
  const keys = new Set<string>()
  for (const file of readdirSync(SHIPPED).filter((name) => name.endsWith('.json'))) {
    for (const key of JSON.parse(readFileSync(join(SHIPPED, file), 'utf8')) as string[]) keys.add(key)
  }
  return [...keys]
}

async function main(): Promise<void> {
  const packages = selectShipped(await checker(true), await checker(false), bundledPackages())
  writeFileSync(OUT, noticesText(packages, (file) => readFileSync(file, 'utf8')))
  console.log(`${OUT}: ${Object.keys(packages).length} packages`)
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main()

import { mkdirSync, renameSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildSync } from 'esbuild'

const ROOT = resolve(import.meta.dirname, '..')

/**
 * Bundles the backup worker (db/backup-worker.ts) to one ES module, as electron-vite does for the
 * app, so tests and the test host start each worker thread in a few hundred milliseconds instead
 * of the 3–4 s that loading it through tsx costs: every backup, export and integrity check starts
 * one. Written inside node_modules so the native driver is found from there; written to a
 * temporary name and renamed, so processes building at the same time never read half a file.
 */
export function bundleBackupWorker(): string {
  return bundleNodeModule(join('db', 'backup-worker.ts'), 'backup-worker')
}

/** `entry` (from the repository's root) bundled the same way, as node_modules/.cache/porchlight-test/NAME.mjs. */
export function bundleNodeModule(entry: string, name: string): string {
  const dir = join(ROOT, 'node_modules', '.cache', 'porchlight-test')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.mjs`)
  const partial = `${file}.${process.pid}.partial`
  buildSync({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: partial,
    external: ['better-sqlite3-multiple-ciphers'],
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  })
  renameSync(partial, file)
  return file
}

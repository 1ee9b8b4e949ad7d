import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import type { Plugin } from 'vite'

/**
 * Which npm packages end up inside the built bundles. The renderer's React, Mantine and charts
 * are devDependencies (Vite inlines them into out/renderer), so "production dependencies" alone
 * would leave them out of the third-party notices; "every installed package" would list the test
 * and build tools, which never ship. Each build records what it inlined, and `npm run notices`
 * (build/notices.ts) lists those together with the production dependencies that are packaged
 * as node_modules.
 */
/** Relative to the project root, where the build runs (the config is bundled elsewhere before it runs). */
export const SHIPPED_DIR = join('build', 'shipped')

/** The package a bundled module comes from: its folder under the last node_modules, or null for the app's own code. */
export function packageFolderOf(moduleId: string): string | null {
  const path = moduleId.replace(/^\0/, '').replace(/\?.*$/, '').split('/').join(sep)
  const marker = `${sep}node_modules${sep}`
  const at = path.lastIndexOf(marker)
  if (at < 0) return null
  const rest = path.slice(at + marker.length).split(sep)
  const parts = rest[0]?.startsWith('@') ? rest.slice(0, 2) : rest.slice(0, 1)
  if (parts.length === 0 || parts.some((part) => !part)) return null
  return path.slice(0, at + marker.length) + parts.join(sep)
}

/** "name@version" of a package folder, read from its package.json. */
function packageKey(folder: string): string {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name: string; version: string }
  return `${manifest.name}@${manifest.version}`
}

/** A build plugin writing build/shipped/<target>.json under `root`: the packages inlined into that target's bundle. */
export function recordShippedPackages(root: string, target: 'main' | 'preload' | 'renderer'): Plugin {
  return {
    name: 'porchlight-shipped-packages',
    apply: 'build',
    generateBundle(_options, bundle) {
      const folders = new Set<string>()
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue
        for (const id of output.moduleIds) {
          const folder = packageFolderOf(id)
          if (folder) folders.add(folder)
        }
      }
      const keys = [...new Set([...folders].map(packageKey))].sort()
      const dir = join(root, SHIPPED_DIR)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, `${target}.json`), `${JSON.stringify(keys, null, 1)}\n`)
    },
  }
}

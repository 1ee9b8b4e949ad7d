import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * main.tsx loads only the Mantine styles of the first screens; the whole sheet comes with each
 * lazily read screen (all-styles.ts). This walks the renderer's static imports from main.tsx (the
 * code of the first screens) and checks both halves, so a component added to the sign-in form
 * cannot show unstyled, and a new lazy screen cannot open without the rest of the styles.
 */
const SRC = resolve(import.meta.dirname, '../../renderer/src')
const MANTINE_STYLES = resolve(import.meta.dirname, '../../node_modules/@mantine/core/styles')

function moduleFile(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier)
  const found = ['', '.tsx', '.ts', '/index.ts', '/index.tsx'].map((ext) => base + ext).find((file) => existsSync(file) && statSync(file).isFile())
  if (!found) throw new Error(`cannot resolve ${specifier} from ${from}`)
  return found
}

/**
 * The modules main.tsx reaches by static imports (the renderer's and shared/'s code, JSON
 * included), and the ones they read lazily (import()).
 */
function firstScreens(): { eager: Set<string>; lazy: Set<string> } {
  const eager = new Set<string>()
  const lazy = new Set<string>()
  const queue = [join(SRC, 'main.tsx')]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (eager.has(file)) continue
    eager.add(file)
    if (file.endsWith('.json')) continue
    const code = readFileSync(file, 'utf8')
    // Type-only imports are gone from the built code.
    for (const match of code.matchAll(/^(?:import|export)\s[^;']*?from\s+'(\.[^']+)'|^import\s+'(\.[^']+)'/gm)) {
      const spec = match[1] ?? match[2]
      if (spec && !match[0].startsWith('import type') && !match[0].startsWith('export type') && !spec.endsWith('.css')) queue.push(moduleFile(file, spec))
    }
    for (const [, spec] of code.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) lazy.add(moduleFile(file, spec!))
  }
  for (const file of eager) lazy.delete(file)
  return { eager, lazy }
}

describe('the first screens load only their own Mantine styles (issue 11, cold start)', () => {
  const { eager, lazy } = firstScreens()
  const main = readFileSync(join(SRC, 'main.tsx'), 'utf8')

  it('main.tsx loads the styles of every Mantine component the first screens import', () => {
    const used = new Set<string>()
    for (const file of eager) {
      for (const [, names] of readFileSync(file, 'utf8').matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'@mantine\/core'/g)) {
        for (const name of names!.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!.replace(/^type\s+/, ''))) {
          if (name && existsSync(join(MANTINE_STYLES, `${name}.layer.css`))) used.add(name)
        }
      }
    }
    expect(used.size).toBeGreaterThan(5)
    const missing = [...used].filter((name) => !main.includes(`'@mantine/core/styles/${name}.layer.css'`))
    expect(missing).toEqual([])
  })

  it('every screen read lazily from them brings the whole sheet', () => {
    // Code, not the language catalogs (JSON, shared/messages), which draw nothing.
    // The notifications' container is no screen: it draws only @mantine/notifications, whose
    // styles main.tsx loads (checked below), and it is read lazily only to keep its code off
    // the first path.
    const container = join(SRC, 'components/AppNotifications.tsx')
    expect(main).toContain("import '@mantine/notifications/styles.layer.css'")
    expect([...readFileSync(container, 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1])).toEqual(['@mantine/notifications'])
    const screens = [...lazy].filter((file) => file.startsWith(SRC) && !file.endsWith('.json') && file !== container)
    expect(screens.length).toBeGreaterThan(3)
    const without = screens.filter((file) => !/^import '(?:\.\.\/)*(?:\.\/)?all-styles'$/m.test(readFileSync(file, 'utf8'))).map((file) => file.slice(SRC.length + 1))
    expect(without).toEqual([])
  })
})

describe('the first screens carry one language, read when it is used (issue 11, cold start)', () => {
  const { eager, lazy } = firstScreens()
  const CATALOGS = ['renderer/src/i18n/en.json', 'renderer/src/i18n/es.json', 'shared/messages/en.ts', 'shared/messages/es.ts'].map((file) => resolve(SRC, '../..', file))

  it('no catalog of words or of main’s messages is on the first screens’ static imports', () => {
    expect(CATALOGS.filter((file) => eager.has(file)).map((file) => file.slice(SRC.length - 'renderer/src'.length))).toEqual([])
  })

  it('every catalog is read lazily from them, so each language can be loaded alone', () => {
    expect(CATALOGS.filter((file) => !lazy.has(file)).map((file) => file.slice(SRC.length - 'renderer/src'.length))).toEqual([])
  })
})

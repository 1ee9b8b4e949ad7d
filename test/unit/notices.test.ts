import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { noticesText, selectShipped } from '../../build/notices'
import { packageFolderOf } from '../../build/shipped-packages'

/** The third-party notices list what ships: production dependencies, what the build inlined, Electron; never the tools. */
describe('third-party notices', () => {
  it('names the package a bundled module comes from, scoped and nested too, and none for the app’s own code', () => {
    const root = join(sep, 'app')
    expect(packageFolderOf(join(root, 'node_modules', 'react', 'cjs', 'react.production.js'))).toBe(join(root, 'node_modules', 'react'))
    expect(packageFolderOf(`\0${join(root, 'node_modules', '@mantine', 'core', 'esm', 'index.mjs')}?commonjs-proxy`)).toBe(join(root, 'node_modules', '@mantine', 'core'))
    expect(packageFolderOf(join(root, 'node_modules', 'a', 'node_modules', 'b', 'index.js'))).toBe(join(root, 'node_modules', 'a', 'node_modules', 'b'))
    expect(packageFolderOf(join(root, 'renderer', 'src', 'App.tsx'))).toBeNull()
  })

  it('keeps production and bundled packages and Electron, leaves the test and build tools out, and refuses an unknown bundled one', () => {
    const info = (name: string) => ({ licenses: 'MIT', licenseFile: `/licenses/${name}` })
    const production = { 'zod@4.0.0': info('zod') }
    const installed = { ...production, 'react@19.0.0': info('react'), 'vitest@5.0.0': info('vitest'), 'eslint@10.0.0': info('eslint'), 'electron@45.0.0': info('electron') }
    const chosen = selectShipped(production, installed, ['react@19.0.0'])
    expect(Object.keys(chosen).sort()).toEqual(['electron@45.0.0', 'react@19.0.0', 'zod@4.0.0'])
    expect(() => selectShipped(production, installed, ['left-pad@1.0.0'])).toThrow(/left-pad@1\.0\.0/)

    const text = noticesText(chosen, (file) => `The license text of ${file.slice(10)}.`)
    expect(text).toContain('Apache License 2.0')
    expect(text).toContain('LICENSES.chromium.html')
    expect(text).toContain('react@19.0.0\nLicense: MIT\n\nThe license text of react.')
    expect(text).not.toContain('vitest')
  })
})

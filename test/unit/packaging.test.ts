import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, matchesGlob } from 'node:path'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import afterPack, { electronBinary, RELEASE_FUSES } from '../../build/after-pack.mjs'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()

interface BuildConfig {
  appId: string
  productName: string
  files: string[]
  asar: boolean
  asarUnpack: string[]
  afterPack: string
  npmRebuild: boolean
  win: { target: Array<{ target: string; arch: string[] }> }
  linux: { target: Array<{ target: string; arch: string[] }> }
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; build: BuildConfig; devDependencies: Record<string, string>; dependencies: Record<string, string> }
const build = pkg.build

/** A stand-in for the Electron executable: random bytes around a fuse wire with every fuse at Electron's defaults. */
function fakeElectron(file: string): void {
  const wire = Buffer.from([1, 9, ...'101101011'.split('').map((bit) => (bit === '1' ? FuseState.ENABLE : FuseState.DISABLE))])
  writeFileSync(file, Buffer.concat([Buffer.alloc(5000, 7), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), wire, Buffer.alloc(5000, 9)]))
}

describe('packaging (electron-builder config in package.json "build")', () => {
  it('builds a Windows NSIS installer and a Linux AppImage and deb, from the electron-vite output', () => {
    expect(build.win.target.map((t) => t.target)).toEqual(['nsis'])
    expect(build.linux.target.map((t) => t.target).sort()).toEqual(['AppImage', 'deb'])
    expect(build.files).toContain('out/**/*')
    expect(pkg.main.startsWith('out/')).toBe(true)
    expect(build.asar).toBe(true)
    // The native module ships as a Node-API prebuild that loads in Electron as it is.
    expect(build.npmRebuild).toBe(false)
    // electron-builder must never become a dependency of the app itself.
    expect(pkg.dependencies['electron-builder']).toBeUndefined()
  })

  it('unpacks every native .node file of better-sqlite3-multiple-ciphers from the asar (a .node cannot load from inside it)', () => {
    const prebuilds = ['win32-x64', 'linux-x64'].map((p) => `node_modules/better-sqlite3-multiple-ciphers/prebuilds/${p}.node`)
    for (const file of [...prebuilds, 'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node']) {
      expect(build.asarUnpack.some((pattern) => matchesGlob(file, pattern)), file).toBe(true)
    }
    expect(build.asarUnpack.some((pattern) => matchesGlob('node_modules/better-sqlite3-multiple-ciphers/lib/index.js', pattern))).toBe(false)
  })

  it('sets the release fuses: no RunAsNode, NODE_OPTIONS or --inspect; asar integrity, asar-only loading and cookie encryption on', () => {
    expect(build.afterPack).toBe('./build/after-pack.mjs')
    expect(RELEASE_FUSES).toMatchObject({
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    })
  })

  it('the afterPack hook flips those fuses in the packaged executable it is given', async () => {
    const dir = tempDir()
    const context = { appOutDir: dir, electronPlatformName: 'linux', packager: { appInfo: { productFilename: 'Porchlight' }, executableName: 'porchlight' } }
    const binary = electronBinary(context)
    expect(binary).toBe(join(dir, 'porchlight'))
    expect(electronBinary({ ...context, electronPlatformName: 'win32' })).toBe(join(dir, 'Porchlight.exe'))
    expect(() => electronBinary({ ...context, electronPlatformName: 'darwin' })).toThrow(/Windows and Linux/)
    mkdirSync(dir, { recursive: true })
    fakeElectron(binary)
    await afterPack(context)
    const wire = await getCurrentFuseWire(binary)
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
  })
})

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
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
  win: { target: Array<{ target: string; arch: string[] }>; icon: string }
  linux: { target: Array<{ target: string; arch: string[] }>; icon: string }
  extraResources: Array<{ from: string; to: string }>
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

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)]
}

describe('the app icon (resources/)', () => {
  it('gives Windows an ICO with every size from 16 to 256 pixels', () => {
    expect(build.win.icon).toBe('resources/icon.ico')
    const ico = readFileSync(build.win.icon)
    // ICONDIR: reserved 0, type 1 (icon), then one 16-byte entry per image (a width byte of 0 means 256).
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256)
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 256]))
  })

  it('gives Linux a PNG per size, named as electron-builder reads them, and the window its PNG', () => {
    const files = readdirSync(build.linux.icon).sort((a, b) => parseInt(a) - parseInt(b))
    expect(files).toEqual(['16x16.png', '24x24.png', '32x32.png', '48x48.png', '64x64.png', '128x128.png', '256x256.png', '512x512.png'])
    for (const file of files) {
      const size = parseInt(file)
      expect(pngSize(readFileSync(join(build.linux.icon, file))), file).toEqual([size, size])
    }
    expect(build.extraResources).toContainEqual({ from: 'resources/icon.png', to: 'icon.png' })
    expect(pngSize(readFileSync('resources/icon.png'))).toEqual([512, 512])
  })
})

import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { backupDatabase, previewBackup } from '../../db/backup'
import { useBackupWorkerFile } from '../../db/backup-thread'
import { generateKey } from '../../db/keys'
import { createDatabase } from '../../db/open'
import { useTempDirs } from './helpers'
import { TEST_START } from '../clock'

/**
 * The packaged app runs the worker electron-vite bundled into out/main (npm test builds before
 * vitest runs): it must be there, be the file main points at, and do a real backup as plain
 * JavaScript, without tsx.
 */
const tempDir = useTempDirs()
const OUT_MAIN = resolve(__dirname, '..', '..', 'out', 'main')
let restore: string | null = null

afterEach(() => {
  if (restore) useBackupWorkerFile(restore)
  restore = null
})

describe('the backup worker in the build', () => {
  it('is bundled into out/main, referenced by main, and backs up and previews as plain JavaScript', async () => {
    if (!existsSync(join(OUT_MAIN, 'index.js'))) throw new Error('No build in out/main: run "npm run build" first.')
    const chunks = readdirSync(join(OUT_MAIN, 'chunks')).filter((name) => /^backup-worker-[\w-]+\.js$/.test(name))
    expect(chunks).toHaveLength(1)
    expect(readFileSync(join(OUT_MAIN, 'index.js'), 'utf8')).toContain(`./chunks/${chunks[0]}`)

    restore = useBackupWorkerFile(join(OUT_MAIN, 'chunks', chunks[0]!))
    const dir = tempDir()
    const key = generateKey()
    const live = await createDatabase(join(dir, 'live.db'), key)
    mkdirSync(join(dir, 'usb'))
    const steps: string[] = []
    const manifest = await backupDatabase(live, key, join(dir, 'usb'), { now: new Date(TEST_START), onStep: (step) => steps.push(step) })
    expect(steps).toEqual(['copying', 'verifying', 'done'])
    expect((await previewBackup(join(dir, 'usb', manifest.file), key)).counts).toEqual(manifest.counts)
    await live.close()
  })
})

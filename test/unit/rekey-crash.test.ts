import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { createDatabase, openDatabase, useMigratedTemplate } from '../../db/open'
import { generateKey } from '../../db/keys'
import { signIn } from '../../db/services/visits'
import { PorchlightCore } from '../../electron/ipc/core'
import { bundleFixture, childEnv } from './fixture-child'
import { useTempDirs } from './helpers'
import { runningClock, coreTime } from '../clock'

// This file proves creation, migrations or what a crash leaves: its databases are made for real,
// not copied from the run's migrated template (test/unit/setup.ts).
useMigratedTemplate(null)

/**
 * A new recovery key re-encrypts the file and changes the stored key: two writes, in two places.
 * A crash between them must never leave a database that no stored key opens.
 */
const tempDir = useTempDirs()
let childScript = ''
const KILL_POINTS = ['write-1-before', 'write-1-after', 'pragma-rekey', 'write-2-before', 'write-2-after', 'write-3-before']

// The bundled child lives for the whole file (tempDir's folders go after each test).
const childDir = mkdtempSync(join(tmpdir(), 'porchlight-rekey-child-'))
afterAll(() => rmSync(childDir, { recursive: true, force: true }))

beforeAll(() => {
  childScript = bundleFixture('rekey-child', childDir)
})

function runChild(dbFile: string, keyFile: string, killAt: string): Promise<'killed' | 'finished'> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [childScript, dbFile, keyFile, killAt], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(),
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolveRun('killed')
      else if (code === 0) resolveRun('finished')
      else reject(new Error(`the child failed: ${stderr}`))
    })
  })
}

describe('a new recovery key survives a crash at any point', () => {
  it.each(KILL_POINTS)('killed at %s: the stored key still opens the database, with every record', async (killAt) => {
    const dir = tempDir()
    const dbFile = join(dir, 'porchlight.db')
    const keyFile = join(dir, 'porchlight.key')
    const key = generateKey()
    const made = await createDatabase(dbFile, key)
    for (let i = 0; i < 5; i++) {
      await signIn({ db: made.db, staffId: null, now: runningClock(), timeZone: 'UTC' }, { participantId: null, anonymousCode: null, services: [{ serviceId: 1, quantity: 1 }], note: `before-${i}` })
    }
    await made.close()
    new FileKeyStore(keyFile).save(key)

    await runChild(dbFile, keyFile, killAt)

    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
    await core.start()
    expect(core.status({ staff: null }).error).toBeNull()
    expect(core.database).not.toBeNull()
    await core.close()
    // Whatever the start settled on is what the key store now holds, and nothing is left pending.
    const reopened = await openDatabase(dbFile, new FileKeyStore(keyFile).load(), { check: 'full' })
    expect(reopened.sqlite.prepare(`SELECT count(*) FROM visits WHERE note LIKE 'before-%'`).pluck().get()).toBe(5)
    await reopened.close()
    expect(readdirSync(dir).filter((name) => name.includes('pending'))).toEqual([])
    expect(existsSync(keyFile)).toBe(true)
  })
})

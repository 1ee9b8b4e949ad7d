import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runAdmin } from '../../db/cli/admin'
import { generateKey } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { openDatabase } from '../../db/open'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { dbErrorCode, sha256File, useTempDirs } from './helpers'
import { coreTime } from '../clock'

const tempDir = useTempDirs()
const quiet = { stdout: () => {}, stderr: () => {}, env: {} }

/** The spine's acceptance points, end to end through the same door the app uses. */
describe('a center database made by `admin init` and written through the app', () => {
  it('holds no plaintext, refuses a wrong key unchanged, and `verify` catches one flipped byte', async () => {
    const dir = tempDir()
    const dbFile = join(dir, 'center.db')
    const keyFile = join(dir, 'center.key')
    expect(await runAdmin(['init', '--db', dbFile, '--key-file', keyFile], quiet)).toBe(0)

    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
    await core.start()
    const call = { core, session: { staff: null } as Session }
    const setup = await dispatch('setup.create', { centerName: 'Harbor House', adminName: 'Ana Ruiz', username: 'ana', password: 'a long enough password' }, call)
    expect(setup.ok).toBe(true)
    const person = await dispatch('participants.create', { firstName: 'Zephyrine', lastName: 'Okonkwo-Vasquez', birthYear: 1987 }, call)
    if (!person.ok) throw new Error(person.error.message)
    const visit = await dispatch('visits.signIn', { participantId: (person.value as { id: number }).id, services: [{ serviceId: 1, quantity: 1 }] }, call)
    expect(visit.ok).toBe(true)
    await core.close()

    for (const file of [dbFile, `${dbFile}-wal`]) {
      if (!existsSync(file)) continue
      const bytes = readFileSync(file)
      expect(bytes.includes('SQLite format 3')).toBe(false)
      expect(bytes.includes('Zephyrine')).toBe(false)
      expect(bytes.includes('Okonkwo')).toBe(false)
      expect(bytes.includes('Harbor House')).toBe(false)
    }

    const before = sha256File(dbFile)
    expect(await dbErrorCode(openDatabase(dbFile, generateKey()))).toBe('DB_WRONG_KEY')
    expect(sha256File(dbFile)).toBe(before)

    expect(await runAdmin(['verify', '--db', dbFile, '--key-file', keyFile], quiet)).toBe(0)
    const bytes = readFileSync(dbFile)
    const middle = Math.floor(bytes.length / 2)
    bytes[middle] = bytes[middle]! ^ 0xff
    writeFileSync(dbFile, bytes)
    const errors: string[] = []
    const code = await runAdmin(['verify', '--db', dbFile, '--key-file', keyFile], { ...quiet, stderr: (text: string) => errors.push(text) })
    expect(code).not.toBe(0)
    expect(errors.join('')).toMatch(/damaged/i)
  })
})

import { copyFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { useTempDirs } from './helpers'
import { coreTime } from '../clock'

const tempDir = useTempDirs()

async function setUpCenter(dir: string): Promise<{ dbFile: string; keyFile: string }> {
  const dbFile = join(dir, 'center.db')
  const keyFile = join(dir, 'center.key')
  const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
  await core.start()
  const session: Session = { staff: null }
  const setup = await dispatch(
    'setup.create',
    { centerName: 'Harbor House', adminName: 'Ana', username: 'ana', password: 'a long enough password' },
    { core, session },
  )
  expect(setup.ok).toBe(true)
  await core.close()
  return { dbFile, keyFile }
}

describe('PorchlightCore', () => {
  it('shows an open error, then recovers on the next status once the file is back', async () => {
    const dir = tempDir()
    const { dbFile, keyFile } = await setUpCenter(dir)
    const aside = join(dir, 'moved-away.db')
    renameSync(dbFile, aside)

    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
    await core.start()
    const call = { core, session: { staff: null } }
    const broken = await dispatch('app.status', {}, call)
    expect(broken).toMatchObject({ ok: true, value: { phase: 'error', error: { code: 'DB_MISSING' } } })

    copyFileSync(aside, dbFile)
    const recovered = await dispatch('app.status', {}, call)
    expect(recovered).toMatchObject({ ok: true, value: { phase: 'signed-out', centerName: 'Harbor House', error: null } })
    await core.close()
  })

  it('refuses app.unlock when no passphrase is awaited, and does not reopen the database', async () => {
    const dir = tempDir()
    const { dbFile, keyFile } = await setUpCenter(dir)
    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(keyFile), ...coreTime() })
    await core.start()
    const before = core.database
    const result = await dispatch('app.unlock', { passphrase: 'anything at all' }, { core, session: { staff: null } })
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(core.database).toBe(before)
    await core.close()
  })
})

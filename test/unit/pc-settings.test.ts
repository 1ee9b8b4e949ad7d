import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { PC_SETTINGS_FILE } from '../../db/pc-settings'
import { connectionFromUrl } from '../../db/postgres'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { coreTime } from '../clock'
import { expectError, expectOk, useTempDirs } from './helpers'
import { describePostgres, usePostgresDatabases } from './pg-helpers'

const SETUP = { centerName: 'Harbor House', adminName: 'Ana Ruiz', username: 'ana', password: 'a long enough password' }
const CENTER = { centerName: 'Harbor House', timeZone: 'America/New_York', kioskResetSeconds: 30, requireService: false }

type Channel = Parameters<typeof dispatch>[0]

/** One PC: a core over its own folder (key store, PC settings), and an admin's calls through main's door. */
function pc(dir: string) {
  const core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() })
  const session: Session = { staff: null }
  const call = (channel: Channel, input: unknown) => dispatch(channel, input, { core, session }, () => {})
  const file = join(dir, PC_SETTINGS_FILE)
  const stored = () => JSON.parse(readFileSync(file, 'utf8')) as { v: number; settings: Record<string, number> }
  return { core, session, call, file, stored }
}

describe('settings kept on this PC (SQLite)', () => {
  const tempDir = useTempDirs()

  it('carries the database’s idle lock and kiosk reset into this PC’s file once, then keeps them there and not in the database', async () => {
    const dir = tempDir()
    const first = pc(dir)
    await first.core.start()
    expectOk(await first.call('setup.create', SETUP))
    // What an older Porchlight kept in the database for every PC.
    first.core.database!.sqlite.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('security', ?, '2026-11-25T15:00:00.000Z') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(JSON.stringify({ idleLockSeconds: 300 }))
    first.core.database!.sqlite.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('center', ?, '2026-11-25T15:00:00.000Z') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(JSON.stringify({ timeZone: 'America/Chicago', kioskResetSeconds: 45 }))
    await first.core.close()
    rmSync(first.file, { force: true })

    const again = pc(dir)
    await again.core.start()
    try {
      expect(again.stored()).toEqual({ v: 1, settings: { idleLockSeconds: 300, kioskResetSeconds: 45 } })
      expect(again.core.status(again.session)).toMatchObject({ kioskResetSeconds: 45, timeZone: 'America/Chicago' })
      expectOk(await again.call('auth.login', { username: 'ana', password: SETUP.password }))
      expect(expectOk(await again.call('settings.security', {}))).toEqual({ idleLockSeconds: 300 })

      // Saved here: this PC's file changes, the database's row does not, and the change is audited.
      const securityRow = () => again.core.database!.sqlite.prepare(`SELECT value FROM settings WHERE key = 'security'`).pluck().get()
      const before = securityRow()
      expectOk(await again.call('settings.setSecurity', { idleLockSeconds: 120 }))
      expectOk(await again.call('settings.setCenter', { ...CENTER, kioskResetSeconds: 90 }))
      expect(again.stored().settings).toEqual({ idleLockSeconds: 120, kioskResetSeconds: 90 })
      expect(securityRow()).toBe(before)
      expect(JSON.parse(again.core.database!.sqlite.prepare(`SELECT value FROM settings WHERE key = 'center'`).pluck().get() as string)).toEqual({
        timeZone: 'America/New_York',
        requireService: false,
        kioskResetSeconds: 45,
      })
      expect(again.core.database!.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'settings.security' ORDER BY id DESC`).pluck().get()).toContain('"idleLockSeconds":120')
      expect(again.core.status(again.session)).toMatchObject({ idleLockSeconds: 120, kioskResetSeconds: 90 })
      // Written aside and renamed: nothing left beside it.
      expect(readdirSync(dir).filter((name) => name.startsWith(PC_SETTINGS_FILE))).toEqual([PC_SETTINGS_FILE])
    } finally {
      await again.core.close()
    }

    // The database's old values are not read again: the file's win at the next start.
    const third = pc(dir)
    await third.core.start()
    try {
      expect(third.core.status(third.session)).toMatchObject({ kioskResetSeconds: 90 })
      expect(third.core.idleLockSeconds).toBe(120)
    } finally {
      await third.core.close()
    }
  })

  it('a damaged file gives the defaults for what it cannot read; a file that cannot be written refuses the save, audits nothing and leaves nothing beside it', async () => {
    const dir = tempDir()
    const first = pc(dir)
    await first.core.start()
    expectOk(await first.call('setup.create', SETUP))
    await first.core.close()
    writeFileSync(first.file, JSON.stringify({ v: 1, settings: { idleLockSeconds: 'soon', kioskResetSeconds: 60 } }))

    const again = pc(dir)
    await again.core.start()
    try {
      expect(again.core.idleLockSeconds).toBe(600)
      expect(again.core.status(again.session)).toMatchObject({ kioskResetSeconds: 60 })
      expectOk(await again.call('auth.login', { username: 'ana', password: SETUP.password }))
      const audits = () => again.core.database!.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'settings.security'`).pluck().get()
      const before = audits()
      // Something in the file's way (a folder where it should be): the save is refused and the audit row rolled back with it.
      rmSync(again.file)
      mkdirSync(join(again.file, 'in-the-way'), { recursive: true })
      expectError(await again.call('settings.setSecurity', { idleLockSeconds: 60 }), 'INTERNAL')
      expect(audits()).toBe(before)
      expect(again.core.idleLockSeconds).toBe(600)
      expect(existsSync(`${again.file}.new`)).toBe(false)
    } finally {
      await again.core.close()
    }
  })
})

describePostgres('settings kept on each PC, with the records on one server', () => {
  const databases = usePostgresDatabases()
  const tempDir = useTempDirs()

  it('two PCs on one database: the idle lock and kiosk reset set on one leave the other’s alone; the center’s settings are shared', async () => {
    const url = await databases.make()
    const desk = pc(tempDir())
    const kiosk = pc(tempDir())
    try {
      await desk.core.connectServer(connectionFromUrl(url))
      await desk.core.setup(SETUP)
      await kiosk.core.connectServer(connectionFromUrl(url))
      expectOk(await desk.call('auth.login', { username: 'ana', password: SETUP.password }))
      expectOk(await kiosk.call('auth.login', { username: 'ana', password: SETUP.password }))

      // The tablet by the door: resets fast, locks fast.
      expectOk(await kiosk.call('settings.setCenter', { ...CENTER, kioskResetSeconds: 20 }))
      expectOk(await kiosk.call('settings.setSecurity', { idleLockSeconds: 60 }))
      expect(kiosk.stored().settings).toEqual({ idleLockSeconds: 60, kioskResetSeconds: 20 })
      expect(expectOk(await desk.call('settings.security', {}))).toEqual({ idleLockSeconds: 600 })
      expect(expectOk(await desk.call('settings.center', {}))).toMatchObject({ kioskResetSeconds: 30 })
      expect(desk.stored().settings).toEqual({ idleLockSeconds: 600, kioskResetSeconds: 30 })
      expect(desk.core.status(desk.session)).toMatchObject({ idleLockSeconds: 600, kioskResetSeconds: 30 })

      // The desk changes the center's name, clock and rule (and its own kiosk reset): the tablet sees the first three only.
      expectOk(await desk.call('settings.setCenter', { centerName: 'Harbor Light', timeZone: 'America/Chicago', kioskResetSeconds: 120, requireService: true }))
      expect(expectOk(await kiosk.call('settings.center', {}))).toEqual({ centerName: 'Harbor Light', timeZone: 'America/Chicago', kioskResetSeconds: 20, requireService: true, version: 2, nameVersion: 2 })
      expect(kiosk.core.status(kiosk.session)).toMatchObject({ idleLockSeconds: 60, kioskResetSeconds: 20 })
      // Staff accounts are shared too: one made on the desk signs in on the tablet.
      expectOk(await desk.call('staff.create', { displayName: 'Ben', username: 'ben', role: 'front_desk', password: 'another long password' }))
      expectOk(await kiosk.call('auth.login', { username: 'ben', password: 'another long password' }))
    } finally {
      await desk.core.close()
      await kiosk.core.close()
    }
  })
})

import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import type { BackupOverview, IntegrityCheck } from '../../electron/ipc/contract'
import { ADMIN, centerWithCore } from './backup-helpers'
import { damageIndex, useTempDirs } from './helpers'

const tempDir = useTempDirs()

describe('the integrity check of the live file', () => {
  it('finds a damaged index that the start-up page check lets through, records it and audits it', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    const clean = (await t.ok('backups.checkNow', {})) as IntegrityCheck
    expect(clean).toMatchObject({ ok: true, problems: [], scheduled: false })
    await t.core.close()

    damageIndex(t.dbFile, new FileKeyStore(t.keyFile).load())
    const core = new PorchlightCore({ dbFile: t.dbFile, keyStore: new FileKeyStore(t.keyFile), now: t.clock.time.now, timeZone: 'UTC' })
    await core.start()
    const session: Session = { staff: null }
    // The records open as usual: only the full check can tell.
    expect(core.status(session).error).toBeNull()
    await dispatch('auth.login', { username: ADMIN.username, password: ADMIN.password }, { core, session })
    const found = await dispatch('backups.checkNow', {}, { core, session })
    expect(found).toMatchObject({ ok: true, value: { ok: false, scheduled: false, problems: expect.arrayContaining([expect.stringMatching(/visits_by_date/)]) } })
    const overview = await dispatch('backups.overview', {}, { core, session })
    expect(overview.ok && (overview.value as BackupOverview).lastCheck).toMatchObject({ ok: false })
    const audited = core.database!.sqlite.prepare(`SELECT action FROM audit_log WHERE action LIKE 'integrity.%' ORDER BY id`).pluck().all()
    expect(audited).toEqual(['integrity.ok', 'integrity.failed'])
    await core.close()
  })

  it('runs once a day right after the scheduled backup, and on its own when no backup is scheduled', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir, '2026-11-25T15:00:00.000Z')
    const checksAfterTickAt = async (iso: string) => {
      t.clock.time.set(iso)
      await t.core.scheduler.tick()
      return t.core.database!.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'integrity.ok'`).pluck().get()
    }
    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'daily', time: '18:00' }, keepDaily: 7, keepWeekly: 4 })
    expect(await checksAfterTickAt('2026-11-25T17:00:00.000Z')).toBe(0)
    expect(await checksAfterTickAt('2026-11-25T18:01:00.000Z')).toBe(1)
    expect(((await t.ok('backups.overview', {})) as BackupOverview).lastCheck).toMatchObject({ ok: true, scheduled: true })
    expect(await checksAfterTickAt('2026-11-25T23:00:00.000Z')).toBe(1)
    // The next day's backup starts a little earlier in the day than yesterday's check was recorded.
    expect(await checksAfterTickAt('2026-11-26T18:00:30.000Z')).toBe(2)

    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    expect(await checksAfterTickAt('2026-11-27T18:30:00.000Z')).toBe(3)
    await t.core.close()
  })

  it('with no backup schedule, waits for five quiet minutes at the desk, unless the last check is two days old', async () => {
    const dir = tempDir()
    // centerWithCore's calls (setup, three sign-ins) are made at 15:00.
    const t = await centerWithCore(dir, '2026-11-25T15:00:00.000Z')
    const checks = () => t.core.database!.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'integrity.ok'`).pluck().get()
    const tickAt = async (iso: string) => {
      t.clock.time.set(iso)
      await t.core.scheduler.tick()
      return checks()
    }
    /** Someone at the desk asks something (any channel a person's screen calls; its answer does not matter here). */
    const deskCallAt = async (iso: string) => {
      t.clock.time.set(iso)
      await t.call('backups.list', {})
    }
    expect(await tickAt('2026-11-25T15:04:00.000Z')).toBe(0)
    expect(await tickAt('2026-11-25T15:05:00.000Z')).toBe(1)
    // The next day, a call a minute before each tick keeps it waiting; the status polls do not.
    for (const hour of ['16', '20', '23']) {
      await deskCallAt(`2026-11-26T${hour}:00:00.000Z`)
      await t.call('app.status', {})
      expect(await tickAt(`2026-11-26T${hour}:01:00.000Z`)).toBe(1)
    }
    expect(await tickAt('2026-11-26T23:05:00.000Z')).toBe(2)
    // A desk never quiet for five minutes still gets its check two days after the last.
    await deskCallAt('2026-11-28T23:04:00.000Z')
    expect(await tickAt('2026-11-28T23:04:30.000Z')).toBe(2)
    await deskCallAt('2026-11-28T23:05:00.000Z')
    expect(await tickAt('2026-11-28T23:05:30.000Z')).toBe(3)
    await t.core.close()
  })
})

import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { openDatabase } from '../../db/open'
import { dueAt, nextDue, RETRY_AFTER_MS } from '../../electron/ipc/scheduler'
import { centerWithCore } from './backup-helpers'
import { useTempDirs } from './helpers'
import { TEST_START } from '../clock'

/**
 * The backup scheduler: daily times in the center's zone, retries and the tick, with injected
 * clocks. Its own file so the shifted-clock run (test/date-sensitive.ts) takes it at every instant
 * while the rest of the backup tests, which have no dates in them, run once.
 */
const tempDir = useTempDirs()

describe('the backup scheduler', () => {
  it('works out the next daily time in the center’s time zone, across a daylight-saving change', () => {
    const daily = { kind: 'daily', time: '18:00' } as const
    expect(nextDue(daily, new Date('2026-11-25T15:00:00Z'), 'UTC')?.toISOString()).toBe('2026-11-25T18:00:00.000Z')
    expect(nextDue(daily, new Date('2026-11-25T18:00:00Z'), 'UTC')?.toISOString()).toBe('2026-11-26T18:00:00.000Z')
    // New York: 18:00 is 22:00Z in summer time and 23:00Z after 1 November 2026.
    expect(nextDue(daily, new Date('2026-10-31T23:00:00Z'), 'America/New_York')?.toISOString()).toBe('2026-11-01T23:00:00.000Z')
    expect(nextDue({ kind: 'hourly', every: 6 }, new Date('2026-11-25T15:00:00Z'))?.toISOString()).toBe('2026-11-25T21:00:00.000Z')
    expect(nextDue({ kind: 'off' }, new Date(TEST_START))).toBeNull()
  })

  it('after a failed scheduled backup, waits an hour before trying again', () => {
    const settings = { folder: '/media/usb', schedule: { kind: 'hourly', every: 1 } as const, keepDaily: 7, keepWeekly: 4, savedAt: '2026-11-25T10:00:00.000Z' }
    const failed = { at: '2026-11-25T11:30:00.000Z', ok: false, scheduled: true, file: null, error: 'unplugged' }
    expect(dueAt(settings, null, null)?.toISOString()).toBe('2026-11-25T11:00:00.000Z')
    expect(dueAt(settings, failed, null)?.getTime()).toBe(new Date(failed.at).getTime() + RETRY_AFTER_MS)
    expect(dueAt({ ...settings, folder: null }, null, null)).toBeNull()
  })

  it('runs a due backup on its tick with an injected clock, then the retention policy when it is switched on', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir, '2026-11-25T15:00:00.000Z')
    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'daily', time: '18:00' }, keepDaily: 7, keepWeekly: 4 })
    await t.ok('retention.savePolicy', { enabled: true, years: 7, mode: 'deidentify' })
    t.core.scheduler.start()
    expect(t.clock.armed()).not.toBeNull()

    t.clock.time.set('2026-11-25T17:59:00.000Z')
    await t.core.scheduler.tick()
    expect(await t.ok('backups.list', {})).toEqual([])

    t.clock.time.set('2026-11-25T18:01:00.000Z')
    t.clock.armed()!()
    await t.core.scheduler.tick()
    const listed = (await t.ok('backups.list', {})) as Array<{ file: string; status: string }>
    expect(listed).toEqual([expect.objectContaining({ file: 'porchlight-20261125-180100.db', status: 'verified' })])
    const actions = t.core.database!.sqlite.prepare(`SELECT action, detail FROM audit_log WHERE action IN ('backup.create', 'retention.apply')`).all() as Array<{ action: string; detail: string }>
    expect(actions.map((row) => row.action)).toEqual(['backup.create', 'retention.apply'])
    expect(JSON.parse(actions[0]!.detail)).toMatchObject({ scheduled: true })

    // Not again until tomorrow's 18:00.
    t.clock.time.set('2026-11-25T23:00:00.000Z')
    await t.core.scheduler.tick()
    expect(await t.ok('backups.list', {})).toHaveLength(1)

    // The drive is unplugged: the failure is recorded for the screen, and the database is fine.
    rmSync(t.usb, { recursive: true })
    t.clock.time.set('2026-11-26T18:00:30.000Z')
    await t.core.scheduler.tick()
    const overview = (await t.ok('backups.overview', {})) as { last: { ok: boolean; error: string }; nextRunAt: string }
    expect(overview.last).toMatchObject({ ok: false, error: expect.stringMatching(/does not exist/) })
    expect(overview.nextRunAt).toBe('2026-11-26T19:00:30.000Z')
    t.core.scheduler.dispose()
    expect(t.clock.armed()).toBeNull()
    await t.core.close()
  })

  it('closing while a scheduled backup is under way waits for it, and starts no check after it', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'daily', time: '18:00' }, keepDaily: 7, keepWeekly: 4 })
    t.core.scheduler.start()
    t.clock.time.set('2026-11-25T18:01:00.000Z')
    const tick = t.core.scheduler.tick()
    for (let turns = 0; !t.core.progress(); turns++) {
      if (turns > 100_000) throw new Error('the scheduled backup never started')
      await new Promise((resolve) => setImmediate(resolve))
    }
    // The window closes mid-backup: before, the check that follows the backup ran on a closed database.
    await t.core.close()
    await tick
    expect(readdirSync(t.usb).filter((name) => name.endsWith('.db'))).toEqual(['porchlight-20261125-180100.db'])
    const reopened = await openDatabase(t.dbFile, new FileKeyStore(t.keyFile).load(), { readonly: true })
    const actions = reopened.sqlite.prepare(`SELECT action FROM audit_log WHERE action LIKE 'backup.%' OR action LIKE 'integrity.%'`).all()
    expect(actions).toEqual([{ action: 'backup.create' }])
    await reopened.close()
  })

  it('a truncated file in the folder is listed as changed, and its preview is refused', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    const made = (await t.ok('backups.run', {})) as { file: string }
    const file = join(t.usb, made.file)
    writeFileSync(file, readFileSync(file).subarray(0, 8192))
    expect(await t.ok('backups.list', {})).toEqual([expect.objectContaining({ status: 'changed' })])
    expect(await t.call('backups.preview', { file: made.file })).toMatchObject({ ok: false, error: { code: 'RESTORE_REFUSED' } })
    await t.core.close()
  })
})

import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { keyToHex } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { openDatabase } from '../../db/open'
import type { ChannelName } from '../../electron/ipc/channels'
import type { InputOf } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { dueAt, nextDue, RETRY_AFTER_MS } from '../../electron/ipc/scheduler'
import { ADMIN, centerWithCore } from './backup-helpers'
import { dbErrorCode, sha256File, tableCounts, useTempDirs } from './helpers'
import { TEST_START } from '../clock'

const tempDir = useTempDirs()
describe('backups through the IPC door', () => {
  it('saves a folder, backs up now, lists it verified, previews and restores it (signing everyone out)', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    const bad = await t.call('backups.saveSettings', { folder: join(dir, 'nope'), schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/does not exist/), fields: { folder: { key: 'backups.folderProblem', params: { problem: { key: 'backup.noFolder' } } } } } })
    const relative = await t.call('backups.saveSettings', { folder: 'usb', schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    expect(relative).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })

    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'daily', time: '18:00' }, keepDaily: 7, keepWeekly: 4 })
    const made = (await t.ok('backups.run', {})) as { file: string; status: string; counts: Record<string, number> }
    expect(made).toMatchObject({ status: 'verified', counts: { participants: 3, visits: 3 } })
    expect(await t.ok('backups.list', {})).toEqual([expect.objectContaining({ file: made.file, status: 'verified' })])
    const overview = (await t.ok('backups.overview', {})) as { last: { ok: boolean }; nextRunAt: string }
    expect(overview.last.ok).toBe(true)
    expect(overview.nextRunAt).toBe('2026-11-25T18:00:00.000Z')

    // A fourth person after the backup; the restore takes the center back to three.
    await t.ok('participants.create', { firstName: 'After' })
    const preview = await t.ok('backups.preview', { file: made.file })
    expect(preview).toMatchObject({ counts: { participants: 3 } })
    expect(await t.call('backups.restore', { file: made.file, confirm: false as never })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await t.call('backups.restore', { file: '../porchlight.db', confirm: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const restored = (await t.ok('backups.restore', { file: made.file, confirm: true })) as { asideFile: string }
    expect(t.session.staff).toBeNull()
    expect(await t.call('participants.search', { text: 'After' })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } })
    expect(tableCounts(t.core.database!)).toMatchObject({ participants: 3 })
    const aside = await openDatabase(restored.asideFile, new FileKeyStore(t.keyFile).load(), { readonly: true })
    expect(tableCounts(aside)).toMatchObject({ participants: 4 })
    await aside.close()
    await t.core.close()
  })

  it('refuses a backup from another center with the live file untouched; a front-desk account cannot reach backups', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    const other = await centerWithCore(tempDir())
    await other.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    other.clock.time.set('2026-11-24T10:00:00.000Z')
    const foreign = (await other.ok('backups.run', {})) as { file: string }
    await other.core.close()
    const before = tableCounts(t.core.database!)
    const live = t.core.database
    const hash = sha256File(t.dbFile)
    const refused = await t.call('backups.restore', { file: foreign.file, confirm: true })
    // Refused before the live database was even closed: same connection, same bytes.
    expect(t.core.database).toBe(live)
    expect(sha256File(t.dbFile)).toBe(hash)
    expect(refused).toMatchObject({ ok: false, error: { code: 'RESTORE_REFUSED', message: expect.stringMatching(/different key/) } })
    expect(tableCounts(t.core.database!)).toEqual(before)

    const desk = await dispatch('backups.run', {}, { core: t.core, session: { staff: { id: 99, username: 'x', displayName: 'X', role: 'front_desk' } as never } }, () => {})
    expect(desk).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await t.core.close()
  })

  it('a new recovery key: the old key is refused, the new one opens it with every row; shown once', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    const oldKey = new FileKeyStore(t.keyFile).load()
    const before = tableCounts(t.core.database!)
    const { recoveryKey } = (await t.ok('security.newRecoveryKey', { confirm: true })) as { recoveryKey: string }
    expect(recoveryKey).not.toBe(t.recoveryKey)
    expect(recoveryKey).toMatch(/^([0-9A-F]{8}-){7}[0-9A-F]{8}$/)
    const newKey = new FileKeyStore(t.keyFile).load()
    expect(recoveryKey.replace(/-/g, '').toLowerCase()).toBe(keyToHex(newKey))
    // The change is recorded and the app keeps working under the new key.
    await t.ok('participants.create', { firstName: 'AfterRekey' })
    await t.core.close()

    expect(await dbErrorCode(openDatabase(t.dbFile, oldKey, { readonly: true }))).toBe('DB_WRONG_KEY')
    const reopened = await openDatabase(t.dbFile, newKey, { readonly: true })
    expect(tableCounts(reopened)).toMatchObject({ participants: before.participants! + 1, visits: before.visits })
    expect(reopened.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'key.rotate'`).pluck().get()).toBe(1)
    await reopened.close()
  })

  it('a new PC: opens a backup with the recovery key (a wrong key changes nothing), then staff sign in as before', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    await t.ok('backups.saveSettings', { folder: t.usb, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 })
    const made = (await t.ok('backups.run', {})) as { file: string }
    await t.core.close()

    const pc = tempDir()
    const dbFile = join(pc, 'porchlight.db')
    const core = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(join(pc, 'porchlight.key')) })
    await core.start()
    const session: Session = { staff: null }
    const call = <C extends ChannelName>(channel: C, input: InputOf<C>) => dispatch(channel, input, { core, session }, () => {})
    expect((await call('app.status', {})).ok && (await call('app.status', {}))).toMatchObject({ value: { phase: 'setup' } })
    const backupFile = join(t.usb, made.file)
    expect(await call('setup.recover', { recoveryKey: 'not a key', backupFile })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { recoveryKey: { key: 'recover.notAKey' } } } })
    const wrong = 'AB'.repeat(32)
    expect(await call('setup.recover', { recoveryKey: wrong, backupFile })).toMatchObject({ ok: false, error: { code: 'RESTORE_REFUSED' } })
    expect(await call('setup.recover', { recoveryKey: t.recoveryKey })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { backupFile: { key: 'recover.noDatabase' } } } })
    const recovered = await call('setup.recover', { recoveryKey: t.recoveryKey.toLowerCase(), backupFile })
    expect(recovered).toMatchObject({ ok: true, value: { phase: 'signed-out', centerName: 'Harbor House' } })
    expect(await call('auth.login', { username: ADMIN.username, password: ADMIN.password })).toMatchObject({ ok: true })
    expect(tableCounts(core.database!)).toMatchObject({ participants: 3, visits: 3 })
    expect(await call('setup.recover', { recoveryKey: t.recoveryKey, backupFile })).toMatchObject({ ok: false, error: { code: 'ALREADY_SET_UP' } })
    await core.close()
    // It starts by itself next time: the key is in this computer's key store now.
    const again = new PorchlightCore({ dbFile, keyStore: new FileKeyStore(join(pc, 'porchlight.key')) })
    await again.start()
    expect(again.status({ staff: null }).phase).toBe('signed-out')
    await again.close()
  })

  it('opening an existing file with the recovery key: the right key opens it, a wrong one leaves it byte-identical', async () => {
    const dir = tempDir()
    const t = await centerWithCore(dir)
    await t.core.close()
    rmSync(t.keyFile)
    const hash = sha256File(t.dbFile)
    const core = new PorchlightCore({ dbFile: t.dbFile, keyStore: new FileKeyStore(t.keyFile) })
    await core.start()
    const call = <C extends ChannelName>(channel: C, input: InputOf<C>) => dispatch(channel, input, { core, session: { staff: null } }, () => {})
    expect(await call('setup.recover', { recoveryKey: 'CD'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'DB_WRONG_KEY' } })
    expect(sha256File(t.dbFile)).toBe(hash)
    expect(await call('setup.recover', { recoveryKey: t.recoveryKey })).toMatchObject({ ok: true, value: { phase: 'signed-out' } })
    await core.close()
  })
})

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

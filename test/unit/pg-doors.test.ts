import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configure, Uint8ArrayReader, Uint8ArrayWriter, ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { EXIT } from '../../db/cli/admin'
import { FileKeyStore } from '../../db/keystore-file'
import { generateKey, type DbKey } from '../../db/keys'
import { createDatabase } from '../../db/open'
import { ConnectionFile } from '../../db/pg-connection-file'
import { findPgDump } from '../../db/pg-dump'
import { connectionFromUrl, openPostgres } from '../../db/postgres'
import { seedDatabase } from '../../db/seed'
import { lastBackupAttempt } from '../../db/services/backup-settings'
import type { ServiceContext } from '../../db/services/context'
import { exportEverything } from '../../db/services/export/run'
import { importRecords, type RecordsJob } from '../../db/services/records-import'
import { runRecordsTask } from '../../db/services/records-import/run'
import { checkRollups } from '../../db/services/reports/rollups'
import { completeSetup } from '../../db/services/setup'
import { saveCredential } from '../../db/services/workforce'
import type { RecordMapping } from '../../db/domain/records-import'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { LEAVE_TO_OTHERS_MS } from '../../electron/ipc/scheduler'
import { runningClock, TEST_START } from '../clock'
import { admin } from './admin-helpers'
import { fakeClock } from './backup-helpers'
import { useTempDirs } from './helpers'
import { describePostgres, usePostgresDatabases } from './pg-helpers'

configure({ useWebWorkers: false })

/**
 * The doors on the center's PostgreSQL server (issue 14): the full export, a records import and
 * the scheduled pg_dump, each as the app runs it (on the worker thread, through this PC's
 * connection file) and as the admin commands do.
 */

const SETUP = { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }

function isFile(entry: Entry): entry is FileEntry {
  return !entry.directory
}

async function unzip(file: string, password: string | null): Promise<Map<string, string>> {
  const reader = new ZipReader(new Uint8ArrayReader(readFileSync(file)))
  const files = new Map<string, string>()
  for (const entry of (await reader.getEntries()).filter(isFile)) {
    files.set(entry.filename, Buffer.from(await entry.getData(new Uint8ArrayWriter(), password ? { password } : {})).toString('utf8'))
  }
  await reader.close()
  return files
}

/** This PC's connection file for a test database, its secrets under `key` (as connectServer keeps it). */
function connectionFileFor(dir: string, url: string, key: DbKey): string {
  const file = join(dir, 'postgres-connection.json')
  new ConnectionFile(file).save(connectionFromUrl(url), key)
  return file
}

const PEOPLE_MAP: RecordMapping = { personId: 'Client ID', firstName: 'First', lastName: 'Last' }
const VISITS_MAP: RecordMapping = { person: 'Client ID', date: 'Date', timeIn: 'In', timeOut: 'Out', services: 'Services' }
const PEOPLE_CSV = ['Client ID,First,Last', 'A-1,José,Álvarez', 'A-2,Zoë,"O\'Brien"', 'A-3,Nguyễn,Văn An'].join('\r\n')
const VISITS_CSV = [
  'Client ID,Date,In,Out,Services',
  'A-1,2025-01-06,9:30 AM,11:00 AM,Meal; Shower',
  'A-1,01/07/2025,13:05,14:00,Peer support',
  'A-2,2025-01-07,10:00,,',
  'A-3,2025-02-03,10:00,,Meal',
  ',1/8/2025,9:00,,Meal',
].join('\n')

describePostgres('the doors on the center’s server', () => {
  const databases = usePostgresDatabases()
  const tempDir = useTempDirs()

  it('the full export from the server holds the same files, columns, rows and dictionary as the file’s after admin migrate', async () => {
    const dir = tempDir()
    const key = generateKey()
    const keyFile = join(dir, 'center.key')
    new FileKeyStore(keyFile).save(key)
    const file = join(dir, 'center.db')
    const opened = await createDatabase(file, key)
    const now = runningClock()
    try {
      const first = await completeSetup({ db: opened.db, staffId: null, now }, SETUP)
      await seedDatabase(opened, { participants: 30, days: 15, seed: 3, until: new Date(TEST_START) })
      const ctx = { db: opened.db, staffId: first.id, now, timeZone: 'UTC' }
      const kind = await opened.db.selectFrom('workforce_credential_kinds').select('id').orderBy('id').executeTakeFirstOrThrow()
      await saveCredential(ctx, { staffId: first.id, kindId: kind.id, issuer: 'County', issuedOn: '2026-06-01', expiresOn: '2027-06-01', document: { fileName: 'cert.pdf', base64: 'JVBERi0xLjQK' } })
    } finally {
      await opened.close()
    }
    const url = await databases.make()
    const moved = await admin(['migrate', '--db', file, '--key-file', keyFile, '--to', url])
    expect(moved.code, moved.stderr).toBe(EXIT.OK)

    const fromFile = await admin(['export', '--db', file, '--key-file', keyFile, '--to', tempDir(), '--unencrypted'])
    expect(fromFile.code, fromFile.stderr).toBe(EXIT.OK)
    const fromServer = await admin(['export', '--postgres', url, '--to', tempDir(), '--unencrypted'])
    expect(fromServer.code, fromServer.stderr).toBe(EXIT.OK)
    expect(fromServer.stdout).not.toContain(new URL(url).password || '\u0000')
    const zipOf = (out: string) => /Wrote (\S+\.zip)/.exec(out)![1]!
    const a = await unzip(zipOf(fromFile.stdout), null)
    const b = await unzip(zipOf(fromServer.stdout), null)
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort())
    for (const [name, text] of a) {
      // The manifest names each backend's own migrations and its moment; every CSV and the documents are the same bytes.
      if (name === 'export.json') continue
      expect(b.get(name), name).toBe(text)
    }
    expect(a.get('visits.csv')!.split('\r\n').length).toBeGreaterThan(20)
    expect([...a.keys()].some((name) => name.startsWith('documents/'))).toBe(true)

    // The app's way: on the worker thread, through this PC's connection file, encrypted; audited on the server.
    const server = await openPostgres(url)
    try {
      const appKey = generateKey()
      const ctx: ServiceContext = { db: server.db, staffId: 1, now: runningClock(), timeZone: 'UTC' }
      const folder = tempDir()
      const result = await exportEverything({ serverFile: connectionFileFor(tempDir(), url, appKey) }, appKey, ctx, { folder, encrypted: true })
      expect(result.password).not.toBeNull()
      const c = await unzip(result.file, result.password)
      expect(c.get('participants.csv')).toBe(a.get('participants.csv'))
      expect(c.get('data-dictionary.csv')).toBe(a.get('data-dictionary.csv'))
      const audit = await server.db.selectFrom('audit_log').select(['action', 'detail']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
      expect(audit.action).toBe('export.create')
      // A wrong key opens no connection file: refused, nothing written.
      const refused = exportEverything({ serverFile: connectionFileFor(tempDir(), url, appKey) }, generateKey(), ctx, { folder: tempDir(), encrypted: true })
      await expect(refused).rejects.toMatchObject({ code: 'VALIDATION' })
    } finally {
      await server.close()
    }
  }, 240_000)

  it('imports a people list and a sign-in log on the server through the worker: chunks, the switch, roll-ups that recount, never twice', async () => {
    const dir = tempDir()
    const url = await databases.make()
    const setUp = await openPostgres(url)
    const staff = await completeSetup({ db: setUp.db, staffId: null, now: runningClock() }, SETUP).finally(() => setUp.close())
    const key = generateKey()
    const source = { serverFile: connectionFileFor(dir, url, key) }
    const write = (name: string, text: string) => {
      const file = join(dir, name)
      writeFileSync(file, text)
      return file
    }
    const job = (file: string, kind: RecordsJob['kind'], mapping: RecordMapping, more: Partial<RecordsJob> = {}): RecordsJob => ({ file, kind, mapping, staffId: staff.id, now: TEST_START, timeZone: 'UTC', ...more })
    const people = write('people.csv', PEOPLE_CSV)
    const preview = await runRecordsTask(source, key, 'preview', job(people, 'participants', PEOPLE_MAP))
    expect(preview.counts).toMatchObject({ newPeople: 3, badRows: 0 })
    expect((await runRecordsTask(source, key, 'import', job(people, 'participants', PEOPLE_MAP))).counts.newPeople).toBe(3)
    await expect(runRecordsTask(source, key, 'import', job(people, 'participants', PEOPLE_MAP))).rejects.toMatchObject({ key: 'recordsImport.alreadyImported' })

    const server = await openPostgres(url, { poolSize: 1 })
    try {
      const visitsOf = async () =>
        Object.fromEntries((await server.db.selectFrom('participants').select(['first_name', 'visit_count']).orderBy('id').execute()).map((row) => [row.first_name, Number(row.visit_count)]))
      const visits = write('visits.csv', VISITS_CSV)
      // A crash after the first chunk (here: the progress callback throws) leaves a pending file nobody sees.
      const crashed = importRecords(server, job(visits, 'visits', VISITS_MAP, { skipBadRows: true }), (progress) => {
        if (progress.phase === 'writing' && progress.done > 0) throw new Error('the power went out')
      })
      await expect(crashed).rejects.toThrow('the power went out')
      expect(await server.db.selectFrom('import_files').select('pending').where('kind', '=', 'visits').execute()).toEqual([{ pending: 1 }])
      expect(Number((await server.db.selectFrom('visits').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0)
      expect(await visitsOf()).toEqual({ José: 0, Zoë: 0, Nguyễn: 0 })
      expect((await checkRollups(server.db)).filter((check) => check.missing + check.extra > 0)).toEqual([])

      // The next import (on the worker, as the app runs it) discards it, then writes the whole file.
      const result = await runRecordsTask(source, key, 'import', job(visits, 'visits', VISITS_MAP, { skipBadRows: true }))
      const held = await server.db.selectFrom('visits').select(['id', 'import_file_id']).execute()
      expect(held).toHaveLength(result.counts.visits)
      expect(new Set(held.map((row) => row.import_file_id)).size).toBe(1)
      expect(await server.db.selectFrom('import_files').select('pending').where('kind', '=', 'visits').execute()).toEqual([{ pending: 0 }])
      expect(await visitsOf()).toEqual({ José: 2, Zoë: 1, Nguyễn: 1 })
      expect((await checkRollups(server.db)).filter((check) => check.missing + check.extra > 0)).toEqual([])
      // The visits' ids came from the server's own sequence: the desk's next sign-in takes the one after.
      const next = (await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('visits', 'id')) AS id`.execute(server.db)).rows[0]!
      expect(next.id).toBeGreaterThan(Math.max(...held.map((row) => row.id)))
      await expect(runRecordsTask(source, key, 'import', job(visits, 'visits', VISITS_MAP, { skipBadRows: true }))).rejects.toMatchObject({ key: 'recordsImport.alreadyImported' })
    } finally {
      await server.close()
    }

    // The admin command takes the server as the others do.
    const more = write('more.csv', ['Client ID,First,Last', 'B-1,Kofi,Mensah'].join('\n'))
    const mapping = write('map.json', JSON.stringify(PEOPLE_MAP))
    const imported = await admin(['import', '--postgres', url, '--participants', more, '--mapping', mapping])
    expect(imported.code, imported.stderr).toBe(EXIT.OK)
    expect((await admin(['import', '--postgres', url, '--db', join(dir, 'x.db'), '--participants', more, '--mapping', mapping])).code).toBe(EXIT.USAGE)
    const verified = await admin(['verify', '--postgres', url])
    expect(verified.code, verified.stdout + verified.stderr).toBe(EXIT.OK)
  }, 180_000)

  it('the schedule runs pg_dump on one PC at a time, records it, and names a failure on the Backups screen and the manager’s home', async () => {
    const tools = findPgDump()
    expect(tools).not.toBeNull()
    const url = await databases.make()
    const clock = fakeClock('2026-11-25T15:00:00.000Z')
    const pcs = [tempDir(), tempDir()].map(
      (dir) => new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: clock.time.now, clock: clock.schedulerClock, timeZone: 'UTC', pgDumpTools: tools }),
    )
    const session: Session = { staff: null }
    const ok = async (channel: Parameters<typeof dispatch>[0], input: unknown) => {
      const result = await dispatch(channel, input as never, { core: pcs[0]!, session }, () => {})
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
      return result.value as never
    }
    try {
      await pcs[0]!.connectServer(connectionFromUrl(url))
      pcs[0]!.idleLockSeconds = 365 * 24 * 60 * 60
      await ok('setup.create', SETUP)
      await pcs[1]!.connectServer(connectionFromUrl(url))
      const folder = tempDir()
      await ok('backups.saveSettings', { folder, schedule: { kind: 'daily', time: '18:00' }, keepDaily: 7, keepWeekly: 4 })
      expect(((await ok('backups.overview', {})) as { nextRunAt: string }).nextRunAt).toBe('2026-11-25T18:00:00.000Z')

      clock.time.set('2026-11-25T17:59:00.000Z')
      await Promise.all(pcs.map((pc) => pc.scheduler.tick()))
      expect(readdirSync(folder)).toEqual([])

      // Both PCs find it due in the same minute: one copy, made by whichever took the turn.
      clock.time.set('2026-11-25T18:00:30.000Z')
      await Promise.all(pcs.map((pc) => pc.scheduler.tick()))
      expect(readdirSync(folder)).toEqual(['porchlight-20261125-180030.dump'])
      const server = pcs[0]!.records!
      const audit = await server.selectFrom('audit_log').select(['action', 'detail']).where('action', 'like', 'backup.%').execute()
      expect(audit.map((row) => row.action)).toEqual(['backup.create'])
      expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ scheduled: true, tool: 'pg_dump' })
      await Promise.all(pcs.map((pc) => pc.scheduler.tick()))
      expect(readdirSync(folder)).toHaveLength(1)
      const overview = (await ok('backups.overview', {})) as { lastSuccess: { file: string }; nextRunAt: string }
      expect(overview.lastSuccess.file).toBe('porchlight-20261125-180030.dump')
      expect(overview.nextRunAt).toBe('2026-11-26T18:00:00.000Z')

      // Tomorrow the folder is gone from every PC: each leaves the copy to the others for a while,
      // then tries, and the failure is recorded once for the screen and the manager's home.
      rmSync(folder, { recursive: true, force: true })
      clock.time.set('2026-11-26T18:00:30.000Z')
      await Promise.all(pcs.map((pc) => pc.scheduler.tick()))
      expect((await lastBackupAttempt(server)).last).toMatchObject({ ok: true })
      clock.time.set(new Date(Date.parse('2026-11-26T18:00:30.000Z') + LEAVE_TO_OTHERS_MS).toISOString())
      await Promise.all(pcs.map((pc) => pc.scheduler.tick()))
      const { last } = await lastBackupAttempt(server)
      expect(last).toMatchObject({ ok: false, scheduled: true })
      expect((await server.selectFrom('audit_log').select('action').where('action', '=', 'backup.failed').execute()).length).toBe(1)
      const home = (await ok('reports.home', {})) as { failedBackup: { at: string } | null }
      expect(home.failedBackup?.at).toBe(last!.at)
    } finally {
      for (const pc of pcs) await pc.close()
    }
  }, 120_000)
})

import { execFileSync } from 'node:child_process'
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { BackupError } from '../../db/backup'
import { backupPostgres, findPgDump, pgDumpEnv } from '../../db/pg-dump'
import { connectionFromUrl, type OpenPostgres } from '../../db/postgres'
import { lastBackupAttempt } from '../../db/services/backup-settings'
import type { ServiceContext } from '../../db/services/context'
import { useTempDirs } from './helpers'
import { describePostgres, PG_URL, usePostgresDatabases } from './pg-helpers'

const NOW = new Date('2026-03-04T05:06:07Z')
const tempDirOutside = useTempDirs()

/** The connection the app would hold for a test database: the test server's, with the database `where` names. */
function connectionOf(server: OpenPostgres) {
  return { ...connectionFromUrl(PG_URL!), database: server.where.slice(server.where.lastIndexOf('/') + 1) }
}

function contextOf(server: OpenPostgres): ServiceContext {
  return { db: server.db, staffId: null, now: () => NOW, timeZone: 'UTC' }
}

async function auditActions(server: OpenPostgres) {
  return server.db.selectFrom('audit_log').select(['action', 'detail']).where('action', 'like', 'backup.%').orderBy('id').execute()
}

it('passes the password to pg_dump through its environment, and TLS as verify-full with the CA file', () => {
  const env = pgDumpEnv({ host: 'db.center.org', port: 5432, database: 'porchlight', user: 'desk', auth: 'password', password: 's3cret', caFile: '/etc/ca.pem' })
  expect(env).toMatchObject({ PGPASSWORD: 's3cret', PGHOST: 'db.center.org', PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/etc/ca.pem' })
  const local = pgDumpEnv({ host: 'localhost', port: 5432, database: 'p', user: 'u', auth: 'password', password: 'x' })
  expect(local.PGSSLMODE).toBe('disable')
})

it('finds pg_dump only where both it and pg_restore are', () => {
  const dir = tempDirOutside()
  writeFileSync(join(dir, 'pg_dump'), '')
  expect(findPgDump([dir], 'linux')).toBeNull()
  writeFileSync(join(dir, 'pg_restore'), '')
  expect(findPgDump(['/nowhere', dir], 'linux')).toEqual({ pgDump: join(dir, 'pg_dump'), pgRestore: join(dir, 'pg_restore') })
})

describePostgres('pg_dump backups of the records on the server', () => {
  const databases = usePostgresDatabases()
  const tempDir = useTempDirs()

  it('dumps, verifies with pg_restore --list, renames into place, and records the run with its audit row', async () => {
    const server = await databases.open()
    const folder = tempDir()
    const steps: string[] = []
    const { run, attempt } = await backupPostgres(contextOf(server), connectionOf(server), folder, { scheduled: false, onStep: (step) => steps.push(step) })
    expect(steps).toEqual(['copying', 'verifying'])
    expect(run.file).toBe('porchlight-20260304-050607.dump')
    expect(readdirSync(folder)).toEqual([run.file])
    expect(run.bytes).toBe(statSync(join(folder, run.file)).size)
    const listing = execFileSync(findPgDump()!.pgRestore, ['--list', join(folder, run.file)], { encoding: 'utf8' })
    expect(listing).toMatch(/TABLE DATA public visits/)
    expect(listing).toMatch(/TABLE DATA public audit_log/)
    expect(attempt).toMatchObject({ ok: true, file: run.file, at: NOW.toISOString() })
    expect(await lastBackupAttempt(server.db)).toEqual({ last: attempt, lastSuccess: attempt })
    const audit = await auditActions(server)
    expect(audit.map((row) => row.action)).toEqual(['backup.create'])
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ file: run.file, tool: 'pg_dump', bytes: run.bytes })
  })

  it('refuses when pg_dump is missing, recording the failure and writing nothing', async () => {
    const server = await databases.open()
    const folder = tempDir()
    const attempt = backupPostgres(contextOf(server), connectionOf(server), folder, { scheduled: true, tools: null })
    await expect(attempt).rejects.toThrow(BackupError)
    await expect(attempt).rejects.toThrow(/pg_dump is not installed.*apt install postgresql-client/)
    expect(readdirSync(folder)).toEqual([])
    const { last, lastSuccess } = await lastBackupAttempt(server.db)
    expect(last).toMatchObject({ ok: false, scheduled: true, errorRef: { key: 'backup.pgDumpMissing' } })
    expect(lastSuccess).toBeNull()
    expect((await auditActions(server)).map((row) => row.action)).toEqual(['backup.failed'])
  })

  /** A stand-in for pg_dump (and pg_restore) that writes part of its file, then says `stderr` and fails; or, with `listing`, succeeds as pg_restore --list. */
  function fakeTool(name: string, script: string): string {
    const file = join(tempDir(), name)
    writeFileSync(file, `#!/bin/sh\nfor a; do case "$a" in --file=*) echo partial > "\${a#--file=}";; esac; done\n${script}\n`)
    chmodSync(file, 0o755)
    return file
  }

  it('says a server newer than pg_dump is refused, and leaves no partial dump behind', async () => {
    const server = await databases.open()
    const folder = tempDir()
    // pg_dump's own words when the server is newer than it, after the half-written file it leaves.
    const fake = fakeTool(
      'pg_dump',
      'echo "pg_dump: error: aborting because of server version mismatch" >&2\necho "pg_dump: detail: server version: 17.2; pg_dump version: 15.18" >&2\nexit 1',
    )
    const attempt = backupPostgres(contextOf(server), connectionOf(server), folder, { scheduled: false, tools: { pgDump: fake, pgRestore: fake } })
    await expect(attempt).rejects.toThrow(/pg_dump \(15\.18\) is older than the server \(17\.2\)/)
    expect(readdirSync(folder)).toEqual([])
  })

  it.each([
    ['a full disk', 'pg_dump: error: could not write to output file: No space left on device', /is full/],
    ['a folder it may not write to', 'pg_dump: error: could not open output file: Permission denied', /cannot write to/],
  ])('says %s plainly and leaves nothing behind', async (_what, stderr, said) => {
    const server = await databases.open()
    const folder = tempDir()
    const pgDump = fakeTool('pg_dump', `echo "${stderr}" >&2; exit 1`)
    await expect(backupPostgres(contextOf(server), connectionOf(server), folder, { scheduled: false, tools: { pgDump, pgRestore: pgDump } })).rejects.toThrow(said)
    expect(readdirSync(folder)).toEqual([])
  })

  it('keeps no dump whose listing lacks the visits’ data', async () => {
    const server = await databases.open()
    const folder = tempDir()
    const pgDump = fakeTool('pg_dump', 'exit 0')
    const pgRestore = fakeTool('pg_restore', 'echo "3456; 0 16400 TABLE DATA public audit_log porchlight"')
    await expect(backupPostgres(contextOf(server), connectionOf(server), folder, { scheduled: false, tools: { pgDump, pgRestore } })).rejects.toThrow(/could not be verified \(no data for visits\)/)
    expect(readdirSync(folder)).toEqual([])
    expect((await lastBackupAttempt(server.db)).lastSuccess).toBeNull()
  })

  it('keeps the newest dumps by the file backups\' daily and weekly counts after a good copy, deleting only older dumps of its own name', async () => {
    const server = await databases.open()
    const folder = tempDir()
    const older = ['porchlight-20260301-050607.dump', 'porchlight-20260302-050607.dump', 'porchlight-20260303-010000.dump', 'porchlight-20260303-050607.dump']
    const others = ['notes.txt', 'porchlight-20260101-000000.db', 'porchlight-20260101-000000.dump.bak']
    for (const name of [...older, ...others]) writeFileSync(join(folder, name), 'kept by someone')
    const keep = { daily: 2, weekly: 0 }
    // A copy that fails deletes nothing.
    await expect(backupPostgres(contextOf(server), connectionOf(server), folder, { scheduled: true, tools: null, keep })).rejects.toThrow(BackupError)
    expect(readdirSync(folder).sort()).toEqual([...older, ...others].sort())
    // A good one (2026-03-04 05:06:07) keeps itself and the newest of the day before; the rest of pg_dump's go.
    const { run, attempt } = await backupPostgres(contextOf(server), connectionOf(server), folder, { scheduled: true, keep })
    expect(readdirSync(folder).sort()).toEqual([...others, 'porchlight-20260303-050607.dump', run.file].sort())
    expect(run.removed.sort()).toEqual(['porchlight-20260301-050607.dump', 'porchlight-20260302-050607.dump', 'porchlight-20260303-010000.dump'])
    expect(attempt.ok).toBe(true)
    const audit = await auditActions(server)
    expect(JSON.parse(audit.at(-1)!.detail!)).toMatchObject({ file: run.file, tool: 'pg_dump', removed: 3 })
  })

  it('refuses a folder that does not exist, by name', async () => {
    const server = await databases.open()
    const folder = join(tempDir(), 'unplugged')
    await expect(backupPostgres(contextOf(server), connectionOf(server), folder, { scheduled: false })).rejects.toThrow(/does not exist/)
  })
})

import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { EXIT, runAdmin, USAGE, type AdminIo } from '../../db/cli/admin'
import { formatRecoveryKey, generateKey, keyToHex } from '../../db/keys'
import { FileKeyStore } from '../../db/keystore-file'
import { migrationList } from '../../db/migrations'
import { openDatabase } from '../../db/open'
import { createParticipant } from '../../db/services/participants'
import { signIn } from '../../db/services/visits'
import { context, sha256File, useTempDirs } from './helpers'

const tempDir = useTempDirs()
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** In-process run with captured output and an environment of the test's choosing. */
async function admin(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = []
  const err: string[] = []
  const io: AdminIo = { stdout: (line) => out.push(line), stderr: (line) => err.push(line), env }
  const code = await runAdmin(argv, io)
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

/** The real program, as `npm run admin` runs it: a child Node process loading TypeScript through tsx. */
function adminProcess(argv: string[], env: NodeJS.ProcessEnv = {}): Run {
  const { PORCHLIGHT_DB_KEY: _ignored, ...inherited } = process.env
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'db/cli/admin.ts', ...argv], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  if (result.error) throw result.error
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** A database made by `init`, with a person, a visit and their audit rows in it. */
async function initialized(): Promise<{ dir: string; db: string; keyFile: string }> {
  const dir = tempDir()
  const db = join(dir, 'center.db')
  const keyFile = join(dir, 'center.key')
  const run = await admin(['init', '--db', db, '--key-file', keyFile])
  expect(run.code).toBe(EXIT.OK)
  const opened = await openDatabase(db, new FileKeyStore(keyFile).load())
  const ctx = context(opened)
  for (const firstName of ['Ines', 'Kofi', 'Lupe']) {
    const person = await createParticipant(ctx, { firstName })
    await signIn(ctx, { participantId: person.id, services: [] })
  }
  await opened.close()
  return { dir, db, keyFile }
}

/** Edits the file behind Porchlight's back, through a normal read-write connection. */
async function edit(db: string, keyFile: string, statements: string): Promise<void> {
  const opened = await openDatabase(db, new FileKeyStore(keyFile).load())
  opened.sqlite.exec(statements)
  await opened.close()
}

describe('init', () => {
  it('writes a 0600 key file of 64 hex characters and an encrypted 0600 database', async () => {
    const dir = tempDir()
    const db = join(dir, 'center.db')
    const keyFile = join(dir, 'center.key')
    const run = await admin(['init', '--db', db, '--key-file', keyFile])

    expect(run.code).toBe(EXIT.OK)
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain(db)
    expect(run.stdout).toContain(keyFile)
    expect(run.stdout).toMatch(/safe/i)
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(statSync(db).mode & 0o777).toBe(0o600)
    expect(readFileSync(db).includes('SQLite format 3')).toBe(false)
    // The key is never echoed to the terminal.
    expect(run.stdout).not.toContain(readFileSync(keyFile, 'utf8').trim())

    const opened = await openDatabase(db, new FileKeyStore(keyFile).load(), { readonly: true })
    await opened.close()
  })

  it('reads relative paths from where npm was run (INIT_CWD), not from the package folder', async () => {
    const dir = tempDir()
    const run = await admin(['init', '--db', 'center.db', '--key-file', 'center.key'], { INIT_CWD: dir })
    expect(run.code).toBe(EXIT.OK)
    expect(readdirSync(dir).sort()).toEqual(['center.db', 'center.key'])
    expect((await admin(['verify', '--db', 'center.db', '--key-file', 'center.key'], { INIT_CWD: dir })).code).toBe(EXIT.OK)
  })

  it('refuses when the database exists, changing nothing and writing no key', async () => {
    const dir = tempDir()
    const db = join(dir, 'center.db')
    writeFileSync(db, 'an older database')
    const before = sha256File(db)
    const run = await admin(['init', '--db', db, '--key-file', join(dir, 'center.key')])
    expect(run.code).toBe(EXIT.DB_EXISTS)
    expect(run.stderr).toMatch(/already exists/)
    expect(sha256File(db)).toBe(before)
    expect(readdirSync(dir)).toEqual(['center.db'])
  })

  it('refuses when the key file exists, changing nothing and creating no database', async () => {
    const dir = tempDir()
    const keyFile = join(dir, 'center.key')
    writeFileSync(keyFile, `${keyToHex(generateKey())}\n`, { mode: 0o600 })
    const before = sha256File(keyFile)
    const run = await admin(['init', '--db', join(dir, 'center.db'), '--key-file', keyFile])
    expect(run.code).toBe(EXIT.DB_EXISTS)
    expect(run.stderr).toContain(keyFile)
    expect(sha256File(keyFile)).toBe(before)
    expect(readdirSync(dir)).toEqual(['center.key'])
  })

  it('refuses a missing option, a missing folder, or the same path twice, creating nothing', async () => {
    const dir = tempDir()
    const db = join(dir, 'center.db')
    for (const argv of [
      ['init', '--db', db],
      ['init', '--key-file', join(dir, 'k')],
      ['init', '--db', '', '--key-file', join(dir, 'k')],
      ['init', '--db', db, '--key-file', db],
      ['init', '--db', db, '--key-file', join(dir, 'no-such-folder', 'k')],
    ]) {
      const run = await admin(argv)
      expect(run.code, argv.join(' ')).toBe(EXIT.USAGE)
      expect(run.stderr).not.toBe('')
    }
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('verify', () => {
  it('passes a good database and leaves it byte-identical', async () => {
    const { db, keyFile } = await initialized()
    const before = sha256File(db)
    const run = await admin(['verify', '--db', db, '--key-file', keyFile])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(EXIT.OK)
    expect(run.stdout).toMatch(/Integrity check: ok/)
    expect(run.stdout).toMatch(/Audit log: 6 rows, hash chain intact/)
    expect(sha256File(db)).toBe(before)
  })

  it('never writes to the main file, even when a WAL is waiting to be checkpointed', async () => {
    const { db, keyFile } = await initialized()
    // Copy the files while a connection has committed rows only in the WAL, as a crash would leave them.
    const live = await openDatabase(db, new FileKeyStore(keyFile).load())
    await createParticipant(context(live), { firstName: 'Walonly' })
    const copy = join(tempDir(), 'copy.db')
    copyFileSync(db, copy)
    copyFileSync(`${db}-wal`, `${copy}-wal`)
    await live.close()

    const before = sha256File(copy)
    expect((await admin(['verify', '--db', copy, '--key-file', keyFile])).code).toBe(EXIT.OK)
    const stats = await admin(['stats', '--db', copy, '--key-file', keyFile])
    expect(JSON.parse(stats.stdout)).toMatchObject({ participants: 4 })
    expect(sha256File(copy)).toBe(before)
  })

  it('says the key is wrong, exits 7, and leaves the file byte-identical', async () => {
    const { dir, db } = await initialized()
    const otherKey = join(dir, 'other.key')
    writeFileSync(otherKey, `${keyToHex(generateKey())}\n`)
    const before = sha256File(db)
    const run = await admin(['verify', '--db', db, '--key-file', otherKey])
    expect(run.code).toBe(EXIT.DB_WRONG_KEY)
    expect(run.stderr).toMatch(/The key does not open/)
    expect(run.stdout).toBe('')
    expect(sha256File(db)).toBe(before)
  })

  it('reports a file with one byte flipped in its middle as damaged, leaving it as it was', async () => {
    const { db, keyFile } = await initialized()
    const bytes = readFileSync(db)
    const middle = Math.floor(bytes.length / 2) + 11
    bytes[middle] = bytes[middle]! ^ 0x01
    writeFileSync(db, bytes)
    const before = sha256File(db)
    const run = await admin(['verify', '--db', db, '--key-file', keyFile])
    expect(run.code).toBe(EXIT.DB_DAMAGED)
    expect(run.stderr).toMatch(/damaged/)
    expect(sha256File(db)).toBe(before)
  })

  it('names the first audit row that was altered', async () => {
    const { db, keyFile } = await initialized()
    await edit(db, keyFile, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = NULL WHERE id = 4`)
    const run = await admin(['verify', '--db', db, '--key-file', keyFile])
    expect(run.code).toBe(EXIT.AUDIT_BROKEN)
    expect(run.stderr).toMatch(/breaks at row 4\b/)
  })

  // Each column of one row in turn, each in its own copy: whatever was changed, verify names row 4.
  it.each([
    ['id', 'id = 1000'],
    ['at', `at = '2020-01-01T00:00:00.000Z'`],
    ['staff_id', 'staff_id = 77'],
    ['action', `action = 'participant.create'`],
    ['target_type', `target_type = coalesce(target_type, '') || 'x'`],
    ['target_id', 'target_id = coalesce(target_id, 0) + 1'],
    ['detail', `detail = '{"forged":true}'`],
    ['prev_hash', `prev_hash = '${'0'.repeat(64)}'`],
    ['hash', `hash = '${'f'.repeat(64)}'`],
  ])('tampering with the %s of one audit row is reported at that row', async (column, change) => {
    const { db, keyFile } = await initialized()
    const before = await admin(['verify', '--db', db, '--key-file', keyFile])
    expect(before.code).toBe(EXIT.OK)
    // A real staff member for staff_id to point at, so only the audit check can object.
    await edit(
      db,
      keyFile,
      `INSERT INTO staff (id, username, display_name, role, password_hash, created_at, updated_at)
         VALUES (77, 'eve', 'Eve', 'admin', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
       DROP TRIGGER audit_log_no_update;
       UPDATE audit_log SET ${change} WHERE id = 4`,
    )
    const run = await admin(['verify', '--db', db, '--key-file', keyFile])
    expect(run.code, `${column}: ${run.stdout} ${run.stderr}`).toBe(EXIT.AUDIT_BROKEN)
    expect(run.stderr).toMatch(/breaks at row 4\b/)
  })

  it('reports rows that point at records that do not exist', async () => {
    const { db, keyFile } = await initialized()
    await edit(
      db,
      keyFile,
      `PRAGMA foreign_keys = OFF;
       INSERT INTO visits (participant_id, visit_date, signed_in_at, created_at, updated_at)
       VALUES (4242, '2026-11-25', '2026-11-25T15:00:00Z', '2026-11-25T15:00:00Z', '2026-11-25T15:00:00Z')`,
    )
    const run = await admin(['verify', '--db', db, '--key-file', keyFile])
    expect(run.code).toBe(EXIT.DB_DAMAGED)
    expect(run.stderr).toMatch(/Foreign key check: 1 row/)
  })

  it('takes the key from PORCHLIGHT_DB_KEY, in either written form', async () => {
    const { db, keyFile } = await initialized()
    const key = new FileKeyStore(keyFile).load()
    expect((await admin(['verify', '--db', db], { PORCHLIGHT_DB_KEY: keyToHex(key) })).code).toBe(EXIT.OK)
    expect((await admin(['verify', '--db', db], { PORCHLIGHT_DB_KEY: formatRecoveryKey(key) })).code).toBe(EXIT.OK)
    const wrong = await admin(['verify', '--db', db], { PORCHLIGHT_DB_KEY: keyToHex(generateKey()) })
    expect(wrong.code).toBe(EXIT.DB_WRONG_KEY)
    // --key-file, when given, is the one used.
    expect((await admin(['verify', '--db', db, '--key-file', keyFile], { PORCHLIGHT_DB_KEY: keyToHex(generateKey()) })).code).toBe(EXIT.OK)
  })

  it('gives each kind of unusable file or key its own exit code', async () => {
    const { dir, db, keyFile } = await initialized()
    const plain = join(dir, 'plain.db')
    writeFileSync(plain, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4080)]))
    const empty = join(dir, 'empty.db')
    writeFileSync(empty, '')
    const badKey = join(dir, 'bad.key')
    writeFileSync(badKey, 'not a key\n')

    const cases: Array<[string[], number]> = [
      [['verify', '--db', join(dir, 'missing.db'), '--key-file', keyFile], EXIT.DB_MISSING],
      [['verify', '--db', empty, '--key-file', keyFile], EXIT.DB_EMPTY],
      [['verify', '--db', plain, '--key-file', keyFile], EXIT.DB_NOT_ENCRYPTED],
      [['verify', '--db', keyFile, '--key-file', keyFile], EXIT.DB_NOT_DATABASE],
      [['verify', '--db', db, '--key-file', badKey], EXIT.KEY_INVALID],
      [['verify', '--db', db, '--key-file', join(dir, 'missing.key')], EXIT.KEY_INVALID],
      [['verify', '--db', db], EXIT.USAGE],
      [['verify', '--key-file', keyFile], EXIT.USAGE],
    ]
    for (const [argv, expected] of cases) {
      const run = await admin(argv)
      expect(run.code, argv.join(' ')).toBe(expected)
      expect(run.stderr, argv.join(' ')).not.toBe('')
    }
    expect(existsSync(join(dir, 'missing.db'))).toBe(false)
  })

  it('refuses a database from a newer Porchlight with exit 9', async () => {
    const { db, keyFile } = await initialized()
    await edit(db, keyFile, `INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_future', '2030-01-01T00:00:00Z')`)
    const run = await admin(['verify', '--db', db, '--key-file', keyFile])
    expect(run.code).toBe(EXIT.DB_TOO_NEW)
    expect(run.stderr).toMatch(/newer version/)
  })
})

describe('stats', () => {
  it('prints the row count of every table as JSON', async () => {
    const { db, keyFile } = await initialized()
    const run = await admin(['stats', '--db', db, '--key-file', keyFile])
    expect(run.code).toBe(EXIT.OK)
    const counts = JSON.parse(run.stdout) as Record<string, number>
    expect(counts).toMatchObject({ participants: 3, visits: 3, visit_services: 0, audit_log: 6, staff: 0, services: 9, settings: 0, kysely_migration: migrationList.length })
    expect(Object.keys(counts).sort()).toEqual(Object.keys(counts))
    for (const value of Object.values(counts)) expect(Number.isInteger(value)).toBe(true)
  })
})

describe('usage', () => {
  it('--help prints the usage, and it documents every exit code', async () => {
    const run = await admin(['--help'])
    expect(run.code).toBe(EXIT.OK)
    expect(run.stdout).toBe(USAGE)
    for (const [name, code] of Object.entries(EXIT)) {
      if (code >= 3) expect(USAGE).toMatch(new RegExp(`^\\s*${code}\\s+${name}\\b`, 'm'))
    }
    expect((await admin(['verify', '--help'])).code).toBe(EXIT.OK)
  })

  it('no command shows the usage as an error; unknown commands and options exit 2', async () => {
    const none = await admin([])
    expect(none.code).toBe(EXIT.USAGE)
    expect(none.stderr).toContain('Usage:')
    for (const argv of [['frobnicate'], ['verify', '--db', 'x', '--force'], ['stats', 'extra'], ['init', '--db']]) {
      const run = await admin(argv)
      expect(run.code, argv.join(' ')).toBe(EXIT.USAGE)
      expect(run.stderr).toMatch(/--help/)
    }
  })
})

describe('as a real program', () => {
  // Four runs of the real admin program (tsx start-up each): 30 s was too tight on a busy two-core PC.
  it('verifies with PORCHLIGHT_DB_KEY, exits 7 with a message on a wrong key, and prints stats', async () => {
    const { db, keyFile } = await initialized()
    const key = readFileSync(keyFile, 'utf8').trim()
    const before = sha256File(db)

    const good = adminProcess(['verify', '--db', db], { PORCHLIGHT_DB_KEY: key })
    expect(good.stderr).toBe('')
    expect(good.code).toBe(0)
    expect(good.stdout).toMatch(/All checks passed/)

    const wrong = adminProcess(['verify', '--db', db], { PORCHLIGHT_DB_KEY: keyToHex(generateKey()) })
    expect(wrong.code).toBe(7)
    expect(wrong.stderr).toMatch(/The key does not open/)

    const stats = adminProcess(['stats', '--db', db, '--key-file', keyFile])
    expect(stats.code).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject({ participants: 3 })

    expect(adminProcess(['nonsense']).code).toBe(2)
    expect(sha256File(db)).toBe(before)
  }, 120_000)
})

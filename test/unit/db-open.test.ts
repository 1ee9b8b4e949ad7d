import { randomBytes } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import SqliteDatabase from 'better-sqlite3-multiple-ciphers'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hmacKeyFor, LOCK_BYTE_PAGE, PAGE_SIZE, readEncryptedHeader, scanPages } from '../../db/cipher'
import type { DbError, DbErrorCode } from '../../db/errors'
import { generateKey, type DbKey } from '../../db/keys'
import { checkMigrationOrder, migrationList } from '../../db/migrations'
import { createDatabase, openDatabase, preflight, rekeyDatabase, WAL_BACKSTOP_PAGES, type OpenDatabase, type Sqlite, useMigratedTemplate } from '../../db/open'
import type { AuditLogTable } from '../../db/schema'
import { auditHash, verifyAuditChain, type AuditVerification } from '../../db/services/audit'
import { createParticipant, searchParticipants } from '../../db/services/participants'
import { context, dbErrorCode, sha256File, tableCounts, useTempDirs } from './helpers'
import { TEST_START } from '../clock'

// This file proves creation, migrations or what a crash leaves: its databases are made for real,
// not copied from the run's migrated template (test/unit/setup.ts).
useMigratedTemplate(null)

const tempDir = useTempDirs()
type AuditLogRow = Omit<AuditLogTable, 'id'> & { id: number }
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

async function freshDatabase(): Promise<{ dir: string; file: string; key: DbKey; opened: OpenDatabase }> {
  const dir = tempDir()
  const file = join(dir, 'porchlight.db')
  const key = generateKey()
  return { dir, file, key, opened: await createDatabase(file, key) }
}

describe('create and reopen', () => {
  it('creates an encrypted database that reopens with its key and keeps its data', async () => {
    const { file, key, opened } = await freshDatabase()
    const person = await createParticipant(context(opened), { firstName: 'Rosalind', lastName: 'Okafor' })
    await opened.close()

    const again = await openDatabase(file, key)
    const found = await searchParticipants(context(again), 'rosalind')
    expect(found.map((p) => p.id)).toEqual([person.id])
    expect(statSync(file).mode & 0o777).toBe(0o600)
    await again.close()
  })

  it('sets WAL, synchronous=FULL and foreign keys, on create and on every read-write open', async () => {
    const expectPragmas = (db: OpenDatabase) => {
      expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2)
      expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    }
    const { file, key, opened } = await freshDatabase()
    expectPragmas(opened)
    await opened.close()
    const again = await openDatabase(file, key)
    expectPragmas(again)
    await again.close()
  })

  it("the tests' migrated template: a copy holds a real creation's schema and rows, under its own key and a new salt", async () => {
    const made = await freshDatabase()
    await made.opened.close()
    const contents = async (file: string, key: DbKey) => {
      const opened = await openDatabase(file, key, { check: 'full', readonly: true })
      const schema = opened.sqlite.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all()
      const counts = tableCounts(opened)
      const services = opened.sqlite.prepare('SELECT key, name_en, name_es FROM services ORDER BY id').all()
      const migrations = opened.sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all()
      await opened.close()
      return { schema, counts, services, migrations }
    }
    useMigratedTemplate({ file: made.file, key: made.key })
    try {
      const file = join(tempDir(), 'porchlight.db')
      const key = generateKey()
      await (await createDatabase(file, key)).close()
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(readFileSync(file).subarray(0, 16)).not.toEqual(readFileSync(made.file).subarray(0, 16))
      expect(await dbErrorCode(openDatabase(file, made.key))).toBe('DB_WRONG_KEY')
      const copied = await contents(file, key)
      const real = await contents(made.file, made.key)
      expect(copied.migrations).toEqual(migrationList.map(([name]) => name))
      expect(copied.schema).toEqual(real.schema)
      expect(copied.services).toEqual(real.services)
      expect(copied.counts).toEqual(real.counts)
      const again = await openDatabase(file, key)
      const person = await createParticipant(context(again), { firstName: 'Ines', lastName: 'Duarte' })
      expect((await searchParticipants(context(again), 'ines')).map((found) => found.id)).toEqual([person.id])
      await again.close()
    } finally {
      useMigratedTemplate(null)
    }
  })

  it('refuses to create over an existing file, leaving it as it was', async () => {
    const { file, key, opened } = await freshDatabase()
    await opened.close()
    const before = sha256File(file)
    expect(await dbErrorCode(createDatabase(file, key))).toBe('DB_EXISTS')
    expect(sha256File(file)).toBe(before)
  })

  it('opens read-only a WAL database that has no -shm or -wal beside it, without changing it', async () => {
    const { dir, file, key, opened } = await freshDatabase()
    await createParticipant(context(opened), { nickname: 'Birdie' })
    await opened.close()
    expect(readdirSync(dir)).toEqual(['porchlight.db'])
    const before = sha256File(file)

    const reader = await openDatabase(file, key, { check: 'full', readonly: true })
    expect(reader.sqlite.readonly).toBe(true)
    expect(tableCounts(reader).participants).toBe(1)
    expect(() => reader.sqlite.prepare(`DELETE FROM settings`).run()).toThrow(/readonly/i)
    await reader.close()
    expect(sha256File(file)).toBe(before)
  })
})

describe('the WAL is checkpointed after the answer, not inside a write', () => {
  /** Eight committed transactions, each adding some 20 pages to the WAL. */
  async function eightWrites(opened: OpenDatabase, from: number): Promise<void> {
    for (let i = from; i < from + 8; i++) {
      await opened.db.transaction().execute((trx) => sql`INSERT INTO scratch (n, filler) VALUES (${i}, ${randomBytes(80_000)})`.execute(trx))
    }
  }

  it('a tight run of writes leaves the main file alone; once the thread is idle the WAL is folded in, every row kept', async () => {
    const { file, key, opened } = await freshDatabase()
    await opened.db.transaction().execute((trx) => sql`CREATE TABLE scratch (n INTEGER PRIMARY KEY, filler BLOB)`.execute(trx))
    // Whatever the creation left in the WAL, folded in now, so the main file's size is the measure.
    opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    const before = statSync(file).size
    await eightWrites(opened, 0)
    // No write paid for a checkpoint: the 160-odd pages are in the WAL alone (SQLite's own would run at 1,000; the backstop is 4,000).
    expect(statSync(file).size).toBe(before)
    expect(opened.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_BACKSTOP_PAGES)
    await new Promise((resolve) => setImmediate(resolve))
    expect(statSync(file).size).toBeGreaterThan(before + 8 * 80_000)
    await opened.close()
    const again = await openDatabase(file, key)
    expect((await sql<{ n: number }>`SELECT count(*) AS n FROM scratch`.execute(again.db)).rows[0]!.n).toBe(8)
    await again.close()
  })

  it('waits while a transaction is open across an await, and checkpoints at a later commit', async () => {
    const { file, opened } = await freshDatabase()
    await opened.db.transaction().execute((trx) => sql`CREATE TABLE scratch (n INTEGER PRIMARY KEY, filler BLOB)`.execute(trx))
    opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    const before = statSync(file).size
    await eightWrites(opened, 0)
    await opened.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO scratch (n) VALUES (100)`.execute(trx)
      // The queued checkpoint comes round while this transaction is open: it must not run inside it.
      await new Promise((resolve) => setImmediate(resolve))
      expect(statSync(file).size).toBe(before)
    })
    await eightWrites(opened, 8)
    await new Promise((resolve) => setImmediate(resolve))
    expect(statSync(file).size).toBeGreaterThan(before + 16 * 80_000)
    await opened.close()
  })
})

describe('waiting for the write lock another connection holds (a records import on the worker thread)', () => {
  it('waits without holding the thread: the other writer finishes meanwhile, then the transaction runs', async () => {
    const { file, key, opened } = await freshDatabase()
    const other = await openDatabase(file, key)
    try {
      other.sqlite.exec('begin immediate')
      opened.sqlite.pragma('busy_timeout = 2000')
      // SQLite's own wait sleeps inside BEGIN: this timer could not fire, and BEGIN would fail when the 2 s ran out.
      const released = sleep(30).then(() => other.sqlite.exec('commit'))
      const value = await opened.db.transaction().execute(async (trx) => (await sql<{ n: number }>`SELECT 1 AS n`.execute(trx)).rows[0]!.n)
      await released
      expect(value).toBe(1)
      expect(opened.sqlite.pragma('busy_timeout', { simple: true })).toBe(2000)
    } finally {
      await other.close()
      await opened.close()
    }
  })

  it('gives up after the connection\'s busy timeout with SQLite\'s "database is locked", timers running meanwhile', async () => {
    const { file, key, opened } = await freshDatabase()
    const other = await openDatabase(file, key)
    let ticks = 0
    const ticking = setInterval(() => ticks++, 5)
    try {
      other.sqlite.exec('begin immediate')
      opened.sqlite.pragma('busy_timeout = 150')
      await expect(opened.db.transaction().execute((trx) => sql`SELECT 1`.execute(trx))).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
      expect(ticks).toBeGreaterThan(2)
      expect(opened.sqlite.inTransaction).toBe(false)
      expect(opened.sqlite.pragma('busy_timeout', { simple: true })).toBe(150)
      other.sqlite.exec('rollback')
    } finally {
      clearInterval(ticking)
      await other.close()
      await opened.close()
    }
  })
})

describe('a copy taken while the app was running (hot WAL)', () => {
  // The state a crash or a live copy leaves: committed rows only in FILE-wal. A read-only open must
  // read them without checkpointing them into the main file; a read-write open would.
  async function hotCopy(alsoInWal?: (live: OpenDatabase) => void): Promise<{ file: string; key: DbKey }> {
    const { file, key, opened } = await freshDatabase()
    await createParticipant(context(opened), { firstName: 'Checkpointed' })
    await opened.close()
    const live = await openDatabase(file, key)
    await createParticipant(context(live), { firstName: 'Onlyinwal' })
    alsoInWal?.(live)
    const copy = join(tempDir(), 'copy.db')
    copyFileSync(file, copy)
    copyFileSync(`${file}-wal`, `${copy}-wal`)
    await live.close()
    return { file: copy, key }
  }

  it('read-only: sees the rows in the WAL, and the main file stays byte-identical', async () => {
    const { file, key } = await hotCopy()
    const before = sha256File(file)
    const reader = await openDatabase(file, key, { readonly: true, check: 'full' })
    expect(tableCounts(reader).participants).toBe(2)
    await reader.close()
    expect(sha256File(file)).toBe(before)
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0)
  })

  it.each([
    ['a damaged file', 'DB_DAMAGED'],
    ['a file from a newer version', 'DB_TOO_NEW'],
  ] as const)('read-write open of %s refuses it without checkpointing the WAL into it', async (kind, expected) => {
    // The newer version's migration record is one of the rows waiting in the WAL.
    const { file, key } = await hotCopy(kind === 'a damaged file' ? undefined : (live) => {
      live.sqlite.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('9999_future', TEST_START)
    })
    if (kind === 'a damaged file') {
      // The last page the WAL does not replace, so the damage stays visible. (WAL frame headers
      // are plain: 32-byte file header, then per frame a 24-byte header starting with the page number.)
      const wal = readFileSync(`${file}-wal`)
      const inWal = new Set<number>()
      for (let at = 32; at + 24 <= wal.length; at += 24 + PAGE_SIZE) inWal.add(wal.readUInt32BE(at))
      const bytes = readFileSync(file)
      let page = bytes.length / PAGE_SIZE
      while (inWal.has(page)) page--
      expect(page).toBeGreaterThan(1)
      const at = (page - 1) * PAGE_SIZE + 100
      bytes[at] = bytes[at]! ^ 0x01
      writeFileSync(file, bytes)
    }
    const before = sha256File(file)
    const walBefore = sha256File(`${file}-wal`)
    expect(await dbErrorCode(openDatabase(file, key))).toBe(expected)
    expect(sha256File(file)).toBe(before)
    expect(sha256File(`${file}-wal`)).toBe(walBefore)
  })

  it('read-write (for contrast): checkpoints the WAL into the main file on close', async () => {
    const { file, key } = await hotCopy()
    const before = sha256File(file)
    const writer = await openDatabase(file, key)
    expect(tableCounts(writer).participants).toBe(2)
    await writer.close()
    expect(sha256File(file)).not.toBe(before)
  })
})

describe('files that cannot be opened', () => {
  // One seeded database of a few dozen pages, copied and broken in a different way for each case.
  let sourceDir: string
  let source: string
  let key: DbKey
  let pages: number

  beforeAll(async () => {
    sourceDir = mkdtempSync(join(tmpdir(), 'porchlight-'))
    source = join(sourceDir, 'source.db')
    key = generateKey()
    const opened = await createDatabase(source, key)
    const ctx = context(opened)
    for (let i = 0; i < 120; i++) await createParticipant(ctx, { firstName: `Person${i}`, lastName: 'Lastname'.repeat(6), phone: `555-01${i}` })
    await opened.close()
    // The checks below assume every page is in the main file, with no WAL left to replay.
    expect(existsSync(`${source}-wal`)).toBe(false)
    pages = statSync(source).size / PAGE_SIZE
    expect(Number.isInteger(pages) && pages >= 10).toBe(true)
  })

  afterAll(() => rmSync(sourceDir, { recursive: true, force: true }))

  const flipByte = (at: (size: number) => number) => (file: string) => {
    const bytes = readFileSync(file)
    const offset = at(bytes.length)
    bytes[offset] = bytes[offset]! ^ 0x20
    writeFileSync(file, bytes)
  }

  // byBytes: preflight (with its page scan) must catch it from the bytes alone, before SQLite sees the file.
  const cases: Array<{ name: string; expected: DbErrorCode; byBytes?: boolean; wrongKey?: boolean; make: (file: string) => void | Promise<void> }> = [
    { name: 'a zero-length file', expected: 'DB_EMPTY', byBytes: true, make: (file) => writeFileSync(file, '') },
    {
      name: 'a plain (unencrypted) SQLite file',
      expected: 'DB_NOT_ENCRYPTED', byBytes: true,
      make: (file) => {
        const plain = new SqliteDatabase(file)
        plain.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)')
        plain.close()
      },
    },
    { name: 'random bytes, not a whole number of pages', expected: 'DB_NOT_DATABASE', byBytes: true, make: (file) => writeFileSync(file, randomBytes(3 * PAGE_SIZE + 123)) },
    { name: 'random bytes shorter than a page', expected: 'DB_NOT_DATABASE', byBytes: true, make: (file) => writeFileSync(file, randomBytes(100)) },
    { name: 'the right file with the wrong key', expected: 'DB_WRONG_KEY', byBytes: true, wrongKey: true, make: (file) => copyFileSync(source, file) },
    {
      name: 'a file truncated mid-page',
      expected: 'DB_DAMAGED', byBytes: true,
      make: (file) => {
        copyFileSync(source, file)
        truncateSync(file, statSync(file).size - 1000)
      },
    },
    {
      // Every remaining page passes its MAC here: the page count in the encrypted header tells.
      name: 'a file truncated at a page boundary (last page missing)',
      expected: 'DB_DAMAGED', byBytes: true,
      make: (file) => {
        copyFileSync(source, file)
        truncateSync(file, statSync(file).size - PAGE_SIZE)
      },
    },
    {
      name: 'a file with half its pages cut off',
      expected: 'DB_DAMAGED', byBytes: true,
      make: (file) => {
        copyFileSync(source, file)
        truncateSync(file, Math.floor(pages / 2) * PAGE_SIZE)
      },
    },
    {
      name: 'one byte flipped in the middle',
      expected: 'DB_DAMAGED', byBytes: true,
      make: (file) => {
        copyFileSync(source, file)
        flipByte((size) => Math.floor(size / 2) + 7)(file)
      },
    },
    {
      // Past the 16-byte plaintext salt: a flipped salt byte is indistinguishable from a wrong key.
      name: 'one byte flipped in page 1',
      expected: 'DB_DAMAGED', byBytes: true,
      make: (file) => {
        copyFileSync(source, file)
        flipByte(() => 1000)(file)
      },
    },
    {
      name: 'a database from a newer version of Porchlight',
      expected: 'DB_TOO_NEW',
      make: async (file) => {
        copyFileSync(source, file)
        const opened = await openDatabase(file, key)
        opened.sqlite.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('9999_future', TEST_START)
        await opened.close()
      },
    },
  ]

  // 'pages' is what the app does at every start; 'full' is admin verify and every backup.
  for (const [readonly, check] of [[false, 'full'], [true, 'full'], [false, 'pages'], [true, 'pages']] as const) {
    describe(`${readonly ? 'read-only' : 'read-write'}, check '${check}'`, () => {
      it.each(cases)('$name → $expected, file byte-identical', async ({ expected, wrongKey, make }) => {
        const dir = tempDir()
        const file = join(dir, 'broken.db')
        await make(file)
        const before = sha256File(file)
        const listing = readdirSync(dir)

        const code = await dbErrorCode(openDatabase(file, wrongKey ? generateKey() : key, { readonly, check }))

        expect(code).toBe(expected)
        expect(sha256File(file)).toBe(before)
        // SQLite may leave an empty -wal and a -shm beside the file, but nothing with content.
        const added = readdirSync(dir).filter((name) => !listing.includes(name))
        for (const name of added) expect(['broken.db-wal', 'broken.db-shm']).toContain(name)
        if (added.includes('broken.db-wal')) expect(statSync(join(dir, 'broken.db-wal')).size).toBe(0)
      })

      it('a missing file → DB_MISSING, and nothing is created', async () => {
        const dir = tempDir()
        const file = join(dir, 'nothing-here.db')
        expect(await dbErrorCode(openDatabase(file, key, { readonly }))).toBe('DB_MISSING')
        expect(readdirSync(dir)).toEqual([])
      })
    })
  }

  it.each(cases.filter((c) => c.byBytes))('preflight alone: $name → $expected', async ({ expected, wrongKey, make }) => {
    const file = join(tempDir(), 'broken.db')
    await make(file)
    let code: string | undefined
    try {
      preflight(file, wrongKey ? generateKey() : key, { scan: true })
    } catch (error) {
      code = (error as DbError).code
    }
    expect(code).toBe(expected)
  })

  it('preflight passes the intact file, and reads its page count from the encrypted header', () => {
    expect(() => preflight(source, key, { scan: true })).not.toThrow()
    const first = readFileSync(source).subarray(0, PAGE_SIZE)
    expect(readEncryptedHeader(first, key)).toEqual({ pageSize: PAGE_SIZE, pageCount: pages })
    expect(readEncryptedHeader(first, generateKey())).toBeNull()
  })

  it('the page scan names the first damaged page, wherever it is', () => {
    for (const page of [2, Math.floor(pages / 2), pages]) {
      const file = join(tempDir(), 'broken.db')
      copyFileSync(source, file)
      flipByte(() => (page - 1) * PAGE_SIZE + 123)(file)
      let message = ''
      try {
        preflight(file, key, { scan: true })
      } catch (error) {
        message = (error as DbError).message
      }
      expect(message).toContain(`page ${page} of ${pages} fails its check`)
    }
  })

  it('the page scan passes over the lock-byte page at 1 GiB, which SQLite never writes', () => {
    expect(LOCK_BYTE_PAGE).toBe(262_145)
    // The same rule on a small file: the page standing in for the lock-byte page may hold anything.
    const file = join(tempDir(), 'big.db')
    copyFileSync(source, file)
    const bytes = readFileSync(file)
    bytes.fill(0, 2 * PAGE_SIZE, 3 * PAGE_SIZE)
    writeFileSync(file, bytes)
    const hmacKey = hmacKeyFor(key, bytes.subarray(0, 16))
    const fd = openSync(file, 'r')
    try {
      expect(scanPages(fd, bytes.length, hmacKey, 3)).toEqual({ pages, firstBad: null })
      expect(scanPages(fd, bytes.length, hmacKey)).toEqual({ pages, firstBad: 3 })
    } finally {
      closeSync(fd)
    }
  })

  it('a shorter file with a WAL beside it is left to SQLite: a checkpoint cut off by a crash looks the same', () => {
    const dir = tempDir()
    const file = join(dir, 'checkpointing.db')
    copyFileSync(source, file)
    truncateSync(file, statSync(file).size - PAGE_SIZE)
    writeFileSync(`${file}-wal`, randomBytes(64))
    expect(() => preflight(file, key)).not.toThrow()
  })

  it('the untouched source still opens (the cases above broke copies, not the key)', async () => {
    const opened = await openDatabase(source, key, { readonly: true })
    expect(tableCounts(opened).participants).toBe(120)
    await opened.close()
  })
})

describe('rekey', () => {
  it('re-encrypts under a new key: the old key then fails, the new one opens with the data intact', async () => {
    const { file, key, opened } = await freshDatabase()
    const person = await createParticipant(context(opened), { firstName: 'Marisol', lastName: 'Quintero' })
    const newKey = generateKey()
    rekeyDatabase(opened, newKey)
    await opened.close()

    const before = sha256File(file)
    expect(await dbErrorCode(openDatabase(file, key))).toBe('DB_WRONG_KEY')
    expect(sha256File(file)).toBe(before)

    const reopened = await openDatabase(file, newKey, { check: 'full' })
    const found = await searchParticipants(context(reopened), 'marisol quintero')
    expect(found.map((p) => p.id)).toEqual([person.id])
    expect((await verifyAuditChain(reopened.db)).firstBroken).toBeNull()
    await reopened.close()
  })
})

describe('encryption at rest', () => {
  it('has no SQLite header and no readable participant name, in the file or its WAL', async () => {
    const { file, opened } = await freshDatabase()
    const name = 'Zephyrinequist'
    await createParticipant(context(opened), { firstName: name, phone: '555-867-5309' })

    // While open, the new rows sit in the WAL: it must be ciphertext too.
    expect(existsSync(`${file}-wal`)).toBe(true)
    const wal = readFileSync(`${file}-wal`)
    expect(wal.length).toBeGreaterThan(0)
    expect(wal.includes(name)).toBe(false)
    expect(wal.includes(name.toLowerCase())).toBe(false)
    expect(wal.includes('8675309')).toBe(false)

    await opened.close()
    const bytes = readFileSync(file)
    expect(bytes.subarray(0, 16).equals(SQLITE_HEADER)).toBe(false)
    expect(bytes.includes(SQLITE_HEADER)).toBe(false)
    expect(bytes.includes(name)).toBe(false)
    expect(bytes.includes(name.toLowerCase())).toBe(false)
    expect(bytes.includes('8675309')).toBe(false)
    if (existsSync(`${file}-wal`)) expect(readFileSync(`${file}-wal`).includes(name)).toBe(false)
  })
})

describe('migrations', () => {
  it('records each migration, and a re-open runs none again', async () => {
    const { file, key, opened } = await freshDatabase()
    const recorded = opened.sqlite.prepare('SELECT name, timestamp FROM kysely_migration ORDER BY name').all() as Array<{ name: string; timestamp: string }>
    expect(recorded.map((row) => row.name)).toEqual(migrationList.map(([name]) => name))
    const servicesBefore = tableCounts(opened).services
    await opened.close()

    const again = await openDatabase(file, key)
    expect(again.sqlite.prepare('SELECT name, timestamp FROM kysely_migration ORDER BY name').all()).toEqual(recorded)
    // 0001 seeds the catalog; running it twice would fail on its CREATE TABLEs or double the rows.
    expect(tableCounts(again).services).toBe(servicesBefore)
    await again.close()
  })

  it('checkMigrationOrder accepts the real list and rejects a misnumbered one', () => {
    const up = async () => {}
    expect(() => checkMigrationOrder()).not.toThrow()
    expect(() => checkMigrationOrder([['0001_a', { up }], ['0002_b', { up }]])).not.toThrow()
    // Numbers are handed out to branches in advance: one may land before a lower one.
    expect(() => checkMigrationOrder([['0001_a', { up }], ['0003_c', { up }]])).not.toThrow()
    expect(() => checkMigrationOrder([['0001_a', { up }], ['0003_c', { up }], ['0002_b', { up }]])).toThrow(/0002_b.*above 0003/)
    expect(() => checkMigrationOrder([['0002_a', { up }]])).toThrow(/0001_/)
    expect(() => checkMigrationOrder([['0001_a', { up }], ['0001_b', { up }]])).toThrow(/0001_b.*above 0001/)
    expect(() => checkMigrationOrder([['0001_a', { up }], ['b', { up }]])).toThrow(/named b/)
  })

  it('schema snapshot: tables, indexes and triggers are exactly what shipped', async () => {
    const { opened } = await freshDatabase()
    // kysely's own bookkeeping tables are its business, not our schema.
    const schema = opened.sqlite
      .prepare(
        `SELECT type, name, tbl_name, sql FROM sqlite_master
         WHERE type IN ('table', 'index', 'trigger') AND sql IS NOT NULL AND name NOT LIKE 'kysely_%'
         ORDER BY type, name`,
      )
      .all()
    expect(schema).toMatchSnapshot()
    await opened.close()
  })
})

describe('audit log', () => {
  async function withAuditRows(): Promise<{ file: string; key: DbKey; opened: OpenDatabase }> {
    const made = await freshDatabase()
    const ctx = context(made.opened)
    for (const firstName of ['Ada', 'Bea', 'Cy', 'Dot']) await createParticipant(ctx, { firstName })
    expect(tableCounts(made.opened).audit_log).toBe(4)
    return made
  }

  it('rejects UPDATE and DELETE', async () => {
    const { opened } = await withAuditRows()
    expect(() => opened.sqlite.prepare(`UPDATE audit_log SET action = 'x' WHERE id = 2`).run()).toThrow(/append-only/)
    expect(() => opened.sqlite.prepare(`DELETE FROM audit_log WHERE id = 2`).run()).toThrow(/append-only/)
    expect(() => opened.sqlite.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/)
    expect(await verifyAuditChain(opened.db)).toEqual({ rows: 4, firstBroken: null })
    await opened.close()
  })

  // The tampering happens through a second connection with the triggers dropped, as someone
  // holding the key could do; verifyAuditChain must still name the row.
  async function tamper(edit: (attacker: Sqlite) => void): Promise<AuditVerification> {
    const { file, key, opened } = await withAuditRows()
    const attacker = await openDatabase(file, key, { check: 'none' })
    attacker.sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete')
    edit(attacker.sqlite)
    await attacker.close()
    const result = await verifyAuditChain(opened.db)
    await opened.close()
    return result
  }

  it('finds a row whose contents were edited', async () => {
    const result = await tamper((s) => s.exec(`UPDATE audit_log SET action = 'participant.view' WHERE id = 3`))
    expect(result.firstBroken).toBe(3)
    expect(result.reason).toMatch(/hash/)
  })

  it('finds a deleted row', async () => {
    const result = await tamper((s) => s.exec(`DELETE FROM audit_log WHERE id = 2`))
    expect(result.firstBroken).toBe(2)
    expect(result.reason).toMatch(/row 2 is missing/)
  })

  it('finds an edited row whose own hash was recomputed, at the next link', async () => {
    const result = await tamper((s) => {
      const row = s.prepare(`SELECT * FROM audit_log WHERE id = 2`).get() as AuditLogRow
      const forged = { ...row, detail: JSON.stringify({ note: 'forged' }) }
      s.prepare(`UPDATE audit_log SET detail = ?, hash = ? WHERE id = 2`).run(forged.detail, auditHash(forged))
    })
    expect(result.firstBroken).toBe(3)
    expect(result.reason).toMatch(/link/)
  })

  it('an untouched chain verifies', async () => {
    const { opened } = await withAuditRows()
    expect(await verifyAuditChain(opened.db)).toEqual({ rows: 4, firstBroken: null })
    await opened.close()
  })
})

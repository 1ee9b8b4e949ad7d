import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3-multiple-ciphers'
import { sql, SqliteAdapter, type Kysely } from 'kysely'
import { afterEach, expect } from 'vitest'
import { tableCounts as backupTableCounts } from '../../db/backup'
import { DbError, type DbErrorCode } from '../../db/errors'
import { keyToHex, type DbKey } from '../../db/keys'
import type { OpenDatabase } from '../../db/open'
import type { Database } from '../../db/schema'
import type { ServiceContext } from '../../db/services/context'
import type { Envelope, IpcError } from '../../electron/ipc/envelope'
import { english } from '../../shared/messages'
import { runningClock } from '../clock'

/**
 * Temp folders for real encrypted databases (`:memory:` cannot be keyed). Call once at the top
 * of a test file; every folder made during a test is removed after it.
 */
export function useTempDirs(): () => string {
  const made: string[] = []
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'porchlight-'))
    made.push(dir)
    return dir
  }
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/** Resolves to the DbError code a promise rejected with; fails the test if it did not reject with one. */
export async function dbErrorCode(promise: Promise<unknown>): Promise<DbErrorCode> {
  try {
    await promise
  } catch (error) {
    if (error instanceof DbError) return error.code
    throw error
  }
  throw new Error('expected a DbError, but it succeeded')
}

export function context(opened: Pick<OpenDatabase, 'db'>, overrides: Partial<Omit<ServiceContext, 'db'>> = {}): ServiceContext {
  // The zone is given, as the app gives the center's: left out, the services would use the machine's.
  return { db: opened.db, staffId: null, now: runningClock(), timeZone: 'UTC', ...overrides }
}

/** Row counts of every table: a cheap "nothing was written" fingerprint. */
export function tableCounts(opened: OpenDatabase): Record<string, number> {
  return backupTableCounts(opened.sqlite)
}

/** tableCounts on either backend: every table's rows, read through kysely (PostgreSQL's search table included, SQLite's FTS tables not). */
export async function rowCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  // SQLite's FTS5 search index cannot list its rows (0065); PostgreSQL's search table is a plain one.
  const fts = db.getExecutor().adapter instanceof SqliteAdapter
  const tables = (await db.introspection.getTables())
    .map((table) => table.name)
    .filter((name) => !name.startsWith('participant_search_') && !(fts && name === 'participant_search'))
  const counts: Record<string, number> = {}
  for (const name of tables.sort()) {
    const row = await db.selectFrom(sql.table(name).as('t')).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
    counts[name] = Number(row.n)
  }
  return counts
}

/** The refusal in an envelope, failing the test unless it carries `code`. */
export function expectError(envelope: Envelope<unknown>, code: IpcError['code']): IpcError {
  if (envelope.ok) throw new Error(`expected ${code}, got ok: ${JSON.stringify(envelope.value)}`)
  expect(envelope.error.code).toBe(code)
  return envelope.error
}

/** A refusal's field messages worded in English, as the admin command line would say them. */
export function englishFields(error: IpcError): Record<string, string> {
  return Object.fromEntries(Object.entries(error.fields ?? {}).map(([field, ref]) => [field, english(ref)]))
}

/** The value in an envelope, failing the test if it is a refusal. */
export function expectOk<T = unknown>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`expected ok, got ${envelope.error.code}: ${envelope.error.message}`)
  return envelope.value as T
}

/**
 * Makes the visits_by_date index disagree with its table, as a torn write behind an index would:
 * its schema entry is pointed at other columns, so the entries stored in it no longer match the
 * rows. Every page stays intact, so the page check at start-up cannot see it.
 */
export function damageIndex(dbFile: string, key: DbKey): void {
  const sqlite = new SqliteDatabase(dbFile)
  sqlite.pragma(`cipher='sqlcipher'`)
  sqlite.pragma('legacy=4')
  sqlite.pragma(`key="x'${keyToHex(key)}'"`)
  // better-sqlite3 runs SQLite in defensive mode, which forbids schema edits; unsafe mode lifts it.
  sqlite.unsafeMode(true)
  sqlite.pragma('writable_schema = ON')
  sqlite.prepare(`UPDATE sqlite_schema SET sql = 'CREATE INDEX visits_by_date ON visits(participant_id, signed_in_at)' WHERE name = 'visits_by_date'`).run()
  sqlite.close()
}

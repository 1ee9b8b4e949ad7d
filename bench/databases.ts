import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3-multiple-ciphers'
import { Kysely, SqliteDialect } from 'kysely'
import { generateKey, keyToHex, type DbKey } from '../db/keys'
import { FileKeyStore } from '../db/keystore-file'
import { migrationList } from '../db/migrations'
import { createDatabase, type OpenDatabase, type Sqlite } from '../db/open'
import type { Database } from '../db/schema'
import { SEED_FORMAT, seedDatabase, type SeedResult } from '../db/seed'
import { completeSetup } from '../db/services/setup'

/**
 * The benchmark's databases, cached in a data folder and keyed by everything that decides their
 * content: an encrypted one built by the seed generator, and an unencrypted twin built the same
 * way with the same seed (the same rows, inserted in the same order, so the files grow the same
 * way). The twin is not a decrypted copy: `PRAGMA rekey = ''` also VACUUMs (it drops SQLCipher's
 * 80-byte reserve from every page), which would compact the plain file and flatter it.
 */
export interface DataSpec {
  participants: number
  days: number
  visitsPerWeekday: number
  seed: number
  /** The last day of data (UTC). Fixed, so the same spec gives the same database on any day. */
  endDate: string
  /** Recurring groups over the whole span (40: about 10,000 sessions and 200,000 attendance rows in five years). */
  groups: number
  /** Scales the groups' sizes (2: about 200,000 attendance rows from 40 groups over five years; 1: real rates, about half that). */
  groupSize: number
}

export interface BuiltData {
  file: string
  plainFile: string
  key: DbKey
  seeded: SeedResult
  /** Seconds it took to build, if this run built it (null when reused from the cache). */
  buildSeconds: number | null
  plainSeconds: number | null
  reused: boolean
}

export const BENCH_CENTER = 'Benchmark Center'
export const BENCH_ADMIN = { username: 'bench', password: 'benchmark-password', name: 'Bench Admin' }

type Progress = (done: number, total: number, phase: string) => void

/** Everything that decides the content: the spec, the generator's format and the schema. */
export function dataName(spec: DataSpec): string {
  const schema = createHash('sha256').update(migrationList.map(([name]) => name).join(',')).digest('hex').slice(0, 8)
  return `porchlight-${spec.participants}p-${spec.days}d-${spec.visitsPerWeekday}v-${spec.groups}g${spec.groupSize === 1 ? '' : `x${spec.groupSize}`}-s${spec.seed}-${spec.endDate}-f${SEED_FORMAT}-${schema}`
}

function applyKey(sqlite: Sqlite, key: DbKey): void {
  sqlite.pragma(`cipher='sqlcipher'`)
  sqlite.pragma('legacy=4')
  sqlite.pragma(`key="x'${keyToHex(key)}'"`)
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
}

/** A new, migrated database without encryption: created encrypted (the only way open.ts makes one), then decrypted while still empty. */
async function createPlain(file: string): Promise<OpenDatabase> {
  const key = generateKey()
  await (await createDatabase(file, key)).close()
  const sqlite = new SqliteDatabase(file)
  try {
    applyKey(sqlite, key)
    sqlite.pragma('journal_mode = DELETE')
    sqlite.pragma(`rekey = ''`)
  } finally {
    sqlite.close()
  }
  if (readFileSync(file).subarray(0, 16).toString('latin1') !== 'SQLite format 3\0') throw new Error('The plain database came out encrypted.')
  return openPlain(file)
}

async function build(opened: OpenDatabase, spec: DataSpec, progress: Progress, label: string): Promise<SeedResult> {
  try {
    await completeSetup(
      { db: opened.db, staffId: null, now: () => new Date(`${spec.endDate}T07:00:00Z`), timeZone: 'UTC' },
      { centerName: BENCH_CENTER, adminName: BENCH_ADMIN.name, username: BENCH_ADMIN.username, password: BENCH_ADMIN.password },
    )
    const seeded = await seedDatabase(opened, {
      participants: spec.participants,
      days: spec.days,
      visitsPerWeekday: spec.visitsPerWeekday,
      seed: spec.seed,
      groups: spec.groups,
      groupSize: spec.groupSize,
      endDate: new Date(`${spec.endDate}T12:00:00Z`),
      timeZone: 'UTC',
      onProgress: (done, total, phase) => progress(done, total, `${label}: ${phase}`),
    })
    opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    return seeded
  } finally {
    await opened.close()
  }
}

/** Builds the databases, or reuses them from `dir` when a previous run built the same spec. */
export async function ensureData(dir: string, spec: DataSpec, progress: Progress = () => {}): Promise<BuiltData> {
  mkdirSync(dir, { recursive: true })
  const name = dataName(spec)
  const file = join(dir, `${name}.db`)
  const plainFile = join(dir, `${name}.plain.db`)
  const keyFile = join(dir, `${name}.key`)
  const manifestFile = join(dir, `${name}.json`)
  let buildSeconds: number | null = null
  let plainSeconds: number | null = null
  let reused = true
  if (!existsSync(file) || !existsSync(keyFile) || !existsSync(manifestFile)) {
    reused = false
    const tmp = join(dir, `${name}.part.db`)
    removeDb(tmp)
    for (const old of [file, plainFile, keyFile, manifestFile]) removeDb(old)
    const key = generateKey()
    const started = performance.now()
    const seeded = await build(await createDatabase(tmp, key), spec, progress, 'build encrypted')
    buildSeconds = (performance.now() - started) / 1000
    new FileKeyStore(keyFile).save(key)
    renameSync(tmp, file)
    writeFileSync(manifestFile, `${JSON.stringify({ spec, seeded, buildSeconds: Math.round(buildSeconds) }, null, 2)}\n`)
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { seeded: SeedResult; buildSeconds: number }
  if (!existsSync(plainFile)) {
    reused = false
    const tmp = join(dir, `${name}.plain.part.db`)
    removeDb(tmp)
    const started = performance.now()
    const seeded = await build(await createPlain(tmp), spec, progress, 'build plain')
    plainSeconds = (performance.now() - started) / 1000
    if (JSON.stringify(seeded) !== JSON.stringify(manifest.seeded)) throw new Error('The plain database did not come out the same as the encrypted one.')
    renameSync(tmp, plainFile)
  }
  const key = new FileKeyStore(keyFile).load()
  return { file, plainFile, key, seeded: manifest.seeded, buildSeconds, plainSeconds, reused }
}

/** Opens the unencrypted twin the way openDatabase opens a Porchlight file, minus the key and checks. */
export function openPlain(file: string): OpenDatabase {
  const sqlite = new SqliteDatabase(file, { fileMustExist: true })
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { file, sqlite, db, close: () => db.destroy() }
}

/** A throwaway copy of a database (after a checkpoint, so the copy holds everything). */
export function copyDatabase(source: OpenDatabase, target: string): void {
  source.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  removeDb(target)
  copyFileSync(source.file, target)
}

export { removeDb }

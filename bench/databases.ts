import { createHash } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3-multiple-ciphers'
import type { KyselyConfig } from 'kysely'
import { generateKey, keyToHex, type DbKey } from '../db/keys'
import { FileKeyStore } from '../db/keystore-file'
import { migrationList } from '../db/migrations'
import { checkpointAfterAnswers, createDatabase, migrate, openDatabase, refuseNewerSchema, setPragmas, wrap, type OpenDatabase, type Sqlite } from '../db/open'
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
  /** Set when this run reached the current schema by migrating an earlier build forward. */
  migrated: Migrated | null
}

export const BENCH_CENTER = 'Benchmark Center'
export const BENCH_ADMIN = { username: 'bench', password: 'benchmark-password', name: 'Bench Admin' }

type Progress = (done: number, total: number, phase: string) => void

/** The migrations the schema is made of, in order: the current list by default. */
const currentMigrations = (): string[] => migrationList.map(([name]) => name)

/** Everything that decides the content: the spec, the generator's format and the schema (a hash of its migrations' names). */
export function dataName(spec: DataSpec, migrations: readonly string[] = currentMigrations()): string {
  const schema = createHash('sha256').update(migrations.join(',')).digest('hex').slice(0, 8)
  return `porchlight-${spec.participants}p-${spec.days}d-${spec.visitsPerWeekday}v-${spec.groups}g${spec.groupSize === 1 ? '' : `x${spec.groupSize}`}-s${spec.seed}-${spec.endDate}-f${SEED_FORMAT}-${schema}`
}

const filesOf = (dir: string, name: string) => ({
  file: join(dir, `${name}.db`),
  plainFile: join(dir, `${name}.plain.db`),
  keyFile: join(dir, `${name}.key`),
  manifestFile: join(dir, `${name}.json`),
})

const complete = (dir: string, name: string) => Object.values(filesOf(dir, name)).every((file) => existsSync(file))

/**
 * The newest complete build in `dir` of the same spec and generator whose migrations are a
 * prefix of `migrations` (the longest such prefix), or null. A schema that only grew since then
 * (new migrations at the end) can be reached from it by migrating forward, as a center's upgrade
 * does, instead of seeding a million visits again; a migration inserted before others, or a new
 * generator format, gives another name and no match.
 */
export function findEarlierBuild(dir: string, spec: DataSpec, migrations: readonly string[] = currentMigrations()): { name: string; migrations: string[] } | null {
  for (let length = migrations.length - 1; length > 0; length--) {
    const prefix = migrations.slice(0, length)
    const name = dataName(spec, prefix)
    if (complete(dir, name)) return { name, migrations: prefix }
  }
  return null
}

function applyKey(sqlite: Sqlite, key: DbKey): void {
  sqlite.pragma(`cipher='sqlcipher'`)
  sqlite.pragma('legacy=4')
  sqlite.pragma(`key="x'${keyToHex(key)}'"`)
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
}

/**
 * A throwaway copy's path in the data folder, named after this process: two bench runs sharing
 * the folder (two checkouts of the same machine) must not write into each other's copy. Copies
 * left by runs that died (their process is gone) are removed first: each is as big as the data.
 */
export function scratchFile(dataDir: string, name: string): string {
  for (const entry of existsSync(dataDir) ? readdirSync(dataDir) : []) {
    const owner = /\.scratch-(\d+)\.db$/.exec(entry)
    if (owner && !isRunning(Number(owner[1]))) removeDb(join(dataDir, entry))
  }
  return join(dataDir, `${name}.scratch-${process.pid}.db`)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs under another user, which still owns its copy.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
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

/** Copies a cached database (and a WAL, if one was left) to `target`, where it is written to. */
function copyDb(source: string, target: string): void {
  removeDb(target)
  copyFileSync(source, target)
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${target}-wal`)
}

interface Migrated {
  from: string
  /** Seconds to open the encrypted copy through the app's migration path (what a center's upgrade waits for). */
  seconds: number
  plainSeconds: number
}

/**
 * Brings an earlier build up to the current schema: copies of both files (the cached ones stay
 * as they are, another branch may still use them), opened the way the app opens a file after
 * an upgrade, and cached under the current name.
 */
async function migrateForward(dir: string, earlier: string, name: string, progress: Progress): Promise<Migrated> {
  const from = filesOf(dir, earlier)
  const to = filesOf(dir, name)
  const tmp = join(dir, `${name}.part.db`)
  const plainTmp = join(dir, `${name}.plain.part.db`)
  progress(0, 2, 'migrate encrypted forward')
  copyDb(from.file, tmp)
  const key = new FileKeyStore(from.keyFile).load()
  let started = performance.now()
  const opened = await openDatabase(tmp, key, { check: 'none' })
  const seconds = (performance.now() - started) / 1000
  opened.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  await opened.close()
  progress(1, 2, 'migrate plain forward')
  copyDb(from.plainFile, plainTmp)
  started = performance.now()
  const plain = openPlain(plainTmp)
  try {
    await migrate(plain.db, refuseNewerSchema(plain.sqlite, plainTmp))
    plain.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    await plain.close()
  }
  const plainSeconds = (performance.now() - started) / 1000
  progress(2, 2, 'migrate forward')
  new FileKeyStore(to.keyFile).save(key)
  const manifest = JSON.parse(readFileSync(from.manifestFile, 'utf8')) as Record<string, unknown>
  const migrated = { from: earlier, seconds: Math.round(seconds * 10) / 10, plainSeconds: Math.round(plainSeconds * 10) / 10 }
  renameSync(tmp, to.file)
  renameSync(plainTmp, to.plainFile)
  writeFileSync(to.manifestFile, `${JSON.stringify({ ...manifest, migrated }, null, 2)}\n`)
  return migrated
}

/**
 * Builds the databases, or reuses them from `dir` when a previous run built the same spec, or
 * migrates forward a build of the same spec whose schema lacked only the newest migrations.
 * `migrations` names the schema the build is filed under (the current one but for tests).
 */
export async function ensureData(dir: string, spec: DataSpec, progress: Progress = () => {}, migrations: readonly string[] = currentMigrations()): Promise<BuiltData> {
  mkdirSync(dir, { recursive: true })
  const name = dataName(spec, migrations)
  const { file, plainFile, keyFile, manifestFile } = filesOf(dir, name)
  let buildSeconds: number | null = null
  let plainSeconds: number | null = null
  let reused = true
  let migrated: Migrated | null = null
  const earlier = complete(dir, name) ? null : findEarlierBuild(dir, spec, migrations)
  if (earlier) {
    reused = false
    for (const old of [file, plainFile, keyFile, manifestFile]) removeDb(old)
    migrated = await migrateForward(dir, earlier.name, name, progress)
  }
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
  return { file, plainFile, key, seeded: manifest.seeded, buildSeconds, plainSeconds, reused, migrated }
}

/**
 * Opens an encrypted file already at today's schema as openPlain opens the twin (no checks, kysely
 * logging possible), for bench/mark-pages.ts to count the encrypted file's own pages.
 */
export function openKeyed(file: string, key: DbKey, log?: KyselyConfig['log']): OpenDatabase {
  const sqlite = new SqliteDatabase(file, { fileMustExist: true })
  applyKey(sqlite, key)
  setPragmas(sqlite)
  checkpointAfterAnswers(sqlite)
  return wrap(file, sqlite, log)
}

/** Opens the unencrypted twin the way openDatabase opens a Porchlight file, minus the key and checks. */
export function openPlain(file: string, log?: KyselyConfig['log']): OpenDatabase {
  const sqlite = new SqliteDatabase(file, { fileMustExist: true })
  setPragmas(sqlite)
  checkpointAfterAnswers(sqlite)
  // Driven as the app drives the encrypted file (its statements kept prepared), so that the two
  // differ by the cipher alone: a bare SqliteDialect compiled every INSERT's triggers again.
  return wrap(file, sqlite, log)
}

/**
 * A throwaway copy of a database (after a checkpoint, so the copy holds everything), on disk
 * before it is timed: otherwise the first checkpoint's fsync of the copy, in whichever write
 * happens to trigger it, also writes back the gigabyte or so the copy left in the page cache.
 */
export function copyDatabase(source: OpenDatabase, target: string): void {
  source.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  removeDb(target)
  copyFileSync(source.file, target)
  const fd = openSync(target, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

export { removeDb }

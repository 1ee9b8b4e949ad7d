import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { expect, it } from 'vitest'
import { EXIT } from '../../db/cli/admin'
import { FileKeyStore } from '../../db/keystore-file'
import { generateKey, type DbKey } from '../../db/keys'
import { migrationList } from '../../db/migrations'
import { postgresMigrationList } from '../../db/migrations/postgres'
import { movableTables, tableDigests, type Digests } from '../../db/move'
import { createDatabase, openDatabase, type OpenDatabase } from '../../db/open'
import { connectPostgres, openPostgres } from '../../db/postgres'
import type { Database } from '../../db/schema'
import { seedDatabase } from '../../db/seed'
import { saveGoal } from '../../db/services/coaching-plan'
import { mergeParticipants } from '../../db/services/merges'
import { createParticipant, searchParticipants } from '../../db/services/participants'
import { completeSetup } from '../../db/services/setup'
import { createStaff } from '../../db/services/staff-accounts'
import { createCenter, setCountingRule, setStaffCenters } from '../../db/services/centers'
import { withRequest } from '../../db/services/context'
import { confirmMatch, dismissMatch } from '../../db/services/person-matches'
import { createReferral } from '../../db/services/referrals'
import { saveCredential } from '../../db/services/workforce'
import { TEST_START, runningClock } from '../clock'
import { DEMO_STAFF } from '../host/demo'
import { admin } from './admin-helpers'
import { damageIndex, sha256File, useTempDirs } from './helpers'
import { describePostgres, tablesOf, usePostgresDatabases } from './pg-helpers'

/**
 * `admin migrate`: a center's encrypted file to an empty database on a PostgreSQL server and back
 * into a new file, every table checked by count and content hash, the audit chain and roll-ups
 * verified on all three; and every refusal leaves the target as it was.
 */

interface Center {
  file: string
  keyFile: string
  key: DbKey
}

/** A new, empty center file and its key file. */
async function newCenter(dir: string): Promise<Center & { opened: OpenDatabase }> {
  const key = generateKey()
  const keyFile = join(dir, 'center.key')
  new FileKeyStore(keyFile).save(key)
  const file = join(dir, 'center.db')
  return { file, keyFile, key, opened: await createDatabase(file, key) }
}

const SETUP = { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }

/** The demo center (seeded people, visits, groups, referrals, coaching, workforce, safety) plus what the seed leaves out: a merge, a plan change, a document, an imported list. */
async function demoCenter(dir: string): Promise<Center> {
  const { file, keyFile, key, opened } = await newCenter(dir)
  try {
    const now = runningClock()
    const first = await completeSetup({ db: opened.db, staffId: null, now }, SETUP)
    const ctx = { db: opened.db, staffId: first.id, now, timeZone: 'UTC' }
    for (const [username, displayName, role] of DEMO_STAFF) await createStaff(ctx, { username, displayName, role, password: 'a long enough password' })
    await seedDatabase(opened, { participants: 60, days: 30, seed: 5, until: new Date(TEST_START) })
    const live = await opened.db.selectFrom('participants').select('id').where('merged_into', 'is', null).orderBy('id').limit(2).execute()
    // The kept record is the newer one: a merged row refers to a row copied after it.
    await mergeParticipants(ctx, live[1]!.id, live[0]!.id)
    await saveGoal(ctx, { participantId: live[1]!.id, area: 'housing', title: 'A room of my own', setOn: '2026-11-02' })
    const peer = await opened.db.selectFrom('staff').select('id').where('username', '=', 'peer').executeTakeFirstOrThrow()
    const kind = await opened.db.selectFrom('workforce_credential_kinds').select('id').orderBy('id').executeTakeFirstOrThrow()
    await saveCredential(ctx, { staffId: peer.id, kindId: kind.id, issuer: 'County', issuedOn: '2026-06-01', expiresOn: '2027-06-01', document: { fileName: 'cert.pdf', base64: 'JVBERi0xLjQK' } })
    // A second center the peer specialist may also work in (staff_centers and a second centers row).
    const second = await createCenter(ctx, { name: 'Harbor House East' })
    await setStaffCenters(ctx, { staffId: peer.id, homeCenterId: 1, otherCenterIds: [second.id] })
    // A person matched across the two centers and a pair said to be two people (person_matches, person_match_dismissals).
    await setCountingRule(ctx, { matchPeople: true })
    const there = { ...ctx, centerId: second.id }
    const twin = await createParticipant(there, { firstName: 'Nia', lastName: 'Brooks' })
    const stranger = await createParticipant(there, { firstName: 'Nia', lastName: 'Banks' })
    await confirmMatch(ctx, { id: first.id, role: 'admin' }, { firstId: live[1]!.id, secondId: twin.id })
    await dismissMatch(ctx, { id: first.id, role: 'admin' }, { firstId: live[1]!.id, secondId: stranger.id })
    // A referral made under a screen's request id (write_requests keeps its answer for a retry).
    const takes = await opened.db.selectFrom('agency_referral_types').select(['agency_id', 'type']).orderBy('agency_id').executeTakeFirstOrThrow()
    await createReferral(withRequest(ctx, 'referrals.create', '5f0c2b8e-3d4a-4c6e-9b1f-2a7d8e9c0b1a'), { participantId: live[1]!.id, agencyId: takes.agency_id, type: takes.type })
  } finally {
    await opened.close()
  }
  const people = join(dir, 'people.csv')
  writeFileSync(people, ['ID,First,Last,Birth year', 'P1,Zelda,Quintero,1970', 'P2,Kofi,Mensah,1975'].join('\n'))
  const mapping = join(dir, 'map.json')
  writeFileSync(mapping, JSON.stringify({ personId: 'ID', firstName: 'First', lastName: 'Last', birthYear: 'Birth year' }))
  const imported = await admin(['import', '--db', file, '--key-file', keyFile, '--participants', people, '--mapping', mapping, '--duplicates-as-new'])
  expect(imported.code, imported.stderr).toBe(EXIT.OK)
  return { file, keyFile, key }
}

async function digestsOf(db: Kysely<Database>): Promise<Digests> {
  return tableDigests(db, await movableTables(db))
}

/** Every index in the schema, as its definition reads (without the schema's name). */
async function indexesOf(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ definition: string }>`SELECT indexdef AS definition FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`.execute(db)
  return rows.map((row) => row.definition.replace(/ ON \S+\./, ' ON '))
}

async function migrationNames(db: Kysely<Database>): Promise<string[]> {
  return (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((row) => row.name)
}

describePostgres('admin migrate: a center from its file to PostgreSQL and back', () => {
  const databases = usePostgresDatabases()
  const tempDir = useTempDirs()

  // A center copied there and back with every check: 30 s was too tight on a busy two-core PC.
  it('copies every table both ways with identical counts and hashes; the audit chain and roll-ups verify on all three', async () => {
    const dir = tempDir()
    const center = await demoCenter(dir)
    const source = await openDatabase(center.file, center.key, { check: 'none', readonly: true })
    let original: Digests
    try {
      original = await digestsOf(source.db)
    } finally {
      await source.close()
    }
    // Every table a center owns has rows, so every table's copy is really checked.
    expect(Object.entries(original).filter(([, digest]) => digest.rows === 0).map(([table]) => table)).toEqual([])
    expect(Object.keys(original)).toEqual(expect.arrayContaining(['participant_merges', 'participant_aliases', 'audit_log', 'report_days', 'attendance', 'workforce_documents', 'import_rows']))

    const url = await databases.make()
    const there = await admin(['migrate', '--db', center.file, '--key-file', center.keyFile, '--to', url])
    expect(there.code, there.stderr).toBe(EXIT.OK)
    expect(there.stdout).toMatch(/every table has the same row count and content hash/)
    expect(there.stdout).not.toContain(new URL(url).password)
    // The progress bar, on stderr as the other commands' is.
    expect(there.stderr).toMatch(/^copying .*100%/m)
    expect(there.stderr).toMatch(/^checking .*100%/m)
    const verifiedThere = await admin(['verify', '--postgres', url])
    expect(verifiedThere.stderr).toBe('')
    expect(verifiedThere.stdout).toMatch(/Audit log: \d+ rows, hash chain intact/)
    expect(verifiedThere.stdout).toContain('Report roll-ups: recounted from the records, they match')
    expect(verifiedThere.code).toBe(EXIT.OK)

    const back = join(dir, 'back.db')
    const backKey = join(dir, 'back.key')
    const home = await admin(['migrate', '--from', url, '--to', back, '--key-file', backKey])
    expect(home.code, home.stderr).toBe(EXIT.OK)
    expect(home.stdout).toContain(`Its key is new, written to ${backKey}`)
    expect(readdirSync(dir).filter((name) => name.includes('migrating'))).toEqual([])
    const verifiedBack = await admin(['verify', '--db', back, '--key-file', backKey])
    expect(verifiedBack.stderr).toBe('')
    expect(verifiedBack.code).toBe(EXIT.OK)

    const server = await openPostgres(url)
    const returned = await openDatabase(back, new FileKeyStore(backKey).load(), { check: 'none', readonly: true })
    try {
      expect(await digestsOf(server.db)).toEqual(original)
      expect(await digestsOf(returned.db)).toEqual(original)
      // Each end keeps its own dialect's migration history, at the same schema version.
      expect(await migrationNames(server.db)).toEqual(postgresMigrationList.map(([name]) => name))
      expect(await migrationNames(returned.db)).toEqual(migrationList.map(([name]) => name).sort())
      // The indexes the copy set aside while rows went in are all back, as the migrations made them.
      const fresh = await databases.open()
      try {
        expect(await indexesOf(server.db)).toEqual(await indexesOf(fresh.db))
      } finally {
        await fresh.close()
      }
      expect((await indexesOf(server.db)).length).toBeGreaterThan(100)
      // The search index was built on the server in one statement: the living, findable people,
      // row for row what the per-person refresh (the triggers' way) makes of each of them.
      const findable = await server.db.selectFrom('participants').select((eb) => eb.fn.countAll<number>().as('n')).where('merged_into', 'is', null).where('deleted_at', 'is', null).executeTakeFirstOrThrow()
      // The recency key (seconds << 24 | id) is past JavaScript's integers: compared as text.
      const searchRows = async () => (await sql`SELECT rowid::text AS key, participant_id, name, code, phone, birth FROM participant_search ORDER BY rowid`.execute(server.db)).rows
      const built = await searchRows()
      expect(built).toHaveLength(Number(findable.n))
      expect(built.some((row) => String((row as { code: string }).code).includes(' '))).toBe(true)
      await sql`SELECT count(participant_search_refresh(id)) FROM participants`.execute(server.db)
      expect(await searchRows()).toEqual(built)
      const ctx = { db: server.db, staffId: 1, now: runningClock(), timeZone: 'UTC' }
      expect((await searchParticipants(ctx, 'Zelda')).map((person) => person.firstName)).toEqual(['Zelda'])
      // New rows continue after the copied ids.
      const highest = await server.db.selectFrom('participants').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()
      const added = await createParticipant(ctx, { firstName: 'Nadia', lastName: 'Okafor', birthYear: 1990 })
      expect(added.id).toBe(Number(highest.id) + 1)
      // Roll-ups that went wrong on the server are found, and recounted, there as on a file.
      await server.db.deleteFrom('report_days').execute()
    } finally {
      await returned.close()
      await server.close()
    }
    const wrong = await admin(['verify', '--postgres', url])
    expect(wrong.code).toBe(EXIT.ROLLUPS_WRONG)
    expect(wrong.stderr).toContain('rebuild-rollups --postgres URL')
    expect((await admin(['rebuild-rollups', '--postgres', url])).code).toBe(EXIT.OK)
    expect((await admin(['verify', '--postgres', url])).code).toBe(EXIT.OK)
    expect((await admin(['verify', '--postgres', url, '--db', back])).code).toBe(EXIT.USAGE)
  }, 120_000)

  it('refuses, writing nothing: a server database that holds records, a URL with a typo, a wrong password, no TLS, a source too old or too new, an existing file', async () => {
    const dir = tempDir()
    const { file, keyFile, key, opened } = await newCenter(dir)
    await opened.close()
    const migrate = (to: string, from = file) => admin(['migrate', '--db', from, '--key-file', keyFile, '--to', to])

    const prepared = await databases.make()
    expect((await admin(['init', '--postgres', prepared, '--center', 'Harbor House', '--admin-name', 'Ana Ruiz', '--username', 'ana'])).code).toBe(EXIT.OK)
    const holding = await migrate(prepared)
    expect(holding.code).toBe(EXIT.DB_EXISTS)
    expect(holding.stderr).toMatch(/already holds Porchlight's records \(Harbor House\).*empty database/)
    const kept = await openPostgres(prepared)
    try {
      expect((await kept.db.selectFrom('staff').select('username').execute()).map((row) => row.username)).toEqual(['ana'])
    } finally {
      await kept.close()
    }

    const empty = await databases.make()
    const url = new URL(empty)
    const typo = await migrate(empty.replace('postgres://', 'postgres:/'))
    expect(typo.code).toBe(EXIT.USAGE)
    expect((await migrate(empty.replace(`:${url.port}/`, `:${url.port}x/`))).code).toBe(EXIT.PG_FAILED)
    const noHost = new URL(empty)
    noHost.hostname = 'no-such-host.invalid'
    expect((await migrate(noHost.toString())).code).toBe(EXIT.PG_UNREACHABLE)
    const wrong = new URL(empty)
    wrong.password = 'not-the-password'
    const denied = await migrate(wrong.toString())
    expect(denied.code).toBe(EXIT.PG_LOGIN_REFUSED)
    expect(denied.stderr).not.toContain('not-the-password')
    // A CA file asks for TLS even on this computer, as any other host does; the test server offers none.
    const ca = join(dir, 'ca.pem')
    writeFileSync(ca, 'not used: the server refuses TLS before any certificate is read')
    expect((await migrate(`${empty}?sslrootcert=${encodeURIComponent(ca)}`)).code).toBe(EXIT.PG_NO_TLS)

    const older = join(dir, 'older.db')
    await (await createDatabase(older, key, { through: '0029_import_pending' })).close()
    const old = await migrate(empty, older)
    expect(old.code).toBe(EXIT.MIGRATE_REFUSED)
    expect(old.stderr).toMatch(/schema 29, older than this Porchlight's/)
    const newer = join(dir, 'newer.db')
    const future = await createDatabase(newer, key)
    future.sqlite.prepare(`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_future', '2030-01-01')`).run()
    await future.close()
    expect((await migrate(empty, newer)).code).toBe(EXIT.DB_TOO_NEW)
    expect(await tablesOf(empty)).toEqual([])

    // From the server: an existing file is never replaced; an empty server has nothing to move.
    const existing = await admin(['migrate', '--from', prepared, '--to', file, '--key-file', keyFile])
    expect(existing.code).toBe(EXIT.DB_EXISTS)
    const nothing = await admin(['migrate', '--from', empty, '--to', join(dir, 'nothing.db'), '--key-file', keyFile])
    expect(nothing.code).toBe(EXIT.MIGRATE_REFUSED)
    expect(existsSync(join(dir, 'nothing.db'))).toBe(false)
    expect((await admin(['migrate', '--from', join(dir, 'x.db'), '--to', join(dir, 'y.db')])).code).toBe(EXIT.USAGE)
    expect((await admin(['migrate', '--db', file, '--key-file', keyFile, '--to', join(dir, 'y.db')])).code).toBe(EXIT.USAGE)
  })

  it('refuses a damaged file before the server is reached, naming the damage: an index that disagrees with its table, a row that refers to no one', async () => {
    const dir = tempDir()
    const { file, keyFile, key, opened } = await newCenter(dir)
    await completeSetup({ db: opened.db, staffId: null, now: runningClock() }, SETUP)
    await seedDatabase(opened, { participants: 12, days: 5, seed: 5, until: new Date(TEST_START) })
    await opened.close()
    const orphaned = join(dir, 'orphaned.db')
    copyFileSync(file, orphaned)
    const url = await databases.make()

    damageIndex(file, key)
    const before = sha256File(file)
    const damaged = await admin(['migrate', '--db', file, '--key-file', keyFile, '--to', url])
    expect(damaged.code).toBe(EXIT.DB_DAMAGED)
    expect(damaged.stderr).toMatch(/is damaged \(.*visits_by_date/)
    expect(sha256File(file)).toBe(before)
    expect(await tablesOf(url)).toEqual([])

    // Pages and b-trees sound, but a visit of a person who is not there: PRAGMA foreign_key_check's business.
    const edited = await openDatabase(orphaned, key)
    edited.sqlite.exec(
      `PRAGMA foreign_keys = OFF;
       INSERT INTO visits (participant_id, visit_date, signed_in_at, created_at, updated_at)
       VALUES (4242, '2026-11-20', '2026-11-20T15:00:00Z', '2026-11-20T15:00:00Z', '2026-11-20T15:00:00Z')`,
    )
    await edited.close()
    const orphan = await admin(['migrate', '--db', orphaned, '--key-file', keyFile, '--to', url])
    expect(orphan.code).toBe(EXIT.DB_DAMAGED)
    expect(orphan.stderr).toMatch(/is damaged \(1 row\(s\) refer to records that do not exist \(first: visits row \d+ → participants\)\)/)
    expect(await tablesOf(url)).toEqual([])
  })

  it('a failure part-way is undone: the server database stays empty, no file is left', async () => {
    const dir = tempDir()
    const { file, keyFile, opened } = await newCenter(dir)
    await completeSetup({ db: opened.db, staffId: null, now: runningClock() }, SETUP)
    // SQLite keeps a NUL inside text; PostgreSQL refuses it, after the schema and earlier tables went in.
    opened.sqlite.prepare(`UPDATE centers SET name = 'Harbor' || char(0) || 'House' WHERE id = 1`).run()
    await opened.close()
    const url = await databases.make()
    const failed = await admin(['migrate', '--db', file, '--key-file', keyFile, '--to', url])
    expect(failed.code).toBe(EXIT.MIGRATE_FAILED)
    expect(failed.stderr).toMatch(/Not moved: .*Everything was undone/)
    expect(await tablesOf(url)).toEqual([])

    // Back from a server whose table does not match this build's: refused after the new file was begun, and the file is gone.
    const server = await databases.make()
    expect((await admin(['init', '--postgres', server, '--center', 'Harbor House', '--admin-name', 'Ana Ruiz', '--username', 'ana'])).code).toBe(EXIT.OK)
    const handle = await connectPostgres(server)
    await sql`ALTER TABLE visits ADD COLUMN extra text`.execute(handle.db)
    await handle.close()
    const back = join(dir, 'back.db')
    const undone = await admin(['migrate', '--from', server, '--to', back, '--key-file', join(dir, 'back.key')])
    expect(undone.code).toBe(EXIT.MIGRATE_FAILED)
    expect(undone.stderr).toMatch(/visits differs/)
    expect(readdirSync(dir).filter((name) => name.startsWith('back'))).toEqual([])
  })
})

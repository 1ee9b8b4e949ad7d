import { sql, type Kysely } from 'kysely'
import type { RecordMapping } from '../../domain/records-import'
import type { OpenDatabase } from '../../open'
import type { RecordCounts } from '../../records-import-types'
import type { Database } from '../../schema'
import { appendAudit } from '../audit'
import { isDiskFull, ServiceError, type Trx } from '../context'
import { columnsOf } from '../participant-fields'
import { newParticipantCode } from '../participants'
import { countImportIn, prepareImportCount } from '../reports/rollups'
import { putSetting } from '../settings-store'
import { mappingSettingKey, type Plan } from './plan'

/**
 * Writing an import. People go in one transaction (writePeople). Visits (a sign-in log of 200,000 rows) go in
 * chunk by chunk, each chunk its own short transaction, so the desk's sign-ins get the write lock
 * between them and never wait long: the file's visits carry its id and stay invisible (migration
 * 0029: every read asks for visible visits, and the roll-up triggers leave them out) until one last
 * short transaction switches the file on, counting its people's and days' roll-ups once. From the
 * user's side it is still none-or-all: a crash or SIGKILL part-way leaves a pending file nobody
 * sees, which the next import discards (discardPendingImports) before it starts.
 *
 * SQLite's SQL, in this one file: the visits go through temporary tables of this connection and a
 * few set statements per chunk rather than one statement each.
 */

export interface WriteInfo {
  sha256: string
  fileName: string
  rows: number
  counts: RecordCounts
  staffId: number | null
  now: string
  /** The importing window's center: the file, its new people and its visits are that center's. */
  center: number
  /** Rows matched by hand to someone already registered (a possible duplicate reviewed). */
  matches: Map<number, number>
  /** Awaited between chunks when it returns a promise. */
  onStep: (done: number, total: number) => void | Promise<void>
}

/** Visits per chunk: each chunk's transaction stays in the low hundreds of milliseconds on a slow PC. */
export const VISIT_CHUNK = 4000
/** Row identities per chunk: neighbours in key order, so a chunk touches few pages. */
const KEY_CHUNK = 10_000

async function begin(trx: Trx, info: WriteInfo, plan: Plan, pending: 0 | 1): Promise<number> {
  const existing = await trx.selectFrom('import_files').select('imported_at').where('kind', '=', plan.kind).where('sha256', '=', info.sha256).executeTakeFirst()
  if (existing) throw new ServiceError('CONFLICT', 'recordsImport.alreadyImported', { file: info.fileName, at: existing.imported_at })
  const file = await trx
    .insertInto('import_files')
    .values({ center_id: info.center, kind: plan.kind, sha256: info.sha256, file_name: info.fileName, rows: info.rows, counts: JSON.stringify(info.counts), staff_id: info.staffId, imported_at: info.now, pending })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (!pending) await putSetting(trx, mappingSettingKey(plan.layout), plan.mapping satisfies RecordMapping, info.now)
  return file.id
}

async function finish(trx: Trx, info: WriteInfo, plan: Plan, fileId: number): Promise<void> {
  await appendAudit(trx, info.now, {
    staffId: info.staffId,
    action: 'records.import',
    targetType: 'import_file',
    targetId: fileId,
    detail: { kind: plan.kind, rows: info.rows, ...info.counts },
  })
}

function transaction<T>(db: Kysely<Database>, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db
    .transaction()
    .execute(work)
    .catch((error: unknown) => {
      if (isDiskFull(error)) throw new ServiceError('DISK_FULL', 'door.diskFull')
      throw error
    })
}

/** Copies the planned visits into temporary tables of this connection: no lock on the database is taken. */
function stageVisits(opened: OpenDatabase, plan: Plan): void {
  const sqlite = opened.sqlite
  dropStaging(opened)
  sqlite.exec(`CREATE TEMP TABLE import_visits (seq INTEGER PRIMARY KEY, participant_id INTEGER, visit_date TEXT NOT NULL, signed_in_at TEXT NOT NULL,
      signed_out_at TEXT, note TEXT, row_key TEXT NOT NULL, visit_id INTEGER);
    CREATE TEMP TABLE import_visit_services (seq INTEGER NOT NULL, service_id INTEGER NOT NULL)`)
  const visit = sqlite.prepare('INSERT INTO temp.import_visits VALUES (?, ?, ?, ?, ?, ?, ?, NULL)')
  const service = sqlite.prepare('INSERT INTO temp.import_visit_services VALUES (?, ?)')
  sqlite.transaction(() => {
    plan.visits.forEach((v, index) => {
      visit.run(index + 1, v.participantId, v.day, v.signedInAt, v.signedOutAt, v.note, v.key)
      for (const id of v.serviceIds) service.run(index + 1, id)
    })
  })()
  sqlite.exec('CREATE INDEX temp.import_visit_services_seq ON import_visit_services(seq)')
}

function dropStaging(opened: OpenDatabase): void {
  opened.sqlite.exec(`DROP TABLE IF EXISTS temp.import_visits; DROP TABLE IF EXISTS temp.import_visit_services; DROP TABLE IF EXISTS temp.import_keys`)
}

/**
 * Throws away what imports that never finished left behind (a crash or a kill between their first
 * chunk and their switch): their visits, services and row identities, chunk by chunk as they were
 * written, then the file's record. Nobody ever saw those rows, and no roll-up or visit count holds
 * them (the triggers leave pending visits out), so nothing else changes. Returns how many files.
 */
export async function discardPendingImports(opened: OpenDatabase): Promise<number> {
  const files = await opened.db.selectFrom('import_files').select('id').where('pending', '=', 1).execute()
  for (const { id } of files) {
    for (;;) {
      const gone = await transaction(opened.db, async (trx) => {
        const ids = (await trx.selectFrom('visits').select('id').where('import_file_id', '=', id).limit(VISIT_CHUNK).execute()).map((row) => row.id)
        if (ids.length === 0) return 0
        await trx.deleteFrom('visit_services').where('visit_id', 'in', ids).execute()
        await trx.deleteFrom('visits').where('id', 'in', ids).execute()
        return ids.length
      })
      if (gone === 0) break
    }
    for (;;) {
      const gone = await transaction(opened.db, async (trx) => {
        const keys = (await trx.selectFrom('import_rows').select('row_key').where('kind', '=', 'visits').where('file_id', '=', id).limit(VISIT_CHUNK).execute()).map((row) => row.row_key)
        if (keys.length > 0) await trx.deleteFrom('import_rows').where('kind', '=', 'visits').where('row_key', 'in', keys).execute()
        return keys.length
      })
      if (gone === 0) break
    }
    await transaction(opened.db, (trx) => trx.deleteFrom('import_files').where('id', '=', id).where('pending', '=', 1).execute())
  }
  return files.length
}

/** One chunk of the staged visits (seq in (from, to]) into the database, pending under `fileId`. */
async function writeChunk(trx: Trx, info: WriteInfo, fileId: number, from: number, to: number): Promise<void> {
  // The chunk's visits take the ids after the newest visit (the desk's sign-ins meanwhile included).
  const base = Number((await sql<{ id: number }>`SELECT coalesce(max(id), 0) AS id FROM visits`.execute(trx)).rows[0]!.id) - from
  await sql`INSERT INTO visits (id, center_id, participant_id, anonymous_code, visit_date, signed_in_at, signed_out_at, note, created_by, created_at, updated_at, import_file_id)
    SELECT ${base} + seq, ${info.center}, participant_id, NULL, visit_date, signed_in_at, signed_out_at, note, ${info.staffId}, ${info.now}, ${info.now}, ${fileId}
      FROM temp.import_visits WHERE seq > ${from} AND seq <= ${to} ORDER BY seq`.execute(trx)
  await sql`INSERT INTO visit_services (visit_id, service_id, quantity)
    SELECT ${base} + seq, service_id, 1 FROM temp.import_visit_services WHERE seq > ${from} AND seq <= ${to}`.execute(trx)
  await sql`UPDATE temp.import_visits SET visit_id = ${base} + seq WHERE seq > ${from} AND seq <= ${to}`.execute(trx)
}

/**
 * One chunk of the row identities (n in (from, to] of temp.import_keys, which holds them in key
 * order). They go in after the visits, in key order: import_rows is keyed by a hash, so a chunk
 * taken in the file's order would touch pages all over its B-tree, and as it grows every chunk
 * would rewrite nearly all of it (the chunks' time grew with each one); a run of neighbouring keys
 * touches a few pages.
 */
async function writeKeys(trx: Trx, fileId: number, from: number, to: number): Promise<void> {
  await sql`INSERT INTO import_rows (kind, row_key, file_id, target_id)
    SELECT 'visits', row_key, ${fileId}, visit_id FROM temp.import_keys WHERE rowid > ${from} AND rowid <= ${to} ORDER BY rowid`.execute(trx)
}

/**
 * The switch: the file's visits become visible, and what counts them follows in the same short
 * transaction: the roll-ups of its people and days (prepared before the lock was taken,
 * reports/rollups.ts) and its people's visit counts and latest visits.
 */
async function switchOn(trx: Trx, info: WriteInfo, plan: Plan, fileId: number, written: number): Promise<void> {
  const held = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM visits WHERE import_file_id = ${fileId}`.execute(trx)).rows[0]!.n)
  // Another process discarding this file meanwhile (an admin command beside the app) leaves it short: refuse rather than switch half a file on.
  if (held !== written) throw new ServiceError('CONFLICT', 'recordsImport.busy')
  await trx.updateTable('import_files').set({ pending: 0 }).where('id', '=', fileId).execute()
  await putSetting(trx, mappingSettingKey(plan.layout), plan.mapping satisfies RecordMapping, info.now)
  await sql`UPDATE participants SET
      visit_count = (SELECT count(*) FROM visits v WHERE v.participant_id = participants.id AND v.voided_at IS NULL),
      last_visit_at = (SELECT max(signed_in_at) FROM visits v WHERE v.participant_id = participants.id AND v.voided_at IS NULL)
    WHERE id IN (SELECT DISTINCT participant_id FROM visits WHERE import_file_id = ${fileId})`.execute(trx)
  await countImportIn(trx, fileId)
  await finish(trx, info, plan, fileId)
}

export async function writeVisits(opened: OpenDatabase, plan: Plan, info: WriteInfo): Promise<number> {
  await discardPendingImports(opened)
  stageVisits(opened, plan)
  try {
    // A row imported since the check (another file holding it) is left out, not doubled. (Imports run one at a time.)
    opened.sqlite.exec(`DELETE FROM temp.import_visits WHERE row_key IN (SELECT row_key FROM main.import_rows WHERE kind = 'visits');
      DELETE FROM temp.import_visit_services WHERE seq NOT IN (SELECT seq FROM temp.import_visits)`)
    const fileId = await transaction(opened.db, (trx) => begin(trx, info, plan, 1))
    // seq has gaps where rows were left out: chunks go by seq, and the count written is what the switch checks.
    const last = Number(opened.sqlite.prepare('SELECT coalesce(max(seq), 0) FROM temp.import_visits').pluck().get())
    const written = Number(opened.sqlite.prepare('SELECT count(*) FROM temp.import_visits').pluck().get())
    // The steps: the visits' chunks (to `last`), the row identities' (to `last + written`), the count prepared, the switch.
    const total = last + written + 2
    for (let from = 0; from < last; from += VISIT_CHUNK) {
      const to = Math.min(from + VISIT_CHUNK, last)
      await transaction(opened.db, (trx) => writeChunk(trx, info, fileId, from, to))
      await info.onStep(to, total)
    }
    opened.sqlite.exec('CREATE TEMP TABLE import_keys AS SELECT row_key, visit_id FROM temp.import_visits ORDER BY row_key')
    for (let from = 0; from < written; from += KEY_CHUNK) {
      const to = Math.min(from + KEY_CHUNK, written)
      await transaction(opened.db, (trx) => writeKeys(trx, fileId, from, to))
      await info.onStep(last + to, total)
    }
    await prepareImportCount(opened.db, fileId)
    // A step of its own once the counting is prepared (the desk's writes since are what the switch
    // checks for), so a watcher can tell the switch's transaction from the last chunk's.
    await info.onStep(total - 1, total)
    await transaction(opened.db, (trx) => switchOn(trx, info, plan, fileId, written))
    info.onStep(total, total)
    return fileId
  } finally {
    dropStaging(opened)
  }
}

/**
 * People go in one transaction, so a people list is whole or not there at all (people, unlike
 * visits, are not behind a pending mark: every list, search and count reads them). The rows go
 * through two statements prepared once on the connection, not one built query each: 20,000 people
 * hold the write lock for a small part of what they did through the query builder (bench/import.ts
 * measures it with the desk signing people in meanwhile).
 */
export async function writePeople(opened: OpenDatabase, plan: Plan, info: WriteInfo): Promise<number> {
  return transaction(opened.db, async (trx) => {
    const fileId = await begin(trx, info, plan, 0)
    const seen = new Set((await trx.selectFrom('import_rows').select('row_key').where('kind', '=', 'participants').execute()).map((row) => row.row_key))
    const codes = new Set((await trx.selectFrom('participants').select('code').execute()).map((row) => row.code))
    for (const alias of await trx.selectFrom('participant_aliases').select('code').execute()) codes.add(alias.code)
    const total = plan.people.length
    const fixed = { center_id: info.center, last_visit_at: null, created_by: info.staffId, created_at: info.now, updated_at: info.now, deleted_at: null }
    let insertPerson: ((row: Record<string, unknown>) => number) | undefined
    const insertRow = opened.sqlite.prepare(`INSERT INTO import_rows (kind, row_key, file_id, target_id) VALUES ('participants', ?, ?, ?)`)
    for (let index = 0; index < total; index++) {
      const person = plan.people[index]!
      if (index % 500 === 0) info.onStep(index, total)
      if (seen.has(person.key)) continue
      let target = info.matches.get(person.row) ?? person.existingId
      if (target === null) {
        let code = person.code && !codes.has(person.code) ? person.code : newParticipantCode()
        while (codes.has(code)) code = newParticipantCode()
        codes.add(code)
        const row = { code, ...columnsOf(person.values), ...fixed }
        if (!insertPerson) {
          const columns = Object.keys(row)
          const statement = opened.sqlite.prepare(`INSERT INTO participants (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) RETURNING id`).pluck()
          insertPerson = (values) => Number(statement.get(values))
        }
        target = insertPerson(row)
      }
      insertRow.run(person.key, fileId, target)
    }
    await finish(trx, info, plan, fileId)
    info.onStep(total, total)
    return fileId
  })
}

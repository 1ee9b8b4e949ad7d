import { sql, type Kysely } from 'kysely'
import type { RecordMapping } from '../../domain/records-import'
import type { RecordCounts } from '../../records-import-types'
import type { Database } from '../../schema'
import { appendAudit } from '../audit'
import { inCenter } from '../centers'
import { brokeUnique, isDiskFull, ServiceError, type Trx, type UniqueIndex } from '../context'
import { columnsOf } from '../participant-fields'
import { newParticipantCode } from '../participants'
import { putSetting } from '../settings-store'
import { mappingSettingKey, type Plan, type PlannedPerson } from './plan'
import { stagingFor, type ImportDatabase, type ImportStaging } from './staging'

/**
 * Writing an import. Visits (a sign-in log of 200,000 rows) and people (writePeople) go in
 * chunk by chunk, each chunk its own short transaction, so the desk's sign-ins get the write lock
 * between them and never wait long: the file's visits carry its id and stay invisible (migration
 * 0029: every read asks for visible visits, and the roll-up triggers leave them out) until one last
 * short transaction switches the file on, counting its people's and days' roll-ups once. From the
 * user's side it is still none-or-all: a crash or SIGKILL part-way leaves a pending file nobody
 * sees, which the next import discards (discardPendingImports) before it starts.
 *
 * The same SQL on the file and on the server: the visits go through temporary tables of this
 * connection and a few set statements per chunk rather than one statement each; what differs
 * (filling those tables, the visits' ids, the switch's counting) is in staging.ts.
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
/** People per chunk: some eleven rows each (the person, their search index entries, row identity, change feed...), a short transaction. */
export const PEOPLE_CHUNK = 1000
/** Rows per INSERT: some 30 values a person keeps a statement well under either backend's limit on parameters. */
const PEOPLE_PER_STATEMENT = 250
const KEYS_PER_STATEMENT = 1000
const CODES_PER_STATEMENT = 1000

/** One file once per center (0061): another center may import the same one. */
const FILE_ONCE: UniqueIndex = { name: 'import_files_center_file', table: 'import_files', columns: ['center_id', 'kind', 'sha256'] }

async function begin(trx: Trx, info: WriteInfo, plan: Plan, pending: 0 | 1): Promise<number> {
  const existing = await trx.selectFrom('import_files').select('imported_at').$call(inCenter({ centerId: info.center }, 'import_files')).where('kind', '=', plan.kind).where('sha256', '=', info.sha256).executeTakeFirst()
  const already = (at: string) => new ServiceError('CONFLICT', 'recordsImport.alreadyImported', { file: info.fileName, at })
  if (existing) throw already(existing.imported_at)
  const file = await trx
    .insertInto('import_files')
    .values({ center_id: info.center, kind: plan.kind, sha256: info.sha256, file_name: info.fileName, rows: info.rows, counts: JSON.stringify(info.counts), staff_id: info.staffId, imported_at: info.now, pending })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      // Another PC importing the same file into this center at the same moment (PostgreSQL): the index says so.
      throw brokeUnique(error, FILE_ONCE) ? already(info.now) : error
    })
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

/**
 * Throws away what imports that never finished left behind (a crash or a kill between their first
 * chunk and their switch): their visits, services, row identities and people, chunk by chunk as
 * they were written, then the file's record. Nobody ever saw those rows, and no roll-up or visit
 * count holds them (the triggers leave pending visits out; nothing can reach a pending person), so
 * nothing else changes. Returns how many files.
 */
export async function discardPendingImports(opened: ImportDatabase): Promise<number> {
  const files = await opened.db.selectFrom('import_files').select(['id', 'kind', 'center_id']).where('pending', '=', 1).execute()
  for (const { id, kind, center_id: center } of files) {
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
        const keys = (await trx.selectFrom('import_rows').select('row_key').$call(inCenter({ centerId: center }, 'import_rows')).where('kind', '=', kind).where('file_id', '=', id).limit(VISIT_CHUNK).execute()).map((row) => row.row_key)
        if (keys.length > 0) await trx.deleteFrom('import_rows').$call(inCenter({ centerId: center }, 'import_rows')).where('kind', '=', kind).where('row_key', 'in', keys).execute()
        return keys.length
      })
      if (gone === 0) break
    }
    // A people list's people (after its row identities, which name them), their search index rows going with them by trigger.
    for (;;) {
      const gone = await transaction(opened.db, async (trx) => {
        const ids = (await trx.selectFrom('participants').select('id').where('import_file_id', '=', id).limit(PEOPLE_CHUNK).execute()).map((row) => row.id)
        if (ids.length > 0) await trx.deleteFrom('participants').where('id', 'in', ids).execute()
        return ids.length
      })
      if (gone === 0) break
    }
    await transaction(opened.db, (trx) => trx.deleteFrom('import_files').where('id', '=', id).where('pending', '=', 1).execute())
  }
  return files.length
}

/** One chunk of the staged visits (seq in (from, to]) into the database, pending under `fileId`. */
async function writeChunk(trx: Trx, staging: ImportStaging, info: WriteInfo, fileId: number, from: number, to: number): Promise<void> {
  await staging.allocateIds(trx, from, to)
  // Typed casts: the server types a bare parameter in a select list as text.
  await sql`INSERT INTO visits (id, center_id, participant_id, anonymous_code, visit_date, signed_in_at, signed_out_at, note, created_by, created_at, updated_at, import_file_id)
    SELECT visit_id, CAST(${info.center} AS bigint), participant_id, NULL, visit_date, signed_in_at, signed_out_at, note, CAST(${info.staffId} AS bigint), ${info.now}, ${info.now}, CAST(${fileId} AS bigint)
      FROM import_visits WHERE seq > ${from} AND seq <= ${to} ORDER BY seq`.execute(trx)
  await sql`INSERT INTO visit_services (visit_id, service_id, quantity)
    SELECT v.visit_id, s.service_id, 1 FROM import_visit_services s JOIN import_visits v ON v.seq = s.seq WHERE s.seq > ${from} AND s.seq <= ${to}`.execute(trx)
}

/**
 * One chunk of the row identities (n in (from, to] of import_keys, which holds them in key
 * order). They go in after the visits, in key order: import_rows is keyed by a hash, so a chunk
 * taken in the file's order would touch pages all over its B-tree, and as it grows every chunk
 * would rewrite nearly all of it (the chunks' time grew with each one); a run of neighbouring keys
 * touches a few pages.
 */
async function writeKeys(trx: Trx, info: WriteInfo, fileId: number, from: number, to: number): Promise<void> {
  await sql`INSERT INTO import_rows (kind, row_key, file_id, target_id, center_id)
    SELECT 'visits', row_key, CAST(${fileId} AS bigint), visit_id, CAST(${info.center} AS bigint) FROM import_keys WHERE n > ${from} AND n <= ${to} ORDER BY n`.execute(trx)
}

/**
 * The switch: the file's visits become visible, and what counts them follows in the same short
 * transaction: the roll-ups of its people and days (prepared before the lock was taken,
 * reports/rollups.ts) and its people's visit counts and latest visits.
 */
async function switchOn(trx: Trx, staging: ImportStaging, info: WriteInfo, plan: Plan, fileId: number, written: number): Promise<void> {
  const held = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM visits WHERE import_file_id = ${fileId}`.execute(trx)).rows[0]!.n)
  // Another process discarding this file meanwhile (an admin command beside the app) leaves it short: refuse rather than switch half a file on.
  if (held !== written) throw new ServiceError('CONFLICT', 'recordsImport.busy')
  await trx.updateTable('import_files').set({ pending: 0 }).where('id', '=', fileId).execute()
  await putSetting(trx, mappingSettingKey(plan.layout), plan.mapping satisfies RecordMapping, info.now)
  await sql`UPDATE participants SET
      visit_count = (SELECT count(*) FROM visits v WHERE v.participant_id = participants.id AND v.voided_at IS NULL),
      last_visit_at = (SELECT max(signed_in_at) FROM visits v WHERE v.participant_id = participants.id AND v.voided_at IS NULL)
    WHERE id IN (SELECT DISTINCT participant_id FROM visits WHERE import_file_id = ${fileId})`.execute(trx)
  await staging.countIn(trx, fileId)
  await finish(trx, info, plan, fileId)
}

export async function writeVisits(opened: ImportDatabase, plan: Plan, info: WriteInfo): Promise<number> {
  await discardPendingImports(opened)
  const staging = stagingFor(opened)
  try {
    // A row imported since the check (another file holding it) is left out, not doubled. (Imports run one at a time.)
    // seq has gaps where rows were left out: chunks go by seq, and the count written is what the switch checks.
    const { last, written } = await staging.stageVisits(plan, info.center)
    const fileId = await transaction(opened.db, (trx) => begin(trx, info, plan, 1))
    // The steps: the visits' chunks (to `last`), the row identities' (to `last + written`), the count prepared, the switch.
    const total = last + written + 2
    for (let from = 0; from < last; from += VISIT_CHUNK) {
      const to = Math.min(from + VISIT_CHUNK, last)
      await transaction(opened.db, (trx) => writeChunk(trx, staging, info, fileId, from, to))
      await info.onStep(to, total)
    }
    await staging.orderKeys()
    for (let from = 0; from < written; from += KEY_CHUNK) {
      const to = Math.min(from + KEY_CHUNK, written)
      await transaction(opened.db, (trx) => writeKeys(trx, info, fileId, from, to))
      await info.onStep(last + to, total)
    }
    await staging.prepareCount(fileId)
    // A step of its own once the counting is prepared (the desk's writes since are what the switch
    // checks for), so a watcher can tell the switch's transaction from the last chunk's.
    await info.onStep(total - 1, total)
    await transaction(opened.db, (trx) => switchOn(trx, staging, info, plan, fileId, written))
    info.onStep(total, total)
    return fileId
  } finally {
    await staging.drop()
  }
}

/**
 * The people of one chunk (new people created, pending under `fileId`; everyone's row identity
 * kept). Codes are checked against the database here, in the chunk's transaction: the desk may
 * have registered someone since they were read. Returns how many people it created.
 */
async function writePeopleChunk(trx: Trx, info: WriteInfo, fileId: number, chunk: PlannedPerson[], codes: Set<string>): Promise<number> {
  const fixed = { center_id: info.center, last_visit_at: null, created_by: info.staffId, created_at: info.now, updated_at: info.now, deleted_at: null, import_file_id: fileId }
  const fresh: Array<{ person: PlannedPerson; code: string }> = []
  const identities: Array<{ key: string; target: number }> = []
  for (const person of chunk) {
    const target = info.matches.get(person.row) ?? person.existingId
    if (target !== null) identities.push({ key: person.key, target })
    else fresh.push({ person, code: person.code ?? '' })
  }
  // A file's code already taken (or none given) becomes a new one; new ones are checked again until none is taken.
  for (let pass = 0, unsure = fresh; unsure.length > 0; pass++) {
    if (pass > 20) throw new Error('Could not find free participant codes')
    for (const entry of unsure) {
      let code = entry.code && !codes.has(entry.code) ? entry.code : newParticipantCode()
      while (codes.has(code)) code = newParticipantCode()
      codes.add(code)
      entry.code = code
    }
    const asked = unsure.map((entry) => entry.code)
    const taken = new Set<string>()
    for (const part of slices(asked, CODES_PER_STATEMENT)) {
      for (const row of await trx.selectFrom('participants').select('code').where('code', 'in', part).execute()) taken.add(row.code)
      for (const row of await trx.selectFrom('participant_aliases').select('code').where('code', 'in', part).execute()) taken.add(row.code)
    }
    unsure = unsure.filter((entry) => taken.has(entry.code))
    for (const entry of unsure) entry.code = ''
  }
  for (const part of slices(fresh, PEOPLE_PER_STATEMENT)) {
    const made = await trx
      .insertInto('participants')
      .values(part.map(({ person, code }) => ({ code, ...columnsOf(person.values), ...fixed })))
      .returning(['id', 'code'])
      .execute()
    const ids = new Map(made.map((row) => [row.code, row.id]))
    for (const { person, code } of part) identities.push({ key: person.key, target: ids.get(code)! })
  }
  for (const part of slices(identities, KEYS_PER_STATEMENT)) {
    await trx
      .insertInto('import_rows')
      .values(part.map(({ key, target }) => ({ center_id: info.center, kind: 'participants' as const, row_key: key, file_id: fileId, target_id: target })))
      .execute()
  }
  return fresh.length
}

function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let from = 0; from < items.length; from += size) out.push(items.slice(from, from + size))
  return out
}

/** The people switch: the file's people become visible at once (the searches, lists and checks ask for a file that is not pending). */
async function switchPeople(trx: Trx, info: WriteInfo, plan: Plan, fileId: number, created: number): Promise<void> {
  const held = Number((await trx.selectFrom('participants').select((eb) => eb.fn.countAll<number>().as('n')).where('import_file_id', '=', fileId).executeTakeFirstOrThrow()).n)
  // Another process discarding this file meanwhile (an admin command beside the app) leaves it short: refuse rather than switch half a file on.
  if (held !== created) throw new ServiceError('CONFLICT', 'recordsImport.busy')
  await trx.updateTable('import_files').set({ pending: 0 }).where('id', '=', fileId).execute()
  await putSetting(trx, mappingSettingKey(plan.layout), plan.mapping satisfies RecordMapping, info.now)
  await finish(trx, info, plan, fileId)
}

/**
 * People go in as visits do: chunk by chunk, each chunk its own short transaction, behind a
 * pending file (migration 0052: its people are invisible to every read), then one switch that
 * only clears the pending mark. The desk signs people in between the chunks; a crash leaves a
 * pending file nobody sees, which the next import discards. The rows go through the query
 * builder a few hundred at a time (one statement each), so the same code runs on both backends.
 */
export async function writePeople(opened: ImportDatabase, plan: Plan, info: WriteInfo): Promise<number> {
  await discardPendingImports(opened)
  const db = opened.db
  const fileId = await transaction(db, (trx) => begin(trx, info, plan, 1))
  // Read once, before the chunks (a read takes no write lock). A row imported since the check (another file holding it) is left out, not doubled.
  const pending = db.selectFrom('import_files').select('id').where('pending', '=', 1)
  const seen = new Set((await db.selectFrom('import_rows').select('row_key').$call(inCenter({ centerId: info.center }, 'import_rows')).where('kind', '=', 'participants').where('file_id', 'not in', pending).execute()).map((row) => row.row_key))
  const codes = new Set((await db.selectFrom('participants').select('code').execute()).map((row) => row.code))
  for (const alias of await db.selectFrom('participant_aliases').select('code').execute()) codes.add(alias.code)
  const people = plan.people.filter((person) => !seen.has(person.key))
  // The steps: the chunks (to people.length), then the switch.
  const total = people.length + 1
  let created = 0
  for (let from = 0; from < people.length; from += PEOPLE_CHUNK) {
    const chunk = people.slice(from, from + PEOPLE_CHUNK)
    created += await transaction(db, (trx) => writePeopleChunk(trx, info, fileId, chunk, codes))
    await info.onStep(from + chunk.length, total)
  }
  await transaction(db, (trx) => switchPeople(trx, info, plan, fileId, created))
  await info.onStep(total, total)
  return fileId
}

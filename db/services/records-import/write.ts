import { sql, type Kysely } from 'kysely'
import type { RecordMapping } from '../../domain/records-import'
import type { OpenDatabase } from '../../open'
import type { RecordCounts } from '../../records-import-types'
import type { Database } from '../../schema'
import { appendAudit } from '../audit'
import { isDiskFull, ServiceError, type Trx } from '../context'
import { columnsOf } from '../participant-fields'
import { newParticipantCode } from '../participants'
import { recountRollups } from '../reports/rollups'
import { putSetting } from '../settings-store'
import { mappingSettingKey, type Plan } from './plan'

/**
 * The import's one transaction. Everything in it commits together or not at all: the rows, each
 * row's identity, the file's record, the roll-ups, the remembered mapping and the audit entry. A
 * crash (or SIGKILL) part-way leaves the database as it was before, which SQLite's journal sees to.
 *
 * SQLite's SQL, in this one file: 200,000 visits go through temporary tables and a few set
 * statements rather than one statement each (the per-row roll-up triggers would cost two minutes:
 * they are set aside inside the transaction and the roll-ups of the days and people touched are
 * counted again from the rows, the same counting `admin verify` checks them against).
 */

export interface WriteInfo {
  sha256: string
  fileName: string
  rows: number
  counts: RecordCounts
  staffId: number | null
  now: string
  /** Rows matched by hand to someone already registered (a possible duplicate reviewed). */
  matches: Map<number, number>
  onStep: (done: number, total: number) => void
}

/** The per-row triggers a bulk visit write sets aside (and puts back, in the same transaction): the roll-ups and people's visit counts. */
const BULK_TRIGGERS = ['report_visits_insert', 'report_visit_services_insert', 'visits_count_insert']

async function begin(trx: Trx, info: WriteInfo, plan: Plan): Promise<number> {
  const existing = await trx.selectFrom('import_files').select('imported_at').where('kind', '=', plan.kind).where('sha256', '=', info.sha256).executeTakeFirst()
  if (existing) throw new ServiceError('CONFLICT', 'recordsImport.alreadyImported', { file: info.fileName, at: existing.imported_at })
  const file = await trx
    .insertInto('import_files')
    .values({ kind: plan.kind, sha256: info.sha256, file_name: info.fileName, rows: info.rows, counts: JSON.stringify(info.counts), staff_id: info.staffId, imported_at: info.now })
    .returning('id')
    .executeTakeFirstOrThrow()
  await putSetting(trx, mappingSettingKey(plan.layout), plan.mapping satisfies RecordMapping, info.now)
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
  sqlite.exec(`DROP TABLE IF EXISTS temp.import_visits; DROP TABLE IF EXISTS temp.import_visit_services;
    CREATE TEMP TABLE import_visits (seq INTEGER PRIMARY KEY, participant_id INTEGER, visit_date TEXT NOT NULL, signed_in_at TEXT NOT NULL,
      signed_out_at TEXT, note TEXT, row_key TEXT NOT NULL);
    CREATE TEMP TABLE import_visit_services (seq INTEGER NOT NULL, service_id INTEGER NOT NULL)`)
  const visit = sqlite.prepare('INSERT INTO temp.import_visits VALUES (?, ?, ?, ?, ?, ?, ?)')
  const service = sqlite.prepare('INSERT INTO temp.import_visit_services VALUES (?, ?)')
  sqlite.transaction(() => {
    plan.visits.forEach((v, index) => {
      visit.run(index + 1, v.participantId, v.day, v.signedInAt, v.signedOutAt, v.note, v.key)
      for (const id of v.serviceIds) service.run(index + 1, id)
    })
  })()
  sqlite.exec('CREATE INDEX temp.import_visits_person ON import_visits(participant_id)')
}

function dropStaging(opened: OpenDatabase): void {
  opened.sqlite.exec(`DROP TABLE IF EXISTS temp.import_visits; DROP TABLE IF EXISTS temp.import_visit_services;
    DROP TABLE IF EXISTS temp.import_days; DROP TABLE IF EXISTS temp.import_people`)
}

export async function writeVisits(opened: OpenDatabase, plan: Plan, info: WriteInfo): Promise<number> {
  stageVisits(opened, plan)
  const steps = 8
  try {
    return await transaction(opened.db, async (trx) => {
      const fileId = await begin(trx, info, plan)
      info.onStep(1, steps)
      // A row imported meanwhile (another file holding it) is left out, not doubled.
      await sql`DELETE FROM temp.import_visits WHERE row_key IN (SELECT row_key FROM main.import_rows WHERE kind = 'visits')`.execute(trx)
      await sql`DELETE FROM temp.import_visit_services WHERE seq NOT IN (SELECT seq FROM temp.import_visits)`.execute(trx)
      const base = Number((await sql<{ id: number }>`SELECT coalesce(max(id), 0) AS id FROM visits`.execute(trx)).rows[0]!.id)
      const triggers = (await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${sql.join(BULK_TRIGGERS)})`.execute(trx)).rows
      for (const name of BULK_TRIGGERS) await sql`DROP TRIGGER IF EXISTS ${sql.id(name)}`.execute(trx)
      info.onStep(2, steps)
      await sql`INSERT INTO visits (id, participant_id, anonymous_code, visit_date, signed_in_at, signed_out_at, note, created_by, created_at, updated_at)
        SELECT ${base} + seq, participant_id, NULL, visit_date, signed_in_at, signed_out_at, note, ${info.staffId}, ${info.now}, ${info.now}
          FROM temp.import_visits ORDER BY seq`.execute(trx)
      info.onStep(3, steps)
      await sql`INSERT INTO visit_services (visit_id, service_id, quantity) SELECT ${base} + seq, service_id, 1 FROM temp.import_visit_services`.execute(trx)
      info.onStep(4, steps)
      await sql`INSERT INTO import_rows (kind, row_key, file_id, target_id) SELECT 'visits', row_key, ${fileId}, ${base} + seq FROM temp.import_visits ORDER BY row_key`.execute(trx)
      info.onStep(5, steps)
      await sql`CREATE TEMP TABLE import_days AS SELECT DISTINCT visit_date AS day FROM temp.import_visits`.execute(trx)
      await sql`CREATE TEMP TABLE import_people AS SELECT DISTINCT participant_id FROM temp.import_visits WHERE participant_id IS NOT NULL`.execute(trx)
      await recountRollups(trx, 'temp.import_days', 'temp.import_people')
      info.onStep(6, steps)
      for (const trigger of triggers) await sql.raw(trigger.sql).execute(trx)
      // What visits_count_insert adds one by one; and the desk shows people by their latest visit (an old one never makes it earlier).
      await sql`UPDATE participants SET
          visit_count = visit_count + (SELECT count(*) FROM temp.import_visits s WHERE s.participant_id = participants.id),
          last_visit_at = (SELECT max(signed_in_at) FROM visits v WHERE v.participant_id = participants.id AND v.voided_at IS NULL)
        WHERE id IN (SELECT participant_id FROM temp.import_people)`.execute(trx)
      info.onStep(7, steps)
      await finish(trx, info, plan, fileId)
      info.onStep(steps, steps)
      return fileId
    })
  } finally {
    dropStaging(opened)
  }
}

export async function writePeople(opened: OpenDatabase, plan: Plan, info: WriteInfo): Promise<number> {
  return transaction(opened.db, async (trx) => {
    const fileId = await begin(trx, info, plan)
    const seen = new Set((await trx.selectFrom('import_rows').select('row_key').where('kind', '=', 'participants').execute()).map((row) => row.row_key))
    const codes = new Set((await trx.selectFrom('participants').select('code').execute()).map((row) => row.code))
    for (const alias of await trx.selectFrom('participant_aliases').select('code').execute()) codes.add(alias.code)
    const total = plan.people.length
    for (let index = 0; index < total; index++) {
      const person = plan.people[index]!
      if (index % 500 === 0) info.onStep(index, total)
      if (seen.has(person.key)) continue
      let target = info.matches.get(person.row) ?? person.existingId
      if (target === null) {
        let code = person.code && !codes.has(person.code) ? person.code : newParticipantCode()
        while (codes.has(code)) code = newParticipantCode()
        codes.add(code)
        const row = await trx
          .insertInto('participants')
          .values({ code, ...columnsOf(person.values), last_visit_at: null, created_by: info.staffId, created_at: info.now, updated_at: info.now, deleted_at: null })
          .returning('id')
          .executeTakeFirstOrThrow()
        target = row.id
      }
      await trx.insertInto('import_rows').values({ kind: 'participants', row_key: person.key, file_id: fileId, target_id: target }).execute()
    }
    await finish(trx, info, plan, fileId)
    info.onStep(total, total)
    return fileId
  })
}

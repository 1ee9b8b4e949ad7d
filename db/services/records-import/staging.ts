import { sql, type Kysely } from 'kysely'
import { backendOf } from '../../backend'
import type { Sqlite } from '../../open'
import type { Database } from '../../schema'
import type { Trx } from '../context'
import { countImportIn, prepareImportCount } from '../reports/rollups'
import type { Plan } from './plan'

/**
 * What a records import does differently on the file and on the server: the import's one seam.
 * Everything else in write.ts is the same SQL on both.
 *
 * - Staging: the planned visits wait in this connection's temporary tables (import_visits,
 *   import_visit_services, then import_keys in key order). The file fills them through prepared
 *   statements; the server through unnest() of arrays, a few statements in all. On the server the
 *   import runs on a pool of one connection, so every transaction sees the same temporary tables.
 * - Ids: on the file a chunk's visits take the ids after the newest visit, inside the chunk's
 *   transaction (SQLite's one writer keeps them free); on the server they come from the visits'
 *   own sequence, which the desks' sign-ins draw from too, so none is ever taken twice.
 * - People: both through the builder, a chunk at a time (write.ts writePeople).
 * - The switch's counting: the file's prepared roll-ups (reports/rollups.ts); the server recounts
 *   the file's person-months and days with the functions its triggers use (migration 0024, made to
 *   leave pending files out by 0029), once the file's visits count.
 */

/** Where an import writes: the live file (with its SQLite handle) or the server's Kysely. */
export interface ImportDatabase {
  readonly db: Kysely<Database>
  /** The file's own connection; absent on the server. */
  readonly sqlite?: Sqlite
}

export interface ImportStaging {
  /** The planned visits into temporary tables (no lock on the records), less the rows `center` imported already; the last seq and how many rows. */
  stageVisits(plan: Plan, center: number): Promise<{ last: number; written: number }>
  /** Gives the chunk's staged visits (seq in (from, to]) their ids, inside the chunk's transaction. */
  allocateIds(trx: Trx, from: number, to: number): Promise<void>
  /** import_keys: the staged row identities numbered 1… in key order (n), with their visits' ids. */
  orderKeys(): Promise<void>
  drop(): Promise<void>
  /** Before the switch, outside any transaction: what the switch's counting can do without the lock. */
  prepareCount(fileId: number): Promise<void>
  /** In the switch, once the file's pending mark is cleared: the roll-ups count the file's visits. */
  countIn(trx: Trx, fileId: number): Promise<void>
}

const DROP = ['import_visits', 'import_visit_services', 'import_keys'] as const

async function dropAll(db: Kysely<Database>): Promise<void> {
  for (const table of DROP) await sql`DROP TABLE IF EXISTS ${sql.id(table)}`.execute(db)
}

/** Rows whose identity another file of the center already holds are left out, not doubled (imports run one at a time). */
async function leaveOutImported(db: Kysely<Database>, center: number): Promise<{ last: number; written: number }> {
  await sql`DELETE FROM import_visits WHERE row_key IN (SELECT row_key FROM import_rows WHERE center_id = ${center} AND kind = 'visits')`.execute(db)
  await sql`DELETE FROM import_visit_services WHERE seq NOT IN (SELECT seq FROM import_visits)`.execute(db)
  const { rows } = await sql<{ last: number; written: number }>`SELECT coalesce(max(seq), 0) AS last, count(*) AS written FROM import_visits`.execute(db)
  return { last: Number(rows[0]!.last), written: Number(rows[0]!.written) }
}

function fileStaging(db: Kysely<Database>, sqlite: Sqlite): ImportStaging {
  return {
    async stageVisits(plan, center) {
      await dropAll(db)
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
      return leaveOutImported(db, center)
    },
    async allocateIds(trx, from, to) {
      // After the newest visit (the desk's sign-ins meanwhile included): this transaction holds the one write lock.
      await sql`UPDATE import_visits SET visit_id = (SELECT coalesce(max(id), 0) FROM visits) + seq - ${from} WHERE seq > ${from} AND seq <= ${to}`.execute(trx)
    },
    async orderKeys() {
      sqlite.exec(`CREATE TEMP TABLE import_keys (n INTEGER PRIMARY KEY, row_key TEXT NOT NULL, visit_id INTEGER NOT NULL);
        INSERT INTO temp.import_keys (row_key, visit_id) SELECT row_key, visit_id FROM temp.import_visits ORDER BY row_key`)
    },
    drop: () => dropAll(db),
    prepareCount: (fileId) => prepareImportCount(db, fileId),
    countIn: (trx, fileId) => countImportIn(trx, fileId),
  }
}

/** Rows per unnest() statement: a few megabytes of parameters each. */
const STAGE_BATCH = 10_000

function serverStaging(db: Kysely<Database>): ImportStaging {
  return {
    async stageVisits(plan, center) {
      await dropAll(db)
      // COLLATE "C" as the server's own text columns (0024): row keys compare with import_rows' without a collation conflict.
      await sql`CREATE TEMP TABLE import_visits (seq bigint PRIMARY KEY, participant_id bigint, visit_date text COLLATE "C" NOT NULL, signed_in_at text COLLATE "C" NOT NULL,
          signed_out_at text COLLATE "C", note text COLLATE "C", row_key text COLLATE "C" NOT NULL, visit_id bigint)`.execute(db)
      await sql`CREATE TEMP TABLE import_visit_services (seq bigint NOT NULL, service_id bigint NOT NULL)`.execute(db)
      for (let start = 0; start < plan.visits.length; start += STAGE_BATCH) {
        const batch = plan.visits.slice(start, start + STAGE_BATCH)
        const seqs = batch.map((_, index) => start + index + 1)
        await sql`INSERT INTO import_visits (seq, participant_id, visit_date, signed_in_at, signed_out_at, note, row_key)
          SELECT * FROM unnest(${seqs}::bigint[], ${batch.map((v) => v.participantId)}::bigint[], ${batch.map((v) => v.day)}::text[],
            ${batch.map((v) => v.signedInAt)}::text[], ${batch.map((v) => v.signedOutAt)}::text[], ${batch.map((v) => v.note)}::text[], ${batch.map((v) => v.key)}::text[])`.execute(db)
        const services = batch.flatMap((v, index) => v.serviceIds.map((id) => [start + index + 1, id] as const))
        if (services.length > 0) {
          await sql`INSERT INTO import_visit_services (seq, service_id) SELECT * FROM unnest(${services.map(([seq]) => seq)}::bigint[], ${services.map(([, id]) => id)}::bigint[])`.execute(db)
        }
      }
      await sql`CREATE INDEX ON import_visit_services (seq)`.execute(db)
      await sql`ANALYZE import_visits`.execute(db)
      return leaveOutImported(db, center)
    },
    async allocateIds(trx, from, to) {
      await sql`UPDATE import_visits SET visit_id = nextval(pg_get_serial_sequence('visits', 'id')) WHERE seq > ${from} AND seq <= ${to}`.execute(trx)
    },
    async orderKeys() {
      await sql`CREATE TEMP TABLE import_keys AS SELECT row_number() OVER (ORDER BY row_key) AS n, row_key, visit_id FROM import_visits`.execute(db)
      await sql`ALTER TABLE import_keys ADD PRIMARY KEY (n)`.execute(db)
    },
    drop: () => dropAll(db),
    // Nothing to prepare: the server's own refresh functions count inside the switch.
    prepareCount: async () => {},
    async countIn(trx, fileId) {
      await sql`SELECT count(report_refresh_person(participant_id, '', month)) FROM (
          SELECT DISTINCT participant_id, substr(visit_date, 1, 7) AS month FROM visits WHERE import_file_id = ${fileId} AND participant_id IS NOT NULL ORDER BY 1, 2) AS touched`.execute(trx)
      await sql`SELECT count(report_refresh_day(visit_date)) FROM (SELECT DISTINCT visit_date FROM visits WHERE import_file_id = ${fileId} ORDER BY 1) AS touched`.execute(trx)
    },
  }
}

/** The staging for where the import writes, chosen by its dialect. */
export function stagingFor(target: ImportDatabase): ImportStaging {
  if (backendOf(target.db) === 'postgres') return serverStaging(target.db)
  if (!target.sqlite) throw new Error('An import into the file needs its SQLite connection')
  return fileStaging(target.db, target.sqlite)
}

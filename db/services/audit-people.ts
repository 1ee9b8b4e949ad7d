import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import { perBackend } from '../backend'
import type { Database } from '../schema'
import { AUDIT_ROW_PEOPLE, type AuditPerson } from '../types'
import { ServiceError } from './context'
import { visiblePerson } from './visible-visits'

/*
 * Which people an audit row is about. The log was written for who-did-what, so a person is named
 * in several ways: as the row's target, through a visit (the target of sign-ins, sign-outs and
 * edits), by id in the detail (a merge's other record), or in a list the staff member saw (a
 * report's drill-down, the referral work list, a group's marks, End of day's sign-outs). The
 * JSON of those details is read here and nowhere else.
 */

/** Details that list the people a staff member saw or changed at once, by action. */
const PEOPLE_LISTS = [
  ['report.drill_down', 'people'],
  ['referral.requests', 'participantIds'],
  ['attendance.mark_many', 'participants'],
] as const

/** Details that list visits, each one a person's. */
const VISIT_LISTS = [
  ['visit.sign_out_all', 'visitIds'],
  ['visit.auto_close', 'visitIds'],
] as const

/** Details that name one more person by id. */
const PERSON_FIELDS = [
  ['participant.merge', 'mergedId'],
  ['participant.merge_undo', 'mergedId'],
  ['visit.sign_in', 'participantId'],
] as const


/** Merges can chain (A into B, later B into C); no real chain is anywhere near this long. */
const MAX_MERGE_HOPS = 50

export interface PersonRecords {
  /** The person as they stand now: the record every merged one leads to. */
  person: { id: number; code: string; first_name: string | null; nickname: string | null; last_name: string | null }
  /** Their own record first, then every record merged into it (directly or through another). */
  records: Array<{ id: number; code: string }>
  /** The id asked for, when it was merged into `person`. */
  askedFor: number | null
}

/**
 * A person and all their records: asked by any of them (an old, merged id leads to the person it
 * was merged into), so an accounting or a filter covers everything that is theirs.
 */
export async function personRecords(db: Kysely<Database>, id: number): Promise<PersonRecords> {
  const columns = ['id', 'code', 'first_name', 'nickname', 'last_name', 'merged_into', 'deleted_at'] as const
  let row = await db.selectFrom('participants').select(columns).where('id', '=', id).where(visiblePerson()).executeTakeFirst()
  for (let hops = 0; row && row.merged_into !== null && hops < MAX_MERGE_HOPS; hops++) {
    row = await db.selectFrom('participants').select(columns).where('id', '=', row.merged_into).executeTakeFirst()
  }
  if (!row || row.merged_into !== null || row.deleted_at !== null) throw new ServiceError('NOT_FOUND', 'audit.noSuchNumber', { field: 'participantId' })
  const records = [{ id: row.id, code: row.code }]
  for (let wave = [row.id], hops = 0; wave.length > 0 && hops < MAX_MERGE_HOPS; hops++) {
    const merged = await db.selectFrom('participants').select(['id', 'code']).where('merged_into', 'in', wave).orderBy('id').execute()
    records.push(...merged)
    wave = merged.map((record) => record.id)
  }
  return { person: row, records, askedFor: row.id === id ? null : id }
}

/** How each backend reads a detail's JSON (text holding JSON, or null): the fields here are constants of this file. */
interface DetailJson {
  /** The id in `field`, or null. */
  id(column: string, field: string): RawBuilder<unknown>
  /** The ids listed in `field`, as a table of one column, `value`. */
  ids(column: string, field: string): RawBuilder<unknown>
}

const sqliteJson: DetailJson = {
  id: (column, field) => sql`json_extract(${sql.ref(column)}, ${`$.${field}`})`,
  ids: (column, field) => sql`(SELECT value FROM json_each(${sql.ref(column)}, ${`$.${field}`}))`,
}

/** PostgreSQL may test these before the row's action, so a field of another shape under another action must give null, not fail. */
const postgresJson: DetailJson = {
  id: (column, field) => {
    const value = sql`(CAST(${sql.ref(column)} AS json) -> ${sql.lit(field)})`
    return sql`(CASE WHEN json_typeof(${value}) = 'number' THEN CAST(CAST(${value} AS text) AS bigint) END)`
  },
  ids: (column, field) => {
    const value = sql`(CAST(${sql.ref(column)} AS json) -> ${sql.lit(field)})`
    return sql`(SELECT CAST(e.value AS bigint) AS value FROM json_array_elements_text(CASE WHEN json_typeof(${value}) = 'array' THEN ${value} END) AS e)`
  },
}

const detailJson = perBackend<DetailJson>({ sqlite: sqliteJson, postgres: postgresJson })

/**
 * The rows of the log about any of `ids`: targeted at them or at one of their visits (sign-ins,
 * sign-outs, edits), naming them in the detail, or listing them or their visits. One list of row
 * ids per way, each read through its own index (audit_log_by_target, audit_log_by_action), so the
 * filter never walks the whole log; a sign-in's `participantId` needs no list of its own, as its
 * visit is the person's.
 */
export function aboutPeople(db: Kysely<Database>, ids: number[]) {
  const json = detailJson(db)
  return (eb: ExpressionBuilder<Database, 'audit_log'>): Expression<SqlBool> => {
    const visits = eb.selectFrom('visits').select('visits.id').where('visits.participant_id', 'in', ids)
    const rows = (action?: string) => {
      const query = eb.selectFrom('audit_log as a').select('a.id')
      return action === undefined ? query : query.where('a.action', '=', action)
    }
    const lists = [
      rows().where('a.target_type', '=', 'participant').where('a.target_id', 'in', ids),
      rows().where('a.target_type', '=', 'visit').where('a.target_id', 'in', visits),
      ...PERSON_FIELDS.filter(([action]) => action !== 'visit.sign_in').map(([action, field]) =>
        rows(action).where(json.id('a.detail', field), 'in', ids),
      ),
      ...PEOPLE_LISTS.map(([action, field]) =>
        rows(action).where((inner) => inner.exists(inner.selectFrom(json.ids('a.detail', field).as('listed')).selectAll().where(sql.ref('listed.value'), 'in', ids))),
      ),
      ...VISIT_LISTS.map(([action, field]) =>
        rows(action).where((inner) => inner.exists(inner.selectFrom(json.ids('a.detail', field).as('listed')).selectAll().where(sql.ref('listed.value'), 'in', visits))),
      ),
    ]
    const [first, ...rest] = lists
    return eb('audit_log.id', 'in', rest.reduce((union, list) => union.unionAll(list), first!))
  }
}

interface LogRow {
  id: number
  action: string
  target_type: string | null
  target_id: number | null
  detail: Record<string, unknown> | null
}

function idsIn(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value]
  return list.filter((item): item is number => typeof item === 'number' && Number.isSafeInteger(item) && item > 0)
}

/** The people each row names, in the order the row names them, each record once. */
export async function peopleOfRows(db: Kysely<Database>, rows: LogRow[]): Promise<Map<number, { people: AuditPerson[]; more: number }>> {
  const visitIds = new Set<number>()
  for (const row of rows) {
    if (row.target_type === 'visit' && row.target_id !== null) visitIds.add(row.target_id)
    for (const [action, field] of VISIT_LISTS) if (row.action === action) idsIn(row.detail?.[field]).forEach((id) => visitIds.add(id))
  }
  const visitPerson = new Map<number, number>()
  if (visitIds.size > 0) {
    const visits = await db.selectFrom('visits').select(['id', 'participant_id']).where('id', 'in', [...visitIds]).execute()
    for (const visit of visits) if (visit.participant_id !== null) visitPerson.set(visit.id, visit.participant_id)
  }
  const named = new Map<number, number[]>()
  for (const row of rows) {
    const ids: number[] = []
    if (row.target_type === 'participant' && row.target_id !== null) ids.push(row.target_id)
    const fields = PERSON_FIELDS.flatMap(([action, field]) => (row.action === action ? idsIn(row.detail?.[field]) : []))
    // A sign-in names the record it was made on; other visit rows, the person the visit is theirs now.
    if (row.target_type === 'visit' && row.target_id !== null && fields.length === 0) ids.push(...idsIn(visitPerson.get(row.target_id)))
    ids.push(...fields)
    for (const [action, field] of PEOPLE_LISTS) if (row.action === action) ids.push(...idsIn(row.detail?.[field]))
    for (const [action, field] of VISIT_LISTS) if (row.action === action) ids.push(...idsIn(row.detail?.[field]).flatMap((visit) => idsIn(visitPerson.get(visit))))
    named.set(row.id, [...new Set(ids)])
  }
  const shown = new Set([...named.values()].flatMap((ids) => ids.slice(0, AUDIT_ROW_PEOPLE)))
  const people = await describePeople(db, [...shown])
  return new Map(
    [...named].map(([rowId, ids]) => [
      rowId,
      { people: ids.slice(0, AUDIT_ROW_PEOPLE).flatMap((id) => people.get(id) ?? []), more: Math.max(0, ids.length - AUDIT_ROW_PEOPLE) },
    ]),
  )
}

async function describePeople(db: Kysely<Database>, ids: number[]): Promise<Map<number, AuditPerson>> {
  const found = new Map<number, AuditPerson>()
  if (ids.length === 0) return found
  const rows = await db
    .selectFrom('participants')
    .select(['id', 'code', 'first_name', 'nickname', 'last_name', 'merged_into', 'deleted_at'])
    .where('id', 'in', ids)
    .execute()
  // The person each merged record belongs to now, following chains of merges.
  const now = new Map(rows.map((row) => [row.id, row]))
  let missing = rows.flatMap((row) => (row.merged_into !== null && !now.has(row.merged_into) ? [row.merged_into] : []))
  for (let hops = 0; missing.length > 0 && hops < MAX_MERGE_HOPS; hops++) {
    const more = await db
      .selectFrom('participants')
      .select(['id', 'code', 'first_name', 'nickname', 'last_name', 'merged_into', 'deleted_at'])
      .where('id', 'in', [...new Set(missing)])
      .execute()
    more.forEach((row) => now.set(row.id, row))
    missing = more.flatMap((row) => (row.merged_into !== null && !now.has(row.merged_into) ? [row.merged_into] : []))
  }
  for (const row of rows) {
    let home = row
    for (let hops = 0; home.merged_into !== null && now.has(home.merged_into) && hops < MAX_MERGE_HOPS; hops++) home = now.get(home.merged_into)!
    found.set(row.id, {
      id: row.id,
      code: row.code,
      // A record removed under the retention policy keeps its id and code, never a name.
      firstName: row.deleted_at === null ? row.first_name : null,
      nickname: row.deleted_at === null ? row.nickname : null,
      lastName: row.deleted_at === null ? row.last_name : null,
      mergedInto: home.id === row.id ? null : { id: home.id, code: home.code, firstName: home.first_name, nickname: home.nickname, lastName: home.last_name },
      removed: row.deleted_at !== null,
    })
  }
  return found
}

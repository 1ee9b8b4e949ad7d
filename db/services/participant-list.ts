import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely'
import type { Database } from '../schema'
import type { ParticipantListPage, ParticipantListRow, ParticipantSortColumn, SortDirection } from '../types'
import { centerId, inCenter } from './centers'
import { localDayStart, ServiceError, type ServiceContext } from './context'
import { activeOnly, phoneVariants, prefixEnd } from './duplicates'
import { normalizeName } from './participant-fields'
import { portable } from './portable'
import { PENDING_FILES } from './visible-visits'

export type { ParticipantListPage, ParticipantListRow }

export const MAX_PAGE = 500
/** Up to this many matches, sorting the matches beats walking a 100,000-entry index for them. */
const DRIVE_FROM_MATCHES = 2000

export interface ListParticipantsInput {
  offset: number
  limit: number
  sort?: { column: ParticipantSortColumn; direction: SortDirection }
  filter?: { text?: string; visitedSince?: string; neverVisited?: boolean }
}

/**
 * Each sort walks its own partial index (0002_front_desk, 0062), in order: ties break by id, which
 * the index holds, and for the visit count by last visit first (its index carries last_visit_at,
 * as a sign-in moves that entry anyway). Until 0062 every sort broke ties by last visit, which made
 * every sign-in move an entry in each of their indexes.
 */
const SORT_COLUMNS = {
  name: 'name_key',
  lastVisit: 'last_visit_at',
  created: 'created_at',
  visits: 'visit_count',
  birthYear: 'birth_year',
} as const satisfies Record<ParticipantSortColumn, string>

type SortColumn = (typeof SORT_COLUMNS)[ParticipantSortColumn]

/**
 * The ids matching one word of the text filter: the start of a first name, nickname or last
 * name, a code, a birth year (four digits) or a phone number (seven or more). Each arm reads
 * one covering index. UNION ALL, not UNION: a UNION makes SQLite merge the arms in id order,
 * which it does by reading the whole table; duplicates do not matter to IN or count(DISTINCT).
 */
function wordIds(db: Kysely<Database>, word: string) {
  const end = prefixEnd(word)
  const ids = () => activeOnly(db.selectFrom('participants').select('id'))
  let union = ids()
    .where('first_key', '>=', word)
    .where('first_key', '<', end)
    .unionAll(ids().where('nick_key', '>=', word).where('nick_key', '<', end))
    .unionAll(ids().where('last_key', '>=', word).where('last_key', '<', end))
    .unionAll(ids().where('code', '=', word.toUpperCase()))
  if (/^\d+$/.test(word)) {
    if (word.length === 4) union = union.unionAll(ids().where('birth_year', '=', Number(word)))
    if (word.length >= 7) union = union.unionAll(ids().where('phone_digits', 'in', phoneVariants(word)))
  }
  return union
}

type IdSet = ReturnType<typeof wordIds>

/** One id set per word (at most six): a person must be in every one. Null when there is no text. */
function textIds(db: Kysely<Database>, text: string | undefined): IdSet[] | null {
  const words = normalizeName(text ?? '')
    .split(' ')
    .filter(Boolean)
    .slice(0, 6)
  return words.length === 0 ? null : words.map((word) => wordIds(db, word))
}

interface Filters {
  since: string | null
  never: boolean
  ids: IdSet[] | null
}

function filtersOf(ctx: ServiceContext, filter: ListParticipantsInput['filter']): Filters {
  if (filter?.neverVisited && filter.visitedSince) {
    throw new ServiceError('VALIDATION', 'participants.listFilter', { field: 'filter.neverVisited' })
  }
  return {
    since: filter?.visitedSince ? localDayStart(ctx, filter.visitedSince) : null,
    never: Boolean(filter?.neverVisited),
    ids: textIds(ctx.db, filter?.text),
  }
}

/**
 * The filters as conditions. On the page query (`onIndexOf` set) they are written so SQLite
 * cannot drive the query from them (a leading `+`), which keeps it walking the sort's index,
 * in order, checking each entry: a page costs at most one pass over one index, however
 * selective the filter. The total drives from the filter's own index instead.
 */
function where(ctx: ServiceContext, f: Filters, onIndexOf?: SortColumn) {
  const { db } = ctx
  const { unindexed } = portable(db)
  // On the page the center is checked on each entry of the sort's index (see below), never used to drive it.
  let q = onIndexOf ? activeOnly(db.selectFrom('participants')).where(sql<SqlBool>`${unindexed('center_id')} = ${centerId(ctx)}`) : activeOnly(db.selectFrom('participants')).$call(inCenter(ctx, 'participants'))
  const plus = (column: string) => (onIndexOf && onIndexOf !== column ? unindexed(column) : sql.ref(column))
  if (f.never) q = q.where(sql<SqlBool>`${plus('last_visit_at')} IS NULL`)
  if (f.since) q = q.where(sql<SqlBool>`${plus('last_visit_at')} >= ${f.since}`)
  for (const ids of f.ids ?? []) q = q.where(sql<SqlBool>`${onIndexOf ? unindexed('id') : sql.ref('id')} IN (${ids as Expression<unknown>})`)
  return q
}

/**
 * Everyone who shows, counted without reading a single row: all records (SQLite counts the
 * smallest index), less the merged-away, the deleted and the people of a people list still going
 * in (never merged or deleted: nothing can reach them) (each a small covering index).
 * Counting "merged_into IS NULL AND deleted_at IS NULL" directly would read all 100,000 rows,
 * and the table asks for the total with every page it fetches.
 */
async function everyoneTotal(ctx: ServiceContext): Promise<number> {
  // Each count reads the center's range of participants_center (migration 0045), never a row.
  const count = (eb: ExpressionBuilder<Database, never>) => eb.selectFrom('participants').select(sql`count(*)`.as('n')).$call(inCenter(ctx, 'participants'))
  const { total } = await ctx.db
    .selectNoFrom((eb) =>
      sql<number>`(${count(eb)})
        - (${count(eb).where('merged_into', 'is not', null)})
        - (${count(eb).where('deleted_at', 'is not', null).where('merged_into', 'is', null)})
        - (${count(eb).where(sql<SqlBool>`import_file_id IN ${sql.raw(PENDING_FILES)}`)})`.as('total'),
    )
    .executeTakeFirstOrThrow()
  return total
}

async function filteredTotal(ctx: ServiceContext, f: Filters): Promise<number> {
  const { db } = ctx
  // The center's ids, from participants_center: the totals never read a participant row for them.
  const inThisCenter = db.selectFrom('participants').select('id').$call(inCenter(ctx, 'participants'))
  if (f.ids && !f.never && !f.since) {
    // Only text: count the matching ids themselves, never reading a participant row.
    const [first, ...rest] = f.ids
    let query = db.selectFrom(first!.as('matches')).select(sql<number>`count(DISTINCT id)`.as('total')).where(sql<SqlBool>`id IN (${inThisCenter})`)
    for (const ids of rest) query = query.where(sql<SqlBool>`id IN (${ids as Expression<unknown>})`)
    const { total } = await query.executeTakeFirstOrThrow()
    return total
  }
  // A date filter: counted on participants_list_last_visit's entries (since 0062 no other sort
  // index but the visit count's carries the last visit; checking the center on each row made
  // SQLite read the whole table instead).
  let query = activeOnly(db.selectFrom('participants')).where(sql<SqlBool>`id IN (${inThisCenter})`)
  if (f.never) query = query.where('last_visit_at', 'is', null)
  if (f.since) query = query.where('last_visit_at', '>=', f.since)
  for (const ids of f.ids ?? []) query = query.where(sql<SqlBool>`id IN (${ids as Expression<unknown>})`)
  const { total } = await query.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow()
  return total
}

/**
 * One page of everyone on file, for a virtualized table: `total` sizes the scroll bar, `rows`
 * fill the visible window. Merged-away and deleted records are not listed.
 */
export async function listParticipants(
  ctx: ServiceContext,
  input: ListParticipantsInput,
  /** For tests: force one way of answering a filtered page or the other. */
  tuning: { driveFromMatches?: number } = {},
): Promise<ParticipantListPage> {
  const limit = Math.min(Math.max(1, Math.floor(input.limit)), MAX_PAGE)
  const offset = Math.max(0, Math.floor(input.offset))
  const column = SORT_COLUMNS[input.sort?.column ?? 'name']
  const direction = input.sort?.direction ?? 'asc'
  const f = filtersOf(ctx, input.filter)
  const { nullsLowest } = portable(ctx.db)

  const filtered = Boolean(f.ids || f.never || f.since)
  const total = filtered ? await filteredTotal(ctx, f) : await everyoneTotal(ctx)
  // A filter matching few people: drive from the matches and sort them. Matching many: walk the
  // sort's index in order and check each entry, which stops as soon as the page is full.
  const fromMatches = filtered && total <= (tuning.driveFromMatches ?? DRIVE_FROM_MATCHES)
  let page = where(ctx, f, fromMatches ? undefined : column)
    .select(['id', 'code', 'first_name', 'nickname', 'last_name', 'birth_year', 'phone_digits', 'last_visit_at', 'visit_count', 'created_at'])
    .orderBy(column, nullsLowest(direction))
  if (column === 'visit_count') page = page.orderBy('last_visit_at', nullsLowest(direction))
  const rows = offset >= total ? [] : await page.orderBy('id', direction).limit(limit).offset(offset).execute()

  return {
    total,
    rows: rows.map((row) => ({
      id: row.id,
      code: row.code,
      firstName: row.first_name,
      nickname: row.nickname,
      lastName: row.last_name,
      birthYear: row.birth_year,
      phoneLast4: row.phone_digits && row.phone_digits.length >= 4 ? row.phone_digits.slice(-4) : null,
      lastVisitAt: row.last_visit_at,
      visitCount: row.visit_count,
      createdAt: row.created_at,
    })),
  }
}

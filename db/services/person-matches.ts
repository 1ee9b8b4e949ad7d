import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../schema'
import type { MatchCandidate, MatchGroup, MatchRecord, PersonMatchesOverview, Role } from '../types'
import { appendAudit } from './audit'
import { centersOfStaff, getCountingRule } from './centers'
import { brokeUnique, checkRowVersion, inTransaction, isoNow, ServiceError, type ServiceContext, type Trx, type UniqueIndex } from './context'
import { activeOnly, recordReasons, type RecordOnFile } from './duplicates'

export type { MatchCandidate, MatchGroup, MatchRecord, PersonMatchesOverview }

/**
 * Matching a person's records across centers (issue 15 point 4, migration 0060). Each center
 * registers its own record of a person; when the centers have agreed to match people (the
 * counting rule, centers.ts), an organization admin says which records are one person, and the
 * organization's figures count that person once.
 *
 * Who: an organization admin, i.e. an account with the admin role. An admin works in every center
 * in use (centersOfStaff), and sees and matches records of those centers only: a record of an
 * archived center is not proposed and cannot be matched, though matches made before stay. Nobody
 * else reaches any of this (the channels are the admin's; a desk's duplicate check stays in its
 * own center).
 *
 * The groups: one person_matches row per matched record; `org_person_id` is the smallest record id
 * in the group (normalize keeps it so after every change), so a record never matched can use its
 * own id as its key without colliding with a group. A group holds records of at least two centers
 * (two records of one center are one person through a merge, merges.ts).
 *
 * Merges within a center (merges.ts calls carryOnMerge/returnOnUndoMerge): the kept record takes
 * the merged record's match (a row with `merge_id`, removed again when the merge is undone); the
 * merged record keeps its own row, harmless while merged (its visits moved) and its match again
 * when the merge is undone. When both records were matched to different groups, the two groups
 * become one, and undoing the merge does not split them: undo the match if they are not one person.
 * Records the retention policy removes drop out of their groups (dropMatches).
 */

/**
 * The counting seam (for the organization's dashboard and funder report): SQL for the
 * organization person key of a participant-id column. With matchPeople on, a matched record's
 * group key, else the id itself (also 0 or NULL for anonymous rows, unchanged); with it off,
 * just the column, so each center's record is its own person. A look-up on the primary key,
 * the same SQL on both backends.
 */
export function orgPersonKey(column: string, matchPeople: boolean): RawBuilder<number> {
  const ref = sql.ref(column)
  return matchPeople ? sql<number>`coalesce((SELECT pm.org_person_id FROM person_matches pm WHERE pm.participant_id = ${ref}), ${ref})` : sql<number>`${ref}`
}

/** Every matched record's key (participant id -> key), for tests and checks. */
export async function orgPersonKeys(db: Kysely<Database>): Promise<Map<number, number>> {
  const rows = await db.selectFrom('person_matches').select(['participant_id', 'org_person_id']).execute()
  return new Map(rows.map((row) => [Number(row.participant_id), Number(row.org_person_id)]))
}

/** Who is asking: an admin, with the centers they work in. */
export interface Matcher {
  id: number
  role: Role
}

/** How many candidate pairs the review shows at once: each is decided, then the next come up. */
const MAX_CANDIDATES = 50
/** How many name-and-year buckets spanning centers are read at once, so the review stays quick at 100,000 people. */
const MAX_BUCKETS = 1000
/** How many matched groups the review lists (the most recent first). */
const MAX_GROUPS = 100

const MATCH_KEY: UniqueIndex = { name: 'person_matches_pkey', table: 'person_matches', columns: ['participant_id'] }

/** The centers an admin matches records of; anyone else is refused (the door refuses them first). */
async function matcherCenters(db: Kysely<Database>, staff: Matcher): Promise<Map<number, string>> {
  if (staff.role !== 'admin') throw new ServiceError('FORBIDDEN', 'personMatches.adminOnly')
  return new Map((await centersOfStaff(db, staff)).map((center) => [Number(center.id), center.name]))
}

async function refuseUnlessMatching(db: Kysely<Database>): Promise<void> {
  if (!(await getCountingRule(db)).matchPeople) throw new ServiceError('CONFLICT', 'personMatches.off')
}

const RECORD_COLUMNS = ['id', 'center_id', 'first_name', 'nickname', 'last_name', 'birth_date', 'birth_year', 'last_visit_at', 'first_key', 'nick_key', 'last_key', 'phone_digits'] as const

type RecordRow = RecordOnFile & { center_id: number; first_name: string | null; nickname: string | null; last_name: string | null; last_visit_at: string | null }

function toRecord(row: RecordRow, centers: Map<number, string>): MatchRecord {
  return {
    id: Number(row.id),
    centerId: Number(row.center_id),
    centerName: centers.get(Number(row.center_id)) ?? '',
    firstName: row.first_name,
    nickname: row.nickname,
    lastName: row.last_name,
    birthDate: row.birth_date,
    birthYear: row.birth_year,
    lastVisitAt: row.last_visit_at,
  }
}

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`)

/**
 * The review: pairs of records of different centers that the desk's duplicate scorer
 * (duplicates.ts recordReasons) says may be one person, not already one group and not said to be
 * two people; and the groups matched so far. Records are compared within buckets of the same
 * birth year and last name, so a pair whose last names are spelled differently, or with no birth
 * year on file, is not proposed until a center corrects its record. Audited as a look at records.
 */
export async function listPersonMatches(ctx: ServiceContext, staff: Matcher): Promise<PersonMatchesOverview> {
  const db = ctx.db
  const centers = await matcherCenters(db, staff)
  const { matchPeople } = await getCountingRule(db)
  const centerIds = [...centers.keys()]
  const candidates = matchPeople && centerIds.length > 1 ? await findCandidates(db, centerIds, centers) : []
  const groups = await listGroups(db, centerIds, centers)
  await inTransaction(ctx, (trx) =>
    appendAudit(trx, isoNow(ctx), {
      staffId: ctx.staffId,
      action: 'person_match.list',
      detail: { candidates: candidates.length, groups: groups.length },
    }),
  )
  return { matchPeople, candidates, groups }
}

async function findCandidates(db: Kysely<Database>, centerIds: number[], centers: Map<number, string>): Promise<MatchCandidate[]> {
  const buckets = activeOnly(db.selectFrom('participants').select(['birth_year', 'last_key']))
    .where('center_id', 'in', centerIds)
    .where('birth_year', 'is not', null)
    .where('last_key', 'is not', null)
    .groupBy(['birth_year', 'last_key'])
    .having((eb) => eb.fn.count('center_id').distinct(), '>', 1)
    .limit(MAX_BUCKETS)
  const rows = (await activeOnly(db.selectFrom('participants').select(RECORD_COLUMNS.map((c) => `participants.${c}` as const)))
    .innerJoin(buckets.as('b'), (join) => join.onRef('b.birth_year', '=', 'participants.birth_year').onRef('b.last_key', '=', 'participants.last_key'))
    .where('participants.center_id', 'in', centerIds)
    .execute()) as RecordRow[]
  if (rows.length === 0) return []
  const ids = rows.map((row) => Number(row.id))
  const keys = new Map(
    (await db.selectFrom('person_matches').select(['participant_id', 'org_person_id']).where('participant_id', 'in', ids).execute()).map((row) => [Number(row.participant_id), Number(row.org_person_id)]),
  )
  const dismissed = new Set(
    (await db.selectFrom('person_match_dismissals').select(['low_id', 'high_id']).where('low_id', 'in', ids).execute()).map((row) => pairKey(Number(row.low_id), Number(row.high_id))),
  )
  const byBucket = new Map<string, RecordRow[]>()
  for (const row of rows) {
    const bucket = `${row.birth_year}|${row.last_key}`
    byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), row])
  }
  const found: Array<MatchCandidate & { strength: number; latest: string }> = []
  for (const members of byBucket.values()) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const [a, b] = [members[i]!, members[j]!]
        if (Number(a.center_id) === Number(b.center_id)) continue
        const [ka, kb] = [keys.get(Number(a.id)), keys.get(Number(b.id))]
        if (ka !== undefined && ka === kb) continue
        if (dismissed.has(pairKey(Number(a.id), Number(b.id)))) continue
        const reasons = recordReasons(a, b)
        // A name reason is needed: a shared phone alone (a shelter's number) is not one person.
        if (!reasons.some((reason) => reason !== 'same_phone')) continue
        const [first, second] = Number(a.center_id) < Number(b.center_id) || (Number(a.center_id) === Number(b.center_id) && Number(a.id) < Number(b.id)) ? [a, b] : [b, a]
        const latest = [a.last_visit_at ?? '', b.last_visit_at ?? ''].sort().at(-1)!
        found.push({ first: toRecord(first, centers), second: toRecord(second, centers), reasons, strength: reasons.length * 10 + (reasons.includes('same_name_birth_year') ? 5 : 0), latest })
      }
    }
  }
  return found
    .sort((x, y) => y.strength - x.strength || y.latest.localeCompare(x.latest) || x.first.id - y.first.id || x.second.id - y.second.id)
    .slice(0, MAX_CANDIDATES)
    .map(({ strength: _strength, latest: _latest, ...candidate }) => candidate)
}

/** The groups with a record in the admin's centers, most recently matched first; merged records are not shown (their kept record is). */
async function listGroups(db: Kysely<Database>, centerIds: number[], centers: Map<number, string>): Promise<MatchGroup[]> {
  const recent = await db
    .selectFrom('person_matches')
    .select((eb) => ['org_person_id', eb.fn.max('matched_at').as('latest')])
    .where('center_id', 'in', centerIds)
    .groupBy('org_person_id')
    .orderBy('latest', 'desc')
    .orderBy('org_person_id', 'desc')
    .limit(MAX_GROUPS)
    .execute()
  if (recent.length === 0) return []
  const rows = await db
    .selectFrom('person_matches as pm')
    .innerJoin('participants', 'participants.id', 'pm.participant_id')
    .select([...RECORD_COLUMNS.map((c) => `participants.${c}` as const), 'pm.org_person_id', 'pm.row_version', 'pm.matched_at'])
    .where('pm.org_person_id', 'in', recent.map((row) => Number(row.org_person_id)))
    .where('participants.merged_into', 'is', null)
    .where('participants.center_id', 'in', centerIds)
    .orderBy('participants.center_id')
    .orderBy('participants.id')
    .execute()
  const byKey = new Map<number, MatchGroup['records']>()
  for (const row of rows) {
    const key = Number(row.org_person_id)
    byKey.set(key, [...(byKey.get(key) ?? []), { ...toRecord(row as RecordRow, centers), version: Number(row.row_version), matchedAt: row.matched_at }])
  }
  return recent.flatMap((row) => {
    const records = byKey.get(Number(row.org_person_id))
    return records ? [{ key: Number(row.org_person_id), records }] : []
  })
}

/** A record an admin may match now: active, visible, of a center they work in. */
async function matchable(trx: Trx, id: number, centers: Map<number, string>) {
  const row = await activeOnly(trx.selectFrom('participants').select(['id', 'center_id'])).where('id', '=', id).executeTakeFirst()
  if (!row || !centers.has(Number(row.center_id))) throw new ServiceError('NOT_FOUND', 'personMatches.recordNotFound', { field: 'secondId' })
  return { id: Number(row.id), center: Number(row.center_id) }
}

/**
 * Puts a group right after a change: its key the smallest record id in it (versions moved on
 * where the key changed, so a screen that read the old key is refused); a group left with
 * records of fewer than two centers is no match and goes.
 */
async function normalize(trx: Trx, memberIds: readonly number[]): Promise<void> {
  if (memberIds.length === 0) return
  const rows = await trx.selectFrom('person_matches').select(['participant_id', 'org_person_id', 'center_id']).where('participant_id', 'in', [...memberIds]).execute()
  if (rows.length === 0) return
  if (new Set(rows.map((row) => Number(row.center_id))).size < 2) {
    await trx.deleteFrom('person_matches').where('participant_id', 'in', rows.map((row) => Number(row.participant_id))).execute()
    return
  }
  const key = Math.min(...rows.map((row) => Number(row.participant_id)))
  const moving = rows.filter((row) => Number(row.org_person_id) !== key).map((row) => Number(row.participant_id))
  if (moving.length > 0) {
    await trx
      .updateTable('person_matches')
      .set((eb) => ({ org_person_id: key, row_version: eb('row_version', '+', 1) }))
      .where('participant_id', 'in', moving)
      .execute()
  }
}

/** Every record of the groups these records are in (the records themselves included when matched). */
async function groupMembers(trx: Trx, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return []
  const rows = await trx
    .selectFrom('person_matches')
    .select('participant_id')
    .where('org_person_id', 'in', trx.selectFrom('person_matches').select('org_person_id').where('participant_id', 'in', [...ids]))
    .execute()
  return rows.map((row) => Number(row.participant_id))
}

/** Adds records to the group of `members` (already rows), with the group's key put right afterwards. */
async function addToGroup(trx: Trx, records: ReadonlyArray<{ id: number; center: number }>, members: readonly number[], by: { staffId: number | null; at: string; mergeId?: number }): Promise<void> {
  const all = [...new Set([...members, ...records.map((r) => r.id)])]
  const key = Math.min(...all)
  // Existing rows first take the new key, so every row keeps org_person_id <= participant_id.
  if (members.length > 0) {
    await trx
      .updateTable('person_matches')
      .set((eb) => ({ org_person_id: key, row_version: eb('row_version', '+', 1) }))
      .where('participant_id', 'in', [...members])
      .where('org_person_id', '<>', key)
      .execute()
  }
  if (records.length > 0) {
    await trx
      .insertInto('person_matches')
      .values(records.map((r) => ({ participant_id: r.id, org_person_id: key, center_id: r.center, matched_by: by.staffId, matched_at: by.at, merge_id: by.mergeId ?? null })))
      .execute()
  }
}

/**
 * An admin confirms two records of different centers are one person: they (and the groups they
 * were in) become one group. Audited, in one transaction.
 */
export async function confirmMatch(ctx: ServiceContext, staff: Matcher, input: { firstId: number; secondId: number }): Promise<MatchGroup> {
  if (input.firstId === input.secondId) throw new ServiceError('VALIDATION', 'personMatches.sameRecord', { field: 'secondId' })
  const centers = await matcherCenters(ctx.db, staff)
  let key = 0
  try {
    key = await inTransaction(ctx, async (trx) => {
      await refuseUnlessMatching(trx)
      const first = await matchable(trx, input.firstId, centers)
      const second = await matchable(trx, input.secondId, centers)
      if (first.center === second.center) throw new ServiceError('VALIDATION', 'personMatches.sameCenter', { field: 'secondId' })
      // Already one person (a retry, or another admin's same answer): nothing to write.
      const already = await trx.selectFrom('person_matches').select('org_person_id').where('participant_id', 'in', [first.id, second.id]).execute()
      if (already.length === 2 && Number(already[0]!.org_person_id) === Number(already[1]!.org_person_id)) return Number(already[0]!.org_person_id)
      const members = await groupMembers(trx, [first.id, second.id])
      const at = isoNow(ctx)
      await addToGroup(trx, [first, second].filter((r) => !members.includes(r.id)), members, { staffId: ctx.staffId, at })
      const low = Math.min(first.id, second.id)
      const high = Math.max(first.id, second.id)
      await trx.deleteFrom('person_match_dismissals').where('low_id', '=', low).where('high_id', '=', high).execute()
      const made = Math.min(...members, first.id, second.id)
      await appendAudit(trx, at, { staffId: ctx.staffId, action: 'person_match.confirm', targetType: 'participant', targetId: first.id, detail: { records: [first.id, second.id], key: made, joined: members.length } })
      return made
    })
  } catch (error) {
    // Another admin matched one of the two at the same moment (PostgreSQL): read the review again.
    if (brokeUnique(error, MATCH_KEY)) throw new ServiceError('CONFLICT', 'personMatches.changed')
    throw error
  }
  const group = (await listGroups(ctx.db, [...centers.keys()], centers)).find((g) => g.key === key)
  return group ?? { key, records: [] }
}

/** An admin says two records are not one person: the pair is not proposed again. Audited. */
export async function dismissMatch(ctx: ServiceContext, staff: Matcher, input: { firstId: number; secondId: number }): Promise<void> {
  if (input.firstId === input.secondId) throw new ServiceError('VALIDATION', 'personMatches.sameRecord', { field: 'secondId' })
  const centers = await matcherCenters(ctx.db, staff)
  await inTransaction(ctx, async (trx) => {
    await refuseUnlessMatching(trx)
    const first = await matchable(trx, input.firstId, centers)
    const second = await matchable(trx, input.secondId, centers)
    if (first.center === second.center) throw new ServiceError('VALIDATION', 'personMatches.sameCenter', { field: 'secondId' })
    const at = isoNow(ctx)
    await trx
      .insertInto('person_match_dismissals')
      .values({ low_id: Math.min(first.id, second.id), high_id: Math.max(first.id, second.id), dismissed_by: ctx.staffId, dismissed_at: at })
      .onConflict((oc) => oc.columns(['low_id', 'high_id']).doNothing())
      .execute()
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'person_match.dismiss', targetType: 'participant', targetId: first.id, detail: { records: [first.id, second.id] } })
  })
}

/**
 * An admin takes a record out of its group (`version` as the review read it): it counts as its
 * own person again, and so do the records merged into it. A group left with one center's records
 * is no match and goes whole. Audited.
 */
export async function undoMatch(ctx: ServiceContext, staff: Matcher, input: { participantId: number; version?: number }): Promise<void> {
  const centers = await matcherCenters(ctx.db, staff)
  await inTransaction(ctx, async (trx) => {
    await refuseUnlessMatching(trx)
    const row = await trx.selectFrom('person_matches').select(['participant_id', 'org_person_id', 'center_id', 'row_version']).where('participant_id', '=', input.participantId).executeTakeFirst()
    if (!row || !centers.has(Number(row.center_id))) throw new ServiceError('NOT_FOUND', 'personMatches.notFound')
    checkRowVersion({ row_version: Number(row.row_version) }, input.version)
    const members = await groupMembers(trx, [input.participantId])
    const mergedIn = (await trx.selectFrom('participants').select('id').where('merged_into', '=', input.participantId).execute()).map((r) => Number(r.id))
    const leaving = [input.participantId, ...mergedIn.filter((id) => members.includes(id))]
    await trx.deleteFrom('person_matches').where('participant_id', 'in', leaving).execute()
    const left = members.filter((id) => !leaving.includes(id))
    await normalize(trx, left)
    const stays = left.length > 0 ? await trx.selectFrom('person_matches').select('participant_id').where('participant_id', 'in', left).execute() : []
    await appendAudit(trx, isoNow(ctx), {
      staffId: ctx.staffId,
      action: 'person_match.undo',
      targetType: 'participant',
      targetId: input.participantId,
      detail: { key: Number(row.org_person_id), removed: leaving, groupKept: stays.length > 0 },
    })
  })
}

/**
 * Inside a merge's transaction (merges.ts): the kept record takes the merged record's match. Says
 * what it did, for the merge's audit row.
 */
export async function carryOnMerge(trx: Trx, merge: { id: number; keptId: number; mergedId: number; at: string; staffId: number | null }): Promise<'none' | 'carried' | 'joined'> {
  const merged = await trx.selectFrom('person_matches').select(['org_person_id']).where('participant_id', '=', merge.mergedId).executeTakeFirst()
  if (!merged) return 'none'
  const kept = await trx.selectFrom('person_matches').select(['org_person_id']).where('participant_id', '=', merge.keptId).executeTakeFirst()
  if (kept && Number(kept.org_person_id) === Number(merged.org_person_id)) return 'none'
  const members = await groupMembers(trx, [merge.mergedId, merge.keptId])
  if (kept) {
    await addToGroup(trx, [], members, { staffId: merge.staffId, at: merge.at })
    return 'joined'
  }
  const center = await trx.selectFrom('participants').select('center_id').where('id', '=', merge.keptId).executeTakeFirstOrThrow()
  await addToGroup(trx, [{ id: merge.keptId, center: Number(center.center_id) }], members, { staffId: merge.staffId, at: merge.at, mergeId: merge.id })
  return 'carried'
}

/** Inside an undone merge's transaction: the match the merge carried to the kept record goes back (the merged record kept its own). */
export async function returnOnUndoMerge(trx: Trx, mergeId: number): Promise<void> {
  const carried = await trx.selectFrom('person_matches').select('participant_id').where('merge_id', '=', mergeId).execute()
  if (carried.length === 0) return
  const ids = carried.map((row) => Number(row.participant_id))
  const members = await groupMembers(trx, ids)
  await trx.deleteFrom('person_matches').where('merge_id', '=', mergeId).execute()
  await normalize(trx, members.filter((id) => !ids.includes(id)))
}

/** Inside the retention run: records it removes drop out of their groups (and a group left with one center goes). */
export async function dropMatches(trx: Trx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  const members = await groupMembers(trx, ids)
  if (members.length === 0) return
  await trx.deleteFrom('person_matches').where('participant_id', 'in', [...ids]).execute()
  // A group's records, one group at a time: normalize puts one group right.
  const gone = new Set(ids)
  const rows = await trx.selectFrom('person_matches').select(['participant_id', 'org_person_id']).where('participant_id', 'in', members.filter((id) => !gone.has(id))).execute()
  const byKey = new Map<number, number[]>()
  for (const row of rows) byKey.set(Number(row.org_person_id), [...(byKey.get(Number(row.org_person_id)) ?? []), Number(row.participant_id)])
  for (const group of byKey.values()) await normalize(trx, group)
}

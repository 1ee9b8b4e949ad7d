import type { Kysely } from 'kysely'
import type { Database, Participant } from '../schema'
import type { MergeRecord, ParticipantDetails, ParticipantProfile, ServiceTotal, VisitRecord } from '../types'
import { inCenter, type CenterScope } from './centers'
import { appendAudit } from './audit'
import { checkRowVersion, inTransaction, isoNow, ServiceError, type ServiceContext, type Trx } from './context'
import { getFieldRules } from './field-rules'
import { applyParticipantFields, columnsOf, valuesOf, type ParticipantFieldsInput } from './participant-fields'
import { toSummary } from './participants'
import { visiblePerson, visibleVisit } from './visible-visits'

export type { ParticipantDetails, ParticipantProfile }

/** Merges can chain (A into B, later B into C); no real chain is anywhere near this long. */
const MAX_MERGE_HOPS = 50

/**
 * The record for an id, following merges to the person it now belongs to.
 * `redirectedFrom` is the id asked for when that record was merged away.
 */
export async function resolveParticipant(db: Kysely<Database>, id: number, scope: CenterScope): Promise<{ row: Participant; redirectedFrom?: number }> {
  // Another center's person is not found: every per-person channel resolves its person here.
  const byId = (at: number) => db.selectFrom('participants').selectAll().where('id', '=', at).where(visiblePerson()).$call(inCenter(scope, 'participants')).executeTakeFirst()
  let row = await byId(id)
  for (let hops = 0; row && row.merged_into !== null && hops < MAX_MERGE_HOPS; hops++) {
    row = await byId(row.merged_into)
  }
  if (!row || row.deleted_at !== null || row.merged_into !== null) throw new ServiceError('NOT_FOUND', 'participants.notFound')
  return row.id === id ? { row } : { row, redirectedFrom: id }
}

/** The person's record as it stands, refusing one that is merged away (edit the kept one). */
export async function activeParticipant(db: Kysely<Database>, id: number, scope: CenterScope): Promise<Participant> {
  const row = await db.selectFrom('participants').selectAll().where('id', '=', id).where(visiblePerson()).$call(inCenter(scope, 'participants')).executeTakeFirst()
  if (!row || row.deleted_at !== null) throw new ServiceError('NOT_FOUND', 'participants.notFound')
  if (row.merged_into !== null) {
    const { row: kept } = await resolveParticipant(db, id, scope)
    throw new ServiceError('CONFLICT', 'participants.merged', {
      mergedInto: kept.id,
      code: kept.code,
    })
  }
  return row
}

/** Keeps `last_visit_at` true to the visits that count, after a void, an edit or a merge. */
export async function refreshLastVisit(trx: Trx, scope: CenterScope, participantIds: Array<number | null>): Promise<void> {
  for (const id of new Set(participantIds)) {
    if (id === null) continue
    const last = await trx
      .selectFrom('visits')
      .select('signed_in_at')
      .$call(inCenter(scope, 'visits'))
      .where('participant_id', '=', id)
      .where('voided_at', 'is', null)
      .where(visibleVisit())
      .orderBy('signed_in_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    await trx
      .updateTable('participants')
      .set({ last_visit_at: last?.signed_in_at ?? null })
      .where('id', '=', id)
      .$call(inCenter(scope, 'participants'))
      .execute()
  }
}

async function aliasesOf(db: Kysely<Database>, id: number): Promise<string[]> {
  const rows = await db.selectFrom('participant_aliases').select('code').where('participant_id', '=', id).orderBy('created_at').orderBy('code').execute()
  return rows.map((row) => row.code)
}

export async function detailsOf(db: Kysely<Database>, row: Participant): Promise<ParticipantDetails> {
  return {
    ...toSummary(row),
    ...valuesOf(row),
    aliases: await aliasesOf(db, row.id),
    visitCount: row.visit_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.row_version,
  }
}

/**
 * Changes some of a person's fields (the ones sent; null clears one). The center's field rules
 * apply to the fields sent: a hidden field takes no value, a required one cannot be cleared.
 */
export async function updateParticipant(ctx: ServiceContext, id: number, input: ParticipantFieldsInput, version?: number): Promise<ParticipantDetails> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const row = await activeParticipant(trx, id, ctx)
    checkRowVersion(row, version)
    const { values, changed } = applyParticipantFields(await getFieldRules(trx), valuesOf(row), input, ctx.now())
    if (changed.length === 0) return detailsOf(trx, row)
    // Only if no other PC saved since the read (its version is the one checked above).
    const updated = await trx
      .updateTable('participants')
      .set({ ...columnsOf(values), updated_at: now, row_version: row.row_version + 1 })
      .where('id', '=', id)
      .where('row_version', '=', row.row_version)
      .returningAll()
      .executeTakeFirst()
    if (!updated) throw new ServiceError('STALE', 'door.changedElsewhere')
    // Which fields changed, never their values: the audit log is not a second copy of the record.
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'participant.update', targetType: 'participant', targetId: id, detail: { fields: changed } })
    return detailsOf(trx, updated)
  })
}

export async function visitHistory(db: Kysely<Database>, scope: CenterScope, participantId: number): Promise<VisitRecord[]> {
  const visits = await db
    .selectFrom('visits')
    .select(['id', 'visit_date', 'signed_in_at', 'signed_out_at', 'note', 'voided_at', 'void_reason'])
    .$call(inCenter(scope, 'visits'))
    .where('participant_id', '=', participantId)
    .where(visibleVisit())
    .orderBy('signed_in_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  const lines = await db
    .selectFrom('visits as v')
    .innerJoin('visit_services as vs', 'vs.visit_id', 'v.id')
    .innerJoin('services as s', 's.id', 'vs.service_id')
    .select(['vs.visit_id', 'vs.service_id', 'vs.quantity', 's.key', 's.name_en', 's.name_es'])
    .$call(inCenter(scope, 'v'))
    .where('v.participant_id', '=', participantId)
    .where(visibleVisit('v'))
    .orderBy('s.sort_order')
    .execute()
  const byVisit = new Map<number, VisitRecord['services']>()
  for (const line of lines) {
    const list = byVisit.get(line.visit_id) ?? []
    list.push({ serviceId: line.service_id, key: line.key, nameEn: line.name_en, nameEs: line.name_es, quantity: line.quantity })
    byVisit.set(line.visit_id, list)
  }
  return visits.map((visit) => ({
    id: visit.id,
    visitDate: visit.visit_date,
    signedInAt: visit.signed_in_at,
    signedOutAt: visit.signed_out_at,
    services: byVisit.get(visit.id) ?? [],
    note: visit.note,
    voidedAt: visit.voided_at,
    voidReason: visit.void_reason,
  }))
}

function serviceTotals(visits: VisitRecord[]): ServiceTotal[] {
  const totals = new Map<number, ServiceTotal>()
  for (const visit of visits) {
    if (visit.voidedAt) continue
    for (const line of visit.services) {
      const total = totals.get(line.serviceId) ?? { serviceId: line.serviceId, key: line.key, nameEn: line.nameEn, nameEs: line.nameEs, visits: 0, quantity: 0 }
      total.visits++
      total.quantity += line.quantity
      totals.set(line.serviceId, total)
    }
  }
  return [...totals.values()].sort((a, b) => b.visits - a.visits || a.nameEn.localeCompare(b.nameEn))
}

export async function mergeRecords(db: Kysely<Database>, scope: CenterScope, where: { participantId: number } | { mergeId: number }): Promise<MergeRecord[]> {
  let query = db
    .selectFrom('participant_merges as m')
    .$call(inCenter(scope, 'm'))
    .leftJoin('staff as by', 'by.id', 'm.merged_by')
    .leftJoin('staff as undoer', 'undoer.id', 'm.undone_by')
    .selectAll('m')
    .select(['by.display_name as merged_by_name', 'undoer.display_name as undone_by_name'])
  query =
    'mergeId' in where
      ? query.where('m.id', '=', where.mergeId)
      : query.where((eb) => eb.or([eb('m.kept_id', '=', where.participantId), eb('m.merged_id', '=', where.participantId)]))
  const rows = await query.orderBy('m.id', 'desc').execute()
  return rows.map((row) => ({
    id: row.id,
    keptId: row.kept_id,
    mergedId: row.merged_id,
    mergedCode: row.merged_code,
    movedVisitIds: JSON.parse(row.moved_visit_ids) as number[],
    mergedAt: row.merged_at,
    mergedBy: row.merged_by,
    mergedByName: row.merged_by_name,
    note: row.note,
    undoneAt: row.undone_at,
    undoneBy: row.undone_by,
    undoneByName: row.undone_by_name,
  }))
}

/**
 * Everything about one person, for their profile: details, every visit (voided ones marked),
 * what they received, and merges. An id that was merged away opens the person it went to,
 * with `redirectedFrom` set. The read itself is audited ('participant.view').
 */
export async function getParticipantProfile(ctx: ServiceContext, id: number, options: { limited?: boolean } = {}): Promise<ParticipantProfile> {
  return inTransaction(ctx, async (trx) => {
    const { row, redirectedFrom } = await resolveParticipant(trx, id, ctx)
    let profile: ParticipantProfile
    if (options.limited) {
      profile = { participant: limitedDetails(row), visits: [], servicesReceived: [], merges: [], limited: true }
    } else {
      const visits = await visitHistory(trx, ctx, row.id)
      profile = {
        participant: await detailsOf(trx, row),
        visits,
        servicesReceived: serviceTotals(visits),
        merges: await mergeRecords(trx, ctx, { participantId: row.id }),
      }
    }
    if (redirectedFrom !== undefined) profile.redirectedFrom = redirectedFrom
    const detail = { ...(redirectedFrom !== undefined ? { requestedId: redirectedFrom } : {}), ...(options.limited ? { limited: true } : {}) }
    await appendAudit(trx, isoNow(ctx), {
      staffId: ctx.staffId,
      action: 'participant.view',
      targetType: 'participant',
      targetId: row.id,
      ...(Object.keys(detail).length > 0 ? { detail } : {}),
    })
    return profile
  })
}

/** What a facilitator needs to run a group with someone: what to call them and in which language. */
function limitedDetails(row: Participant): ParticipantDetails {
  return {
    ...toSummary(row),
    pronouns: row.pronouns,
    preferredLanguage: row.preferred_language,
    birthYear: null,
    phoneLast4: null,
    lastVisitAt: null,
    birthDate: null,
    phone: null,
    gender: null,
    raceEthnicity: null,
    veteranStatus: null,
    housingStatus: null,
    heardAbout: null,
    emergencyContactName: null,
    emergencyContactPhone: null,
    aliases: [],
    visitCount: 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.row_version,
  }
}

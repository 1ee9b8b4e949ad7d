import { OPEN_ENGAGEMENT } from '../coaching-types'
import type { MergeRecord } from '../types'
import { appendAudit } from './audit'
import { CENTER_OWNED, centerId, inCenter, type CenterScope } from './centers'
import { checkRowVersion, inTransaction, isoNow, ServiceError, type ServiceContext, type Trx } from './context'
import { carryOnMerge, returnOnUndoMerge } from './person-matches'
import { activeParticipant, mergeRecords, refreshLastVisit } from './profile'

export type { MergeRecord }

/**
 * The person's other records that follow them to the kept record, and back on undo. Rows that
 * hang off these (engagement history, meetings, plan steps) follow through their parent's id.
 */
const MORE_PERSON_TABLES = ['coaching_engagements', 'coaching_contacts', 'plan_goals', 'plan_changes', 'restrictions', 'care_flags', 'incident_people'] as const
type MorePersonTable = (typeof MORE_PERSON_TABLES)[number]

/** A table a center owns is read and written in the window's center; a child table (plan goals, incident people) through its person only. */
const owned = (table: MorePersonTable): boolean => (CENTER_OWNED as readonly string[]).includes(table)

async function idsOf(trx: Trx, scope: CenterScope, table: MorePersonTable, participantId: number): Promise<number[]> {
  let query = trx.selectFrom(table).select('id').where('participant_id', '=', participantId)
  if (owned(table)) query = query.$call(inCenter(scope, table))
  const rows = await query.orderBy('id').execute()
  return rows.map((row) => row.id)
}

async function moveMore(trx: Trx, scope: CenterScope, moved: Partial<Record<MorePersonTable, number[]>>, from: number, to: number): Promise<void> {
  for (const table of MORE_PERSON_TABLES) {
    const ids = moved[table] ?? []
    if (ids.length === 0) continue
    let update = trx.updateTable(table).set({ participant_id: to }).where('id', 'in', ids).where('participant_id', '=', from)
    if (owned(table)) update = update.$call(inCenter(scope, table))
    const result = await update.executeTakeFirst()
    if (Number(result.numUpdatedRows) !== ids.length) throw new ServiceError('CONFLICT', 'merges.moved', { records: table })
  }
}

/**
 * Two records for one person: `mergeId`'s visits move to `keepId`, its code (and the codes
 * merged into it before) become aliases of the kept person, and it disappears from lists and
 * searches while the merge stands. Everything moved is written down, so `undoMerge` can put
 * exactly that back.
 */
export async function mergeParticipants(
  ctx: ServiceContext,
  keepId: number,
  mergeId: number,
  note?: string | null,
  /** The versions the merge dialog showed: a merge of what another PC changed since is refused. */
  versions: { keep?: number; merge?: number } = {},
): Promise<MergeRecord> {
  if (keepId === mergeId) throw new ServiceError('VALIDATION', 'merges.sameRecord', { field: 'mergeId' })
  const id = await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const kept = await activeParticipant(trx, keepId, ctx)
    const merged = await activeParticipant(trx, mergeId, ctx)
    checkRowVersion(kept, versions.keep)
    checkRowVersion(merged, versions.merge)

    const visits = await trx.selectFrom('visits').select('id').$call(inCenter(ctx, 'visits')).where('participant_id', '=', merged.id).orderBy('id').execute()
    const visitIds = visits.map((visit) => visit.id)
    const aliases = await trx.selectFrom('participant_aliases').select('code').where('participant_id', '=', merged.id).orderBy('code').execute()
    const aliasCodes = aliases.map((alias) => alias.code)
    const referralIds = (await trx.selectFrom('referrals').select('id').$call(inCenter(ctx, 'referrals')).where('participant_id', '=', merged.id).orderBy('id').execute()).map((row) => row.id)
    const consentIds = (await trx.selectFrom('consents').select('id').$call(inCenter(ctx, 'consents')).where('participant_id', '=', merged.id).orderBy('id').execute()).map((row) => row.id)
    const assessmentIds = (await trx.selectFrom('assessments').select('id').$call(inCenter(ctx, 'assessments')).where('participant_id', '=', merged.id).orderBy('id').execute()).map((row) => row.id)
    // Group attendance follows the person, except in a session where the kept record is marked
    // too: one person is marked once a session, and the kept record's mark stands.
    const attendanceIds = (
      await trx
        .selectFrom('attendance as a')
        .select('a.id')
        .$call(inCenter(ctx, 'a'))
        .where('a.participant_id', '=', merged.id)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('attendance as k').select('k.id').whereRef('k.session_id', '=', 'a.session_id').where('k.participant_id', '=', kept.id))),
        )
        .orderBy('a.id')
        .execute()
    ).map((row) => row.id)
    // One open coaching engagement per person: two would leave the kept person with two coaches.
    const openEngagements = await trx
      .selectFrom('coaching_engagements')
      .select('participant_id')
      .$call(inCenter(ctx, 'coaching_engagements'))
      .where('participant_id', 'in', [kept.id, merged.id])
      .where('status', 'in', OPEN_ENGAGEMENT)
      .execute()
    if (new Set(openEngagements.map((row) => row.participant_id)).size === 2) throw new ServiceError('CONFLICT', 'merges.twoEngagements')
    const more: Partial<Record<MorePersonTable, number[]>> = {}
    for (const table of MORE_PERSON_TABLES) {
      const ids = await idsOf(trx, ctx, table, merged.id)
      if (ids.length > 0) more[table] = ids
    }

    const merge = await trx
      .insertInto('participant_merges')
      .values({
        center_id: centerId(ctx),
        kept_id: kept.id,
        merged_id: merged.id,
        merged_code: merged.code,
        moved_visit_ids: JSON.stringify(visitIds),
        moved_alias_codes: JSON.stringify(aliasCodes),
        moved_referral_ids: JSON.stringify(referralIds),
        moved_consent_ids: JSON.stringify(consentIds),
        moved_assessment_ids: JSON.stringify(assessmentIds),
        moved_attendance_ids: JSON.stringify(attendanceIds),
        moved_more: JSON.stringify(more),
        merged_by: ctx.staffId,
        merged_at: now,
        note: note?.trim() || null,
        undone_at: null,
        undone_by: null,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()

    // The visit-count triggers move the counts along with the visits.
    if (visitIds.length > 0) {
      // Both records signed in on a day and still here: the moved visit becomes a repeat, as if the
      // desk had confirmed it, so the kept person's one open visit a day (migration 0034) holds.
      await trx
        .updateTable('visits')
        .set({ repeat_confirmed: 1 })
        .$call(inCenter(ctx, 'visits'))
        .where('participant_id', '=', merged.id)
        .where('signed_out_at', 'is', null)
        .where('voided_at', 'is', null)
        .where('visit_date', 'in', trx.selectFrom('visits').select('visit_date').where('participant_id', '=', kept.id).where('signed_out_at', 'is', null).where('voided_at', 'is', null))
        .execute()
      await trx.updateTable('visits').set({ participant_id: kept.id, updated_at: now }).where('participant_id', '=', merged.id).$call(inCenter(ctx, 'visits')).execute()
    }
    if (aliasCodes.length > 0) {
      await trx.updateTable('participant_aliases').set({ participant_id: kept.id }).where('participant_id', '=', merged.id).execute()
    }
    // Referrals and consents follow the person; a consent still names only the agency it names.
    // A referral (or the merged record) open in a form on another PC is refused there, not saved
    // back over the merge: their row versions move on.
    if (referralIds.length > 0) {
      await trx
        .updateTable('referrals')
        .set((eb) => ({ participant_id: kept.id, updated_at: now, row_version: eb('row_version', '+', 1) }))
        .where('id', 'in', referralIds)
        .$call(inCenter(ctx, 'referrals'))
        .execute()
    }
    if (consentIds.length > 0) await trx.updateTable('consents').set({ participant_id: kept.id, updated_at: now }).where('id', 'in', consentIds).$call(inCenter(ctx, 'consents')).execute()
    if (assessmentIds.length > 0) await trx.updateTable('assessments').set({ participant_id: kept.id, updated_at: now }).where('id', 'in', assessmentIds).$call(inCenter(ctx, 'assessments')).execute()
    if (attendanceIds.length > 0) await trx.updateTable('attendance').set({ participant_id: kept.id, updated_at: now }).where('id', 'in', attendanceIds).$call(inCenter(ctx, 'attendance')).execute()
    await moveMore(trx, ctx, more, merged.id, kept.id)
    await trx.insertInto('participant_aliases').values({ code: merged.code, participant_id: kept.id, merge_id: merge.id, created_at: now }).execute()
    await trx
      .updateTable('participants')
      .set((eb) => ({ merged_into: kept.id, updated_at: now, row_version: eb('row_version', '+', 1) }))
      .where('id', '=', merged.id)
      .$call(inCenter(ctx, 'participants'))
      .execute()
    await refreshLastVisit(trx, ctx, [kept.id, merged.id])
    // A match to another center's record (person-matches.ts) follows the person to the kept record.
    const match = await carryOnMerge(trx, { id: merge.id, keptId: kept.id, mergedId: merged.id, at: now, staffId: ctx.staffId })
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'participant.merge',
      targetType: 'participant',
      targetId: kept.id,
      detail: { mergeId: merge.id, mergedId: merged.id, ...(match === 'none' ? {} : { match }), visits: visitIds.length, aliases: aliasCodes.length, referrals: referralIds.length, consents: consentIds.length, assessments: assessmentIds.length, attendance: attendanceIds.length, ...Object.fromEntries(Object.entries(more).map(([table, ids]) => [table, ids.length])) },
    })
    return merge.id
  })
  return (await mergeRecords(ctx.db, ctx, { mergeId: id }))[0]!
}

/**
 * Undoes a merge: exactly the visits it moved go back, the aliases it made or moved go back,
 * and the merged record reappears. Refused while a later merge that depends on it stands (one
 * that merged the kept record on into a third, carrying these visits and codes with it): undo
 * that one first. Later merges *into* the kept record do not block it.
 */
export async function undoMerge(ctx: ServiceContext, mergeId: number): Promise<MergeRecord> {
  await inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const merge = await trx.selectFrom('participant_merges').selectAll().where('id', '=', mergeId).$call(inCenter(ctx, 'participant_merges')).executeTakeFirst()
    if (!merge) throw new ServiceError('NOT_FOUND', 'merges.notFound')
    if (merge.undone_at !== null) throw new ServiceError('CONFLICT', 'merges.alreadyUndone', { undoneAt: merge.undone_at })
    const deidentified = await trx
      .selectFrom('participants')
      .select('id')
      .$call(inCenter(ctx, 'participants'))
      .where('id', 'in', [merge.kept_id, merge.merged_id])
      .where('deidentified_at', 'is not', null)
      .executeTakeFirst()
    if (deidentified) {
      throw new ServiceError('CONFLICT', 'merges.deidentified')
    }
    const later = await trx
      .selectFrom('participant_merges')
      .select(['id', 'merged_at'])
      .$call(inCenter(ctx, 'participant_merges'))
      .where('id', '>', merge.id)
      .where('undone_at', 'is', null)
      // Depends on this one: it carried the kept record (with this merge's visits and codes)
      // further, or it used the merged record, which only an undone merge makes possible again.
      .where((eb) =>
        eb.or([eb('merged_id', 'in', [merge.kept_id, merge.merged_id]), eb('kept_id', '=', merge.merged_id)]),
      )
      .orderBy('id', 'desc')
      .executeTakeFirst()
    if (later) {
      throw new ServiceError('CONFLICT', 'merges.laterMerge', {
        blockingMergeId: later.id,
      })
    }
    const visitIds = JSON.parse(merge.moved_visit_ids) as number[]
    const aliasCodes = JSON.parse(merge.moved_alias_codes) as string[]
    if (visitIds.length > 0) {
      const moved = await trx
        .updateTable('visits')
        .set({ participant_id: merge.merged_id, updated_at: now })
        .$call(inCenter(ctx, 'visits'))
        .where('id', 'in', visitIds)
        .where('participant_id', '=', merge.kept_id)
        .executeTakeFirst()
      if (Number(moved.numUpdatedRows) !== visitIds.length) {
        // Nothing else moves visits between people, so this is a record someone changed by hand.
        throw new ServiceError('CONFLICT', 'merges.moved')
      }
    }
    for (const [table, column] of [
      ['referrals', merge.moved_referral_ids],
      ['consents', merge.moved_consent_ids],
      ['assessments', merge.moved_assessment_ids],
      ['attendance', merge.moved_attendance_ids],
    ] as const) {
      const ids = JSON.parse(column) as number[]
      if (ids.length === 0) continue
      const moved = await trx.updateTable(table).set({ participant_id: merge.merged_id, updated_at: now }).where('id', 'in', ids).where('participant_id', '=', merge.kept_id).$call(inCenter(ctx, table)).executeTakeFirst()
      if (Number(moved.numUpdatedRows) !== ids.length) {
        throw new ServiceError('CONFLICT', 'merges.moved', { records: table })
      }
    }
    await moveMore(trx, ctx, JSON.parse(merge.moved_more) as Partial<Record<MorePersonTable, number[]>>, merge.kept_id, merge.merged_id)
    await trx.deleteFrom('participant_aliases').where('merge_id', '=', merge.id).where('code', '=', merge.merged_code).execute()
    if (aliasCodes.length > 0) {
      await trx.updateTable('participant_aliases').set({ participant_id: merge.merged_id }).where('code', 'in', aliasCodes).execute()
    }
    await trx
      .updateTable('participants')
      .set((eb) => ({ merged_into: null, updated_at: now, row_version: eb('row_version', '+', 1) }))
      .where('id', '=', merge.merged_id)
      .$call(inCenter(ctx, 'participants'))
      .execute()
    await refreshLastVisit(trx, ctx, [merge.kept_id, merge.merged_id])
    await returnOnUndoMerge(trx, merge.id)
    await trx.updateTable('participant_merges').set({ undone_at: now, undone_by: ctx.staffId, updated_at: now }).where('id', '=', merge.id).$call(inCenter(ctx, 'participant_merges')).execute()
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'participant.merge_undo',
      targetType: 'participant',
      targetId: merge.kept_id,
      detail: { mergeId: merge.id, mergedId: merge.merged_id, visits: visitIds.length },
    })
  })
  return (await mergeRecords(ctx.db, ctx, { mergeId }))[0]!
}

import type { CareFlag, CareFlagKind, CheckInNotice } from '../types'
import { appendAudit } from './audit'
import { centerId } from './centers'
import { inTransaction, isoNow, ServiceError, type ServiceContext, type Trx } from './context'
import { activeParticipant, resolveParticipant } from './profile'
import { askManagerToday } from './restrictions'

export type { CareFlag, CheckInNotice }

/** One line: what fits beside the person's name at the desk. */
export const CARE_FLAG_NOTE_MAX = 80

function flagsOf(trx: Trx, participantId: number) {
  return trx
    .selectFrom('care_flags')
    .select(['id', 'kind', 'note', 'created_at as createdAt'])
    .where('participant_id', '=', participantId)
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute()
}

/**
 * What the desk sees when it opens a person for check-in: whether to ask a manager first (and
 * nothing of why) and the person's care flags. One read for the check-in panel.
 */
export async function checkInNotice(ctx: ServiceContext, participantId: number): Promise<CheckInNotice> {
  return inTransaction(ctx, async (trx) => {
    const { row: person } = await resolveParticipant(trx, participantId, ctx)
    return { askManager: await askManagerToday(ctx, trx, person.id), flags: await flagsOf(trx, person.id) }
  })
}

export async function listCareFlags(ctx: ServiceContext, participantId: number): Promise<CareFlag[]> {
  return inTransaction(ctx, async (trx) => flagsOf(trx, (await resolveParticipant(trx, participantId, ctx)).row.id))
}

export async function addCareFlag(ctx: ServiceContext, input: { participantId: number; kind: CareFlagKind; note?: string | null }): Promise<CareFlag[]> {
  const note = input.note?.trim() || null
  if (note !== null && (note.length > CARE_FLAG_NOTE_MAX || /[\r\n]/.test(note))) throw new ServiceError('VALIDATION', 'careFlags.oneLine', { field: 'note' })
  if (input.kind === 'other' && note === null) throw new ServiceError('VALIDATION', 'careFlags.noteRequired', { field: 'note' })
  return inTransaction(ctx, async (trx) => {
    const person = await activeParticipant(trx, input.participantId, ctx)
    const now = isoNow(ctx)
    const same = await trx
      .selectFrom('care_flags')
      .select('id')
      .where('participant_id', '=', person.id)
      .where('kind', '=', input.kind)
      // `IS $1` is SQLite's null-safe equality only: PostgreSQL accepts IS before NULL alone.
      .where((eb) => (note === null ? eb('note', 'is', null) : eb('note', '=', note)))
      .where('removed_at', 'is', null)
      .executeTakeFirst()
    if (same) throw new ServiceError('CONFLICT', 'careFlags.already')
    const { id } = await trx
      .insertInto('care_flags')
      .values({ participant_id: person.id, center_id: centerId(ctx), kind: input.kind, note, created_by: ctx.staffId, created_at: now, removed_at: null, removed_by: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'care_flag.add', targetType: 'participant', targetId: person.id, detail: { flagId: id, kind: input.kind } })
    return flagsOf(trx, person.id)
  })
}

export async function removeCareFlag(ctx: ServiceContext, id: number): Promise<CareFlag[]> {
  return inTransaction(ctx, async (trx) => {
    const row = await trx.selectFrom('care_flags').select(['participant_id', 'removed_at', 'kind']).where('id', '=', id).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'careFlags.notFound')
    if (row.removed_at !== null) throw new ServiceError('CONFLICT', 'careFlags.alreadyRemoved')
    const now = isoNow(ctx)
    await trx.updateTable('care_flags').set({ removed_at: now, removed_by: ctx.staffId }).where('id', '=', id).execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'care_flag.remove', targetType: 'participant', targetId: row.participant_id, detail: { flagId: id, kind: row.kind } })
    return flagsOf(trx, row.participant_id)
  })
}

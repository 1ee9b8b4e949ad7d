import type { Selectable } from 'kysely'
import type { AssessmentsTable } from '../schema'
import { BARC10_ITEMS, BARC10_MAX, BARC10_MIN, type Assessment } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx } from './context'
import { centerId, inCenter, type CenterScope } from './centers'
import { activeParticipant, resolveParticipant } from './profile'

export type { Assessment }

export interface NewAssessment {
  participantId: number
  /** Defaults to today. */
  takenOn?: string
  answers: number[]
  note?: string | null
  /** Taken at this coaching contact (a meeting with the coach): the contact is linked to it, and it is taken on the contact's day unless given. */
  contactId?: number
}

function toAssessment(row: Selectable<AssessmentsTable> & { created_by_name: string | null }): Assessment {
  return {
    id: row.id,
    participantId: row.participant_id,
    instrument: row.instrument,
    takenOn: row.taken_on,
    answers: JSON.parse(row.answers) as number[],
    total: row.total,
    note: row.note,
    createdAt: row.created_at,
    createdByName: row.created_by_name,
    voidedAt: row.voided_at,
    voidReason: row.void_reason,
  }
}

function select(db: ServiceContext['db'] | Trx, scope: CenterScope) {
  return db.selectFrom('assessments as a').$call(inCenter(scope, 'a')).leftJoin('staff as s', 's.id', 'a.created_by').selectAll('a').select('s.display_name as created_by_name')
}

/** A person's assessments, oldest first (the order a chart reads), voided ones marked. The read is audited. */
export async function listAssessments(ctx: ServiceContext, participantId: number): Promise<Assessment[]> {
  return inTransaction(ctx, async (trx) => {
    const { row } = await resolveParticipant(trx, participantId, ctx)
    const rows = await select(trx, ctx).where('a.participant_id', '=', row.id).orderBy('a.taken_on').orderBy('a.id').execute()
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'assessment.list', targetType: 'participant', targetId: row.id, detail: { rows: rows.length } })
    return rows.map(toAssessment)
  })
}

/** The coaching contact a BARC-10 is taken at: with this person, and none taken at it yet. */
async function coachingContact(trx: Trx, scope: CenterScope, id: number, participantId: number) {
  const contact = await trx.selectFrom('coaching_contacts').select(['id', 'participant_id', 'contact_on', 'assessment_id']).where('id', '=', id).$call(inCenter(scope, 'coaching_contacts')).executeTakeFirst()
  if (!contact) throw new ServiceError('NOT_FOUND', 'coaching.notFound', { field: 'contactId' })
  if (contact.participant_id !== participantId) throw new ServiceError('VALIDATION', 'coaching.contactOther', { field: 'contactId' })
  if (contact.assessment_id !== null) throw new ServiceError('CONFLICT', 'coaching.contactHasBarc', { field: 'contactId' })
  return contact
}

/** Records a BARC-10 the person answered (with a peer, on paper or on screen). */
export async function createAssessment(ctx: ServiceContext, input: NewAssessment): Promise<Assessment> {
  const today = localDate(ctx)
  let takenOn = input.takenOn ?? today
  if (takenOn > today) throw new ServiceError('VALIDATION', 'assessments.future', { field: 'takenOn' })
  if (input.answers.length !== BARC10_ITEMS || input.answers.some((a) => !Number.isInteger(a) || a < BARC10_MIN || a > BARC10_MAX)) {
    throw new ServiceError('VALIDATION', 'assessments.answers', { field: 'answers', items: BARC10_ITEMS, min: BARC10_MIN, max: BARC10_MAX })
  }
  const total = input.answers.reduce((sum, a) => sum + a, 0)
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const person = await activeParticipant(trx, input.participantId, ctx)
    const contact = input.contactId === undefined ? undefined : await coachingContact(trx, ctx, input.contactId, person.id)
    if (contact && input.takenOn === undefined) takenOn = contact.contact_on
    const row = await trx
      .insertInto('assessments')
      .values({
        center_id: centerId(ctx),
        participant_id: person.id,
        instrument: 'barc10',
        taken_on: takenOn,
        answers: JSON.stringify(input.answers),
        total,
        note: input.note?.trim() || null,
        created_by: ctx.staffId,
        created_at: now,
        updated_at: now,
        voided_at: null,
        voided_by: null,
        void_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (contact) await trx.updateTable('coaching_contacts').set({ assessment_id: row.id, updated_at: now }).where('id', '=', contact.id).$call(inCenter(ctx, 'coaching_contacts')).execute()
    // The total, not the answers: the log says what was done, it is not a second copy of the record.
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'assessment.create', targetType: 'participant', targetId: person.id, detail: { assessmentId: row.id, takenOn, ...(contact ? { contactId: contact.id } : {}) } })
    return toAssessment(await select(trx, ctx).where('a.id', '=', row.id).executeTakeFirstOrThrow())
  })
}

/** A mistaken assessment stops counting but stays, marked, with the reason. */
export async function voidAssessment(ctx: ServiceContext, id: number, reason: string): Promise<Assessment> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const row = await trx.selectFrom('assessments').selectAll().where('id', '=', id).$call(inCenter(ctx, 'assessments')).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'assessments.notFound')
    if (row.voided_at !== null) throw new ServiceError('CONFLICT', 'assessments.alreadyVoided')
    await trx.updateTable('assessments').set({ voided_at: now, voided_by: ctx.staffId, void_reason: reason.trim(), updated_at: now }).where('id', '=', id).$call(inCenter(ctx, 'assessments')).execute()
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'assessment.void', targetType: 'participant', targetId: row.participant_id, detail: { assessmentId: id } })
    return toAssessment(await select(trx, ctx).where('a.id', '=', id).executeTakeFirstOrThrow())
  })
}

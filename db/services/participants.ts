import { randomInt } from 'node:crypto'
import { sql } from 'kysely'
import type { Participant } from '../schema'
import { centerId, inCenter } from './centers'
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from './context'
import { getFieldRules } from './field-rules'
import { applyParticipantFields, columnsOf, normalizeName, type ParticipantFieldsInput } from './participant-fields'
import type { ParticipantSummary } from '../types'
import { visiblePerson } from './visible-visits'

export type { ParticipantSummary }
export { normalizeName }

/** A new person: a first name or a nickname, and whichever optional fields the center collects. */
export type NewParticipantInput = ParticipantFieldsInput

// No 0/O, 1/I/L: a code should survive being read aloud or written on a card.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'

export function newParticipantCode(): string {
  let code = ''
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return code
}

export function toSummary(row: Participant): ParticipantSummary {
  const digits = row.phone_digits ?? ''
  return {
    id: row.id,
    code: row.code,
    firstName: row.first_name,
    nickname: row.nickname,
    lastName: row.last_name,
    birthYear: row.birth_year,
    phoneLast4: digits.length >= 4 ? digits.slice(-4) : null,
    lastVisitAt: row.last_visit_at,
  }
}

/**
 * Registers a person. The center's field rules apply: a hidden field must be left blank, a
 * required one filled (ServiceError VALIDATION with `detail.field` naming it).
 */
export async function createParticipant(ctx: ServiceContext, input: NewParticipantInput): Promise<ParticipantSummary> {
  if (!input.firstName?.trim() && !input.nickname?.trim()) {
    throw new ServiceError('VALIDATION', 'participants.nameRequired', { field: 'firstName' })
  }
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const { values } = applyParticipantFields(await getFieldRules(trx), null, input, ctx.now())
    for (let attempt = 0; ; attempt++) {
      const code = newParticipantCode()
      // Codes are unique in the whole organization (a unique index); looking only in this center keeps every read scoped, and a clash elsewhere is one in billions.
      const taken = await trx.selectFrom('participants').select('id').where('code', '=', code).$call(inCenter(ctx, 'participants')).executeTakeFirst()
      if (taken) {
        if (attempt > 20) throw new Error('Could not find a free participant code')
        continue
      }
      const row = await trx
        .insertInto('participants')
        .values({
          code,
          ...columnsOf(values),
          last_visit_at: null,
          created_by: ctx.staffId,
          created_at: now,
          updated_at: now,
          deleted_at: null,
          center_id: centerId(ctx),
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await appendAudit(trx, now, { staffId: ctx.staffId, action: 'participant.create', targetType: 'participant', targetId: row.id })
      return toSummary(row)
    }
  })
}

/**
 * Finds people by any part of their name, their code, the last digits of their phone or
 * their birth year. Every word typed must match something. People seen recently come first.
 */
export async function searchParticipants(ctx: ServiceContext, text: string, limit = 20): Promise<ParticipantSummary[]> {
  const words = normalizeName(text).split(' ').filter(Boolean).slice(0, 6)
  if (words.length === 0) return []
  let query = ctx.db.selectFrom('participants').selectAll().where('deleted_at', 'is', null).where(visiblePerson()).$call(inCenter(ctx, 'participants'))
  for (const word of words) {
    const escaped = word.replace(/[\\%_]/g, (c) => `\\${c}`)
    const digits = word.replace(/\D/g, '')
    query = query.where((eb) => {
      const anyOf = [
        sql<boolean>`(' ' || ${eb.ref('name_key')}) LIKE ${`% ${escaped}%`} ESCAPE '\\'`,
        eb('code', '=', word.toUpperCase()),
      ]
      if (digits.length === word.length && digits.length === 4) {
        anyOf.push(eb('birth_year', '=', Number(digits)))
      }
      if (digits.length === word.length && digits.length >= 4) {
        anyOf.push(eb('phone_digits', 'like', `%${digits}`))
      }
      return eb.or(anyOf)
    })
  }
  const rows = await query
    .orderBy(sql`last_visit_at IS NULL`)
    .orderBy('last_visit_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map(toSummary)
}

export async function getParticipant(ctx: ServiceContext, id: number): Promise<Participant> {
  const row = await ctx.db.selectFrom('participants').selectAll().where('id', '=', id).where('deleted_at', 'is', null).where(visiblePerson()).$call(inCenter(ctx, 'participants')).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'participants.notFound')
  return row
}

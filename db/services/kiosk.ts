import type { KioskMatch } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from './context'
import { activeOnly } from './duplicates'
import { nameKeyOf } from './participant-fields'
import { normalizeCode, signIn, type ServiceLine } from './visits'

export type { KioskMatch }

/** A screen anyone can walk up to shows at most this many people for one name and year. */
const MAX_MATCHES = 5

export type KioskFindInput = { firstName: string; birthYear: number } | { code: string }

/**
 * Self check-in: finds someone by first name (or nickname) and birth year, both exact after
 * normalizing, or by the code on their card (a merged record's code finds the kept person).
 * Answers only a first name and a last initial: the screen faces the room.
 */
export async function kioskFind(ctx: ServiceContext, input: KioskFindInput, startedBy: number | null): Promise<KioskMatch[]> {
  let rows: Array<{ id: number; first_name: string | null; nickname: string | null; last_name: string | null }>
  const columns = ['id', 'first_name', 'nickname', 'last_name'] as const
  if ('code' in input) {
    const code = normalizeCode(input.code)?.replace(/-/g, '') ?? ''
    const alias = await ctx.db.selectFrom('participant_aliases').select('participant_id').where('code', '=', code).executeTakeFirst()
    let query = activeOnly(ctx.db.selectFrom('participants').select(columns))
    query = alias ? query.where('id', '=', alias.participant_id) : query.where('code', '=', code)
    rows = await query.execute()
  } else {
    const name = nameKeyOf(input.firstName)
    if (!name) return []
    rows = await activeOnly(ctx.db.selectFrom('participants').select(columns))
      .where('birth_year', '=', input.birthYear)
      .where((eb) => eb.or([eb('first_key', '=', name), eb('nick_key', '=', name)]))
      .orderBy('id')
      .limit(MAX_MATCHES)
      .execute()
  }
  await inTransaction(ctx, (trx) =>
    appendAudit(trx, isoNow(ctx), {
      staffId: null,
      action: 'kiosk.find',
      detail: { by: 'code' in input ? 'code' : 'name', matches: rows.length, kioskStartedBy: startedBy },
    }),
  )
  return rows.map((row) => ({
    id: row.id,
    firstName: (row.first_name ?? row.nickname)!,
    lastInitial: row.last_name ? row.last_name.trim().charAt(0).toUpperCase() : null,
  }))
}

/**
 * Signs in someone the kiosk found in this session (`found`): the screen cannot sign in an id
 * it was never shown. Answers the first name for the greeting, nothing else.
 */
export async function kioskSignIn(
  ctx: ServiceContext,
  input: { participantId: number; services: ServiceLine[] },
  session: { startedBy: number; found: readonly number[] },
): Promise<{ firstName: string }> {
  if (!session.found.includes(input.participantId)) {
    throw new ServiceError('NOT_FOUND', 'Find your name first, then choose it.')
  }
  try {
    const visit = await signIn(ctx, { participantId: input.participantId, services: input.services, kiosk: { startedBy: session.startedBy } })
    return { firstName: (visit.participant?.firstName ?? visit.participant?.nickname) || '' }
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'ALREADY_SIGNED_IN') {
      // The desk's message and details (visit id, time) are not for a screen facing the room.
      throw new ServiceError('ALREADY_SIGNED_IN', 'You are already signed in today. Welcome back!')
    }
    throw error
  }
}

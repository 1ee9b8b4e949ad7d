import { ATTENDED, type AttendanceLetter } from '../groups-types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext } from './context'
import { centerId, inCenter } from './centers'
import { resolveParticipant } from './profile'
import { sheetName } from './rosters'
import { getCenterName } from './setup'

/**
 * An attendance letter for one person, for a court, an employer or a program: the group sessions
 * they attended in a period, with their first name and last initial and the center's name. It is
 * made only when the person asked for it, and each one is audited with the reason given, the
 * period and how many sessions it listed.
 */

export interface LetterInput {
  participantId: number
  from: string
  to: string
  /** Who asked for it and what for ("asked for it for the drug court"). */
  reason: string
}

/** A letter covers at most this many days: a period a court or an employer asks about. */
export const MAX_LETTER_DAYS = 5 * 366

export async function attendanceLetter(ctx: ServiceContext, input: LetterInput): Promise<AttendanceLetter> {
  const reason = input.reason.trim()
  if (reason.length < 3) throw new ServiceError('VALIDATION', 'letters.reason', { field: 'reason' })
  const today = localDate(ctx)
  if (input.from > input.to) throw new ServiceError('VALIDATION', 'letters.backwards', { field: 'to' })
  if (input.to > today) throw new ServiceError('VALIDATION', 'letters.future', { field: 'to' })
  if ((Date.parse(input.to) - Date.parse(input.from)) / 86_400_000 > MAX_LETTER_DAYS) throw new ServiceError('VALIDATION', 'letters.tooLong', { field: 'from' })
  return inTransaction(ctx, async (trx) => {
    const { row: person } = await resolveParticipant(trx, input.participantId, ctx)
    const rows = await trx
      .selectFrom('attendance as a')
      .innerJoin('group_sessions as s', 's.id', 'a.session_id')
      .innerJoin('groups as g', 'g.id', 's.group_id')
      .select(['s.session_date', 's.start_time', 'g.name'])
      .$call(inCenter(ctx, 'a'))
      .where('a.participant_id', '=', person.id)
      .where('a.status', 'in', [...ATTENDED])
      .where('s.status', '!=', 'cancelled')
      .where('s.session_date', '>=', input.from)
      .where('s.session_date', '<=', input.to)
      .orderBy('s.session_date')
      .orderBy('s.start_time')
      .execute()
    const now = isoNow(ctx)
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'participant.attendance_letter',
      targetType: 'participant',
      targetId: person.id,
      detail: { from: input.from, to: input.to, reason, sessions: rows.length },
    })
    return {
      centerName: (await getCenterName(trx, centerId(ctx))) ?? '',
      name: sheetName(person.first_name, person.nickname, person.last_name),
      from: input.from,
      to: input.to,
      issuedOn: today,
      sessions: rows.map((row) => ({ date: row.session_date, startTime: row.start_time, groupName: row.name })),
    }
  })
}

import { sql } from 'kysely'
import { caseloadFigures, OPEN_ENGAGEMENT, OPEN_PROGRESS, type Caseload, type CaseloadRow } from '../coaching-types'
import { appendAudit } from './audit'
import { coachingSettings } from './coaching-settings'
import { inCenter } from './centers'
import { inTransaction, isoNow, localDate, type ServiceContext } from './context'
import { personName } from './rosters'

/**
 * "My caseload": the open engagements of one coach (or of every coach, for a manager), each with
 * its last contact, next meeting, days since contact, plan steps due and days left. One query:
 * each figure is a subquery on its own index, so 40 people or every caseload is one round trip.
 */
export async function caseload(ctx: ServiceContext, coachId: number | null): Promise<Caseload> {
  const today = localDate(ctx)
  return inTransaction(ctx, async (trx) => {
    const settings = await coachingSettings(trx)
    let query = trx
      .selectFrom('coaching_engagements as e')
      .$call(inCenter(ctx, 'e'))
      .innerJoin('participants as p', 'p.id', 'e.participant_id')
      .innerJoin('staff as s', 's.id', 'e.coach_id')
      .select(['e.id', 'e.participant_id', 'e.coach_id', 'e.status', 'e.started_on', 'e.ends_on', 'p.first_name', 'p.nickname', 'p.last_name', 'p.code', 's.display_name'])
      .select((eb) => [
        eb.selectFrom('coaching_contacts as c').select((c) => c.fn.max('c.contact_on').as('d')).whereRef('c.participant_id', '=', 'e.participant_id').as('last_contact_on'),
        eb
          .selectFrom('coaching_meetings as m')
          // The date and time together, so the earliest meeting is one ordered read of the index.
          .select(sql<string>`m.meeting_on || ' ' || m.start_time || ' ' || m.kind`.as('n'))
          .whereRef('m.engagement_id', '=', 'e.id')
          .where('m.status', '=', 'scheduled')
          .where('m.meeting_on', '>=', today)
          .orderBy('m.meeting_on')
          .orderBy('m.start_time')
          .limit(1)
          .as('next_meeting'),
        eb
          .selectFrom('plan_steps as ps')
          .innerJoin('plan_goals as g', 'g.id', 'ps.goal_id')
          .select((c) => c.fn.countAll<number>().as('n'))
          .whereRef('g.participant_id', '=', 'e.participant_id')
          .where('ps.progress', 'in', OPEN_PROGRESS)
          .where('ps.target_on', '<=', today)
          .as('steps_due'),
      ])
      .where('e.status', 'in', OPEN_ENGAGEMENT)
      .where('p.deleted_at', 'is', null)
    if (coachId !== null) query = query.where('e.coach_id', '=', coachId)
    const rows = await query.orderBy('s.display_name').orderBy('p.name_key').execute()
    const out: CaseloadRow[] = rows.map((row) => {
      const next = row.next_meeting ? row.next_meeting.split(' ') : null
      return {
        engagementId: row.id,
        participantId: row.participant_id,
        name: personName(row.first_name, row.nickname, row.last_name),
        code: row.code,
        coach: { id: row.coach_id, name: row.display_name },
        status: row.status,
        startedOn: row.started_on,
        endsOn: row.ends_on,
        lastContactOn: row.last_contact_on ?? null,
        nextMeeting: next ? { date: next[0]!, time: next[1]!, kind: next[2] as NonNullable<CaseloadRow['nextMeeting']>['kind'] } : null,
        stepsDue: Number(row.steps_due ?? 0),
        ...caseloadFigures({ startedOn: row.started_on, endsOn: row.ends_on, lastContactOn: row.last_contact_on ?? null }, today, settings),
      }
    })
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'coaching.caseload', detail: { coachId, rows: out.length } })
    return { today, settings: { staleAfterDays: settings.staleAfterDays, nearingEndDays: settings.nearingEndDays }, rows: out }
  })
}

import { OPEN_ENGAGEMENT, type PlanSheet } from '../coaching-types'
import { appendAudit } from './audit'
import { planOf } from './coaching-plan'
import { inTransaction, isoNow, localDate, type ServiceContext } from './context'
import { centerId, inCenter } from './centers'
import { resolveParticipant } from './profile'
import { sheetName } from './rosters'
import { getCenterName } from './setup'

/**
 * The recovery plan printed for the person to take home, in their language: their first name and
 * last initial, the center's name, their coach, and the goals with their steps. Printing is audited
 * (a copy of the plan leaves the building), with the language and how many goals it carried.
 */
export async function planSheet(ctx: ServiceContext, input: { participantId: number; language: 'en' | 'es' }): Promise<PlanSheet> {
  return inTransaction(ctx, async (trx) => {
    const { row: person } = await resolveParticipant(trx, input.participantId, ctx)
    const coach = await trx
      .selectFrom('coaching_engagements as e')
      .innerJoin('staff as s', 's.id', 'e.coach_id')
      .select('s.display_name')
      .$call(inCenter(ctx, 'e'))
      .where('e.participant_id', '=', person.id)
      .where('e.status', 'in', OPEN_ENGAGEMENT)
      .executeTakeFirst()
    const goals = (await planOf(trx, person.id)).goals
      .filter((goal) => goal.progress !== 'set_aside')
      .map((goal) => ({ ...goal, steps: goal.steps.filter((step) => step.progress !== 'set_aside') }))
    const now = isoNow(ctx)
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'plan.print', targetType: 'participant', targetId: person.id, detail: { language: input.language, goals: goals.length } })
    return {
      centerName: (await getCenterName(trx, centerId(ctx))) ?? '',
      name: sheetName(person.first_name, person.nickname, person.last_name),
      coach: coach?.display_name ?? null,
      printedOn: localDate(ctx),
      language: input.language,
      goals,
    }
  })
}

import { type LifeArea, type PlanChange, type PlanGoal, type PlanProgress, type PlanStep } from '../coaching-types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx } from './context'
import { activeParticipant } from './profile'

/**
 * The recovery plan: goals the person chooses, by life area, each with small steps. The plan is
 * the person's, whoever their coach is; every change is kept in plan_changes (before and after).
 */

type Db = ServiceContext['db'] | Trx

export interface GoalInput {
  id?: number
  participantId: number
  area: LifeArea
  title: string
  /** Defaults to today for a new goal. */
  setOn?: string
  progress?: PlanProgress
}

export interface StepInput {
  id?: number
  goalId: number
  text: string
  targetOn?: string | null
  progress?: PlanProgress
}

export async function planOf(db: Db, participantId: number): Promise<{ goals: PlanGoal[]; history: PlanChange[] }> {
  const goals = await db.selectFrom('plan_goals').selectAll().where('participant_id', '=', participantId).orderBy('area').orderBy('id').execute()
  const steps =
    goals.length === 0
      ? []
      : await db.selectFrom('plan_steps').selectAll().where('goal_id', 'in', goals.map((g) => g.id)).orderBy('goal_id').orderBy('id').execute()
  const history = await db
    .selectFrom('plan_changes as p')
    .leftJoin('staff as s', 's.id', 'p.staff_id')
    .select(['p.id', 'p.goal_id', 'p.step_id', 'p.change', 'p.created_at', 's.display_name'])
    .where('p.participant_id', '=', participantId)
    .orderBy('p.id', 'desc')
    .limit(200)
    .execute()
  const toStep = (row: (typeof steps)[number]): PlanStep => ({ id: row.id, goalId: row.goal_id, text: row.text, targetOn: row.target_on, progress: row.progress, doneOn: row.done_on })
  return {
    goals: goals.map((goal) => ({
      id: goal.id,
      participantId: goal.participant_id,
      area: goal.area,
      title: goal.title,
      setOn: goal.set_on,
      progress: goal.progress,
      steps: steps.filter((step) => step.goal_id === goal.id).map(toStep),
    })),
    history: history.map((row) => ({ id: row.id, goalId: row.goal_id, stepId: row.step_id, change: JSON.parse(row.change) as Record<string, unknown>, byName: row.display_name, at: row.created_at })),
  }
}

async function recordChange(trx: Trx, ctx: ServiceContext, at: string, participantId: number, goalId: number, stepId: number | null, change: Record<string, unknown>): Promise<void> {
  await trx.insertInto('plan_changes').values({ participant_id: participantId, goal_id: goalId, step_id: stepId, change: JSON.stringify(change), staff_id: ctx.staffId, created_at: at }).execute()
}

const doneOn = (progress: PlanProgress, before: string | null, today: string) => (progress === 'done' ? (before ?? today) : null)

async function goalById(db: Db, id: number) {
  const goal = await db.selectFrom('plan_goals').selectAll().where('id', '=', id).executeTakeFirst()
  if (!goal) throw new ServiceError('NOT_FOUND', 'coaching.notFound')
  return goal
}

/** Adds a goal, or changes one (its area, words, date set or progress). */
export async function saveGoal(ctx: ServiceContext, input: GoalInput): Promise<PlanGoal[]> {
  const today = localDate(ctx)
  if (input.setOn !== undefined && input.setOn > today) throw new ServiceError('VALIDATION', 'coaching.future', { field: 'setOn' })
  return inTransaction(ctx, async (trx) => {
    const person = await activeParticipant(trx, input.participantId, ctx)
    const now = isoNow(ctx)
    const title = input.title.trim()
    let goalId: number
    if (input.id === undefined) {
      const progress = input.progress ?? 'not_started'
      const setOn = input.setOn ?? today
      const row = await trx
        .insertInto('plan_goals')
        .values({ participant_id: person.id, area: input.area, title, set_on: setOn, progress, done_on: doneOn(progress, null, today), created_by: ctx.staffId, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      goalId = row.id
      await recordChange(trx, ctx, now, person.id, goalId, null, { after: { area: input.area, title, setOn, progress } })
    } else {
      const goal = await goalById(trx, input.id)
      if (goal.participant_id !== person.id) throw new ServiceError('NOT_FOUND', 'coaching.notFound')
      const setOn = input.setOn ?? goal.set_on
      const early = await trx.selectFrom('plan_steps').select('target_on').where('goal_id', '=', goal.id).where('target_on', '<', setOn).executeTakeFirst()
      if (early) throw new ServiceError('VALIDATION', 'coaching.stepBeforeGoal', { field: 'setOn', date: setOn })
      const progress = input.progress ?? goal.progress
      await trx
        .updateTable('plan_goals')
        .set({ area: input.area, title, set_on: setOn, progress, done_on: doneOn(progress, goal.done_on, today), updated_at: now })
        .where('id', '=', goal.id)
        .execute()
      goalId = goal.id
      await recordChange(trx, ctx, now, person.id, goalId, null, {
        before: { area: goal.area, title: goal.title, setOn: goal.set_on, progress: goal.progress },
        after: { area: input.area, title, setOn, progress },
      })
    }
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'plan.goal', targetType: 'participant', targetId: person.id, detail: { goalId } })
    return (await planOf(trx, person.id)).goals
  })
}

/** Adds a step to a goal, or changes one. A target date before the goal was set is refused. */
export async function saveStep(ctx: ServiceContext, input: StepInput): Promise<PlanGoal[]> {
  const today = localDate(ctx)
  return inTransaction(ctx, async (trx) => {
    const goal = await goalById(trx, input.goalId)
    await activeParticipant(trx, goal.participant_id, ctx)
    const targetOn = input.targetOn ?? null
    if (targetOn !== null && targetOn < goal.set_on) throw new ServiceError('VALIDATION', 'coaching.stepBeforeGoal', { field: 'targetOn', date: goal.set_on })
    const now = isoNow(ctx)
    const text = input.text.trim()
    let stepId: number
    if (input.id === undefined) {
      const progress = input.progress ?? 'not_started'
      const row = await trx
        .insertInto('plan_steps')
        .values({ goal_id: goal.id, text, target_on: targetOn, progress, done_on: doneOn(progress, null, today), created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      stepId = row.id
      await recordChange(trx, ctx, now, goal.participant_id, goal.id, stepId, { after: { text, targetOn, progress } })
    } else {
      const step = await trx.selectFrom('plan_steps').selectAll().where('id', '=', input.id).executeTakeFirst()
      if (!step || step.goal_id !== goal.id) throw new ServiceError('NOT_FOUND', 'coaching.notFound')
      const progress = input.progress ?? step.progress
      await trx
        .updateTable('plan_steps')
        .set({ text, target_on: targetOn, progress, done_on: doneOn(progress, step.done_on, today), updated_at: now })
        .where('id', '=', step.id)
        .execute()
      stepId = step.id
      await recordChange(trx, ctx, now, goal.participant_id, goal.id, stepId, {
        before: { text: step.text, targetOn: step.target_on, progress: step.progress },
        after: { text, targetOn, progress },
      })
    }
    // A goal with steps under way is itself under way (the person can still mark it done or set it aside).
    if (goal.progress === 'not_started' && (input.progress === 'in_progress' || input.progress === 'done')) {
      await trx.updateTable('plan_goals').set({ progress: 'in_progress', updated_at: now }).where('id', '=', goal.id).execute()
    }
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'plan.step', targetType: 'participant', targetId: goal.participant_id, detail: { goalId: goal.id, stepId } })
    return (await planOf(trx, goal.participant_id)).goals
  })
}

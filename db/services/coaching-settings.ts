import type { CoachingSettings } from '../coaching-types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext, type Trx } from './context'
import { putSetting } from './settings-store'

/**
 * The center's coaching settings: a new engagement's planned length, when the caseload highlights
 * a person not contacted for a while or an engagement nearing its end, and the topics a contact can touch.
 */

const KEY = 'coaching.settings'
export const COACHING_DEFAULTS: CoachingSettings = {
  plannedDays: 90,
  staleAfterDays: 14,
  nearingEndDays: 14,
  topics: ['Housing', 'Work and education', 'Health', 'Family and relationships', 'Recovery meetings', 'Treatment', 'Benefits and money', 'Legal', 'Cravings and triggers', 'Goals and plan'],
}

type Db = ServiceContext['db'] | Trx

export async function coachingSettings(db: Db): Promise<CoachingSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
  if (!row) return COACHING_DEFAULTS
  return { ...COACHING_DEFAULTS, ...(JSON.parse(row.value) as Partial<CoachingSettings>) }
}

export async function saveCoachingSettings(ctx: ServiceContext, input: CoachingSettings): Promise<CoachingSettings> {
  const topics = input.topics.map((topic) => topic.trim()).filter(Boolean)
  if (new Set(topics.map((topic) => topic.toLocaleLowerCase())).size !== topics.length) throw new ServiceError('VALIDATION', 'coaching.topicsDistinct', { field: 'topics' })
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const before = await coachingSettings(trx)
    const after: CoachingSettings = { plannedDays: input.plannedDays, staleAfterDays: input.staleAfterDays, nearingEndDays: input.nearingEndDays, topics }
    await putSetting(trx, KEY, after, now)
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'settings.coaching', detail: { before, after } })
    return after
  })
}

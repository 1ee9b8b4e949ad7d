import type { Kysely } from 'kysely'
import type { Database } from '../../schema'
import type { ManagerHome, ReportSettings } from '../../report-types'
import { appendAudit } from '../audit'
import { lastBackupAttempt, readJson } from '../backup-settings'
import { inTransaction, isoNow, localDate, type ServiceContext } from '../context'
import { lastIntegrityCheck } from '../integrity-check'
import { putSetting } from '../settings-store'

const KEY = 'report_settings'

/** Counts of 1 to 10 hidden as "<11" in exports, the threshold many funders and state data rules use. */
export const DEFAULT_REPORT_SETTINGS: Readonly<ReportSettings> = Object.freeze({ suppressionThreshold: 10, suppressOnScreen: false })

export async function getReportSettings(db: Kysely<Database>): Promise<ReportSettings> {
  const stored = (await readJson(db, KEY)) as Partial<ReportSettings> | null
  return { ...DEFAULT_REPORT_SETTINGS, ...stored }
}

export async function setReportSettings(ctx: ServiceContext, settings: ReportSettings): Promise<ReportSettings> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    await putSetting(trx, KEY, settings, now)
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'settings.reports', detail: { ...settings } })
    return settings
  })
}

/** The manager's home: follow-ups due (the same rule as the referrals work list) and failures IT must hear of. */
export async function managerHome(ctx: ServiceContext): Promise<ManagerHome> {
  const today = localDate(ctx)
  const due = await ctx.db
    .selectFrom('referrals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('closed_on', 'is', null)
    .where('follow_up_on', '<=', today)
    .executeTakeFirstOrThrow()
  const { last } = await lastBackupAttempt(ctx.db)
  const check = await lastIntegrityCheck(ctx.db)
  return {
    today,
    dueFollowUps: Number(due.n),
    failedBackup: last && !last.ok ? { at: last.at, error: last.error } : null,
    failedCheck: check && !check.ok ? { at: check.at, problems: check.problems } : null,
  }
}

import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import type { IntegrityCheck } from '../types'
import { appendAudit } from './audit'
import { readJson, writeJson } from './backup-settings'
import { inTransaction, isoNow, type ServiceContext } from './context'

export type { IntegrityCheck }

const LAST_CHECK_KEY = 'integrity_last_check'

export async function lastIntegrityCheck(db: Kysely<Database>): Promise<IntegrityCheck | null> {
  return (await readJson(db, LAST_CHECK_KEY)) as IntegrityCheck | null
}

/** Records the outcome of a full check of the live file, with its audit row. */
export async function recordIntegrityCheck(ctx: ServiceContext, check: Omit<IntegrityCheck, 'at'>): Promise<IntegrityCheck> {
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const record: IntegrityCheck = { ...check, at: now }
    await writeJson(trx, LAST_CHECK_KEY, record, now)
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: check.ok ? 'integrity.ok' : 'integrity.failed',
      detail: { scheduled: check.scheduled, ...(check.ok ? {} : { problems: check.problems.slice(0, 5) }) },
    })
    return record
  })
}

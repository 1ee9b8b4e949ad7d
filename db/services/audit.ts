import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { AuditAction } from '../audit-actions'
import type { Database } from '../schema'
import type { Trx } from './context'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditEntry {
  staffId: number | null
  action: AuditAction
  targetType?: string
  targetId?: number
  detail?: Record<string, unknown>
}

interface AuditFields {
  id: number
  at: string
  staff_id: number | null
  action: string
  target_type: string | null
  target_id: number | null
  detail: string | null
  prev_hash: string
}

/** The hash covers the row's position and every field, chained to the previous row. */
export function auditHash(row: AuditFields): string {
  const canonical = JSON.stringify([
    row.id,
    row.at,
    row.staff_id,
    row.action,
    row.target_type,
    row.target_id,
    row.detail,
    row.prev_hash,
  ])
  return createHash('sha256').update(canonical).digest('hex')
}

/** Appends one row inside the caller's transaction, so the audit and the change commit together. */
export async function appendAudit(trx: Trx, at: string, entry: AuditEntry): Promise<void> {
  const last = await trx.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst()
  const fields: AuditFields = {
    id: (last?.id ?? 0) + 1,
    at,
    staff_id: entry.staffId,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
    prev_hash: last?.hash ?? GENESIS_HASH,
  }
  await trx
    .insertInto('audit_log')
    .values({ ...fields, hash: auditHash(fields) })
    .execute()
}

export interface AuditVerification {
  rows: number
  /** The id of the first row whose hash or link does not hold, if any. */
  firstBroken: number | null
  reason?: string
}

export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerification> {
  let prev = GENESIS_HASH
  let expectedId = 1
  let rows = 0
  // Streams in id order; a large log is not loaded into memory at once.
  for await (const row of db.selectFrom('audit_log').selectAll().orderBy('id').stream(1000)) {
    rows++
    // Reported at the position where the gap starts: that row was removed or renumbered.
    if (row.id !== expectedId) return { rows, firstBroken: expectedId, reason: `row ${expectedId} is missing or was renumbered` }
    if (row.prev_hash !== prev) return { rows, firstBroken: row.id, reason: 'it does not link to the row before it' }
    if (auditHash(row) !== row.hash) return { rows, firstBroken: row.id, reason: 'its contents do not match its hash' }
    prev = row.hash
    expectedId++
  }
  return { rows, firstBroken: null }
}

import { sql } from 'kysely'
import type { AuditFilter, AuditPage, AuditRow } from '../types'
import { appendAudit, type AuditEntry } from './audit'
import { aboutPeople, peopleOfRows, personRecords } from './audit-people'
import { inTransaction, isoNow, localDayStart, type ServiceContext } from './context'

export type { AuditFilter, AuditPage, AuditRow }

/**
 * Records that someone looked at people's records (a profile, a search, the list). A read
 * commits its own audit row: under 42 CFR Part 2 and HIPAA who saw what is part of the record.
 */
export async function recordRead(ctx: ServiceContext, entry: Omit<AuditEntry, 'staffId'>): Promise<void> {
  await inTransaction(ctx, (trx) => appendAudit(trx, isoNow(ctx), { ...entry, staffId: ctx.staffId }))
}

function nextDay(date: string): string {
  const at = new Date(`${date}T00:00:00Z`)
  at.setUTCDate(at.getUTCDate() + 1)
  return at.toISOString().slice(0, 10)
}

/** One page of the log, newest first, with the total that matches the filter. */
export async function listAudit(ctx: ServiceContext, filter: AuditFilter, offset: number, limit: number): Promise<AuditPage> {
  let query = ctx.db.selectFrom('audit_log')
  if (filter.participantId !== undefined) {
    // Everything about the person, under whichever of their records it was written.
    const { records } = await personRecords(ctx.db, filter.participantId)
    query = query.where(aboutPeople(ctx.db, records.map((record) => record.id)))
  }
  if (filter.staffId !== undefined) query = query.where('audit_log.staff_id', '=', filter.staffId)
  if (filter.action !== undefined) query = query.where('audit_log.action', '=', filter.action)
  if (filter.targetType !== undefined) query = query.where('audit_log.target_type', '=', filter.targetType)
  if (filter.targetId !== undefined) query = query.where('audit_log.target_id', '=', filter.targetId)
  if (filter.from !== undefined) query = query.where('audit_log.at', '>=', localDayStart(ctx, filter.from))
  if (filter.to !== undefined) query = query.where('audit_log.at', '<', localDayStart(ctx, nextDay(filter.to)))
  const [{ n }, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    query
      .leftJoin('staff', 'staff.id', 'audit_log.staff_id')
      .select([
        'audit_log.id',
        'audit_log.at',
        'audit_log.staff_id',
        'staff.display_name',
        'audit_log.action',
        'audit_log.target_type',
        'audit_log.target_id',
        'audit_log.detail',
      ])
      .orderBy('audit_log.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
  ])
  const details = rows.map((row) => ({ ...row, detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null }))
  const people = await peopleOfRows(ctx.db, details)
  const agencyOf = (row: (typeof details)[number]) =>
    row.target_type === 'agency' ? row.target_id : typeof row.detail?.agencyId === 'number' ? row.detail.agencyId : null
  const agencyIds = [...new Set(details.map(agencyOf).filter((id): id is number => id !== null))]
  const agencies = new Map(
    agencyIds.length > 0 ? (await ctx.db.selectFrom('agencies').select(['id', 'name']).where('id', 'in', agencyIds).execute()).map((a) => [a.id, a.name] as const) : [],
  )
  return {
    total: Number(n),
    rows: details.map(
      (row): AuditRow => ({
        id: row.id,
        at: row.at,
        staffId: row.staff_id,
        staffName: row.display_name,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        detail: row.detail,
        people: people.get(row.id)?.people ?? [],
        morePeople: people.get(row.id)?.more ?? 0,
        agencyName: agencies.get(agencyOf(row) ?? 0) ?? null,
      }),
    ),
  }
}

/** The actions the log holds, for the viewer's filter. */
export async function auditActions(ctx: ServiceContext): Promise<string[]> {
  const rows = await ctx.db.selectFrom('audit_log').select(sql<string>`DISTINCT action`.as('action')).orderBy('action').execute()
  return rows.map((row) => row.action)
}

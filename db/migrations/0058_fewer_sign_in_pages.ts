import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code or today's schema types.

/**
 * Fewer pages written by a sign-in (issue 11: the cipher's work is per page written).
 *
 * visit_services_by_service (0001) took 2.4 of a sign-in's ~37 pages (bench/mark-pages.ts
 * WRITE=sign-in, 100k people / 1M visits): each service line adds an entry at the end of its
 * service's range, a different page per service. Nothing reads it any more: every query finds a
 * visit's services by visit_id (the primary key), and the figures by service come from the
 * roll-ups (report_days, report_person_months). Its other use, the foreign key check when a
 * service row is deleted, never happens: services are retired, not deleted. The words are the
 * same in PostgreSQL, whose twin takes them from here.
 */
export const statements = [`DROP INDEX visit_services_by_service`]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

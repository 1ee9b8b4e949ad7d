import { sql, type Kysely } from 'kysely'
import { expect, it } from 'vitest'
import { createAssessment, voidAssessment } from '../../db/services/assessments'
import { verifyAuditChain } from '../../db/services/audit'
import { saveAgency } from '../../db/services/agencies'
import { markAnonymous, markAttendance } from '../../db/services/attendance'
import { listActiveServices } from '../../db/services/catalog'
import type { ServiceContext } from '../../db/services/context'
import { archiveGroup, changeSession, createOneOffSession, recordSession, saveGroup } from '../../db/services/groups'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { createReferral, updateReferral } from '../../db/services/referrals'
import { admitFromWaitlist, enroll, unenroll } from '../../db/services/rosters'
import { completeSetup } from '../../db/services/setup'
import { signIn, updateVisit, voidVisit } from '../../db/services/visits'
import { checkRollups } from '../../db/services/reports/rollups'
import { postgresMigrationList } from '../../db/migrations/postgres'
import type { Database } from '../../db/schema'
import { clock } from './front-desk-helpers'
import { describePostgres, useBothBackends } from './pg-helpers'

/**
 * The roll-ups and the other trigger-kept columns (visit counts, the search index's recency keys,
 * the names version), written by SQLite's triggers on one side and PostgreSQL's plpgsql on the
 * other: the same writes through the same services must leave the same rows on both.
 */

/** What the triggers keep, in an order both backends agree on (text compares byte-wise on both). */
async function kept(db: Kysely<Database>, backend: 'sqlite' | 'postgres') {
  const rows = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows
  // SQLite's search index keeps no content and cannot be scanned (0065): its keys are the documents its words point to.
  if (backend === 'sqlite') await sql`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_docs USING fts5vocab(main, participant_search, 'instance')`.execute(db)
  return {
    report_days: await rows(sql`SELECT day, service_id, slot, visits, registered, coded, quantity FROM report_days ORDER BY 1, 2, 3`),
    report_person_months: await rows(
      sql`SELECT month, participant_id, code, kind, service_id, days, first_day, last_day, prev_day FROM report_person_months ORDER BY 1, 2, 3, 4, 5`,
    ),
    report_month_returns: await rows(sql`SELECT month, kind, service_id, coded, prev_month, people FROM report_month_returns ORDER BY 1, 2, 3, 4, 5`),
    report_day_returns: await rows(sql`SELECT month, kind, service_id, coded, prev_day, people FROM report_day_returns ORDER BY 1, 2, 3, 4, 5`),
    report_referral_states: await rows(
      sql`SELECT referred_on, referral_id, type, status_now, accepted_at, got_help_at, last_at, last_status, last_follow_up_on FROM report_referral_states ORDER BY 1, 2`,
    ),
    report_referral_months: await rows(sql`SELECT month, type, status, made, accepted, connected FROM report_referral_months ORDER BY 1, 2, 3`),
    report_group_days: await rows(sql`SELECT day, group_id, attended, expected, came FROM report_group_days ORDER BY 1, 2`),
    report_group_people: await rows(
      sql`SELECT group_id, participant_id, code, month, days, first_day, last_day, prev_day FROM report_group_people ORDER BY 1, 2, 3, 4`,
    ),
    report_assessment_steps: await rows(
      sql`SELECT taken_on, participant_id, assessment_id, first_total, total, earlier, next_on FROM report_assessment_steps ORDER BY 1, 2, 3`,
    ),
    report_last_days: await rows(sql`SELECT month, kind, service_id, coded, last_day, people FROM report_last_days ORDER BY 1, 2, 3, 4, 5`),
    report_group_last_days: await rows(sql`SELECT month, group_id, last_day, people FROM report_group_last_days ORDER BY 1, 2, 3`),
    report_group_month_returns: await rows(sql`SELECT month, group_id, prev_month, people FROM report_group_month_returns ORDER BY 1, 2, 3`),
    report_group_day_returns: await rows(sql`SELECT month, group_id, prev_day, people FROM report_group_day_returns ORDER BY 1, 2, 3`),
    visit_counts: await rows(sql`SELECT id, visit_count FROM participants ORDER BY id`),
    // The keys pass 2^53 (seconds << 24): compared as text, which both print exactly.
    search_keys: await rows(
      backend === 'sqlite'
        ? sql`SELECT DISTINCT CAST(doc AS TEXT) AS rowid FROM temp.search_docs ORDER BY rowid`
        : sql`SELECT CAST(rowid AS TEXT) AS rowid FROM participant_search ORDER BY rowid`,
    ),
    names_version: await rows(sql`SELECT names_version FROM participant_search_state`),
  }
}

describePostgres('the same writes keep the same roll-ups on SQLite and PostgreSQL', () => {
  const both = useBothBackends()

  // Dozens of writes on two backends, each compared: on two busy cores, more than the default 30 s.
  it('sign-ins, edits, voids, merges and their undoing, referrals and their events, assessments, group attendance, sessions and enrollments', async () => {
    await both(async (sqlite, server) => {
      const desks = await Promise.all(
        [sqlite.db, server.db].map(async (db) => {
          const time = clock('2026-08-01T12:00:00.000Z')
          const setup: ServiceContext = { db, staffId: null, now: time.now, timeZone: 'UTC' }
          const admin = await completeSetup(setup, { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })
          const ctx: ServiceContext = { db, staffId: admin.id, now: time.now, timeZone: 'UTC' }
          const services = Object.fromEntries((await listActiveServices(ctx)).map((s) => [s.key, s.id]))
          // Ids each backend handed out, by name, for the later steps.
          const ids: Record<string, number> = {}
          return { db, ctx, time, adminId: admin.id, services, ids }
        }),
      )
      /** One step on both backends, then the kept rows compared. */
      const step = async (what: string, work: (desk: (typeof desks)[number]) => Promise<unknown>) => {
        for (const desk of desks) await work(desk)
        const [onSqlite, onPostgres] = [await kept(sqlite.db, 'sqlite'), await kept(server.db, 'postgres')]
        expect({ what, ...onPostgres }).toEqual({ what, ...onSqlite })
      }
      const service = (desk: (typeof desks)[number], key: string, quantity = 1) => ({ serviceId: desk.services[key]!, quantity })
      const person = (firstName: string) => async (desk: (typeof desks)[number]) => (await createParticipant(desk.ctx, { firstName })).id

      await step('people', async (desk) => {
        await person('Ana')(desk)
        await person('Ben')(desk)
      })
      await step('sign-ins', async (desk) => {
        const { ctx, time } = desk
        time.set('2026-09-10T14:05:00.000Z')
        await signIn(ctx, { participantId: 1, services: [service(desk, 'meal', 2)] })
        time.set('2026-09-20T09:59:00.000Z')
        await signIn(ctx, { participantId: 2, services: [service(desk, 'peer_support')] })
        time.set('2026-09-21T10:00:00.000Z')
        await signIn(ctx, { participantId: null, anonymousCode: 'blue', services: [service(desk, 'meal')] })
        time.set('2026-09-22T10:00:00.000Z')
        await signIn(ctx, { participantId: null, services: [] })
        time.set('2026-10-05T16:20:00.000Z')
        desk.ids.october = (await signIn(ctx, { participantId: 1, services: [service(desk, 'naloxone', 3)] })).id
        time.set('2026-11-03T11:00:00.000Z')
        desk.ids.november = (await signIn(ctx, { participantId: 1, services: [service(desk, 'meal')] })).id
        await signIn(ctx, { participantId: null, anonymousCode: 'BLUE', services: [] })
      })
      await step('a visit moved to an earlier month with other services', (desk) =>
        updateVisit(desk.ctx, desk.ids.november!, { services: [service(desk, 'shower')], signedInAt: '2026-10-28T15:00:00.000Z', reason: 'entered on the wrong day' }),
      )
      await step('a later month, then a day entered late before it', async (desk) => {
        desk.time.set('2026-11-20T10:00:00.000Z')
        await signIn(desk.ctx, { participantId: 2, services: [service(desk, 'meal')] })
        desk.time.set('2026-10-10T10:00:00.000Z')
        await signIn(desk.ctx, { participantId: 2, services: [service(desk, 'meal')] })
      })
      await step('a void', (desk) => voidVisit(desk.ctx, desk.ids.october!, 'entered twice'))

      await step('a merge', async (desk) => {
        const { ctx, time } = desk
        time.set('2026-11-10T12:00:00.000Z')
        const cara = await person('Cara')(desk)
        const carrie = await person('Carrie')(desk)
        const agency = await saveAgency(ctx, { name: 'Harbor Treatment', types: ['treatment'] })
        time.set('2026-09-25T10:00:00.000Z')
        await signIn(ctx, { participantId: carrie, services: [service(desk, 'meal')] })
        time.set('2026-10-15T10:00:00.000Z')
        await createReferral(ctx, { participantId: carrie, agencyId: agency.id, type: 'treatment' })
        time.set('2026-11-12T10:00:00.000Z')
        await signIn(ctx, { participantId: cara, services: [service(desk, 'meal')] })
        await createAssessment(ctx, { participantId: carrie, answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] })
        desk.ids.merge = (await mergeParticipants(ctx, cara, carrie)).id
      })
      await step('its undoing', (desk) => undoMerge(desk.ctx, desk.ids.merge!))

      await step('a referral and an assessment', async (desk) => {
        const { ctx, time } = desk
        time.set('2026-10-20T10:00:00.000Z')
        const dee = await person('Dee')(desk)
        const agency = await saveAgency(ctx, { name: 'Bay Housing', types: ['housing'] })
        desk.ids.referral = (await createReferral(ctx, { participantId: dee, agencyId: agency.id, type: 'housing' })).id
        time.set('2026-11-04T10:00:00.000Z')
        desk.ids.assessment = (await createAssessment(ctx, { participantId: dee, answers: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4] })).id
      })
      await step('the assessment voided', (desk) => voidAssessment(desk.ctx, desk.ids.assessment!, 'wrong person'))

      // Each referral event recounts the referral's row of report_referral_states.
      const moveReferral = (desk: (typeof desks)[number], at: string, change: Parameters<typeof updateReferral>[2]) => {
        desk.time.set(at)
        return updateReferral(desk.ctx, desk.ids.referral!, change)
      }
      await step('the referral found eligible, with a follow-up date', (desk) => moveReferral(desk, '2026-10-27T10:00:00.000Z', { status: 'eligible', followUpOn: '2026-11-03' }))
      await step('a note, then a new follow-up date', async (desk) => {
        await moveReferral(desk, '2026-10-30T10:00:00.000Z', { note: 'Called, left a message' })
        await moveReferral(desk, '2026-10-31T10:00:00.000Z', { followUpOn: '2026-11-06' })
      })
      await step('got help', (desk) => moveReferral(desk, '2026-11-02T10:00:00.000Z', { status: 'got_help' }))
      await step('reopened', (desk) => moveReferral(desk, '2026-11-09T10:00:00.000Z', { status: 'needs_client_action', followUpOn: '2026-11-16' }))

      await step('group attendance', async (desk) => {
        const { ctx, time, ids } = desk
        time.set('2026-11-18T10:00:00.000Z')
        ids.eli = await person('Eli')(desk)
        const group = await saveGroup(ctx, { name: 'Open Circle', kind: 'open', capacity: null, durationMinutes: 60, facilitatorIds: [desk.adminId], room: null, schedule: null })
        ids.openGroup = group.id
        ids.session = (await createOneOffSession(ctx, { groupId: group.id, date: '2026-11-18', startTime: '11:00' })).id
        await markAttendance(ctx, { sessionId: ids.session, participantId: ids.eli, status: 'present' })
        await markAnonymous(ctx, { sessionId: ids.session, code: 'green', status: 'present' })
      })
      const mark = (desk: (typeof desks)[number], status: 'absent' | 'late' | null) =>
        markAttendance(desk.ctx, { sessionId: desk.ids.session!, participantId: desk.ids.eli!, status })
      await step('marked absent', (desk) => mark(desk, 'absent'))
      await step('marked late, the code cleared', async (desk) => {
        await mark(desk, 'late')
        await markAnonymous(desk.ctx, { sessionId: desk.ids.session!, code: 'green', status: null })
      })
      await step('the mark cleared', (desk) => mark(desk, null))

      // report_group_days: a closed group whose schedule makes its sessions (many rows in one statement).
      const sessionOn = async (desk: (typeof desks)[number], groupId: number, date: string) =>
        (await desk.db.selectFrom('group_sessions').select('id').where('group_id', '=', groupId).where('session_date', '=', date).executeTakeFirstOrThrow()).id
      await step('a closed group meeting Tuesdays and Thursdays, two enrolled and one waitlisted', async (desk) => {
        const { ctx, time, ids } = desk
        time.set('2026-11-02T09:00:00.000Z')
        for (const name of ['Fay', 'Gus', 'Hal']) ids[name] = await person(name)(desk)
        const pattern = { startDate: '2026-11-01', startTime: '10:00', frequency: 'weekly' as const, interval: 1, weekdays: ['TU' as const, 'TH' as const] }
        ids.closedGroup = (await saveGroup(ctx, { name: 'Closed Circle', kind: 'closed', capacity: 2, durationMinutes: 60, facilitatorIds: [desk.adminId], room: null, schedule: { pattern } })).id
        ids.gusEnrolled = (await enroll(ctx, { groupId: ids.closedGroup, participantId: ids.Gus! })).id
        await enroll(ctx, { groupId: ids.closedGroup, participantId: ids.Fay! })
        ids.halWaiting = (await enroll(ctx, { groupId: ids.closedGroup, participantId: ids.Hal!, waitlist: true })).id
      })
      await step('marks hold two sessions', async (desk) => {
        const { ctx, time, ids } = desk
        time.set('2026-11-05T12:00:00.000Z')
        await markAttendance(ctx, { sessionId: await sessionOn(desk, ids.closedGroup!, '2026-11-03'), participantId: ids.Fay!, status: 'present' })
        await markAttendance(ctx, { sessionId: await sessionOn(desk, ids.closedGroup!, '2026-11-05'), participantId: ids.Gus!, status: 'late' })
        await markAttendance(ctx, { sessionId: await sessionOn(desk, ids.closedGroup!, '2026-11-05'), participantId: ids.Fay!, status: 'absent' })
      })
      await step('an enrollment ended before a held day', (desk) => unenroll(desk.ctx, { enrollmentId: desk.ids.gusEnrolled!, date: '2026-11-04', reason: 'moved away' }))
      await step('the waitlisted person admitted', (desk) => admitFromWaitlist(desk.ctx, desk.ids.halWaiting!))
      await step('a session cancelled', async (desk) =>
        changeSession(desk.ctx, await sessionOn(desk, desk.ids.closedGroup!, '2026-11-10'), { kind: 'cancel', reason: 'Room flooded' }),
      )
      await step('restored, and another moved to a Friday', async (desk) => {
        await changeSession(desk.ctx, await sessionOn(desk, desk.ids.closedGroup!, '2026-11-10'), { kind: 'restore' })
        await changeSession(desk.ctx, await sessionOn(desk, desk.ids.closedGroup!, '2026-11-12'), { kind: 'move', date: '2026-11-13' })
      })
      await step('a session that did not meet', async (desk) => {
        desk.time.set('2026-11-10T12:00:00.000Z')
        await recordSession(desk.ctx, { sessionId: await sessionOn(desk, desk.ids.closedGroup!, '2026-11-10'), didNotMeet: true })
      })
      await step('one person in two groups on one day, and a code', async (desk) => {
        const { ctx, time, ids } = desk
        time.set('2026-11-19T12:00:00.000Z')
        const open = (await createOneOffSession(ctx, { groupId: ids.openGroup!, date: '2026-11-19', startTime: '09:00' })).id
        await markAttendance(ctx, { sessionId: open, participantId: ids.Fay!, status: 'present' })
        await markAnonymous(ctx, { sessionId: open, code: 'green', status: 'late' })
        await markAttendance(ctx, { sessionId: await sessionOn(desk, ids.closedGroup!, '2026-11-19'), participantId: ids.Fay!, status: 'present' })
        await markAttendance(ctx, { sessionId: await sessionOn(desk, ids.closedGroup!, '2026-11-19'), participantId: ids.Hal!, status: 'present' })
      })
      // A row of a later month gains a previous day (the group returns move, migration 0043).
      await step('a month earlier marked after: a session of October entered late', async (desk) => {
        const { ctx, time, ids } = desk
        time.set('2026-11-19T13:00:00.000Z')
        const october = (await createOneOffSession(ctx, { groupId: ids.openGroup!, date: '2026-10-28', startTime: '11:00' })).id
        await markAttendance(ctx, { sessionId: october, participantId: ids.Fay!, status: 'present' })
      })
      await step('the did-not-meet session put back to scheduled', async (desk) =>
        recordSession(desk.ctx, { sessionId: await sessionOn(desk, desk.ids.closedGroup!, '2026-11-10'), didNotMeet: false }),
      )
      await step('the closed group archived: its future empty sessions deleted in one statement', (desk) => archiveGroup(desk.ctx, desk.ids.closedGroup!))
      // No service deletes an enrollment today; the trigger is there for whatever will.
      await step('an enrollment row deleted', (desk) => desk.db.deleteFrom('enrollments').where('id', '=', desk.ids.gusEnrolled!).execute())

      // A records import in chunks (migration 0029): a pending file's visits count nowhere, whatever
      // happens to them, until its switch. Written directly: the import's own path is SQLite's for now.
      const beforeImport = await kept(server.db, 'postgres')
      const pending = async (what: string, work: (desk: (typeof desks)[number]) => Promise<unknown>) => {
        await step(what, work)
        expect({ what, ...(await kept(server.db, 'postgres')) }).toEqual({ what, ...beforeImport })
      }
      await pending("a pending file's visits and their services", async ({ db, ids, adminId, services }) => {
        const at = '2026-11-20T10:00:00.000Z'
        const file = { kind: 'visits' as const, sha256: 'ab12', file_name: 'old-sheets.csv', rows: 2, counts: '{}', staff_id: adminId, imported_at: at, pending: 1 }
        ids.file = (await db.insertInto('import_files').values(file).returning('id').executeTakeFirstOrThrow()).id
        for (const [participantId, day] of [[ids.Fay!, '2026-11-21'], [null, '2026-11-03']] as const) {
          const visit = { participant_id: participantId, anonymous_code: participantId ? null : 'red', visit_date: day, signed_in_at: `${day}T10:00:00.000Z` }
          const { id } = await db
            .insertInto('visits')
            .values({ ...visit, signed_out_at: null, note: null, created_by: adminId, created_at: at, updated_at: at, voided_at: null, void_reason: null, import_file_id: ids.file })
            .returning('id')
            .executeTakeFirstOrThrow()
          await db.insertInto('visit_services').values({ visit_id: id, service_id: services.meal!, quantity: 2 }).execute()
        }
      })
      const fileVisits = (desk: (typeof desks)[number]) => desk.db.selectFrom('visits').select('id').where('import_file_id', '=', desk.ids.file!)
      await pending('a pending visit moved to another day, its services changed, then voided', async (desk) => {
        const { id } = await fileVisits(desk).where('participant_id', 'is', null).executeTakeFirstOrThrow()
        await desk.db.updateTable('visits').set({ visit_date: '2026-11-04', signed_in_at: '2026-11-04T10:00:00.000Z' }).where('id', '=', id).execute()
        await desk.db.updateTable('visit_services').set({ quantity: 3 }).where('visit_id', '=', id).execute()
        await desk.db.updateTable('visits').set({ voided_at: '2026-11-20T11:00:00.000Z', void_reason: 'duplicate row' }).where('id', '=', id).execute()
      })
      // The day of a pending visit recounted for a visible one: the count leaves the pending one out.
      await step('a desk visit on the day of a pending one, then voided', async (desk) => {
        desk.time.set('2026-11-21T12:00:00.000Z')
        const visit = await signIn(desk.ctx, { participantId: desk.ids.Gus!, services: [service(desk, 'meal')] })
        await voidVisit(desk.ctx, visit.id, 'wrong person')
      })
      await step('the pending file discarded', async (desk) => {
        await desk.db.deleteFrom('visit_services').where('visit_id', 'in', fileVisits(desk)).execute()
        await desk.db.deleteFrom('visits').where('import_file_id', '=', desk.ids.file!).execute()
      })

      // The side compared with is right: SQLite's roll-ups equal its rows counted again (admin verify's recount).
      expect((await checkRollups(sqlite.db)).filter((check) => check.missing + check.extra > 0)).toEqual([])
      // The twins' backfill, as when a database holding records is brought up from schema 24: their
      // tables and functions (the triggers go with them) dropped, then their migrations run again.
      await server.db.transaction().execute(async (trx) => {
        const functions = await sql<{ name: string }>`SELECT p.oid::regprocedure::text AS name FROM pg_proc p WHERE p.proname ~ '^report_(referral_state|group_days)'`.execute(trx)
        for (const { name } of functions.rows) await sql.raw(`DROP FUNCTION ${name} CASCADE`).execute(trx)
        await sql`DROP TABLE report_referral_states, report_group_days`.execute(trx)
        // Migrations take a Kysely without schema types (they are frozen in time), as the Migrator gives them.
        const untyped = trx as unknown as Kysely<unknown>
        for (const [name, migration] of postgresMigrationList) if (name === '0026_referral_states' || name === '0027_group_days') await migration.up(untyped)
      })
      expect(await kept(server.db, 'postgres')).toEqual(await kept(sqlite.db, 'sqlite'))
      // One unbroken audit chain on each, the same length.
      const [sqliteChain, serverChain] = [await verifyAuditChain(sqlite.db), await verifyAuditChain(server.db)]
      expect(serverChain).toEqual(sqliteChain)
      expect(serverChain.firstBroken).toBeNull()
      expect(serverChain.rows).toBeGreaterThan(20)
      // Not a comparison of two empty sets: every kept table has rows by now.
      for (const [table, rows] of Object.entries(await kept(server.db, 'postgres'))) expect({ table, some: rows.length > 0 }).toEqual({ table, some: true })
    })
  }, 180_000)
})

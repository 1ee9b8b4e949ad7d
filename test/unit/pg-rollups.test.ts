import { sql, type Kysely } from 'kysely'
import { expect, it } from 'vitest'
import { createAssessment, voidAssessment } from '../../db/services/assessments'
import { verifyAuditChain } from '../../db/services/audit'
import { saveAgency } from '../../db/services/agencies'
import { markAnonymous, markAttendance } from '../../db/services/attendance'
import { listActiveServices } from '../../db/services/catalog'
import type { ServiceContext } from '../../db/services/context'
import { createOneOffSession, saveGroup } from '../../db/services/groups'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { createReferral } from '../../db/services/referrals'
import { completeSetup } from '../../db/services/setup'
import { signIn, updateVisit, voidVisit } from '../../db/services/visits'
import type { Database } from '../../db/schema'
import { clock } from './front-desk-helpers'
import { describePostgres, useBothBackends } from './pg-helpers'

/**
 * The roll-ups and the other trigger-kept columns (visit counts, the search index's recency keys,
 * the names version), written by SQLite's triggers on one side and PostgreSQL's plpgsql on the
 * other: the same writes through the same services must leave the same rows on both.
 */

/** What the triggers keep, in an order both backends agree on (text compares byte-wise on both). */
async function kept(db: Kysely<Database>) {
  const rows = async (query: ReturnType<typeof sql>) => (await query.execute(db)).rows
  return {
    report_days: await rows(sql`SELECT day, service_id, slot, visits, registered, coded, quantity FROM report_days ORDER BY 1, 2, 3`),
    report_person_months: await rows(
      sql`SELECT month, participant_id, code, kind, service_id, days, first_day, last_day, prev_day FROM report_person_months ORDER BY 1, 2, 3, 4, 5`,
    ),
    report_month_returns: await rows(sql`SELECT month, kind, service_id, coded, prev_month, people FROM report_month_returns ORDER BY 1, 2, 3, 4, 5`),
    report_day_returns: await rows(sql`SELECT month, kind, service_id, coded, prev_day, people FROM report_day_returns ORDER BY 1, 2, 3, 4, 5`),
    visit_counts: await rows(sql`SELECT id, visit_count FROM participants ORDER BY id`),
    // The keys pass 2^53 (seconds << 24): compared as text, which both print exactly.
    search_keys: await rows(sql`SELECT CAST(rowid AS TEXT) AS rowid FROM participant_search ORDER BY rowid`),
    names_version: await rows(sql`SELECT names_version FROM participant_search_state`),
  }
}

describePostgres('the same writes keep the same roll-ups on SQLite and PostgreSQL', () => {
  const both = useBothBackends()

  it('sign-ins, edits, voids, merges and their undoing, referrals, assessments and group attendance', async () => {
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
        const [onSqlite, onPostgres] = [await kept(sqlite.db), await kept(server.db)]
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
        await createReferral(ctx, { participantId: dee, agencyId: agency.id, type: 'housing' })
        time.set('2026-11-04T10:00:00.000Z')
        desk.ids.assessment = (await createAssessment(ctx, { participantId: dee, answers: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4] })).id
      })
      await step('the assessment voided', (desk) => voidAssessment(desk.ctx, desk.ids.assessment!, 'wrong person'))

      await step('group attendance', async (desk) => {
        const { ctx, time, ids } = desk
        time.set('2026-11-18T10:00:00.000Z')
        ids.eli = await person('Eli')(desk)
        const group = await saveGroup(ctx, { name: 'Open Circle', kind: 'open', capacity: null, durationMinutes: 60, facilitatorIds: [desk.adminId], room: null, schedule: null })
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
      // One unbroken audit chain on each, the same length.
      const [sqliteChain, serverChain] = [await verifyAuditChain(sqlite.db), await verifyAuditChain(server.db)]
      expect(serverChain).toEqual(sqliteChain)
      expect(serverChain.firstBroken).toBeNull()
      expect(serverChain.rows).toBeGreaterThan(20)
      // Not a comparison of two empty sets: every kept table has rows by now.
      for (const [table, rows] of Object.entries(await kept(server.db))) expect({ table, some: rows.length > 0 }).toEqual({ table, some: true })
    })
  })
})

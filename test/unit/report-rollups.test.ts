import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../../db/cli/admin'
import { generateKey, keyToHex, type DbKey } from '../../db/keys'
import { createDatabase, openDatabase, type OpenDatabase } from '../../db/open'
import { seedDatabase } from '../../db/seed'
import { createAssessment, voidAssessment } from '../../db/services/assessments'
import { markAnonymous, markAttendance } from '../../db/services/attendance'
import { saveAgency } from '../../db/services/agencies'
import type { ServiceContext } from '../../db/services/context'
import { changeSession, createOneOffSession, recordSession, saveGroup } from '../../db/services/groups'
import { enroll, unenroll } from '../../db/services/rosters'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { createReferral, updateReferral } from '../../db/services/referrals'
import { groupFigures, meanInterval, peopleFigures, recoveryCapitalFigures, referralFigures, serviceFigures, visitFigures, visitSeries } from '../../db/services/reports/figures'
import { checkRollups, rebuildRollups, ROLLUP_TABLES } from '../../db/services/reports/rollups'
import { activePeople, countedAssessments, countedAttendance, countedVisits, newPeople, referralStates, type ReportDb } from '../../db/services/reports/rules'
import { addDays } from '../../db/services/reports/range'
import { OPEN_REFERRAL_STATUSES } from '../../db/types'
import { completeSetup } from '../../db/services/setup'
import { signIn, updateVisit, voidVisit } from '../../db/services/visits'
import type { DateRange } from '../../db/report-types'
import { admin } from './admin-helpers'
import { setUpCenter, type Desk } from './front-desk-helpers'
import { describeEachBackend, useRecords } from './pg-helpers'

/**
 * The reports' roll-ups (migration 0012) are kept by triggers on every write. Each write path is
 * taken below, and after each the roll-ups must equal a recount from the rows, and the figures
 * read from them must equal the counting rules' queries over the rows.
 */

/** The figures the roll-ups give, and the same counted straight from the rows by rules.ts. */
async function fromRollups(db: ReportDb, range: DateRange) {
  const people = await peopleFigures(db, range)
  const services = await serviceFigures(db, range)
  return {
    registered: people.registered,
    anonymousPeople: people.anonymousPeople,
    newPeople: people.newPeople,
    visits: (await visitFigures(db, range)).visits,
    services: Object.fromEntries(services.filter((s) => s.times > 0).map((s) => [s.key, [s.times, s.people, s.quantity]])),
    groupPeople: await groupPeopleFromRollup(db, range),
    recovery: await recoveryCapitalFigures(db, range),
    referrals: referralCounts(await referralFigures(db, range, endOf(range), UTC)),
  }
}

/** The range's end as an instant on a UTC center's clock, and that clock. */
const endOf = (range: DateRange) => `${addDays(range.to, 1)}T00:00:00.000Z`
const UTC = [{ since: -Infinity, minutes: 0 }]

/** The referral figures that are counts (the median is the same query either way). */
function referralCounts(figures: Awaited<ReturnType<typeof referralFigures>>) {
  const { made, accepted, connected, connectedLater, open, openPastFollowUp } = figures
  const byStatus = Object.fromEntries(figures.byStatus.filter((s) => s.count > 0).map((s) => [s.status, s.count]))
  const byType = Object.fromEntries(figures.byType.filter((t) => t.made > 0).map((t) => [t.type, [t.made, t.connected]]))
  return { made, accepted, connected, connectedLater, open, openPastFollowUp, byStatus, byType }
}

/**
 * The same from every referral of the range as it stood at the end (rules.ts), one by one, where
 * referralFigures reads report_referral_months (migration 0038) and moves only the unsettled ones.
 */
async function referralsFromRows(db: ReportDb, range: DateRange) {
  const end = endOf(range)
  const rows = await db
    .selectFrom(referralStates(db, range, end).as('s'))
    .select(['s.type', 's.status', 's.follow_up_on', 's.accepted_at', 's.got_help_at'])
    .execute()
  // A test's few referrals: counted here in JavaScript, independently of the figures' SQL.
  const open = rows.filter((r) => (OPEN_REFERRAL_STATUSES as readonly string[]).includes(r.status))
  const tally = (key: (r: (typeof rows)[number]) => string) => rows.reduce<Record<string, number>>((t, r) => ({ ...t, [key(r)]: (t[key(r)] ?? 0) + 1 }), {})
  const connected = (r: (typeof rows)[number]) => r.got_help_at !== null && r.got_help_at < end
  return {
    made: rows.length,
    accepted: rows.filter((r) => r.accepted_at !== null && r.accepted_at < end).length,
    connected: rows.filter(connected).length,
    connectedLater: rows.filter((r) => r.got_help_at !== null && r.got_help_at >= end).length,
    open: open.length,
    openPastFollowUp: open.filter((r) => r.follow_up_on !== null && r.follow_up_on < range.to).length,
    byStatus: tally((r) => r.status),
    byType: Object.fromEntries(Object.entries(tally((r) => r.type)).map(([type, n]) => [type, [n, rows.filter((r) => r.type === type && connected(r)).length]])),
  }
}

/** People per group and over all groups (0), from report_group_people (migration 0032), as groupFigures reads them. */
async function groupPeopleFromRollup(db: ReportDb, range: DateRange) {
  const figures = await groupFigures(db, range)
  return Object.fromEntries([[0, figures.people], ...figures.groups.map((g) => [g.groupId, g.people])].filter(([, n]) => n! > 0))
}

/** The same from the marks (rule 6): a registered id, or else a code, once per group and once over all. */
async function groupPeopleFromRows(db: ReportDb, range: DateRange) {
  const people = (perGroup: boolean) =>
    countedAttendance(db, range).select((eb) => [
      (perGroup ? eb.ref('s.group_id') : eb.val(0)).as('group_id'),
      eb.fn.count<number>('t.participant_id').distinct().as('named'),
      eb.fn.count<number>(eb.case().when('t.participant_id', 'is', null).then(eb.ref('t.anonymous_code')).end()).distinct().as('coded'),
    ])
  const rows = [...(await people(true).groupBy('s.group_id').execute()), ...(await people(false).execute())]
  return Object.fromEntries(rows.map((row) => [Number(row.group_id), Number(row.named) + Number(row.coded)]).filter(([, n]) => n! > 0))
}

/**
 * Recovery capital from the assessments themselves (rule 1; migration 0037's roll-up must give the
 * same): each person whose latest assessment by the range's end is in it and who has two or more by
 * then, their first total ever against that latest one.
 */
async function recoveryFromRows(db: ReportDb, range: DateRange) {
  const assessed = await countedAssessments(db, range).select((eb) => eb.fn.count<number>('a.participant_id').distinct().as('n')).executeTakeFirstOrThrow()
  const people = db
    .selectFrom('assessments as a')
    .where('a.voided_at', 'is', null)
    .where('a.taken_on', '<=', range.to)
    .select('a.participant_id')
    .groupBy('a.participant_id')
    .having((eb) => eb.fn.max('a.taken_on'), '>=', range.from)
    .having((eb) => eb.fn.countAll(), '>=', 2)
  const pairs = await db
    .selectFrom(people.as('p'))
    .select((eb) => {
      const total = (direction: 'asc' | 'desc') =>
        eb
          .selectFrom('assessments as t')
          .select('t.total')
          .whereRef('t.participant_id', '=', 'p.participant_id')
          .where('t.voided_at', 'is', null)
          .where('t.taken_on', '<=', range.to)
          .orderBy('t.taken_on', direction)
          .orderBy('t.id', direction)
          .limit(1)
      return [total('asc').as('first'), total('desc').as('latest')]
    })
    .execute()
  // Few people in a test: the arithmetic over them in JavaScript is the independent check.
  const firsts = pairs.map((p) => Number(p.first))
  const latests = pairs.map((p) => Number(p.latest))
  const changes = pairs.map((_, i) => latests[i]! - firsts[i]!)
  const n = pairs.length
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  return {
    assessed: Number(assessed.n),
    n,
    meanFirst: n > 0 ? total(firsts) / n : null,
    meanLatest: n > 0 ? total(latests) / n : null,
    meanChange: n > 0 ? total(changes) / n : null,
    changeCi: meanInterval(n, total(changes), total(changes.map((c) => c * c))),
    shareAtOrAbove47First: n > 0 ? firsts.filter((x) => x >= 47).length / n : null,
    shareAtOrAbove47Latest: n > 0 ? latests.filter((x) => x >= 47).length / n : null,
  }
}

async function fromRows(db: ReportDb, range: DateRange) {
  const count = async (query: ReturnType<typeof activePeople> | ReturnType<typeof newPeople>) =>
    Number((await db.selectFrom(query.as('q')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const anonymous = await countedVisits(db, range)
    .where('v.participant_id', 'is', null)
    .select((eb) => eb.fn.count<number>('v.anonymous_code').distinct().as('n'))
    .executeTakeFirstOrThrow()
  const visits = await countedVisits(db, range).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const services = await countedVisits(db, range)
    .innerJoin('visit_services as vs', 'vs.visit_id', 'v.id')
    .innerJoin('services as s', 's.id', 'vs.service_id')
    .select((eb) => [
      's.key',
      eb.fn.countAll<number>().as('times'),
      eb.fn.count<number>('v.participant_id').distinct().as('registered'),
      eb.fn.count<number>('v.anonymous_code').distinct().as('coded'),
      eb.fn.sum<number>('vs.quantity').as('quantity'),
    ])
    .groupBy('s.key')
    .execute()
  return {
    registered: await count(activePeople(db, range)),
    anonymousPeople: Number(anonymous.n),
    newPeople: await count(newPeople(db, range)),
    visits: Number(visits.n),
    services: Object.fromEntries(services.map((s) => [s.key, [Number(s.times), Number(s.registered) + Number(s.coded), Number(s.quantity)]])),
    groupPeople: await groupPeopleFromRows(db, range),
    recovery: await recoveryFromRows(db, range),
    referrals: await referralsFromRows(db, range),
  }
}

async function expectRollupsExact(db: ReportDb, ranges: DateRange[]): Promise<void> {
  expect(await checkRollups(db)).toEqual(
    ROLLUP_TABLES.map((table) => ({ table, missing: 0, extra: 0 })),
  )
  for (const range of ranges) expect({ range, ...(await fromRollups(db, range)) }).toEqual({ range, ...(await fromRows(db, range)) })
}

/** Ranges of one day, inside one month, from a month's start or to its end, across two, from a mid-month to a mid-month, and whole months. */
const RANGES: DateRange[] = [
  { from: '2026-09-10', to: '2026-09-10' },
  { from: '2026-11-01', to: '2026-11-12' },
  { from: '2026-09-11', to: '2026-09-30' },
  { from: '2026-09-15', to: '2026-10-20' },
  { from: '2026-09-21', to: '2026-11-24' },
  { from: '2026-10-01', to: '2026-10-31' },
  { from: '2026-08-01', to: '2026-11-30' },
  { from: '2026-10-06', to: '2026-11-02' },
  { from: '2026-11-04', to: '2026-11-25' },
]

describeEachBackend('roll-ups kept on every write path', (backend) => {
  // The tests build on each other's writes: one database for the block.
  const records = useRecords(backend, 'block')
  let desk: Omit<Desk, 'opened'>
  let ctx: ServiceContext
  const at = (iso: string) => desk.clock.set(iso)
  const service = (key: string, quantity = 1) => ({ serviceId: desk.services[key]!.id, quantity })

  beforeAll(async () => {
    desk = await setUpCenter(records().db)
    ctx = desk.ctx
  })

  it('sign-ins (registered, by code, without a code), edits that move a visit to another day, and voids', async () => {
    at('2026-08-01T12:00:00.000Z')
    const [ana, ben] = [(await createParticipant(ctx, { firstName: 'Ana' })).id, (await createParticipant(ctx, { firstName: 'Ben' })).id]
    at('2026-09-10T14:05:00.000Z')
    await signIn(ctx, { participantId: ana, services: [service('meal', 2)] })
    at('2026-09-20T09:59:00.000Z')
    await signIn(ctx, { participantId: ben, services: [service('peer_support')] })
    at('2026-09-21T10:00:00.000Z')
    await signIn(ctx, { participantId: null, anonymousCode: 'blue', services: [service('meal')] })
    at('2026-09-22T10:00:00.000Z')
    await signIn(ctx, { participantId: null, services: [] })
    at('2026-10-05T16:20:00.000Z')
    const october = await signIn(ctx, { participantId: ana, services: [service('naloxone', 3)] })
    at('2026-11-03T11:00:00.000Z')
    const november = await signIn(ctx, { participantId: ana, services: [service('meal')] })
    await signIn(ctx, { participantId: null, anonymousCode: 'BLUE', services: [] })
    await expectRollupsExact(ctx.db, RANGES)

    // Back to an earlier month with other services: the later month's row loses its day, and its previous day moves.
    await updateVisit(ctx, november.id, { services: [service('shower')], signedInAt: '2026-10-28T15:00:00.000Z', reason: 'entered on the wrong day' })
    await expectRollupsExact(ctx.db, RANGES)
    await voidVisit(ctx, october.id, 'entered twice')
    await expectRollupsExact(ctx.db, RANGES)
  })

  it('merges and their undoing move every row of the merged record, and back', async () => {
    at('2026-11-10T12:00:00.000Z')
    const cara = (await createParticipant(ctx, { firstName: 'Cara' })).id
    const carrie = (await createParticipant(ctx, { firstName: 'Carrie' })).id
    const agency = await saveAgency(ctx, { name: 'Harbor Treatment', types: ['treatment'] })
    at('2026-09-25T10:00:00.000Z')
    await signIn(ctx, { participantId: carrie, services: [service('meal')] })
    at('2026-10-15T10:00:00.000Z')
    await createReferral(ctx, { participantId: carrie, agencyId: agency.id, type: 'treatment' })
    at('2026-11-12T10:00:00.000Z')
    await signIn(ctx, { participantId: cara, services: [service('meal')] })
    await createAssessment(ctx, { participantId: carrie, answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] })
    await expectRollupsExact(ctx.db, RANGES)
    const merge = await mergeParticipants(ctx, cara, carrie)
    await expectRollupsExact(ctx.db, RANGES)
    await undoMerge(ctx, merge.id)
    await expectRollupsExact(ctx.db, RANGES)
  })

  it('referrals and assessments make a person active, and a referral\'s changes move its state; a voided assessment no longer does', async () => {
    at('2026-10-20T10:00:00.000Z')
    const dee = (await createParticipant(ctx, { firstName: 'Dee' })).id
    const agency = await saveAgency(ctx, { name: 'Bay Housing', types: ['housing'] })
    const referral = await createReferral(ctx, { participantId: dee, agencyId: agency.id, type: 'housing' })
    await expectRollupsExact(ctx.db, RANGES)
    // Each change of status recounts the referral's row of report_referral_states.
    at('2026-10-27T10:00:00.000Z')
    await updateReferral(ctx, referral.id, { status: 'eligible' })
    await expectRollupsExact(ctx.db, RANGES)
    at('2026-11-02T10:00:00.000Z')
    await updateReferral(ctx, referral.id, { status: 'got_help' })
    at('2026-11-04T10:00:00.000Z')
    const assessment = await createAssessment(ctx, { participantId: dee, answers: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4] })
    await expectRollupsExact(ctx.db, RANGES)
    await voidAssessment(ctx, assessment.id, 'wrong person')
    await expectRollupsExact(ctx.db, RANGES)
  })

  it('group attendance: a mark makes the visit, absent voids it, clearing removes the mark; codes at open meetings', async () => {
    at('2026-11-18T10:00:00.000Z')
    const eli = (await createParticipant(ctx, { firstName: 'Eli' })).id
    const group = await saveGroup(ctx, { name: 'Open Circle', kind: 'open', capacity: null, durationMinutes: 60, facilitatorIds: [desk.adminId], room: null, schedule: null })
    const session = await createOneOffSession(ctx, { groupId: group.id, date: '2026-11-18', startTime: '11:00' })
    await markAttendance(ctx, { sessionId: session.id, participantId: eli, status: 'present' })
    await markAnonymous(ctx, { sessionId: session.id, code: 'green', status: 'present' })
    await expectRollupsExact(ctx.db, RANGES)
    await markAttendance(ctx, { sessionId: session.id, participantId: eli, status: 'absent' })
    await expectRollupsExact(ctx.db, RANGES)
    await markAttendance(ctx, { sessionId: session.id, participantId: eli, status: 'late' })
    await markAnonymous(ctx, { sessionId: session.id, code: 'green', status: null })
    await expectRollupsExact(ctx.db, RANGES)
    await markAttendance(ctx, { sessionId: session.id, participantId: eli, status: null })
    await expectRollupsExact(ctx.db, RANGES)
  })

  it('group people over months (migration 0032): a later month marked first, an earlier one after, codes, a merge and its undoing', async () => {
    at('2026-09-01T09:00:00.000Z')
    const [hal, hank] = [(await createParticipant(ctx, { firstName: 'Hal' })).id, (await createParticipant(ctx, { firstName: 'Hank' })).id]
    const open = await saveGroup(ctx, { name: 'Morning Circle', kind: 'open', capacity: null, durationMinutes: 60, facilitatorIds: [desk.adminId], room: null, schedule: null })
    const other = await saveGroup(ctx, { name: 'Evening Circle', kind: 'open', capacity: null, durationMinutes: 60, facilitatorIds: [desk.adminId], room: null, schedule: null })
    const days = ['2026-09-14', '2026-10-05', '2026-10-20', '2026-11-09']
    const sessions = [] as Array<{ id: number }>
    for (const date of days) sessions.push(await createOneOffSession(ctx, { groupId: open.id, date, startTime: '09:00' }))
    const evening = await createOneOffSession(ctx, { groupId: other.id, date: '2026-10-20', startTime: '18:00' })
    // November first, then October and September: each earlier month moves the later rows' previous day.
    for (const index of [3, 1, 0, 2]) {
      at(`${days[index]}T10:00:00.000Z`)
      await markAttendance(ctx, { sessionId: sessions[index]!.id, participantId: index % 2 === 0 ? hank : hal, status: index === 2 ? 'late' : 'present' })
      await markAnonymous(ctx, { sessionId: sessions[index]!.id, code: 'blue', status: 'present' })
      await expectRollupsExact(ctx.db, RANGES)
    }
    at('2026-10-20T19:00:00.000Z')
    await markAttendance(ctx, { sessionId: evening.id, participantId: hal, status: 'present' })
    await markAnonymous(ctx, { sessionId: evening.id, code: 'blue', status: 'present' })
    await expectRollupsExact(ctx.db, RANGES)
    at('2026-11-20T10:00:00.000Z')
    const merge = await mergeParticipants(ctx, hal, hank)
    await expectRollupsExact(ctx.db, RANGES)
    await undoMerge(ctx, merge.id)
    await expectRollupsExact(ctx.db, RANGES)
    await markAttendance(ctx, { sessionId: sessions[1]!.id, participantId: hal, status: 'absent' })
    await markAnonymous(ctx, { sessionId: sessions[0]!.id, code: 'blue', status: null })
    await expectRollupsExact(ctx.db, RANGES)
  })

  it('group days: enrollments and their end, held sessions, one never held and moved to another day', async () => {
    at('2026-11-02T09:00:00.000Z')
    const [fay, gus] = [(await createParticipant(ctx, { firstName: 'Fay' })).id, (await createParticipant(ctx, { firstName: 'Gus' })).id]
    const group = await saveGroup(ctx, { name: 'Closed Circle', kind: 'closed', capacity: null, durationMinutes: 60, facilitatorIds: [desk.adminId], room: null, schedule: null })
    const first = await createOneOffSession(ctx, { groupId: group.id, date: '2026-11-03', startTime: '10:00' })
    const second = await createOneOffSession(ctx, { groupId: group.id, date: '2026-11-05', startTime: '10:00' })
    const third = await createOneOffSession(ctx, { groupId: group.id, date: '2026-11-06', startTime: '10:00' })
    const gusEnrolled = await enroll(ctx, { groupId: group.id, participantId: gus })
    await enroll(ctx, { groupId: group.id, participantId: fay })
    await expectRollupsExact(ctx.db, RANGES)
    at('2026-11-05T12:00:00.000Z')
    await markAttendance(ctx, { sessionId: first.id, participantId: fay, status: 'present' })
    await markAttendance(ctx, { sessionId: second.id, participantId: gus, status: 'late' })
    await recordSession(ctx, { sessionId: first.id, topic: 'Check-in' })
    await expectRollupsExact(ctx.db, RANGES)
    await unenroll(ctx, { enrollmentId: gusEnrolled.id, date: '2026-11-04', reason: 'moved away' })
    await changeSession(ctx, third.id, { kind: 'move', date: '2026-11-07' })
    await expectRollupsExact(ctx.db, RANGES)
    const { groups } = await groupFigures(ctx.db, { from: '2026-11-01', to: '2026-11-30' })
    // Held: the two sessions with marks; expected: Fay on the 3rd and the 5th, Gus on the 3rd; came: Fay on the 3rd.
    expect(groups.find((g) => g.groupId === group.id)).toMatchObject({ sessionsHeld: 2, attendance: 2, people: 2, attendanceRate: 1 / 3 })
  })

  it('the monthly chart counts each month on its own, from the roll-ups', async () => {
    const range = { from: '2026-09-15', to: '2026-11-20' }
    const series = await visitSeries(ctx.db, range, 'month')
    for (const point of series) {
      const month = { from: point.start < range.from ? range.from : point.start, to: point.start.slice(0, 7) === '2026-11' ? range.to : `${point.start.slice(0, 7)}-${point.start.slice(5, 7) === '09' ? '30' : '31'}` }
      const rows = await countedVisits(ctx.db, month)
        .select((eb) => [eb.fn.count<number>('v.participant_id').distinct().as('registered'), eb.fn.count<number>('v.anonymous_code').distinct().as('coded')])
        .executeTakeFirstOrThrow()
      expect({ start: point.start, people: point.people }).toEqual({ start: point.start, people: Number(rows.registered) + Number(rows.coded) })
    }
  })

  it('the weekly chart counts each week on its own, only its days in the range', async () => {
    // Weeks cut by the range at both ends, with visits on their days outside it (the 10th and the 12th).
    const range = { from: '2026-09-11', to: '2026-11-11' }
    const series = await visitSeries(ctx.db, range, 'week')
    expect(series[0]!.start).toBe('2026-09-07')
    for (const point of series) {
      const end = addDays(point.start, 6)
      const week = { from: point.start < range.from ? range.from : point.start, to: end > range.to ? range.to : end }
      const rows = await countedVisits(ctx.db, week)
        .select((eb) => [eb.fn.count<number>('v.participant_id').distinct().as('registered'), eb.fn.count<number>('v.anonymous_code').distinct().as('coded')])
        .executeTakeFirstOrThrow()
      expect({ start: point.start, people: point.people }).toEqual({ start: point.start, people: Number(rows.registered) + Number(rows.coded) })
    }
  })

  it('the recount names a roll-up that disagrees with the rows, and a rebuild in place repairs it and gives back what the triggers kept', async () => {
    const kept = () => ctx.db.selectFrom('report_person_months').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('days').as('days')]).executeTakeFirstOrThrow()
    const before = await kept()
    const first = await ctx.db.selectFrom('report_days').select(['day', 'service_id', 'slot']).orderBy('day').orderBy('service_id').orderBy('slot').executeTakeFirstOrThrow()
    await ctx.db
      .updateTable('report_days')
      .set((eb) => ({ visits: eb('visits', '+', 1) }))
      .where('day', '=', first.day)
      .where('service_id', '=', first.service_id)
      .where('slot', '=', first.slot)
      .execute()
    expect((await checkRollups(ctx.db)).find((check) => check.table === 'report_days')).toEqual({ table: 'report_days', missing: 1, extra: 1 })
    await rebuildRollups(ctx.db)
    expect(await kept()).toEqual(before)
    await expectRollupsExact(ctx.db, RANGES)
  })
})

describe('roll-ups of a seeded center, and admin verify', () => {
  let dir: string
  let opened: OpenDatabase
  let keyFile: string
  let file: string
  let key: DbKey

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'porchlight-'))
    key = generateKey()
    keyFile = join(dir, 'center.key')
    file = join(dir, 'center.db')
    writeFileSync(keyFile, keyToHex(key), { mode: 0o600 })
    opened = await createDatabase(file, key)
    const now = () => new Date('2026-11-20T15:00:00.000Z')
    const setup: ServiceContext = { db: opened.db, staffId: null, now, timeZone: 'UTC' }
    await completeSetup(setup, { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })
    // The seed writes its rows with plain INSERTs: the triggers keep the roll-ups all the same.
    await seedDatabase(opened, { participants: 300, days: 200, endDate: new Date('2026-11-19T12:00:00.000Z'), seed: 11, timeZone: 'UTC' })
  }, 180_000)

  afterAll(async () => {
    await opened.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('every figure read from the roll-ups equals the rows counted by the rules, over many ranges', async () => {
    const ranges: DateRange[] = [
      { from: '2026-05-04', to: '2026-11-19' },
      { from: '2026-06-01', to: '2026-08-31' },
      { from: '2026-06-17', to: '2026-06-17' },
      { from: '2026-07-09', to: '2026-07-28' },
      { from: '2026-07-31', to: '2026-08-01' },
      { from: '2026-08-15', to: '2026-10-14' },
      { from: '2026-09-02', to: '2026-11-19' },
      { from: '2025-11-20', to: '2026-11-19' },
    ]
    await expectRollupsExact(opened.db, ranges)
  }, 120_000)

  it('admin verify recounts the roll-ups; one that disagrees with the rows is named, and rebuild-rollups repairs it', async () => {
    await opened.close()
    const ok = await admin(['verify', '--db', file, '--key-file', keyFile])
    expect(ok.code).toBe(EXIT.OK)
    expect(ok.stdout).toContain('Report roll-ups: recounted from the records, they match')

    opened = await openDatabase(file, key, { check: 'none' })
    opened.sqlite.prepare(`UPDATE report_days SET visits = visits + 1 WHERE (day, service_id, slot) = (SELECT day, service_id, slot FROM report_days LIMIT 1)`).run()
    expect((await checkRollups(opened.db)).find((check) => check.table === 'report_days')).toEqual({ table: 'report_days', missing: 1, extra: 1 })
    await opened.close()
    const wrong = await admin(['verify', '--db', file, '--key-file', keyFile])
    expect(wrong.code).toBe(EXIT.ROLLUPS_WRONG)
    expect(wrong.stderr).toContain('report_days differs from the records (1 row(s) missing or different, 1 extra)')

    const rebuilt = await admin(['rebuild-rollups', '--db', file, '--key-file', keyFile])
    expect(rebuilt.code).toBe(EXIT.OK)
    expect((await admin(['verify', '--db', file, '--key-file', keyFile])).code).toBe(EXIT.OK)
    opened = await openDatabase(file, key, { check: 'none' })
  }, 120_000)

  it('a rebuild in place gives back exactly what the triggers kept', async () => {
    const before = opened.sqlite.prepare(`SELECT count(*) AS n, sum(days) AS days FROM report_person_months`).get()
    await rebuildRollups(opened.db)
    expect(opened.sqlite.prepare(`SELECT count(*) AS n, sum(days) AS days FROM report_person_months`).get()).toEqual(before)
    expect((await checkRollups(opened.db)).every((check) => check.missing + check.extra === 0)).toBe(true)
  }, 120_000)
})

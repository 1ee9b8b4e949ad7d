import { beforeEach, describe, expect, it } from 'vitest'
import { join, resolve } from 'node:path'
import type { MarkAnswer, SchedulePattern, SessionSheet } from '../../db/groups-types'
import { markAnonymous, markAttendance, markMany, sessionSheet } from '../../db/services/attendance'
import { createClosure, deleteClosure, previewClosure } from '../../db/services/closures'
import type { ServiceContext } from '../../db/services/context'
import { groupDetails, personGroupHistory } from '../../db/services/group-history'
import { archiveGroup, changeSession, createOneOffSession, dueSession, recordSession, saveGroup, sessionsBetween, type GroupInput } from '../../db/services/groups'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { admitFromWaitlist, enroll, unenroll } from '../../db/services/rosters'
import { signIn } from '../../db/services/visits'
import { auditActions, expectAuditChainIntact, openDesk, serviceError, type Desk } from './front-desk-helpers'
import { tableCounts, useTempDirs } from './helpers'

// The renderer's own function that puts a mark's answer into the sheet on screen (the renderer's
// files are outside this project's type check, so it is loaded by path, as messages.test.ts does).
const { sheetWithMark } = (await import(/* @vite-ignore */ join(resolve(import.meta.dirname, '../..'), 'renderer/src/groups/sheet-with-mark.ts'))) as {
  sheetWithMark: (sheet: SessionSheet, answer: MarkAnswer, asked: number) => SessionSheet
}

const tempDir = useTempDirs()
let desk: Desk
let ctx: ServiceContext
const people: number[] = []

// The desk's clock starts at 2026-11-25T15:00Z: Wednesday 25 November, 10:00 am in New York.
const TODAY = '2026-11-25'
const wednesdays = (over: Partial<SchedulePattern> = {}): SchedulePattern => ({ startDate: '2026-11-01', startTime: '10:30', frequency: 'weekly', interval: 1, weekdays: ['WE'], ...over })
const groupInput = (over: Partial<GroupInput> = {}): GroupInput => ({
  name: 'SMART Recovery',
  kind: 'closed',
  capacity: 12,
  durationMinutes: 90,
  facilitatorIds: [desk.adminId],
  room: 'Room B',
  schedule: { pattern: wednesdays() },
  ...over,
})

async function todaysSession(groupId: number) {
  const sessions = await sessionsBetween(ctx, TODAY, TODAY)
  return sessions.find((s) => s.groupId === groupId)!
}

function visitCount(participantId: number): number {
  return desk.opened.sqlite.prepare('SELECT count(*) FROM visits WHERE participant_id = ? AND voided_at IS NULL').pluck().get(participantId) as number
}

beforeEach(async () => {
  desk = await openDesk(tempDir())
  ctx = { ...desk.ctx, timeZone: 'America/New_York' }
  people.length = 0
  for (const [firstName, lastName] of [
    ['Dana', 'Reyes'],
    ['Sam', 'Okafor'],
    ['Lee', 'Park'],
    ['Ana', 'Lima'],
  ]) {
    people.push((await createParticipant(ctx, { firstName, lastName })).id)
  }
})

describe('groups, schedules and sessions', () => {
  it('makes sessions from the schedule for a rolling window, in the center zone, and keeps the rule as text', async () => {
    const group = await saveGroup(ctx, groupInput())
    expect(group.schedule).toBe('DTSTART;TZID=America/New_York:20261101T103000\nRRULE:FREQ=WEEKLY;BYDAY=WE')
    expect(group.pattern).toMatchObject({ weekdays: ['WE'], startTime: '10:30' })
    const sessions = await sessionsBetween(ctx, TODAY, '2026-12-31')
    // Today and four weeks on (the window), and more on demand when a later week is asked for.
    expect(sessions.map((s) => s.date)).toEqual(['2026-11-25', '2026-12-02', '2026-12-09', '2026-12-16', '2026-12-23', '2026-12-30'])
    expect(sessions[0]).toMatchObject({ startTime: '10:30', startsAt: '2026-11-25T15:30:00.000Z', room: 'Room B', status: 'scheduled', groupName: 'SMART Recovery' })
    expect(group.nextSession).toMatchObject({ date: TODAY })
    await expectAuditChainIntact(desk.opened)
  })

  it('a moved session stays moved when the schedule is expanded again, and a changed schedule remakes only untouched sessions', async () => {
    const group = await saveGroup(ctx, groupInput())
    const [, second, third] = await sessionsBetween(ctx, TODAY, '2026-12-10')
    await changeSession(ctx, second!.id, { kind: 'move', date: '2026-12-03', startTime: '14:00', room: 'Kitchen' })
    await recordSession(ctx, { sessionId: third!.id, topic: 'Cost-benefit analysis' })
    // Same schedule at a new time: untouched sessions are remade at 11:00, the moved one and the one with a topic stay.
    await saveGroup(ctx, { ...groupInput({ schedule: { pattern: wednesdays({ startTime: '11:00' }) } }), id: group.id })
    const after = await sessionsBetween(ctx, TODAY, '2026-12-17')
    expect(after.map((s) => [s.date, s.startTime, s.movedFrom])).toEqual([
      [TODAY, '11:00', null],
      ['2026-12-03', '14:00', '2026-12-02'],
      ['2026-12-09', '10:30', null],
      ['2026-12-16', '11:00', null],
    ])
    expect(after[1]!.room).toBe('Kitchen')
  })

  it('refuses a schedule that never meets or meets more than 1,000 times a year, naming the field, and writes nothing', async () => {
    const before = tableCounts(desk.opened)
    const never = await serviceError(saveGroup(ctx, groupInput({ schedule: { text: 'DTSTART;TZID=America/New_York:20270101T100000\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' } })))
    expect(never).toMatchObject({ code: 'VALIDATION', detail: { field: 'schedule' } })
    const tooMany = await serviceError(saveGroup(ctx, groupInput({ schedule: { text: 'DTSTART;TZID=America/New_York:20270101T100000\nRRULE:FREQ=MINUTELY;INTERVAL=5' } })))
    expect(tooMany.message).toMatch(/more than 1000/)
    expect(await serviceError(saveGroup(ctx, groupInput({ facilitatorIds: [999] })))).toMatchObject({ detail: { field: 'facilitatorIds' } })
    expect(tableCounts(desk.opened)).toEqual(before)
  })

  it('archives a group without losing its history, and makes no more sessions for it', async () => {
    const group = await saveGroup(ctx, groupInput({ kind: 'open', capacity: null }))
    const today = await todaysSession(group.id)
    await markAttendance(ctx, { sessionId: today.id, participantId: people[0]!, status: 'present' })
    const archived = await archiveGroup(ctx, group.id)
    expect(archived.archivedAt).not.toBeNull()
    const sessions = await sessionsBetween(ctx, TODAY, '2026-12-31')
    expect(sessions.map((s) => s.id)).toEqual([today.id])
    expect((await groupDetails(ctx, group.id)).rates.sessionsHeld).toBe(1)
    // Its name is free again for a new group.
    await saveGroup(ctx, groupInput())
  })

  it('opens on the facilitator\'s session due within the hour, and not before', async () => {
    const group = await saveGroup(ctx, groupInput())
    desk.clock.set('2026-11-25T14:00:00.000Z') // 9:00, the session is at 10:30
    expect(await dueSession(ctx, desk.adminId)).toBeNull()
    desk.clock.set('2026-11-25T14:45:00.000Z') // 9:45
    expect((await dueSession(ctx, desk.adminId))?.groupId).toBe(group.id)
    desk.clock.set('2026-11-25T17:05:00.000Z') // 12:05, it ended at 12:00
    expect(await dueSession(ctx, desk.adminId)).toBeNull()
  })
})

describe('closures', () => {
  it('previews "3 sessions in 2 groups", cancels them all, and deleting the closure brings them back', async () => {
    const smart = await saveGroup(ctx, groupInput())
    await saveGroup(ctx, groupInput({ name: 'Women\'s group', kind: 'open', capacity: null, schedule: { pattern: wednesdays({ startTime: '18:00', weekdays: ['MO', 'WE'] }) } }))
    await createOneOffSession(ctx, { groupId: smart.id, date: '2026-12-02', startTime: '14:00', topic: 'Extra session' })
    expect(await previewClosure(ctx, '2026-12-02')).toMatchObject({ sessions: 3, groups: 2, groupNames: ['SMART Recovery', 'Women\'s group'], withAttendance: 0 })
    const closure = await createClosure(ctx, { date: '2026-12-02', reason: 'Staff training' })
    expect(closure.cancelledSessions).toBe(3)
    const that = await sessionsBetween(ctx, '2026-12-02', '2026-12-02')
    expect(that.map((s) => [s.status, s.closureId])).toEqual([
      ['cancelled', closure.id],
      ['cancelled', closure.id],
      ['cancelled', closure.id],
    ])
    expect(await serviceError(createOneOffSession(ctx, { groupId: smart.id, date: '2026-12-02', startTime: '16:00' }))).toMatchObject({ detail: { field: 'date' } })
    expect(await deleteClosure(ctx, closure.id)).toEqual({ restoredSessions: 3 })
    expect((await sessionsBetween(ctx, '2026-12-02', '2026-12-02')).every((s) => s.status === 'scheduled')).toBe(true)
    expect(auditActions(desk.opened)).toEqual(expect.arrayContaining(['closure.create', 'closure.delete']))
  })

  it('a closure months ahead cancels sessions not made yet, when they are made', async () => {
    await saveGroup(ctx, groupInput())
    expect((await previewClosure(ctx, '2027-07-07')).sessions).toBe(1)
    await createClosure(ctx, { date: '2027-07-07', reason: 'Heat wave' })
    const july = await sessionsBetween(ctx, '2027-07-01', '2027-07-14')
    expect(july.map((s) => [s.date, s.status])).toEqual([
      ['2027-07-07', 'cancelled'],
      ['2027-07-14', 'scheduled'],
    ])
  })

  it('refuses to close a past day with attendance recorded, naming the date, and writes nothing', async () => {
    const group = await saveGroup(ctx, groupInput({ kind: 'open', capacity: null }))
    await markAttendance(ctx, { sessionId: (await todaysSession(group.id)).id, participantId: people[0]!, status: 'present' })
    desk.clock.advance(24 * 60)
    const before = tableCounts(desk.opened)
    const error = await serviceError(createClosure(ctx, { date: TODAY, reason: 'Snow' }))
    expect(error).toMatchObject({ code: 'VALIDATION', detail: { field: 'date' } })
    expect(tableCounts(desk.opened)).toEqual(before)
  })
})

describe('rosters and the waitlist', () => {
  it('enrolls up to capacity, refuses past it without the waitlist, waitlists in order and offers the next place', async () => {
    const group = await saveGroup(ctx, groupInput({ capacity: 2, seriesLength: 8 }))
    const a = await enroll(ctx, { groupId: group.id, participantId: people[0]! })
    await enroll(ctx, { groupId: group.id, participantId: people[1]! })
    const before = tableCounts(desk.opened)
    expect(await serviceError(enroll(ctx, { groupId: group.id, participantId: people[2]! }))).toMatchObject({ code: 'VALIDATION', detail: { field: 'capacity' } })
    expect(tableCounts(desk.opened)).toEqual(before)
    const waiting = await enroll(ctx, { groupId: group.id, participantId: people[2]!, waitlist: true })
    await enroll(ctx, { groupId: group.id, participantId: people[3]!, waitlist: true })
    expect(waiting.status).toBe('waitlisted')
    const { nextOnWaitlist } = await unenroll(ctx, { enrollmentId: a.id, reason: 'Moved away' })
    expect(nextOnWaitlist?.participantId).toBe(people[2])
    expect((await admitFromWaitlist(ctx, nextOnWaitlist!.id)).status).toBe('enrolled')
    const roster = (await groupDetails(ctx, group.id)).roster
    expect(roster.map((e) => [e.name, e.status])).toEqual([
      ['Lee Park', 'enrolled'],
      ['Sam Okafor', 'enrolled'],
      ['Ana Lima', 'waitlisted'],
      ['Dana Reyes', 'ended'],
    ])
    expect(roster[3]).toMatchObject({ endReason: 'Moved away', endedOn: TODAY })
  })

  it('refuses an enrollment that overlaps another for the same person and group, and one for an open group', async () => {
    const group = await saveGroup(ctx, groupInput())
    const first = await enroll(ctx, { groupId: group.id, participantId: people[0]!, date: '2026-11-01' })
    expect(await serviceError(enroll(ctx, { groupId: group.id, participantId: people[0]! }))).toMatchObject({ detail: { field: 'participantId' } })
    await unenroll(ctx, { enrollmentId: first.id, date: '2026-11-20', reason: 'Finished' })
    // Back-dated into the ended enrollment's span: still an overlap.
    expect(await serviceError(enroll(ctx, { groupId: group.id, participantId: people[0]!, date: '2026-11-10' }))).toMatchObject({ detail: { field: 'participantId' } })
    await enroll(ctx, { groupId: group.id, participantId: people[0]! })
    const open = await saveGroup(ctx, groupInput({ name: 'All Recovery', kind: 'open', capacity: null }))
    expect(await serviceError(enroll(ctx, { groupId: open.id, participantId: people[0]! }))).toMatchObject({ detail: { field: 'groupId' } })
  })
})

describe('attendance', () => {
  it('attaches to the visit of a person who signed in at the desk, and makes one with the group service for a walk-in', async () => {
    const group = await saveGroup(ctx, groupInput({ kind: 'open', capacity: null }))
    const session = await todaysSession(group.id)
    await signIn(ctx, { participantId: people[0]!, services: [{ serviceId: desk.services.meal!.id, quantity: 1 }] })
    expect(visitCount(people[0]!)).toBe(1)
    let sheet = await sessionSheet(ctx, session.id)
    expect(sheet.hereToday.map((p) => p.name)).toEqual(['Dana Reyes'])
    await markAttendance(ctx, { sessionId: session.id, participantId: people[0]!, status: 'present' })
    sheet = await sessionSheet(ctx, session.id)
    expect(visitCount(people[0]!)).toBe(1)
    expect(sheet.hereToday).toEqual([])
    expect(sheet.people[0]).toMatchObject({ name: 'Dana Reyes', status: 'present', hereToday: true })
    // A walk-in who did not sign in at the desk: attendance makes their visit, with the group service.
    await markAttendance(ctx, { sessionId: session.id, participantId: people[1]!, status: 'late' })
    expect(visitCount(people[1]!)).toBe(1)
    const services = desk.opened.sqlite
      .prepare('SELECT s.key FROM visits v JOIN visit_services vs ON vs.visit_id = v.id JOIN services s ON s.id = vs.service_id WHERE v.participant_id = ?')
      .pluck()
      .all(people[1]!)
    expect(services).toEqual(['group'])
    expect((await sessionsBetween(ctx, TODAY, TODAY))[0]!.status).toBe('held')
  })

  it('counts a person once a day however many groups they attend, and an absence takes back the visit it made', async () => {
    const morning = await saveGroup(ctx, groupInput({ kind: 'open', capacity: null }))
    const evening = await saveGroup(ctx, groupInput({ name: 'Evening', kind: 'open', capacity: null, schedule: { pattern: wednesdays({ startTime: '18:00' }) } }))
    const one = await todaysSession(morning.id)
    const two = await todaysSession(evening.id)
    await markAttendance(ctx, { sessionId: one.id, participantId: people[2]!, status: 'present' })
    await markAttendance(ctx, { sessionId: two.id, participantId: people[2]!, status: 'present' })
    expect(visitCount(people[2]!)).toBe(1)
    // The morning mark was a mistake: the evening group still carries the visit.
    await markAttendance(ctx, { sessionId: one.id, participantId: people[2]!, status: 'absent' })
    expect(visitCount(people[2]!)).toBe(1)
    await markAttendance(ctx, { sessionId: two.id, participantId: people[2]!, status: null })
    expect(visitCount(people[2]!)).toBe(0)
    const voided = desk.opened.sqlite.prepare('SELECT void_reason FROM visits WHERE participant_id = ?').pluck().get(people[2]!)
    expect(voided).toMatch(/Group attendance changed/)
    // A desk sign-in is never voided by attendance.
    await signIn(ctx, { participantId: people[3]!, services: [] })
    await markAttendance(ctx, { sessionId: one.id, participantId: people[3]!, status: 'present' })
    await markAttendance(ctx, { sessionId: one.id, participantId: people[3]!, status: 'excused' })
    expect(visitCount(people[3]!)).toBe(1)
  })

  it('refuses attendance for a cancelled or a future session, naming the field, and writes nothing', async () => {
    const group = await saveGroup(ctx, groupInput({ kind: 'open', capacity: null }))
    const [today, next] = await sessionsBetween(ctx, TODAY, '2026-12-02')
    await changeSession(ctx, today!.id, { kind: 'cancel', reason: 'Facilitator ill' })
    const before = tableCounts(desk.opened)
    for (const sessionId of [today!.id, next!.id]) {
      const error = await serviceError(markAttendance(ctx, { sessionId, participantId: people[0]!, status: 'present' }))
      expect(error).toMatchObject({ code: 'VALIDATION', detail: { field: 'sessionId' } })
    }
    expect(await serviceError(markMany(ctx, { sessionId: next!.id, marks: [{ participantId: people[0]!, status: 'present' }] }))).toMatchObject({ detail: { field: 'sessionId' } })
    expect(tableCounts(desk.opened)).toEqual(before)
    expect(group.id).toBeGreaterThan(0)
  })

  it('"everyone present" asks before replacing different marks, and a paper sheet is entered into a past session', async () => {
    const group = await saveGroup(ctx, groupInput())
    for (const id of people.slice(0, 3)) await enroll(ctx, { groupId: group.id, participantId: id, date: '2026-11-01' })
    const session = await todaysSession(group.id)
    await markAttendance(ctx, { sessionId: session.id, participantId: people[0]!, status: 'excused' })
    const everyone = people.slice(0, 3).map((participantId) => ({ participantId, status: 'present' as const }))
    const conflict = await serviceError(markMany(ctx, { sessionId: session.id, marks: everyone }))
    expect(conflict).toMatchObject({ code: 'CONFLICT', detail: { field: 'overwrite', count: 1 } })
    const sheet = await markMany(ctx, { sessionId: session.id, marks: everyone, overwrite: true })
    expect(sheet.people.map((p) => p.status)).toEqual(['present', 'present', 'present'])
    // A week later, last week's paper sheet.
    desk.clock.advance(7 * 24 * 60)
    const paper = await markMany(ctx, { sessionId: session.id, marks: [{ participantId: people[1]!, status: 'absent' }], overwrite: true })
    expect(paper.people.find((p) => p.participantId === people[1])?.status).toBe('absent')
    const visits = desk.opened.sqlite.prepare('SELECT visit_date, signed_in_at, signed_out_at FROM visits WHERE participant_id = ? AND voided_at IS NULL').all(people[0]!)
    expect(visits).toEqual([{ visit_date: TODAY, signed_in_at: '2026-11-25T15:00:00.000Z', signed_out_at: null }])
  })

  it('counts anonymous people by code once a day, and a headcount, in an open meeting', async () => {
    const group = await saveGroup(ctx, groupInput({ kind: 'open', capacity: null }))
    const session = await todaysSession(group.id)
    await markAnonymous(ctx, { sessionId: session.id, code: 'blue 7', status: 'present' })
    const sheet = await markAnonymous(ctx, { sessionId: session.id, code: 'BLUE7', status: 'present' })
    expect(sheet.anonymous).toEqual([{ code: 'BLUE7', status: 'present' }])
    const recorded = await recordSession(ctx, { sessionId: session.id, anonymousCount: 4, note: 'Good turnout' })
    expect(recorded.headcount).toBe(5)
    expect(await serviceError(recordSession(ctx, { sessionId: session.id, didNotMeet: true }))).toMatchObject({ detail: { field: 'didNotMeet' } })
  })

  it('a follow-up flag shows on the person\'s group history, with their rate, streak and last time', async () => {
    const group = await saveGroup(ctx, groupInput())
    await enroll(ctx, { groupId: group.id, participantId: people[0]!, date: '2026-11-01' })
    const first = await todaysSession(group.id)
    await markAttendance(ctx, { sessionId: first.id, participantId: people[0]!, status: 'present', followUp: 'Asked about housing help' })
    desk.clock.advance(7 * 24 * 60)
    const [second] = await sessionsBetween(ctx, '2026-12-02', '2026-12-02')
    await markAttendance(ctx, { sessionId: second!.id, participantId: people[0]!, status: 'present' })
    const history = await personGroupHistory(ctx, people[0]!)
    expect(history.groups).toEqual([{ groupId: group.id, groupName: 'SMART Recovery', attended: 2, expected: 2, rate: 1, lastAttended: '2026-12-02', streak: 2, enrolled: true }])
    expect(history.followUps).toEqual([{ sessionId: first.id, groupName: 'SMART Recovery', date: TODAY, note: 'Asked about housing help' }])
  })

  it('follows a merged person, and an undone merge puts their attendance back', async () => {
    const group = await saveGroup(ctx, groupInput({ kind: 'open', capacity: null }))
    const session = await todaysSession(group.id)
    await markAttendance(ctx, { sessionId: session.id, participantId: people[1]!, status: 'present' })
    const merge = await mergeParticipants(ctx, people[0]!, people[1]!)
    expect((await sessionSheet(ctx, session.id)).people.map((p) => p.participantId)).toEqual([people[0]])
    await undoMerge(ctx, merge.id)
    expect((await sessionSheet(ctx, session.id)).people.map((p) => p.participantId)).toEqual([people[1]])
  })

  it("a visit a mark makes moves the person's last visit forward only: a past session's mark leaves a later one", async () => {
    const group = await saveGroup(ctx, groupInput({ kind: 'open', capacity: null }))
    const past = await createOneOffSession(ctx, { groupId: group.id, date: '2026-11-18', startTime: '09:00' })
    const lastVisit = (id: number) => desk.opened.sqlite.prepare('SELECT last_visit_at FROM participants WHERE id = ?').pluck().get(id)
    await signIn(ctx, { participantId: people[0]!, services: [] })
    const today = lastVisit(people[0]!)
    expect(today).toBe(ctx.now().toISOString())
    await markAttendance(ctx, { sessionId: past.id, participantId: people[0]!, status: 'present' })
    expect(lastVisit(people[0]!)).toBe(today)
    // Nobody's visit yet: last seen at that session's start; then at today's group, later.
    await markAttendance(ctx, { sessionId: past.id, participantId: people[1]!, status: 'present' })
    expect(lastVisit(people[1]!)).toBe(past.startsAt)
    await markAttendance(ctx, { sessionId: (await todaysSession(group.id)).id, participantId: people[1]!, status: 'present' })
    expect(lastVisit(people[1]!)).toBe(ctx.now().toISOString())
  })

  it('a mark answers with what it changed, and the sheet on screen with that answer put in is the sheet read again', async () => {
    const group = await saveGroup(ctx, groupInput())
    const other = await saveGroup(ctx, groupInput({ name: 'Evening', kind: 'open', capacity: null, schedule: { pattern: wednesdays({ startTime: '18:00' }) } }))
    const session = await todaysSession(group.id)
    const evening = await todaysSession(other.id)
    await enroll(ctx, { groupId: group.id, participantId: people[0]! })
    await enroll(ctx, { groupId: group.id, participantId: people[1]! })
    const extra = [(await createParticipant(ctx, { firstName: 'Bea', lastName: 'Ortiz' })).id, (await createParticipant(ctx, { firstName: 'Cal', lastName: 'Ruiz' })).id]
    // At the desk: Lee and Ana, and Bea (merged into Cal below). The evening group made Dana's visit.
    for (const id of [people[2]!, people[3]!, extra[0]!]) await signIn(ctx, { participantId: id, services: [] })
    await markAttendance(ctx, { sessionId: evening.id, participantId: people[0]!, status: 'present' })
    await mergeParticipants(ctx, extra[1]!, extra[0]!)
    let shown = await sessionSheet(ctx, session.id, { audit: false })
    expect(shown.hereToday.map((p) => p.name)).toEqual(['Ana Lima', 'Cal Ruiz', 'Lee Park'])
    const steps: Array<{ participantId: number; status: 'present' | 'absent' | 'late' | 'excused' | null; followUp?: string }> = [
      { participantId: people[0]!, status: 'present' },
      { participantId: people[1]!, status: 'absent' },
      { participantId: people[2]!, status: 'late' },
      { participantId: extra[0]!, status: 'present' },
      { participantId: people[1]!, status: 'present', followUp: '  asked about housing ' },
      { participantId: people[2]!, status: null },
      { participantId: people[0]!, status: null },
      { participantId: extra[1]!, status: null },
      { participantId: people[3]!, status: 'excused' },
      { participantId: people[1]!, status: 'present' },
    ]
    for (const step of steps) {
      const answer = await markAttendance(ctx, { sessionId: session.id, ...step })
      const read = await sessionSheet(ctx, session.id, { audit: false })
      shown = sheetWithMark(shown, answer, step.participantId)
      expect(shown).toEqual(read)
    }
    expect(shown.session).toMatchObject({ status: 'held', headcount: 1 })
    expect(shown.people.map((p) => [p.name, p.status, p.enrolled, p.hereToday, p.followUp])).toEqual([
      ['Ana Lima', 'excused', false, true, null],
      ['Dana Reyes', null, true, false, null],
      ['Sam Okafor', 'present', true, false, 'asked about housing'],
    ])
    expect(shown.hereToday.map((p) => p.name)).toEqual(['Cal Ruiz', 'Lee Park'])
  })
})

describe('history and rates', () => {
  it('counts unmarked enrolled people as absent, so a rate is not 100 % because absences were not saved', async () => {
    const group = await saveGroup(ctx, groupInput({ seriesLength: 8 }))
    for (const id of people.slice(0, 3)) await enroll(ctx, { groupId: group.id, participantId: id, date: '2026-11-01' })
    const session = await todaysSession(group.id)
    await markAttendance(ctx, { sessionId: session.id, participantId: people[0]!, status: 'present' })
    await markAttendance(ctx, { sessionId: session.id, participantId: people[1]!, status: 'late' })
    // people[2] was never marked; people[3] walked in without being enrolled.
    await markAttendance(ctx, { sessionId: session.id, participantId: people[3]!, status: 'present' })
    desk.clock.advance(7 * 24 * 60)
    const [next] = await sessionsBetween(ctx, '2026-12-02', '2026-12-02')
    await recordSession(ctx, { sessionId: next!.id, didNotMeet: true })
    const details = await groupDetails(ctx, group.id)
    expect(details.rates).toEqual({ sessionsHeld: 1, sessionsDidNotMeet: 1, sessionsCancelled: 0, averageHeadcount: 3, enrolledRate: 2 / 3, newAttendees: 3 })
    expect(details.history.map((h) => [h.date, h.status, h.headcount, h.enrolledExpected, h.enrolledAttended])).toEqual([
      ['2026-12-02', 'did_not_meet', 0, 0, 0],
      [TODAY, 'held', 3, 3, 2],
    ])
    // A make-up for the session that did not meet counts toward the series in its place.
    const makeup = await createOneOffSession(ctx, { groupId: group.id, date: '2026-12-03', startTime: '10:30', makeupFor: next!.id })
    desk.clock.advance(24 * 60)
    await markAttendance(ctx, { sessionId: makeup.id, participantId: people[0]!, status: 'present' })
    expect((await sessionSheet(ctx, makeup.id)).seriesNumber).toBe(2)
    expect((await personGroupHistory(ctx, people[2]!)).groups[0]).toMatchObject({ attended: 0, expected: 2, rate: 0, streak: 0 })
  })
})

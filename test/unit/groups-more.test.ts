import { beforeEach, describe, expect, it } from 'vitest'
import type { SchedulePattern } from '../../db/groups-types'
import { markAttendance, markMany } from '../../db/services/attendance'
import { attendanceLetter } from '../../db/services/attendance-letter'
import { listActiveServices, listAllServices, retireService } from '../../db/services/catalog'
import type { ServiceContext } from '../../db/services/context'
import { groupSettings, saveGroupSettings } from '../../db/services/group-settings'
import { changeSession, createOneOffSession, recordSession, saveGroup, sessionQuery, sessionsBetween, type GroupInput } from '../../db/services/groups'
import { createParticipant } from '../../db/services/participants'
import { signIn } from '../../db/services/visits'
import { auditActions, openDesk, serviceError, type Desk } from './front-desk-helpers'
import { tableCounts, useTempDirs } from './helpers'

/**
 * What issue 10 asked for beyond the first pass: the center's setting for the service a group
 * visit carries (and keeping it off the desk's toggles), make-up sessions that make up for one
 * session once, and the attendance letter, audited with its reason.
 */
const tempDir = useTempDirs()
let desk: Desk
let ctx: ServiceContext
let dana: number
let sam: number

// The desk's clock starts at 2026-11-25T15:00Z: Wednesday 25 November, 10:00 am in New York.
const TODAY = '2026-11-25'
const wednesdays: SchedulePattern = { startDate: '2026-11-01', startTime: '10:30', frequency: 'weekly', interval: 1, weekdays: ['WE'] }
const groupInput = (over: Partial<GroupInput> = {}): GroupInput => ({
  name: 'SMART Recovery',
  kind: 'open',
  durationMinutes: 90,
  facilitatorIds: [desk.adminId],
  room: 'Room B',
  schedule: { pattern: wednesdays },
  ...over,
})

function servicesOfVisit(participantId: number): string[] {
  return desk.opened.sqlite
    .prepare('SELECT s.key FROM visits v JOIN visit_services vs ON vs.visit_id = v.id JOIN services s ON s.id = vs.service_id WHERE v.participant_id = ? AND v.voided_at IS NULL ORDER BY s.key')
    .pluck()
    .all(participantId) as string[]
}

beforeEach(async () => {
  desk = await openDesk(tempDir())
  ctx = { ...desk.ctx, timeZone: 'America/New_York' }
  dana = (await createParticipant(ctx, { firstName: 'Dana', lastName: 'reyes' })).id
  sam = (await createParticipant(ctx, { firstName: 'Sam', lastName: 'Okafor' })).id
})

describe('the service a group visit carries', () => {
  it('is "group" and off the desk by default; the center may choose another and show it at the desk', async () => {
    expect(await groupSettings(ctx.db)).toEqual({ visitServiceKey: 'group', atDesk: false })
    const services = await listActiveServices(ctx)
    expect(services.filter((s) => s.atDesk === false).map((s) => s.key)).toEqual(['group'])
    // The catalog screen says the same, rather than listing "Group" as offered at the desk.
    expect((await listAllServices(ctx)).filter((s) => s.atDesk === false).map((s) => s.key)).toEqual(['group'])

    const group = await saveGroup(ctx, groupInput())
    const [session] = await sessionsBetween(ctx, TODAY, TODAY)
    await markAttendance(ctx, { sessionId: session!.id, participantId: dana, status: 'present' })
    expect(servicesOfVisit(dana)).toEqual(['group'])

    const other = services.find((s) => s.key !== 'group')!
    expect(await saveGroupSettings(ctx, { visitServiceKey: other.key, atDesk: true })).toEqual({ visitServiceKey: other.key, atDesk: true })
    expect((await listActiveServices(ctx)).every((s) => s.atDesk)).toBe(true)
    expect((await listAllServices(ctx)).every((s) => s.atDesk)).toBe(true)
    await markAttendance(ctx, { sessionId: session!.id, participantId: sam, status: 'present' })
    expect(servicesOfVisit(sam)).toEqual([other.key])
    expect(auditActions(desk.opened)).toContain('settings.groups')
    expect(group.id).toBeGreaterThan(0)
  })

  it('refuses a service not in the catalog or retired, naming the field, and changes nothing', async () => {
    const services = await listActiveServices(ctx)
    const retired = services.find((s) => s.key !== 'group')!
    await retireService(ctx, retired.id, true)
    const before = tableCounts(desk.opened)
    expect(await serviceError(saveGroupSettings(ctx, { visitServiceKey: 'no_such_service', atDesk: false }))).toMatchObject({ code: 'VALIDATION', detail: { field: 'visitServiceKey' } })
    expect(await serviceError(saveGroupSettings(ctx, { visitServiceKey: retired.key, atDesk: false }))).toMatchObject({ code: 'VALIDATION', detail: { field: 'visitServiceKey' } })
    expect(tableCounts(desk.opened)).toEqual(before)
    expect(await groupSettings(ctx.db)).toEqual({ visitServiceKey: 'group', atDesk: false })
  })
})

describe('make-up sessions', () => {
  it('make up for a cancelled or did-not-meet session of the same group, once; not for one that was held', async () => {
    const group = await saveGroup(ctx, groupInput({ kind: 'closed', capacity: 10, seriesLength: 8 }))
    const other = await saveGroup(ctx, groupInput({ name: 'Other group' }))
    const [today, next] = (await sessionsBetween(ctx, TODAY, '2026-12-02')).filter((s) => s.groupId === group.id)
    const [otherToday] = (await sessionsBetween(ctx, TODAY, TODAY)).filter((s) => s.groupId === other.id)
    await markAttendance(ctx, { sessionId: today!.id, participantId: dana, status: 'present' })
    await changeSession(ctx, next!.id, { kind: 'cancel', reason: 'Facilitator ill' })
    const before = tableCounts(desk.opened)
    const held = await serviceError(createOneOffSession(ctx, { groupId: group.id, date: '2026-12-04', startTime: '10:30', makeupFor: today!.id }))
    expect(held).toMatchObject({ code: 'VALIDATION', detail: { field: 'makeupFor' } })
    const wrongGroup = await serviceError(createOneOffSession(ctx, { groupId: group.id, date: '2026-12-04', startTime: '10:30', makeupFor: otherToday!.id }))
    expect(wrongGroup).toMatchObject({ code: 'VALIDATION', detail: { field: 'makeupFor' } })
    const tooFar = await serviceError(createOneOffSession(ctx, { groupId: group.id, date: '2029-01-01', startTime: '10:30' }))
    expect(tooFar).toMatchObject({ code: 'VALIDATION', detail: { field: 'date' } })
    expect(tableCounts(desk.opened)).toEqual(before)

    const makeup = await createOneOffSession(ctx, { groupId: group.id, date: '2026-12-04', startTime: '10:30', makeupFor: next!.id })
    expect(makeup).toMatchObject({ makeupFor: next!.id, date: '2026-12-04', status: 'scheduled' })
    const twice = await serviceError(createOneOffSession(ctx, { groupId: group.id, date: '2026-12-05', startTime: '10:30', makeupFor: next!.id }))
    expect(twice).toMatchObject({ code: 'VALIDATION', detail: { field: 'makeupFor' } })
    expect(twice.message).toContain('2026-12-04')
  })

  it('a moved session keeps where it came from, and a cancelled one is restored', async () => {
    await saveGroup(ctx, groupInput())
    const [, next] = await sessionsBetween(ctx, TODAY, '2026-12-02')
    const moved = await changeSession(ctx, next!.id, { kind: 'move', date: '2026-12-03', startTime: '14:00', room: 'Kitchen' })
    expect(moved).toMatchObject({ date: '2026-12-03', startTime: '14:00', room: 'Kitchen', movedFrom: '2026-12-02' })
    const cancelled = await changeSession(ctx, next!.id, { kind: 'cancel', reason: 'Snow' })
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Snow' })
    expect(await changeSession(ctx, next!.id, { kind: 'restore' })).toMatchObject({ status: 'scheduled', cancelReason: null })
    expect(await serviceError(changeSession(ctx, next!.id, { kind: 'move', date: '2026-11-01' }))).toMatchObject({ detail: { field: 'date' } })
  })
})

describe('the attendance letter', () => {
  async function history() {
    const group = await saveGroup(ctx, groupInput())
    const [today, next, after] = await sessionsBetween(ctx, TODAY, '2026-12-09')
    await markAttendance(ctx, { sessionId: today!.id, participantId: dana, status: 'late' })
    await markAttendance(ctx, { sessionId: today!.id, participantId: sam, status: 'present' })
    desk.clock.advance(7 * 24 * 60)
    await markMany(ctx, { sessionId: next!.id, marks: [{ participantId: dana, status: 'absent' }, { participantId: sam, status: 'present' }] })
    desk.clock.advance(7 * 24 * 60)
    await recordSession(ctx, { sessionId: after!.id, didNotMeet: true })
    return group
  }

  it('lists the sessions the person attended in the period, by first name and last initial, with the center, and is audited with its reason', async () => {
    await history()
    const signedIn = await signIn(ctx, { participantId: dana, services: [] })
    const letter = await attendanceLetter(ctx, { participantId: dana, from: '2026-11-01', to: '2026-12-09', reason: 'Asked for it for the drug court' })
    expect(letter).toEqual({
      centerName: 'Harbor House',
      name: 'Dana R.',
      from: '2026-11-01',
      to: '2026-12-09',
      issuedOn: '2026-12-09',
      sessions: [{ date: TODAY, startTime: '10:30', groupName: 'SMART Recovery' }],
    })
    const samLetter = await attendanceLetter(ctx, { participantId: sam, from: '2026-11-26', to: '2026-12-09', reason: 'For an employer' })
    expect(samLetter.sessions.map((s) => s.date)).toEqual(['2026-12-02'])
    const audit = desk.opened.sqlite.prepare("SELECT target_id, detail FROM audit_log WHERE action = 'participant.attendance_letter' ORDER BY id").all() as Array<{ target_id: number; detail: string }>
    expect(audit.map((row) => [row.target_id, JSON.parse(row.detail)])).toEqual([
      [dana, { from: '2026-11-01', to: '2026-12-09', reason: 'Asked for it for the drug court', sessions: 1 }],
      [sam, { from: '2026-11-26', to: '2026-12-09', reason: 'For an employer', sessions: 1 }],
    ])
    expect(signedIn.id).toBeGreaterThan(0)
  })

  it('refuses a period that ends before it begins or after today, more than five years, or no reason, naming the field, and writes nothing', async () => {
    await history()
    const before = tableCounts(desk.opened)
    const cases: Array<[Parameters<typeof attendanceLetter>[1], string]> = [
      [{ participantId: dana, from: '2026-12-01', to: '2026-11-01', reason: 'For the court' }, 'to'],
      [{ participantId: dana, from: '2026-11-01', to: '2026-12-10', reason: 'For the court' }, 'to'],
      [{ participantId: dana, from: '2020-01-01', to: '2026-12-09', reason: 'For the court' }, 'from'],
      [{ participantId: dana, from: '2026-11-01', to: '2026-12-09', reason: '  ' }, 'reason'],
    ]
    for (const [input, field] of cases) expect(await serviceError(attendanceLetter(ctx, input))).toMatchObject({ code: 'VALIDATION', detail: { field } })
    expect(await serviceError(attendanceLetter(ctx, { participantId: 9999, from: '2026-11-01', to: '2026-12-09', reason: 'For the court' }))).toMatchObject({ code: 'NOT_FOUND' })
    expect(tableCounts(desk.opened)).toEqual(before)
  })
})

describe('speed where it matters', () => {
  it('counts a session\'s attendance inside an index (0016\'s attendance_counted covers it), never by reading every mark', () => {
    const { sql, parameters } = sessionQuery(ctx.db, ctx).where('s.id', '=', 1).compile()
    const plan = (desk.opened.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(parameters as unknown[])) as Array<{ detail: string }>).map((row) => row.detail)
    expect(plan.filter((detail) => /attendance/.test(detail) || / a\b/.test(detail))).toEqual([
      expect.stringMatching(/SEARCH a USING COVERING INDEX attendance_counted \(session_id=\? AND status=\?/),
      expect.stringMatching(/SEARCH a USING COVERING INDEX attendance_counted \(session_id=\? AND status=\?/),
    ])
    expect(plan.some((detail) => /^SCAN (a|attendance)\b/.test(detail))).toBe(false)
  })
})

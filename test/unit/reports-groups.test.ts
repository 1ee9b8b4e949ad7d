import { beforeAll, describe, expect, it } from 'vitest'
import { markAnonymous, markAttendance } from '../../db/services/attendance'
import { changeSession, createOneOffSession, saveGroup } from '../../db/services/groups'
import { mergeParticipants } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { reportLines } from '../../db/services/reports/export'
import { dashboard } from '../../db/services/reports/dashboard'
import { funderReport } from '../../db/services/reports/report'
import { enroll } from '../../db/services/rosters'
import type { DashboardData } from '../../db/report-types'
import { setUpCenter, type CenterDesk } from './front-desk-helpers'
import { describeEachBackend, useRecords } from './pg-helpers'

/**
 * Two groups in October 2026, worked out by hand:
 *   Steps (closed; Ana and Ben enrolled Oct 1): held Oct 5 (Ana present, Ben absent) and Oct 12
 *     (Ana late, Ben present); Oct 19 cancelled.
 *   Open Circle (open): held Oct 5 (Ana present, code BLUE present) and Oct 12 (Anna present:
 *     a duplicate record of Ana, merged into her afterwards).
 * Steps: 2 held, 3 person-days (Ana 5, Ana 12, Ben 12), 2 people, rate 3 of 4 expected days.
 * Open Circle: 2 held, 3 person-days (Ana 5, BLUE 5, Ana 12 as Anna), 2 people, no rate (no one enrolled).
 * All groups: 4 held; Ana's two groups on Oct 5 and on Oct 12 count once each day: 4 person-days
 * (Ana 5, BLUE 5, Ana 12, Ben 12), 3 people.
 */
describeEachBackend('groups in the reports', (backend) => {
  // One center for the whole block: the tests read what beforeAll built.
  const records = useRecords(backend, 'block')
  let desk: CenterDesk
  let data: DashboardData

  beforeAll(async () => {
    desk = await setUpCenter(records().db)
    const ctx = desk.ctx
    const at = (iso: string) => desk.clock.set(iso)
    at('2026-10-01T12:00:00.000Z')
    const [ana, ben, anna] = [
      (await createParticipant(ctx, { firstName: 'Ana' })).id,
      (await createParticipant(ctx, { firstName: 'Ben' })).id,
      (await createParticipant(ctx, { firstName: 'Anna' })).id,
    ]
    const group = (name: string, kind: 'open' | 'closed') => saveGroup(ctx, { name, kind, capacity: null, durationMinutes: 60, facilitatorIds: [desk.adminId], room: null, schedule: null })
    const steps = await group('Steps', 'closed')
    const circle = await group('Open Circle', 'open')
    await enroll(ctx, { groupId: steps.id, participantId: ana! })
    await enroll(ctx, { groupId: steps.id, participantId: ben! })
    const session = (groupId: number, date: string) => createOneOffSession(ctx, { groupId, date, startTime: '10:00' })
    const [steps5, steps12, steps19, circle5, circle12] = [
      await session(steps.id, '2026-10-05'),
      await session(steps.id, '2026-10-12'),
      await session(steps.id, '2026-10-19'),
      await session(circle.id, '2026-10-05'),
      await session(circle.id, '2026-10-12'),
    ]
    at('2026-10-05T12:00:00.000Z')
    await markAttendance(ctx, { sessionId: steps5.id, participantId: ana!, status: 'present' })
    await markAttendance(ctx, { sessionId: steps5.id, participantId: ben!, status: 'absent' })
    await markAttendance(ctx, { sessionId: circle5.id, participantId: ana!, status: 'present' })
    await markAnonymous(ctx, { sessionId: circle5.id, code: 'blue', status: 'present' })
    at('2026-10-12T12:00:00.000Z')
    await markAttendance(ctx, { sessionId: steps12.id, participantId: ana!, status: 'late' })
    await markAttendance(ctx, { sessionId: steps12.id, participantId: ben!, status: 'present' })
    await markAttendance(ctx, { sessionId: circle12.id, participantId: anna!, status: 'present' })
    at('2026-10-15T12:00:00.000Z')
    await changeSession(ctx, steps19.id, { kind: 'cancel', reason: 'Facilitator away' })
    await mergeParticipants(ctx, ana!, anna!)
    at('2026-11-20T12:00:00.000Z')
    data = await dashboard(ctx, { from: '2026-10-01', to: '2026-10-31' })
  })

  describe('groups in the dashboard and the funder report', () => {
    it('counts sessions held, person-days once a day under the merged-into record, and the enrolled rate', () => {
      expect(data.groups.current).toEqual({
        groups: [
          { groupId: expect.any(Number), name: 'Open Circle', sessionsHeld: 2, attendance: 3, people: 2, attendanceRate: null },
          { groupId: expect.any(Number), name: 'Steps', sessionsHeld: 2, attendance: 3, people: 2, attendanceRate: 0.75 },
        ],
        sessionsHeld: 4,
        attendance: 4,
        people: 3,
      })
      expect(data.groups.previous).toEqual({ groups: [], sessionsHeld: 0, attendance: 0, people: 0 })
      // Attendance made visits: Ana, Ben and BLUE counted as people by rule 4 too.
      expect(data.summary.current.people).toMatchObject({ registered: 2, anonymousPeople: 1 })
    })

    it('the funder report and its CSV lines carry the same group figures', async () => {
      const report = await funderReport(desk.ctx, { from: '2026-10-01', to: '2026-10-31' })
      expect(report.groups).toEqual(data.groups.current)
      const lines = reportLines(report).filter((line) => line.table === 'groups')
      expect(lines.map((line) => [line.row, line.measure, line.value])).toEqual([
        ['all', 'sessions_held', 4],
        ['all', 'attendance', 4],
        ['all', 'people', 3],
        ['Open Circle', 'sessions_held', 2],
        ['Open Circle', 'attendance', 3],
        ['Open Circle', 'people', 2],
        ['Open Circle', 'attendance_rate', null],
        ['Steps', 'sessions_held', 2],
        ['Steps', 'attendance', 3],
        ['Steps', 'people', 2],
        ['Steps', 'attendance_rate', 0.75],
      ])
    })
  })
})

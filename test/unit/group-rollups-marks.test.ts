import fc from 'fast-check'
import { beforeAll, expect, it } from 'vitest'
import type { AttendanceStatus } from '../../db/groups-types'
import { markAnonymous, markAttendance } from '../../db/services/attendance'
import type { ServiceContext } from '../../db/services/context'
import { createOneOffSession, saveGroup } from '../../db/services/groups'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { checkRollups, ROLLUP_TABLES } from '../../db/services/reports/rollups'
import { setUpCenter, type Desk } from './front-desk-helpers'
import { describeEachBackend, useRecords } from './pg-helpers'

/**
 * The group roll-ups (report_group_people, report_group_days) are kept by triggers that, since
 * migration 0036, add a counted mark's day in place and recount only when a day may stop
 * counting. Random sequences of marks (people and codes; present, late, absent, excused and
 * cleared; sessions in three months, two of a group on one day, two groups on one day, marked in
 * any order) and the odd merge and its undoing must leave the roll-ups equal to `admin verify`'s
 * recount from the rows.
 */

const STATUSES: ReadonlyArray<AttendanceStatus | null> = ['present', 'late', 'absent', 'excused', null]
const CODES = ['red', 'blue']
// Two of the first group on 2026-10-06, both groups on 2026-10-20; a session a month before and after.
const SESSIONS: ReadonlyArray<readonly [group: 0 | 1, date: string, time: string]> = [
  [0, '2026-09-29', '09:00'],
  [0, '2026-10-06', '09:00'],
  [0, '2026-10-06', '18:00'],
  [1, '2026-10-06', '12:00'],
  [0, '2026-10-20', '09:00'],
  [1, '2026-10-20', '12:00'],
  [1, '2026-11-03', '12:00'],
  [0, '2026-11-17', '09:00'],
]

type Step =
  | { kind: 'person'; session: number; who: number; status: AttendanceStatus | null }
  | { kind: 'code'; session: number; who: number; status: AttendanceStatus | null }
  | { kind: 'merge'; who: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('person' as const), session: fc.nat(SESSIONS.length - 1), who: fc.nat(2), status: fc.constantFrom(...STATUSES) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('code' as const), session: fc.nat(SESSIONS.length - 1), who: fc.nat(CODES.length - 1), status: fc.constantFrom(...STATUSES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge' as const), who: fc.nat(1) }) },
)

describeEachBackend('group roll-ups under random marks', (backend) => {
  // One center for every run: each run's marks land on the last run's, as a real sheet's do.
  const records = useRecords(backend, 'block')
  let desk: Omit<Desk, 'opened'>
  let ctx: ServiceContext
  let people: number[]
  let sessions: number[]

  beforeAll(async () => {
    desk = await setUpCenter(records().db)
    ctx = desk.ctx
    desk.clock.set('2026-09-01T09:00:00.000Z')
    people = []
    for (const name of ['Ada', 'Bo', 'Cy']) people.push((await createParticipant(ctx, { firstName: name })).id)
    const groups = []
    for (const name of ['Morning Circle', 'Evening Circle']) {
      groups.push(await saveGroup(ctx, { name, kind: 'open', capacity: null, durationMinutes: 60, facilitatorIds: [desk.adminId], room: null, schedule: null }))
    }
    sessions = []
    for (const [group, date, startTime] of SESSIONS) sessions.push((await createOneOffSession(ctx, { groupId: groups[group]!.id, date, startTime })).id)
    // Every session is past: marks may be taken in any of them, in any order.
    desk.clock.set('2026-11-30T20:00:00.000Z')
  })

  it('every sequence leaves report_group_people and report_group_days equal to the recount', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const s of steps) {
          if (s.kind === 'person') await markAttendance(ctx, { sessionId: sessions[s.session]!, participantId: people[s.who]!, status: s.status })
          else if (s.kind === 'code') await markAnonymous(ctx, { sessionId: sessions[s.session]!, code: CODES[s.who]!, status: s.status })
          else {
            // A merge moves the merged person's marks (an update of participant_id), its undoing moves them back.
            const merge = await mergeParticipants(ctx, people[s.who]!, people[2]!)
            expect(await checkRollups(ctx.db)).toEqual(exact)
            await undoMerge(ctx, merge.id)
          }
        }
        expect(await checkRollups(ctx.db)).toEqual(exact)
      }),
      { numRuns: backend === 'postgres' ? 8 : 25 },
    )
  })
})

/** Every roll-up `admin verify` recounts, each equal to its recount. */
const exact = ROLLUP_TABLES.map((table) => ({ table, missing: 0, extra: 0 }))

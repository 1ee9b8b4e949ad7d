import { beforeAll, expect, it } from 'vitest'
import { createAssessment } from '../../db/services/assessments'
import { createCenter, setCountingRule } from '../../db/services/centers'
import { logContact } from '../../db/services/coaching'
import type { ServiceContext } from '../../db/services/context'
import { confirmMatch } from '../../db/services/person-matches'
import { createParticipant } from '../../db/services/participants'
import { coachingFigures } from '../../db/services/reports/coaching'
import { recoveryCapitalFigures } from '../../db/services/reports/figures'
import { safetyFigures } from '../../db/services/reports/safety'
import { countScope } from '../../db/services/reports/scope'
import { createRestriction } from '../../db/services/restrictions'
import { setUpCenter, type CenterDesk } from './front-desk-helpers'
import { describeEachBackend, useRecords } from './pg-helpers'

/**
 * The organization's person (issue 15, point 4) in the figures that follow a person over time: with
 * the centers matching people and a match confirmed, BARC-10's first and latest assessments, the
 * days between coaching contacts and the people under a restriction are the organization person's,
 * not each record's. Worked by hand, October 2026, zone UTC:
 *
 *   Ana at Harbor House: BARC-10 30 on Sep 5; a phone contact Oct 3; asked to see a manager from Oct 1.
 *   Ana N at North Side (the same person): BARC-10 40 on Oct 10; a phone contact Oct 8; the same at North Side.
 *   Cy at North Side: BARC-10 50 on Oct 12.
 *
 *   Once per record (the default, or no match): assessed 2 in October (Ana N, Cy), none with an earlier
 *   one; no gap between contacts (one each); 2 people restricted.
 *   Matched: assessed 2 (Ana, Cy), Ana with an earlier one: first 30, latest 40, change +10; a gap of 5 days;
 *   1 person restricted.
 */
const OCTOBER = { from: '2026-10-01', to: '2026-10-31' }
const END = '2026-11-01T00:00:00.000Z'

describeEachBackend('BARC-10, coaching and restrictions by the organization person', (backend) => {
  const records = useRecords(backend, 'block')
  let desk: CenterDesk
  let harbor: ServiceContext
  let north: ServiceContext
  const ids = { ana: 0, anaNorth: 0 }

  beforeAll(async () => {
    desk = await setUpCenter(records().db)
    desk.clock.set('2026-11-25T15:00:00.000Z')
    const northCenter = await createCenter(desk.ctx, { name: 'North Side' })
    harbor = { ...desk.ctx, centerId: 1 }
    north = { ...desk.ctx, centerId: northCenter.id }
    ids.ana = (await createParticipant(harbor, { firstName: 'Ana' })).id
    ids.anaNorth = (await createParticipant(north, { firstName: 'Ana', lastName: 'N' })).id
    const cy = (await createParticipant(north, { firstName: 'Cy' })).id
    const barc = (total: number) => Array.from({ length: 10 }, () => total / 10)
    await createAssessment(harbor, { participantId: ids.ana, takenOn: '2026-09-05', answers: barc(30) })
    await createAssessment(north, { participantId: ids.anaNorth, takenOn: '2026-10-10', answers: barc(40) })
    await createAssessment(north, { participantId: cy, takenOn: '2026-10-12', answers: barc(50) })
    const contact = { minutes: 15, kind: 'phone' as const, topics: [] }
    await logContact(harbor, { ...contact, participantId: ids.ana, contactOn: '2026-10-03' })
    await logContact(north, { ...contact, participantId: ids.anaNorth, contactOn: '2026-10-08' })
    await createRestriction(harbor, { participantId: ids.ana, kind: 'ask_manager', reason: 'asked to check in first', startsOn: '2026-10-01' })
    await createRestriction(north, { participantId: ids.anaNorth, kind: 'ask_manager', reason: 'asked to check in first', startsOn: '2026-10-01' })
  })

  const figures = async (ctx: ServiceContext, choice: 'center' | 'organization') => {
    const scope = await countScope(ctx, choice)
    const capital = await recoveryCapitalFigures(ctx.db, OCTOBER, scope)
    return {
      assessed: capital.assessed,
      paired: capital.n,
      first: capital.meanFirst,
      latest: capital.meanLatest,
      change: capital.meanChange,
      gap: (await coachingFigures(ctx.db, OCTOBER, scope)).medianDaysBetweenContacts,
      restricted: (await safetyFigures(ctx.db, OCTOBER, END, scope)).restrictionsInForce,
    }
  }
  const perRecord = { assessed: 2, paired: 0, first: null, latest: null, change: null, gap: null, restricted: 2 }

  it('counts each record until the centers match people and an admin confirms the match; then the person', async () => {
    expect(await figures(desk.ctx, 'organization')).toEqual(perRecord)
    await setCountingRule(desk.ctx, { matchPeople: true })
    expect(await figures(desk.ctx, 'organization')).toEqual(perRecord)
    await confirmMatch(desk.ctx, { id: desk.adminId, role: 'admin' }, { firstId: ids.ana, secondId: ids.anaNorth })
    expect(await figures(desk.ctx, 'organization')).toEqual({ assessed: 2, paired: 1, first: 30, latest: 40, change: 10, gap: 5, restricted: 1 })
    // Each center still counts its own records.
    expect(await figures(north, 'center')).toEqual({ ...perRecord, restricted: 1 })
    expect(await figures(harbor, 'center')).toEqual({ assessed: 0, paired: 0, first: null, latest: null, change: null, gap: null, restricted: 1 })
    // The rule turned off: once per record again, the match kept.
    await setCountingRule(desk.ctx, { matchPeople: false })
    expect(await figures(desk.ctx, 'organization')).toEqual(perRecord)
  })
})

import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { saveAgency } from '../../db/services/agencies'
import { createCenter, setCountingRule } from '../../db/services/centers'
import type { ServiceContext } from '../../db/services/context'
import { mergeParticipants } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { createReferral } from '../../db/services/referrals'
import { dashboard } from '../../db/services/reports/dashboard'
import { drillDown } from '../../db/services/reports/drill-down'
import { peopleFigures, serviceFigures, visitFigures } from '../../db/services/reports/figures'
import type { PersonMatches } from '../../db/services/reports/person-key'
import { confirmMatch, undoMatch } from '../../db/services/person-matches'
import { funderReport } from '../../db/services/reports/report'
import { countScope, type CountScope } from '../../db/services/reports/scope'
import { createStaff } from '../../db/services/staff-accounts'
import { signIn, voidVisit } from '../../db/services/visits'
import type { ReportScopeChoice } from '../../db/report-types'
import { serviceError, setUpCenter, type CenterDesk } from './front-desk-helpers'
import { describeEachBackend, useRecords } from './pg-helpers'

/**
 * The dashboard and the funder report by center and for the organization (issue 15, point 4), on a
 * small two-center dataset whose answers are worked out by hand below, on both backends.
 *
 * Harbor House (center 1) and North Side (center 2), October 2026, zone UTC:
 *   Harbor: Ana visits Sep 15 (before the range) and Oct 5 (meal ×2): returning.
 *           Ben visits Oct 10 (naloxone ×1); Benny visits Oct 12 and is merged into Ben on Nov 5: Ben counts once, new.
 *           Dan visits Oct 15, voided: not counted at all.
 *           Anonymous: code BLUE Oct 7; no code Oct 9.
 *   North:  Ana again (her own record at North Side, "Ana N") visits Oct 6 (meal ×1): new there.
 *           Cy visits Oct 20 and is referred (housing) that day: new.
 *           Anonymous: code BLUE Oct 8 (the same code at another center: another person).
 *
 *   Harbor: visits 5 (3 registered, 2 anonymous, 1 without a code); people 3 = 2 registered (Ana, Ben)
 *           + 1 code; new 1 (Ben), returning 1 (Ana); meal 1 visit, 2 items, 1 person; naloxone 1, 1, 1; referrals 0.
 *   North:  visits 3 (2 registered, 1 anonymous, 0 without a code); people 3 = 2 + 1; new 2, returning 0;
 *           meal 1 visit, 1 item, 1 person; referrals 1.
 *   Organization, once per center (the default): visits 8; people 6 = 4 records + 2 codes; new 3, returning 1;
 *           meal 2 visits, 3 items, 2 people; referrals 1.
 *   Organization, people matched (Ana N matched to Ana): people 5 = 3 + 2; new 2 (Ben, Cy: Ana was seen
 *           in September at Harbor), returning 1; meal 2 visits, 3 items, 1 person.
 */
const OCTOBER = { from: '2026-10-01', to: '2026-10-31' }

describeEachBackend('reports by center and for the organization', (backend) => {
  const records = useRecords(backend, 'block')
  let desk: CenterDesk
  let harbor: ServiceContext
  let north: ServiceContext
  let manager: ServiceContext
  const ids = { ana: 0, anaNorth: 0, ben: 0, cy: 0 }

  beforeAll(async () => {
    desk = await setUpCenter(records().db)
    const s = desk.services
    const at = (iso: string) => desk.clock.set(iso)
    const northCenter = await createCenter(desk.ctx, { name: 'North Side' })
    harbor = { ...desk.ctx, centerId: 1 }
    north = { ...desk.ctx, centerId: northCenter.id }
    const visit = async (ctx: ServiceContext, iso: string, participantId: number | null, services: Array<[string, number]> = [], anonymousCode: string | null = null) => {
      at(iso)
      return (await signIn(ctx, { participantId, anonymousCode, services: services.map(([key, quantity]) => ({ serviceId: s[key]!.id, quantity })) })).id
    }
    at('2026-09-01T12:00:00.000Z')
    ids.ana = (await createParticipant(harbor, { firstName: 'Ana' })).id
    ids.ben = (await createParticipant(harbor, { firstName: 'Ben' })).id
    const benny = (await createParticipant(harbor, { firstName: 'Benny' })).id
    const dan = (await createParticipant(harbor, { firstName: 'Dan' })).id
    ids.anaNorth = (await createParticipant(north, { firstName: 'Ana', lastName: 'N' })).id
    ids.cy = (await createParticipant(north, { firstName: 'Cy' })).id
    const agency = await saveAgency(north, { name: 'North Housing', types: ['housing'] })

    await visit(harbor, '2026-09-15T14:00:00.000Z', ids.ana)
    await visit(harbor, '2026-10-05T09:15:00.000Z', ids.ana, [['meal', 2]])
    await visit(north, '2026-10-06T10:00:00.000Z', ids.anaNorth, [['meal', 1]])
    await visit(harbor, '2026-10-07T12:00:00.000Z', null, [], 'BLUE')
    await visit(north, '2026-10-08T12:00:00.000Z', null, [], 'BLUE')
    await visit(harbor, '2026-10-09T12:30:00.000Z', null)
    await visit(harbor, '2026-10-10T09:00:00.000Z', ids.ben, [['naloxone', 1]])
    await visit(harbor, '2026-10-12T09:00:00.000Z', benny)
    const danVisit = await visit(harbor, '2026-10-15T11:00:00.000Z', dan)
    await voidVisit(harbor, danVisit, 'test entry')
    await visit(north, '2026-10-20T10:00:00.000Z', ids.cy)
    await createReferral(north, { participantId: ids.cy, agencyId: agency.id, type: 'housing' })
    at('2026-11-05T14:00:00.000Z')
    await mergeParticipants(harbor, ids.ben, benny)
    const mgr = await createStaff(desk.ctx, { username: 'morgan', displayName: 'Morgan', role: 'manager', password: 'a long enough password' })
    manager = { ...harbor, staffId: mgr.id }
    at('2026-11-25T15:00:00.000Z')
  })

  const figures = async (ctx: ServiceContext, choice: ReportScopeChoice = 'center') => {
    const board = await dashboard(ctx, OCTOBER, choice)
    const meal = board.services.current.find((row) => row.key === 'meal')!
    const naloxone = board.services.current.find((row) => row.key === 'naloxone')!
    return {
      name: board.centerName,
      people: board.summary.current.people,
      visits: board.summary.current.visits,
      meal: [meal.times, meal.quantity, meal.people],
      naloxone: [naloxone.times, naloxone.quantity, naloxone.people],
      referrals: board.referrals.current.made,
    }
  }

  /** The figures as figures() gives them, from the numbers worked out above: people (all, registered, by code, new, returning), visits (all, registered, anonymous, without a code). */
  const expected = (name: string, people: number[], visits: number[], meal: number[], naloxone: number[], referrals: number) => {
    const [all, registered, anonymousPeople, newPeople, returningPeople] = people
    const [count, registeredVisits, anonymousVisits, anonymousUncodedVisits] = visits
    return { name, people: { people: all, registered, anonymousPeople, newPeople, returningPeople }, visits: { visits: count, registeredVisits, anonymousVisits, anonymousUncodedVisits }, meal, naloxone, referrals }
  }

  it('each center counts its own rows: voids, a merge and anonymous codes by the same rules', async () => {
    expect(await figures(harbor)).toEqual(expected('Harbor House', [3, 2, 1, 1, 1], [5, 3, 2, 1], [1, 2, 1], [1, 1, 1], 0))
    expect(await figures(north)).toEqual(expected('North Side', [3, 2, 1, 2, 0], [3, 2, 1, 0], [1, 1, 1], [0, 0, 0], 1))
  })

  it('the organization counts a person once per center by default, and says which it counted', async () => {
    expect(await figures(desk.ctx, 'organization')).toEqual(expected('Harbor House + North Side', [6, 4, 2, 3, 1], [8, 5, 3, 1], [2, 3, 2], [1, 1, 1], 1))
    const board = await dashboard(desk.ctx, OCTOBER, 'organization')
    expect(board.scope).toEqual({ choice: 'organization', matchPeople: false, organizationOffered: true })
    // Agreeing to match people changes nothing until an admin confirms a match.
    await setCountingRule(desk.ctx, { matchPeople: true })
    const admin = { id: desk.adminId, role: 'admin' as const }
    try {
      const agreed = await dashboard(desk.ctx, OCTOBER, 'organization')
      expect(agreed.scope.matchPeople).toBe(true)
      expect(agreed.summary.current.people).toEqual(board.summary.current.people)
      // Ana N (North Side) confirmed as Ana (Harbor House): 5 people for the organization, 3 at each center still.
      await confirmMatch(desk.ctx, admin, { firstId: ids.ana, secondId: ids.anaNorth })
      expect((await figures(desk.ctx, 'organization')).people).toEqual({ people: 5, registered: 3, anonymousPeople: 2, newPeople: 2, returningPeople: 1 })
      expect((await figures(north)).people.people).toBe(3)
      // The rule turned off keeps the match but counts once per center again.
      await setCountingRule(desk.ctx, { matchPeople: false })
      expect((await figures(desk.ctx, 'organization')).people.people).toBe(6)
      await setCountingRule(desk.ctx, { matchPeople: true })
      await undoMatch(desk.ctx, admin, { participantId: ids.anaNorth })
      expect((await figures(desk.ctx, 'organization')).people.people).toBe(6)
    } finally {
      await setCountingRule(desk.ctx, { matchPeople: false })
    }
  })

  it('with the centers matching people, a person matched across centers counts once for the organization (the person-key seam, hand-made matches)', async () => {
    const whole = await countScope(desk.ctx, 'organization')
    // Ana N (North Side) is Ana (Harbor House): the group's key is Ana's record.
    const matches: PersonMatches = (db) =>
      db
        .selectFrom('participants as pm')
        .where('pm.id', 'in', [ids.ana, ids.anaNorth])
        .select(['pm.id as participant_id', sql<number>`${sql.lit(ids.ana)}`.as('org_person_id')])
    const scope: CountScope = { ...whole, byOrgKey: true, matches }
    const db = desk.ctx.db
    expect(await peopleFigures(db, OCTOBER, undefined, scope)).toEqual({ people: 5, registered: 3, anonymousPeople: 2, newPeople: 2, returningPeople: 1 })
    expect((await visitFigures(db, OCTOBER, scope)).visits).toBe(8)
    const meal = (await serviceFigures(db, OCTOBER, undefined, scope)).find((row) => row.key === 'meal')!
    expect([meal.times, meal.quantity, meal.people]).toEqual([2, 3, 1])
  })

  it('the funder report and the drill-down count the same center as the dashboard', async () => {
    const report = await funderReport(north, OCTOBER)
    expect([report.centerName, report.people.people, report.visits.visits, report.referrals.made]).toEqual(['North Side', 3, 3, 1])
    expect(report.demographics.gender.find((row) => row.value === 'not_asked')?.count).toBe(2)
    const organization = await funderReport(desk.ctx, OCTOBER, 'organization')
    expect([organization.people.people, organization.visits.visits, organization.naloxoneKits]).toEqual([6, 8, 1])
    expect(organization.demographics.gender.find((row) => row.value === 'not_asked')?.count).toBe(4)
    const people = async (ctx: ServiceContext) => (await drillDown(ctx, { range: OCTOBER, list: 'people', filter: {}, offset: 0, limit: 50 })).rows.map((row) => ('firstName' in row ? row.firstName : null))
    expect(await people(harbor)).toEqual(['Ana', 'Ben'])
    expect(await people(north)).toEqual(['Ana', 'Cy'])
    const visits = await drillDown(north, { range: OCTOBER, list: 'visits', filter: {}, offset: 0, limit: 50 })
    expect(visits.total).toBe(3)
    const referrals = await drillDown(harbor, { range: OCTOBER, list: 'referrals', filter: {}, offset: 0, limit: 50 })
    expect(referrals.total).toBe(0)
  })

  it('only an organization admin counts every center: a manager is refused, and is not offered the choice', async () => {
    expect(await serviceError(dashboard(manager, OCTOBER, 'organization'))).toMatchObject({ code: 'FORBIDDEN', key: 'reports.organizationOnly' })
    expect(await serviceError(funderReport(manager, OCTOBER, 'organization'))).toMatchObject({ code: 'FORBIDDEN' })
    expect(await serviceError(drillDown(manager, { range: OCTOBER, list: 'people', filter: {}, offset: 0, limit: 50, scope: 'organization' }))).toMatchObject({ code: 'FORBIDDEN' })
    const own = await dashboard(manager, OCTOBER)
    expect([own.centerName, own.summary.current.people.people, own.scope.organizationOffered]).toEqual(['Harbor House', 3, false])
  })
})

import { CompiledQuery } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAssessment, voidAssessment } from '../../db/services/assessments'
import { saveAgency } from '../../db/services/agencies'
import { setFieldRules } from '../../db/services/field-rules'
import { mergeParticipants } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { createReferral, updateReferral } from '../../db/services/referrals'
import { dashboard } from '../../db/services/reports/dashboard'
import { demographics, groupFigures, meanInterval, peopleFigures, recoveryCapitalFigures, referralFigures, serviceFigures, tCritical, visitFigures, visitHeatmap, visitSeries } from '../../db/services/reports/figures'
import { WHOLE_DATABASE, type CountScope } from '../../db/services/reports/scope'
import { funderReport } from '../../db/services/reports/report'
import { drillDown, type DrillRequest } from '../../db/services/reports/drill-down'
import { activePeople, newPeople, referralStates } from '../../db/services/reports/rules'
import { getReportSettings, managerHome, setReportSettings } from '../../db/services/reports/settings'
import { recordBackupAttempt } from '../../db/services/backup-settings'
import { recordIntegrityCheck } from '../../db/services/integrity-check'
import { offsetSpans, resolveRange } from '../../db/services/reports/range'
import { signIn, voidVisit } from '../../db/services/visits'
import type { DashboardData } from '../../db/report-types'
import { expectAuditChainIntact, serviceError, setUpCenter, type Desk } from './front-desk-helpers'
import { describeEachBackend, useRecords } from './pg-helpers'

/**
 * A small center whose every figure is worked out by hand below. The range is October 2026
 * (custom), so the previous period is the 31 days before it: 2026-08-31 to 2026-09-30.
 *
 *   Ana   visits Sep 15 (before the range), Oct 5 (meal ×2), Oct 6 (naloxone ×2); referral Sep 20
 *         (treatment, got help Sep 22) and Oct 5 (treatment, accepted Oct 8, got help Oct 12).
 *   Ben   visits Oct 10 (peer support), Oct 12 (voided); referral Oct 10 (detox, follow-up Oct 20,
 *         never moved). Benny, a duplicate record of Ben, visited Sep 25 and Oct 20 (peer support)
 *         and is merged into Ben: Ben is one person, first seen Sep 25, so returning in October.
 *   Cara  no visits; referral Oct 3 (housing), waiting on her from Oct 15 (follow-up Nov 10),
 *         got help Nov 5: after the range.
 *   Dan   one visit Oct 15 with naloxone ×5, voided: he counts nowhere.
 *   Eve   BARC-10 Aug 1 (30) and Oct 20 (48).  Fay  Sep 1 (40) and Oct 25 (44).
 *   Gus   one BARC-10 Oct 22 (50), and one Oct 23 (60) voided.
 *   Hal   first visit ever Oct 28 (naloxone ×1): the one new person.
 *   Demographics: Ana born 1990-10-10, woman, hispanic, not a veteran, housed; Ben born in 2000, man,
 *   declined the veteran question, unsheltered; Gus declined gender; Hal born 2008-10-29, man; the
 *   rest were not asked.
 *   Anonymous: code BLUE Oct 7 (meal ×1) and Oct 8; no code Oct 9; code RED Oct 9, voided.
 */
type CenterDesk = Omit<Desk, 'opened'>

async function at(desk: CenterDesk, iso: string): Promise<void> {
  desk.clock.set(iso)
}

describeEachBackend('reports', (backend) => {
  // One center for the whole block: the tests read the figures of the records written here.
  const records = useRecords(backend, 'block')
  let desk: CenterDesk
  let data: DashboardData

  beforeAll(async () => {
    desk = await setUpCenter(records().db)
    const ctx = desk.ctx
    const s = desk.services
    const person = async (firstName: string, details: Omit<Parameters<typeof createParticipant>[1], 'firstName'> = {}) =>
      (await createParticipant(ctx, { firstName, ...details })).id
    const visit = async (iso: string, participantId: number | null, services: Array<[string, number]> = [], anonymousCode: string | null = null) => {
      await at(desk, iso)
      return (await signIn(ctx, { participantId, anonymousCode, services: services.map(([key, quantity]) => ({ serviceId: s[key]!.id, quantity })) })).id
    }
    await at(desk, '2026-07-01T12:00:00.000Z')
    await setFieldRules(ctx, { birthDate: 'optional', gender: 'optional', raceEthnicity: 'optional', veteranStatus: 'optional', housingStatus: 'optional' })
    const [ana, ben, benny, cara, dan, eve, fay, gus, hal] = [
      await person('Ana', { birthDate: '1990-10-10', gender: 'Woman', raceEthnicity: 'hispanic', veteranStatus: 'no', housingStatus: 'housed' }),
      await person('Ben', { birthYear: 2000, gender: ' man ', veteranStatus: 'declined', housingStatus: 'unsheltered' }),
      await person('Benny'),
      await person('Cara'),
      await person('Dan'),
      await person('Eve'),
      await person('Fay'),
      await person('Gus', { gender: 'declined' }),
      await person('Hal', { birthDate: '2008-10-29', gender: 'MAN' }),
    ]
    const agencies = await saveAgency(ctx, { name: 'Harbor Treatment', types: ['treatment', 'detox', 'housing'] })

    await at(desk, '2026-08-01T15:00:00.000Z')
    await createAssessment(ctx, { participantId: eve!, answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] })
    await at(desk, '2026-09-01T15:00:00.000Z')
    await createAssessment(ctx, { participantId: fay!, answers: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4] })
    await visit('2026-09-15T14:00:00.000Z', ana!)
    await at(desk, '2026-09-20T16:00:00.000Z')
    const anaSep = await createReferral(ctx, { participantId: ana!, agencyId: agencies.id, type: 'treatment' })
    await at(desk, '2026-09-22T16:00:00.000Z')
    await updateReferral(ctx, anaSep.id, { status: 'got_help' })
    await visit('2026-09-25T10:00:00.000Z', benny!)

    await at(desk, '2026-10-03T13:00:00.000Z')
    const caraOct = await createReferral(ctx, { participantId: cara!, agencyId: agencies.id, type: 'housing' })
    await visit('2026-10-05T09:15:00.000Z', ana!, [['meal', 2]])
    const anaOct = await createReferral(ctx, { participantId: ana!, agencyId: agencies.id, type: 'treatment' })
    await visit('2026-10-06T09:40:00.000Z', ana!, [['naloxone', 2]])
    await visit('2026-10-07T12:00:00.000Z', null, [['meal', 1]], 'blue')
    await visit('2026-10-08T12:00:00.000Z', null, [], 'BLUE')
    await at(desk, '2026-10-08T17:00:00.000Z')
    await updateReferral(ctx, anaOct.id, { status: 'eligible' })
    await visit('2026-10-09T12:30:00.000Z', null)
    const red = await visit('2026-10-09T13:00:00.000Z', null, [], 'RED')
    await voidVisit(ctx, red, 'entered twice')
    await visit('2026-10-10T09:00:00.000Z', ben!, [['peer_support', 1]])
    await createReferral(ctx, { participantId: ben!, agencyId: agencies.id, type: 'detox', followUpOn: '2026-10-20' })
    const benVoided = await visit('2026-10-12T09:00:00.000Z', ben!)
    await voidVisit(ctx, benVoided, 'wrong person')
    await at(desk, '2026-10-12T18:00:00.000Z')
    await updateReferral(ctx, anaOct.id, { status: 'got_help' })
    const danVisit = await visit('2026-10-15T11:00:00.000Z', dan!, [['naloxone', 5]])
    await voidVisit(ctx, danVisit, 'test entry')
    await at(desk, '2026-10-15T15:00:00.000Z')
    await updateReferral(ctx, caraOct.id, { status: 'needs_client_action', followUpOn: '2026-11-10' })
    await visit('2026-10-20T10:00:00.000Z', benny!, [['peer_support', 1]])
    await createAssessment(ctx, { participantId: eve!, answers: [5, 5, 5, 5, 5, 5, 5, 5, 4, 4] })
    await at(desk, '2026-10-22T15:00:00.000Z')
    await createAssessment(ctx, { participantId: gus!, answers: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5] })
    await at(desk, '2026-10-23T15:00:00.000Z')
    const gusVoided = await createAssessment(ctx, { participantId: gus!, answers: [6, 6, 6, 6, 6, 6, 6, 6, 6, 6] })
    await voidAssessment(ctx, gusVoided.id, 'wrong person')
    await at(desk, '2026-10-25T15:00:00.000Z')
    await createAssessment(ctx, { participantId: fay!, answers: [5, 5, 5, 5, 4, 4, 4, 4, 4, 4] })
    await visit('2026-10-28T16:20:00.000Z', hal!, [['naloxone', 1]])

    await at(desk, '2026-11-05T14:00:00.000Z')
    await updateReferral(ctx, caraOct.id, { status: 'got_help' })
    await mergeParticipants(ctx, ben!, benny!)

    await at(desk, '2026-11-25T15:00:00.000Z')
    data = await dashboard(ctx, { from: '2026-10-01', to: '2026-10-31' })
  })

  describe('the counting rules on a hand-built center', () => {
    it('resolves the range and the period before it', () => {
      expect(data.range).toMatchObject({ from: '2026-10-01', to: '2026-10-31', countedTo: '2026-10-31', days: 31, grain: 'day' })
      expect(data.range.previous).toEqual({ from: '2026-08-31', to: '2026-09-30' })
      expect(data.centerName).toBe('Harbor House')
    })

    it('counts people once: merged records as one, voided visits never, anonymous people by code', () => {
      // Ana, Ben (with Benny), Hal by visits; Cara by her referral; Eve, Fay, Gus by assessments. Dan's only visit was voided.
      expect(data.summary.current.people).toEqual({ people: 8, registered: 7, anonymousPeople: 1, newPeople: 1, returningPeople: 6 })
      // Ana (Sep 15) and Ben (Benny's Sep 25) were new then; Fay counts by her assessment.
      expect(data.summary.previous.people).toEqual({ people: 3, registered: 3, anonymousPeople: 0, newPeople: 2, returningPeople: 1 })
    })

    it('counts visits: anonymous ones as visits, voided ones not at all', () => {
      expect(data.summary.current.visits).toEqual({ visits: 8, registeredVisits: 5, anonymousVisits: 3, anonymousUncodedVisits: 1 })
      expect(data.summary.previous.visits).toEqual({ visits: 2, registeredVisits: 2, anonymousVisits: 0, anonymousUncodedVisits: 0 })
    })

    it('draws the visits by day, quiet days as zeros', () => {
      const days = data.series.current
      expect(days).toHaveLength(31)
      expect(days[0]).toEqual({ start: '2026-10-01', visits: 0, people: 0 })
      const on = (date: string) => days.find((day) => day.start === date)
      expect(on('2026-10-07')).toEqual({ start: '2026-10-07', visits: 1, people: 1 })
      expect(on('2026-10-09')).toEqual({ start: '2026-10-09', visits: 1, people: 0 })
      expect(on('2026-10-12')).toEqual({ start: '2026-10-12', visits: 0, people: 0 })
      expect(days.reduce((sum, day) => sum + day.visits, 0)).toBe(8)
      expect(data.series.previous).toHaveLength(31)
      expect(data.series.previous.reduce((sum, day) => sum + day.visits, 0)).toBe(2)
    })

    it('places visits by weekday and hour of the center clock', () => {
      expect(data.heatmap.reduce((sum, cell) => sum + cell.visits, 0)).toBe(8)
      // Oct 5 and Oct 6 2026 are a Monday and a Tuesday, both at 9 o'clock; Oct 10 and Oct 20 (a Saturday and a Tuesday) at 9 and 10.
      expect(data.heatmap).toContainEqual({ weekday: 0, hour: 9, visits: 1 })
      expect(data.heatmap).toContainEqual({ weekday: 1, hour: 9, visits: 1 })
      expect(data.heatmap).toContainEqual({ weekday: 1, hour: 10, visits: 1 })
      expect(data.heatmap).toContainEqual({ weekday: 5, hour: 9, visits: 1 })
    })

    it('counts services: times, different people and items, leaving voided visits out', () => {
      const service = (key: string) => data.services.current.find((row) => row.key === key)
      expect(service('naloxone')).toMatchObject({ times: 2, people: 2, quantity: 3, hasQuantity: true })
      expect(service('meal')).toMatchObject({ times: 2, people: 2, quantity: 3 })
      expect(service('peer_support')).toMatchObject({ times: 2, people: 1, quantity: 2 })
      expect(service('shower')).toMatchObject({ times: 0, people: 0, quantity: 0 })
      expect(data.services.previous.every((row) => row.times === 0)).toBe(true)
    })

    it('follows referrals to "got help" as they stood at the end of the range', () => {
      const october = data.referrals.current
      expect(october).toMatchObject({
        made: 3,
        accepted: 1,
        connected: 1,
        connectedShare: 1 / 3,
        // Cara's got help on Nov 5: shown, not counted as connected in October.
        connectedLater: 1,
        medianDaysToConnect: 7,
        open: 2,
        openPastFollowUp: 1,
        openPastFollowUpShare: 0.5,
      })
      expect(october.byType.filter((row) => row.made > 0)).toEqual([
        { type: 'treatment', made: 1, connected: 1 },
        { type: 'detox', made: 1, connected: 0 },
        { type: 'housing', made: 1, connected: 0 },
      ])
      expect(october.byStatus.filter((row) => row.count > 0)).toEqual([
        { status: 'pending', count: 1 },
        { status: 'needs_client_action', count: 1 },
        { status: 'got_help', count: 1 },
      ])
      expect(data.referrals.previous).toMatchObject({ made: 1, connected: 1, medianDaysToConnect: 2, open: 0, openPastFollowUpShare: null, connectedLater: 0 })
    })

    it('reports recovery capital change with its n, and leaves out a person with one assessment', () => {
      const rc = data.recoveryCapital.current
      // Eve 30 → 48 and Fay 40 → 44: changes 18 and 4, mean 11, sd √98, se 7, t(1) = 12.706.
      expect(rc).toMatchObject({ assessed: 3, n: 2, meanFirst: 35, meanLatest: 46, meanChange: 11, shareAtOrAbove47First: 0, shareAtOrAbove47Latest: 0.5 })
      expect(rc.changeCi!.low).toBeCloseTo(11 - 12.706 * 7, 6)
      expect(rc.changeCi!.high).toBeCloseTo(11 + 12.706 * 7, 6)
      // In September only Fay was assessed, once by then: no change to show, and nothing divided by zero.
      expect(data.recoveryCapital.previous).toEqual({
        assessed: 1,
        n: 0,
        meanFirst: null,
        meanLatest: null,
        meanChange: null,
        changeCi: null,
        shareAtOrAbove47First: null,
        shareAtOrAbove47Latest: null,
      })
    })

    it('gives zeros and nulls, never NaN, for a range with no data', async () => {
      const empty = await dashboard(desk.ctx, { from: '2026-01-01', to: '2026-01-31' })
      const text = JSON.stringify(empty)
      expect(text).not.toMatch(/NaN|Infinity/)
      expect(empty.summary.current.people.people).toBe(0)
      expect(empty.referrals.current).toMatchObject({ made: 0, connectedShare: null, medianDaysToConnect: null, openPastFollowUpShare: null })
      expect(empty.recoveryCapital.current.meanChange).toBeNull()
      expect(empty.heatmap).toEqual([])
    })
  })

  describe('the funder report', () => {
    it('gives the dashboard figures for the range, with naloxone kits and demographics', async () => {
      const report = await funderReport(desk.ctx, { from: '2026-10-01', to: '2026-10-31' })
      expect(report.centerName).toBe('Harbor House')
      expect(report.people).toEqual(data.summary.current.people)
      expect(report.visits).toEqual(data.summary.current.visits)
      expect(report.services).toEqual(data.services.current)
      expect(report.referrals).toEqual(data.referrals.current)
      expect(report.recoveryCapital).toEqual(data.recoveryCapital.current)
      expect(report.naloxoneKits).toBe(3)
    })

    it('counts demographics of the registered people in the range, with "declined" and "not asked" rows', async () => {
      const { demographics } = await funderReport(desk.ctx, { from: '2026-10-01', to: '2026-10-31' })
      // Ana is 35 on Oct 1 (her birthday is the 10th); Ben turns 26 in 2026; Hal is 17 at his first visit on Oct 28, the day before his birthday.
      expect(demographics.age).toEqual([
        { value: 'under_18', count: 1 },
        { value: '18_24', count: 0 },
        { value: '25_34', count: 1 },
        { value: '35_44', count: 1 },
        { value: '45_54', count: 0 },
        { value: '55_64', count: 0 },
        { value: '65_plus', count: 0 },
        { value: 'not_asked', count: 4 },
      ])
      // " man " and "MAN" count together, shown as first typed in sort order.
      expect(demographics.gender).toEqual([
        { value: 'man', label: 'MAN', count: 2 },
        { value: 'woman', label: 'Woman', count: 1 },
        { value: 'declined', label: 'declined', count: 1 },
        { value: 'not_asked', label: 'not_asked', count: 3 },
      ])
      expect(demographics.veteran).toEqual([
        { value: 'no', label: 'no', count: 1 },
        { value: 'declined', label: 'declined', count: 1 },
        { value: 'not_asked', label: 'not_asked', count: 5 },
      ])
      expect(demographics.housing.map((row) => [row.value, row.count])).toEqual([
        ['housed', 1],
        ['unsheltered', 1],
        ['declined', 0],
        ['not_asked', 5],
      ])
      expect(demographics.raceEthnicity.map((row) => [row.value, row.count])).toEqual([
        ['hispanic', 1],
        ['declined', 0],
        ['not_asked', 6],
      ])
    })

    it('is empty, not broken, for a range with no data', async () => {
      const report = await funderReport(desk.ctx, { from: '2026-01-01', to: '2026-01-31' })
      expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/)
      expect(report.demographics.age.every((row) => row.count === 0)).toBe(true)
      expect(report.naloxoneKits).toBe(0)
    })
  })

  describe('drill-down', () => {
    const october = { from: '2026-10-01', to: '2026-10-31' }
    const drill = (list: DrillRequest['list'], filter: DrillRequest['filter'] = {}) => drillDown(desk.ctx, { range: october, list, filter, offset: 0, limit: 50 })

    it('lists exactly what a figure counted', async () => {
      expect((await drill('visits')).total).toBe(data.summary.current.visits.visits)
      expect((await drill('people')).total).toBe(data.summary.current.people.registered)
      expect((await drill('people', { period: 'previous' })).total).toBe(data.summary.previous.people.registered)
      expect((await drill('referrals')).total).toBe(data.referrals.current.made)
      const naloxone = await drill('visits', { serviceId: desk.services.naloxone!.id })
      expect(naloxone.rows).toMatchObject([{ person: { firstName: 'Hal' } }, { person: { firstName: 'Ana' } }])
      const day = await drill('visits', { bucketStart: '2026-10-09' })
      expect(day).toMatchObject({ total: 1, rows: [{ person: null, anonymousCode: null, visitDate: '2026-10-09' }] })
      const cell = await drill('visits', { weekday: 1, hour: 10 })
      expect(cell.rows).toMatchObject([{ visitDate: '2026-10-20', person: { firstName: 'Ben' } }])
    })

    it('lists new and returning people by the same rule as the figures', async () => {
      const fresh = await drill('people', { people: 'new' })
      expect(fresh.rows).toMatchObject([{ firstName: 'Hal', visits: 1 }])
      const returning = await drill('people', { people: 'returning' })
      expect(returning.rows.map((row) => (row as { firstName: string }).firstName)).toEqual(['Ana', 'Ben', 'Cara', 'Eve', 'Fay', 'Gus'])
      expect(returning.rows).toContainEqual(expect.objectContaining({ firstName: 'Ben', visits: 2 }))
    })

    it('lists referrals as they stood at the end of the range', async () => {
      expect((await drill('referrals', { connected: true })).rows).toMatchObject([{ type: 'treatment', status: 'got_help', person: { firstName: 'Ana' } }])
      expect((await drill('referrals', { connected: false })).total).toBe(2)
      expect((await drill('referrals', { status: 'needs_client_action' })).rows).toMatchObject([{ type: 'housing', person: { firstName: 'Cara' } }])
    })

    it('writes who looked at which people into the audit log', async () => {
      const page = await drill('people', { people: 'new' })
      const row = await desk.ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'report.drill_down').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
      expect(JSON.parse(row.detail!)).toMatchObject({ list: 'people', from: '2026-10-01', to: '2026-10-31', rows: 1, total: 1, people: [page.rows[0]!.id] })
      await expectAuditChainIntact(desk.ctx)
    })

    it('refuses a chart bucket outside the range', async () => {
      expect((await serviceError(drill('visits', { bucketStart: '2026-11-03' }))).detail?.field).toBe('bucketStart')
    })
  })

  describe('ranges', () => {
    it('refuses a reversed range, one not started yet, one over ten years and dates not on the calendar', async () => {
      const refused = async (from: string, to: string) => (await serviceError(dashboard(desk.ctx, { from, to }))).detail?.field
      expect(await refused('2026-10-31', '2026-10-01')).toBe('to')
      expect(await refused('2026-12-01', '2026-12-31')).toBe('from')
      expect(await refused('2016-01-01', '2026-01-01')).toBe('from')
      expect(await refused('2026-02-30', '2026-03-31')).toBe('from')
      expect(await refused('2026-02-01', '2026-13-01')).toBe('to')
      const error = await serviceError(dashboard(desk.ctx, { from: '2026-10-31', to: '2026-10-01' }))
      expect(error).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('ends before it starts') })
    })

    it('accepts ten years less a day, a single day, and a range reaching past today (counted to today)', async () => {
      const ctx = desk.ctx
      expect(resolveRange(ctx, { from: '2016-11-26', to: '2026-11-25' }).grain).toBe('month')
      expect(resolveRange(ctx, { from: '2026-11-25', to: '2026-11-25' })).toMatchObject({ days: 1, previous: { from: '2026-11-24', to: '2026-11-24' } })
      const reaching = await dashboard(ctx, { from: '2026-11-01', to: '2026-12-31' })
      expect(reaching.range).toMatchObject({ countedTo: '2026-11-25', days: 25 })
      expect(reaching.series.current).toHaveLength(25)
    })

    it('computes the presets from the clock, in the center zone, beside the same stretch one period earlier', () => {
      // 2026-11-25 15:00 UTC; in Auckland it is already the 26th.
      const r = (preset: Parameters<typeof resolveRange>[1], timeZone = 'UTC') => resolveRange({ ...desk.ctx, timeZone }, preset)
      expect(r({ preset: 'this_month' })).toMatchObject({ from: '2026-11-01', to: '2026-11-30', countedTo: '2026-11-25', previous: { from: '2026-10-01', to: '2026-10-25' } })
      expect(r({ preset: 'this_month' }, 'Pacific/Auckland')).toMatchObject({ countedTo: '2026-11-26' })
      expect(r({ preset: 'last_month' })).toMatchObject({ from: '2026-10-01', to: '2026-10-31', previous: { from: '2026-09-01', to: '2026-09-30' } })
      expect(r({ preset: 'this_quarter' })).toMatchObject({ from: '2026-10-01', to: '2026-12-31', grain: 'day', previous: { from: '2026-07-01', to: '2026-08-25' } })
      expect(r({ preset: 'last_quarter' })).toMatchObject({ from: '2026-07-01', to: '2026-09-30', grain: 'week', previous: { from: '2026-04-01', to: '2026-06-30' } })
      expect(r({ preset: 'this_year' })).toMatchObject({ from: '2026-01-01', countedTo: '2026-11-25', grain: 'month', previous: { from: '2025-01-01', to: '2025-11-25' } })
      expect(r({ preset: 'last_12_months' })).toMatchObject({ from: '2025-11-26', to: '2026-11-25', previous: { from: '2024-11-26', to: '2025-11-25' } })
    })

    it('finds the daylight-saving changes of the center zone to the millisecond', () => {
      const spans = offsetSpans('America/New_York', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-12-31T00:00:00Z'))
      expect(spans.map((span) => span.minutes)).toEqual([-300, -240, -300])
      expect(new Date(spans[1]!.since).toISOString()).toBe('2026-03-08T07:00:00.000Z')
      expect(new Date(spans[2]!.since).toISOString()).toBe('2026-11-01T06:00:00.000Z')
    })
  })

  describe('the hour of a visit on the center clock across a daylight-saving change', () => {
    const own = useRecords(backend)
    it('reads 1 am before the change and 4 am after it', async () => {
      const ny = await setUpCenter(own().db)
      const ctx = { ...ny.ctx, timeZone: 'America/New_York' }
      ny.clock.set('2026-03-08T06:30:00.000Z')
      await signIn(ctx, { participantId: null, services: [] })
      ny.clock.set('2026-03-08T08:30:00.000Z')
      await signIn(ctx, { participantId: null, services: [] })
      ny.clock.set('2026-03-10T12:00:00.000Z')
      const result = await dashboard(ctx, { from: '2026-03-08', to: '2026-03-08' })
      // March 8, 2026 is a Sunday.
      expect(result.heatmap).toEqual([
        { weekday: 6, hour: 1, visits: 1 },
        { weekday: 6, hour: 4, visits: 1 },
      ])
    })
  })

  /**
   * A second center makes the figures the roll-ups gave count from the rows (by-rows.ts, scope.ts).
   * On this center's records both ways must agree, figure for figure, over a month and over three
   * (the roll-ups read whole months and edges differently).
   */
  it('counted from the rows (a scope the roll-ups cannot answer for), every figure is the roll-ups\' own', async () => {
    const db = desk.ctx.db
    const rows: CountScope = { ...WHOLE_DATABASE, centers: [1], rollups: false }
    const spans = offsetSpans('UTC', Date.parse('2026-01-01T00:00:00.000Z'), Date.parse('2026-12-31T00:00:00.000Z'))
    for (const range of [{ from: '2026-10-01', to: '2026-10-31' }, { from: '2026-09-10', to: '2026-11-20' }]) {
      const end = `${range.to}T23:59:59.999Z`
      const all = async (scope: CountScope) => ({
        people: await peopleFigures(db, range, undefined, scope),
        visits: await visitFigures(db, range, scope),
        series: { day: await visitSeries(db, range, 'day', undefined, scope), week: await visitSeries(db, range, 'week', undefined, scope), month: await visitSeries(db, range, 'month', undefined, scope) },
        heatmap: await visitHeatmap(db, range, spans, scope),
        services: await serviceFigures(db, range, undefined, scope),
        referrals: await referralFigures(db, range, end, spans, scope),
        recovery: await recoveryCapitalFigures(db, range, scope),
        groups: await groupFigures(db, range, scope),
        demographics: await demographics(db, range, scope),
      })
      expect(await all(rows)).toEqual(await all(WHOLE_DATABASE))
    }
  })

  if (backend === 'sqlite') describe('query plans', () => {
    const plan = (query: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
      const { sql, parameters } = query.compile()
      return (records().sqlite!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as Array<{ detail: string }>).map((row) => row.detail).join('\n')
    }

    it('counts a range of visits and who came inside the indexes, without reading the rows', () => {
      const range = { from: '2026-10-01', to: '2026-10-31' }
      const db = desk.ctx.db
      expect(plan(db.selectFrom(activePeople(db, range).as('u')).select((eb) => eb.fn.countAll().as('n')))).toContain('SEARCH v USING COVERING INDEX visits_by_date')
      const fresh = plan(db.selectFrom(newPeople(db, range).as('u')).select((eb) => eb.fn.countAll().as('n')))
      expect(fresh).toContain('USING COVERING INDEX visits_by_date')
      expect(fresh).toContain('SEARCH e USING COVERING INDEX visits_by_participant (participant_id=?)')
    })
  })

  if (backend === 'postgres') describe('query plans (PostgreSQL)', () => {
    it('looks up where each still-moving referral stood once a row, however often the count reads it', async () => {
      const db = desk.ctx.db
      const states = referralStates(db, { from: '2026-10-01', to: '2026-10-31' }, '2026-11-01T00:00:00.000Z', { unsettledOnly: true })
      const query = db.selectFrom(states.as('s')).select(['s.status', 's.follow_up_on']).compile()
      const explained = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (COSTS OFF) ${query.sql}`, [...query.parameters]))
      // The standing event is the latest before the end (a backward walk of its referral's events): one such walk in the plan, not one per use.
      expect(explained.rows.filter((row) => /Scan Backward using referral_events_referral/.test(row['QUERY PLAN']))).toHaveLength(1)
    })
  })

  describe("the manager's home and the report settings", () => {
    it('counts follow-ups due by the work list rule and names a failed backup and a failed check', async () => {
      // Ben's detox referral (follow-up Oct 20) is still open; Cara's got help.
      expect(await managerHome(desk.ctx)).toEqual({ today: '2026-11-25', dueFollowUps: 1, failedBackup: null, failedCheck: null })
      await recordBackupAttempt(desk.ctx, { ok: false, scheduled: true, file: null, error: 'The backup drive is not plugged in.' })
      await recordIntegrityCheck(desk.ctx, { ok: false, scheduled: true, problems: ['row 3 missing from index visits_by_date'] })
      expect(await managerHome(desk.ctx)).toMatchObject({
        failedBackup: { error: 'The backup drive is not plugged in.' },
        failedCheck: { problems: ['row 3 missing from index visits_by_date'] },
      })
    })

    it('keeps the suppression threshold, 10 until changed, and audits the change', async () => {
      expect(await getReportSettings(desk.ctx.db)).toEqual({ suppressionThreshold: 10, suppressOnScreen: false })
      await setReportSettings(desk.ctx, { suppressionThreshold: 5, suppressOnScreen: true })
      expect(await getReportSettings(desk.ctx.db)).toEqual({ suppressionThreshold: 5, suppressOnScreen: true })
      const last = await desk.ctx.db.selectFrom('audit_log').select('action').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
      expect(last.action).toBe('settings.reports')
      await setReportSettings(desk.ctx, { suppressionThreshold: 10, suppressOnScreen: false })
    })
  })
})

describe('confidence interval arithmetic', () => {
  it('uses Student t, and has no interval below two people', () => {
    expect(tCritical(1)).toBe(12.706)
    expect(tCritical(30)).toBe(2.042)
    expect(tCritical(60)).toBeCloseTo(2.0003, 3)
    expect(tCritical(1000)).toBeCloseTo(1.9623, 3)
    expect(meanInterval(1, 5, 25)).toBeNull()
    expect(meanInterval(0, 0, 0)).toBeNull()
    // Identical changes: no spread, the interval is the mean itself.
    expect(meanInterval(3, 6, 12)).toEqual({ low: 2, high: 2 })
  })
})

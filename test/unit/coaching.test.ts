import { beforeEach, describe, expect, it } from 'vitest'
import { caseloadFigures } from '../../db/coaching-types'
import { createAssessment } from '../../db/services/assessments'
import { caseload } from '../../db/services/caseload'
import {
  changeMeeting,
  coachingRecord,
  coachOf,
  linkContact,
  logContact,
  renewEngagement,
  scheduleMeetings,
  setEngagementStatus,
  startEngagement,
  transferEngagement,
  warmlineCalls,
} from '../../db/services/coaching'
import { saveGoal, saveStep } from '../../db/services/coaching-plan'
import { planSheet } from '../../db/services/coaching-print'
import { getCenterName } from '../../db/services/setup'
import type { ServiceContext } from '../../db/services/context'
import { createParticipant } from '../../db/services/participants'
import { createStaff } from '../../db/services/staff-accounts'
import { serviceError, useCenter } from './front-desk-helpers'
import { rowCounts } from './helpers'
import { describeEachBackend } from './pg-helpers'

describeEachBackend('peer coaching', (backend) => {
  const desk = useCenter(backend)
  let ctx: ServiceContext
  let coach: number
  let otherCoach: number
  let dana: number
  let sam: number

  // The desk's clock starts at 2026-11-25T15:00Z (a Wednesday), in UTC.
  const TODAY = '2026-11-25'
  const SETTINGS = { staleAfterDays: 14, nearingEndDays: 14 }

  beforeEach(async () => {
    ctx = desk().ctx
    coach = (await createStaff(ctx, { username: 'casey', displayName: 'Casey Coach', role: 'peer_specialist', password: 'a long enough password' })).id
    otherCoach = (await createStaff(ctx, { username: 'morgan', displayName: 'Morgan Lead', role: 'manager', password: 'a long enough password' })).id
    dana = (await createParticipant(ctx, { firstName: 'Dana', lastName: 'Reyes' })).id
    sam = (await createParticipant(ctx, { firstName: 'Sam', lastName: 'Okafor' })).id
  })

  const start = (participantId: number, over: Partial<Parameters<typeof startEngagement>[1]> = {}) =>
    startEngagement(ctx, { participantId, coachId: coach, stage: 'after_treatment', pathways: ['smart', 'twelve_step'], startedOn: '2026-11-02', ...over })

  /** Every table's row count: a refusal must leave them all as they were. */
  const counts = () => rowCounts(desk().ctx.db)

  describe('the caseload figures, on an injected day', () => {
    it('days since contact count from the last contact, or from the start when there has been none', () => {
      expect(caseloadFigures({ startedOn: '2026-11-01', endsOn: '2027-01-30', lastContactOn: '2026-11-20' }, TODAY, SETTINGS)).toMatchObject({ daysSinceContact: 5, stale: false })
      expect(caseloadFigures({ startedOn: '2026-11-01', endsOn: '2027-01-30', lastContactOn: null }, TODAY, SETTINGS)).toMatchObject({ daysSinceContact: 24, stale: true })
      // A contact from before this engagement started does not count for it.
      expect(caseloadFigures({ startedOn: '2026-11-20', endsOn: '2027-02-18', lastContactOn: '2026-10-01' }, TODAY, SETTINGS)).toMatchObject({ daysSinceContact: 5 })
    })

    it('highlights only past the threshold: 14 days is on time, 15 is not', () => {
      expect(caseloadFigures({ startedOn: '2026-10-01', endsOn: '2027-01-01', lastContactOn: '2026-11-11' }, TODAY, SETTINGS).stale).toBe(false)
      expect(caseloadFigures({ startedOn: '2026-10-01', endsOn: '2027-01-01', lastContactOn: '2026-11-10' }, TODAY, SETTINGS).stale).toBe(true)
    })

    it('an engagement is nearing its end within the set days of it, and past it after', () => {
      expect(caseloadFigures({ startedOn: '2026-09-01', endsOn: '2026-12-09', lastContactOn: null }, TODAY, SETTINGS)).toMatchObject({ daysLeft: 14, nearingEnd: true })
      expect(caseloadFigures({ startedOn: '2026-09-01', endsOn: '2026-12-10', lastContactOn: null }, TODAY, SETTINGS)).toMatchObject({ daysLeft: 15, nearingEnd: false })
      expect(caseloadFigures({ startedOn: '2026-09-01', endsOn: '2026-11-20', lastContactOn: null }, TODAY, SETTINGS)).toMatchObject({ daysLeft: -5, nearingEnd: true })
    })

    it('the caseload service reads the day from the context clock, and moves with it', async () => {
      const engagement = await start(dana, { plannedDays: 40 })
      await logContact(ctx, { participantId: dana, contactOn: '2026-11-20', minutes: 30, kind: 'phone', topics: ['Housing'] })
      await scheduleMeetings(ctx, { engagementId: engagement.id, date: '2026-11-26', time: '10:00', kind: 'in_person', repeat: { intervalWeeks: 1, until: '2026-12-10' } })
      await saveGoal(ctx, { participantId: dana, area: 'housing', title: 'A room of my own', setOn: '2026-11-02' })
      const goal = (await coachingRecord(ctx, dana)).goals[0]!
      await saveStep(ctx, { goalId: goal.id, text: 'Call the housing office', targetOn: '2026-11-24' })
      await saveStep(ctx, { goalId: goal.id, text: 'Visit two rooms', targetOn: '2026-12-01' })

      const first = await caseload({ ...ctx, staffId: coach }, coach)
      expect(first.today).toBe(TODAY)
      expect(first.rows).toHaveLength(1)
      expect(first.rows[0]).toMatchObject({
        name: 'Dana Reyes',
        lastContactOn: '2026-11-20',
        daysSinceContact: 5,
        stale: false,
        nextMeeting: { date: '2026-11-26', time: '10:00', kind: 'in_person' },
        stepsDue: 1,
        endsOn: '2026-12-12',
        daysLeft: 17,
        nearingEnd: false,
      })

      desk().clock.set('2026-12-05T15:00:00.000Z')
      const later = await caseload(ctx, coach)
      expect(later.rows[0]).toMatchObject({ daysSinceContact: 15, stale: true, nextMeeting: { date: '2026-12-10' }, stepsDue: 2, daysLeft: 7, nearingEnd: true })
      // Another coach's caseload does not hold Dana; the manager's view of all does.
      expect((await caseload(ctx, otherCoach)).rows).toEqual([])
      expect((await caseload(ctx, null)).rows.map((row) => row.coach.name)).toEqual(['Casey Coach'])
    })
  })

  describe('engagements', () => {
    it('starts with the settings’ planned length, and keeps renewals and transfers in its history', async () => {
      const engagement = await start(dana, { startedOn: undefined })
      expect(engagement).toMatchObject({ startedOn: TODAY, plannedDays: 90, endsOn: '2027-02-23', status: 'active', coach: { name: 'Casey Coach' }, pathways: ['smart', 'twelve_step'] })
      await renewEngagement(ctx, { engagementId: engagement.id, days: 90 })
      const moved = await transferEngagement(ctx, { engagementId: engagement.id, coachId: otherCoach, reason: 'moving to the evening shift' })
      expect(moved.coach.name).toBe('Morgan Lead')
      expect(moved.endsOn).toBe('2027-05-24')
      expect(moved.events.map((e) => e.kind)).toEqual(['start', 'renew', 'transfer'])
      expect(moved.events[2]!.detail).toMatchObject({ fromName: 'Casey Coach', toName: 'Morgan Lead' })
      expect(await coachOf(ctx, dana)).toEqual({ coach: { id: otherCoach, name: 'Morgan Lead' } })
      expect(await coachOf(ctx, sam)).toEqual({ coach: null })
    })

    it('refuses a renewal past ten years in all, saying how many days are left, and writes nothing', async () => {
      const engagement = await start(dana, { plannedDays: 3600 })
      const before = await counts()
      const error = await serviceError(renewEngagement(ctx, { engagementId: engagement.id, days: 90 }))
      expect(error).toMatchObject({ code: 'VALIDATION', key: 'coaching.renewTooLong' })
      expect(error.message).toContain('50')
      expect(await counts()).toEqual(before)
      expect((await renewEngagement(ctx, { engagementId: engagement.id, days: 50 })).plannedDays).toBe(3650)
    })

    it('refuses a second active primary coach, and writes nothing', async () => {
      await start(dana)
      const before = await counts()
      const error = await serviceError(start(dana, { coachId: otherCoach }))
      expect(error.key).toBe('coaching.secondCoach')
      expect(error.message).toContain('Casey Coach')
      expect(await counts()).toEqual(before)
    })

    it('a completed engagement makes room for a new one, and cancels the meetings still ahead', async () => {
      const engagement = await start(dana)
      await scheduleMeetings(ctx, { engagementId: engagement.id, date: '2026-12-02', time: '09:30', kind: 'phone' })
      await setEngagementStatus(ctx, { engagementId: engagement.id, status: 'completed', reason: 'reached the goals set' })
      const record = await coachingRecord(ctx, dana)
      expect(record.current).toBeNull()
      expect(record.past[0]).toMatchObject({ status: 'completed', statusReason: 'reached the goals set' })
      expect(record.meetings[0]).toMatchObject({ status: 'cancelled' })
      expect((await serviceError(renewEngagement(ctx, { engagementId: engagement.id, days: 30 }))).key).toBe('coaching.notOpen')
      expect((await start(dana, { coachId: otherCoach })).coach.name).toBe('Morgan Lead')
    })

    it('refuses a coach who is not a peer specialist or manager', async () => {
      const desk1 = (await createStaff(ctx, { username: 'desk', displayName: 'Desk Person', role: 'front_desk', password: 'a long enough password' })).id
      expect((await serviceError(start(dana, { coachId: desk1 }))).key).toBe('coaching.coachInvalid')
      expect((await serviceError(start(dana, { backupId: coach }))).key).toBe('coaching.sameCoach')
    })
  })

  describe('meetings and contacts', () => {
    it('schedules weekly meetings with rrule-temporal, and refuses a meeting before the engagement started', async () => {
      const engagement = await start(dana)
      const meetings = await scheduleMeetings(ctx, { engagementId: engagement.id, date: '2026-11-26', time: '10:00', kind: 'in_person', repeat: { intervalWeeks: 1, until: '2026-12-17' } })
      expect(meetings.map((m) => m.date)).toEqual(['2026-11-26', '2026-12-03', '2026-12-10', '2026-12-17'])
      const before = await counts()
      const error = await serviceError(scheduleMeetings(ctx, { engagementId: engagement.id, date: '2026-10-30', time: '10:00', kind: 'phone' }))
      expect(error.key).toBe('coaching.beforeStart')
      expect(error.detail).toMatchObject({ field: 'date', date: '2026-11-02' })
      expect((await serviceError(scheduleMeetings(ctx, { engagementId: engagement.id, date: '2026-12-01', time: '10:00', kind: 'phone', repeat: { intervalWeeks: 1, until: '2027-06-01' } }))).key).toBe(
        'coaching.afterEnd',
      )
      expect(await counts()).toEqual(before)
    })

    it('a contact for a meeting marks it held; a missed one is recorded as missed', async () => {
      const engagement = await start(dana)
      const [first, second] = await scheduleMeetings(ctx, { engagementId: engagement.id, date: '2026-11-09', time: '10:00', kind: 'phone', repeat: { intervalWeeks: 1, until: '2026-11-16' } })
      const contact = await logContact(ctx, { participantId: dana, meetingId: first!.id, contactOn: '2026-11-09', minutes: 25, kind: 'phone', topics: ['Housing'], note: 'found a lead', nextSteps: 'call Tuesday' })
      expect(contact).toMatchObject({ engagementId: engagement.id, meetingId: first!.id, topics: ['Housing'], staffName: 'Robin Admin' })
      await changeMeeting(ctx, { meetingId: second!.id, status: 'missed', reason: 'did not answer' })
      const record = await coachingRecord(ctx, dana)
      expect(record.meetings.map((m) => [m.date, m.status])).toEqual([
        ['2026-11-09', 'held'],
        ['2026-11-16', 'missed'],
      ])
      expect((await serviceError(changeMeeting(ctx, { meetingId: second!.id, status: 'cancelled', reason: 'again' }))).key).toBe('coaching.meetingDone')
    })

    it('refuses a contact longer than a day, before the engagement, in the future, or on a topic not on the list; nothing written', async () => {
      const engagement = await start(dana)
      const before = await counts()
      const base = { participantId: dana, engagementId: engagement.id, contactOn: '2026-11-20', minutes: 30, kind: 'phone' as const, topics: [] }
      expect((await serviceError(logContact(ctx, { ...base, minutes: 1441 }))).key).toBe('coaching.tooLong')
      expect((await serviceError(logContact(ctx, { ...base, contactOn: '2026-11-01' }))).key).toBe('coaching.beforeStart')
      expect((await serviceError(logContact(ctx, { ...base, contactOn: '2026-11-26' }))).key).toBe('coaching.future')
      expect((await serviceError(logContact(ctx, { ...base, topics: ['Astrology'] }))).key).toBe('coaching.topicUnknown')
      expect((await serviceError(logContact(ctx, { ...base, participantId: sam }))).key).toBe('coaching.engagementOther')
      expect((await serviceError(logContact(ctx, { ...base, participantId: null, engagementId: null, kind: 'phone' }))).key).toBe('coaching.anonymousOnlyCalls')
      expect(await counts()).toEqual(before)
    })

    it('an anonymous warmline call is listed until it is linked to the person who called', async () => {
      const call = await logContact(ctx, { participantId: null, callerLabel: 'Sam, evening caller', contactOn: '2026-11-20', minutes: 15, kind: 'warmline', topics: ['Cravings and triggers'] })
      expect((await warmlineCalls(ctx)).map((c) => c.id)).toEqual([call.id])
      const linked = await linkContact(ctx, { contactId: call.id, participantId: sam })
      expect(linked.participantId).toBe(sam)
      expect(await warmlineCalls(ctx)).toEqual([])
      expect((await coachingRecord(ctx, sam)).contacts.map((c) => c.id)).toEqual([call.id])
      expect((await serviceError(linkContact(ctx, { contactId: call.id, participantId: dana }))).key).toBe('coaching.alreadyLinked')
    })
  })

  describe('the recovery plan', () => {
    it('keeps goals with steps and every change, and shows the latest BARC-10 beside it', async () => {
      let goals = await saveGoal(ctx, { participantId: dana, area: 'work_education', title: 'Finish my GED', setOn: '2026-11-10' })
      const goalId = goals[0]!.id
      await saveStep(ctx, { goalId, text: 'Sign up for the class', targetOn: '2026-11-20' })
      goals = await saveStep(ctx, { goalId, text: 'Pass the math test', targetOn: '2027-02-01' })
      goals = await saveStep(ctx, { id: goals[0]!.steps[0]!.id, goalId, text: 'Sign up for the class', targetOn: '2026-11-20', progress: 'done' })
      expect(goals[0]).toMatchObject({ progress: 'in_progress', steps: [{ progress: 'done', doneOn: TODAY }, { progress: 'not_started', doneOn: null }] })
      const record = await coachingRecord(ctx, dana)
      expect(record.planHistory).toHaveLength(4)
      expect(record.planHistory[0]!.change).toMatchObject({ before: { progress: 'not_started' }, after: { progress: 'done' } })
      expect(record.barc).toBeNull()
      await createAssessment(ctx, { participantId: dana, takenOn: '2026-11-01', answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] })
      await createAssessment(ctx, { participantId: dana, takenOn: '2026-11-24', answers: [4, 4, 4, 4, 4, 4, 4, 4, 4, 3] })
      expect((await coachingRecord(ctx, dana)).barc).toEqual({ total: 39, takenOn: '2026-11-24', change: 9 })
    })

    it('refuses a step whose target date is before its goal was set, and writes nothing', async () => {
      const goals = await saveGoal(ctx, { participantId: dana, area: 'health', title: 'Walk every day', setOn: '2026-11-10' })
      const before = await counts()
      const error = await serviceError(saveStep(ctx, { goalId: goals[0]!.id, text: 'Buy shoes', targetOn: '2026-11-09' }))
      expect(error.key).toBe('coaching.stepBeforeGoal')
      expect(error.detail).toMatchObject({ field: 'targetOn', date: '2026-11-10' })
      expect(await counts()).toEqual(before)
    })
  })

  describe('a BARC-10 taken at a meeting, and the plan on paper', () => {
    it('links the assessment to the contact, on the contact’s day; refuses another person’s contact or a second one, writing nothing', async () => {
      await start(dana)
      const contact = await logContact(ctx, { participantId: dana, contactOn: '2026-11-20', minutes: 45, kind: 'in_person', topics: [] })
      expect(contact.barc).toBeNull()
      const taken = await createAssessment(ctx, { participantId: dana, contactId: contact.id, answers: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4] })
      expect(taken.takenOn).toBe('2026-11-20')
      const record = await coachingRecord(ctx, dana)
      expect(record.contacts[0]!.barc).toEqual({ assessmentId: taken.id, total: 40 })
      expect(record.barc).toMatchObject({ total: 40, takenOn: '2026-11-20' })

      const before = await counts()
      expect((await serviceError(createAssessment(ctx, { participantId: sam, contactId: contact.id, answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] }))).key).toBe('coaching.contactOther')
      expect((await serviceError(createAssessment(ctx, { participantId: dana, contactId: contact.id, answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] }))).key).toBe('coaching.contactHasBarc')
      expect(await counts()).toEqual(before)
    })

    it('prints the plan with first name and last initial, the coach and the center, leaving set-aside goals off; audited with the language', async () => {
      await start(dana)
      const goals = await saveGoal(ctx, { participantId: dana, area: 'housing', title: 'A room of my own', setOn: '2026-11-02' })
      await saveStep(ctx, { goalId: goals[0]!.id, text: 'Call the housing office', targetOn: '2026-11-30' })
      await saveGoal(ctx, { participantId: dana, area: 'health', title: 'Run a marathon', setOn: '2026-11-02', progress: 'set_aside' })
      const sheet = await planSheet(ctx, { participantId: dana, language: 'es' })
      expect(sheet).toMatchObject({ name: 'Dana R.', coach: 'Casey Coach', printedOn: TODAY, language: 'es' })
      expect(sheet.centerName).toBe(await getCenterName(desk().ctx.db))
      expect(sheet.goals.map((g) => g.title)).toEqual(['A room of my own'])
      expect(sheet.goals[0]!.steps.map((s) => s.text)).toEqual(['Call the housing office'])
      const audit = (await ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'plan.print').execute()).map((row) => String(row.detail))
      expect(audit.map((d) => JSON.parse(d) as unknown)).toEqual([{ language: 'es', goals: 1 }])
    })
  })
})

import { beforeEach, expect, it } from 'vitest'
import { createAssessment, listAssessments, voidAssessment } from '../../db/services/assessments'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { applyRetention, previewRetention, setRetentionPolicy } from '../../db/services/retention'
import { auditActions, expectAuditChainIntact, openDesk, serviceError, type Desk } from './front-desk-helpers'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()
let desk: Desk
let person: number
const answers = (total: number) => {
  // Ten answers from 1 to 6 adding up to `total`.
  const base = Math.floor(total / 10)
  return Array.from({ length: 10 }, (_, i) => base + (i < total % 10 ? 1 : 0))
}

beforeEach(async () => {
  desk = await openDesk(tempDir())
  person = (await createParticipant(desk.ctx, { firstName: 'Dana', lastName: 'Reyes' })).id
})

it('records BARC-10 totals over time, oldest first, and a voided one stays marked with its reason', async () => {
  const first = await createAssessment(desk.ctx, { participantId: person, takenOn: '2026-08-25', answers: answers(31), note: 'Intake' })
  const second = await createAssessment(desk.ctx, { participantId: person, answers: answers(44) })
  expect(first.total).toBe(31)
  expect(second).toMatchObject({ total: 44, takenOn: '2026-11-25', createdByName: 'Robin Admin' })
  const mistake = await createAssessment(desk.ctx, { participantId: person, answers: answers(12) })
  await voidAssessment(desk.ctx, mistake.id, 'Entered for the wrong person')
  const list = await listAssessments(desk.ctx, person)
  expect(list.map((a) => [a.total, a.voidedAt !== null])).toEqual([
    [31, false],
    [44, false],
    [12, true],
  ])
  expect(list[2]!.voidReason).toBe('Entered for the wrong person')
  expect(await serviceError(voidAssessment(desk.ctx, mistake.id, 'again'))).toMatchObject({ code: 'CONFLICT' })
  // The log has what was done, never the answers.
  expect(auditActions(desk.opened)).toEqual(expect.arrayContaining(['assessment.create', 'assessment.void', 'assessment.list']))
  const details = desk.opened.sqlite.prepare(`SELECT detail FROM audit_log WHERE action LIKE 'assessment.%'`).pluck().all() as string[]
  expect(details.join()).not.toContain('answers')
  await expectAuditChainIntact(desk.opened)
})

it('refuses missing or out-of-range answers and a future date, and writes nothing', async () => {
  expect((await serviceError(createAssessment(desk.ctx, { participantId: person, answers: answers(30).slice(0, 9) }))).detail).toMatchObject({ field: 'answers' })
  expect((await serviceError(createAssessment(desk.ctx, { participantId: person, answers: [7, ...answers(30).slice(1)] }))).detail).toMatchObject({ field: 'answers' })
  expect((await serviceError(createAssessment(desk.ctx, { participantId: person, takenOn: '2026-12-01', answers: answers(30) }))).detail).toMatchObject({ field: 'takenOn' })
  expect(desk.opened.sqlite.prepare('SELECT count(*) FROM assessments').pluck().get()).toBe(0)
})

it('follows a merge and its undo, and retention keeps the scores while clearing the notes', async () => {
  const twin = (await createParticipant(desk.ctx, { firstName: 'Dana' })).id
  const made = await createAssessment(desk.ctx, { participantId: twin, answers: answers(40), note: 'Talked about housing' })
  const merge = await mergeParticipants(desk.ctx, person, twin)
  expect((await listAssessments(desk.ctx, person)).map((a) => a.id)).toEqual([made.id])
  await undoMerge(desk.ctx, merge.id)
  expect((await listAssessments(desk.ctx, twin)).map((a) => a.id)).toEqual([made.id])

  await setRetentionPolicy(desk.ctx, { enabled: true, years: 1, mode: 'deidentify' })
  desk.clock.set('2028-01-01T15:00:00.000Z')
  expect(await previewRetention(desk.ctx)).toMatchObject({ people: 2, assessments: 1 })
  await applyRetention(desk.ctx)
  expect(desk.opened.sqlite.prepare('SELECT total, note FROM assessments').get()).toEqual({ total: 40, note: null })
})

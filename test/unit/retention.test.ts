import { describe, expect, it } from 'vitest'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { applyRetention, getRetentionPolicy, previewRetention, REMOVED_NAME, setRetentionPolicy } from '../../db/services/retention'
import { searchParticipants } from '../../db/services/search'
import { signIn, updateVisit } from '../../db/services/visits'
import { auditActions, expectAuditChainIntact, openDesk, serviceError, type Desk } from './front-desk-helpers'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()

/** Totals a funder report for a period reads: visits, unduplicated people, services given, by year. */
function totals(desk: Desk) {
  return desk.opened.sqlite
    .prepare(
      `SELECT substr(v.visit_date, 1, 4) AS year, count(DISTINCT v.id) AS visits, count(DISTINCT v.participant_id) AS people,
              coalesce((SELECT sum(quantity) FROM visit_services s JOIN visits w ON w.id = s.visit_id
                        WHERE substr(w.visit_date, 1, 4) = substr(v.visit_date, 1, 4) AND w.voided_at IS NULL), 0) AS services
       FROM visits v WHERE v.voided_at IS NULL GROUP BY year ORDER BY year`,
    )
    .all()
}

/** Old regulars (seen in 2016), one merged into another, and a recent visitor. */
async function history(desk: Desk) {
  const { ctx, clock, services } = desk
  const meal = services.meal ?? Object.values(services)[0]!
  clock.set('2016-03-01T15:00:00.000Z')
  const ana = await createParticipant(ctx, { firstName: 'Ana', lastName: 'Old', birthYear: 1920, phone: '555-010-2222' })
  const ana2 = await createParticipant(ctx, { firstName: 'Anna', lastName: 'Old', birthYear: 1960 })
  const ben = await createParticipant(ctx, { firstName: 'Ben', lastName: 'Gone', birthYear: 1970 })
  const visit = await signIn(ctx, { participantId: ana.id, services: [{ serviceId: meal.id, quantity: 2 }], note: 'talked about her son' })
  await signIn(ctx, { participantId: ben.id, services: [{ serviceId: meal.id, quantity: 1 }] })
  clock.advance(60 * 24)
  await signIn(ctx, { participantId: ana2.id, services: [{ serviceId: meal.id, quantity: 1 }] })
  await updateVisit(ctx, visit.id, { services: [{ serviceId: meal.id, quantity: 2 }], note: 'talked about her son, again', reason: 'added detail' })
  await mergeParticipants(ctx, ana.id, ana2.id, 'same person, Ana Old')
  clock.set('2026-11-20T15:00:00.000Z')
  const cara = await createParticipant(ctx, { firstName: 'Cara', lastName: 'Recent', birthYear: 1990 })
  await signIn(ctx, { participantId: cara.id, services: [{ serviceId: meal.id, quantity: 1 }] })
  clock.set('2026-11-25T15:00:00.000Z')
  return { ana, ana2, ben, cara }
}

describe('retention', () => {
  it('is off by default, and applying it while off changes nothing', async () => {
    const desk = await openDesk(tempDir())
    expect(await getRetentionPolicy(desk.opened.db)).toEqual({ enabled: false, years: 7, mode: 'deidentify' })
    expect((await serviceError(applyRetention(desk.ctx))).code).toBe('CONFLICT')
    await desk.opened.close()
  })

  it('dry run counts first; applying de-identifies people idle for N years, keeps every past total, and audits it', async () => {
    const desk = await openDesk(tempDir())
    const { ana, ana2, ben, cara } = await history(desk)
    const before = totals(desk)

    const dry = await previewRetention(desk.ctx, { years: 5 })
    expect(dry).toMatchObject({ people: 2, mergedRecords: 1, visits: 3, visitNotes: 1, visitChanges: 1, cutoff: '2021-11-25T15:00:00.000Z' })
    // The dry run writes nothing.
    expect(desk.opened.sqlite.prepare(`SELECT count(*) FROM participants WHERE deidentified_at IS NOT NULL`).pluck().get()).toBe(0)

    await setRetentionPolicy(desk.ctx, { enabled: true, years: 5, mode: 'deidentify' })
    expect((await serviceError(applyRetention(desk.ctx, { expectedPeople: 3 }))).code).toBe('CONFLICT')
    const result = await applyRetention(desk.ctx, { expectedPeople: 2 })
    expect(result.people).toBe(2)

    expect(totals(desk)).toEqual(before)
    const row = (id: number) => desk.opened.sqlite.prepare(`SELECT * FROM participants WHERE id = ?`).get(id) as Record<string, unknown>
    for (const id of [ana.id, ana2.id, ben.id]) {
      expect(row(id)).toMatchObject({ first_name: REMOVED_NAME, last_name: null, phone: null, phone_digits: null, name_key: '', code: `~${id}` })
      expect(row(id).deidentified_at).toBe('2026-11-25T15:00:00.000Z')
      expect(row(id).deleted_at).not.toBeNull()
    }
    // De-identify keeps coarse demographics, but not a birth year that makes someone 90 or older.
    expect(row(ben.id).birth_year).toBe(1970)
    expect(row(ana.id).birth_year).toBeNull()
    expect(row(cara.id)).toMatchObject({ first_name: 'Cara', deidentified_at: null })

    const text = JSON.stringify(desk.opened.sqlite.prepare(`SELECT * FROM visits`).all()) + JSON.stringify(desk.opened.sqlite.prepare(`SELECT * FROM visit_changes`).all()) + JSON.stringify(desk.opened.sqlite.prepare(`SELECT * FROM participant_merges`).all())
    for (const secret of ['her son', 'Ana Old', 'added detail', ana.code, ana2.code]) expect(text).not.toContain(secret)
    expect(desk.opened.sqlite.prepare(`SELECT count(*) FROM participant_aliases`).pluck().get()).toBe(0)
    expect((await searchParticipants(desk.ctx, 'Ana')).length).toBe(0)
    expect((await searchParticipants(desk.ctx, 'Cara')).length).toBe(1)

    expect(auditActions(desk.opened)).toContain('retention.apply')
    const audit = desk.opened.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'retention.apply'`).pluck().get() as string
    expect(JSON.parse(audit)).toMatchObject({ people: 2, visits: 3, years: 5, mode: 'deidentify', scheduled: false })
    await expectAuditChainIntact(desk.opened)

    // A merge between de-identified records cannot be undone (the codes it would restore are gone).
    const mergeId = desk.opened.sqlite.prepare(`SELECT id FROM participant_merges`).pluck().get() as number
    expect((await serviceError(undoMerge(desk.ctx, mergeId))).message).toMatch(/de-identified/)

    // Nothing more is due; a second run touches nothing.
    expect((await previewRetention(desk.ctx)).people).toBe(0)
    await desk.opened.close()
  })

  it('purge also clears demographics; visit_changes stays append-only for anything but redaction', async () => {
    const desk = await openDesk(tempDir())
    const { ben } = await history(desk)
    await setRetentionPolicy(desk.ctx, { enabled: true, years: 5, mode: 'purge' })
    await applyRetention(desk.ctx)
    expect(desk.opened.sqlite.prepare(`SELECT birth_year FROM participants WHERE id = ?`).pluck().get(ben.id)).toBeNull()
    expect(() => desk.opened.sqlite.prepare(`UPDATE visit_changes SET before = '{}'`).run()).toThrow(/append-only/)
    expect(() => desk.opened.sqlite.prepare(`UPDATE visit_changes SET at = 'x', before = '{"redacted":true}', after = '{"redacted":true}'`).run()).toThrow(/append-only/)
    await desk.opened.close()
  })

  it('refuses a policy outside 1–50 years with a field error', async () => {
    const desk = await openDesk(tempDir())
    const error = await serviceError(setRetentionPolicy(desk.ctx, { enabled: true, years: 0, mode: 'purge' }))
    expect(error).toMatchObject({ code: 'VALIDATION', detail: { field: 'years' } })
    await desk.opened.close()
  })
})

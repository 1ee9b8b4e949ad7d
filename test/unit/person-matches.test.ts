import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { createCenter, setCountingRule } from '../../db/services/centers'
import { setFieldRules } from '../../db/services/field-rules'
import type { ServiceContext } from '../../db/services/context'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { confirmMatch, dismissMatch, listPersonMatches, orgPersonKey, orgPersonKeys, undoMatch, type Matcher } from '../../db/services/person-matches'
import { applyRetention, setRetentionPolicy } from '../../db/services/retention'
import { signIn } from '../../db/services/visits'
import { auditActionsOf, serviceError, useCenter } from './front-desk-helpers'
import { describeEachBackend } from './pg-helpers'

/**
 * Matching a person's records across centers (issue 15 point 4, migration 0060): the review's
 * candidates come from the desk's duplicate scorer, confirm / not the same / undo are an admin's
 * and audited, merges within a center carry a match, retention drops it, and the counting seam
 * counts a matched person once only while the centers match people. Both backends.
 */
describeEachBackend('person matches across centers', (backend) => {
  const center = useCenter(backend)

  async function twoCenters() {
    const { ctx, adminId, clock } = center()
    const north = await createCenter(ctx, { name: 'North Side' })
    // Dates of birth are what the review shows; a center collects them only when it says so.
    await setFieldRules(ctx, { birthDate: 'optional' })
    const harbor = { ...ctx, centerId: 1 }
    const northCtx = { ...ctx, centerId: north.id }
    const admin: Matcher = { id: adminId, role: 'admin' }
    return { ctx, harbor, northCtx, north, admin, clock }
  }

  const person = (ctx: ServiceContext, firstName: string, lastName: string, birthDate: string | null, birthYear?: number) =>
    createParticipant(ctx, { firstName, lastName, birthDate, birthYear: birthYear ?? (birthDate ? Number(birthDate.slice(0, 4)) : null) })

  /** Unduplicated people who visited, counted by the organization person key: the seam the organization's figures use. */
  async function countPeople(ctx: ServiceContext, matchPeople: boolean): Promise<number> {
    const row = await ctx.db
      .selectFrom('visits as v')
      .select(sql<number>`count(DISTINCT ${orgPersonKey('v.participant_id', matchPeople)})`.as('n'))
      .where('v.participant_id', 'is not', null)
      .where('v.voided_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  it('proposes pairs of different centers the duplicate scorer finds, never within one center; confirm joins them, and the seam counts them once only while matchPeople is on', async () => {
    const { ctx, harbor, northCtx, north, admin } = await twoCenters()
    const maria = await person(harbor, 'Maria', 'Lopez', '1980-03-04')
    const mariaNorth = await person(northCtx, 'María', 'López', '1980-03-04')
    // Same year and last name, a first name two edits away: "similar_name".
    const jon = await person(harbor, 'Jon', 'Reyes', null, 1975)
    const john = await person(northCtx, 'John', 'Reyes', null, 1975)
    // Two dates of birth that differ: two people, whatever their names.
    await person(harbor, 'Ana', 'Diaz', '1990-01-01')
    await person(northCtx, 'Ana', 'Diaz', '1990-06-30')
    // One center's near-duplicates are a merge's business, not a match's.
    await person(harbor, 'Sam', 'Hill', '1970-01-01')
    await person(harbor, 'Sam', 'Hill', '1970-01-01')

    // Off: nothing proposed, and no write is taken.
    expect(await listPersonMatches(ctx, admin)).toEqual({ matchPeople: false, candidates: [], groups: [] })
    expect(await serviceError(confirmMatch(ctx, admin, { firstId: maria.id, secondId: mariaNorth.id }))).toMatchObject({ code: 'CONFLICT', key: 'personMatches.off' })

    await setCountingRule(ctx, { matchPeople: true })
    const review = await listPersonMatches(ctx, admin)
    expect(review.candidates.map((c) => [c.first.id, c.second.id, c.reasons])).toEqual([
      [maria.id, mariaNorth.id, ['same_name_birth_year']],
      [jon.id, john.id, ['similar_name']],
    ])
    expect(review.candidates[0]!.first).toEqual({ id: maria.id, centerId: 1, centerName: 'Harbor House', firstName: 'Maria', nickname: null, lastName: 'Lopez', birthDate: '1980-03-04', birthYear: 1980, lastVisitAt: null })
    expect(review.candidates[0]!.second).toMatchObject({ centerId: north.id, centerName: 'North Side' })

    // Visits: Maria at both centers, Jon at Harbor, John at North.
    for (const [c, id] of [[harbor, maria.id], [northCtx, mariaNorth.id], [harbor, jon.id], [northCtx, john.id]] as const) await signIn(c, { participantId: id, services: [] })
    expect(await countPeople(ctx, true)).toBe(4)

    const group = await confirmMatch(ctx, admin, { firstId: mariaNorth.id, secondId: maria.id })
    expect(group.key).toBe(maria.id)
    expect(group.records.map((r) => [r.id, r.centerName, r.version])).toEqual([
      [maria.id, 'Harbor House', 1],
      [mariaNorth.id, 'North Side', 1],
    ])
    expect(await orgPersonKeys(ctx.db)).toEqual(new Map([[maria.id, maria.id], [mariaNorth.id, maria.id]]))
    expect(await countPeople(ctx, true)).toBe(3)
    // Off again: the match is kept, but each center's record counts as its own person.
    expect(await countPeople(ctx, false)).toBe(4)

    // Not the same: the Jon/John pair is not proposed again; a confirmed pair is not either.
    await dismissMatch(ctx, admin, { firstId: john.id, secondId: jon.id })
    const after = await listPersonMatches(ctx, admin)
    expect(after.candidates).toEqual([])
    expect(after.groups.map((g) => g.key)).toEqual([maria.id])

    // Records of one center are merged, not matched; a record not there is refused.
    const sams = await ctx.db.selectFrom('participants').select('id').where('first_name', '=', 'Sam').orderBy('id').execute()
    expect(await serviceError(confirmMatch(ctx, admin, { firstId: sams[0]!.id, secondId: sams[1]!.id }))).toMatchObject({ code: 'VALIDATION', key: 'personMatches.sameCenter' })
    expect(await serviceError(confirmMatch(ctx, admin, { firstId: maria.id, secondId: 99_999 }))).toMatchObject({ code: 'NOT_FOUND' })
    // Only an admin: a manager is refused by the service too, not only by the door.
    expect(await serviceError(listPersonMatches(ctx, { id: admin.id, role: 'manager' }))).toMatchObject({ code: 'FORBIDDEN', key: 'personMatches.adminOnly' })

    expect((await auditActionsOf(ctx.db)).filter((a) => a.startsWith('person_match.'))).toEqual(['person_match.list', 'person_match.list', 'person_match.confirm', 'person_match.dismiss', 'person_match.list'])
  })

  it('undo takes a record out with its row version; a group left with one center goes; groups join through a shared record and keep the smallest id as key', async () => {
    const { ctx, harbor, northCtx, admin } = await twoCenters()
    const east = await createCenter(ctx, { name: 'East End' })
    const eastCtx = { ...ctx, centerId: east.id }
    await setCountingRule(ctx, { matchPeople: true })
    const a = await person(harbor, 'Lee', 'Park', '1985-05-05')
    const b = await person(northCtx, 'Lee', 'Park', '1985-05-05')
    const c = await person(eastCtx, 'Lee', 'Park', '1985-05-05')
    await confirmMatch(ctx, admin, { firstId: b.id, secondId: c.id })
    expect(await orgPersonKeys(ctx.db)).toEqual(new Map([[b.id, b.id], [c.id, b.id]]))
    // a joins the b-c group: the key becomes a's (the smallest), and the versions move on.
    const joined = await confirmMatch(ctx, admin, { firstId: a.id, secondId: c.id })
    expect(joined.key).toBe(a.id)
    expect(joined.records.map((r) => [r.id, r.version])).toEqual([
      [a.id, 1],
      [b.id, 2],
      [c.id, 2],
    ])
    // A stale version is refused; the key's own record leaves and the key moves to the next.
    expect(await serviceError(undoMatch(ctx, admin, { participantId: b.id, version: 1 }))).toMatchObject({ code: 'STALE' })
    await undoMatch(ctx, admin, { participantId: a.id, version: 1 })
    expect(await orgPersonKeys(ctx.db)).toEqual(new Map([[b.id, b.id], [c.id, b.id]]))
    // Two records left of two centers: one more undo leaves none (a group needs two centers).
    await undoMatch(ctx, admin, { participantId: c.id, version: 3 })
    expect(await orgPersonKeys(ctx.db)).toEqual(new Map())
    expect(await serviceError(undoMatch(ctx, admin, { participantId: c.id }))).toMatchObject({ code: 'NOT_FOUND', key: 'personMatches.notFound' })
    const undo = await ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'person_match.undo').orderBy('id').execute()
    expect(undo.map((row) => JSON.parse(row.detail!))).toEqual([
      { key: a.id, removed: [a.id], groupKept: true },
      { key: b.id, removed: [c.id], groupKept: false },
    ])
  })

  it('a merge within a center carries the match to the kept record, and its undo carries it back', async () => {
    const { ctx, harbor, northCtx, admin } = await twoCenters()
    await setCountingRule(ctx, { matchPeople: true })
    const kept = await person(harbor, 'Rosa', 'Vega', '1992-02-02')
    const dup = await person(harbor, 'Rosa', 'Vega', '1992-02-02')
    const north = await person(northCtx, 'Rosa', 'Vega', '1992-02-02')
    await signIn(harbor, { participantId: dup.id, services: [] })
    await signIn(northCtx, { participantId: north.id, services: [] })
    await confirmMatch(ctx, admin, { firstId: dup.id, secondId: north.id })
    expect(await countPeople(ctx, true)).toBe(1)

    // The duplicate (and its visit) goes into the kept record, which takes its match.
    const merge = await mergeParticipants(harbor, kept.id, dup.id)
    expect(await orgPersonKeys(ctx.db)).toEqual(new Map([[kept.id, kept.id], [dup.id, kept.id], [north.id, kept.id]]))
    expect(await countPeople(ctx, true)).toBe(1)
    // The review shows the kept record, not the merged one.
    expect((await listPersonMatches(ctx, admin)).groups.map((g) => g.records.map((r) => r.id))).toEqual([[kept.id, north.id]])
    const audit = await ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'participant.merge').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail!)).toMatchObject({ match: 'carried' })

    await undoMerge(harbor, merge.id)
    expect(await orgPersonKeys(ctx.db)).toEqual(new Map([[dup.id, dup.id], [north.id, dup.id]]))
    expect(await countPeople(ctx, true)).toBe(1)
  })

  it('a record the retention policy removes drops out of its group (and a group left with one center goes)', async () => {
    const { ctx, harbor, northCtx, admin, clock } = await twoCenters()
    await setCountingRule(ctx, { matchPeople: true })
    clock.set('2018-01-10T15:00:00.000Z')
    const old = await person(harbor, 'Tom', 'Gray', '1960-07-07')
    await signIn(harbor, { participantId: old.id, services: [] })
    clock.set('2026-11-25T15:00:00.000Z')
    const recent = await person(northCtx, 'Tom', 'Gray', '1960-07-07')
    await signIn(northCtx, { participantId: recent.id, services: [] })
    await confirmMatch(ctx, admin, { firstId: old.id, secondId: recent.id })
    await setRetentionPolicy(ctx, { enabled: true, years: 5, mode: 'deidentify' })
    await applyRetention(ctx)
    expect(await orgPersonKeys(ctx.db)).toEqual(new Map())
    // Its visits still count (retention keeps totals), now as their own person.
    expect(await countPeople(ctx, true)).toBe(2)
  })
})

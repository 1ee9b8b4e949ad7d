import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addService, listActiveServices, listAllServices, reorderServices, retireService, updateService } from '../../db/services/catalog'
import { createParticipant } from '../../db/services/participants'
import { getParticipantProfile } from '../../db/services/profile'
import { anonymousCodes, signIn, signOut, signOutAll, todayVisits, updateVisit, voidVisit } from '../../db/services/visits'
import { auditActions, expectAuditChainIntact, openDesk, serviceError, serviceErrorCode, type Desk } from './front-desk-helpers'
import { tableCounts, useTempDirs } from './helpers'
import type { TodayFilter } from '../../db/services/visits'
import type { TodayVisit } from '../../db/types'

// The renderer's own function that puts a sign-in's or sign-out's answer on the desk's board at
// once (loaded by path: the renderer's files are outside this project's type check).
const { boardWithVisit } = (await import(/* @vite-ignore */ join(resolve(import.meta.dirname, '../..'), 'renderer/src/visits/board-with-visit.ts'))) as {
  boardWithVisit: (board: readonly TodayVisit[], visit: TodayVisit, filter: TodayFilter) => TodayVisit[]
}

const tempDir = useTempDirs()
let desk: Desk

beforeEach(async () => {
  desk = await openDesk(tempDir())
})

afterEach(async () => {
  await expectAuditChainIntact(desk.opened)
  await desk.opened.close()
})

function changes(visitId: number) {
  return (
    desk.opened.sqlite.prepare('SELECT kind, reason, before, after, staff_id FROM visit_changes WHERE visit_id = ? ORDER BY id').all(visitId) as Array<{
      kind: string
      reason: string | null
      before: string
      after: string
      staff_id: number | null
    }>
  ).map((row) => ({ ...row, before: JSON.parse(row.before) as unknown, after: JSON.parse(row.after) as unknown }))
}

describe('signing out', () => {
  it('signs one visit out with the time, records it, and refuses a second sign-out or a voided visit', async () => {
    const ana = await createParticipant(desk.ctx, { firstName: 'Ana' })
    const visit = await signIn(desk.ctx, { participantId: ana.id, services: [] })
    desk.clock.advance(95)
    const out = await signOut(desk.ctx, visit.id)
    expect(out.signedOutAt).toBe(desk.clock.now().toISOString())
    expect(new Date(out.signedOutAt!).getTime() - new Date(out.signedInAt).getTime()).toBe(95 * 60_000)
    expect(changes(visit.id)).toEqual([{ kind: 'sign_out', reason: null, before: { signedOutAt: null }, after: { signedOutAt: out.signedOutAt }, staff_id: desk.adminId }])
    expect(await serviceError(signOut(desk.ctx, visit.id))).toMatchObject({ code: 'CONFLICT', detail: { signedOutAt: out.signedOutAt } })
    const other = await signIn(desk.ctx, { participantId: null, services: [] })
    await voidVisit(desk.ctx, other.id, 'test entry')
    expect(await serviceErrorCode(signOut(desk.ctx, other.id))).toBe('CONFLICT')
    expect(await serviceErrorCode(signOut(desk.ctx, 99_999))).toBe('NOT_FOUND')
    // Signed out, the same person may sign in again today without the repeat warning.
    expect((await signIn(desk.ctx, { participantId: ana.id, services: [] })).participant?.id).toBe(ana.id)
  })

  it('end of day signs out everyone still here today, and only them', async () => {
    const people = await Promise.all(['Ana', 'Bo', 'Cy'].map((firstName) => createParticipant(desk.ctx, { firstName })))
    desk.clock.set('2026-11-24T16:00:00.000Z')
    const yesterday = await signIn(desk.ctx, { participantId: people[0]!.id, services: [] })
    desk.clock.set('2026-11-25T14:00:00.000Z')
    const here = await Promise.all(people.map((p) => signIn(desk.ctx, { participantId: p.id, services: [] })))
    const anonymous = await signIn(desk.ctx, { participantId: null, anonymousCode: 'blue7', services: [] })
    await signOut(desk.ctx, here[1]!.id)
    await voidVisit(desk.ctx, here[2]!.id, 'entered twice')
    desk.clock.advance(180)

    expect(await signOutAll(desk.ctx)).toEqual({ count: 2 })
    const board = await todayVisits(desk.ctx)
    expect(board.every((v) => v.signedOutAt !== null)).toBe(true)
    expect(board.map((v) => v.id).sort()).toEqual([here[0]!.id, here[1]!.id, anonymous.id].sort())
    expect(changes(here[0]!.id).map((c) => c.kind)).toEqual(['sign_out_all'])
    expect(changes(anonymous.id).map((c) => c.kind)).toEqual(['sign_out_all'])
    // Yesterday's open visit is not "today"; it stays open for the desk to fix by hand.
    expect(changes(yesterday.id)).toEqual([])
    expect(desk.opened.sqlite.prepare('SELECT signed_out_at FROM visits WHERE id = ?').get(yesterday.id)).toEqual({ signed_out_at: null })
    expect(await signOutAll(desk.ctx)).toEqual({ count: 0 })
    expect(auditActions(desk.opened).filter((a) => a === 'visit.sign_out_all')).toHaveLength(2)
  })
})

describe('today’s board filters', () => {
  it('keeps {} meaning everyone, and filters by here/left and by service; voided visits never show', async () => {
    const { meal, shower } = desk.services
    const a = await signIn(desk.ctx, { participantId: null, services: [{ serviceId: meal!.id, quantity: 1 }] })
    const b = await signIn(desk.ctx, { participantId: null, services: [{ serviceId: shower!.id, quantity: 1 }] })
    const c = await signIn(desk.ctx, { participantId: null, services: [{ serviceId: meal!.id, quantity: 2 }, { serviceId: shower!.id, quantity: 1 }] })
    const d = await signIn(desk.ctx, { participantId: null, services: [{ serviceId: meal!.id, quantity: 1 }] })
    await signOut(desk.ctx, b.id)
    await voidVisit(desk.ctx, d.id, 'wrong button')
    const ids = async (filter?: Parameters<typeof todayVisits>[1]) => (await todayVisits(desk.ctx, filter)).map((v) => v.id).sort()
    expect(await ids()).toEqual([a.id, b.id, c.id].sort())
    expect(await ids({})).toEqual([a.id, b.id, c.id].sort())
    expect(await ids({ status: 'all' })).toEqual([a.id, b.id, c.id].sort())
    expect(await ids({ status: 'here' })).toEqual([a.id, c.id].sort())
    expect(await ids({ status: 'left' })).toEqual([b.id])
    expect(await ids({ serviceId: meal!.id })).toEqual([a.id, c.id].sort())
    expect(await ids({ status: 'left', serviceId: shower!.id })).toEqual([b.id])
    expect(await ids({ status: 'left', serviceId: meal!.id })).toEqual([])
  })
})

describe('the board on screen after a sign-in or sign-out', () => {
  it('equals main’s board read again, for every filter, in main’s order', async () => {
    const { meal, shower } = desk.services
    const people = await Promise.all(['Ana', 'Bo', 'Cy', 'Di'].map((firstName) => createParticipant(desk.ctx, { firstName })))
    const filters: TodayFilter[] = [
      { status: 'all' },
      { status: 'here' },
      { status: 'left' },
      { status: 'all', serviceId: meal!.id },
      { status: 'here', serviceId: shower!.id },
      { status: 'left', serviceId: meal!.id },
    ]
    let shown = await Promise.all(filters.map((filter) => todayVisits(desk.ctx, filter)))
    const expectFolded = async (visit: TodayVisit) => {
      shown = shown.map((board, i) => boardWithVisit(board, visit, filters[i]!))
      expect(shown).toEqual(await Promise.all(filters.map((filter) => todayVisits(desk.ctx, filter))))
    }
    // Two sign-ins in the same millisecond (the higher id first), one earlier by hand, an anonymous one.
    await expectFolded(await signIn(desk.ctx, { participantId: people[0]!.id, services: [{ serviceId: meal!.id, quantity: 2 }] }))
    await expectFolded(await signIn(desk.ctx, { participantId: people[1]!.id, services: [{ serviceId: shower!.id, quantity: 1 }] }))
    desk.clock.advance(5)
    await expectFolded(await signIn(desk.ctx, { participantId: null, anonymousCode: 'blue7', services: [{ serviceId: meal!.id, quantity: 1 }, { serviceId: shower!.id, quantity: 1 }] }))
    desk.clock.advance(5)
    const cy = await signIn(desk.ctx, { participantId: people[2]!.id, services: [] })
    await expectFolded(cy)
    desk.clock.advance(30)
    // Signed out: off "here", onto "left" in its place by sign-in time, changed in place on "all".
    await expectFolded(await signOut(desk.ctx, cy.id))
    await expectFolded(await signOut(desk.ctx, shown[0]!.find((v) => v.participant?.id === people[0]!.id)!.id))
    await expectFolded(await signIn(desk.ctx, { participantId: people[3]!.id, services: [{ serviceId: shower!.id, quantity: 1 }] }))
    expect(shown[0]!.map((v) => v.participant?.firstName ?? v.anonymousCode)).toEqual(['Di', 'Cy', 'BLUE7', 'Bo', 'Ana'])
  })
})

describe('editing and voiding visits', () => {
  it('edits services, note and times with a reason, recording before and after', async () => {
    const { meal, shower, laundry } = desk.services
    const person = await createParticipant(desk.ctx, { firstName: 'Eli' })
    const visit = await signIn(desk.ctx, { participantId: person.id, services: [{ serviceId: meal!.id, quantity: 1 }], note: 'first time' })
    desk.clock.advance(60)
    const signedInAt = new Date(new Date(visit.signedInAt).getTime() - 30 * 60_000).toISOString()
    const signedOutAt = desk.clock.now().toISOString()
    const edited = await updateVisit(desk.ctx, visit.id, {
      services: [{ serviceId: shower!.id, quantity: 1 }, { serviceId: meal!.id, quantity: 2 }],
      note: '',
      signedInAt,
      signedOutAt,
      reason: 'forgot the shower; came in earlier',
    })
    expect(edited).toMatchObject({ signedInAt, signedOutAt, note: null })
    expect(edited.services.map((s) => [s.key, s.quantity])).toEqual([['meal', 2], ['shower', 1]])
    expect(changes(visit.id)).toEqual([
      {
        kind: 'edit',
        reason: 'forgot the shower; came in earlier',
        staff_id: desk.adminId,
        before: { signedInAt: visit.signedInAt, signedOutAt: null, note: 'first time', services: [{ serviceId: meal!.id, quantity: 1 }] },
        after: { signedInAt, signedOutAt, note: null, services: [{ serviceId: meal!.id, quantity: 2 }, { serviceId: shower!.id, quantity: 1 }] },
      },
    ])
    // Note left out: unchanged. Same content again: nothing written.
    const before = tableCounts(desk.opened)
    await updateVisit(desk.ctx, visit.id, { services: [{ serviceId: meal!.id, quantity: 2 }, { serviceId: shower!.id, quantity: 1 }], reason: 'no change' })
    expect(tableCounts(desk.opened)).toEqual(before)

    const refusals: Array<[Parameters<typeof updateVisit>[2], string]> = [
      [{ services: [], reason: '  ' }, 'reason'],
      [{ services: [], signedOutAt: new Date(new Date(signedInAt).getTime() - 60_000).toISOString(), reason: 'typo fix' }, 'signedOutAt'],
      [{ services: [], signedInAt: new Date(desk.clock.now().getTime() + 3_600_000).toISOString(), reason: 'typo fix' }, 'signedInAt'],
      [{ services: [{ serviceId: laundry!.id, quantity: 1 }, { serviceId: laundry!.id, quantity: 1 }], reason: 'typo fix' }, 'services'],
      [{ services: [{ serviceId: laundry!.id, quantity: 3 }], reason: 'typo fix' }, 'services'],
      [{ services: [{ serviceId: 9_999, quantity: 1 }], reason: 'typo fix' }, 'services'],
    ]
    for (const [input, field] of refusals) {
      expect(await serviceError(updateVisit(desk.ctx, visit.id, input)), JSON.stringify(input)).toMatchObject({ code: 'VALIDATION', detail: { field } })
    }
    expect(tableCounts(desk.opened)).toEqual(before)
    expect(await serviceErrorCode(updateVisit(desk.ctx, 99_999, { services: [], reason: 'typo fix' }))).toBe('NOT_FOUND')
  })

  it('voids with a reason: out of today, out of counts, kept in history and in visit_changes; not twice', async () => {
    const person = await createParticipant(desk.ctx, { firstName: 'Flo' })
    const visit = await signIn(desk.ctx, { participantId: person.id, services: [{ serviceId: desk.services.meal!.id, quantity: 1 }] })
    expect(await serviceError(voidVisit(desk.ctx, visit.id, ''))).toMatchObject({ code: 'VALIDATION', detail: { field: 'reason' } })
    await voidVisit(desk.ctx, visit.id, 'signed in the wrong Flo')
    expect(await todayVisits(desk.ctx)).toEqual([])
    const change = changes(visit.id)
    expect(change).toHaveLength(1)
    expect(change[0]).toMatchObject({ kind: 'void', reason: 'signed in the wrong Flo', before: { voidedAt: null, voidReason: null }, after: { voidReason: 'signed in the wrong Flo' } })
    const profile = await getParticipantProfile(desk.ctx, person.id)
    expect(profile.participant).toMatchObject({ visitCount: 0, lastVisitAt: null })
    expect(profile.visits).toHaveLength(1)
    expect(profile.servicesReceived).toEqual([])
    expect(await serviceErrorCode(voidVisit(desk.ctx, visit.id, 'again'))).toBe('CONFLICT')
    expect(await serviceErrorCode(updateVisit(desk.ctx, visit.id, { services: [], reason: 'after void' }))).toBe('CONFLICT')
    // Voided, the person may be signed in again without the repeat warning.
    expect((await signIn(desk.ctx, { participantId: person.id, services: [] })).participant?.id).toBe(person.id)
  })

  it('a refused sign-in leaves nothing behind: no visit, no service lines, no count, no audit row', async () => {
    const person = await createParticipant(desk.ctx, { firstName: 'Hal' })
    await retireService(desk.ctx, desk.services.laundry!.id, true)
    const before = tableCounts(desk.opened)
    const lines = [{ serviceId: desk.services.meal!.id, quantity: 1 }, { serviceId: desk.services.laundry!.id, quantity: 1 }]
    expect(await serviceErrorCode(signIn(desk.ctx, { participantId: person.id, services: lines }))).toBe('VALIDATION')
    expect(tableCounts(desk.opened)).toEqual(before)
    expect(desk.opened.sqlite.prepare('SELECT visit_count, last_visit_at FROM participants WHERE id = ?').get(person.id)).toEqual({ visit_count: 0, last_visit_at: null })
  })

  it("a sign-in writes the person's row once: the visit's insert counts it and moves the last visit (0066)", async () => {
    const person = await createParticipant(desk.ctx, { firstName: 'Ida' })
    // Each write of the row moves its entries in the list's indexes (visit count, last visit): one
    // write, one move, one page fewer for the cipher than a count and then a last visit apart.
    desk.opened.sqlite.exec(`CREATE TEMP TABLE person_writes (id INTEGER);
      CREATE TEMP TRIGGER count_person_writes AFTER UPDATE ON participants BEGIN INSERT INTO person_writes VALUES (NEW.id); END`)
    const visit = await signIn(desk.ctx, { participantId: person.id, services: [{ serviceId: desk.services.meal!.id, quantity: 1 }] })
    expect(desk.opened.sqlite.prepare('SELECT count(*) FROM temp.person_writes WHERE id = ?').pluck().get(person.id)).toBe(1)
    expect(desk.opened.sqlite.prepare('SELECT visit_count, last_visit_at FROM participants WHERE id = ?').get(person.id)).toEqual({ visit_count: 1, last_visit_at: visit.signedInAt })
    // A visit of an earlier day counts, and leaves the later last visit where it is.
    const staff = desk.opened.sqlite.prepare('SELECT created_by FROM visits WHERE id = ?').pluck().get(visit.id)
    desk.opened.sqlite
      .prepare(`INSERT INTO visits (participant_id, visit_date, signed_in_at, created_by, created_at, updated_at) VALUES (?, '2026-01-05', '2026-01-05T15:00:00.000Z', ?, ?, ?)`)
      .run(person.id, staff, visit.signedInAt, visit.signedInAt)
    expect(desk.opened.sqlite.prepare('SELECT visit_count, last_visit_at FROM participants WHERE id = ?').get(person.id)).toEqual({ visit_count: 2, last_visit_at: visit.signedInAt })
    desk.opened.sqlite.exec('DROP TRIGGER temp.count_person_writes; DROP TABLE temp.person_writes')
  })

  it('visit_changes is append-only, like the audit log', async () => {
    const visit = await signIn(desk.ctx, { participantId: null, services: [] })
    await voidVisit(desk.ctx, visit.id, 'test entry')
    expect(() => desk.opened.sqlite.prepare(`UPDATE visit_changes SET reason = 'x'`).run()).toThrow(/append-only/)
    expect(() => desk.opened.sqlite.prepare(`DELETE FROM visit_changes`).run()).toThrow(/append-only/)
    expect(() =>
      desk.opened.sqlite.prepare(`INSERT INTO visit_changes (visit_id, kind, reason, before, after, at) VALUES (?, 'void', NULL, '{}', '{}', 'x')`).run(visit.id),
    ).toThrow(/CHECK/)
  })
})

describe('anonymous codes', () => {
  it('offers matching codes, most recent first, with their last visit and count; voided visits do not count', async () => {
    for (const [at, code] of [
      ['2026-11-20T15:00', 'BLUE7'],
      ['2026-11-21T15:00', 'BLUE7'],
      ['2026-11-21T16:00', 'blu-9'],
      ['2026-11-22T15:00', 'RED1'],
      ['2026-11-23T15:00', 'BLUE7'],
    ] as const) {
      desk.clock.set(`${at}:00.000Z`)
      const visit = await signIn(desk.ctx, { participantId: null, anonymousCode: code, services: [] })
      if (at.startsWith('2026-11-23')) await voidVisit(desk.ctx, visit.id, 'typed the wrong code')
    }
    desk.clock.set('2026-11-25T15:00:00.000Z')
    expect(await anonymousCodes(desk.ctx, 'blu')).toEqual([
      { code: 'BLU-9', lastVisitAt: '2026-11-21T16:00:00.000Z', visits: 1 },
      { code: 'BLUE7', lastVisitAt: '2026-11-21T15:00:00.000Z', visits: 2 },
    ])
    expect((await anonymousCodes(desk.ctx, ' blue ')).map((c) => c.code)).toEqual(['BLUE7'])
    expect(await anonymousCodes(desk.ctx, 'green')).toEqual([])
    // Nothing typed: the codes seen in the last 30 days.
    expect((await anonymousCodes(desk.ctx, '')).map((c) => c.code)).toEqual(['RED1', 'BLU-9', 'BLUE7'])
    desk.clock.set('2027-02-01T15:00:00.000Z')
    expect(await anonymousCodes(desk.ctx, '')).toEqual([])
    expect((await anonymousCodes(desk.ctx, 'RED')).map((c) => c.visits)).toEqual([1])
  })
})

describe('catalog admin', () => {
  it('adds, renames, retires and brings back, reorders; visits keep retired services in their history', async () => {
    const person = await createParticipant(desk.ctx, { firstName: 'Gus' })
    const bus = await addService(desk.ctx, { nameEn: ' Bus  pass ', nameEs: 'Pase de autobús', hasQuantity: true })
    expect(bus).toMatchObject({ key: 'bus_pass', nameEn: 'Bus pass', hasQuantity: true, retiredAt: null, sortOrder: 10 })
    expect(await serviceError(addService(desk.ctx, { nameEn: 'BUS PASS', nameEs: 'Otro', hasQuantity: false }))).toMatchObject({ code: 'CONFLICT', detail: { field: 'nameEn' } })
    const visit = await signIn(desk.ctx, { participantId: person.id, services: [{ serviceId: bus.id, quantity: 2 }] })

    const renamed = await updateService(desk.ctx, bus.id, { nameEn: 'Transit pass', nameEs: 'Pase de tránsito', hasQuantity: true })
    expect(renamed).toMatchObject({ key: 'bus_pass', nameEn: 'Transit pass' })
    const retired = await retireService(desk.ctx, bus.id, true)
    expect(retired.retiredAt).not.toBeNull()
    expect((await listActiveServices(desk.ctx)).map((s) => s.id)).not.toContain(bus.id)
    expect((await listAllServices(desk.ctx)).map((s) => s.id)).toContain(bus.id)
    // History keeps it; a new sign-in cannot use it; an edit may keep it on the visit but not add it elsewhere.
    expect((await getParticipantProfile(desk.ctx, person.id)).servicesReceived).toEqual([
      { serviceId: bus.id, key: 'bus_pass', nameEn: 'Transit pass', nameEs: 'Pase de tránsito', visits: 1, quantity: 2 },
    ])
    expect(await serviceErrorCode(signIn(desk.ctx, { participantId: null, services: [{ serviceId: bus.id, quantity: 1 }] }))).toBe('VALIDATION')
    await updateVisit(desk.ctx, visit.id, { services: [{ serviceId: bus.id, quantity: 1 }], reason: 'only one pass' })
    const other = await signIn(desk.ctx, { participantId: null, services: [] })
    expect(await serviceErrorCode(updateVisit(desk.ctx, other.id, { services: [{ serviceId: bus.id, quantity: 1 }], reason: 'add pass' }))).toBe('VALIDATION')
    expect((await retireService(desk.ctx, bus.id, false)).retiredAt).toBeNull()
    expect(await retireService(desk.ctx, bus.id, false)).toMatchObject({ retiredAt: null })

    const all = await listAllServices(desk.ctx)
    const reversed = all.map((s) => s.id).reverse()
    expect((await reorderServices(desk.ctx, reversed)).map((s) => s.id)).toEqual(reversed)
    expect((await listActiveServices(desk.ctx)).map((s) => s.id)).toEqual(reversed)
    expect(await serviceErrorCode(reorderServices(desk.ctx, reversed.slice(1)))).toBe('CONFLICT')
    expect(await serviceErrorCode(reorderServices(desk.ctx, [...reversed.slice(1), reversed[1]!]))).toBe('CONFLICT')
    expect(await serviceErrorCode(updateService(desk.ctx, 9_999, { nameEn: 'X', nameEs: 'X', hasQuantity: false }))).toBe('NOT_FOUND')
    expect(auditActions(desk.opened)).toEqual(expect.arrayContaining(['catalog.add', 'catalog.update', 'catalog.retire', 'catalog.unretire', 'catalog.reorder']))
  })
})

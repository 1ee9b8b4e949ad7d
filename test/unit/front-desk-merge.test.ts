import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { ROLES, type Role } from '../../db/schema'
import type { StaffSummary } from '../../db/services/setup'
import type { MergeRecord, ParticipantListPage, ParticipantProfile, ParticipantSummary, TodayVisit } from '../../db/types'
import type { ChannelName } from '../../electron/ipc/channels'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import type { Envelope, IpcError } from '../../electron/ipc/envelope'
import { clock, expectAuditChainIntact } from './front-desk-helpers'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()
const time = clock()
let core: PorchlightCore
let admin: StaffSummary
let session: Session

function expectError(envelope: Envelope<unknown>, code: IpcError['code']): IpcError {
  if (envelope.ok) throw new Error(`expected ${code}, got ok: ${JSON.stringify(envelope.value)}`)
  expect(envelope.error.code).toBe(code)
  return envelope.error
}

async function ok<T>(channel: ChannelName, input: unknown, as: Session = session): Promise<T> {
  const envelope = await dispatch(channel, input, { core, session: as })
  if (!envelope.ok) throw new Error(`${channel}: expected ok, got ${envelope.error.code}: ${envelope.error.message}`)
  return envelope.value as T
}

beforeEach(async () => {
  const dir = tempDir()
  time.set('2026-11-20T15:00:00.000Z')
  core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: time.now, timeZone: 'UTC' })
  await core.start()
  // These tests jump whole days on one signed-in window; the idle lock has its own tests (staff.test.ts).
  core.idleLockSeconds = 365 * 24 * 60 * 60
  session = { staff: null }
  admin = (await ok<{ staff: StaffSummary }>('setup.create', { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })).staff
})

afterEach(async () => {
  await expectAuditChainIntact(core.database!)
  await core.close()
})

const register = (input: Record<string, unknown>) => ok<ParticipantSummary>('participants.create', input)

/** Signs someone in on each of `days` consecutive days, signing them out each time. */
async function visits(personId: number, days: number): Promise<number[]> {
  const ids: number[] = []
  for (let day = 0; day < days; day++) {
    const visit = await ok<TodayVisit>('visits.signIn', { participantId: personId, services: [] })
    await ok('visits.signOut', { visitId: visit.id })
    ids.push(visit.id)
    time.advance(24 * 60)
  }
  return ids
}

/** Everything a merge may touch, read straight from the tables. */
function snapshot() {
  const sqlite = core.database!.sqlite
  return {
    visits: sqlite.prepare('SELECT id, participant_id FROM visits ORDER BY id').all(),
    aliases: sqlite.prepare('SELECT code, participant_id, merge_id FROM participant_aliases ORDER BY code').all(),
    people: sqlite.prepare('SELECT id, merged_into, visit_count, last_visit_at FROM participants ORDER BY id').all(),
  }
}

const search = async (text: string) => (await ok<ParticipantSummary[]>('participants.search', { text })).map((p) => p.id)
const listed = async () => (await ok<ParticipantListPage>('participants.list', { offset: 0, limit: 500 })).rows.map((r) => r.id)

describe('merge and undo', () => {
  it('moves visits, counts and codes to the kept record, hides the merged one everywhere, and undo restores exactly', async () => {
    const kept = await register({ firstName: 'Dana', lastName: 'Reyes', birthYear: 1985 })
    const dup = await register({ firstName: 'Danna', lastName: 'Reyes', birthYear: 1985, phone: '555 222 1111' })
    const bystander = await register({ firstName: 'Dan', lastName: 'Other' })
    const keptVisits = await visits(kept.id, 2)
    const dupVisits = await visits(dup.id, 3)
    await visits(bystander.id, 1)
    const before = snapshot()
    expect(await search(dup.code)).toEqual([dup.id])
    expect(await listed()).toContain(dup.id)

    const merge = await ok<MergeRecord>('participants.merge', { keepId: kept.id, mergeId: dup.id, note: 'same person, name misspelled' })
    expect(merge).toMatchObject({ keptId: kept.id, mergedId: dup.id, mergedCode: dup.code, movedVisitIds: dupVisits, mergedBy: admin.id, mergedByName: 'Robin Admin', note: 'same person, name misspelled', undoneAt: null })

    // The merged record is gone from list and search; its code finds the kept person.
    expect(await listed()).not.toContain(dup.id)
    expect(await search('Danna')).not.toContain(dup.id)
    expect(await search(dup.code)).toEqual([kept.id])
    const list = await ok<ParticipantListPage>('participants.list', { offset: 0, limit: 500, sort: { column: 'visits', direction: 'desc' } })
    expect(list.total).toBe(2)
    expect(list.rows[0]).toMatchObject({ id: kept.id, visitCount: 5 })

    // Opening the merged id opens the kept person, saying where it came from.
    const profile = await ok<ParticipantProfile>('participants.get', { id: dup.id })
    expect(profile.redirectedFrom).toBe(dup.id)
    expect(profile.participant).toMatchObject({ id: kept.id, aliases: [dup.code], visitCount: 5 })
    expect(profile.visits.map((v) => v.id).sort((a, b) => a - b)).toEqual([...keptVisits, ...dupVisits].sort((a, b) => a - b))
    expect(profile.merges.map((m) => m.id)).toEqual([merge.id])
    // A merged record cannot be edited or merged again; signing it in signs in the kept person.
    expect(expectError(await dispatch('participants.update', { id: dup.id, lastName: 'X' }, { core, session }), 'CONFLICT').detail).toMatchObject({ mergedInto: kept.id })
    expectError(await dispatch('participants.merge', { keepId: bystander.id, mergeId: dup.id }, { core, session }), 'CONFLICT')
    const redirected = await ok<TodayVisit>('visits.signIn', { participantId: dup.id, services: [] })
    expect(redirected.participant?.id).toBe(kept.id)
    await ok('visits.void', { visitId: redirected.id, reason: 'test of a stale search result' })

    const undone = await ok<MergeRecord>('participants.undoMerge', { mergeId: merge.id })
    expect(undone).toMatchObject({ id: merge.id, undoneBy: admin.id, undoneByName: 'Robin Admin' })
    expect(undone.undoneAt).not.toBeNull()
    const after = snapshot()
    // Exactly as before, except the voided visit signed in through the stale id (it stays with the kept person).
    expect(after.aliases).toEqual(before.aliases)
    expect(after.people).toEqual(before.people)
    expect(after.visits).toEqual([...(before.visits as unknown[]), { id: redirected.id, participant_id: kept.id }])
    expect(await listed()).toContain(dup.id)
    expect(await search(dup.code)).toEqual([dup.id])
    expect((await ok<ParticipantProfile>('participants.get', { id: dup.id })).redirectedFrom).toBeUndefined()
    expectError(await dispatch('participants.undoMerge', { mergeId: merge.id }, { core, session }), 'CONFLICT')
    expect(core.database!.sqlite.prepare(`SELECT action FROM audit_log WHERE action LIKE 'participant.merge%' ORDER BY id`).all()).toEqual([
      { action: 'participant.merge' },
      { action: 'participant.merge_undo' },
    ])
  })

  it('chains: codes follow the person; an earlier merge cannot be undone while a later one carried it further', async () => {
    const a = await register({ firstName: 'Ari' })
    const b = await register({ firstName: 'Bea' })
    const c = await register({ firstName: 'Cy' })
    const d = await register({ firstName: 'Di' })
    const aVisits = await visits(a.id, 2)
    const bVisits = await visits(b.id, 1)
    const start = snapshot()

    const m1 = await ok<MergeRecord>('participants.merge', { keepId: b.id, mergeId: a.id })
    const afterM1 = snapshot()
    const m2 = await ok<MergeRecord>('participants.merge', { keepId: c.id, mergeId: b.id })
    expect(m2.movedVisitIds).toEqual([...aVisits, ...bVisits].sort((x, y) => x - y))
    // A's code, an alias of B, moved on to C with B.
    expect((await ok<ParticipantProfile>('participants.get', { id: c.id })).participant.aliases.sort()).toEqual([a.code, b.code].sort())
    const viaA = await ok<ParticipantProfile>('participants.get', { id: a.id })
    expect(viaA).toMatchObject({ redirectedFrom: a.id, participant: { id: c.id } })
    expect(await search(a.code)).toEqual([c.id])

    const blocked = expectError(await dispatch('participants.undoMerge', { mergeId: m1.id }, { core, session }), 'CONFLICT')
    expect(blocked.detail).toMatchObject({ blockingMergeId: m2.id })
    expect(blocked.message).toMatch(/later merge/)

    // A later merge *into* C does not depend on m2's contents: m2 can still be undone.
    const m3 = await ok<MergeRecord>('participants.merge', { keepId: c.id, mergeId: d.id })
    await ok('participants.undoMerge', { mergeId: m2.id })
    expect(snapshot().aliases).toEqual(
      [
        { code: a.code, participant_id: b.id, merge_id: m1.id },
        { code: d.code, participant_id: c.id, merge_id: m3.id },
      ].sort((x, y) => x.code.localeCompare(y.code)),
    )
    expect(snapshot().visits).toEqual(afterM1.visits)
    await ok('participants.undoMerge', { mergeId: m1.id })
    const end = snapshot()
    expect(end.visits).toEqual(start.visits)
    expect((end.people as Array<{ id: number }>).filter((p) => p.id !== c.id && p.id !== d.id)).toEqual(
      (start.people as Array<{ id: number }>).filter((p) => p.id !== c.id && p.id !== d.id),
    )
    expect((await listed()).sort()).toEqual([a.id, b.id, c.id].sort())
  })

  it('refuses nonsense: the same record twice, unknown ids, unknown merges', async () => {
    const a = await register({ firstName: 'Ari' })
    expect(expectError(await dispatch('participants.merge', { keepId: a.id, mergeId: a.id }, { core, session }), 'INVALID_INPUT').fields).toHaveProperty('mergeId')
    expectError(await dispatch('participants.merge', { keepId: a.id, mergeId: 99_999 }, { core, session }), 'NOT_FOUND')
    expectError(await dispatch('participants.undoMerge', { mergeId: 99_999 }, { core, session }), 'NOT_FOUND')
  })
})

describe('who may do what', () => {
  const as = (role: Role): Session => ({ staff: { ...admin, role } })

  it('merge and undo: peer specialists, managers and admins only', async () => {
    const a = await register({ firstName: 'Ari' })
    const b = await register({ firstName: 'Bea' })
    const allowedRoles: Role[] = ['peer_specialist', 'manager', 'admin']
    for (const role of ROLES) {
      const result = await dispatch('participants.merge', { keepId: a.id, mergeId: b.id }, { core, session: as(role) })
      if (!allowedRoles.includes(role)) {
        expectError(result, 'FORBIDDEN')
        expectError(await dispatch('participants.undoMerge', { mergeId: 1 }, { core, session: as(role) }), 'FORBIDDEN')
        continue
      }
      if (!result.ok) throw new Error(`${role}: ${result.error.message}`)
      const undo = await dispatch('participants.undoMerge', { mergeId: (result.value as MergeRecord).id }, { core, session: as(role) })
      expect(undo.ok, role).toBe(true)
    }
    expect(core.database!.sqlite.prepare('SELECT count(*) AS n FROM participant_merges').get()).toEqual({ n: allowedRoles.length })
  })

  it('catalog admin and field-rule changes: admins only; reading field rules: all staff', async () => {
    const adminOnly: Array<[ChannelName, unknown]> = [
      ['catalog.all', {}],
      ['catalog.add', { nameEn: 'Bus pass', nameEs: 'Pase de autobús', hasQuantity: true }],
      ['catalog.update', { id: 1, nameEn: 'Peer talk', nameEs: 'Charla', hasQuantity: false }],
      ['catalog.retire', { id: 1, retired: true }],
      ['catalog.reorder', { ids: [1] }],
      ['settings.setFieldRules', { rules: { phone: 'required' } }],
    ]
    const before = core.database!.sqlite.prepare('SELECT total_changes() AS n').get()
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      for (const [channel, input] of adminOnly) expectError(await dispatch(channel, input, { core, session: as(role) }), 'FORBIDDEN')
      expect(await ok('settings.fieldRules', {}, as(role))).toHaveProperty('phone', 'optional')
    }
    expect(core.database!.sqlite.prepare('SELECT total_changes() AS n').get()).toEqual(before)
    expect(await ok('catalog.add', adminOnly[1]![1], as('admin'))).toMatchObject({ key: 'bus_pass', hasQuantity: true })
    expect(await ok('settings.setFieldRules', { rules: { phone: 'required' } }, as('admin'))).toHaveProperty('phone', 'required')
  })
})

describe('a merge carries the coaching and safety records, and undo brings exactly them back', () => {
  it('moves engagements, contacts, plan goals, restrictions, care flags and incident involvement; refuses two open engagements', async () => {
    const coach = await ok<{ id: number }>('staff.create', { username: 'sam', displayName: 'Sam Peer', role: 'peer_specialist', password: 'a long enough password' })
    const kept = await register({ firstName: 'Dana', lastName: 'Reyes' })
    const dup = await register({ firstName: 'Dana', lastName: 'R' })
    const other = await register({ firstName: 'Dana', lastName: 'Reyes-Ortiz' })
    const engagement = await ok<{ id: number }>('coaching.start', { participantId: dup.id, coachId: coach.id, stage: 'after_treatment', pathways: ['smart'] })
    await ok('coaching.logContact', { participantId: dup.id, contactOn: '2026-11-20', minutes: 30, kind: 'phone', topics: [] })
    await ok('coaching.saveGoal', { participantId: dup.id, area: 'housing', title: 'Find a room' })
    await ok('restrictions.create', { participantId: dup.id, kind: 'ask_manager', reason: 'Talk with a manager first' })
    await ok('careFlags.add', { participantId: dup.id, kind: 'interpreter', note: 'Spanish' })
    await ok('incidents.start', { kind: 'medical', summary: 'Felt faint in the lobby', people: [{ participantId: dup.id }] })

    // The kept record has its own open engagement too: a merge would give one person two coaches.
    await ok('coaching.start', { participantId: other.id, coachId: coach.id, stage: 'after_treatment', pathways: ['smart'] })
    const refused = expectError(await dispatch('participants.merge', { keepId: other.id, mergeId: dup.id }, { core, session }), 'CONFLICT')
    expect(refused.message).toMatch(/open coaching engagement/)

    const owners = () => {
      const sqlite = core.database!.sqlite
      const of = (table: string) => (sqlite.prepare(`SELECT DISTINCT participant_id AS id FROM ${table}`).all() as Array<{ id: number }>).map((row) => row.id).sort()
      return { engagements: of('coaching_engagements'), contacts: of('coaching_contacts'), goals: of('plan_goals'), changes: of('plan_changes'), restrictions: of('restrictions'), flags: of('care_flags'), incidents: of('incident_people') }
    }
    const before = owners()
    const merge = await ok<MergeRecord>('participants.merge', { keepId: kept.id, mergeId: dup.id })
    expect(owners()).toEqual({ engagements: [kept.id, other.id].sort(), contacts: [kept.id], goals: [kept.id], changes: [kept.id], restrictions: [kept.id], flags: [kept.id], incidents: [kept.id] })
    const record = await ok<{ current: { id: number } | null; contacts: unknown[]; goals: unknown[] }>('coaching.get', { participantId: kept.id })
    expect(record.current?.id).toBe(engagement.id)
    expect(record.contacts).toHaveLength(1)
    expect(record.goals).toHaveLength(1)

    await ok('participants.undoMerge', { mergeId: merge.id })
    expect(owners()).toEqual(before)
  })
})

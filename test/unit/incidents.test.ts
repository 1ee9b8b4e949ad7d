import { beforeEach, describe, expect, it } from 'vitest'
import type { InputOf } from '../../electron/ipc/contract'
import type { PorchlightCore } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { expectError } from './helpers'
import { useCenterWithEveryRole } from './role-helpers'

/**
 * Incident reports through the IPC door, as each role meets them, and the safety figures of the
 * dashboard and the funder report, computed here by hand.
 */
const center = useCenterWithEveryRole()
const { time, call, as } = center
let core: PorchlightCore
let staff: typeof center.staff
let person: number
beforeEach(() => {
  ;({ core, staff, person } = center)
})

/** A refusal (by the door's zod check or by the service): its code and the one field it names. */
function refused(envelope: Awaited<ReturnType<typeof dispatch>>): { code: string; field: string | undefined; message: string } {
  if (envelope.ok) throw new Error(`expected a refusal, got ${JSON.stringify(envelope.value)}`)
  return { code: envelope.error.code, field: Object.keys(envelope.error.fields ?? {})[0], message: envelope.error.message }
}

const counts = () =>
  ['incidents', 'incident_people', 'incident_history', 'audit_log'].map((table) => core.database!.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number)

describe('incident reports', () => {
  it('the kind and one line are enough: the time is now, an overdose is critical, the history says who and when', async () => {
    const made = await call('desk', 'incidents.start', { kind: 'overdose', summary: 'Found unresponsive in the restroom' })
    expect(made).toMatchObject({ kind: 'overdose', occurredAt: '2026-11-25T15:00:00.000Z', critical: true, closed: false, createdByName: 'desk', naloxoneDoses: null, people: [] })
    expect(made.history).toEqual([
      expect.objectContaining({ action: 'create', at: '2026-11-25T15:00:00.000Z', staffName: 'desk', changes: expect.objectContaining({ summary: { before: null, after: 'Found unresponsive in the restroom' } }) }),
    ])
    const other = await call('fac', 'incidents.start', { kind: 'property', summary: 'A window broken in the group room' })
    expect(other.critical).toBe(false)
  })

  it('refuses bad input with a message naming the field, and writes nothing', async () => {
    const before = counts()
    const desk = { core, session: as('desk') }
    expect(refused(await dispatch('incidents.start', { kind: 'overdose', summary: 'x', occurredAt: '2026-11-25T15:05:00.000Z' }, desk))).toEqual({
      code: 'VALIDATION',
      field: 'occurredAt',
      message: 'An incident cannot be in the future. Check the date and time it happened.',
    })
    for (const doses of [-1, 11, 1.5]) {
      const answer = refused(await dispatch('incidents.start', { kind: 'overdose', summary: 'x', naloxoneDoses: doses }, desk))
      expect(answer).toMatchObject({ code: 'INVALID_INPUT', field: 'naloxoneDoses' })
      expect(answer.message).toBe('Naloxone doses given: Naloxone doses given must be a whole number from 0 to 10.')
    }
    expect(refused(await dispatch('incidents.start', { kind: 'behavioral', summary: 'x', naloxoneDoses: 2 }, desk))).toMatchObject({ code: 'VALIDATION', field: 'naloxoneDoses' })
    expect(refused(await dispatch('incidents.start', { kind: 'other', summary: '   ' }, desk))).toMatchObject({ field: 'summary' })
    expect(refused(await dispatch('incidents.start', { kind: 'other', summary: 'two\nlines' }, desk))).toMatchObject({ field: 'summary' })
    expectError(await dispatch('incidents.start', { kind: 'other', summary: 'who?', people: [{ participantId: 9999 }] }, { core, session: as('desk') }), 'NOT_FOUND')
    expect(counts()).toEqual(before)
  })

  it('the desk and facilitators read only their own; a manager reads, completes and closes, once', async () => {
    const mine = await call('desk', 'incidents.start', {
      kind: 'overdose',
      summary: 'Found unresponsive in the restroom',
      occurredAt: '2026-11-25T14:52:00.000Z',
      naloxoneDoses: 2,
      emsCalled: true,
      people: [{ participantId: person }, { staffId: staff.desk!.id }, { description: 'a visitor in a red coat' }],
    })
    expect(mine.people.map((p) => p.name ?? p.description)).toEqual(['Dana Reyes', 'desk', 'a visitor in a red coat'])
    const theirs = await call('fac', 'incidents.start', { kind: 'behavioral', summary: 'Shouting in the group room' })
    expect((await call('desk', 'incidents.list', {})).map((row) => row.id)).toEqual([mine.id])
    expect((await call('fac', 'incidents.list', {})).map((row) => row.id)).toEqual([theirs.id])
    expect((await call('mgr', 'incidents.list', {})).map((row) => row.id)).toEqual([theirs.id, mine.id])
    expectError(await dispatch('incidents.get', { id: theirs.id }, { core, session: as('desk') }), 'FORBIDDEN')
    expectError(await dispatch('incidents.update', { id: theirs.id, summary: 'changed' }, { core, session: as('desk') }), 'FORBIDDEN')
    expectError(await dispatch('incidents.close', { id: mine.id, reviewNote: 'fine by me' }, { core, session: as('desk') }), 'FORBIDDEN')

    // An overdose response needs its outcome before it closes.
    expect(refused(await dispatch('incidents.close', { id: mine.id, reviewNote: 'Reviewed' }, { core, session: as('mgr') }))).toMatchObject({ code: 'VALIDATION', field: 'outcome' })
    time.advance(60)
    const completed = await call('mgr', 'incidents.update', { id: mine.id, outcome: 'transported', narrative: 'Staff gave two doses; EMS took him to St. Luke’s.', location: 'Restroom' })
    expect(completed.history.at(-1)).toMatchObject({
      action: 'update',
      at: '2026-11-25T16:00:00.000Z',
      staffName: 'mgr',
      changes: { outcome: { before: null, after: 'transported' }, location: { before: null, after: 'Restroom' }, narrative: expect.any(Object) },
    })
    const closed = await call('mgr', 'incidents.close', { id: mine.id, reviewNote: 'Reviewed with the team; naloxone restocked.' })
    expect(closed).toMatchObject({ closed: true, closedByName: 'mgr', reviewNote: 'Reviewed with the team; naloxone restocked.' })
    expect(closed.history.map((h) => h.action)).toEqual(['create', 'update', 'close'])
    const before = counts()
    expect(expectError(await dispatch('incidents.close', { id: mine.id, reviewNote: 'again' }, { core, session: as('mgr') }), 'CONFLICT').message).toBe('That incident report is already closed.')
    expectError(await dispatch('incidents.update', { id: mine.id, summary: 'changed' }, { core, session: as('desk') }), 'CONFLICT')
    expect(counts()).toEqual(before)
    // The author still reads it, closed; the audit log names the report, never its narrative.
    expect((await call('desk', 'incidents.get', { id: mine.id })).outcome).toBe('transported')
    expect(core.database!.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE detail LIKE '%Luke%'`).pluck().get()).toBe(0)
    expect(core.database!.sqlite.prepare(`SELECT action FROM audit_log WHERE action LIKE 'incident.%' ORDER BY id`).pluck().all()).toEqual([
      'incident.create',
      'incident.create',
      'incident.update',
      'incident.close',
      'incident.view',
    ])
  })
})

describe('naming a colleague involved', () => {
  it('every role reads the staff directory: active colleagues, id and name only; the desk names one in a report', async () => {
    await call('admin', 'staff.update', { id: staff.peer.id, active: false })
    for (const who of ['desk', 'fac', 'peer', 'mgr', 'admin'] as const) {
      if (who === 'peer') continue
      const directory = await call(who, 'staff.directory', {})
      expect(directory.map((entry) => entry.name).sort()).toEqual(['Robin Admin', 'desk', 'fac', 'mgr'])
      // No username, role, lockout or password state: nothing but who they are.
      for (const entry of directory) expect(Object.keys(entry).sort()).toEqual(['id', 'name'])
    }
    const before = core.database!.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get()
    await call('desk', 'staff.directory', {})
    expect(core.database!.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(before)

    const colleague = (await call('desk', 'staff.directory', {})).find((entry) => entry.name === 'fac')!
    const made = await call('desk', 'incidents.start', { kind: 'behavioral', summary: 'Shouting in the hallway', people: [{ staffId: colleague.id }] })
    expect(made.people).toEqual([expect.objectContaining({ staffId: staff.fac.id, name: 'fac', participantId: null })])
  })
})

describe('safety figures', () => {
  it('counts overdose responses, reversals, doses on site, incidents by kind and restrictions in force, by hand', async () => {
    const start = (input: InputOf<'incidents.start'>) => call('desk', 'incidents.start', input)
    // 22:30 on Nov 19 in New York: counts on the 19th. Naloxone and an outcome: a reversal.
    await start({ kind: 'overdose', summary: 'A', occurredAt: '2026-11-20T03:30:00.000Z', naloxoneDoses: 2, outcome: 'responded' })
    // Naloxone, outcome not yet recorded: a response, not (yet) a reversal.
    await start({ kind: 'overdose', summary: 'B', occurredAt: '2026-11-24T16:00:00.000Z', naloxoneDoses: 1 })
    // Came round without naloxone: a response, not a reversal.
    await start({ kind: 'overdose', summary: 'C', occurredAt: '2026-11-24T17:00:00.000Z', naloxoneDoses: 0, outcome: 'declined' })
    await start({ kind: 'behavioral', summary: 'D', occurredAt: '2026-11-22T18:00:00.000Z' })
    // 22:00 on Oct 31 in New York, though Nov 1 in UTC: outside November.
    await start({ kind: 'overdose', summary: 'E', occurredAt: '2026-11-01T02:00:00.000Z', naloxoneDoses: 3, outcome: 'responded' })
    // Kits handed out are a service on a visit, never doses on site: none here, and none counted.

    const other = (await call('desk', 'participants.create', { firstName: 'Lee', lastName: 'Park', birthYear: 1990 })).id
    const third = (await call('desk', 'participants.create', { firstName: 'Sam', lastName: 'Cole', birthYear: 1979 })).id
    await call('mgr', 'restrictions.create', { participantId: person, kind: 'not_on_site', reason: 'a fight in the lobby', endsOn: '2026-12-09' })
    const lifted = await call('mgr', 'restrictions.create', { participantId: other, kind: 'ask_manager', reason: 'raised voice at staff' })
    await call('mgr', 'restrictions.lift', { id: lifted.id })
    await call('mgr', 'restrictions.create', { participantId: third, kind: 'not_on_site', reason: 'threats', startsOn: '2026-11-01', endsOn: '2026-11-20' })

    const november = await call('mgr', 'reports.funder', { range: { from: '2026-11-01', to: '2026-11-30' } })
    expect(november.safety).toEqual({
      overdoseResponses: 3,
      reversals: 1,
      naloxoneDoses: 3,
      incidentsByKind: [
        { kind: 'overdose', count: 3 },
        { kind: 'medical', count: 0 },
        { kind: 'behavioral', count: 1 },
        { kind: 'injury', count: 0 },
        { kind: 'property', count: 0 },
        { kind: 'police', count: 0 },
        { kind: 'other', count: 0 },
      ],
      // Counted to today (the 25th): Dana's; Lee's was lifted today; Sam's ended on the 20th.
      restrictionsInForce: 1,
    })
    const dashboard = await call('mgr', 'reports.dashboard', { range: { from: '2026-11-01', to: '2026-11-30' } })
    expect(dashboard.safety.current).toEqual(november.safety)
    // October: E only; on Oct 31 no restriction had started.
    expect(dashboard.safety.previous).toMatchObject({ overdoseResponses: 1, reversals: 1, naloxoneDoses: 3, restrictionsInForce: 0 })
    // On the 19th, Sam's was in force (it ended on the 20th) and Dana's not yet started.
    const early = await call('mgr', 'reports.funder', { range: { from: '2026-11-01', to: '2026-11-19' } })
    expect(early.safety).toMatchObject({ overdoseResponses: 1, reversals: 1, naloxoneDoses: 2, restrictionsInForce: 1 })
  })
})

import { beforeEach, describe, expect, it } from 'vitest'
import type { InputOf } from '../../electron/ipc/contract'
import type { PorchlightCore, Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { expectError, expectOk } from './helpers'
import { useCenterWithEveryRole } from './role-helpers'

/**
 * Restrictions and care flags through the IPC door, as each role meets them: the desk learns
 * only that a manager is needed, never why; a restriction ends by itself on its date.
 */
const center = useCenterWithEveryRole()
const { time, call, as } = center
let core: PorchlightCore
let staff: typeof center.staff
let person: number
beforeEach(() => {
  ;({ core, staff, person } = center)
})
const REASON = 'Threatened a volunteer in the parking lot'

function tableCount(table: 'restrictions' | 'care_flags' | 'visits' | 'audit_log'): number {
  return core.database!.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
}

const auditRows = (action: string) => core.database!.sqlite.prepare(`SELECT staff_id, target_id, detail FROM audit_log WHERE action = ?`).all(action) as Array<{ staff_id: number; target_id: number; detail: string }>

describe('restrictions', () => {
  it('the desk sees "ask a manager" and nothing of the reason, in any answer it receives', async () => {
    const made = await call('mgr', 'restrictions.create', { participantId: person, kind: 'not_on_site', reason: REASON, endsOn: '2026-12-09' })
    expect(made).toMatchObject({ kind: 'not_on_site', startsOn: '2026-11-25', endsOn: '2026-12-09', active: true, reason: REASON, createdByName: 'mgr' })

    const answers: unknown[] = []
    const notice = await call('desk', 'safety.checkIn', { participantId: person })
    expect(notice).toEqual({ askManager: true, flags: [] })
    answers.push(notice)
    answers.push(await dispatch('participants.get', { id: person }, { core, session: as('desk') }))
    answers.push(await dispatch('participants.search', { text: 'Dana', limit: 10 }, { core, session: as('desk') }))
    const refused = expectError(await dispatch('visits.signIn', { participantId: person, services: [] }, { core, session: as('desk') }), 'RESTRICTED')
    expect(refused.message).toBe('Please ask a manager before signing this person in.')
    answers.push(refused)
    answers.push(expectError(await dispatch('restrictions.list', { participantId: person }, { core, session: as('desk') }), 'FORBIDDEN'))
    // The desk cannot take the manager's decision itself.
    answers.push(expectError(await dispatch('visits.signIn', { participantId: person, services: [], managerOverride: true }, { core, session: as('desk') }), 'FORBIDDEN'))
    for (const answer of answers) {
      const text = JSON.stringify(answer)
      expect(text).not.toContain('Threatened')
      expect(text).not.toContain('2026-12-09')
      expect(text).not.toContain('not_on_site')
    }
    expect(tableCount('visits')).toBe(0)
    // Nor is the reason in the audit log, which admins browse.
    expect(core.database!.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE detail LIKE '%Threatened%'`).pluck().get()).toBe(0)
    expect(auditRows('restriction.create')).toEqual([expect.objectContaining({ staff_id: staff.mgr!.id, target_id: person })])

    // The manager reads the reason (a look at the record, audited) and may sign the person in.
    expect((await call('mgr', 'restrictions.list', { participantId: person })).map((r) => r.reason)).toEqual([REASON])
    expect(auditRows('restriction.list')).toHaveLength(1)
    const visit = await call('mgr', 'visits.signIn', { participantId: person, services: [], managerOverride: true })
    expect(auditRows('restriction.override')).toEqual([expect.objectContaining({ staff_id: staff.mgr!.id, target_id: person, detail: JSON.stringify({ visitId: visit.id }) })])
  })

  it('ends by itself on its date; a lifted one no longer counts; every change is audited', async () => {
    await call('mgr', 'restrictions.create', { participantId: person, kind: 'not_on_site', reason: REASON, endsOn: '2026-11-27' })
    time.set('2026-11-27T04:59:00.000Z') // 23:59 on the 26th in New York: still in force
    expect((await call('desk', 'safety.checkIn', { participantId: person })).askManager).toBe(true)
    time.set('2026-11-27T05:00:00.000Z') // midnight on the 27th: the day the person may come back
    expect((await call('desk', 'safety.checkIn', { participantId: person })).askManager).toBe(false)
    await call('desk', 'visits.signIn', { participantId: person, services: [] })
    expect((await call('mgr', 'restrictions.list', { participantId: person }))[0]).toMatchObject({ active: false })
    expectError(await dispatch('restrictions.lift', { id: 1 }, { core, session: as('mgr') }), 'CONFLICT')

    const open = await call('admin', 'restrictions.create', { participantId: person, kind: 'ask_manager', reason: 'Asked to check in with Sam first' })
    expect(open.endsOn).toBeNull()
    expect((await call('desk', 'safety.checkIn', { participantId: person })).askManager).toBe(true)
    const lifted = await call('mgr', 'restrictions.lift', { id: open.id })
    expect(lifted).toMatchObject({ active: false, liftedByName: 'mgr' })
    expect((await call('desk', 'safety.checkIn', { participantId: person })).askManager).toBe(false)
    expectError(await dispatch('restrictions.lift', { id: open.id }, { core, session: as('mgr') }), 'CONFLICT')
    expect(auditRows('restriction.create')).toHaveLength(2)
    expect(auditRows('restriction.lift')).toHaveLength(1)
  })

  it('refuses a restriction that ends before it starts, one with no end, or one years long, and writes nothing', async () => {
    const before = [tableCount('restrictions'), tableCount('audit_log')]
    const bad: Array<[InputOf<'restrictions.create'>, string]> = [
      [{ participantId: person, kind: 'not_on_site', reason: REASON, startsOn: '2026-11-25', endsOn: '2026-11-20' }, 'The restriction ends before it starts. Choose a later end date.'],
      [{ participantId: person, kind: 'not_on_site', reason: REASON, startsOn: '2026-11-25', endsOn: '2026-11-25' }, 'The restriction ends before it starts. Choose a later end date.'],
      [{ participantId: person, kind: 'not_on_site', reason: REASON }, 'Choose the first day the person may come back.'],
      [{ participantId: person, kind: 'ask_manager', reason: REASON, endsOn: '2036-01-01' }, 'A restriction lasts at most five years. Choose an earlier end date.'],
      [{ participantId: person, kind: 'ask_manager', reason: ' x ' }, 'Say briefly why (at least 3 characters). Only managers and admins read it.'],
    ]
    for (const [input, message] of bad) {
      const error = expectError(await dispatch('restrictions.create', input, { core, session: as('mgr') }), input.reason === ' x ' ? 'INVALID_INPUT' : 'VALIDATION')
      expect(error.message).toContain(message)
    }
    expect([tableCount('restrictions'), tableCount('audit_log')]).toEqual(before)
  })

  it('the kiosk sends a restricted person to the desk, with the answer an unsure look-up gets', async () => {
    await call('mgr', 'restrictions.create', { participantId: person, kind: 'ask_manager', reason: REASON })
    const kiosk: Session = { ...as('desk') }
    expectOk(await dispatch('kiosk.enter', {}, { core, session: kiosk }))
    const answer = expectOk(await dispatch('kiosk.find', { firstName: 'Dana', birthYear: 1985 }, { core, session: kiosk }))
    expect(answer).toEqual({ kind: 'desk' })
    expectError(await dispatch('kiosk.signIn', { services: [] }, { core, session: kiosk }), 'NOT_FOUND')
    expect(tableCount('visits')).toBe(0)
  })
})

describe('care flags', () => {
  it('peer specialists and managers set them; the desk sees them at check-in and cannot change them', async () => {
    await call('peer', 'careFlags.add', { participantId: person, kind: 'interpreter', note: ' Spanish ' })
    const flags = await call('mgr', 'careFlags.add', { participantId: person, kind: 'wheelchair' })
    expect(flags.map((f) => [f.kind, f.note])).toEqual([
      ['interpreter', 'Spanish'],
      ['wheelchair', null],
    ])
    expect((await call('desk', 'safety.checkIn', { participantId: person })).flags.map((f) => f.kind)).toEqual(['interpreter', 'wheelchair'])
    expect((await call('fac', 'safety.checkIn', { participantId: person })).askManager).toBe(false)
    expectError(await dispatch('careFlags.add', { participantId: person, kind: 'allergy', note: 'peanuts' }, { core, session: as('desk') }), 'FORBIDDEN')
    expectError(await dispatch('careFlags.remove', { id: flags[0]!.id }, { core, session: as('desk') }), 'FORBIDDEN')
    expect(await call('peer', 'careFlags.remove', { id: flags[0]!.id })).toHaveLength(1)
    expectError(await dispatch('careFlags.remove', { id: flags[0]!.id }, { core, session: as('peer') }), 'CONFLICT')
    expect(auditRows('care_flag.add')).toHaveLength(2)
    expect(auditRows('care_flag.remove')).toHaveLength(1)
  })

  it('a flag longer than a line, two lines, or a duplicate is refused with nothing written', async () => {
    await call('peer', 'careFlags.add', { participantId: person, kind: 'allergy', note: 'peanuts' })
    const before = [tableCount('care_flags'), tableCount('audit_log')]
    const long = expectError(await dispatch('careFlags.add', { participantId: person, kind: 'other', note: 'x'.repeat(81) }, { core, session: as('peer') }), 'INVALID_INPUT')
    expect(long.message).toContain('A care flag is one short line')
    expectError(await dispatch('careFlags.add', { participantId: person, kind: 'other', note: 'first line\nsecond line' }, { core, session: as('peer') }), 'INVALID_INPUT')
    expectError(await dispatch('careFlags.add', { participantId: person, kind: 'other', note: '  ' }, { core, session: as('peer') }), 'VALIDATION')
    expectError(await dispatch('careFlags.add', { participantId: person, kind: 'allergy', note: 'peanuts' }, { core, session: as('peer') }), 'CONFLICT')
    expect([tableCount('care_flags'), tableCount('audit_log')]).toEqual(before)
  })
})

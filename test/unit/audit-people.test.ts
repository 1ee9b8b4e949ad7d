import { describe, expect, it } from 'vitest'
import { accountingOfDisclosures } from '../../db/services/accounting'
import { appendAudit } from '../../db/services/audit'
import { listAudit } from '../../db/services/audit-log'
import { saveAgency } from '../../db/services/agencies'
import { createConsent, revokeConsent } from '../../db/services/consents'
import { mergeParticipants } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { getParticipantProfile } from '../../db/services/profile'
import { createReferral } from '../../db/services/referrals'
import { signIn, signOutAll } from '../../db/services/visits'
import { auditActions, serviceError, useCenter, useDesk, type CenterDesk } from './front-desk-helpers'
import { describeEachBackend } from './pg-helpers'
import { tableCounts, useTempDirs } from './helpers'

/**
 * DeShawn has two records: the one made at his first visit (merged away later) and the one the
 * desk uses. Both were opened, he signed in on the old one, he was referred under consents from
 * both, one of which he revoked; Ana's file was opened too.
 */
async function deshawn(d: CenterDesk) {
  const old = (await createParticipant(d.ctx, { firstName: 'Deshawn', lastName: 'M', birthYear: 1990 })).id
  const kept = (await createParticipant(d.ctx, { firstName: 'DeShawn', lastName: 'Moore', birthYear: 1990 })).id
  const ana = (await createParticipant(d.ctx, { firstName: 'Ana', lastName: 'Lima', birthYear: 1979 })).id
  const harbor = (await saveAgency(d.ctx, { name: 'Harbor Treatment Center', types: ['treatment'] })).id
  const housing = (await saveAgency(d.ctx, { name: 'Open Door Housing', types: ['housing'] })).id
  const consent = (agencyId: number, participantId: number) =>
    createConsent(d.ctx, { participantId, agencyId, purpose: 'Coordinate a referral', information: ['contact', 'referral_status'], signedOn: '2026-11-25', expiresOn: '2027-11-25' })

  await getParticipantProfile(d.ctx, old)
  await signIn(d.ctx, { participantId: old, services: [{ serviceId: d.services.coffee?.id ?? Object.values(d.services)[0]!.id, quantity: 1 }] })
  const housingConsent = await consent(housing, old)
  d.clock.advance(10)
  await createReferral(d.ctx, { participantId: old, agencyId: housing, type: 'housing', consentId: housingConsent.id })
  d.clock.advance(10)
  await mergeParticipants(d.ctx, kept, old)
  await getParticipantProfile(d.ctx, kept)
  await getParticipantProfile(d.ctx, ana)
  const harborConsent = await consent(harbor, kept)
  d.clock.advance(10)
  await createReferral(d.ctx, { participantId: kept, agencyId: harbor, type: 'treatment', consentId: harborConsent.id })
  // Made without a consent: nothing about him went to the agency.
  await createReferral(d.ctx, { participantId: kept, agencyId: harbor, type: 'treatment', allowRecent: true })
  d.clock.advance(10)
  await revokeConsent(d.ctx, harborConsent.id, 'Changed his mind')
  return { old, kept, ana, harbor, housing }
}

describeEachBackend('the audit log by person', (backend) => {
  const center = useCenter(backend)

  it('finds every row about a merged person, under either record, and names each row’s person', async () => {
    const d = center()
    const { old, kept, ana } = await deshawn(d)
    await signOutAll(d.ctx)

    for (const asked of [kept, old]) {
      const page = await listAudit(d.ctx, { participantId: asked }, 0, 100)
      const actions = page.rows.map((row) => row.action).reverse()
      expect(actions).toEqual([
        'participant.create',
        'participant.create',
        'participant.view',
        'visit.sign_in',
        'consent.create',
        'referral.create',
        'participant.merge',
        'participant.view',
        'consent.create',
        'referral.create',
        'referral.create',
        'consent.revoke',
        'visit.sign_out_all',
      ])
      expect(page.total).toBe(13)
    }

    const page = await listAudit(d.ctx, { participantId: kept }, 0, 100)
    const views = page.rows.filter((row) => row.action === 'participant.view')
    // The newest first: the kept record's own view, then the old record's, shown under the kept one.
    expect(views[0]!.people).toEqual([expect.objectContaining({ id: kept, firstName: 'DeShawn', lastName: 'Moore', mergedInto: null })])
    expect(views[1]!.people).toEqual([expect.objectContaining({ id: old, firstName: 'Deshawn', mergedInto: expect.objectContaining({ id: kept, lastName: 'Moore' }) })])
    // A visit's row names the visit's person; End of day's row the people it signed out.
    expect(page.rows.find((row) => row.action === 'visit.sign_in')!.people.map((p) => p.id)).toEqual([old])
    expect(page.rows.find((row) => row.action === 'visit.sign_out_all')!.people.map((p) => p.mergedInto?.id ?? p.id)).toEqual([kept])
    expect(page.rows.find((row) => row.action === 'participant.merge')!.people.map((p) => p.id)).toEqual([kept, old])

    const anas = await listAudit(d.ctx, { participantId: ana }, 0, 100)
    expect(anas.rows.map((row) => row.action)).toEqual(['participant.view', 'participant.create'])
    // Other filters still narrow it.
    expect((await listAudit(d.ctx, { participantId: kept, action: 'participant.view' }, 0, 100)).total).toBe(2)
    // The old id stays findable by record number too.
    expect((await listAudit(d.ctx, { targetType: 'participant', targetId: old }, 0, 100)).rows.map((row) => row.action)).toContain('participant.view')
  })

  it('names at most three people on a row that listed many, and counts the rest', async () => {
    const d = center()
    const ids: number[] = []
    for (const name of ['Ana', 'Ben', 'Cal', 'Dee', 'Eli']) ids.push((await createParticipant(d.ctx, { firstName: name, lastName: 'Test', birthYear: 1980 })).id)
    await d.ctx.db.transaction().execute((trx) =>
      appendAudit(trx, d.clock.now().toISOString(), { staffId: d.adminId, action: 'referral.requests', detail: { rows: 5, participantIds: ids } }),
    )
    const row = (await listAudit(d.ctx, { action: 'referral.requests' }, 0, 10)).rows[0]!
    expect(row.people.map((p) => p.firstName)).toEqual(['Ana', 'Ben', 'Cal'])
    expect(row.morePeople).toBe(2)
    expect((await listAudit(d.ctx, { participantId: ids[4]! }, 0, 10)).rows.map((r) => r.action)).toEqual(['referral.requests', 'participant.create'])
  })

  it('refuses a filter by someone who is not in the records', async () => {
    const error = await serviceError(listAudit(center().ctx, { participantId: 999 }, 0, 10))
    expect(error.code).toBe('NOT_FOUND')
  })
})

describe('the accounting of disclosures', () => {
  const desk = useDesk(useTempDirs())

  it('lists what went to which agency, from both records of a merged person, a revoked consent’s too, and is itself audited', async () => {
    const d = desk()
    const { old, kept } = await deshawn(d)
    const accounting = await accountingOfDisclosures(d.ctx, { participantId: old })
    expect(accounting.person).toMatchObject({ id: kept, lastName: 'Moore' })
    expect(accounting.askedFor).toBe(old)
    expect(accounting.records.map((r) => r.id)).toEqual([kept, old])
    // Six years up to today, on the injected clock (2026-11-25).
    expect([accounting.from, accounting.to]).toEqual(['2020-11-26', '2026-11-25'])
    expect(accounting.disclosures.map((x) => [x.recipient, x.information, x.purpose, x.staffName, x.consentRevokedAt !== null])).toEqual([
      ['Open Door Housing', ['contact', 'referral_status'], 'Coordinate a referral', 'Robin Admin', false],
      ['Harbor Treatment Center', ['contact', 'referral_status'], 'Coordinate a referral', 'Robin Admin', true],
    ])
    expect(auditActions(d.opened).at(-1)).toBe('participant.accounting')
    const row = (await listAudit(d.ctx, { action: 'participant.accounting' }, 0, 1)).rows[0]!
    expect(row).toMatchObject({ targetType: 'participant', targetId: kept, detail: { from: '2020-11-26', to: '2026-11-25', rows: 2, records: 2 } })
  })

  it('keeps to the period asked for, and says so when nothing went out in it', async () => {
    const d = desk()
    const { kept } = await deshawn(d)
    expect((await accountingOfDisclosures(d.ctx, { participantId: kept, from: '2026-11-25', to: '2026-11-25' })).disclosures).toHaveLength(2)
    const empty = await accountingOfDisclosures(d.ctx, { participantId: kept, from: '2025-01-01', to: '2026-11-24' })
    expect(empty.disclosures).toEqual([])
    // Seven years on, the default six years no longer reach back to them.
    d.clock.set('2033-11-26T15:00:00.000Z')
    expect((await accountingOfDisclosures(d.ctx, { participantId: kept })).disclosures).toEqual([])
  })

  it('lists the log’s disclosure rows (printed summaries, exports) with their recipient', async () => {
    const d = desk()
    const { kept, housing } = await deshawn(d)
    await d.opened.db.transaction().execute(async (trx) => {
      const at = d.clock.now().toISOString()
      await appendAudit(trx, at, { staffId: d.adminId, action: 'report.export', targetType: 'participant', targetId: kept, detail: { agencyId: housing, information: ['attendance'] } })
      await appendAudit(trx, at, { staffId: d.adminId, action: 'report.export', targetType: 'participant', targetId: kept, detail: { recipient: 'County court' } })
    })
    const accounting = await accountingOfDisclosures(d.ctx, { participantId: kept }, ['report.export'])
    expect(accounting.disclosures.slice(-2).map((x) => [x.kind, x.recipient, x.information])).toEqual([
      ['report.export', 'Open Door Housing', ['attendance']],
      ['report.export', 'County court', []],
    ])
  })

  it('refuses an unknown person and a period that ends before it starts, and writes nothing', async () => {
    const d = desk()
    const { kept } = await deshawn(d)
    const before = tableCounts(d.opened)
    const unknown = await serviceError(accountingOfDisclosures(d.ctx, { participantId: 9999 }))
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('No one in the records has that number') })
    const backwards = await serviceError(accountingOfDisclosures(d.ctx, { participantId: kept, from: '2026-11-25', to: '2026-01-01' }))
    expect(backwards).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('ends before it starts'), detail: { field: 'to' } })
    const future = await serviceError(accountingOfDisclosures(d.ctx, { participantId: kept, from: '2027-01-01', to: '2027-02-01' }))
    expect(future.detail).toMatchObject({ field: 'from' })
    expect(tableCounts(d.opened)).toEqual(before)
  })
})

import { beforeEach, describe, expect, it } from 'vitest'
import { listAgencies, saveAgency, setAgencyActive } from '../../db/services/agencies'
import { createConsent, listConsents, revokeConsent } from '../../db/services/consents'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { createReferral, getReferral, listReferrals, updateReferral } from '../../db/services/referrals'
import { accountingOfDisclosures } from '../../db/services/accounting'
import { referralSummary } from '../../db/services/referral-summary'
import { signIn } from '../../db/services/visits'
import { applyRetention, previewRetention, setRetentionPolicy } from '../../db/services/retention'
import { auditActions, expectAuditChainIntact, openDesk, serviceError, type Desk } from './front-desk-helpers'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()
let desk: Desk
let person: number
let treatment: number
let housing: number

beforeEach(async () => {
  desk = await openDesk(tempDir())
  person = (await createParticipant(desk.ctx, { firstName: 'Dana', lastName: 'Reyes', birthYear: 1985 })).id
  treatment = (await saveAgency(desk.ctx, { name: 'Harbor Treatment Center', types: ['treatment', 'detox', 'mat'], phone: '555-0100' })).id
  housing = (await saveAgency(desk.ctx, { name: 'Open Door Housing', types: ['housing'] })).id
})

const consentFor = (agencyId: number, overrides: Partial<Parameters<typeof createConsent>[1]> = {}) =>
  createConsent(desk.ctx, {
    participantId: person,
    agencyId,
    purpose: 'Coordinate a treatment referral',
    information: ['contact', 'referral_status'],
    signedOn: '2026-11-25',
    expiresOn: '2027-11-25',
    ...overrides,
  })

describe('the referral summary for the agency', () => {
  const disclosures = () => desk.opened.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'referral.disclose'`).pluck().get()

  it('carries only what the consent names, and is recorded as a disclosure to that agency', async () => {
    await signIn(desk.ctx, { participantId: person, services: [{ serviceId: desk.services.meal!.id, quantity: 1 }] })
    const contactOnly = await consentFor(treatment, { information: ['contact'] })
    const referral = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'treatment', note: 'Wants outpatient', consentId: contactOnly.id })
    const summary = await referralSummary(desk.ctx, referral.id)
    expect(summary).toMatchObject({
      centerName: 'Harbor House',
      printedOn: '2026-11-25',
      agency: { name: 'Harbor Treatment Center', phone: '555-0100' },
      person: { firstName: 'Dana', lastName: 'Reyes', birthYear: 1985 },
      consent: { information: ['contact'], purpose: 'Coordinate a treatment referral' },
      contact: { phone: null },
    })
    expect(summary.attendance).toBeUndefined()
    expect(summary.referralStatus).toBeUndefined()
    expect(JSON.stringify(summary)).not.toContain('Wants outpatient')
    const row = desk.opened.sqlite.prepare(`SELECT target_id, detail FROM audit_log WHERE action = 'referral.disclose'`).get() as { target_id: number; detail: string }
    expect(row.target_id).toBe(person)
    expect(JSON.parse(row.detail)).toMatchObject({ referralId: referral.id, agencyId: treatment, agencyName: 'Harbor Treatment Center', information: ['contact'] })

    const wider = await consentFor(housing, { information: ['attendance', 'referral_status'] })
    const housingReferral = await createReferral(desk.ctx, { participantId: person, agencyId: housing, type: 'housing', consentId: wider.id })
    const second = await referralSummary(desk.ctx, housingReferral.id)
    expect(second.contact).toBeUndefined()
    expect(second.attendance).toEqual({ since: '2026-08-27', visits: 1, lastVisit: '2026-11-25', groupSessions: 0 })
    expect(second.referralStatus).toEqual({ status: 'pending', note: null, events: [{ on: '2026-11-25', status: 'pending' }] })
    expect(disclosures()).toBe(2)
    // The person's accounting lists each printed summary beside the referrals shared under consent.
    const accounting = await accountingOfDisclosures(desk.ctx, { participantId: person })
    expect(accounting.disclosures.filter((d) => d.kind === 'referral.disclose').map((d) => [d.recipient, d.information])).toEqual(
      expect.arrayContaining([
        ['Harbor Treatment Center', ['contact']],
        ['Open Door Housing', ['attendance', 'referral_status']],
      ]),
    )
  })

  it('refuses a referral made without a consent, or under a revoked one, and records nothing', async () => {
    const bare = await createReferral(desk.ctx, { participantId: person, agencyId: housing, type: 'housing' })
    expect(await serviceError(referralSummary(desk.ctx, bare.id))).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/made without a consent/) })
    const consent = await consentFor(treatment)
    const shared = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'detox', consentId: consent.id })
    await revokeConsent(desk.ctx, consent.id, 'Changed their mind')
    expect(await serviceError(referralSummary(desk.ctx, shared.id))).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/was revoked on 2026-11-25/) })
    expect(await serviceError(referralSummary(desk.ctx, 9999))).toMatchObject({ code: 'NOT_FOUND' })
    expect(disclosures()).toBe(0)
  })
})

describe('agency directory', () => {
  it('keeps names unique, accents and case aside, and says which one clashes', async () => {
    const error = await serviceError(saveAgency(desk.ctx, { name: '  harbor   treatment center ', types: ['treatment'] }))
    expect(error.message).toContain('Harbor Treatment Center is already in the directory')
    expect(error.detail).toMatchObject({ field: 'name', agencyId: treatment })
  })

  it('an inactive agency leaves the picker but not the records, and takes no new referral', async () => {
    await createReferral(desk.ctx, { participantId: person, agencyId: housing, type: 'housing' })
    await setAgencyActive(desk.ctx, housing, false)
    expect((await listAgencies(desk.ctx)).map((a) => a.name)).toEqual(['Harbor Treatment Center'])
    const all = await listAgencies(desk.ctx, { includeInactive: true })
    expect(all.find((a) => a.id === housing)).toMatchObject({ active: false, openReferrals: 1 })
    const error = await serviceError(createReferral(desk.ctx, { participantId: person, agencyId: housing, type: 'housing' }))
    expect(error.message).toMatch(/inactive/)
  })

  it('records which fields an edit changed, not their values', async () => {
    await saveAgency(desk.ctx, { id: housing, name: 'Open Door Housing', types: ['housing', 'employment'], phone: '555-0199' })
    const row = desk.opened.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'agency.update'`).pluck().get() as string
    expect(JSON.parse(row)).toEqual({ fields: ['phone', 'types'] })
  })
})

describe('consents (42 CFR Part 2)', () => {
  it('refuses a consent without an end, with an end already past, or beyond five years', async () => {
    expect((await serviceError(consentFor(treatment, { expiresOn: '2026-11-01', signedOn: '2026-10-01' }))).detail).toMatchObject({ field: 'expiresOn' })
    expect((await serviceError(consentFor(treatment, { expiresOn: '2032-01-01' }))).message).toMatch(/at most 5 years/)
    expect((await serviceError(consentFor(treatment, { signedOn: '2026-12-01' }))).message).toMatch(/future/)
    expect((await serviceError(consentFor(treatment, { information: [] }))).detail).toMatchObject({ field: 'information' })
    expect(desk.opened.sqlite.prepare('SELECT count(*) FROM consents').pluck().get()).toBe(0)
  })

  it('a referral shares under a consent only when it names that agency and holds today', async () => {
    const forHousing = await consentFor(housing)
    const wrongAgency = await serviceError(createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'treatment', consentId: forHousing.id }))
    expect(wrongAgency.message).toContain('Choose a consent this person signed for Harbor Treatment Center')

    const consent = await consentFor(treatment)
    const shared = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'detox', consentId: consent.id })
    expect(shared.consent).toMatchObject({ id: consent.id, state: 'active' })

    await revokeConsent(desk.ctx, consent.id, 'Changed their mind')
    const revoked = await serviceError(createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'mat', consentId: consent.id }))
    expect(revoked.message).toMatch(/was revoked/)
    // The earlier referral now shows its consent as revoked: nothing more may go out under it.
    expect((await getReferral(desk.ctx, shared.id)).consentState).toBe('revoked')
    expect(await serviceError(revokeConsent(desk.ctx, consent.id))).toMatchObject({ code: 'CONFLICT' })

    desk.clock.set('2027-11-26T15:00:00.000Z')
    const [housingConsent] = (await listConsents(desk.ctx, person)).filter((c) => c.id === forHousing.id)
    expect(housingConsent!.state).toBe('expired')
  })
})

describe('referrals', () => {
  it('refuses an agency that does not take that kind of referral, naming what to do', async () => {
    const error = await serviceError(createReferral(desk.ctx, { participantId: person, agencyId: housing, type: 'treatment' }))
    expect(error.message).toBe('Open Door Housing is not listed as taking treatment referrals. Choose another agency, or add treatment to it in the directory.')
  })

  it('moves through the pipeline with a history, closes with a day, and reopens', async () => {
    const made = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'treatment', note: 'Wants outpatient', followUpOn: '2026-11-27' })
    expect(made).toMatchObject({ status: 'pending', followUpOn: '2026-11-27', closedOn: null, consent: null })
    desk.clock.advance(60 * 24 * 2)
    await updateReferral(desk.ctx, made.id, { status: 'eligible', followUpOn: '2026-12-04', note: 'Intake set for Dec 3' })
    desk.clock.advance(60 * 24 * 7)
    const closed = await updateReferral(desk.ctx, made.id, { status: 'got_help', outcomeNote: 'Started outpatient' })
    expect(closed).toMatchObject({ status: 'got_help', closedOn: '2026-12-04', followUpOn: null, outcomeNote: 'Started outpatient' })
    expect(closed.events.map((e) => [e.status, e.followUpOn, e.note])).toEqual([
      ['pending', '2026-11-27', null],
      ['eligible', '2026-12-04', 'Intake set for Dec 3'],
      ['got_help', null, null],
    ])
    expect((await serviceError(updateReferral(desk.ctx, made.id, { followUpOn: '2026-12-10' }))).detail).toMatchObject({ field: 'followUpOn' })
    const reopened = await updateReferral(desk.ctx, made.id, { status: 'needs_client_action', followUpOn: '2026-12-10', note: 'Missed intake' })
    expect(reopened).toMatchObject({ closedOn: null, followUpOn: '2026-12-10' })
    // Nothing changed: no history line, no audit row.
    const before = auditActions(desk.opened).length
    await updateReferral(desk.ctx, made.id, { status: 'needs_client_action' })
    expect(auditActions(desk.opened).length).toBe(before)
    await expectAuditChainIntact(desk.opened)
  })

  it('refuses a follow-up before the referral, or a referral dated in the future, and changes nothing', async () => {
    expect((await serviceError(createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'detox', referredOn: '2026-11-20', followUpOn: '2026-11-19' }))).detail).toMatchObject({ field: 'followUpOn' })
    expect((await serviceError(createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'detox', referredOn: '2026-12-01' }))).detail).toMatchObject({ field: 'referredOn' })
    expect(desk.opened.sqlite.prepare('SELECT count(*) FROM referrals').pluck().get()).toBe(0)
  })

  it('asks before a second referral of one person to one agency within seven days, and makes it when that is meant', async () => {
    const first = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'treatment', referredOn: '2026-11-19' })
    const count = () => desk.opened.sqlite.prepare('SELECT count(*) FROM referrals').pluck().get()
    const asked = await serviceError(createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'detox' }))
    expect(asked).toMatchObject({ code: 'RECENT_REFERRAL', detail: { referralId: first.id, referredOn: '2026-11-19', status: 'pending', agencyName: 'Harbor Treatment Center' } })
    expect(count()).toBe(1)
    // Another agency, or another person, is not asked about.
    await createReferral(desk.ctx, { participantId: person, agencyId: housing, type: 'housing' })
    const again = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'detox', allowRecent: true })
    expect(again.type).toBe('detox')
    expect(count()).toBe(3)
  })

  it('does not ask once a week has passed', async () => {
    await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'treatment', referredOn: '2026-11-17' })
    expect((await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'treatment' })).referredOn).toBe('2026-11-25')
  })

  it('lists the work: due first by follow-up date, open, closed; and every list is audited', async () => {
    const other = (await createParticipant(desk.ctx, { firstName: 'Eli' })).id
    const a = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'treatment', followUpOn: '2026-11-25' })
    const b = await createReferral(desk.ctx, { participantId: other, agencyId: housing, type: 'housing', referredOn: '2026-11-01', followUpOn: '2026-11-10' })
    const c = await createReferral(desk.ctx, { participantId: other, agencyId: treatment, type: 'detox', followUpOn: '2026-12-01' })
    const d = await createReferral(desk.ctx, { participantId: person, agencyId: housing, type: 'housing' })
    const e = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'mat', allowRecent: true })
    await updateReferral(desk.ctx, e.id, { status: 'no_longer_interested' })

    const due = await listReferrals(desk.ctx, { view: 'due' }, 0, 50)
    expect(due.rows.map((r) => r.id)).toEqual([b.id, a.id])
    expect(due.dueCount).toBe(2)
    expect((await listReferrals(desk.ctx, { view: 'open' }, 0, 50)).rows.map((r) => r.id)).toEqual([b.id, a.id, c.id, d.id])
    expect((await listReferrals(desk.ctx, { view: 'closed' }, 0, 50)).rows.map((r) => r.id)).toEqual([e.id])
    const mine = await listReferrals(desk.ctx, { view: 'all', participantId: person, type: 'housing' }, 0, 50)
    expect(mine).toMatchObject({ total: 1, rows: [{ id: d.id, person: { firstName: 'Dana' }, agencyName: 'Open Door Housing' }] })
    const paged = await listReferrals(desk.ctx, { view: 'open' }, 1, 2)
    expect(paged).toMatchObject({ total: 4, rows: [{ id: a.id }, { id: c.id }] })
    expect(auditActions(desk.opened).filter((action) => action === 'referral.list')).toHaveLength(5)
  })

  it('open referrals by follow-up date use the partial index', async () => {
    const plan = desk.opened.sqlite
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM referrals WHERE closed_on IS NULL AND follow_up_on <= ? ORDER BY follow_up_on`)
      .all('2026-11-25') as Array<{ detail: string }>
    expect(plan.map((row) => row.detail).join('\n')).toContain('referrals_open_follow_up')
  })
})

describe('referrals and consents follow merges and retention', () => {
  it('a merge moves them to the kept record and undo moves exactly those back', async () => {
    const twin = (await createParticipant(desk.ctx, { firstName: 'Dana', birthYear: 1985 })).id
    const consent = await createConsent(desk.ctx, { participantId: twin, agencyId: treatment, purpose: 'Referral', information: ['contact'], signedOn: '2026-11-25', expiresOn: '2027-01-01' })
    const referral = await createReferral(desk.ctx, { participantId: twin, agencyId: treatment, type: 'detox', consentId: consent.id })
    const merge = await mergeParticipants(desk.ctx, person, twin)
    expect((await listReferrals(desk.ctx, { view: 'all', participantId: person }, 0, 10)).rows.map((r) => r.id)).toEqual([referral.id])
    expect((await listConsents(desk.ctx, person)).map((c) => c.id)).toEqual([consent.id])
    await undoMerge(desk.ctx, merge.id)
    expect((await listReferrals(desk.ctx, { view: 'all', participantId: person }, 0, 10)).total).toBe(0)
    expect((await getReferral(desk.ctx, referral.id)).person.id).toBe(twin)
    expect((await listConsents(desk.ctx, twin)).map((c) => c.id)).toEqual([consent.id])
  })

  it('retention keeps referral outcomes for the counts and clears what was written about the person', async () => {
    const consent = await consentFor(treatment)
    const referral = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'treatment', note: 'Private words', consentId: consent.id })
    await updateReferral(desk.ctx, referral.id, { status: 'got_help', note: 'Called Dana', outcomeNote: 'Doing well' })
    await setRetentionPolicy(desk.ctx, { enabled: true, years: 1, mode: 'deidentify' })

    // Work on a referral within the period keeps the person.
    desk.clock.set('2027-11-20T15:00:00.000Z')
    await updateReferral(desk.ctx, referral.id, { note: 'Checked in by phone' })
    desk.clock.set('2028-11-01T15:00:00.000Z')
    expect((await previewRetention(desk.ctx)).people).toBe(0)

    desk.clock.set('2029-01-01T15:00:00.000Z')
    expect(await previewRetention(desk.ctx)).toMatchObject({ people: 1, referrals: 1, consents: 1 })
    await applyRetention(desk.ctx)
    const row = desk.opened.sqlite.prepare('SELECT type, status, note, outcome_note, closed_on FROM referrals').get()
    expect(row).toEqual({ type: 'treatment', status: 'got_help', note: null, outcome_note: null, closed_on: '2026-11-25' })
    const notes = desk.opened.sqlite.prepare('SELECT note FROM referral_events WHERE note IS NOT NULL').pluck().all()
    expect(notes).toEqual(['[removed]', '[removed]'])
    expect(desk.opened.sqlite.prepare('SELECT purpose FROM consents').pluck().get()).toBe('[removed]')
    await expectAuditChainIntact(desk.opened)
  })

  it('the referral history is append-only in the database itself', async () => {
    const made = await createReferral(desk.ctx, { participantId: person, agencyId: treatment, type: 'treatment' })
    expect(() => desk.opened.sqlite.prepare(`UPDATE referral_events SET status = 'got_help' WHERE referral_id = ?`).run(made.id)).toThrow(/append-only/)
    expect(() => desk.opened.sqlite.prepare(`DELETE FROM referral_events WHERE referral_id = ?`).run(made.id)).toThrow(/append-only/)
  })
})

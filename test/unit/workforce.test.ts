import { describe, expect, it } from 'vitest'
import { logContact } from '../../db/services/coaching'
import { createStaff } from '../../db/services/staff-accounts'
import {
  addSupervision,
  addTraining,
  confirmTraining,
  openDocument,
  renewCredential,
  saveCredential,
  sniffDocument,
  workforceOverview,
  workforcePerson,
  workforceReminders,
  workforceReport,
  type Viewer,
} from '../../db/services/workforce'
import { addMonths, periodTotals, renewalPeriod } from '../../db/workforce-types'
import { auditActionsOf, serviceError, useCenter } from './front-desk-helpers'
import { rowCounts } from './helpers'
import { describeEachBackend } from './pg-helpers'

describe('renewal periods and what is still missing (pure rules)', () => {
  const requirement = { requiredMinutes: 40 * 60, categoryMinutes: { ethics: 6 * 60 } }

  it('a credential with an expiry counts training in the period that ends on it, never before issue', () => {
    expect(renewalPeriod('2025-07-01', '2027-06-30', 24, '2026-11-25')).toEqual({ from: '2025-07-01', to: '2027-06-30' })
    // Issued late in the cycle: the period starts at issue, not two years before expiry.
    expect(renewalPeriod('2026-03-01', '2027-06-30', 24, '2026-11-25')).toEqual({ from: '2026-03-01', to: '2027-06-30' })
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29')
  })

  it('without an expiry, periods of the kind’s length follow each other from issue: the clock crosses a boundary', () => {
    expect(renewalPeriod('2024-12-01', null, 24, '2026-11-30')).toEqual({ from: '2024-12-01', to: '2026-11-30' })
    expect(renewalPeriod('2024-12-01', null, 24, '2026-12-01')).toEqual({ from: '2026-12-01', to: '2028-11-30' })
  })

  it('only confirmed training in the period counts; the category hours are part of the total and still missing if not done', () => {
    const training = [
      { takenOn: '2026-05-01', minutes: 30 * 60, categoryKey: 'other', confirmed: true },
      { takenOn: '2026-06-01', minutes: 10 * 60, categoryKey: 'trauma_informed', confirmed: true },
      { takenOn: '2026-07-01', minutes: 4 * 60, categoryKey: 'ethics', confirmed: false },
      { takenOn: '2024-06-01', minutes: 8 * 60, categoryKey: 'ethics', confirmed: true },
    ]
    const totals = periodTotals({ from: '2025-07-01', to: '2027-06-30' }, requirement, training)
    expect(totals.doneMinutes).toBe(40 * 60)
    expect(totals.pendingMinutes).toBe(4 * 60)
    // 40 hours done, but none of it ethics: the 6 ethics hours are still missing.
    expect(totals.missingMinutes).toBe(6 * 60)
    expect(totals.categories).toEqual([{ key: 'ethics', requiredMinutes: 360, doneMinutes: 0, missingMinutes: 360 }])
  })
})

describeEachBackend('the workforce records', (backend) => {
  const desk = useCenter(backend)

  const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n').toString('base64')
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64')

  async function setUp() {
    const d = desk()
    const manager = await createStaff(d.ctx, { username: 'morgan', displayName: 'Morgan Manager', role: 'manager', password: 'a long enough password' })
    const peer = await createStaff(d.ctx, { username: 'pat', displayName: 'Pat Peer', role: 'peer_specialist', password: 'a long enough password' })
    const other = await createStaff(d.ctx, { username: 'quinn', displayName: 'Quinn Peer', role: 'peer_specialist', password: 'a long enough password' })
    const asManager: Viewer = { staffId: manager.id, role: 'manager' }
    const asPeer: Viewer = { staffId: peer.id, role: 'peer_specialist' }
    const managerCtx = { ...d.ctx, staffId: manager.id }
    const peerCtx = { ...d.ctx, staffId: peer.id }
    return { d, manager, peer, other, asManager, asPeer, managerCtx, peerCtx }
  }

  describe('the workforce services', () => {
    it('totals move across a renewal boundary with an injected clock: the old period’s hours do not count toward the new one', async () => {
      const { d, peer, asManager, managerCtx } = await setUp()
      d.clock.set('2026-01-10T15:00:00.000Z')
      const cert = await saveCredential(managerCtx, { staffId: peer.id, kindId: 1, issuer: 'State board', issuedOn: '2024-07-01', expiresOn: '2026-06-30', document: { fileName: 'cert.pdf', base64: PDF } })
      await addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-01-05', title: 'Ethics for peers', hours: 6, categoryId: 1 })
      await addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-01-08', title: 'Trauma basics', hours: 20, categoryId: 3 })
      let person = await workforcePerson(managerCtx, asManager, peer.id)
      expect(person.progress).toEqual([expect.objectContaining({ credentialId: cert.id, from: '2024-07-01', to: '2026-06-30', requiredHours: 40, doneHours: 26, missingHours: 14 })])
      expect(person.progress[0]!.categories).toEqual([expect.objectContaining({ key: 'ethics', doneHours: 6, missingHours: 0 })])

      // Past the expiry without a renewal: expired, and the old period still shows what it lacked.
      d.clock.set('2026-07-02T15:00:00.000Z')
      person = await workforcePerson(managerCtx, asManager, peer.id)
      expect(person.credentials[0]).toMatchObject({ status: 'expired', daysLeft: -2 })
      expect((await workforceReminders(managerCtx, asManager)).map((r) => r.kind)).toContain('expired')

      // Renewed: a new period starts and the earlier hours no longer count toward it.
      const renewed = await renewCredential(managerCtx, { id: cert.id, issuedOn: '2026-07-01', expiresOn: '2028-06-30' })
      await addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-07-02', title: 'Boundaries', hours: 2, categoryId: 1 })
      person = await workforcePerson(managerCtx, asManager, peer.id)
      expect(person.credentials.map((c) => [c.id, c.status])).toEqual([
        [renewed.id, 'active'],
        [cert.id, 'renewed'],
      ])
      expect(person.progress).toEqual([expect.objectContaining({ credentialId: renewed.id, from: '2026-07-01', doneHours: 2, missingHours: 38 })])
      expect(person.progress[0]!.categories[0]).toMatchObject({ key: 'ethics', doneHours: 2, missingHours: 4 })
      expect(await serviceError(renewCredential(managerCtx, { id: cert.id, issuedOn: '2026-07-01', expiresOn: '2028-06-30' }))).toMatchObject({ code: 'CONFLICT', key: 'workforce.alreadyRenewed' })
    })

    it('a specialist’s own training waits for a manager’s confirmation before it counts; they cannot see or add anyone else’s', async () => {
      const { d, peer, other, asManager, asPeer, managerCtx, peerCtx } = await setUp()
      await saveCredential(managerCtx, { staffId: peer.id, kindId: 1, issuer: 'State board', issuedOn: '2025-01-01', expiresOn: '2026-12-31' })
      const entry = await addTraining(peerCtx, asPeer, { staffId: peer.id, takenOn: '2026-11-20', title: 'Suicide prevention', hours: 4, categoryId: 5, document: { fileName: 'proof.png', base64: PNG } })
      expect(entry).toMatchObject({ confirmed: false, hours: 4 })
      let progress = (await workforcePerson(peerCtx, asPeer, peer.id)).progress[0]!
      expect(progress).toMatchObject({ doneHours: 0, pendingHours: 4, missingHours: 40 })
      expect((await workforceReminders(managerCtx, asManager)).map((r) => r.kind)).toEqual(expect.arrayContaining(['short_hours', 'unconfirmed']))
      // A specialist's reminders are their own, and never the manager's list of entries to confirm.
      expect((await workforceReminders(peerCtx, asPeer)).map((r) => r.kind)).toEqual(['expiring', 'short_hours'])

      await confirmTraining(managerCtx, entry.id)
      progress = (await workforcePerson(peerCtx, asPeer, peer.id)).progress[0]!
      expect(progress).toMatchObject({ doneHours: 4, pendingHours: 0, missingHours: 36 })
      expect(await serviceError(confirmTraining(managerCtx, entry.id))).toMatchObject({ code: 'CONFLICT' })

      expect(await serviceError(workforcePerson(peerCtx, asPeer, other.id))).toMatchObject({ code: 'FORBIDDEN' })
      expect(await serviceError(addTraining(peerCtx, asPeer, { staffId: other.id, takenOn: '2026-11-20', title: 'x', hours: 1, categoryId: 1 }))).toMatchObject({ code: 'FORBIDDEN' })
      expect((await workforceOverview(peerCtx, asPeer)).map((r) => r.id)).toEqual([peer.id])
      expect((await workforceOverview(managerCtx, asManager)).length).toBe(4)

      // The attached proof: its owner may open it, another specialist may not; every look is audited.
      const documentId = entry.document!.id
      expect(await openDocument(peerCtx, asPeer, documentId)).toMatchObject({ fileName: 'proof.png', mime: 'image/png', base64: PNG })
      expect(await serviceError(openDocument({ ...d.ctx, staffId: other.id }, { staffId: other.id, role: 'peer_specialist' }, documentId))).toMatchObject({ code: 'FORBIDDEN' })
      expect((await auditActionsOf(d.ctx.db)).filter((a) => a === 'workforce.document_view')).toHaveLength(1)
    })

    it('bad input is refused with a clear message and writes nothing', async () => {
      const { d, peer, asManager, managerCtx } = await setUp()
      const before = await rowCounts(d.ctx.db)
      const refusals = await Promise.all([
        serviceError(saveCredential(managerCtx, { staffId: peer.id, kindId: 1, issuer: 'Board', issuedOn: '2026-01-01', expiresOn: '2025-12-31' })),
        serviceError(addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-11-01', title: 'Too long', hours: 25, categoryId: 1 })),
        serviceError(addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-11-01', title: 'Negative', hours: -2, categoryId: 1 })),
        serviceError(addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-11-01', title: 'Not a PDF', hours: 2, categoryId: 1, document: { fileName: 'proof.pdf', base64: Buffer.from('MZ this is a program').toString('base64') } })),
        serviceError(addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-11-01', title: 'Renamed', hours: 2, categoryId: 1, document: { fileName: 'proof.docx', base64: PDF } })),
        serviceError(addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-11-01', title: 'Huge', hours: 2, categoryId: 1, document: { fileName: 'big.pdf', base64: Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(5 * 1024 * 1024)]).toString('base64') } })),
        serviceError(addSupervision(managerCtx, { staffId: peer.id, supervisorId: peer.id, heldOn: '2026-11-01', hours: 1, format: 'individual' })),
        serviceError(addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-12-01', title: 'Future', hours: 2, categoryId: 1 })),
      ])
      expect(refusals.map((e) => e.key)).toEqual([
        'workforce.expiryBeforeIssue',
        'workforce.hoursRange',
        'workforce.hoursRange',
        'workforce.documentType',
        'workforce.documentType',
        'workforce.documentSize',
        'workforce.selfSupervision',
        'workforce.future',
      ])
      // More than 24 hours in one day, across two entries.
      await addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-11-02', title: 'Long day', hours: 20, categoryId: 1 })
      expect(await serviceError(addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-11-02', title: 'And more', hours: 5, categoryId: 1 }))).toMatchObject({ key: 'workforce.dayOver' })
      const after = await rowCounts(d.ctx.db)
      expect({ ...after, workforce_training: after.workforce_training! - 1, audit_log: after.audit_log! - 1 }).toEqual(before)
    })

    it('tells a file by its first bytes and its name together', () => {
      expect(sniffDocument('a.pdf', Buffer.from(PDF, 'base64'))).toBe('application/pdf')
      expect(sniffDocument('a.PNG', Buffer.from(PNG, 'base64'))).toBe('image/png')
      expect(sniffDocument('a.jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
      expect(sniffDocument('a.png', Buffer.from(PDF, 'base64'))).toBeNull()
      expect(sniffDocument('a.pdf', Buffer.from('<html>'))).toBeNull()
    })

    it('supervision totals per month and per period, and the funder page counts specialists by status', async () => {
      const { peer, manager, asManager, managerCtx, peerCtx } = await setUp()
      await saveCredential(managerCtx, { staffId: peer.id, kindId: 1, issuer: 'State board', issuedOn: '2025-01-01', expiresOn: '2026-12-31' })
      await addSupervision(managerCtx, { staffId: peer.id, supervisorId: manager.id, heldOn: '2026-10-03', hours: 1.5, format: 'individual', note: 'boundaries' })
      await addSupervision(managerCtx, { staffId: peer.id, supervisorId: manager.id, heldOn: '2026-11-03', hours: 1, format: 'group' })
      await addTraining(managerCtx, asManager, { staffId: peer.id, takenOn: '2026-10-10', title: 'Ethics', hours: 3, categoryId: 1 })
      // Coaching hours come from the contacts the peer logged: two warmline calls in November.
      await logContact(peerCtx, { participantId: null, callerLabel: 'Caller', contactOn: '2026-11-04', minutes: 50, kind: 'warmline', topics: [] })
      await logContact(peerCtx, { participantId: null, callerLabel: 'Caller', contactOn: '2026-11-20', minutes: 40, kind: 'warmline', topics: [] })
      const person = await workforcePerson(managerCtx, asManager, peer.id)
      expect(person.months.slice(-2)).toEqual([
        { month: '2026-10', groupHours: 0, deskHours: 0, coachingHours: 0, supervisionHours: 1.5, trainingHours: 3 },
        { month: '2026-11', groupHours: 0, deskHours: 0, coachingHours: 1.5, supervisionHours: 1, trainingHours: 0 },
      ])
      expect(person.progress[0]).toMatchObject({ supervisionHours: 2.5 })
      const report = await workforceReport(managerCtx, { from: '2026-01-01', to: '2026-11-25' })
      expect(report.byStatus).toMatchObject({ expiring: 1 })
      expect(report).toMatchObject({ trainingHours: 3, supervisionHours: 2.5 })
      expect(report.trainingByCategory.find((c) => c.key === 'ethics')).toMatchObject({ hours: 3 })
    })
  })
})

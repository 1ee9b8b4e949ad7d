import { describe, expect, it } from 'vitest'
import { saveAgency } from '../../db/services/agencies'
import { mergeParticipants } from '../../db/services/merges'
import { createParticipant } from '../../db/services/participants'
import { listReferralRequests } from '../../db/services/referral-requests'
import { createReferral } from '../../db/services/referrals'
import { signIn, signOut, voidVisit } from '../../db/services/visits'
import { useCenter } from './front-desk-helpers'
import { describeEachBackend } from './pg-helpers'

describeEachBackend('referral requests', (backend) => {
  const currentDesk = useCenter(backend)

  describe('a "Referral" ticked at the desk waits on the peer specialists’ work list', () => {
    it('lists people who asked and have no referral since, once each, newest first, for two weeks', async () => {
      const desk = currentDesk()
      const referral = desk.services['referral']!
      const meal = desk.services['meal']!
      const deshawn = await createParticipant(desk.ctx, { firstName: 'DeShawn', lastName: 'Miles' })
      const ana = await createParticipant(desk.ctx, { firstName: 'Ana' })
      const bo = await createParticipant(desk.ctx, { firstName: 'Bo' })
      const old = await createParticipant(desk.ctx, { firstName: 'Old' })
      const voided = await createParticipant(desk.ctx, { firstName: 'Voided' })

      // Three weeks ago: too old to wait on the list.
      desk.clock.set('2026-11-04T15:00:00.000Z')
      await signIn(desk.ctx, { participantId: old.id, services: [{ serviceId: referral.id, quantity: 1 }] })
      desk.clock.set('2026-11-23T15:00:00.000Z')
      const first = await signIn(desk.ctx, { participantId: deshawn.id, services: [{ serviceId: referral.id, quantity: 1 }] })
      await signOut(desk.ctx, first.id)
      desk.clock.set('2026-11-25T15:00:00.000Z')
      await signIn(desk.ctx, { participantId: deshawn.id, services: [{ serviceId: referral.id, quantity: 1 }] })
      await signIn(desk.ctx, { participantId: ana.id, services: [{ serviceId: meal.id, quantity: 1 }] })
      const wrong = await signIn(desk.ctx, { participantId: voided.id, services: [{ serviceId: referral.id, quantity: 1 }] })
      await voidVisit(desk.ctx, wrong.id, 'ticked by mistake')
      desk.clock.advance(5)
      await signIn(desk.ctx, { participantId: bo.id, services: [{ serviceId: referral.id, quantity: 1 }] })

      const listed = await listReferralRequests(desk.ctx)
      expect(listed.map((r) => [r.person.firstName, r.visitDate])).toEqual([
        ['Bo', '2026-11-25'],
        ['DeShawn', '2026-11-25'],
      ])
      const audit = String((await desk.ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'referral.requests').executeTakeFirstOrThrow()).detail)
      expect(JSON.parse(audit)).toEqual({ rows: 2, participantIds: [bo.id, deshawn.id] })

      // A referral made for DeShawn settles his request.
      const agency = await saveAgency(desk.ctx, { name: 'Harbor Treatment Center', types: ['treatment'] })
      await createReferral(desk.ctx, { participantId: deshawn.id, agencyId: agency.id, type: 'treatment' })
      expect((await listReferralRequests(desk.ctx)).map((r) => r.person.firstName)).toEqual(['Bo'])

      // Merged into another record: the request follows the kept person.
      const kept = await createParticipant(desk.ctx, { firstName: 'Robert' })
      await mergeParticipants(desk.ctx, kept.id, bo.id)
      expect((await listReferralRequests(desk.ctx)).map((r) => r.person.id)).toEqual([kept.id])
    })
  })
})

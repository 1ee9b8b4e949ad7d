import { beforeEach, describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../../db/services/audit'
import { listActiveServices, type CatalogService } from '../../db/services/catalog'
import { ServiceError, type ServiceContext, type ServiceErrorCode } from '../../db/services/context'
import { createParticipant, searchParticipants, type NewParticipantInput, type ParticipantSummary } from '../../db/services/participants'
import { completeSetup } from '../../db/services/setup'
import { authenticate, LOCKOUT_MINUTES, MAX_FAILED_LOGINS, recordLogout } from '../../db/services/staff'
import { signIn, todayVisits, visitById } from '../../db/services/visits'
import { context, rowCounts } from './helpers'
import { describeEachBackend, useRecords, type TestRecords } from './pg-helpers'

describeEachBackend('the first services', (backend) => {
  const records = useRecords(backend)
  let opened: TestRecords
  let ctx: ServiceContext
  let catalog: Record<string, CatalogService>

  beforeEach(async () => {
    opened = records()
    ctx = context(opened)
    catalog = Object.fromEntries((await listActiveServices(ctx)).map((s) => [s.key, s]))
  })

  async function serviceErrorCode(promise: Promise<unknown>): Promise<ServiceErrorCode> {
    try {
      await promise
    } catch (error) {
      if (error instanceof ServiceError) return error.code
      throw error
    }
    throw new Error('expected a ServiceError, but it succeeded')
  }

  function service(key: string): CatalogService {
    const found = catalog[key]
    if (!found) throw new Error(`no seeded service ${key}`)
    return found
  }

  const ids = (people: ParticipantSummary[]) => people.map((p) => p.id)

  describe('createParticipant', () => {
    it('requires a first name or a nickname, and writes nothing when refused', async () => {
      const refused: NewParticipantInput[] = [{}, { lastName: 'Only' }, { firstName: '   ', nickname: '\t' }, { firstName: null, phone: '555 1234' }]
      for (const input of refused) expect(await serviceErrorCode(createParticipant(ctx, input))).toBe('VALIDATION')
      expect((await rowCounts(opened.db)).participants).toBe(0)
      expect((await rowCounts(opened.db)).audit_log).toBe(0)

      expect((await createParticipant(ctx, { nickname: 'Sunny' })).nickname).toBe('Sunny')
      expect((await createParticipant(ctx, { firstName: 'Ana' })).firstName).toBe('Ana')
    })

    it('trims and collapses spaces, and stores blanks as null', async () => {
      const person = await createParticipant(ctx, { firstName: '  Mary   Ann ', nickname: '  ', lastName: ' Lee ', phone: ' (555) 010-4477 ' })
      expect(person).toMatchObject({ firstName: 'Mary Ann', nickname: null, lastName: 'Lee', phoneLast4: '4477' })
      const row = await opened.db.selectFrom('participants').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow()
      expect(row).toMatchObject({ first_name: 'Mary Ann', nickname: null, last_name: 'Lee', phone: '(555) 010-4477', phone_digits: '5550104477', name_key: 'mary ann lee' })
    })

    it('gives each person a 6-character code without look-alike characters', async () => {
      const codes = new Set<string>()
      for (let i = 0; i < 40; i++) codes.add((await createParticipant(ctx, { firstName: `P${i}` })).code)
      expect(codes.size).toBe(40)
      for (const code of codes) expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/)
    })
  })

  describe('searchParticipants', () => {
    let jose: ParticipantSummary
    let john: ParticipantSummary
    let maria: ParticipantSummary
    let mariaG: ParticipantSummary
    let percent: ParticipantSummary

    beforeEach(async () => {
      jose = await createParticipant(ctx, { firstName: 'José', lastName: 'Álvarez', birthYear: 1984, phone: '(555) 201-7788' })
      john = await createParticipant(ctx, { firstName: 'John', nickname: 'Jojo', lastName: 'Smith', birthYear: 1990, phone: '555-201-1234' })
      maria = await createParticipant(ctx, { firstName: 'María', lastName: 'López', birthYear: 1975 })
      mariaG = await createParticipant(ctx, { firstName: 'Maria', lastName: 'Gomez', birthYear: 1984 })
      percent = await createParticipant(ctx, { firstName: 'Axb', lastName: 'Kent' })
    })

    it('finds by the start of any name word, ignoring case and accents', async () => {
      expect(ids(await searchParticipants(ctx, 'jose'))).toEqual([jose.id])
      expect(ids(await searchParticipants(ctx, 'JOSÉ'))).toEqual([jose.id])
      expect(ids(await searchParticipants(ctx, 'alv'))).toEqual([jose.id])
      expect(ids(await searchParticipants(ctx, 'jojo'))).toEqual([john.id])
      expect(new Set(ids(await searchParticipants(ctx, 'jo')))).toEqual(new Set([jose.id, john.id]))
      // Only word starts match: "ose" is inside José, not at the start of a word.
      expect(await searchParticipants(ctx, 'ose')).toEqual([])
    })

    it('needs every word typed to match', async () => {
      expect(ids(await searchParticipants(ctx, 'maria lopez'))).toEqual([maria.id])
      expect(ids(await searchParticipants(ctx, 'lop mar'))).toEqual([maria.id])
      expect(await searchParticipants(ctx, 'maria smith')).toEqual([])
    })

    it('finds by code, in any case', async () => {
      expect(ids(await searchParticipants(ctx, john.code))).toEqual([john.id])
      expect(ids(await searchParticipants(ctx, john.code.toLowerCase()))).toEqual([john.id])
    })

    it('finds by the last four digits of a phone number', async () => {
      expect(ids(await searchParticipants(ctx, '7788'))).toEqual([jose.id])
      expect(ids(await searchParticipants(ctx, '1234'))).toEqual([john.id])
      expect(ids(await searchParticipants(ctx, '2017788'))).toEqual([jose.id])
    })

    it('finds by birth year', async () => {
      expect(new Set(ids(await searchParticipants(ctx, '1984')))).toEqual(new Set([jose.id, mariaG.id]))
      expect(ids(await searchParticipants(ctx, 'maria 1984'))).toEqual([mariaG.id])
    })

    it('treats LIKE wildcards as plain characters', async () => {
      expect(await searchParticipants(ctx, '%')).toEqual([])
      expect(await searchParticipants(ctx, '_')).toEqual([])
      expect(await searchParticipants(ctx, 'a_b')).toEqual([])
      expect(await searchParticipants(ctx, 'j%')).toEqual([])
      expect(await searchParticipants(ctx, '\\')).toEqual([])
      expect(ids(await searchParticipants(ctx, 'axb'))).toEqual([percent.id])
    })

    it('puts people seen recently first', async () => {
      // Both Marías match; the one who visited comes first even though she was created earlier.
      expect(ids(await searchParticipants(ctx, 'maria'))).toEqual([mariaG.id, maria.id])
      await signIn({ ...ctx, now: () => new Date('2026-11-20T15:00:00Z') }, { participantId: maria.id, services: [] })
      expect(ids(await searchParticipants(ctx, 'maria'))).toEqual([maria.id, mariaG.id])
      await signIn({ ...ctx, now: () => new Date('2026-11-21T15:00:00Z') }, { participantId: mariaG.id, services: [] })
      expect(ids(await searchParticipants(ctx, 'maria'))).toEqual([mariaG.id, maria.id])
    })

    it('returns nothing for blank input and respects the limit', async () => {
      expect(await searchParticipants(ctx, '   ')).toEqual([])
      expect(await searchParticipants(ctx, 'j', 1)).toHaveLength(1)
    })
  })

  describe('signIn', () => {
    it('signs in a registered person with services and quantities', async () => {
      const person = await createParticipant(ctx, { firstName: 'Lena' })
      const visit = await signIn(ctx, {
        participantId: person.id,
        services: [
          { serviceId: service('meal').id, quantity: 2 },
          { serviceId: service('shower').id, quantity: 1 },
        ],
        note: '  needs socks  ',
      })
      expect(visit.participant?.id).toBe(person.id)
      expect(visit.note).toBe('needs socks')
      expect(visit.services.map((s) => [s.key, s.quantity])).toEqual([
        ['meal', 2],
        ['shower', 1],
      ])
      const row = await opened.db.selectFrom('participants').select('last_visit_at').where('id', '=', person.id).executeTakeFirstOrThrow()
      expect(row.last_visit_at).toBe(visit.signedInAt)
    })

    it('answers with the visit as the board reads it back: services in the catalog\'s order, whatever order the desk sent them in', async () => {
      const person = await createParticipant(ctx, { firstName: 'Lena', lastName: 'Ortiz', nickname: 'Len' })
      const lines = [service('shower'), service('naloxone'), service('meal')].map((s, i) => ({ serviceId: s.id, quantity: s.key === 'naloxone' ? 2 : 1, i }))
      const visits = [
        await signIn(ctx, { participantId: person.id, services: lines.map(({ serviceId, quantity }) => ({ serviceId, quantity })), note: ' socks ' }),
        await signIn(ctx, { participantId: null, anonymousCode: 'blue7', services: [] }),
        await signIn(ctx, { participantId: null, services: [...lines].reverse().map(({ serviceId, quantity }) => ({ serviceId, quantity })) }),
      ]
      expect(visits[0]!.services.map((s) => s.key)).not.toEqual(['shower', 'naloxone', 'meal'])
      for (const visit of visits) expect(visit).toEqual(await visitById(ctx, visit.id))
    })

    it('signs in someone just registered (the new-person flow)', async () => {
      const person = await createParticipant(ctx, { nickname: 'Tiny' })
      const visit = await signIn(ctx, { participantId: person.id, services: [{ serviceId: service('naloxone').id, quantity: 3 }] })
      expect(visit.participant).toMatchObject({ id: person.id, code: person.code, nickname: 'Tiny' })
      expect(ids(await searchParticipants(ctx, 'tiny'))).toEqual([person.id])
    })

    it('signs in an anonymous visitor, with or without a chosen code', async () => {
      const withCode = await signIn(ctx, { participantId: null, anonymousCode: ' ab-12 ', services: [{ serviceId: service('meal').id, quantity: 1 }] })
      expect(withCode.participant).toBeNull()
      expect(withCode.anonymousCode).toBe('AB-12')
      const without = await signIn(ctx, { participantId: null, services: [] })
      expect(without.anonymousCode).toBeNull()
      // Anonymous visitors without a code cannot be told apart, so they are never "already here".
      await signIn(ctx, { participantId: null, services: [] })
      expect((await rowCounts(opened.db)).visits).toBe(3)
    })

    it('refuses a retired service and a quantity on a service that has none', async () => {
      const person = await createParticipant(ctx, { firstName: 'Omar' })
      await opened.db.updateTable('services').set({ retired_at: '2026-01-01T00:00:00.000Z' }).where('key', '=', 'laundry').execute()
      expect(await serviceErrorCode(signIn(ctx, { participantId: person.id, services: [{ serviceId: service('laundry').id, quantity: 1 }] }))).toBe('VALIDATION')
      expect(await serviceErrorCode(signIn(ctx, { participantId: person.id, services: [{ serviceId: service('shower').id, quantity: 2 }] }))).toBe('VALIDATION')
      expect(
        await serviceErrorCode(
          signIn(ctx, {
            participantId: person.id,
            services: [
              { serviceId: service('meal').id, quantity: 1 },
              { serviceId: service('meal').id, quantity: 1 },
            ],
          }),
        ),
      ).toBe('VALIDATION')
      expect((await rowCounts(opened.db)).visits).toBe(0)
    })

    it('refuses a second sign-in of someone still here, adding no visit; allowRepeat adds one', async () => {
      const person = await createParticipant(ctx, { firstName: 'Dee' })
      const first = await signIn(ctx, { participantId: person.id, services: [] })
      const auditBefore = (await rowCounts(opened.db)).audit_log

      let refusal: unknown
      await signIn(ctx, { participantId: person.id, services: [] }).catch((error: unknown) => (refusal = error))
      expect(refusal).toBeInstanceOf(ServiceError)
      expect(refusal).toMatchObject({ code: 'ALREADY_SIGNED_IN', detail: { visitId: first.id } })
      expect(await rowCounts(opened.db)).toMatchObject({ visits: 1, audit_log: auditBefore })

      const again = await signIn(ctx, { participantId: person.id, services: [], allowRepeat: true })
      expect(again.id).not.toBe(first.id)
      expect((await rowCounts(opened.db)).visits).toBe(2)
    })

    it('finds who is already here at both ends of the time zones (the look-up reads from the UTC day before on)', async () => {
      // 00:05 on 3 November at UTC+14 is still 2 November in UTC; 23:55 on 2 November at UTC-11 is already 3 November.
      for (const [timeZone, at] of [
        ['Pacific/Kiritimati', '2026-11-02T10:05:00.000Z'],
        ['Pacific/Pago_Pago', '2026-11-03T10:55:00.000Z'],
      ] as const) {
        const local = context(opened, { timeZone, now: () => new Date(at) })
        const person = await createParticipant(local, { firstName: 'Early' })
        const first = await signIn(local, { participantId: person.id, services: [] })
        let refusal: unknown
        await signIn(local, { participantId: person.id, services: [] }).catch((error: unknown) => (refusal = error))
        expect(refusal, timeZone).toMatchObject({ code: 'ALREADY_SIGNED_IN', detail: { visitId: first.id } })
      }
    })

    it('refuses a second sign-in of the same anonymous code while still here', async () => {
      await signIn(ctx, { participantId: null, anonymousCode: 'blue7', services: [] })
      expect(await serviceErrorCode(signIn(ctx, { participantId: null, anonymousCode: 'BLUE7', services: [] }))).toBe('ALREADY_SIGNED_IN')
      expect((await rowCounts(opened.db)).visits).toBe(1)
    })

    it('leaves nothing behind when it fails, even after the visit row was written', async () => {
      const person = await createParticipant(ctx, { firstName: 'Pat' })
      const before = await rowCounts(opened.db)

      // Unknown service: refused before any insert.
      expect(await serviceErrorCode(signIn(ctx, { participantId: person.id, services: [{ serviceId: 9999, quantity: 1 }] }))).toBe('VALIDATION')
      // Unknown person.
      expect(await serviceErrorCode(signIn(ctx, { participantId: 9999, services: [] }))).toBe('NOT_FOUND')
      // Quantity 1000 passes the service's own checks (the IPC schema stops it earlier) and fails the
      // table's CHECK after the visit row is in: only the transaction stands between us and half a visit.
      await expect(signIn(ctx, { participantId: person.id, services: [{ serviceId: service('meal').id, quantity: 1000 }] })).rejects.toThrow(/CHECK/i)

      expect(await rowCounts(opened.db)).toEqual(before)
      const row = await opened.db.selectFrom('participants').select('last_visit_at').where('id', '=', person.id).executeTakeFirstOrThrow()
      expect(row.last_visit_at).toBeNull()
    })
  })

  describe('todayVisits', () => {
    it("uses the center's time zone, not UTC, to decide what today is", async () => {
      const timeZone = 'America/Chicago' // UTC-6 in November
      const at = (iso: string): ServiceContext => ({ ...ctx, timeZone, now: () => new Date(iso) })
      const late = await createParticipant(ctx, { firstName: 'Lateevening' })
      const early = await createParticipant(ctx, { firstName: 'Justaftermidnight' })

      // 23:30 on the 24th in Chicago, already the 25th in UTC.
      await signIn(at('2026-11-25T05:30:00Z'), { participantId: late.id, services: [] })
      // 00:05 on the 25th in Chicago.
      const afterMidnight = await signIn(at('2026-11-25T06:05:00Z'), { participantId: early.id, services: [] })

      const noonOn25th = await todayVisits(at('2026-11-25T18:00:00Z'))
      expect(noonOn25th.map((v) => v.participant?.id)).toEqual([early.id])
      expect(noonOn25th[0]!.id).toBe(afterMidnight.id)

      // 23:59 on the 24th in Chicago: only the late visit.
      expect((await todayVisits(at('2026-11-25T05:59:00Z'))).map((v) => v.participant?.id)).toEqual([late.id])

      // Both instants are on the 25th in UTC: the visit's date was taken in the center's zone.
      const dates = await opened.db.selectFrom('visits').select(['participant_id', 'visit_date']).orderBy('id').execute()
      expect(dates).toEqual([
        { participant_id: late.id, visit_date: '2026-11-24' },
        { participant_id: early.id, visit_date: '2026-11-25' },
      ])
    })

    it('a person signed in yesterday and never signed out can sign in again today', async () => {
      const timeZone = 'America/Chicago'
      const person = await createParticipant(ctx, { firstName: 'Nightowl' })
      await signIn({ ...ctx, timeZone, now: () => new Date('2026-11-25T05:30:00Z') }, { participantId: person.id, services: [] })
      await signIn({ ...ctx, timeZone, now: () => new Date('2026-11-25T06:30:00Z') }, { participantId: person.id, services: [] })
      expect((await rowCounts(opened.db)).visits).toBe(2)
    })
  })

  describe('authenticate', () => {
    const password = 'correct horse battery'
    let clock: Date
    let staffId: number
    const at = (): ServiceContext => ({ ...ctx, now: () => clock })

    beforeEach(async () => {
      clock = new Date('2026-11-25T15:00:00Z')
      staffId = (await completeSetup(at(), { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password })).id
    })

    it('accepts the right password and refuses a wrong one or an unknown name alike', async () => {
      expect(await authenticate(at(), 'robin', password)).toMatchObject({ id: staffId, username: 'robin', role: 'admin' })
      expect(await authenticate(at(), 'ROBIN', password)).toMatchObject({ id: staffId })
      expect(await serviceErrorCode(authenticate(at(), 'robin', 'wrong password'))).toBe('AUTH_FAILED')
      expect(await serviceErrorCode(authenticate(at(), 'nobody', password))).toBe('AUTH_FAILED')
    })

    it(`locks the account after ${MAX_FAILED_LOGINS} failures, even for the right password, until the lock passes`, async () => {
      for (let i = 0; i < MAX_FAILED_LOGINS; i++) expect(await serviceErrorCode(authenticate(at(), 'robin', `guess ${i}`))).toBe('AUTH_FAILED')
      expect(await serviceErrorCode(authenticate(at(), 'robin', password))).toBe('LOCKED_OUT')

      clock = new Date(clock.getTime() + (LOCKOUT_MINUTES - 1) * 60_000)
      expect(await serviceErrorCode(authenticate(at(), 'robin', password))).toBe('LOCKED_OUT')

      clock = new Date(clock.getTime() + 2 * 60_000)
      expect(await authenticate(at(), 'robin', password)).toMatchObject({ id: staffId })
      const row = await opened.db.selectFrom('staff').select(['failed_logins', 'locked_until']).where('id', '=', staffId).executeTakeFirstOrThrow()
      expect(row).toEqual({ failed_logins: 0, locked_until: null })
    })

    it('does not lock for failures fewer than the limit, and a success resets the count', async () => {
      for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) await serviceErrorCode(authenticate(at(), 'robin', 'nope'))
      await authenticate(at(), 'robin', password)
      for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) await serviceErrorCode(authenticate(at(), 'robin', 'nope'))
      expect(await authenticate(at(), 'robin', password)).toMatchObject({ id: staffId })
    })
  })

  describe('audit trail', () => {
    it('every write appends one audit row, in order, and the chain verifies', async () => {
      const admin = await completeSetup(ctx, { centerName: 'Harbor House', adminName: 'Robin', username: 'robin', password: 'a long password' })
      const asAdmin: ServiceContext = { ...ctx, staffId: admin.id }
      const person = await createParticipant(asAdmin, { firstName: 'Quinn' })
      const visit = await signIn(asAdmin, { participantId: person.id, services: [{ serviceId: service('meal').id, quantity: 1 }] })
      await serviceErrorCode(authenticate(ctx, 'robin', 'wrong'))
      await authenticate(ctx, 'robin', 'a long password')
      await recordLogout(asAdmin)

      const rows = await opened.db.selectFrom('audit_log').select(['id', 'action', 'staff_id', 'target_type', 'target_id']).orderBy('id').execute()
      expect(rows).toEqual([
        { id: 1, action: 'setup.complete', staff_id: admin.id, target_type: 'staff', target_id: admin.id },
        { id: 2, action: 'participant.create', staff_id: admin.id, target_type: 'participant', target_id: person.id },
        { id: 3, action: 'visit.sign_in', staff_id: admin.id, target_type: 'visit', target_id: visit.id },
        { id: 4, action: 'auth.failed', staff_id: admin.id, target_type: null, target_id: null },
        { id: 5, action: 'auth.login', staff_id: admin.id, target_type: null, target_id: null },
        { id: 6, action: 'auth.logout', staff_id: admin.id, target_type: null, target_id: null },
      ])
      expect(await verifyAuditChain(opened.db)).toEqual({ rows: 6, firstBroken: null })
    })
  })
})

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkDuplicates, editDistance } from '../../db/services/duplicates'
import { DEFAULT_FIELD_RULES, getFieldRules, setFieldRules } from '../../db/services/field-rules'
import { fillMissingNameKeys } from '../../db/services/participant-fields'
import { createParticipant, type NewParticipantInput } from '../../db/services/participants'
import { getParticipantProfile, updateParticipant } from '../../db/services/profile'
import { signIn, updateVisit, voidVisit } from '../../db/services/visits'
import { PARTICIPANT_FIELDS, type DuplicateCandidate } from '../../db/types'
import { auditActions, expectAuditChainIntact, openDesk, serviceError, type Desk } from './front-desk-helpers'
import { tableCounts, useTempDirs } from './helpers'

const tempDir = useTempDirs()
let desk: Desk

beforeEach(async () => {
  desk = await openDesk(tempDir())
})

afterEach(async () => {
  await expectAuditChainIntact(desk.opened)
  await desk.opened.close()
})

describe('field rules', () => {
  it('start from the defaults: only the fields that help find and greet someone are offered, none required', async () => {
    const rules = await getFieldRules(desk.ctx.db)
    expect(rules).toEqual(DEFAULT_FIELD_RULES)
    expect(Object.keys(rules).sort()).toEqual([...PARTICIPANT_FIELDS].sort())
    expect(rules).toMatchObject({ lastName: 'optional', birthYear: 'optional', phone: 'optional', birthDate: 'hidden', emergencyContact: 'hidden' })
    expect(Object.values(rules)).not.toContain('required')
  })

  it('are changed field by field, kept across reads, and audited', async () => {
    const changed = await setFieldRules(desk.ctx, { phone: 'required', gender: 'optional' })
    expect(changed).toEqual({ ...DEFAULT_FIELD_RULES, phone: 'required', gender: 'optional' })
    expect(await getFieldRules(desk.ctx.db)).toEqual(changed)
    expect(await setFieldRules(desk.ctx, { gender: 'hidden' })).toEqual({ ...DEFAULT_FIELD_RULES, phone: 'required' })
    expect(auditActions(desk.opened).filter((a) => a === 'settings.field_rules')).toHaveLength(2)
    const error = await serviceError(setFieldRules(desk.ctx, { phone: 'sometimes' as never }))
    expect(error).toMatchObject({ code: 'VALIDATION', detail: { field: 'phone' } })
  })

  it('ignore a damaged or stale stored value instead of failing', async () => {
    const now = desk.clock.now().toISOString()
    await desk.ctx.db.insertInto('settings').values({ key: 'participant_fields', value: '{"phone":"required","gender":"bogus","nope":"required"}', updated_at: now }).execute()
    expect(await getFieldRules(desk.ctx.db)).toEqual({ ...DEFAULT_FIELD_RULES, phone: 'required' })
    await desk.ctx.db.updateTable('settings').set({ value: 'not json' }).where('key', '=', 'participant_fields').execute()
    expect(await getFieldRules(desk.ctx.db)).toEqual(DEFAULT_FIELD_RULES)
  })

  it('on create: a required field must be filled and a hidden one left blank; nothing is written when refused', async () => {
    await setFieldRules(desk.ctx, { phone: 'required', veteranStatus: 'required', emergencyContact: 'required' })
    const before = tableCounts(desk.opened)
    const refusals: Array<[NewParticipantInput, string]> = [
      [{ firstName: 'Ana', veteranStatus: 'no', emergencyContactName: 'Mo', emergencyContactPhone: '555 1234' }, 'phone'],
      [{ firstName: 'Ana', phone: '  ', veteranStatus: 'no', emergencyContactName: 'Mo', emergencyContactPhone: '555 1234' }, 'phone'],
      [{ firstName: 'Ana', phone: '555 0000', emergencyContactName: 'Mo', emergencyContactPhone: '555 1234' }, 'veteranStatus'],
      [{ firstName: 'Ana', phone: '555 0000', veteranStatus: 'no', emergencyContactName: 'Mo' }, 'emergencyContactPhone'],
      [{ firstName: 'Ana', phone: '555 0000', veteranStatus: 'no', emergencyContactName: 'Mo', emergencyContactPhone: '555 1234', gender: 'woman' }, 'gender'],
      [{ firstName: 'Ana', phone: '555 0000', veteranStatus: 'no', emergencyContactName: 'Mo', emergencyContactPhone: '555 1234', birthDate: '1980-01-02' }, 'birthDate'],
      [{ lastName: 'Only', phone: '555 0000', veteranStatus: 'no', emergencyContactName: 'Mo', emergencyContactPhone: '555 1234' }, 'firstName'],
    ]
    for (const [input, field] of refusals) {
      const error = await serviceError(createParticipant(desk.ctx, input))
      expect(error.code, field).toBe('VALIDATION')
      // The detail also holds the message's placeholders (which field, worded).
      expect(error.detail?.field, JSON.stringify(input)).toBe(field)
      expect(error.message.length).toBeGreaterThan(10)
    }
    expect(tableCounts(desk.opened)).toEqual(before)

    const ok = await createParticipant(desk.ctx, { nickname: 'Red', phone: '555 0000', veteranStatus: 'declined', emergencyContactName: 'Mo', emergencyContactPhone: '555 1234' })
    expect(ok.nickname).toBe('Red')
  })

  it('a date of birth fills in the birth year, even when the birth-year field is hidden; a contradicting year is refused', async () => {
    await setFieldRules(desk.ctx, { birthDate: 'optional', birthYear: 'hidden' })
    const person = await createParticipant(desk.ctx, { firstName: 'Jo', birthDate: '1984-03-21' })
    expect(person.birthYear).toBe(1984)
    expect((await serviceError(createParticipant(desk.ctx, { firstName: 'Jo', birthYear: 1984 }))).detail?.field).toBe('birthYear')
    await setFieldRules(desk.ctx, { birthYear: 'optional' })
    expect((await serviceError(createParticipant(desk.ctx, { firstName: 'Jo', birthDate: '1984-03-21', birthYear: 1985 }))).detail?.field).toBe('birthYear')
    expect((await serviceError(createParticipant(desk.ctx, { firstName: 'Jo', birthDate: '1984-02-30' }))).detail?.field).toBe('birthDate')
    expect((await serviceError(createParticipant(desk.ctx, { firstName: 'Jo', birthDate: '2027-01-01' }))).detail?.field).toBe('birthDate')
  })

  it('on update: only the fields sent are checked; a required field cannot be cleared, a hidden one cannot be set', async () => {
    const person = await createParticipant(desk.ctx, { firstName: 'Kim' })
    await setFieldRules(desk.ctx, { phone: 'required', pronouns: 'hidden' })
    // Made before phone became required: other fields can still be edited.
    expect((await updateParticipant(desk.ctx, person.id, { lastName: 'Park' })).lastName).toBe('Park')
    expect((await serviceError(updateParticipant(desk.ctx, person.id, { phone: null }))).detail?.field).toBe('phone')
    expect((await serviceError(updateParticipant(desk.ctx, person.id, { pronouns: 'she/her' }))).detail?.field).toBe('pronouns')
    // Clearing a hidden field is always fine.
    expect((await updateParticipant(desk.ctx, person.id, { pronouns: null })).pronouns).toBeNull()
    expect((await serviceError(updateParticipant(desk.ctx, person.id, { firstName: null }))).detail?.field).toBe('firstName')
  })
})

describe('updateParticipant and the profile', () => {
  it('changes only the fields sent, keeps the match keys in step, and audits field names without values', async () => {
    await setFieldRules(desk.ctx, { housingStatus: 'optional', preferredLanguage: 'optional' })
    const person = await createParticipant(desk.ctx, { firstName: 'José', lastName: 'Núñez', birthYear: 1970, phone: '(555) 222-3333' })
    const updated = await updateParticipant(desk.ctx, person.id, { firstName: '  Pepe ', housingStatus: 'sheltered', phone: '' })
    expect(updated).toMatchObject({ firstName: 'Pepe', lastName: 'Núñez', birthYear: 1970, phone: null, phoneLast4: null, housingStatus: 'sheltered' })
    const row = await desk.ctx.db.selectFrom('participants').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ first_key: 'pepe', last_key: 'nunez', name_key: 'pepe nunez', phone_digits: null })
    const audit = desk.opened.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'participant.update'`).get() as { detail: string }
    expect(JSON.parse(audit.detail)).toEqual({ fields: ['firstName', 'phone', 'housingStatus'] })
    expect(audit.detail).not.toMatch(/Pepe|sheltered/)
    // Nothing changed: nothing written.
    const before = tableCounts(desk.opened)
    await updateParticipant(desk.ctx, person.id, { firstName: 'Pepe' })
    expect(tableCounts(desk.opened)).toEqual(before)
    expect((await serviceError(updateParticipant(desk.ctx, 999_999, { firstName: 'X' }))).code).toBe('NOT_FOUND')
  })

  it('shows every field, visits newest first (voided ones marked), service totals that skip voided visits, and audits the read', async () => {
    const { meal, shower, peer_support: peer } = desk.services
    const person = await createParticipant(desk.ctx, { firstName: 'Val', pronouns: 'they/them', phone: '555-867-5309' })
    const first = await signIn(desk.ctx, { participantId: person.id, services: [{ serviceId: meal!.id, quantity: 2 }, { serviceId: shower!.id, quantity: 1 }] })
    desk.clock.advance(24 * 60)
    const second = await signIn(desk.ctx, { participantId: person.id, services: [{ serviceId: meal!.id, quantity: 1 }] })
    desk.clock.advance(24 * 60)
    const third = await signIn(desk.ctx, { participantId: person.id, services: [{ serviceId: peer!.id, quantity: 1 }], note: 'asked about housing' })
    desk.clock.advance(5)
    await voidVisit(desk.ctx, second.id, 'signed in the wrong person')

    const views = () => auditActions(desk.opened).filter((a) => a === 'participant.view').length
    const viewsBefore = views()
    const profile = await getParticipantProfile(desk.ctx, person.id)
    expect(views()).toBe(viewsBefore + 1)
    expect(profile.redirectedFrom).toBeUndefined()
    expect(profile.participant).toMatchObject({ id: person.id, code: person.code, firstName: 'Val', pronouns: 'they/them', phone: '555-867-5309', phoneLast4: '5309', aliases: [], visitCount: 2 })
    expect(profile.visits.map((v) => v.id)).toEqual([third.id, second.id, first.id])
    expect(profile.visits[1]).toMatchObject({ voidReason: 'signed in the wrong person' })
    expect(profile.visits[1]!.voidedAt).not.toBeNull()
    expect(profile.visits[0]).toMatchObject({ note: 'asked about housing', services: [{ key: 'peer_support', quantity: 1 }] })
    const totals = Object.fromEntries(profile.servicesReceived.map((t) => [t.key, [t.visits, t.quantity]]))
    expect(totals).toEqual({ meal: [1, 2], shower: [1, 1], peer_support: [1, 1] })
    expect(profile.merges).toEqual([])
    expect((await serviceError(getParticipantProfile(desk.ctx, 424_242))).code).toBe('NOT_FOUND')
  })

  it('keeps last visit and visit count true through voids and edits of the sign-in time', async () => {
    const person = await createParticipant(desk.ctx, { firstName: 'Max' })
    const monday = await signIn(desk.ctx, { participantId: person.id, services: [] })
    desk.clock.advance(24 * 60)
    const tuesday = await signIn(desk.ctx, { participantId: person.id, services: [] })
    const row = () => desk.ctx.db.selectFrom('participants').select(['last_visit_at', 'visit_count']).where('id', '=', person.id).executeTakeFirstOrThrow()
    expect(await row()).toEqual({ last_visit_at: tuesday.signedInAt, visit_count: 2 })
    await voidVisit(desk.ctx, tuesday.id, 'duplicate entry')
    expect(await row()).toEqual({ last_visit_at: monday.signedInAt, visit_count: 1 })
    const earlier = new Date(new Date(monday.signedInAt).getTime() - 3_600_000).toISOString()
    await updateVisit(desk.ctx, monday.id, { services: [], signedInAt: earlier, reason: 'came in an hour earlier' })
    expect(await row()).toEqual({ last_visit_at: earlier, visit_count: 1 })
  })
})

describe('checkDuplicates', () => {
  const reasonsFor = (candidates: DuplicateCandidate[], id: number) => candidates.find((c) => c.id === id)?.reasons

  it('edit distance stops early and is exact within its limit', () => {
    expect(editDistance('maria', 'maria')).toBe(0)
    expect(editDistance('maria', 'mario')).toBe(1)
    expect(editDistance('jon', 'john')).toBe(1)
    expect(editDistance('stephen', 'steven')).toBe(2)
    expect(editDistance('robert', 'bob')).toBe(3)
    expect(editDistance('a', 'abcdefgh')).toBe(3)
  })

  it('finds each kind of likely duplicate, with its reasons, and not unrelated people', async () => {
    await setFieldRules(desk.ctx, { birthDate: 'optional' })
    const maria = await createParticipant(desk.ctx, { firstName: 'María', lastName: 'García', birthYear: 1980, phone: '(555) 010-4477' })
    const mariaNoLast = await createParticipant(desk.ctx, { firstName: 'Maria', birthYear: 1980 })
    const marie = await createParticipant(desk.ctx, { firstName: 'Marie', lastName: 'Garcia', birthYear: 1980 })
    const mariaGomez = await createParticipant(desk.ctx, { firstName: 'Maria', lastName: 'Gomez', birthYear: 1980 })
    const nicknamed = await createParticipant(desk.ctx, { nickname: 'Maria', lastName: 'Garcia', birthYear: 1980 })
    const noYear = await createParticipant(desk.ctx, { firstName: 'Mariah', lastName: 'Garcya' })
    const samePhone = await createParticipant(desk.ctx, { firstName: 'Tom', lastName: 'Hill', phone: '1-555-010-4477' })
    // Unrelated: other names, other years, other numbers, short numbers.
    const unrelated = [
      await createParticipant(desk.ctx, { firstName: 'Maria', lastName: 'Lopez', birthYear: 1980 }),
      await createParticipant(desk.ctx, { firstName: 'Maria', lastName: 'Garcia', birthYear: 1981 }),
      await createParticipant(desk.ctx, { firstName: 'Rosa', lastName: 'Garcia', birthYear: 1980 }),
      await createParticipant(desk.ctx, { firstName: 'Mark', lastName: 'Gray' }),
      await createParticipant(desk.ctx, { firstName: 'Zed', phone: '4477' }),
      await createParticipant(desk.ctx, { firstName: 'Maria', lastName: 'Garcia', birthYear: 1980, birthDate: '1980-06-01' }),
    ]

    const found = await checkDuplicates(desk.ctx, { firstName: 'maria', lastName: 'garcia', birthDate: '1980-02-14', phone: '555.010.4477' })
    expect(reasonsFor(found, maria.id)).toEqual(['same_name_birth_year', 'same_phone'])
    expect(reasonsFor(found, mariaNoLast.id)).toEqual(['same_name_birth_year'])
    expect(reasonsFor(found, marie.id)).toEqual(['similar_name'])
    expect(reasonsFor(found, mariaGomez.id)).toEqual(['similar_name'])
    expect(reasonsFor(found, nicknamed.id)).toEqual(['same_name_birth_year'])
    expect(reasonsFor(found, noYear.id)).toEqual(['similar_name'])
    expect(reasonsFor(found, samePhone.id)).toEqual(['same_phone'])
    for (const person of unrelated) expect(reasonsFor(found, person.id), `${person.firstName} ${person.lastName}`).toBeUndefined()
    // Strongest first.
    expect(found[0]!.id).toBe(maria.id)
    expect(found[0]).toMatchObject({ code: maria.code, firstName: 'María', phoneLast4: '4477' })
  })

  it('finds nothing for an empty form, a short number, or a first name alone with no year', async () => {
    await createParticipant(desk.ctx, { firstName: 'Ana', phone: '555 1234' })
    expect(await checkDuplicates(desk.ctx, {})).toEqual([])
    expect(await checkDuplicates(desk.ctx, { phone: '1234' })).toEqual([])
    expect(await checkDuplicates(desk.ctx, { firstName: 'Ana' })).toEqual([])
    expect((await checkDuplicates(desk.ctx, { phone: '555-1234' })).map((c) => c.reasons)).toEqual([['same_phone']])
  })

  it('leaves out merged-away records', async () => {
    const kept = await createParticipant(desk.ctx, { firstName: 'Lu', lastName: 'Chen', birthYear: 1990 })
    const gone = await createParticipant(desk.ctx, { firstName: 'Lu', lastName: 'Chen', birthYear: 1990 })
    const { mergeParticipants } = await import('../../db/services/merges')
    await mergeParticipants(desk.ctx, kept.id, gone.id)
    expect((await checkDuplicates(desk.ctx, { firstName: 'Lu', lastName: 'Chen', birthYear: 1990 })).map((c) => c.id)).toEqual([kept.id])
  })

  it('fillMissingNameKeys repairs rows written without their match keys', async () => {
    desk.opened.sqlite
      .prepare(`INSERT INTO participants (code, first_name, last_name, birth_year, name_key, created_at, updated_at) VALUES ('RAW234', 'Éva', 'Kovács', 1966, 'eva kovacs', 'x', 'x')`)
      .run()
    expect(await checkDuplicates(desk.ctx, { firstName: 'Eva', lastName: 'Kovacs', birthYear: 1966 })).toEqual([])
    expect(await fillMissingNameKeys(desk.ctx.db)).toBe(1)
    expect(await fillMissingNameKeys(desk.ctx.db)).toBe(0)
    expect((await checkDuplicates(desk.ctx, { firstName: 'Eva', lastName: 'Kovacs', birthYear: 1966 })).map((c) => c.reasons)).toEqual([['same_name_birth_year']])
  })
})

import { expect, it } from 'vitest'
import { addCareFlag, listCareFlags, removeCareFlag } from '../../db/services/care-flags'
import { createParticipant } from '../../db/services/participants'
import { serviceError, useCenter } from './front-desk-helpers'
import { describeEachBackend } from './pg-helpers'

/**
 * Care flags on both backends: the "already flagged" check compares the note null-safely, which
 * SQLite writes `note IS ?` and PostgreSQL refuses as a syntax error (the fuzz test found it there).
 */
describeEachBackend('care flags', (backend) => {
  const center = useCenter(backend)

  it('adds a flag with a note and one without; the same one twice is refused, another note is not', async () => {
    const { ctx } = center()
    const person = await createParticipant(ctx, { firstName: 'Marisol' })
    await addCareFlag(ctx, { participantId: person.id, kind: 'allergy', note: ' peanuts ' })
    await addCareFlag(ctx, { participantId: person.id, kind: 'wheelchair' })
    expect(await serviceError(addCareFlag(ctx, { participantId: person.id, kind: 'allergy', note: 'peanuts' }))).toMatchObject({ code: 'CONFLICT', key: 'careFlags.already' })
    expect(await serviceError(addCareFlag(ctx, { participantId: person.id, kind: 'wheelchair', note: null }))).toMatchObject({ code: 'CONFLICT', key: 'careFlags.already' })
    const flags = await addCareFlag(ctx, { participantId: person.id, kind: 'allergy', note: 'shellfish' })
    expect(flags.map((f) => [f.kind, f.note]).sort()).toEqual([
      ['allergy', 'peanuts'],
      ['allergy', 'shellfish'],
      ['wheelchair', null],
    ])
    // A removed flag may be added again.
    const wheelchair = flags.find((f) => f.kind === 'wheelchair')!
    await removeCareFlag(ctx, wheelchair.id)
    await addCareFlag(ctx, { participantId: person.id, kind: 'wheelchair' })
    expect((await listCareFlags(ctx, person.id)).filter((f) => f.kind === 'wheelchair')).toHaveLength(1)
  })
})

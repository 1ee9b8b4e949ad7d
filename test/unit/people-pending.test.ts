import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { findDuplicates } from '../../db/services/duplicates'
import { kioskFind } from '../../db/services/kiosk'
import { listParticipants } from '../../db/services/participant-list'
import { createParticipant } from '../../db/services/participants'
import { getParticipantProfile } from '../../db/services/profile'
import { searchParticipants } from '../../db/services/search'
import { signIn } from '../../db/services/visits'
import { serviceErrorCode, useCenter } from './front-desk-helpers'
import { describeEachBackend } from './pg-helpers'

/**
 * A people list's people go in chunk by chunk behind a pending file (migration 0052,
 * records-import/write.ts), and until its switch they are found nowhere: not by search, the list
 * and its total, the duplicate check, the kiosk, a profile or a sign-in. Here on both backends,
 * with a person of a pending file made by hand (the import itself runs on SQLite only for now).
 */
describeEachBackend('people of a people list still going in', (backend) => {
  const center = useCenter(backend)

  it('are found by no search, list, check, kiosk, profile or sign-in until the file is switched on', async () => {
    const { ctx } = center()
    await createParticipant(ctx, { firstName: 'Quentin', lastName: 'Desk', birthYear: 1950 })
    const pending = await createParticipant(ctx, { firstName: 'Quentin', lastName: 'Imported', birthYear: 1981 })
    const file = await ctx.db
      .insertInto('import_files')
      .values({ kind: 'participants', sha256: 'a'.repeat(64), file_name: 'people.csv', rows: 1, counts: '{}', staff_id: null, imported_at: ctx.now().toISOString(), pending: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
    // As the import writes them: the person carries the pending file's id.
    await sql`UPDATE participants SET import_file_id = ${file.id} WHERE id = ${pending.id}`.execute(ctx.db)

    const seen = async () => {
      const list = await listParticipants(ctx, { offset: 0, limit: 50 })
      const named = await listParticipants(ctx, { offset: 0, limit: 50, filter: { text: 'Imported' } })
      return {
        search: (await searchParticipants(ctx, 'Quentin')).map((person) => person.lastName),
        byCode: (await searchParticipants(ctx, pending.code)).length,
        list: list.rows.map((row) => row.lastName),
        total: list.total,
        named: named.total,
        duplicates: (await findDuplicates(ctx.db, ctx, { firstName: 'Quentin', lastName: 'Imported', birthYear: 1981 })).map((person) => person.lastName),
        kiosk: (await kioskFind(ctx, { code: pending.code }, null)).candidates,
        profile: await getParticipantProfile(ctx, pending.id).then(
          (profile) => profile.participant.id,
          (error: { code?: string }) => error.code,
        ),
      }
    }
    expect(await seen()).toEqual({ search: ['Desk'], byCode: 0, list: ['Desk'], total: 1, named: 0, duplicates: [], kiosk: [], profile: 'NOT_FOUND' })
    expect(await serviceErrorCode(signIn(ctx, { participantId: pending.id, services: [] }))).toBe('NOT_FOUND')

    // The switch: the file's mark cleared, and the person is everywhere at once.
    await ctx.db.updateTable('import_files').set({ pending: 0 }).where('id', '=', file.id).execute()
    const after = await seen()
    expect(after).toMatchObject({ byCode: 1, total: 2, named: 1, duplicates: ['Imported'], kiosk: [pending.id], profile: pending.id })
    expect([...after.search].sort()).toEqual(['Desk', 'Imported'])
    expect((await signIn(ctx, { participantId: pending.id, services: [] })).participant?.id).toBe(pending.id)
  })
})

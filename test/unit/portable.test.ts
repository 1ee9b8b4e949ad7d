import { expect, it } from 'vitest'
import { listAgencies, saveAgency } from '../../db/services/agencies'
import { exportTables } from '../../db/services/export/write'
import { portable } from '../../db/services/portable'
import { useCenter } from './front-desk-helpers'
import { describeEachBackend } from './pg-helpers'

/** The small spellings several services share (db/services/portable.ts), and the export's foreign keys, on each backend. */
describeEachBackend('portable SQL', (backend) => {
  const center = useCenter(backend)

  it('takes the latest of several instants', async () => {
    const { db } = center().ctx
    const { latest } = await db
      .selectNoFrom((eb) => portable(db).latest(eb.val('2026-01-01T00:00:00.000Z'), eb.val('2026-03-01T00:00:00.000Z'), eb.val('2026-02-01T00:00:00.000Z')).as('latest'))
      .executeTakeFirstOrThrow()
    expect(latest).toBe('2026-03-01T00:00:00.000Z')
  })

  it('sorts names regardless of letter case', async () => {
    const { ctx } = center()
    for (const name of ['beta House', 'Alpha Center', 'charlie Place', 'Delta Shelter']) await saveAgency(ctx, { name, types: ['housing'] })
    expect((await listAgencies(ctx)).map((agency) => agency.name)).toEqual(['Alpha Center', 'beta House', 'charlie Place', 'Delta Shelter'])
  })

  it('reads which table each column refers to, for the export’s data dictionary', async () => {
    const tables = await exportTables(center().ctx.db)
    const visits = tables.find((table) => table.name === 'visits')!
    expect(visits.columns.find((column) => column.name === 'participant_id')?.references).toBe('participants')
    expect(visits.columns.find((column) => column.name === 'visit_date')?.references).toBeUndefined()
  })
})

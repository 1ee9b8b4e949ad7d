import { describe, expect, it } from 'vitest'
import { caseload } from '../../db/services/caseload'
import { createParticipant } from '../../db/services/participants'
import { createStaff } from '../../db/services/staff-accounts'
import { rng } from '../../db/seed'
import { seedCoaching } from '../../db/seed-coaching'
import { useDesk } from './front-desk-helpers'
import { useTempDirs } from './helpers'

const desk = useDesk(useTempDirs())

describe('seeded coaching', () => {
  it('pairs people who came with the center’s coaches, one open engagement each, and the caseload reads it', async () => {
    const { ctx, opened } = desk()
    expect(seedCoaching(opened.sqlite, rng(1), { firstDate: '2026-01-01', lastDate: '2026-11-24', share: 1 })).toEqual({ engagements: 0, contacts: 0, goals: 0 })
    const coach = (await createStaff(ctx, { username: 'casey', displayName: 'Casey Coach', role: 'peer_specialist', password: 'a long enough password' })).id
    for (const firstName of ['Ann', 'Bo', 'Cy', 'Di', 'Ed', 'Flo']) await createParticipant(ctx, { firstName })
    opened.sqlite.prepare(`UPDATE participants SET last_visit_at = '2026-11-20T15:00:00.000Z'`).run()
    const seeded = seedCoaching(opened.sqlite, rng(1), { firstDate: '2026-06-01', lastDate: '2026-11-24', share: 1 })
    expect(seeded.engagements).toBe(6)
    expect(seeded.contacts).toBeGreaterThan(6)
    const open = opened.sqlite.prepare(`SELECT count(*) FROM coaching_engagements WHERE status IN ('active', 'paused')`).pluck().get() as number
    const view = await caseload(ctx, coach)
    expect(view.rows).toHaveLength(open)
    for (const row of view.rows) expect(row.lastContactOn! >= row.startedOn).toBe(true)
  })
})

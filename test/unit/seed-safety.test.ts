import { describe, expect, it } from 'vitest'
import { createParticipant } from '../../db/services/participants'
import { funderReport } from '../../db/services/reports/report'
import { createStaff } from '../../db/services/staff-accounts'
import { rng } from '../../db/seed'
import { seedSafety } from '../../db/seed-safety'
import { useDesk } from './front-desk-helpers'
import { useTempDirs } from './helpers'

const desk = useDesk(useTempDirs())

describe('seeded incidents, restrictions and care flags', () => {
  it('builds a plausible history, nothing after the instant seeded to, and the funder report counts it as the rows say', async () => {
    const { ctx, opened } = desk()
    await createStaff(ctx, { username: 'mo', displayName: 'Mo Manager', role: 'manager', password: 'a long enough password' })
    for (let i = 0; i < 60; i++) await createParticipant(ctx, { firstName: `Person${i}` })
    const until = '2026-11-24T18:00:00.000Z'
    const seeded = seedSafety(opened.sqlite, rng(3), { firstDate: '2026-01-01', lastDate: '2026-11-24', until })
    const q = (text: string) => opened.sqlite.prepare(text).pluck().get() as number
    // About one incident a week over 328 days; a restriction or two a month; a flag on one person in thirty.
    expect(seeded.incidents).toBe(q('SELECT count(*) FROM incidents'))
    expect(seeded.incidents).toBeGreaterThan(25)
    expect(seeded.incidents).toBeLessThan(80)
    expect(seeded.restrictions).toBeGreaterThan(6)
    expect(seeded.careFlags).toBe(q('SELECT count(*) FROM care_flags'))
    expect(q(`SELECT count(*) FROM incidents WHERE occurred_at > '${until}'`)).toBe(0)
    // Every report has its start in the history; those older than a fortnight are closed, with the close in the history too.
    expect(q(`SELECT count(*) FROM incident_history WHERE action = 'create'`)).toBe(seeded.incidents)
    expect(q(`SELECT count(*) FROM incidents WHERE occurred_on <= '2026-11-10' AND closed_at IS NULL`)).toBe(0)
    expect(q(`SELECT count(*) FROM incident_history WHERE action = 'close'`)).toBe(q('SELECT count(*) FROM incidents WHERE closed_at IS NOT NULL'))
    expect(q(`SELECT count(*) FROM incidents WHERE kind = 'overdose'`)).toBeGreaterThan(3)

    const year = await funderReport({ ...ctx, now: () => new Date(until) }, { from: '2026-01-01', to: '2026-11-24' })
    expect(year.safety.overdoseResponses).toBe(q(`SELECT count(*) FROM incidents WHERE kind = 'overdose'`))
    expect(year.safety.reversals).toBe(q(`SELECT count(*) FROM incidents WHERE kind = 'overdose' AND naloxone_doses > 0 AND outcome IS NOT NULL`))
    expect(year.safety.naloxoneDoses).toBe(q(`SELECT coalesce(sum(naloxone_doses), 0) FROM incidents`))
    expect(year.safety.incidentsByKind.reduce((sum, k) => sum + k.count, 0)).toBe(seeded.incidents)
  })
})

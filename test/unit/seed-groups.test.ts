import { join } from 'node:path'
import { expect, it } from 'vitest'
import { generateKey } from '../../db/keys'
import { createDatabase } from '../../db/open'
import { seedDatabase } from '../../db/seed'
import { groupDetails } from '../../db/services/group-history'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()

it('seeds groups at real rates: open meetings of 3 to 15, closed groups of 8 to 12 who come 60 to 85 % of the time, holidays closed', async () => {
  const opened = await createDatabase(join(tempDir(), 'porchlight.db'), generateKey())
  const result = await seedDatabase(opened, { participants: 800, days: 180, endDate: new Date('2026-11-24T12:00:00Z'), timeZone: 'America/New_York' })
  expect(result).toMatchObject({ groups: 10 })
  expect(result.sessions).toBeGreaterThan(250)
  const all = <T>(query: string) => opened.sqlite.prepare(query).all() as T[]
  const open = all<{ n: number }>(`SELECT count(*) AS n FROM attendance a JOIN group_sessions s ON s.id = a.session_id JOIN groups g ON g.id = s.group_id
    WHERE g.kind = 'open' AND a.status IN ('present', 'late') GROUP BY s.id`)
  expect(Math.min(...open.map((r) => r.n))).toBeGreaterThanOrEqual(3)
  expect(Math.max(...open.map((r) => r.n))).toBeLessThanOrEqual(15)
  // A holiday cancels every session that day.
  expect(all(`SELECT 1 FROM group_sessions s JOIN closures c ON c.closed_on = s.session_date WHERE s.status <> 'cancelled' OR s.closure_id IS NOT c.id`)).toEqual([])
  expect(all(`SELECT closed_on FROM closures WHERE closed_on LIKE '2026-11-%'`)).toEqual([{ closed_on: '2026-11-26' }])
  // One visit per person per day, however many groups they came to.
  expect(all(`SELECT participant_id, visit_date FROM visits WHERE voided_at IS NULL AND participant_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1 AND sum(id IN (SELECT visit_id FROM attendance WHERE created_visit = 1)) > 0`)).toEqual([])
  const ctx = { db: opened.db, staffId: null, now: () => new Date('2026-11-24T20:00:00Z'), timeZone: 'America/New_York' }
  for (const { id } of all<{ id: number }>(`SELECT id FROM groups WHERE kind = 'closed'`)) {
    const details = await groupDetails(ctx, id)
    expect(details.rates.enrolledRate).toBeGreaterThan(0.5)
    expect(details.rates.enrolledRate).toBeLessThan(0.95)
    const held = details.history.filter((h) => h.status === 'held')
    expect(Math.min(...held.map((h) => h.enrolledExpected))).toBeGreaterThanOrEqual(7)
    expect(Math.max(...held.map((h) => h.enrolledExpected))).toBeLessThanOrEqual(12)
  }
  expect(opened.sqlite.pragma('foreign_key_check')).toEqual([])
})

import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OpenDatabase } from '../../db/open'
import type { Database } from '../../db/schema'
import { seedDatabase } from '../../db/seed'
import type { ServiceContext } from '../../db/services/context'
import { checkDuplicates } from '../../db/services/duplicates'
import { kioskFind } from '../../db/services/kiosk'
import { mergeParticipants } from '../../db/services/merges'
import { fillMissingNameKeys } from '../../db/services/participant-fields'
import { listParticipants, type ListParticipantsInput } from '../../db/services/participant-list'
import { createParticipant } from '../../db/services/participants'
import { anonymousCodes, signIn, signOutAll, todayVisits, voidVisit } from '../../db/services/visits'
import type { ParticipantSortColumn } from '../../db/types'
import { expectAuditChainIntact, openDesk, serviceError, useCenter, type Desk } from './front-desk-helpers'
import { describeEachBackend } from './pg-helpers'
import { useTempDirs } from './helpers'

const tempDir = useTempDirs()
let desk: Desk

/** A SQLite desk before each test of a block, for the query-plan tests (EXPLAIN QUERY PLAN is SQLite's). */
function useSqliteDesk(): void {
  beforeEach(async () => {
    desk = await openDesk(tempDir())
  })
  afterEach(async () => {
    await expectAuditChainIntact(desk.opened)
    await desk.opened.close()
  })
}

describeEachBackend('listParticipants', (backend) => {
  const center = useCenter(backend)

  async function people() {
    const { clock, ctx } = center()
    clock.set('2026-01-10T12:00:00.000Z')
    const zoe = await createParticipant(ctx, { firstName: 'Zoe', lastName: 'Adams', birthYear: 1990, phone: '555-000-1111' })
    clock.set('2026-02-10T12:00:00.000Z')
    const ana = await createParticipant(ctx, { firstName: 'Ana', lastName: 'Zamora', birthYear: 1970 })
    clock.set('2026-03-10T12:00:00.000Z')
    const moe = await createParticipant(ctx, { nickname: 'Moe' })
    clock.set('2026-04-10T12:00:00.000Z')
    const bea = await createParticipant(ctx, { firstName: 'Bea', birthYear: 1985 })
    // Visits: Ana 3 (one voided), Zoe 1, Bea 1 (latest), Moe never.
    for (const [at, who] of [
      ['2026-05-01T15:00:00.000Z', ana],
      ['2026-05-02T15:00:00.000Z', ana],
      ['2026-05-03T15:00:00.000Z', zoe],
      ['2026-05-04T15:00:00.000Z', ana],
      ['2026-05-05T15:00:00.000Z', bea],
    ] as const) {
      clock.set(at)
      const visit = await signIn(ctx, { participantId: who.id, services: [] })
      if (at.startsWith('2026-05-04')) await voidVisit(ctx, visit.id, 'duplicate entry')
    }
    return { zoe, ana, moe, bea }
  }

  const ids = async (input: Partial<ListParticipantsInput>) =>
    (await listParticipants(center().ctx, { offset: 0, limit: 50, ...input })).rows.map((row) => row.id)

  it('sorts by each column in both directions, id breaking ties', async () => {
    const { zoe, ana, moe, bea } = await people()
    const sorted = async (column: ParticipantSortColumn, direction: 'asc' | 'desc') => ids({ sort: { column, direction } })
    expect(await sorted('name', 'asc')).toEqual([ana.id, bea.id, moe.id, zoe.id])
    expect(await sorted('name', 'desc')).toEqual([zoe.id, moe.id, bea.id, ana.id])
    expect(await sorted('created', 'asc')).toEqual([zoe.id, ana.id, moe.id, bea.id])
    expect(await sorted('created', 'desc')).toEqual([bea.id, moe.id, ana.id, zoe.id])
    // Never visited sorts first going up (SQLite puts NULL lowest), last going down.
    expect(await sorted('lastVisit', 'asc')).toEqual([moe.id, ana.id, zoe.id, bea.id])
    expect(await sorted('lastVisit', 'desc')).toEqual([bea.id, zoe.id, ana.id, moe.id])
    expect(await sorted('visits', 'desc')).toEqual([ana.id, bea.id, zoe.id, moe.id])
    expect(await sorted('visits', 'asc')).toEqual([moe.id, zoe.id, bea.id, ana.id])
    expect(await sorted('birthYear', 'asc')).toEqual([moe.id, ana.id, bea.id, zoe.id])
    expect(await sorted('birthYear', 'desc')).toEqual([zoe.id, bea.id, ana.id, moe.id])
  })

  it('pages with offset and limit; total counts everyone who shows, merged and deleted records excluded', async () => {
    const { zoe, ana, moe, bea } = await people()
    const page = await listParticipants(center().ctx, { offset: 1, limit: 2, sort: { column: 'name', direction: 'asc' } })
    expect(page.total).toBe(4)
    expect(page.rows.map((r) => r.id)).toEqual([bea.id, moe.id])
    expect(page.rows[0]).toEqual({
      id: bea.id,
      code: bea.code,
      firstName: 'Bea',
      nickname: null,
      lastName: null,
      birthYear: 1985,
      phoneLast4: null,
      lastVisitAt: '2026-05-05T15:00:00.000Z',
      visitCount: 1,
      createdAt: '2026-04-10T12:00:00.000Z',
    })
    expect((await listParticipants(center().ctx, { offset: 0, limit: 50, sort: { column: 'visits', direction: 'desc' } })).rows[0]).toMatchObject({ id: ana.id, visitCount: 2 })
    expect((await listParticipants(center().ctx, { offset: 10, limit: 5 })).rows).toEqual([])

    await mergeParticipants(center().ctx, ana.id, zoe.id)
    await center().ctx.db.updateTable('participants').set({ deleted_at: '2026-06-01T00:00:00.000Z' }).where('id', '=', moe.id).execute()
    const after = await listParticipants(center().ctx, { offset: 0, limit: 50, sort: { column: 'visits', direction: 'desc' } })
    expect(after.total).toBe(2)
    expect(after.rows.map((r) => [r.id, r.visitCount])).toEqual([
      [ana.id, 3],
      [bea.id, 1],
    ])
    expect((await listParticipants(center().ctx, { offset: 0, limit: 50, filter: { text: 'zoe' } })).total).toBe(0)
  })

  it('filters by name start, code, phone, birth year, visited since and never visited; totals follow the filter', async () => {
    const { zoe, ana, moe, bea } = await people()
    expect(await ids({ filter: { text: 'a' } })).toEqual([ana.id, zoe.id])
    expect(await ids({ filter: { text: 'zam' } })).toEqual([ana.id])
    expect(await ids({ filter: { text: 'MOE' } })).toEqual([moe.id])
    expect(await ids({ filter: { text: 'zoe adams' } })).toEqual([zoe.id])
    expect(await ids({ filter: { text: 'zoe zamora' } })).toEqual([])
    expect(await ids({ filter: { text: bea.code.toLowerCase() } })).toEqual([bea.id])
    expect(await ids({ filter: { text: '5550001111' } })).toEqual([zoe.id])
    expect(await ids({ filter: { text: '1970' } })).toEqual([ana.id])
    expect(await ids({ filter: { text: '   ' } })).toEqual([ana.id, bea.id, moe.id, zoe.id])
    expect(await ids({ filter: { neverVisited: true } })).toEqual([moe.id])
    expect(await ids({ filter: { visitedSince: '2026-05-03' } })).toEqual([bea.id, zoe.id])
    // Ana's latest counting visit is May 2 (May 4 was voided).
    expect(await ids({ filter: { visitedSince: '2026-05-02' } })).toEqual([ana.id, bea.id, zoe.id])
    const page = await listParticipants(center().ctx, { offset: 0, limit: 1, filter: { text: 'a' } })
    expect(page).toMatchObject({ total: 2, rows: [{ id: ana.id }] })
    expect(await serviceError(listParticipants(center().ctx, { offset: 0, limit: 5, filter: { neverVisited: true, visitedSince: '2026-01-01' } }))).toMatchObject({
      code: 'VALIDATION',
    })
  })

  it('“visited since” is the start of that day at the center, not in UTC', async () => {
    const person = await createParticipant(center().ctx, { firstName: 'Cy' })
    // 03:30 UTC on May 3 is still May 2 in Chicago.
    center().clock.set('2026-05-03T03:30:00.000Z')
    await signIn(center().ctx, { participantId: person.id, services: [] })
    const chicago: ServiceContext = { ...center().ctx, timeZone: 'America/Chicago' }
    const since = async (date: string) => (await listParticipants(chicago, { offset: 0, limit: 5, filter: { visitedSince: date } })).total
    expect(await since('2026-05-02')).toBe(1)
    expect(await since('2026-05-03')).toBe(0)
  })
})

describe('query plans: every list sort, duplicate check and desk look-up walks an index', () => {
  useSqliteDesk()
  /** A second Kysely on the same connection that records every statement the services run. */
  function recording(opened: OpenDatabase): { ctx: ServiceContext; take: () => CompiledQuery[] } {
    let queries: CompiledQuery[] = []
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: opened.sqlite }),
      log: (event) => {
        if (event.level === 'query') queries.push(event.query)
      },
    })
    return {
      ctx: { ...desk.ctx, db },
      take: () => {
        const taken = queries
        queries = []
        return taken
      },
    }
  }

  /**
   * The lines of the test for a people list still going in (visible-visits.ts visiblePerson): the
   * pending files' few people, once per statement, from their own covering index.
   */
  const PENDING_PEOPLE = /^(LIST SUBQUERY \d+|SEARCH pp USING COVERING INDEX participants_by_import_file \(import_file_id=\?\)|SCAN f|CREATE BLOOM FILTER)$/

  function plans(opened: OpenDatabase, queries: CompiledQuery[]): string[][] {
    return queries
      .filter((q) => /^\s*select/i.test(q.sql))
      .map((q) =>
        (opened.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).filter((line) => !PENDING_PEOPLE.test(line)),
      )
  }

  /** A plan line reading a big table row by row: "SCAN participants" (or its alias) with no index. */
  const FULL_SCAN = /^SCAN (participants|visits|p|v)( |$)(?!.*USING)/

  function expectNoFullScan(lines: string[][], what: string): void {
    for (const plan of lines) for (const line of plan) expect(line, `${what}: ${plan.join(' | ')}`).not.toMatch(FULL_SCAN)
  }

  async function seeded(): Promise<void> {
    await seedDatabase(desk.opened, { participants: 1500, days: 45, endDate: desk.clock.now() })
    await fillMissingNameKeys(desk.ctx.db)
  }

  const SORT_INDEX: Record<ParticipantSortColumn, string> = {
    name: 'participants_list_name',
    lastVisit: 'participants_list_last_visit',
    created: 'participants_list_created',
    visits: 'participants_list_visits',
    birthYear: 'participants_list_birth_year',
  }

  async function checkAll(label: string): Promise<void> {
    const { ctx, take } = recording(desk.opened)
    for (const column of Object.keys(SORT_INDEX) as ParticipantSortColumn[]) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const offset of [0, 1000]) {
          await listParticipants(ctx, { offset, limit: 100, sort: { column, direction } })
          const [count, page] = plans(desk.opened, take())
          const what = `${label}: list by ${column} ${direction} at ${offset}`
          // The page walks the sort's own index in order: no sorting step, no table scan.
          expect(page!.join(' | '), what).toMatch(new RegExp(`^SCAN participants USING INDEX ${SORT_INDEX[column]}$`))
          // The total reads only covering indexes.
          for (const line of count!) expect(line, what).toMatch(/COVERING INDEX|SCALAR SUBQUERY|CONSTANT ROW/)
        }
      }
    }
    for (const filter of [{ text: 'ma' }, { text: 'maria ga' }, { text: '1983' }, { text: '5555551234' }, { visitedSince: '2026-01-01' }, { neverVisited: true }]) {
      await listParticipants(ctx, { offset: 0, limit: 100, sort: { column: 'visits', direction: 'desc' }, filter })
      expectNoFullScan(plans(desk.opened, take()), `${label}: list filtered by ${JSON.stringify(filter)}`)
    }
    for (const input of [
      { firstName: 'Maria', lastName: 'Garcia', birthYear: 1983, phone: '(555) 555-1234' },
      { firstName: 'Michael', lastName: 'Smith' },
      { nickname: 'Tiny', birthDate: '1980-05-05' },
      { phone: '555 555 1234' },
    ]) {
      await checkDuplicates(ctx, input)
      const lines = plans(desk.opened, take())
      expect(lines.length, JSON.stringify(input)).toBeGreaterThan(0)
      for (const plan of lines) {
        for (const line of plan) {
          expect(line, `${label}: duplicates ${JSON.stringify(input)}`).toMatch(/^(SEARCH participants USING|MULTI-INDEX OR|INDEX \d)/)
        }
      }
    }
    await kioskFind(ctx, { firstName: 'maria', birthYear: 1983 }, null)
    await kioskFind(ctx, { code: 'ABCDEF' }, null)
    await anonymousCodes(ctx, '')
    await anonymousCodes(ctx, 'A1')
    await todayVisits(ctx, { status: 'here', serviceId: 1 })
    await signOutAll(ctx)
    const rest = plans(desk.opened, take())
    expect(rest.length).toBeGreaterThan(5)
    expectNoFullScan(rest, `${label}: kiosk, anonymous codes, today, sign-out-all`)
    // Every sign-in asks "already here today?": one person's open visit, found directly.
    const someone = await createParticipant(ctx, { firstName: 'Plan', lastName: 'Check' })
    for (const input of [{ participantId: someone.id }, { participantId: null, anonymousCode: `PL${label.length}` }]) {
      await signIn(ctx, { ...input, services: [] })
      const already = plans(desk.opened, take()).find((plan) => plan.some((line) => line.includes('SEARCH visits')))
      expect(already?.join(' | '), `${label}: already here? ${JSON.stringify(input)}`).toMatch(
        input.participantId ? /USING INDEX visits_by_participant \(participant_id=\? AND signed_in_at>\?\)/ : /USING INDEX visits_by_anonymous_code/,
      )
    }
  }

  it('with and without ANALYZE statistics (a center’s database may never have been analyzed)', async () => {
    await seeded()
    desk.opened.sqlite.exec('ANALYZE')
    await checkAll('analyzed')
    // STAT4 is compiled in: its samples alone still steer the planner, so both tables go.
    desk.opened.sqlite.exec('DELETE FROM sqlite_stat1; DELETE FROM sqlite_stat4; ANALYZE sqlite_schema')
    await checkAll('no statistics')
  })

  it('a filtered page is the same whether it walks the sort index or sorts the matches', async () => {
    await seeded()
    const all = await desk.ctx.db
      .selectFrom('participants')
      .select(['id', 'name_key', 'last_visit_at', 'created_at', 'visit_count', 'birth_year', 'first_key', 'nick_key', 'last_key'])
      .where('merged_into', 'is', null)
      .execute()
    const key: Record<ParticipantSortColumn, (p: (typeof all)[number]) => string | number | null> = {
      name: (p) => p.name_key,
      lastVisit: (p) => p.last_visit_at,
      created: (p) => p.created_at,
      visits: (p) => p.visit_count,
      birthYear: (p) => p.birth_year,
    }
    // SQLite's order: NULL first, then numbers, then text; ties by id (0062), visit counts' by last visit first.
    const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1)
    for (const [filter, match] of [
      [{ text: 'ma' }, (p: (typeof all)[number]) => [p.first_key, p.nick_key, p.last_key].some((k) => k?.startsWith('ma'))],
      [{ neverVisited: true }, (p: (typeof all)[number]) => p.last_visit_at === null],
    ] as const) {
      for (const column of Object.keys(key) as ParticipantSortColumn[]) {
        for (const direction of ['asc', 'desc'] as const) {
          const sign = direction === 'asc' ? 1 : -1
          const expected = all
            .filter(match)
            .sort((a, b) => sign * (cmp(key[column](a), key[column](b)) || (column === 'visits' ? cmp(a.last_visit_at, b.last_visit_at) : 0) || a.id - b.id))
            .map((p) => p.id)
          expect(expected.length).toBeGreaterThan(20)
          for (const driveFromMatches of [0, Infinity]) {
            const input = { offset: 7, limit: 13, sort: { column, direction }, filter }
            const page = await listParticipants(desk.ctx, input, { driveFromMatches })
            expect(page.total, `${JSON.stringify(input)} ${driveFromMatches}`).toBe(expected.length)
            expect(page.rows.map((r) => r.id), `${JSON.stringify(input)} ${driveFromMatches}`).toEqual(expected.slice(7, 20))
          }
        }
      }
    }
  })

  it('the check itself catches a missing index (it can fail)', async () => {
    await seeded()
    desk.opened.sqlite.exec('DROP INDEX participants_list_visits; DROP INDEX participants_match_phone')
    const { ctx, take } = recording(desk.opened)
    await listParticipants(ctx, { offset: 0, limit: 100, sort: { column: 'visits', direction: 'desc' } })
    expect(plans(desk.opened, take())[0]!.join(' | ')).not.toMatch(/^SCAN participants USING INDEX participants_list_visits$/)
    await checkDuplicates(ctx, { phone: '555 555 1234' })
    expect(plans(desk.opened, take()).flat().some((line) => FULL_SCAN.test(line))).toBe(true)
  })

  it('the already-here look-up without its lower bound would walk every visit the person made (the check sees it)', async () => {
    await seeded()
    desk.opened.sqlite.exec('DELETE FROM sqlite_stat1; DELETE FROM sqlite_stat4; ANALYZE sqlite_schema')
    const plan = (bound: string) =>
      (desk.opened.sqlite.prepare(`EXPLAIN QUERY PLAN SELECT id, signed_in_at FROM visits WHERE participant_id = 1 AND visit_date = '2026-11-03' ${bound}
        AND signed_out_at IS NULL AND voided_at IS NULL ORDER BY signed_in_at DESC LIMIT 1`).all() as Array<{ detail: string }>).map((row) => row.detail).join(' | ')
    expect(plan(`AND signed_in_at >= '2026-11-02'`)).toMatch(/USING INDEX visits_by_participant \(participant_id=\? AND signed_in_at>\?\)/)
    expect(plan('')).toMatch(/USING INDEX visits_by_participant \(participant_id=\?\)( \||$)/)
  })
})

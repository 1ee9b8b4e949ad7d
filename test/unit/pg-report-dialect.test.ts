import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely'
import { expect, it } from 'vitest'
import { backendOf } from '../../db/backend'
import { postgresReports, reportDialectFor, sqliteReports, type ReportDialect } from '../../db/services/reports/dialect'
import { offsetSpans } from '../../db/services/reports/range'
import type { Database } from '../../db/schema'
import { describePostgres, useBothBackends } from './pg-helpers'

/**
 * The reports' date arithmetic, spelled for SQLite and for PostgreSQL (reports/dialect.ts), must
 * give the same answers: each function is evaluated on both backends over the same inputs, across
 * a daylight-saving change, month and year ends, leap days and birthdays.
 */

/** A text value as a column would hold it (a bare parameter has no type in PostgreSQL). */
const text = (value: string | null) => sql<string>`CAST(${value} AS TEXT)`
const integer = (value: number | null) => sql<number>`CAST(${value} AS INTEGER)`

const NEW_YORK_SPRING = offsetSpans('America/New_York', Date.parse('2027-03-13T00:00:00Z'), Date.parse('2027-03-16T00:00:00Z'))
const INSTANTS = ['2027-03-14T06:59:59.000Z', '2027-03-14T07:00:00.000Z', '2027-03-14T04:30:00.000Z', '2027-03-15T03:59:00.000Z', '2027-12-31T23:30:00.000Z']
/** Quarter-hour slots as report_days writes them, on clocks a whole hour, half an hour and three quarters from UTC. */
const SLOTS = ['2027-03-14T06:45:00.000Z', '2027-03-14T07:00:00.000Z', '2027-03-14T00:15:00.000Z', '2027-12-31T23:30:00.000Z', '2027-06-01T18:15:00.000Z']
const SLOT_CLOCKS = ['America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/St_Johns'].map(
  (zone) => [zone, offsetSpans(zone, Date.parse('2027-03-13T00:00:00Z'), Date.parse('2028-01-02T00:00:00Z'))] as const,
)
const DATES = ['2027-03-14', '2027-03-15', '2028-02-29', '2027-12-31', '2028-01-01', '2026-11-25']

/** Every function of the dialect over the inputs above, as one row of named answers. */
function answers(d: ReportDialect): Array<[string, RawBuilder<unknown>]> {
  const list: Array<[string, RawBuilder<unknown>]> = []
  for (const instant of INSTANTS) {
    list.push([`localDate ${instant}`, d.localDate(text(instant), NEW_YORK_SPRING)])
    list.push([`localHour ${instant}`, d.localHour(text(instant), NEW_YORK_SPRING)])
    list.push([`localDate UTC ${instant}`, d.localDate(text(instant), [{ since: -Infinity, minutes: 0 }])])
  }
  for (const slot of SLOTS) {
    for (const [zone, spans] of SLOT_CLOCKS) list.push([`slotHour ${slot} ${zone}`, d.slotHour(text(slot), spans)])
  }
  for (const date of DATES) {
    list.push([`weekday ${date}`, d.weekday(text(date))])
    for (const grain of ['day', 'week', 'month'] as const) list.push([`bucket ${grain} ${date}`, d.bucket(text(date), grain)])
    list.push([`daysBetween 2027-01-31 ${date}`, d.daysBetween(text('2027-01-31'), text(date))])
    list.push([`later ${date}`, d.later(text(date), text('2027-12-31'))])
    list.push([`ageAt ${date}`, d.ageAt(text('1990-03-14'), integer(1990), text(date))])
    list.push([`ageAt year only ${date}`, d.ageAt(text(null), integer(1990), text(date))])
  }
  list.push(['ageAt unknown', d.ageAt(text(null), integer(null), text('2027-03-14'))])
  for (const [days, mask] of [[0b1010, 0b0100], [0b1010, 0b0010], [2 ** 30, 2 ** 30]] as const) {
    list.push([`anyDay ${days} ${mask}`, d.anyDay(integer(days), mask)])
  }
  const values = (numbers: number[]) =>
    numbers.length === 0 ? sql`SELECT 1 AS value WHERE 1 = 0` : sql`${sql.raw(numbers.map((n) => `SELECT ${n} AS value`).join(' UNION ALL '))}`
  for (const numbers of [[4, 1, 3, 2], [7], [5, 1, 9], []]) list.push([`median ${numbers.join(',')}`, d.median(values(numbers))])
  return list
}

async function evaluate(db: Kysely<Database>): Promise<Record<string, unknown>> {
  const d = reportDialectFor(db)
  const result: Record<string, unknown> = {}
  for (const [name, expression] of answers(d)) {
    const row = await sql<{ value: unknown }>`SELECT ${expression as Expression<unknown>} AS value`.execute(db)
    result[name] = row.rows[0]!.value
  }
  return result
}

describePostgres('the reports\' date arithmetic, on SQLite and on PostgreSQL', () => {
  const both = useBothBackends()

  it('picks each backend\'s spelling by the connection, and both give the same answers', async () => {
    await both(async (sqlite, server) => {
      expect([backendOf(sqlite.db), backendOf(server.db)]).toEqual(['sqlite', 'postgres'])
      expect(reportDialectFor(sqlite.db)).toBe(sqliteReports)
      expect(reportDialectFor(server.db)).toBe(postgresReports)
      const [onSqlite, onPostgres] = [await evaluate(sqlite.db), await evaluate(server.db)]
      expect(onPostgres).toEqual(onSqlite)
      // The answers themselves, where a slip would hide behind agreement.
      expect(onSqlite['localDate 2027-03-14T04:30:00.000Z']).toBe('2027-03-13')
      expect(onSqlite['localHour 2027-03-14T07:00:00.000Z']).toBe(3)
      expect(onSqlite['weekday 2027-03-14']).toBe(6)
      expect(onSqlite['bucket week 2028-01-01']).toBe('2027-12-27')
      expect(onSqlite['median 4,1,3,2']).toBe(2.5)
    })
  })
})

import { sql, type Expression, type RawBuilder } from 'kysely'
import { perBackend } from '../../backend'
import type { Grain } from '../../report-types'
import type { OffsetSpan } from './range'

/**
 * The only place the reports write SQL by hand: date arithmetic, which SQLite and PostgreSQL
 * spell differently. A PostgreSQL backend adds its own object with the same functions.
 * Dates are TEXT 'YYYY-MM-DD' and instants TEXT ISO-8601 UTC in both.
 */
export interface ReportDialect {
  /** The center's calendar date of an instant, given the UTC offsets in force (see offsetSpans). */
  localDate(instant: Expression<string>, spans: OffsetSpan[]): RawBuilder<string>
  /** The hour (0–23) on the center's clock of an instant. */
  localHour(instant: Expression<string>, spans: OffsetSpan[]): RawBuilder<number>
  /** The same for a roll-up's quarter-hour slot, always written 'YYYY-MM-DDTHH:MM:00.000Z' (report_days.slot). */
  slotHour(slot: Expression<string>, spans: OffsetSpan[]): RawBuilder<number>
  /** 0 Monday … 6 Sunday, of a calendar date. */
  weekday(date: Expression<string>): RawBuilder<number>
  /** The first day of the date's day, week (Monday) or month. */
  bucket(date: Expression<string>, grain: Grain): RawBuilder<string>
  /** Whole days from `from` to `to`, two calendar dates. */
  daysBetween(from: Expression<string>, to: Expression<string>): RawBuilder<number>
  /** Completed years at `on` for a birth date, or (with only a year known) the age reached in that year. */
  ageAt(birthDate: Expression<string | null>, birthYear: Expression<number | null>, on: Expression<string>): RawBuilder<number | null>
  /** The later of two calendar dates (neither null). */
  later(a: Expression<string>, b: Expression<string>): RawBuilder<string>
  /** 1 when a bit set of days (bit d-1 for day d) shares a day with the mask, else 0. */
  anyDay(days: Expression<number>, mask: number): RawBuilder<number>
  /** The median of a subquery's one column `value` (null for no rows), through window functions. */
  median(values: Expression<unknown>): RawBuilder<number | null>
}

/**
 * Values written into the statement rather than bound: a partial index's condition (say, a
 * status IN a fixed list) is used only when the query's condition is the same text.
 */
export const literals = <T extends string>(values: readonly T[]): RawBuilder<T>[] => values.map((value) => sql.lit(value) as RawBuilder<T>)

/** `CASE WHEN t < since1 THEN f(offset0) WHEN t < since2 THEN f(offset1) … ELSE f(last) END`, `f` given the offset in minutes. */
function byOffset<T>(instant: Expression<string>, spans: OffsetSpan[], shifted: (minutes: number) => RawBuilder<T>): RawBuilder<T> {
  if (spans.length === 1) return shifted(spans[0]!.minutes)
  const whens = spans
    .slice(1)
    .map((span, index) => sql`WHEN ${instant} < ${new Date(span.since).toISOString()} THEN ${shifted(spans[index]!.minutes)}`)
  return sql<T>`(CASE ${sql.join(whens, sql` `)} ELSE ${shifted(spans[spans.length - 1]!.minutes)} END)`
}

/** SQLite's date modifier for an offset: '+60 minutes', '-300 minutes'. */
const modifier = (minutes: number) => `${minutes >= 0 ? '+' : ''}${minutes} minutes`

/** The same on both: plain CASE, substr and CAST. */
const ageAt: ReportDialect['ageAt'] = (birthDate, birthYear, on) =>
  sql<number | null>`(CASE
      WHEN ${birthDate} IS NOT NULL THEN CAST(substr(${on}, 1, 4) AS INTEGER) - CAST(substr(${birthDate}, 1, 4) AS INTEGER)
        - (CASE WHEN substr(${on}, 6, 5) < substr(${birthDate}, 6, 5) THEN 1 ELSE 0 END)
      WHEN ${birthYear} IS NOT NULL THEN CAST(substr(${on}, 1, 4) AS INTEGER) - ${birthYear}
      END)`

/**
 * The same on both: window functions over the values counted by value first (a few hundred
 * distinct day counts rather than every row ranked), each value covering the positions
 * (cum - n, cum] in order; the median is the mean of the values at the middle position or two.
 * The sums cast back to whole numbers: PostgreSQL's sum of a count is numeric, and the middle
 * positions are integer divisions.
 */
const median: ReportDialect['median'] = (values) =>
  sql<number | null>`(SELECT avg(h.value) FROM (
      SELECT g.value, g.n, CAST(sum(g.n) OVER (ORDER BY g.value) AS BIGINT) AS cum, CAST(sum(g.n) OVER () AS BIGINT) AS total
        FROM (SELECT v.value, count(*) AS n FROM (${values}) AS v GROUP BY v.value) AS g
    ) AS h WHERE ((h.total + 1) / 2 > h.cum - h.n AND (h.total + 1) / 2 <= h.cum) OR ((h.total + 2) / 2 > h.cum - h.n AND (h.total + 2) / 2 <= h.cum))`

/**
 * The same on both: minutes of the UTC day plus the offset, wrapped to one day: exact for any
 * offset (+5:30 too), and a year of slots costs a few ms where SQLite's strftime with a modifier,
 * or PostgreSQL's cast of every slot to a timestamp, costs several times that.
 */
const slotHour: ReportDialect['slotHour'] = (slot, spans) =>
  byOffset(slot, spans, (m) => sql<number>`(((CAST(substr(${slot}, 12, 2) AS INTEGER) * 60 + CAST(substr(${slot}, 15, 2) AS INTEGER) + ${sql.lit(m)}) % 1440 + 1440) % 1440 / 60)`)

export const sqliteReports: ReportDialect = {
  localDate: (instant, spans) => byOffset(instant, spans, (m) => sql<string>`strftime('%Y-%m-%d', ${instant}, ${modifier(m)})`),
  localHour: (instant, spans) => byOffset(instant, spans, (m) => sql<number>`CAST(strftime('%H', ${instant}, ${modifier(m)}) AS INTEGER)`),
  slotHour,
  weekday: (date) => sql<number>`((CAST(strftime('%w', ${date}) AS INTEGER) + 6) % 7)`,
  bucket: (date, grain) => {
    if (grain === 'day') return sql<string>`${date}`
    if (grain === 'month') return sql<string>`(substr(${date}, 1, 7) || '-01')`
    return sql<string>`date(${date}, '-' || ((CAST(strftime('%w', ${date}) AS INTEGER) + 6) % 7) || ' days')`
  },
  daysBetween: (from, to) => sql<number>`CAST(julianday(${to}) - julianday(${from}) AS INTEGER)`,
  ageAt,
  later: (a, b) => sql<string>`max(${a}, ${b})`,
  anyDay: (days, mask) => sql<number>`((${days} & ${sql.lit(mask)}) != 0)`,
  median,
}

/** An ISO instant (text) on the center's clock at a UTC offset, as a timestamp without zone. */
const onClock = (instant: Expression<string>, minutes: number) =>
  sql`((CAST(${instant} AS timestamptz) AT TIME ZONE 'UTC') + make_interval(mins => ${sql.lit(minutes)}))`
/** ISO day of the week of a calendar date: 1 Monday … 7 Sunday. */
const isoWeekday = (date: Expression<string>) => sql<number>`CAST(extract(isodow FROM CAST(${date} AS date)) AS INTEGER)`

/** PostgreSQL's spelling of the same (dates and instants are text there too). */
export const postgresReports: ReportDialect = {
  localDate: (instant, spans) => byOffset(instant, spans, (m) => sql<string>`to_char(${onClock(instant, m)}, 'YYYY-MM-DD')`),
  localHour: (instant, spans) => byOffset(instant, spans, (m) => sql<number>`CAST(extract(hour FROM ${onClock(instant, m)}) AS INTEGER)`),
  slotHour,
  weekday: (date) => sql<number>`(${isoWeekday(date)} - 1)`,
  bucket: (date, grain) => {
    if (grain === 'day') return sql<string>`${date}`
    if (grain === 'month') return sql<string>`(substr(${date}, 1, 7) || '-01')`
    return sql<string>`to_char(CAST(${date} AS date) - (${isoWeekday(date)} - 1), 'YYYY-MM-DD')`
  },
  daysBetween: (from, to) => sql<number>`(CAST(${to} AS date) - CAST(${from} AS date))`,
  ageAt,
  later: (a, b) => sql<string>`greatest(${a}, ${b})`,
  // A comparison is a boolean in PostgreSQL; the figures add these up as 0 or 1.
  anyDay: (days, mask) => sql<number>`CAST((${days} & ${sql.lit(mask)}) <> 0 AS INTEGER)`,
  median,
}

/** The spelling for a connection: each report service asks for it as `const d = reportDialectFor(db)`. */
export const reportDialectFor = perBackend<ReportDialect>({ sqlite: sqliteReports, postgres: postgresReports })


import { describe, expect, it } from 'vitest'
import { ServiceError } from '../../db/services/context'
import { checkSchedule, expandSchedule, localInstant, schedulePattern, scheduleText } from '../../db/services/group-schedule'
import type { SchedulePattern } from '../../db/groups-types'

const NY = 'America/New_York'
const LA = 'America/Los_Angeles'

const weekly = (over: Partial<SchedulePattern>): SchedulePattern => ({ startDate: '2027-01-04', startTime: '18:30', frequency: 'weekly', interval: 1, weekdays: ['TU'], ...over })
const local = (zone: string, pattern: SchedulePattern, from: string, to: string) => expandSchedule(scheduleText(pattern, zone), from, to, zone)

function refusal(run: () => unknown): ServiceError {
  try {
    run()
  } catch (error) {
    if (error instanceof ServiceError) return error
    throw error
  }
  throw new Error('expected a ServiceError')
}

describe('weekly schedules across daylight-saving changes', () => {
  // 2027: clocks spring forward on Sunday 14 March and fall back on Sunday 7 November, in both zones.
  for (const [zone, winter, summer] of [
    [NY, -5, -4],
    [LA, -8, -7],
  ] as const) {
    it(`keeps a 6:30 pm Tuesday group at 6:30 pm local in ${zone}, its UTC instant moving an hour`, () => {
      const out = local(zone, weekly({}), '2027-03-01', '2027-03-20')
      expect(out.map((o) => o.key)).toEqual(['2027-03-02T18:30', '2027-03-09T18:30', '2027-03-16T18:30'])
      expect(out[1]!.startsAt).toBe(`2027-03-${String(9 + (18 - winter >= 24 ? 1 : 0)).padStart(2, '0')}T${String((18 - winter) % 24).padStart(2, '0')}:30:00.000Z`)
      expect(Date.parse(out[2]!.startsAt) - Date.parse(out[1]!.startsAt)).toBe((7 * 24 - 1) * 3600_000)
      const fall = local(zone, weekly({}), '2027-11-01', '2027-11-12')
      expect(fall.map((o) => o.key)).toEqual(['2027-11-02T18:30', '2027-11-09T18:30'])
      expect(Date.parse(fall[1]!.startsAt) - Date.parse(fall[0]!.startsAt)).toBe((7 * 24 + 1) * 3600_000)
      expect(summer - winter).toBe(1)
    })

    it(`skips a Sunday 2:30 am session that does not exist on the spring-forward night in ${zone} (RFC 5545 3.3.10)`, () => {
      const out = local(zone, weekly({ startDate: '2027-03-01', startTime: '02:30', weekdays: ['SU'] }), '2027-03-07', '2027-03-21')
      expect(out.map((o) => o.key)).toEqual(['2027-03-07T02:30', '2027-03-21T02:30'])
      // A one-off or moved session at that wall time lands after the gap, an hour after 1:30 standard time.
      expect(localInstant('2027-03-14', '02:30', zone)).toBe(new Date(Date.parse(localInstant('2027-03-14', '01:30', zone)) + 3600_000).toISOString())
    })

    it(`holds a Sunday 1:30 am session once on the fall-back night in ${zone} (the first 1:30)`, () => {
      const out = local(zone, weekly({ startDate: '2027-10-01', startTime: '01:30', weekdays: ['SU'] }), '2027-10-31', '2027-11-14')
      expect(out.map((o) => o.key)).toEqual(['2027-10-31T01:30', '2027-11-07T01:30', '2027-11-14T01:30'])
      const utcHour = new Date(out[1]!.startsAt).getUTCHours()
      expect(utcHour).toBe(1 - summer)
    })
  }

  it('meets every other week on two days', () => {
    const out = local(NY, weekly({ startDate: '2027-01-04', interval: 2, weekdays: ['MO', 'TH'] }), '2027-01-01', '2027-01-31')
    expect(out.map((o) => o.date)).toEqual(['2027-01-04', '2027-01-07', '2027-01-18', '2027-01-21'])
  })
})

describe('monthly schedules', () => {
  it('meets on the last Friday, whatever day the month ends', () => {
    const out = local(NY, { startDate: '2027-01-01', startTime: '12:00', frequency: 'monthly', interval: 1, weekdays: ['FR'], monthWeek: -1 }, '2027-01-01', '2027-05-31')
    expect(out.map((o) => o.date)).toEqual(['2027-01-29', '2027-02-26', '2027-03-26', '2027-04-30', '2027-05-28'])
  })

  it('meets on the 5th Tuesday only in months that have one', () => {
    const out = local(LA, { startDate: '2027-01-01', startTime: '10:00', frequency: 'monthly', interval: 1, weekdays: ['TU'], monthWeek: 5 }, '2027-01-01', '2027-12-31')
    expect(out.map((o) => o.date)).toEqual(['2027-03-30', '2027-06-29', '2027-08-31', '2027-11-30'])
  })

  it('meets on the 1st Monday of a month across the spring-forward week', () => {
    const out = local(NY, { startDate: '2027-01-01', startTime: '19:00', frequency: 'monthly', interval: 1, weekdays: ['MO'], monthWeek: 1 }, '2027-02-01', '2027-04-30')
    expect(out.map((o) => o.key)).toEqual(['2027-02-01T19:00', '2027-03-01T19:00', '2027-04-05T19:00'])
  })
})

describe('skipped and extra days, the end date and the form', () => {
  it('skips EXDATE days, adds RDATE days and stops after UNTIL (inclusive, at the center)', () => {
    const pattern = weekly({ exDates: ['2027-03-09'], rDates: ['2027-03-11'], until: '2027-03-23' })
    const out = local(NY, pattern, '2027-03-01', '2027-04-30')
    expect(out.map((o) => o.date)).toEqual(['2027-03-02', '2027-03-11', '2027-03-16', '2027-03-23'])
  })

  it('reads back the pattern it wrote', () => {
    const pattern: SchedulePattern = { ...weekly({ interval: 2, weekdays: ['MO', 'WE'], until: '2027-06-30', exDates: ['2027-02-01'], rDates: ['2027-02-03'] }), monthWeek: null }
    const text = scheduleText(pattern, LA)
    expect(text).toContain('DTSTART;TZID=America/Los_Angeles:20270104T183000')
    expect(text).toContain('RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270701T065959Z')
    expect(schedulePattern(text)).toEqual(pattern)
    expect(schedulePattern('RRULE:FREQ=DAILY')).toBeNull()
  })
})

describe('schedules that are refused, each naming the field', () => {
  it('refuses a rule that never produces a session', () => {
    const error = refusal(() => checkSchedule('DTSTART;TZID=America/New_York:20270101T100000\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', NY))
    expect(error.message).toMatch(/never produces a session/)
    expect(error.detail).toEqual({ field: 'schedule' })
  })

  it('refuses more than 1,000 sessions a year', () => {
    const error = refusal(() => checkSchedule('DTSTART;TZID=America/New_York:20270101T100000\nRRULE:FREQ=HOURLY', NY))
    expect(error.message).toMatch(/more than 1000 sessions a year/)
    // Daily is 365 a year: allowed (a residential program may meet every day).
    expect(() => checkSchedule('DTSTART;TZID=America/New_York:20270101T100000\nRRULE:FREQ=DAILY', NY)).not.toThrow()
  })

  it('refuses a schedule in another zone, one with no start, and text that is not RFC 5545', () => {
    expect(refusal(() => checkSchedule('DTSTART;TZID=America/Chicago:20270101T100000\nRRULE:FREQ=WEEKLY', NY)).message).toMatch(/center’s time zone \(America\/New_York\)/)
    expect(refusal(() => checkSchedule('RRULE:FREQ=WEEKLY', NY)).detail).toEqual({ field: 'schedule' })
    expect(refusal(() => checkSchedule('DTSTART;TZID=America/New_York:20270101T100000\nRRULE:FREQ=SOMETIMES', NY)).detail).toEqual({ field: 'schedule', reason: expect.any(String) })
    expect(refusal(() => scheduleText(weekly({ weekdays: [] }), NY)).detail).toEqual({ field: 'schedule' })
  })
})

import type { Sqlite } from './open'
import type { SchedulePattern, Weekday } from './groups-types'
import { addDays, expandSchedule, scheduleText } from './services/group-schedule'
import { normalizeName } from './services/participant-fields'

type Random = () => number

/**
 * Synthetic groups on top of seeded people and visits, for demos and benchmarks: recurring
 * groups with RFC 5545 schedules, the center's holidays as closures, sessions over the whole
 * seeded span and four weeks ahead, rosters with churn for closed groups, and attendance at real
 * rates (open meetings 3 to 15 people, closed groups 8 to 12 enrolled who come 60 to 85 % of the
 * time, and mark absences). Attendance joins the person's visit that day, or makes one with the
 * group service, as the app does; people at the desk that day are likelier to be in a group.
 */

interface Template {
  name: string
  kind: 'open' | 'closed'
  weekdays: Weekday[]
  time: string
  minutes: number
  monthWeek?: 1 | 2 | 3 | 4 | 5 | -1
  seriesLength?: number
}

const TEMPLATES: readonly Template[] = [
  { name: 'SMART Recovery', kind: 'open', weekdays: ['TU'], time: '18:30', minutes: 90 },
  { name: 'All Recovery Meeting', kind: 'open', weekdays: ['MO', 'WE', 'FR'], time: '12:00', minutes: 60 },
  { name: 'Women’s Group', kind: 'closed', weekdays: ['TH'], time: '17:30', minutes: 90 },
  { name: 'WRAP Series', kind: 'closed', weekdays: ['WE'], time: '14:00', minutes: 120, seriesLength: 8 },
  { name: 'Family Group', kind: 'open', weekdays: ['SA'], time: '10:00', minutes: 90, monthWeek: 2 },
  { name: 'Men’s Circle', kind: 'closed', weekdays: ['MO'], time: '18:00', minutes: 90 },
  { name: 'Refuge Recovery', kind: 'open', weekdays: ['SU'], time: '11:00', minutes: 60 },
  { name: 'Art and Recovery', kind: 'open', weekdays: ['FR'], time: '15:00', minutes: 90 },
  { name: 'Job Club', kind: 'closed', weekdays: ['TU'], time: '10:00', minutes: 60 },
  { name: 'Peer Support Circle', kind: 'open', weekdays: ['TH'], time: '12:00', minutes: 60 },
]

const END_REASONS = ['Finished the series', 'Moved away', 'Started a job', 'Stopped coming', 'Entered treatment']

export interface GroupSeed {
  groups: number
  sessions: number
  attendance: number
  enrollments: number
  closures: number
}

export interface GroupSeedOptions {
  firstDate: string
  lastDate: string
  timeZone: string
  /** How many groups (the templates repeat with a number after the name). Default: the ten templates. */
  groups?: number
  /** Seeded up to this instant: sessions not over by then stay scheduled, with no attendance. */
  until?: string
  /**
   * Scales every group's size (default 1: the real rates above). The benchmark uses 2 to reach the
   * issue's 200,000 attendance rows over five years of 40 groups without inventing more groups.
   */
  groupSize?: number
}

/** Holidays a center closes on: New Year's Day, Independence Day, Thanksgiving, Christmas. */
function holidays(firstDate: string, lastDate: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (let year = Number(firstDate.slice(0, 4)); year <= Number(lastDate.slice(0, 4)) + 1; year++) {
    const november = new Date(Date.UTC(year, 10, 1)).getUTCDay()
    const thanksgiving = 1 + ((4 - november + 7) % 7) + 21
    out.push([`${year}-01-01`, 'New Year’s Day'], [`${year}-07-04`, 'Independence Day'], [`${year}-11-${thanksgiving}`, 'Thanksgiving'], [`${year}-12-25`, 'Christmas'])
  }
  return out.filter(([date]) => date >= firstDate && date <= addDays(lastDate, 28))
}

export function seedGroups(sqlite: Sqlite, random: Random, options: GroupSeedOptions): GroupSeed {
  const { firstDate, lastDate, timeZone } = options
  // Seeding into a database that already has groups (adding people) leaves the groups as they are.
  if (sqlite.prepare(`SELECT 1 FROM groups LIMIT 1`).get()) return { groups: 0, sessions: 0, attendance: 0, enrollments: 0, closures: 0 }
  const through = addDays(lastDate, 28)
  const now = `${lastDate}T12:00:00.000Z`
  const facilitators = sqlite.prepare(`SELECT id FROM staff WHERE active = 1 AND role = 'facilitator' ORDER BY id`).pluck().all() as number[]
  const anyStaff = sqlite.prepare(`SELECT id FROM staff WHERE active = 1 ORDER BY id`).pluck().all() as number[]
  const leaders = facilitators.length ? facilitators : anyStaff.slice(0, 1)
  const groupService = sqlite.prepare(`SELECT id FROM services WHERE key = 'group'`).pluck().get() as number | undefined
  const people = sqlite.prepare(`SELECT id, substr(created_at, 1, 10) AS since FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL ORDER BY created_at`).all() as Array<{ id: number; since: string }>
  const pickPerson = (date: string): number | null => {
    // Registered by that day: a binary search over the registration order.
    let lo = 0
    let hi = people.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (people[mid]!.since <= date) lo = mid + 1
      else hi = mid
    }
    return lo === 0 ? null : people[Math.floor(random() * lo)]!.id
  }

  const insertGroup = sqlite.prepare(`INSERT INTO groups (name, name_key, description, kind, room, capacity, series_length, duration_minutes, schedule, materialized_through, archived_at, created_by, created_at, updated_at)
    VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`)
  const insertLeader = sqlite.prepare(`INSERT INTO group_facilitators (group_id, staff_id) VALUES (?, ?)`)
  const insertClosure = sqlite.prepare(`INSERT INTO closures (closed_on, reason, created_by, created_at) VALUES (?, ?, NULL, ?)`)
  const insertSession = sqlite.prepare(`INSERT INTO group_sessions (group_id, occurrence_key, session_date, start_time, starts_at, ends_at, room, status, cancel_reason, closure_id, moved_from, makeup_for, topic, note, anonymous_count, cover_staff_id, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, NULL, NULL, NULL, ?, NULL, ?, ?)`)
  const insertEnrollment = sqlite.prepare(`INSERT INTO enrollments (group_id, participant_id, status, requested_on, enrolled_on, ended_on, end_reason, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`)
  const insertAttendance = sqlite.prepare(`INSERT INTO attendance (session_id, participant_id, anonymous_code, status, visit_id, created_visit, follow_up, recorded_by, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?)`)
  const visitThatDay = sqlite.prepare(`SELECT id FROM visits WHERE participant_id = ? AND visit_date = ? AND voided_at IS NULL LIMIT 1`).pluck()
  const visitorsThatDay = sqlite.prepare(`SELECT DISTINCT participant_id FROM visits WHERE visit_date = ? AND participant_id IS NOT NULL AND voided_at IS NULL`).pluck()
  const insertVisit = sqlite.prepare(`INSERT INTO visits (participant_id, anonymous_code, visit_date, signed_in_at, signed_out_at, note, created_by, created_at, updated_at, voided_at, void_reason) VALUES (?, NULL, ?, ?, ?, NULL, ?, ?, ?, NULL, NULL)`)
  const insertLine = sqlite.prepare(`INSERT INTO visit_services (visit_id, service_id, quantity) VALUES (?, ?, 1)`)
  const endEnrollment = sqlite.prepare(`UPDATE enrollments SET status = 'ended', ended_on = ?, end_reason = ?, updated_at = ? WHERE id = ?`)
  const refreshLast = sqlite.prepare(`UPDATE participants SET last_visit_at = (SELECT max(signed_in_at) FROM visits WHERE participant_id = participants.id AND voided_at IS NULL) WHERE id = ?`)
  const visited = new Set<number>()

  const result: GroupSeed = { groups: 0, sessions: 0, attendance: 0, enrollments: 0, closures: 0 }
  const closures = new Map<string, number>()
  sqlite.transaction(() => {
    for (const [date, reason] of holidays(firstDate, lastDate)) {
      const existing = sqlite.prepare(`SELECT id FROM closures WHERE closed_on = ?`).pluck().get(date) as number | undefined
      closures.set(date, existing ?? Number(insertClosure.run(date, reason, now).lastInsertRowid))
      if (existing === undefined) result.closures++
    }
  })()

  const count = options.groups ?? TEMPLATES.length
  const scale = options.groupSize ?? 1
  for (let g = 0; g < count; g++) {
    const template = TEMPLATES[g % TEMPLATES.length]!
    const name = g < TEMPLATES.length ? template.name : `${template.name} ${Math.floor(g / TEMPLATES.length) + 1}`
    const pattern: SchedulePattern = {
      startDate: firstDate,
      startTime: template.time,
      frequency: template.monthWeek ? 'monthly' : 'weekly',
      interval: 1,
      weekdays: template.weekdays,
      monthWeek: template.monthWeek ?? null,
    }
    const schedule = scheduleText(pattern, timeZone)
    const occurrences = expandSchedule(schedule, firstDate, through, timeZone)
    // How often this group's enrolled people come (60–85 %), and how big it runs.
    const rate = 0.6 + random() * 0.25
    const target = template.kind === 'closed' ? Math.round((8 + Math.floor(random() * 5)) * scale) : 0
    sqlite.transaction(() => {
      const groupId = Number(
        insertGroup.run(name, normalizeName(name), template.kind, `Room ${'ABCD'[g % 4]}`, template.kind === 'closed' ? 12 * scale : null, template.seriesLength ?? null, template.minutes, schedule, through, now, now).lastInsertRowid,
      )
      result.groups++
      // A database seeded before anyone was set up has no staff: its groups wait for a facilitator.
      const leader = leaders.length ? leaders[g % leaders.length]! : null
      if (leader !== null) insertLeader.run(groupId, leader)
      // The roster: active enrollments (id, person), topped up to the target when people leave.
      const roster = new Map<number, number>()
      const fill = (date: string) => {
        for (let tries = 0; roster.size < target && tries < 50; tries++) {
          const person = pickPerson(date)
          if (person === null || roster.has(person)) continue
          roster.set(person, Number(insertEnrollment.run(groupId, person, 'enrolled', date, date, null, null, now, now).lastInsertRowid))
          result.enrollments++
        }
      }
      for (const occ of occurrences) {
        const closure = closures.get(occ.date)
        const endsAt = new Date(Date.parse(occ.startsAt) + template.minutes * 60_000).toISOString()
        const past = occ.date <= lastDate && (!options.until || endsAt <= options.until)
        const roll = random()
        const status = closure ? 'cancelled' : !past ? 'scheduled' : roll < 0.04 ? 'cancelled' : roll < 0.07 ? 'did_not_meet' : 'held'
        const anonymous = status === 'held' && template.kind === 'open' && random() < 0.3 ? 1 + Math.floor(random() * 3) : 0
        const sessionId = Number(
          insertSession.run(groupId, occ.key, occ.date, occ.time, occ.startsAt, endsAt, status, status === 'cancelled' && !closure ? 'Facilitator unavailable' : null, closure ?? null, anonymous, occ.startsAt, occ.startsAt).lastInsertRowid,
        )
        result.sessions++
        if (status !== 'held') continue
        const attend = (person: number, mark: 'present' | 'late' | 'absent' | 'excused') => {
          let visit: number | null = null
          let made = 0
          if (mark === 'present' || mark === 'late') {
            visit = (visitThatDay.get(person, occ.date) as number | undefined) ?? null
            if (visit === null) {
              visit = Number(insertVisit.run(person, occ.date, occ.startsAt, endsAt, null, occ.startsAt, occ.startsAt).lastInsertRowid)
              if (groupService !== undefined) insertLine.run(visit, groupService)
              visited.add(person)
              made = 1
            }
          }
          insertAttendance.run(sessionId, person, mark, visit, made, leader, endsAt, endsAt)
          result.attendance++
        }
        if (template.kind === 'closed') {
          // Some leave between sessions; their places are filled from new people.
          for (const [person, enrollment] of [...roster]) {
            if (random() < 0.05) {
              endEnrollment.run(addDays(occ.date, -1), END_REASONS[Math.floor(random() * END_REASONS.length)]!, now, enrollment)
              roster.delete(person)
            }
          }
          fill(occ.date)
          for (const person of roster.keys()) {
            const came = random() < rate
            attend(person, came ? (random() < 0.1 ? 'late' : 'present') : random() < 0.7 ? 'absent' : 'excused')
          }
        } else {
          // Open meetings: 3 to 15, more than half of them people who signed in at the desk that day.
          const size = Math.round((3 + Math.floor(random() * 13)) * scale)
          const here = visitorsThatDay.all(occ.date) as number[]
          const chosen = new Set<number>()
          for (let tries = 0; chosen.size < size && tries < size * 4; tries++) {
            const person = here.length && random() < 0.6 ? here[Math.floor(random() * here.length)]! : pickPerson(occ.date)
            if (person !== null) chosen.add(person)
          }
          for (const person of chosen) attend(person, random() < 0.1 ? 'late' : 'present')
        }
      }
    })()
  }
  // Visits made by attendance can be a person's latest: the desk's search orders by it.
  sqlite.transaction(() => visited.forEach((person) => refreshLast.run(person)))()
  return result
}

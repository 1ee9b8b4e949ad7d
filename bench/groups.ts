import type { OpenDatabase } from '../db/open'
import { betweenActions } from './harness'
import { markAttendance, sessionSheet } from '../db/services/attendance'
import type { ServiceContext } from '../db/services/context'
import { groupDetails } from '../db/services/group-history'
import { addDays, expandSchedule } from '../db/services/group-schedule'

/**
 * The facilitator's operations on five years of groups (about 40 groups, 10,000 sessions and
 * 200,000 attendance rows): marking one person present (a write with its audit row and fsync,
 * answered with the session and the person's row, as the screen gets it), opening a session's attendance screen
 * (roster, marks, who signed in that day, and the audit row of the look), a group's page with its
 * five-year history and rates, and expanding a schedule over five years. They write, so they run on
 * throwaway copies of both databases.
 */
export interface GroupTimes {
  mark: [number[], number[]]
  sheet: [number[], number[]]
  history: [number[], number[]]
  expand: number[]
  /** What the data holds, for the report's labels. */
  counts: { groups: number; sessions: number; attendance: number; marked: number; sheets: number }
}

type Pair = [number[], number[]]

/** The same timing as the harness's: one untimed pass, then sides alternating. */
async function timed<T>(items: readonly T[], work: (side: 0 | 1, item: T) => Promise<unknown>, warmUp = true): Promise<Pair> {
  if (warmUp) for (const item of items) for (const side of [0, 1] as const) await work(side, item)
  const samples: Pair = [[], []]
  for (const [i, item] of items.entries()) {
    for (const side of i % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const)) {
      const started = performance.now()
      await work(side, item)
      samples[side].push(performance.now() - started)
      await betweenActions()
    }
  }
  return samples
}

export async function measureGroups(copies: readonly [OpenDatabase, Pick<OpenDatabase, 'db'>], dayAfter: string, staffId: number, marks = 200): Promise<GroupTimes> {
  const { sqlite } = copies[0]
  const count = (sql: string) => sqlite.prepare(sql).pluck().get() as number
  // The first day after the data ends that has sessions: its sessions, and people to mark present
  // in them, each once (the warm-up marks the first ones, on both sides; the timed pass the rest).
  const day = (sqlite.prepare(`SELECT min(session_date) FROM group_sessions WHERE session_date >= ? AND status = 'scheduled'`).pluck().get(dayAfter) as string | null) ?? dayAfter
  const at = new Date(`${day}T21:00:00Z`)
  const ctx = copies.map((c): ServiceContext => ({ db: c.db, staffId, now: () => at, timeZone: 'UTC' })) as [ServiceContext, ServiceContext]
  const todays = sqlite.prepare(`SELECT id FROM group_sessions WHERE session_date = ? AND status = 'scheduled' ORDER BY start_time, id`).pluck().all(day) as number[]
  if (todays.length === 0) throw new Error(`No group sessions on or after ${dayAfter} to take attendance in.`)
  const people = sqlite.prepare(`SELECT id FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL ORDER BY (id * 7919) % 100003 LIMIT ?`).pluck().all(marks + 20) as number[]
  const warm = people.slice(0, 20).map((id, i) => ({ sessionId: todays[i % todays.length]!, participantId: id }))
  const timedMarks = people.slice(20).map((id, i) => ({ sessionId: todays[i % todays.length]!, participantId: id }))
  const mark = (side: 0 | 1, m: { sessionId: number; participantId: number }) => markAttendance(ctx[side], { ...m, status: 'present' })
  for (const m of warm) for (const side of [0, 1] as const) await mark(side, m)
  const marked = await timed(timedMarks, mark, false)

  // The attendance screens of the last eight weeks' held sessions.
  const recent = sqlite.prepare(`SELECT id FROM group_sessions WHERE status = 'held' AND session_date >= ? ORDER BY session_date, start_time`).pluck().all(addDays(dayAfter, -56)) as number[]
  const sheet = await timed(recent, (side, id) => sessionSheet(ctx[side], id))

  // Every group's page, five years of history each, three times over.
  const groupIds = sqlite.prepare(`SELECT id FROM groups ORDER BY id`).pluck().all() as number[]
  const history = await timed([...groupIds, ...groupIds, ...groupIds], (side, id) => groupDetails(ctx[side], id))

  // Each group's schedule expanded over the five years before that day (no database).
  const schedules = sqlite.prepare(`SELECT schedule FROM groups WHERE schedule IS NOT NULL ORDER BY id`).pluck().all() as string[]
  const from = addDays(dayAfter, -1826)
  for (const text of schedules) expandSchedule(text, from, dayAfter, 'UTC')
  const expand: number[] = []
  for (let round = 0; round < 5; round++) {
    for (const text of schedules) {
      const started = performance.now()
      expandSchedule(text, from, dayAfter, 'UTC')
      expand.push(performance.now() - started)
    }
  }
  return {
    mark: marked,
    sheet,
    history,
    expand,
    counts: {
      groups: groupIds.length,
      sessions: count(`SELECT count(*) FROM group_sessions`),
      attendance: count(`SELECT count(*) FROM attendance`),
      marked: timedMarks.length,
      sheets: recent.length,
    },
  }
}

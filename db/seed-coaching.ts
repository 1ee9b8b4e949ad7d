import type { Sqlite } from './open'

type Random = () => number

const DAY_MS = 86_400_000
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

const STAGES = ['contemplation', 'before_treatment', 'residential', 'outpatient', 'after_treatment', 'long_term'] as const
const PATHWAYS = ['twelve_step', 'smart', 'medication', 'faith', 'harm_reduction', 'natural'] as const
const KINDS: ReadonlyArray<readonly [string, number]> = [
  ['in_person', 45],
  ['phone', 30],
  ['text', 12],
  ['video', 5],
  ['outreach', 5],
  ['warmline', 3],
]
const AREAS = ['housing', 'work_education', 'health', 'family_social', 'recovery_activities', 'meaning'] as const
const GOALS = ['A place of my own', 'Steady work', 'See a doctor regularly', 'Reconnect with my kids', 'Go to a meeting every week', 'Volunteer at the center']
const TOPICS = ['Housing', 'Work and education', 'Health', 'Family and relationships', 'Recovery meetings', 'Cravings and triggers', 'Goals and plan']

export interface CoachingSeed {
  engagements: number
  contacts: number
  goals: number
}

function weighted(random: Random, table: ReadonlyArray<readonly [string, number]>): string {
  const total = table.reduce((sum, [, w]) => sum + w, 0)
  let at = random() * total
  for (const [value, w] of table) if ((at -= w) < 0) return value
  return table[0]![0]
}

/**
 * Synthetic peer coaching on top of seeded people, for demos and benchmarks: about one person in
 * five who came is paired with a coach (the active peer specialists and managers; none, nothing)
 * for ninety days, contacted every few days to a couple of weeks, those whose period is over
 * completed or closed; the ones still open have weekly meetings ahead. Half have a plan with
 * goals and steps. A few warmline calls stay anonymous. No audit rows: the seed's own says it is synthetic.
 */
export function seedCoaching(
  sqlite: Sqlite,
  random: Random,
  /** `maxGapDays`: the longest gap between two contacts (default 13); the benchmark's busier caseloads use less. */
  options: { firstDate: string; lastDate: string; share?: number; maxGapDays?: number },
): CoachingSeed {
  const coaches = sqlite.prepare(`SELECT id FROM staff WHERE active = 1 AND role IN ('peer_specialist', 'manager') ORDER BY id`).pluck().all() as number[]
  if (coaches.length === 0) return { engagements: 0, contacts: 0, goals: 0 }
  const people = sqlite
    .prepare(`SELECT id FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL AND last_visit_at IS NOT NULL ORDER BY id`)
    .pluck()
    .all() as number[]
  const firstMs = Date.parse(`${options.firstDate}T00:00:00Z`)
  const lastMs = Date.parse(`${options.lastDate}T00:00:00Z`)
  const now = `${options.lastDate}T12:00:00.000Z`
  const insertEngagement = sqlite.prepare(`INSERT INTO coaching_engagements (participant_id, coach_id, backup_id, started_on, planned_days, ends_on, stage, pathways, status, status_reason, ended_on, created_by, created_at, updated_at)
    VALUES (?, ?, NULL, ?, 90, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertEvent = sqlite.prepare(`INSERT INTO coaching_events (engagement_id, kind, on_date, detail, staff_id, created_at) VALUES (?, 'start', ?, '{}', ?, ?)`)
  const insertContact = sqlite.prepare(`INSERT INTO coaching_contacts (participant_id, engagement_id, meeting_id, caller_label, contact_on, minutes, kind, topics, note, next_steps, staff_id, created_at, updated_at)
    VALUES (?, ?, NULL, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)`)
  const insertMeeting = sqlite.prepare(`INSERT INTO coaching_meetings (engagement_id, meeting_on, start_time, kind, status, reason, schedule, created_by, created_at, updated_at) VALUES (?, ?, ?, 'in_person', 'scheduled', NULL, NULL, ?, ?, ?)`)
  const insertGoal = sqlite.prepare(`INSERT INTO plan_goals (participant_id, area, title, set_on, progress, done_on, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)`)
  const insertStep = sqlite.prepare(`INSERT INTO plan_steps (goal_id, text, target_on, progress, done_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
  const share = options.share ?? 0.2
  const totals: CoachingSeed = { engagements: 0, contacts: 0, goals: 0 }
  sqlite.transaction(() => {
    for (const person of people) {
      if (random() >= share) continue
      const coach = coaches[Math.floor(random() * coaches.length)]!
      const startMs = firstMs + Math.floor(random() * Math.max(1, (lastMs - firstMs) / DAY_MS)) * DAY_MS
      const endsMs = startMs + 90 * DAY_MS
      const open = endsMs > lastMs
      const status = open ? (random() < 0.9 ? 'active' : 'paused') : random() < 0.7 ? 'completed' : 'closed'
      const pathways = JSON.stringify(PATHWAYS.filter(() => random() < 0.3))
      const id = Number(
        insertEngagement.run(
          person, coach, day(startMs), day(endsMs), STAGES[Math.floor(random() * STAGES.length)]!, pathways, status,
          open ? null : status === 'completed' ? 'Finished the period' : 'Stopped coming', open ? null : day(endsMs), coach, now, now,
        ).lastInsertRowid,
      )
      insertEvent.run(id, day(startMs), coach, now)
      for (let at = startMs; at <= Math.min(endsMs, lastMs); at += (2 + Math.floor(random() * ((options.maxGapDays ?? 13) - 1))) * DAY_MS) {
        const topics = JSON.stringify(TOPICS.filter(() => random() < 0.2))
        insertContact.run(person, id, null, day(at), 10 + Math.floor(random() * 80), weighted(random, KINDS), topics, coach, now, now)
        totals.contacts++
      }
      if (open) for (let at = lastMs + DAY_MS * (1 + Math.floor(random() * 7)); at <= endsMs; at += 7 * DAY_MS) insertMeeting.run(id, day(at), '10:00', coach, now, now)
      if (random() < 0.5) {
        for (let g = 0; g < 1 + Math.floor(random() * 3); g++) {
          const area = Math.floor(random() * AREAS.length)
          const goal = Number(insertGoal.run(person, AREAS[area]!, GOALS[area]!, day(startMs), 'in_progress', coach, now, now).lastInsertRowid)
          for (let s = 1; s <= 2; s++) {
            const target = startMs + s * 30 * DAY_MS
            const done = target < lastMs && random() < 0.6
            insertStep.run(goal, `Step ${s}`, day(target), done ? 'done' : 'not_started', done ? day(target) : null, now, now)
          }
          totals.goals++
        }
      }
      totals.engagements++
    }
    // Warmline calls from people who never registered.
    for (let i = 0; i < Math.ceil(totals.engagements / 10); i++) {
      insertContact.run(null, null, 'Caller', day(firstMs + Math.floor(random() * Math.max(1, (lastMs - firstMs) / DAY_MS)) * DAY_MS), 5 + Math.floor(random() * 40), 'warmline', '[]', coaches[0]!, now, now)
      totals.contacts++
    }
  })()
  return totals
}

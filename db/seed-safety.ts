import type { Sqlite } from './open'
import { addDays } from './workforce-types'

type Random = () => number

export interface SafetySeed {
  incidents: number
  restrictions: number
  careFlags: number
}

// What a drop-in center's year looks like (issue 19): an overdose response on site every few weeks,
// most reversed with one or two doses; now and then a fight, a fall, the police. One line each,
// the way staff write them, and a factual narrative once completed.
const KINDS: ReadonlyArray<readonly [kind: string, weight: number, summaries: readonly string[]]> = [
  ['overdose', 30, ['Found unresponsive in the restroom', 'Slumped over in the lounge, slow breathing', 'Collapsed outside the front door', 'Friend called for help in the parking lot']],
  ['medical', 12, ['Seizure in the group room', 'Chest pain while waiting at the desk', 'Fainted in the kitchen']],
  ['behavioral', 25, ['Raised voices and a shove in the lobby', 'Threatened another participant', 'Refused to leave at closing']],
  ['injury', 10, ['Slipped on the wet floor by the entrance', 'Cut a hand in the kitchen']],
  ['property', 8, ['A window broken in the group room', 'Donated phone taken from the charging shelf']],
  ['police', 8, ['Police called for a fight on the sidewalk', 'Police came looking for a participant']],
  ['other', 7, ['A needle found in the restroom bin', 'Fire alarm pulled']],
]
const PLACES = ['Restroom by the lobby', 'Lounge', 'Group room', 'Front door', 'Kitchen', 'Parking lot']
const FLAGS: ReadonlyArray<readonly [kind: string, note: string | null]> = [
  ['interpreter', 'Spanish'],
  ['interpreter', 'ASL'],
  ['no_home_calls', null],
  ['allergy', 'Peanuts'],
  ['allergy', 'Latex'],
  ['wheelchair', null],
  ['other', 'Prefers to be called by her last name'],
]
const REASONS = ['A fight in the lobby', 'Threatened a volunteer in the parking lot', 'Repeated disruption of groups', 'Brought alcohol on site']

function pickWeighted(random: Random) {
  const total = KINDS.reduce((sum, [, w]) => sum + w, 0)
  let at = random() * total
  for (const entry of KINDS) {
    at -= entry[1]
    if (at < 0) return entry
  }
  return KINDS[0]!
}

/**
 * Incidents (with their history, people involved and reviews), restrictions and care flags over
 * the seeded days: about one incident a week at a center of a few hundred people, more at a
 * larger one; a restriction or two a month, the latest still in force; care flags on one person
 * in thirty. Anything older than a fortnight has been reviewed and closed by a manager.
 */
export function seedSafety(sqlite: Sqlite, random: Random, span: { firstDate: string; lastDate: string; until?: string }): SafetySeed {
  // Seeded up to an instant (the demo: now): nothing may happen after it.
  const past = (at: string) => span.until === undefined || at <= span.until
  const staff = sqlite.prepare(`SELECT id, role FROM staff WHERE active = 1 ORDER BY id`).all() as Array<{ id: number; role: string }>
  if (staff.length === 0) return { incidents: 0, restrictions: 0, careFlags: 0 }
  const manager = staff.find((s) => s.role === 'manager' || s.role === 'admin')?.id ?? staff[0]!.id
  const people = sqlite.prepare(`SELECT id FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL ORDER BY id`).pluck().all() as number[]
  const days = Math.round((Date.parse(span.lastDate) - Date.parse(span.firstDate)) / 86_400_000) + 1
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const insertIncident = sqlite.prepare(`INSERT INTO incidents (kind, occurred_at, occurred_on, summary, location, naloxone_doses, ems_called, outcome, narrative, actions_taken, follow_up, critical, review_note, closed_at, closed_by, created_by, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertPerson = sqlite.prepare(`INSERT INTO incident_people (incident_id, participant_id, staff_id, description) VALUES (?, ?, ?, ?)`)
  const insertHistory = sqlite.prepare(`INSERT INTO incident_history (incident_id, action, changes, staff_id, at) VALUES (?, ?, ?, ?, ?)`)
  const insertRestriction = sqlite.prepare(`INSERT INTO restrictions (participant_id, kind, reason, starts_on, ends_on, lifted_at, lifted_by, created_by, created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?)`)
  const insertFlag = sqlite.prepare(`INSERT INTO care_flags (participant_id, kind, note, created_by, created_at, removed_at, removed_by) VALUES (?, ?, ?, ?, ?, NULL, NULL)`)
  const counts: SafetySeed = { incidents: 0, restrictions: 0, careFlags: 0 }
  // Scaled to the center: one a week for up to 300 people, proportionally more beyond.
  const perDay = Math.max(1 / 7, people.length / 300 / 7)
  sqlite.transaction(() => {
    for (let d = 0; d < days; d++) {
      const date = addDays(span.firstDate, d)
      let expected = perDay
      while (random() < expected) {
        expected -= 1
        const [kind, , summaries] = pickWeighted(random)
        const hour = 14 + Math.floor(random() * 8)
        const at = `${date}T${String(hour).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00.000Z`
        if (!past(at)) continue
        const writer = pick(staff).id
        const overdose = kind === 'overdose'
        const doses = overdose ? (random() < 0.1 ? 0 : random() < 0.65 ? 1 : random() < 0.85 ? 2 : 3) : null
        const outcome = overdose ? pick(['responded', 'responded', 'transported', 'declined'] as const) : null
        const closed = date <= addDays(span.lastDate, -14)
        const closedAt = closed ? `${addDays(date, 1 + Math.floor(random() * 5))}T16:00:00.000Z` : null
        const critical = kind === 'overdose' || kind === 'medical' || kind === 'police' ? 1 : 0
        const narrative = closed || random() < 0.5 ? 'Staff responded at once; the area was cleared and the person was checked on before leaving.' : null
        const { lastInsertRowid } = insertIncident.run(
          kind, at, date, pick(summaries), pick(PLACES), doses, overdose ? (random() < 0.7 ? 1 : 0) : null, outcome, narrative,
          closed ? 'Team debrief held; supplies restocked.' : null, null, critical,
          closed ? 'Reviewed with the team.' : null, closedAt, closed ? manager : null, writer, at, closedAt ?? at,
        )
        const id = Number(lastInsertRowid)
        if (people.length > 0 && random() < 0.8) insertPerson.run(id, pick(people), null, null)
        if (random() < 0.3) insertPerson.run(id, null, null, 'A visitor')
        insertPerson.run(id, null, writer, null)
        insertHistory.run(id, 'create', JSON.stringify({ kind: { before: null, after: kind } }), writer, at)
        if (closed) insertHistory.run(id, 'close', JSON.stringify({ review_note: { before: null, after: 'Reviewed with the team.' }, closed: { before: false, after: true } }), manager, closedAt)
        counts.incidents += 1
      }
    }
    // Restrictions: one or two a month, each a few weeks long; the last ones are still in force.
    if (people.length > 0) {
      for (let start = Math.floor(random() * 20); start < days; start += 15 + Math.floor(random() * 20)) {
        const startsOn = addDays(span.firstDate, start)
        if (!past(`${startsOn}T17:00:00.000Z`)) break
        const askManager = random() < 0.3
        const endsOn = askManager && random() < 0.5 ? null : addDays(startsOn, 14 + Math.floor(random() * 30))
        insertRestriction.run(pick(people), endsOn === null ? 'ask_manager' : askManager ? 'ask_manager' : 'not_on_site', pick(REASONS), startsOn, endsOn, manager, `${startsOn}T17:00:00.000Z`)
        counts.restrictions += 1
      }
      for (const person of people) {
        if (random() >= 1 / 30) continue
        const [kind, note] = pick(FLAGS)
        insertFlag.run(person, kind, note, manager, `${span.firstDate}T15:00:00.000Z`)
        counts.careFlags += 1
      }
    }
  })()
  return counts
}

import type { Sqlite } from './open'
import { addDays } from './workforce-types'

type Random = () => number

const TRAININGS: Array<[title: string, category: string, hours: number]> = [
  ['Ethics and boundaries in peer work', 'ethics', 6],
  ['Cultural humility in recovery support', 'cultural_competence', 4],
  ['Trauma-informed peer support', 'trauma_informed', 8],
  ['HIV and hepatitis C basics', 'hiv_hepatitis', 3],
  ['QPR suicide prevention gatekeeper', 'suicide_prevention', 2],
  ['Motivational interviewing refresher', 'other', 6],
  ['Naloxone and overdose response', 'other', 2],
]

/**
 * The demo staff's credentials, training and supervision (issue 16): each peer specialist holds a
 * state certification and CPR, the first expiring within weeks and the second within two months, so
 * the manager's home has something to show; most training is confirmed, one entry waits.
 */
export function seedWorkforce(sqlite: Sqlite, random: Random, lastDate: string): { credentials: number; training: number; supervision: number } {
  const staff = sqlite.prepare(`SELECT id, role FROM staff WHERE active = 1 AND role IN ('peer_specialist', 'facilitator', 'manager') ORDER BY id`).all() as Array<{ id: number; role: string }>
  const supervisor = (sqlite.prepare(`SELECT id FROM staff WHERE active = 1 AND role IN ('manager', 'admin') ORDER BY role = 'manager' DESC, id LIMIT 1`).pluck().get() as number | undefined) ?? null
  const kinds = new Map((sqlite.prepare(`SELECT key, id FROM workforce_credential_kinds`).all() as Array<{ key: string; id: number }>).map((k) => [k.key, k.id]))
  const categories = new Map((sqlite.prepare(`SELECT key, id FROM workforce_categories`).all() as Array<{ key: string; id: number }>).map((c) => [c.key, c.id]))
  const at = `${lastDate}T12:00:00.000Z`
  const insertCredential = sqlite.prepare(`INSERT INTO workforce_credentials (staff_id, kind_id, issuer, number, issued_on, expires_on, document_id, renews_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)`)
  const insertTraining = sqlite.prepare(`INSERT INTO workforce_training (staff_id, taken_on, title, provider, minutes, category_id, document_id, confirmed_by, confirmed_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`)
  const insertSupervision = sqlite.prepare(`INSERT INTO workforce_supervision (staff_id, supervisor_id, held_on, minutes, format, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  const counts = { credentials: 0, training: 0, supervision: 0 }
  sqlite.transaction(() => {
    let peers = 0
    for (const person of staff) {
      const peer = person.role === 'peer_specialist'
      if (peer) {
        // The first two peers expire soon (20 and 45 days); the rest well ahead.
        const expiresIn = peers === 0 ? 20 : peers === 1 ? 45 : 200 + Math.floor(random() * 400)
        const expires = addDays(lastDate, expiresIn)
        insertCredential.run(person.id, kinds.get('state_prs'), 'State Certification Board', `PRS-${20400 + person.id}`, addDays(expires, -730), expires, supervisor, at, at)
        counts.credentials += 1
        peers += 1
      }
      // CPR for everyone on the floor; one has lapsed.
      const cprExpires = addDays(lastDate, person.id % 5 === 0 ? -10 : 90 + Math.floor(random() * 500))
      insertCredential.run(person.id, kinds.get('cpr'), 'American Red Cross', null, addDays(cprExpires, -730), cprExpires, supervisor, at, at)
      counts.credentials += 1
      const entries = peer ? 3 + Math.floor(random() * 4) : 1 + Math.floor(random() * 2)
      for (let i = 0; i < entries; i++) {
        const [title, category, hours] = TRAININGS[Math.floor(random() * TRAININGS.length)]!
        const takenOn = addDays(lastDate, -(5 + Math.floor(random() * 500)))
        // The most recent entry of each specialist waits for a manager's confirmation.
        const confirmed = !(peer && i === 0)
        insertTraining.run(person.id, i === 0 ? addDays(lastDate, -3) : takenOn, title, 'Regional Recovery Training Collaborative', hours * 60, categories.get(category), confirmed ? supervisor : null, confirmed ? at : null, person.id, at)
        counts.training += 1
      }
      if (supervisor !== null && supervisor !== person.id && peer) {
        for (let month = 0; month < 6; month++) {
          insertSupervision.run(person.id, supervisor, addDays(lastDate, -(7 + month * 30)), 60, month % 3 === 2 ? 'group' : 'individual', 'Caseload, boundaries and self-care', supervisor, at)
          counts.supervision += 1
        }
      }
    }
  })()
  return counts
}

import type { Sqlite } from './open'
import { normalizeName } from './services/participant-fields'
import type { ConsentInformation, ReferralStatus, ReferralType } from './types'

/**
 * Synthetic agencies, consents and referrals on top of seeded people, for demos and benchmarks.
 *
 * About a third of people are ever referred, some several times (about one referral per person
 * overall, the scale ARCHITECTURE.md plans for). A referral is made on a day the person was
 * engaged; older ones have ended (four in ten "got help"), recent ones are still open with a
 * follow-up date around today, some overdue. Half are shared with the agency under a consent
 * signed that day for a year; a few of those consents were later revoked. Each referral has the
 * history the app would have written (a pending line, sometimes a middle step, its ending).
 * No audit rows: the seed's own audit row records that the data is synthetic.
 */
const AGENCIES: ReadonlyArray<readonly [string, readonly ReferralType[], string]> = [
  ['Harbor Treatment Center', ['treatment', 'detox', 'mat'], 'Mon–Fri 8–6, walk-in intake Tue 10–12'],
  ['Riverside Detox Unit', ['detox'], 'Open 24 hours'],
  ['Beacon MAT Clinic', ['mat', 'treatment'], 'Mon–Sat 6–2'],
  ['Open Door Housing', ['housing'], 'Mon–Thu 9–4'],
  ['Cedar Street Recovery Residences', ['housing'], 'Call for openings'],
  ['Workforce Solutions Center', ['employment'], 'Mon–Fri 8–5'],
  ['Second Chance Staffing', ['employment'], 'Mon–Fri 7–3'],
  ['County Transit Reduced Fare Office', ['transport'], 'Mon–Fri 9–5'],
  ['Medicaid Rides Line', ['transport'], 'Mon–Fri 7–7'],
  ['Lakeside Community Mental Health', ['mental_health'], 'Mon–Fri 8–8, crisis line 24 hours'],
  ['Willow Counseling Collective', ['mental_health', 'treatment'], 'Mon–Fri 10–7'],
  ['Legal Aid Society', ['other'], 'Wed 1–5 walk-in'],
  ['Family Food Pantry', ['other'], 'Tue and Thu 10–2'],
  ['Women’s Recovery House', ['housing', 'treatment'], 'Call first'],
]

const TYPE_WEIGHTS: ReadonlyArray<readonly [ReferralType, number]> = [
  ['treatment', 22],
  ['detox', 8],
  ['mat', 12],
  ['housing', 20],
  ['employment', 12],
  ['transport', 8],
  ['mental_health', 12],
  ['other', 6],
]

const ENDINGS: ReadonlyArray<readonly [ReferralStatus, number]> = [
  ['got_help', 40],
  ['couldnt_contact', 15],
  ['no_longer_interested', 12],
  ['referred_elsewhere', 10],
  ['not_eligible', 8],
  ['no_capacity', 8],
  ['couldnt_get_help', 7],
]

const OPEN: ReadonlyArray<readonly [ReferralStatus, number]> = [
  ['pending', 50],
  ['needs_client_action', 25],
  ['eligible', 25],
]

const INFORMATION: readonly ConsentInformation[][] = [['contact', 'referral_status'], ['contact', 'referral_status', 'attendance'], ['contact', 'referral_status', 'substance_use']]
const NOTES = ['Asked for help at the desk', 'Wants outpatient, evenings', 'Needs a bed this week', 'Has ID and insurance card', 'Prefers a Spanish-speaking counselor', null, null, null]
const DAY_MS = 86_400_000

type Random = () => number

function weighted<T>(random: Random, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0)
  let r = random() * total
  for (const [item, w] of items) if ((r -= w) < 0) return item
  return items[items.length - 1]![0]
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export interface ReferralSeed {
  agencies: number
  referrals: number
  consents: number
  assessments: number
}

/** Adds the directory and referrals for the people already in the file. `lastDate` is "today" for the data. */
export function seedReferrals(sqlite: Sqlite, random: Random, lastDate: string): ReferralSeed {
  // Made by the roles that may make them (peer specialists, admins).
  const staffIds = sqlite.prepare(`SELECT id FROM staff WHERE active = 1 AND role IN ('peer_specialist', 'admin') ORDER BY id`).pluck().all() as number[]
  const now = `${lastDate}T12:00:00.000Z`
  const insertAgency = sqlite.prepare(`INSERT INTO agencies (name, name_key, phone, hours, verified_on, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`)
  const insertType = sqlite.prepare(`INSERT INTO agency_referral_types (agency_id, type) VALUES (?, ?)`)
  const insertConsent = sqlite.prepare(`INSERT INTO consents (participant_id, agency_id, purpose, information, signed_on, expires_on, revoked_at, revoked_by, revoke_note, created_by, created_at, updated_at)
    VALUES (?, ?, 'Coordinate the referral', ?, ?, ?, ?, ?, NULL, ?, ?, ?)`)
  const insertReferral = sqlite.prepare(`INSERT INTO referrals (participant_id, agency_id, type, status, consent_id, note, referred_on, follow_up_on, outcome_note, closed_on, created_by, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`)
  const insertEvent = sqlite.prepare(`INSERT INTO referral_events (referral_id, status, follow_up_on, note, staff_id, at) VALUES (?, ?, ?, ?, ?, ?)`)
  const staff = () => staffIds[Math.floor(random() * staffIds.length)] ?? null
  const lastMs = Date.parse(`${lastDate}T00:00:00Z`)

  const byType = new Map<ReferralType, number[]>()
  sqlite.transaction(() => {
    for (const [index, [name, types, hours]] of AGENCIES.entries()) {
      const verified = day(lastMs - Math.floor(random() * 400) * DAY_MS)
      // Seeding twice into one file reuses the directory rather than tripping on its unique names.
      const existing = sqlite.prepare(`SELECT id FROM agencies WHERE name_key = ?`).pluck().get(normalizeName(name)) as number | undefined
      const id = existing ?? Number(insertAgency.run(name, normalizeName(name), `555-01${10 + index}`, hours, verified, now, now).lastInsertRowid)
      for (const type of types) {
        if (existing === undefined) insertType.run(id, type)
        byType.set(type, [...(byType.get(type) ?? []), id])
      }
    }
  })()

  const people = sqlite
    .prepare(`SELECT id, created_at, coalesce(last_visit_at, created_at) AS last FROM participants WHERE merged_into IS NULL AND deleted_at IS NULL ORDER BY id`)
    .all() as Array<{ id: number; created_at: string; last: string }>
  let referrals = 0
  let consents = 0
  const batch = 5_000
  for (let start = 0; start < people.length; start += batch) {
    sqlite.transaction(() => {
      for (const person of people.slice(start, start + batch)) {
        if (random() >= 0.34) continue
        const many = 1 + Math.floor(-Math.log(1 - random()) * 1.9)
        const from = Date.parse(person.created_at.slice(0, 10))
        const to = Math.min(lastMs, Date.parse(person.last.slice(0, 10)) + 14 * DAY_MS)
        for (let n = 0; n < many; n++) {
          const referredMs = from + Math.floor((random() * Math.max(0, to - from)) / DAY_MS) * DAY_MS
          const referredOn = day(referredMs)
          const type = weighted(random, TYPE_WEIGHTS)
          const choices = byType.get(type)!
          const agencyId = choices[Math.floor(random() * choices.length)]!
          const by = staff()
          const createdAt = new Date(referredMs + (9 + random() * 8) * 3_600_000).toISOString()
          const age = (lastMs - referredMs) / DAY_MS
          const closed = age > 60 || random() < 0.3
          const status = closed ? weighted(random, ENDINGS) : weighted(random, OPEN)
          const closedMs = closed ? Math.min(lastMs, referredMs + (3 + Math.floor(random() * 40)) * DAY_MS) : null
          // Open ones were last looked at recently: their follow-up is around today, a few overdue.
          const followUp = closed ? null : day(Math.max(referredMs + 2 * DAY_MS, lastMs + Math.floor(-6 + random() * 20) * DAY_MS))
          const touchedMs = closed ? null : Math.min(lastMs, Math.max(referredMs, Date.parse(followUp!) - (3 + Math.floor(random() * 7)) * DAY_MS))
          let consentId: number | null = null
          if (random() < 0.5) {
            const revoked = random() < 0.04 ? new Date(Math.min(lastMs, referredMs + 20 * DAY_MS)).toISOString() : null
            const expires = day(referredMs + 365 * DAY_MS)
            const info = JSON.stringify(INFORMATION[Math.floor(random() * INFORMATION.length)])
            consentId = Number(insertConsent.run(person.id, agencyId, info, referredOn, expires, revoked, revoked ? by : null, by, createdAt, revoked ?? createdAt).lastInsertRowid)
            consents++
          }
          const updatedAt = new Date(Math.max((closedMs ?? touchedMs!) + 11 * 3_600_000, Date.parse(createdAt) + 3_600_000)).toISOString()
          const note = NOTES[Math.floor(random() * NOTES.length)] ?? null
          const id = Number(
            insertReferral.run(person.id, agencyId, type, status, consentId, note, referredOn, followUp, closedMs !== null ? day(closedMs) : null, by, createdAt, updatedAt).lastInsertRowid,
          )
          insertEvent.run(id, 'pending', closed ? null : day(referredMs + 7 * DAY_MS), null, by, createdAt)
          if (closed) {
            if (random() < 0.5) insertEvent.run(id, 'eligible', null, 'Intake scheduled', by, new Date(referredMs + DAY_MS * 2 + 3_600_000 * 10).toISOString())
            insertEvent.run(id, status, null, null, by, updatedAt)
          } else {
            // The last look that set today's status and follow-up date.
            insertEvent.run(id, status, followUp, 'Called to check in', by, updatedAt)
          }
          referrals++
        }
      }
    })()
  }
  return { agencies: AGENCIES.length, referrals, consents, assessments: seedAssessments(sqlite, random, people, lastMs, staff) }
}

/**
 * BARC-10s for about a quarter of people: a first one when they were engaged, then one every
 * three months or so while they kept coming, the total drifting up by a few points on average
 * (recovery capital grows for most, not all).
 */
function seedAssessments(
  sqlite: Sqlite,
  random: Random,
  people: ReadonlyArray<{ id: number; created_at: string; last: string }>,
  lastMs: number,
  staff: () => number | null,
): number {
  const insert = sqlite.prepare(`INSERT INTO assessments (participant_id, instrument, taken_on, answers, total, note, created_by, created_at, updated_at)
    VALUES (?, 'barc10', ?, ?, ?, NULL, ?, ?, ?)`)
  let count = 0
  sqlite.transaction(() => {
    for (const person of people) {
      if (random() >= 0.25) continue
      let at = Date.parse(person.created_at.slice(0, 10)) + Math.floor(random() * 14) * DAY_MS
      const until = Math.min(lastMs, Date.parse(person.last.slice(0, 10)))
      let level = 2 + random() * 2.5
      while (at <= until) {
        const answers = Array.from({ length: 10 }, () => Math.max(1, Math.min(6, Math.round(level + (random() - 0.5) * 2))))
        const total = answers.reduce((sum, a) => sum + a, 0)
        const createdAt = new Date(at + 14 * 3_600_000).toISOString()
        insert.run(person.id, day(at), JSON.stringify(answers), total, staff(), createdAt, createdAt)
        count++
        level = Math.min(5.6, level + (random() - 0.3) * 0.8)
        at += (80 + Math.floor(random() * 30)) * DAY_MS
      }
    }
  })()
  return count
}

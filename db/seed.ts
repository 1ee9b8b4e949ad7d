import type { OpenDatabase } from './open'
import { appendAudit } from './services/audit'
import { newParticipantCode, normalizeName } from './services/participants'

/**
 * Realistic synthetic data for demos and benchmarks: a few daily regulars and many occasional
 * visitors (visit frequency follows a heavy-tailed distribution), quieter weekends, a typical
 * services mix, and a share of anonymous visits. Deterministic for a given seed.
 */
export interface SeedOptions {
  participants: number
  days: number
  /** Visits on an ordinary weekday; weekends get about 40% of that. */
  visitsPerWeekday?: number
  anonymousShare?: number
  /** The last seeded day (default: yesterday in UTC). */
  endDate?: Date
  seed?: number
  onProgress?: (done: number, total: number, phase: 'participants' | 'visits' | 'finishing') => void
}

export interface SeedResult {
  participants: number
  visits: number
  visitServices: number
}

/** mulberry32: small, fast, good enough for synthetic data, and reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIRST_NAMES = [
  'Michael', 'James', 'Robert', 'John', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Christopher',
  'Charles', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kevin',
  'Brian', 'George', 'Timothy', 'Ronald', 'Jason', 'Jeffrey', 'Ryan', 'Jacob', 'Gary', 'Eric',
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen',
  'Lisa', 'Nancy', 'Betty', 'Sandra', 'Ashley', 'Kimberly', 'Donna', 'Emily', 'Michelle', 'Amanda',
  'José', 'Luis', 'Carlos', 'Juan', 'Miguel', 'Jorge', 'Alejandro', 'Ramón', 'Héctor', 'Raúl',
  'María', 'Guadalupe', 'Rosa', 'Ana', 'Lucía', 'Sofía', 'Marisol', 'Yesenia', 'Beatriz', 'Inés',
  'Tyrone', 'DeShawn', 'Jamal', 'Darnell', 'Latoya', 'Keisha', 'Tamika', 'Imani', 'Malik', 'Aaliyah',
  'Nguyen', 'Minh', 'Aiyana', 'Dakota', 'Tallulah', 'Kai', 'Noa', 'Leilani', 'Sione', 'Mele',
]
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodríguez', 'Martínez',
  'Hernández', 'López', 'González', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Pérez', 'Thompson', 'White', 'Harris', 'Sánchez', 'Clark', 'Ramírez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Begay', 'Yazzie', 'Tsosie', 'Washington', 'Jefferson', 'Okafor', 'Mensah', 'Kowalski', 'Novak', 'Quintero',
]
const NICKNAMES = ['Mike', 'Bobby', 'Jimmy', 'Red', 'Chico', 'Tiny', 'Doc', 'Sunny', 'Lulu', 'Junior', 'Smitty', 'Peaches', 'Flaca', 'Güero', 'T']

/** Services by catalog key: share of visits that include it, and the largest quantity. */
const SERVICE_MIX: Array<[key: string, share: number, maxQuantity: number]> = [
  ['peer_support', 0.42, 1],
  ['meal', 0.55, 2],
  ['shower', 0.16, 1],
  ['laundry', 0.08, 1],
  ['phone', 0.12, 1],
  ['computer', 0.1, 1],
  ['naloxone', 0.05, 3],
  ['referral', 0.04, 1],
]

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

export async function seedDatabase(opened: OpenDatabase, options: SeedOptions): Promise<SeedResult> {
  const random = rng(options.seed ?? 20261125)
  const { sqlite } = opened
  const perWeekday = options.visitsPerWeekday ?? Math.max(5, Math.round(options.participants / 180))
  const anonymousShare = options.anonymousShare ?? 0.08
  const end = options.endDate ?? new Date(Date.now() - 86_400_000)
  const start = new Date(end.getTime() - (options.days - 1) * 86_400_000)
  const progress = options.onProgress ?? (() => {})

  const services = sqlite.prepare(`SELECT id, key FROM services WHERE retired_at IS NULL`).all() as Array<{ id: number; key: string }>
  const serviceId = new Map(services.map((s) => [s.key, s.id]))

  const insertParticipant = sqlite.prepare(`INSERT INTO participants
    (code, first_name, nickname, last_name, birth_year, phone, phone_digits, name_key, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertVisit = sqlite.prepare(`INSERT INTO visits
    (participant_id, anonymous_code, visit_date, signed_in_at, signed_out_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`)
  const insertLine = sqlite.prepare(`INSERT INTO visit_services (visit_id, service_id, quantity) VALUES (?, ?, ?)`)

  // Heavy-tailed visit weights (Pareto, alpha 1): a few near-daily regulars, a long tail of occasional visitors.
  const firstId = (sqlite.prepare(`SELECT coalesce(max(id), 0) AS id FROM participants`).get() as { id: number }).id + 1
  const weights = new Float64Array(options.participants)
  const codes = new Set((sqlite.prepare(`SELECT code FROM participants`).pluck().all() as string[]))
  const batch = 5000
  for (let done = 0; done < options.participants; ) {
    const upto = Math.min(options.participants, done + batch)
    sqlite.transaction(() => {
      for (let i = done; i < upto; i++) {
        let code = newParticipantCode()
        while (codes.has(code)) code = newParticipantCode()
        codes.add(code)
        const first = random() < 0.95 ? pick(random, FIRST_NAMES) : null
        const nickname = first === null || random() < 0.12 ? pick(random, NICKNAMES) : null
        const last = random() < 0.7 ? pick(random, LAST_NAMES) : null
        const birthYear = random() < 0.75 ? Math.round(1983 + (random() + random() + random() - 1.5) * 18) : null
        const digits = random() < 0.55 ? `${200 + Math.floor(random() * 800)}555${String(Math.floor(random() * 10000)).padStart(4, '0')}` : null
        const phone = digits ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : null
        const created = new Date(start.getTime() + random() * (end.getTime() - start.getTime())).toISOString()
        insertParticipant.run(code, first, nickname, last, birthYear, phone, digits, normalizeName([first, nickname, last].filter(Boolean).join(' ')), created, created)
        weights[i] = 1 / (1 - random() * 0.9995)
      }
    })()
    done = upto
    progress(done, options.participants, 'participants')
  }

  // Cumulative weights for sampling who comes in, by binary search.
  const cumulative = new Float64Array(options.participants)
  let total = 0
  for (let i = 0; i < options.participants; i++) cumulative[i] = total += weights[i]!
  const sampleParticipant = () => {
    const target = random() * total
    let lo = 0
    let hi = options.participants - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < target) lo = mid + 1
      else hi = mid
    }
    return firstId + lo
  }

  let visits = 0
  let lines = 0
  for (let day = 0; day < options.days; day++) {
    const date = new Date(start.getTime() + day * 86_400_000)
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6
    const count = Math.round(perWeekday * (weekend ? 0.4 : 1) * (0.8 + random() * 0.4))
    const seenToday = new Set<number>()
    sqlite.transaction(() => {
      for (let v = 0; v < count; v++) {
        let participantId: number | null = null
        let anonymousCode: string | null = null
        if (random() < anonymousShare) {
          anonymousCode = random() < 0.4 ? `A${Math.floor(random() * 300)}` : null
        } else {
          participantId = sampleParticipant()
          if (seenToday.has(participantId)) continue
          seenToday.add(participantId)
        }
        const minutes = 8 * 60 + Math.floor(random() * 10 * 60)
        const signedIn = new Date(date.getTime() + minutes * 60_000)
        const signedOut = new Date(signedIn.getTime() + (15 + Math.floor(random() * 180)) * 60_000)
        const at = signedIn.toISOString()
        const result = insertVisit.run(participantId, anonymousCode, isoDate(date), at, signedOut.toISOString(), at, at)
        visits++
        let any = false
        for (const [key, share, maxQuantity] of SERVICE_MIX) {
          const id = serviceId.get(key)
          if (id === undefined || random() >= share) continue
          insertLine.run(result.lastInsertRowid, id, 1 + Math.floor(random() * maxQuantity))
          lines++
          any = true
        }
        if (!any && serviceId.has('peer_support')) {
          insertLine.run(result.lastInsertRowid, serviceId.get('peer_support'), 1)
          lines++
        }
      }
    })()
    if (day % 30 === 0 || day === options.days - 1) progress(day + 1, options.days, 'visits')
  }

  progress(0, 1, 'finishing')
  sqlite.exec(`UPDATE participants SET last_visit_at =
    (SELECT max(signed_in_at) FROM visits WHERE visits.participant_id = participants.id AND voided_at IS NULL)
    WHERE id >= ${firstId}`)
  const at = new Date().toISOString()
  await opened.db.transaction().execute((trx) =>
    appendAudit(trx, at, { staffId: null, action: 'admin.seed', detail: { participants: options.participants, days: options.days, visits } }),
  )
  sqlite.pragma('optimize')
  progress(1, 1, 'finishing')
  return { participants: options.participants, visits, visitServices: lines }
}

import type { OpenDatabase, Sqlite } from './open'
import { seedCoaching } from './seed-coaching'
import { seedGroups } from './seed-groups'
import { seedReferrals } from './seed-referrals'
import { seedWorkforce } from './seed-workforce'
import { seedSafety } from './seed-safety'
import { appendAudit, auditHash, GENESIS_HASH } from './services/audit'
import { columnsOf, type ParticipantValues } from './services/participant-fields'
import type { HousingStatus, VeteranStatus } from './types'
import { addDays } from './domain/calendar'

/**
 * Realistic synthetic data for demos and benchmarks, deterministic for a given seed.
 *
 * The model: people arrive over time (a share are already on file when the data starts), stay
 * engaged for a while (a few days, a few months or years) and, while engaged, come in on a
 * given day with their own probability. That probability is heavy-tailed: a few regulars come
 * nearly every weekday, most people a handful of times a year. Weekends are quieter, every day
 * has its own mood, people arrive around opening and lunch, and most sign out. A share of visits
 * are anonymous, some with a code the visitor chose. The probabilities are scaled so that an
 * ordinary weekday has about `visitsPerWeekday` visits.
 *
 * Rows go in through the same triggers as the app's (visit counts, the search index), with the
 * derived columns (name keys, phone digits) computed by the app's own `columnsOf`.
 */
interface SeedBase {
  participants: number
  days: number
  /** Visits (anonymous included) on an ordinary weekday; weekends get about 40% of that. Default: participants / 20. */
  visitsPerWeekday?: number
  anonymousShare?: number
  /** The center's time zone, for visit dates and opening hours (default UTC). */
  timeZone?: string
  seed?: number
  /**
   * Also write what the app writes along with each registration and visit: hash-chained audit
   * rows and visit_changes rows for sign-outs (default true). Real records carry this history.
   */
  history?: boolean
  /** Also add the agency directory, consents, referrals and recovery-capital assessments (default true); see seed-referrals.ts. */
  referrals?: boolean
  /** Also add groups, closures, rosters, sessions and attendance (default true: ten groups; a number: that many); see seed-groups.ts. */
  groups?: boolean | number
  /** Scales the seeded groups' sizes (see GroupSeedOptions.groupSize). */
  groupSize?: number
  /** Also add peer coaching: engagements, contacts, meetings and plans for about a fifth of people (default true); see seed-coaching.ts. */
  coaching?: boolean
  onProgress?: (done: number, total: number, phase: SeedPhase) => void
}

/**
 * Where the seeded history ends is always the caller's choice, never the machine's clock, so a
 * seeded test reads the same on any date.
 */
export type SeedOptions = SeedBase &
  (
    | { /** The last seeded day, whole. */ endDate: Date; until?: undefined }
    | { /** Seed up to this instant: later visits that day are left out, and those still going are left open. */ until: Date; endDate?: undefined }
  )

export type SeedPhase = 'planning' | 'participants' | 'visits' | 'history' | 'finishing'

export interface SeedResult {
  participants: number
  visits: number
  anonymousVisits: number
  visitServices: number
  /** History written along with the visits (see SeedOptions.history). */
  auditRows: number
  visitChanges: number
  referrals: number
  consents: number
  assessments: number
  groups: number
  sessions: number
  attendance: number
  engagements: number
  coachingContacts: number
  planGoals: number
  incidents: number
  restrictions: number
  careFlags: number
  firstDate: string
  lastDate: string
}

/** Bump when the generator changes what it produces for a given seed (benchmark caches key on it). */
export const SEED_FORMAT = 7

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

// ----- Names: common ones by rough frequency (earlier is more common), plus made-up rarer ones,
// so the search sees both crowded prefixes and a long tail of distinct words.

const FIRST_NAMES = [
  'Michael', 'James', 'John', 'Robert', 'David', 'William', 'Maria', 'José', 'Mary', 'Jennifer',
  'Richard', 'Joseph', 'Thomas', 'Christopher', 'Charles', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Steven',
  'Patricia', 'Linda', 'Elizabeth', 'Jessica', 'Sarah', 'Karen', 'Lisa', 'Nancy', 'Juan', 'Luis',
  'Carlos', 'Miguel', 'Jorge', 'Ana', 'Rosa', 'Guadalupe', 'Paul', 'Andrew', 'Joshua', 'Kevin',
  'Brian', 'George', 'Timothy', 'Ronald', 'Jason', 'Jeffrey', 'Ryan', 'Jacob', 'Gary', 'Eric',
  'Betty', 'Sandra', 'Ashley', 'Kimberly', 'Donna', 'Emily', 'Michelle', 'Amanda', 'Melissa', 'Stephanie',
  'Alejandro', 'Ramón', 'Héctor', 'Raúl', 'Lucía', 'Sofía', 'Marisol', 'Yesenia', 'Beatriz', 'Inés',
  'Tyrone', 'DeShawn', 'Jamal', 'Darnell', 'Latoya', 'Keisha', 'Tamika', 'Imani', 'Malik', 'Aaliyah',
  'Terrence', 'Andre', 'Marcus', 'Shanice', 'Ebony', 'Tasha', 'Dwayne', 'Curtis', 'Wanda', 'Yolanda',
  'Minh', 'Linh', 'Thanh', 'Aiyana', 'Dakota', 'Tallulah', 'Kai', 'Noa', 'Leilani', 'Sione',
  'Mele', 'Bogdan', 'Olena', 'Irina', 'Dmitri', 'Fatima', 'Omar', 'Amina', 'Ahmed', 'Chidi',
  'Ngozi', 'Kwame', 'Abena', 'Priya', 'Ravi', 'Sean', 'Siobhan', 'Colleen', 'Randy', 'Shawn',
  'Tammy', 'Crystal', 'Brandy', 'Dustin', 'Travis', 'Cody', 'Wesley', 'Billy', 'Bobby', 'Jimmy',
]
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodríguez', 'Martínez',
  'Hernández', 'López', 'González', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Pérez', 'Thompson', 'White', 'Harris', 'Sánchez', 'Clark', 'Ramírez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gómez', 'Phillips', 'Evans', 'Turner', 'Díaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutiérrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
  'Begay', 'Yazzie', 'Tsosie', 'Washington', 'Jefferson', 'Okafor', 'Mensah', 'Kowalski', 'Novak', 'Quintero',
  "O'Brien", "O'Connor", 'McCarthy', 'Tran', 'Pham', 'Le', 'Ali', 'Khan', 'Patel', 'Shevchenko',
]
const NICKNAMES = [
  'Mike', 'Bobby', 'Jimmy', 'Red', 'Chico', 'Tiny', 'Doc', 'Sunny', 'Lulu', 'Junior',
  'Smitty', 'Peaches', 'Flaca', 'Güero', 'T', 'Boots', 'Preacher', 'Ace', 'Mama J', 'Pops',
  'Shorty', 'Lupe', 'Chuy', 'Big Al', 'Dee', 'Skip', 'Kiki', 'Nene', 'Slim', 'Cookie',
]
const SYLLABLES = [
  'ba', 'be', 'bri', 'ca', 'char', 'da', 'del', 'dor', 'el', 'fa', 'fer', 'ga', 'gan', 'hal', 'ja', 'ka',
  'kel', 'la', 'lan', 'le', 'li', 'lo', 'ma', 'mar', 'me', 'mi', 'mo', 'na', 'nel', 'ni', 'no', 'ra',
  'ren', 'ri', 'ro', 'sa', 'sel', 'so', 'ta', 'ten', 'ti', 'to', 'va', 'vel', 'wa', 'win', 'ya', 'zo',
]
const SURNAME_ENDINGS = ['son', 'ez', 'ski', 'berg', 'ley', 'ton', 'man', 'ova', 'elli', 'ovic', 'ard', 'well', 'er', 'os']

const GENDERS = ['Man', 'Woman', 'Man', 'Woman', 'Man', 'Non-binary', 'Transgender woman', 'Transgender man', 'Two-spirit']
const PRONOUNS = ['he/him', 'she/her', 'he/him', 'she/her', 'they/them']
const RACE_ETHNICITY = [
  'White', 'Black or African American', 'Hispanic or Latino', 'Hispanic or Latino', 'American Indian or Alaska Native',
  'Asian', 'Native Hawaiian or Pacific Islander', 'Multiracial', 'Declined',
]
const LANGUAGES = ['English', 'English', 'English', 'English', 'English', 'Spanish', 'Spanish', 'Vietnamese', 'Navajo', 'Ukrainian']
const HEARD_ABOUT = ['Friend or family', 'Treatment program', 'Outreach worker', 'Shelter', 'Court or probation', 'Hospital', 'Walked by', 'Online']
const HOUSING: readonly HousingStatus[] = [
  'housed', 'housed', 'housed', 'unstably_housed', 'unstably_housed', 'sheltered', 'sheltered', 'unsheltered', 'unsheltered', 'institution', 'declined',
]
const VETERAN: readonly VeteranStatus[] = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'declined']
const NOTES = ['Asked about housing', 'Waiting on a call back', 'Dropped off paperwork', 'Picked up mail', 'Needs a bus pass', 'First week back']

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
/** Services that people without a home use far more; the shares above are the average over everyone. */
const HOUSING_SENSITIVE = new Set(['shower', 'laundry', 'meal'])

/** The alphabet of newParticipantCode (no 0/O, 1/I/L), drawn from the seeded generator instead of crypto. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'

function code(random: Random): string {
  let text = ''
  for (let i = 0; i < 6; i++) text += CODE_ALPHABET[Math.floor(random() * CODE_ALPHABET.length)]
  return text
}

const DAY_MS = 86_400_000
/** Engaged people's weekday visit probability tops out here: even the most regular miss a day now and then. */
const MAX_DAILY = 0.9
const WEEKEND_FACTOR = 0.4

type Random = () => number

const NO_VALUES: ParticipantValues = {
  firstName: null, nickname: null, lastName: null, birthYear: null, birthDate: null, phone: null, pronouns: null,
  gender: null, raceEthnicity: null, veteranStatus: null, housingStatus: null, preferredLanguage: null,
  heardAbout: null, emergencyContactName: null, emergencyContactPhone: null,
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!

/** Earlier items more likely (Zipf-like, exponent ~0.9). */
function pickCommon<T>(random: Random, items: readonly T[]): T {
  return items[Math.min(items.length - 1, Math.floor(items.length * random() ** 1.9))]!
}

const capitalize = (word: string) => word[0]!.toUpperCase() + word.slice(1)

function madeUpName(random: Random, surname: boolean): string {
  const syllables = 1 + Math.floor(random() * 2) + (surname ? 0 : 1)
  let name = ''
  for (let i = 0; i < syllables; i++) name += pick(random, SYLLABLES)
  if (surname) name += pick(random, SURNAME_ENDINGS)
  return capitalize(name)
}

/** Exponential with this mean. */
const exponential = (random: Random, mean: number) => -Math.log(1 - random()) * mean

function localDateOf(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/** Minutes the zone is ahead of UTC around noon on a date (centers are open in the daytime, away from DST switches). */
function noonOffsetMinutes(date: string, timeZone: string): number {
  const noon = Date.parse(`${date}T12:00:00Z`)
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(noon))
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  return Math.round((Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')) - noon) / 60_000)
}

interface Person {
  values: ParticipantValues
  code: string
  /** First day engaged (0 = the first seeded day) and the day after the last. */
  from: number
  to: number
  /** Already on file before the seeded days began. */
  onFile: boolean
  /** Visit probability on an ordinary weekday, before scaling. */
  pull: number
  /** Uses showers, laundry and meals more. */
  unhoused: boolean
}

function makePerson(random: Random, days: number, onFileShare: number): Person {
  const hasFirst = random() < 0.95
  const firstName = hasFirst ? (random() < 0.88 ? pickCommon(random, FIRST_NAMES) : madeUpName(random, false)) : null
  const nickname = !hasFirst || random() < 0.12 ? pick(random, NICKNAMES) : null
  let lastName: string | null = null
  if (random() < 0.72) {
    lastName = random() < 0.7 ? pickCommon(random, LAST_NAMES) : madeUpName(random, true)
    if (random() < 0.06) lastName += ` ${pickCommon(random, LAST_NAMES)}`
  }
  let birthYear: number | null = null
  let birthDate: string | null = null
  if (random() < 0.75) {
    birthYear = Math.round(1983 + (random() + random() + random() - 1.5) * 18)
    if (random() < 0.45) {
      birthDate = new Date(Date.UTC(birthYear, 0, 1) + Math.floor(random() * 365) * DAY_MS).toISOString().slice(0, 10)
      birthYear = Number(birthDate.slice(0, 4))
    }
  }
  const phone = random() < 0.55 ? `(${200 + Math.floor(random() * 800)}) 555-${String(Math.floor(random() * 10000)).padStart(4, '0')}` : null
  const housing = random() < 0.6 ? pick(random, HOUSING) : null
  const unhoused = housing === 'sheltered' || housing === 'unsheltered' || (housing === null && random() < 0.3)
  const contact = random() < 0.2
  const values: ParticipantValues = {
    firstName,
    nickname,
    lastName,
    birthYear,
    birthDate,
    phone,
    pronouns: random() < 0.3 ? pick(random, PRONOUNS) : null,
    gender: random() < 0.6 ? pick(random, GENDERS) : null,
    raceEthnicity: random() < 0.45 ? pick(random, RACE_ETHNICITY) : null,
    veteranStatus: random() < 0.5 ? pick(random, VETERAN) : null,
    housingStatus: housing,
    preferredLanguage: random() < 0.5 ? pick(random, LANGUAGES) : null,
    heardAbout: random() < 0.3 ? pick(random, HEARD_ABOUT) : null,
    emergencyContactName: contact ? `${pickCommon(random, FIRST_NAMES)} ${pickCommon(random, LAST_NAMES)}` : null,
    emergencyContactPhone: contact ? `(${200 + Math.floor(random() * 800)}) 555-${String(Math.floor(random() * 10000)).padStart(4, '0')}` : null,
  }
  // Engagement: a quarter drop in once or twice, most stay a few months, some stay for years.
  const kind = random()
  const span = 1 + Math.floor(kind < 0.25 ? exponential(random, 10) : kind < 0.72 ? exponential(random, 150) : exponential(random, 1100))
  const onFile = random() < onFileShare
  const from = onFile ? 0 : Math.floor(random() * days)
  // Pareto (alpha 1.15): most people have a small pull, a few a very large one.
  const pull = (1 - random()) ** (-1 / 1.15)
  return { values, code: '', from, to: Math.min(days, from + span), onFile, pull, unhoused }
}

/** Scale so that the expected number of registered visits is `target`: bisection on a monotone sum. */
function scaleFor(people: readonly Person[], weightTo: Float64Array, target: number): number {
  const expected = (scale: number) => {
    let sum = 0
    for (const p of people) sum += Math.min(MAX_DAILY, scale * p.pull) * (weightTo[p.to]! - weightTo[p.from]!) + (p.onFile ? 0 : 1)
    return sum
  }
  let lo = 0
  let hi = 1
  while (expected(hi) < target && hi < 1e6) hi *= 2
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2
    if (expected(mid) < target) lo = mid
    else hi = mid
  }
  return hi
}

/** Minutes after midnight someone signs in: a crowd at opening, another at lunch, a trickle otherwise. */
function arrivalMinute(random: Random, weekend: boolean): number {
  const open = weekend ? 10 * 60 : 8 * 60 + 30
  const close = weekend ? 15 * 60 : 18 * 60
  const r = random()
  let minute: number
  if (r < 0.35) minute = open + exponential(random, 45)
  else if (r < 0.6) minute = 12 * 60 + (random() + random() - 1) * 50
  else minute = open + random() * (close - open)
  return Math.max(open, Math.min(close - 10, Math.floor(minute)))
}

export async function seedDatabase(opened: OpenDatabase, options: SeedOptions): Promise<SeedResult> {
  const random = rng(options.seed ?? 20261125)
  const { sqlite } = opened
  const progress = options.onProgress ?? (() => {})
  const timeZone = options.timeZone ?? 'UTC'
  const days = Math.max(1, Math.floor(options.days))
  const count = Math.max(0, Math.floor(options.participants))
  const perWeekday = options.visitsPerWeekday ?? Math.max(5, Math.round(count / 20))
  const anonymousShare = options.anonymousShare ?? 0.08
  const until = options.until ?? null
  const lastDate = localDateOf(options.endDate ?? until!, timeZone)
  const firstDate = addDays(lastDate, -(days - 1))

  // ----- The calendar: each day's date, weekday weight and mood, and where it starts in UTC.
  progress(0, 1, 'planning')
  const dates: string[] = []
  const weight = new Float64Array(days)
  const weekend = new Uint8Array(days)
  const weightTo = new Float64Array(days + 1)
  const offsets = new Int32Array(days)
  for (let d = 0; d < days; d++) {
    const date = addDays(firstDate, d)
    dates.push(date)
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
    weekend[d] = weekday === 0 || weekday === 6 ? 1 : 0
    const mood = 0.85 + random() * 0.3
    weight[d] = (weekend[d] ? WEEKEND_FACTOR : 1) * mood
    weightTo[d + 1] = weightTo[d]! + weight[d]!
    offsets[d] = noonOffsetMinutes(date, timeZone)
  }
  /** The UTC instant of a minute of a center's day, in ms. */
  const instant = (day: number, minute: number) => Date.parse(`${dates[day]}T00:00:00Z`) + (minute - offsets[day]!) * 60_000
  const untilMs = until?.getTime() ?? Infinity

  // ----- People, and how often each comes while engaged.
  const onFileShare = Math.min(0.9, 365 / (365 + days))
  const codes = new Set(sqlite.prepare(`SELECT code FROM participants UNION SELECT code FROM participant_aliases`).pluck().all() as string[])
  const people: Person[] = []
  for (let i = 0; i < count; i++) {
    const person = makePerson(random, days, onFileShare)
    let next = code(random)
    while (codes.has(next)) next = code(random)
    codes.add(next)
    person.code = next
    people.push(person)
  }
  const registeredTarget = perWeekday * weightTo[days]! * (1 - anonymousShare)
  const scale = scaleFor(people, weightTo, registeredTarget)
  const maxWeight = Math.max(...weight)

  // ----- Each person's visit days: candidate days at their top rate (geometric gaps), each kept
  // with the day's own odds. New people come in on the day they register.
  const visitsByDay: number[][] = Array.from({ length: days }, () => [])
  for (let i = 0; i < count; i++) {
    const p = people[i]!
    const daily = Math.min(MAX_DAILY, scale * p.pull)
    const top = Math.min(0.999, daily * maxWeight)
    let day = p.from
    if (!p.onFile && day < p.to) visitsByDay[day]!.push(i)
    const logMiss = Math.log(1 - top)
    for (;;) {
      day += 1 + Math.floor(Math.log(1 - random()) / logMiss)
      if (day >= p.to) break
      if (random() * top < daily * weight[day]!) visitsByDay[day]!.push(i)
    }
  }

  const services = sqlite.prepare(`SELECT id, key FROM services WHERE retired_at IS NULL`).all() as Array<{ id: number; key: string }>
  const serviceId = new Map(services.map((s) => [s.key, s.id]))
  const staffIds = sqlite.prepare(`SELECT id FROM staff WHERE active = 1 ORDER BY id`).pluck().all() as number[]
  const anonymousCodes = Array.from({ length: Math.max(10, Math.round(perWeekday / 3)) }, () => {
    const letters = 'ABCDEFGHJKMNPRSTWY'
    return `${pick(random, [...letters])}${pick(random, [...letters])}${10 + Math.floor(random() * 90)}`
  })

  // ----- The visits, day by day, in sign-in order; people's first and last visits fall out of it.
  // Most people sign out at the desk; the rest are signed out by the desk's end-of-day
  // "sign out all", except on the odd day nobody ran it.
  const firstVisit = new Float64Array(count).fill(NaN)
  const lastVisit = new Float64Array(count).fill(NaN)
  const plan: PlannedDay[] = []
  for (let day = 0; day < days; day++) {
    const registered = visitsByDay[day]!
    const anonymous = Math.round((registered.length * anonymousShare) / (1 - anonymousShare) * (0.7 + random() * 0.6))
    const visitors: Array<number | null> = [...registered, ...new Array<null>(anonymous).fill(null)]
    const closing = instant(day, weekend[day] ? 15 * 60 : 18 * 60)
    const ranSignOutAll = random() < 0.9 ? closing + (5 + Math.floor(random() * 20)) * 60_000 : null
    const signOutAllAt = ranSignOutAll !== null && ranSignOutAll <= untilMs ? ranSignOutAll : null
    const visits: PlannedVisit[] = []
    for (const person of visitors) {
      const signedIn = instant(day, arrivalMinute(random, weekend[day] === 1))
      if (signedIn > untilMs) continue
      const self = random() < 0.9
      const stay = Math.min(signedIn + (15 + Math.floor(exponential(random, 75))) * 60_000, closing + 15 * 60_000)
      let signedOut: number | null = self ? stay : null
      let outBy: PlannedVisit['outBy'] = self ? 'self' : null
      if (signOutAllAt !== null && (signedOut === null || signedOut > signOutAllAt)) {
        signedOut = signOutAllAt
        outBy = 'all'
      }
      if (signedOut !== null && signedOut > untilMs) {
        signedOut = null
        outBy = null
      }
      visits.push({
        person,
        anonymousCode: person === null && random() < 0.4 ? pickCommon(random, anonymousCodes) : null,
        signedIn,
        signedOut,
        outBy,
        note: random() < 0.03 ? pick(random, NOTES) : null,
        staff: staffIds.length > 0 ? pick(random, staffIds) : null,
        outStaff: staffIds.length > 0 ? pick(random, staffIds) : null,
        id: 0,
        services: 0,
      })
    }
    visits.sort((a, b) => a.signedIn - b.signedIn)
    for (const visit of visits) {
      if (visit.person === null) continue
      if (Number.isNaN(firstVisit[visit.person]!)) firstVisit[visit.person] = visit.signedIn
      lastVisit[visit.person] = visit.signedIn
    }
    plan.push({ visits, signOutAllAt, signOutAllStaff: staffIds.length > 0 ? pick(random, staffIds) : null })
  }
  progress(1, 1, 'planning')

  // Bulk inserts touch indexes all over the file: a large page cache for the duration saves
  // re-reading (and, encrypted, re-decrypting) the same pages thousands of times.
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number
  sqlite.pragma('cache_size = -262144')
  try {
    const firstId = (sqlite.prepare(`SELECT coalesce(max(id), 0) AS id FROM participants`).get() as { id: number }).id + 1
    const registeredAt = insertParticipants(sqlite, people, firstId, (i) => {
      const p = people[i]!
      // On file before the data starts: registered up to three years earlier. Otherwise at the
      // first visit (or, if that visit would be after `until`, on the morning of the day they came).
      const first = firstVisit[i]!
      return p.onFile
        ? Date.parse(`${firstDate}T00:00:00Z`) - 60_000 - Math.floor(random() * 3 * 365 * DAY_MS)
        : Number.isNaN(first)
          ? Math.min(instant(p.from, 8 * 60), untilMs - 60_000)
          : first - 60_000 * (1 + Math.floor(random() * 4))
    }, (i) => (Number.isNaN(lastVisit[i]!) ? null : new Date(lastVisit[i]!).toISOString()), () => (staffIds.length > 0 ? pick(random, staffIds) : null), progress)
    const totals = insertVisits(sqlite, plan, dates, firstId, people, serviceId, random, progress)
    let history = { auditRows: 0, visitChanges: 0 }
    if (options.history ?? true) history = writeHistory(sqlite, plan, people, firstId, registeredAt, progress)
    // Its own random stream: the visits above come out the same with or without referrals.
    const referred = (options.referrals ?? true) ? seedReferrals(sqlite, rng((options.seed ?? 20261125) + 7), lastDate) : { referrals: 0, consents: 0, assessments: 0 }

    const grouped =
      options.groups === false
        ? { groups: 0, sessions: 0, attendance: 0 }
        : seedGroups(sqlite, rng((options.seed ?? 20261125) + 11), { firstDate, lastDate, timeZone, until: until?.toISOString(), groups: typeof options.groups === 'number' ? options.groups : undefined, groupSize: options.groupSize })

    const coached = (options.coaching ?? true) ? seedCoaching(sqlite, rng((options.seed ?? 20261125) + 13), { firstDate, lastDate }) : { engagements: 0, contacts: 0, goals: 0 }

    // The demo staff's credentials, training and supervision: its own stream, nothing above changes.
    seedWorkforce(sqlite, rng((options.seed ?? 20261125) + 13), lastDate)
    // Incidents, restrictions and care flags (issue 19): its own stream too.
    const safety = seedSafety(sqlite, rng((options.seed ?? 20261125) + 17), { firstDate, lastDate, until: until?.toISOString() })

    progress(0, 1, 'finishing')
    // Seeded up to an instant: that instant; seeded whole days: noon UTC the day after, later than any visit in any zone.
    const at = (until ?? new Date(Date.parse(`${addDays(lastDate, 1)}T12:00:00Z`))).toISOString()
    await opened.db.transaction().execute((trx) =>
      appendAudit(trx, at, {
        staffId: null,
        action: 'admin.seed',
        detail: { participants: count, days, visits: totals.visits, seed: options.seed ?? null },
      }),
    )
    sqlite.pragma('optimize')
    progress(1, 1, 'finishing')
    return { participants: count, ...totals, ...history, referrals: referred.referrals, consents: referred.consents, assessments: referred.assessments, groups: grouped.groups, sessions: grouped.sessions, attendance: grouped.attendance, engagements: coached.engagements, coachingContacts: coached.contacts, planGoals: coached.goals, incidents: safety.incidents, restrictions: safety.restrictions, careFlags: safety.careFlags, firstDate, lastDate }
  } finally {
    sqlite.pragma(`cache_size = ${cacheSize}`)
  }
}

interface PlannedVisit {
  person: number | null
  anonymousCode: string | null
  /** UTC ms. */
  signedIn: number
  signedOut: number | null
  /** Signed out at the desk, by the end-of-day "sign out all", or not (yet). */
  outBy: 'self' | 'all' | null
  note: string | null
  /** Who signed them in, and who signed them out. */
  staff: number | null
  outStaff: number | null
  /** Filled in as the visits are written. */
  id: number
  services: number
}

interface PlannedDay {
  visits: PlannedVisit[]
  signOutAllAt: number | null
  signOutAllStaff: number | null
}

type Progress = (done: number, total: number, phase: SeedPhase) => void

/** Participants, in id order, through the app's own column mapping. Returns when each was registered (UTC ms). */
function insertParticipants(
  sqlite: Sqlite,
  people: readonly Person[],
  firstId: number,
  registered: (i: number) => number,
  lastVisitAt: (i: number) => string | null,
  staff: () => number | null,
  progress: Progress,
): Float64Array {
  const columns = [...Object.keys(columnsOf(NO_VALUES)), 'code', 'last_visit_at', 'created_by', 'created_at', 'updated_at']
  const insert = sqlite.prepare(`INSERT INTO participants (id, ${columns.join(', ')}) VALUES (@id, ${columns.map((c) => `@${c}`).join(', ')})`)
  const registeredAt = new Float64Array(people.length)
  const batch = 10_000
  for (let done = 0; done < people.length; ) {
    const upto = Math.min(people.length, done + batch)
    sqlite.transaction(() => {
      for (let i = done; i < upto; i++) {
        registeredAt[i] = registered(i)
        const stamp = new Date(registeredAt[i]!).toISOString()
        insert.run({
          id: firstId + i,
          ...columnsOf(people[i]!.values),
          code: people[i]!.code,
          last_visit_at: lastVisitAt(i),
          created_by: staff(),
          created_at: stamp,
          updated_at: stamp,
        })
      }
    })()
    done = upto
    progress(done, people.length, 'participants')
  }
  return registeredAt
}

/** Visits and their services, some thousands per transaction; fills in each planned visit's id. */
function insertVisits(
  sqlite: Sqlite,
  plan: readonly PlannedDay[],
  dates: readonly string[],
  firstId: number,
  people: readonly Person[],
  serviceId: ReadonlyMap<string, number>,
  random: Random,
  progress: Progress,
): { visits: number; anonymousVisits: number; visitServices: number } {
  const insertVisit = sqlite.prepare(`INSERT INTO visits
    (participant_id, anonymous_code, visit_date, signed_in_at, signed_out_at, note, created_by, created_at, updated_at, repeat_confirmed)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertLine = sqlite.prepare(`INSERT INTO visit_services (visit_id, service_id, quantity) VALUES (?, ?, ?)`)
  const peerSupport = serviceId.get('peer_support')
  const total = plan.reduce((sum, day) => sum + day.visits.length, 0)
  let visits = 0
  let anonymousVisits = 0
  let lines = 0
  let day = 0
  while (day < plan.length) {
    let inThisBatch = 0
    sqlite.transaction(() => {
      while (day < plan.length && inThisBatch < 20_000) {
        // One open visit per person or code a day is the database's rule (0034); a second one the
        // same day is a repeat the desk confirmed, as a busy desk's would be.
        const open = new Set<string>()
        for (const visit of plan[day]!.visits) {
          const unhoused = visit.person !== null && people[visit.person]!.unhoused
          const at = new Date(visit.signedIn).toISOString()
          const out = visit.signedOut === null ? null : new Date(visit.signedOut).toISOString()
          const person = visit.person === null ? null : firstId + visit.person
          const who = person === null ? `code ${visit.anonymousCode}` : `person ${person}`
          const repeat = out === null && (person !== null || visit.anonymousCode !== null) && open.has(who)
          if (out === null) open.add(who)
          visit.id = Number(insertVisit.run(person, visit.anonymousCode, dates[day], at, out, visit.note, visit.staff, at, out ?? at, repeat ? 1 : 0).lastInsertRowid)
          visits++
          inThisBatch++
          if (visit.person === null) anonymousVisits++
          for (const [key, share, maxQuantity] of SERVICE_MIX) {
            const id = serviceId.get(key)
            const odds = HOUSING_SENSITIVE.has(key) ? share * (unhoused ? 2 : 0.55) : share
            if (id === undefined || random() >= odds) continue
            insertLine.run(visit.id, id, 1 + Math.floor(random() * maxQuantity))
            visit.services++
          }
          if (visit.services === 0 && peerSupport !== undefined) {
            insertLine.run(visit.id, peerSupport, 1)
            visit.services++
          }
          lines += visit.services
        }
        day++
      }
    })()
    progress(visits, total, 'visits')
  }
  return { visits, anonymousVisits, visitServices: lines }
}

/**
 * What the app writes along the way, in time order: an audit row for each registration, sign-in,
 * sign-out and end-of-day "sign out all" (hash-chained, as appendAudit does), and a
 * visit_changes row for each sign-out. Real records carry this history; the file size and the
 * integrity check's time depend on it.
 */
function writeHistory(
  sqlite: Sqlite,
  plan: readonly PlannedDay[],
  people: readonly Person[],
  firstId: number,
  registeredAt: Float64Array,
  progress: Progress,
): { auditRows: number; visitChanges: number } {
  const last = sqlite.prepare(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).get() as { id: number; hash: string } | undefined
  let id = last?.id ?? 0
  let previous = last?.hash ?? GENESIS_HASH
  const insertAudit = sqlite.prepare(`INSERT INTO audit_log (id, at, staff_id, action, target_type, target_id, detail, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertChange = sqlite.prepare(`INSERT INTO visit_changes (visit_id, kind, reason, before, after, staff_id, at)
    VALUES (?, ?, NULL, '{"signedOutAt":null}', ?, ?, ?)`)
  const audit = (at: number, staffId: number | null, action: string, target: ['participant' | 'visit', number] | null, detail: unknown) => {
    const fields = {
      id: ++id,
      at: new Date(at).toISOString(),
      staff_id: staffId,
      action,
      target_type: target?.[0] ?? null,
      target_id: target?.[1] ?? null,
      detail: detail === null ? null : JSON.stringify(detail),
      prev_hash: previous,
    }
    previous = auditHash(fields)
    insertAudit.run(fields.id, fields.at, fields.staff_id, fields.action, fields.target_type, fields.target_id, fields.detail, fields.prev_hash, previous)
  }
  let changes = 0
  const change = (visit: PlannedVisit, kind: 'sign_out' | 'sign_out_all', staffId: number | null) => {
    const at = new Date(visit.signedOut!).toISOString()
    insertChange.run(visit.id, kind, JSON.stringify({ signedOutAt: at }), staffId, at)
    changes++
  }
  // Registrations by day; people on file before the data began come first.
  const registeredOn: number[][] = plan.map(() => [])
  const before: number[] = []
  for (let i = 0; i < people.length; i++) (people[i]!.onFile ? before : registeredOn[people[i]!.from]!).push(i)
  before.sort((a, b) => registeredAt[a]! - registeredAt[b]!)
  const register = (i: number) => audit(registeredAt[i]!, null, 'participant.create', ['participant', firstId + i], null)

  sqlite.transaction(() => before.forEach(register))()
  // Order of events at the same instant: registration, sign-in, sign-out.
  type Event = [at: number, order: number, write: () => void]
  let day = 0
  while (day < plan.length) {
    let written = 0
    sqlite.transaction(() => {
      while (day < plan.length && written < 20_000) {
        const { visits, signOutAllAt, signOutAllStaff } = plan[day]!
        const events: Event[] = registeredOn[day]!.map((i) => [registeredAt[i]!, 0, () => register(i)])
        for (const visit of visits) {
          const participantId = visit.person === null ? null : firstId + visit.person
          events.push([visit.signedIn, 1, () => audit(visit.signedIn, visit.staff, 'visit.sign_in', ['visit', visit.id], { participantId, services: visit.services })])
          if (visit.outBy === 'self') {
            events.push([visit.signedOut!, 2, () => {
              change(visit, 'sign_out', visit.outStaff)
              audit(visit.signedOut!, visit.outStaff, 'visit.sign_out', ['visit', visit.id], null)
            }])
          }
        }
        if (signOutAllAt !== null) {
          const swept = visits.filter((visit) => visit.outBy === 'all')
          events.push([signOutAllAt, 3, () => {
            for (const visit of swept) change(visit, 'sign_out_all', signOutAllStaff)
            audit(signOutAllAt, signOutAllStaff, 'visit.sign_out_all', null, { count: swept.length, visitIds: swept.map((v) => v.id) })
          }])
        }
        events.sort((a, b) => a[0] - b[0] || a[1] - b[1])
        for (const [, , write] of events) write()
        written += events.length
        day++
      }
    })()
    progress(day, plan.length, 'history')
  }
  return { auditRows: id - (last?.id ?? 0), visitChanges: changes }
}

/** What the generated rhythm looks like, for checking that it is realistic. */
export interface SeedProfile {
  participants: number
  visits: number
  /** Registered people who came at least once in the last year of data (or all of it if shorter). */
  recentVisitors: number
  /** Their median number of visits in that window, scaled to a year. */
  medianVisitsPerYear: number
  /** Share of weekdays in the window that the ten most frequent visitors came on (their average). */
  topTenWeekdayShare: number
  /** Average visits on a weekday and on a weekend day. */
  weekdayAverage: number
  weekendAverage: number
  anonymousShare: number
  /** Share of anonymous visits with a code. */
  anonymousWithCode: number
  /** Services per visit. */
  servicesPerVisit: number
}

export function seedProfile(sqlite: Sqlite): SeedProfile {
  const one = <T>(query: string, ...params: unknown[]) => sqlite.prepare(query).get(...params) as T
  const range = one<{ first: string | null; last: string | null }>(
    `SELECT min(visit_date) AS first, max(visit_date) AS last FROM visits WHERE voided_at IS NULL`,
  )
  const empty = { participants: 0, visits: 0, recentVisitors: 0, medianVisitsPerYear: 0, topTenWeekdayShare: 0, weekdayAverage: 0, weekendAverage: 0, anonymousShare: 0, anonymousWithCode: 0, servicesPerVisit: 0 }
  if (!range.first || !range.last) return { ...empty, participants: one<{ n: number }>(`SELECT count(*) AS n FROM participants`).n }
  const from = [range.first, addDays(range.last, -364)].sort()[1]!
  const windowDays = (Date.parse(range.last) - Date.parse(from)) / DAY_MS + 1
  const weekdays = (sqlite.prepare(`SELECT count(DISTINCT visit_date) FROM visits WHERE visit_date >= ? AND strftime('%w', visit_date) NOT IN ('0','6')`).pluck().get(from) as number) || 1
  const perPerson = sqlite
    .prepare(`SELECT count(*) FROM visits WHERE voided_at IS NULL AND participant_id IS NOT NULL AND visit_date >= ? GROUP BY participant_id ORDER BY 1`)
    .pluck()
    .all(from) as number[]
  const median = perPerson.length ? perPerson[Math.floor(perPerson.length / 2)]! : 0
  const topTen = sqlite
    .prepare(`SELECT count(*) FROM visits WHERE voided_at IS NULL AND participant_id IS NOT NULL AND visit_date >= ?
              AND strftime('%w', visit_date) NOT IN ('0','6') GROUP BY participant_id ORDER BY 1 DESC LIMIT 10`)
    .pluck()
    .all(from) as number[]
  const byKind = one<{ weekday: number; weekend: number }>(`SELECT
      avg(CASE WHEN wd NOT IN ('0','6') THEN n END) AS weekday, avg(CASE WHEN wd IN ('0','6') THEN n END) AS weekend
    FROM (SELECT visit_date, strftime('%w', visit_date) AS wd, count(*) AS n FROM visits WHERE voided_at IS NULL GROUP BY visit_date)`)
  const totals = one<{ visits: number; anonymous: number; coded: number }>(`SELECT count(*) AS visits,
      sum(participant_id IS NULL) AS anonymous, sum(anonymous_code IS NOT NULL) AS coded FROM visits WHERE voided_at IS NULL`)
  const lineCount = one<{ n: number }>(`SELECT count(*) AS n FROM visit_services`).n
  return {
    participants: one<{ n: number }>(`SELECT count(*) AS n FROM participants`).n,
    visits: totals.visits,
    recentVisitors: perPerson.length,
    medianVisitsPerYear: Math.round((median * 365) / windowDays * 10) / 10,
    topTenWeekdayShare: Math.round((topTen.reduce((a, b) => a + b, 0) / Math.max(1, topTen.length) / weekdays) * 100) / 100,
    weekdayAverage: Math.round(byKind.weekday ?? 0),
    weekendAverage: Math.round(byKind.weekend ?? 0),
    anonymousShare: Math.round((totals.anonymous / totals.visits) * 1000) / 1000,
    anonymousWithCode: Math.round((totals.coded / Math.max(1, totals.anonymous)) * 100) / 100,
    servicesPerVisit: Math.round((lineCount / totals.visits) * 100) / 100,
  }
}

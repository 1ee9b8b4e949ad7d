import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { connectionFromUrl } from '../../db/postgres'
import { CENTER_OWNED } from '../../db/services/centers'
import type { StaffSummary } from '../../db/services/setup'
import { CHANNELS, type ChannelName } from '../../electron/ipc/channels'
import { contract, type InputOf } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import type { Envelope } from '../../electron/ipc/envelope'
import { coreTime } from '../clock'
import { describeEachBackend, usePostgresDatabases } from './pg-helpers'

/**
 * IPC fuzzing: every channel gets generated payloads through `dispatch`, the same door main and
 * the test host use, against a real encrypted database. Invariants, for every call:
 *  - nothing throws past the door and nothing becomes INTERNAL (an unexpected error means bad
 *    input reached a use case);
 *  - a refused call is an error envelope with a code and a message, and changes no table;
 *  - a payload that is invalid by construction (not an object, an unknown key, a field of the
 *    wrong type) is refused as INVALID_INPUT, which is what catches a channel whose schema is lost;
 *  - Object.prototype is never polluted.
 * PORCHLIGHT_FUZZ_RUNS sets the calls per channel (default 180: over 30,000 in all across the contract),
 * a third of that on PostgreSQL.
 */
const RUNS_PER_CHANNEL = Number(process.env.PORCHLIGHT_FUZZ_RUNS ?? 180)

const SETUP = { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }

/** One valid input per channel (typed against the contract), which the generators then break. */
function validSamples(ids: {
  participant: number
  other: number
  visit: number
  staff: number
  agency: number
  group: number
  spareGroup: number
  session: number
  enrollment: number
  coach: number
  otherCoach: number
  engagement: number
  meeting: number
  call: number
  goal: number
}) {
  const lines = [{ serviceId: 1, quantity: 1 }]
  return {
    'app.status': {},
    'app.unlock': { passphrase: 'a passphrase' },
    'app.restoreBackup': {},
    'setup.testServer': { host: 'db.center.example', port: 5432, database: 'porchlight', user: 'porchlight', auth: 'password', password: 'a password' },
    'setup.connectServer': { connection: { host: '127.0.0.1', port: 5432, database: 'porchlight', user: 'porchlight', auth: 'certificate', certFile: '/etc/porchlight/client.crt', keyFile: '/etc/porchlight/client.key' } },
    'setup.create': { centerName: 'Another', adminName: 'Someone', username: 'someone', password: 'another long password' },
    'auth.login': { username: 'nobody', password: 'not a password' },
    'auth.logout': {},
    'catalog.services': {},
    'participants.search': { text: 'Ann', limit: 10 },
    'participants.create': { firstName: 'Fuzz', lastName: 'Tester', birthYear: 1980, phone: '555-0100' },
    'visits.signIn': { participantId: ids.participant, anonymousCode: null, services: lines, note: 'hello' },
    'visits.today': { status: 'all' },
    'settings.fieldRules': {},
    'settings.setFieldRules': { rules: { phone: 'optional' } },
    'participants.checkDuplicates': { firstName: 'Ann', birthYear: 1980 },
    'participants.get': { id: ids.participant },
    'participants.update': { id: ids.participant, nickname: 'Fuzzy', version: 1 },
    'participants.list': { offset: 0, limit: 20, sort: { column: 'name', direction: 'asc' }, filter: { text: 'a' } },
    'participants.merge': { keepId: ids.participant, mergeId: ids.other, note: 'same person' },
    'participants.undoMerge': { mergeId: 1 },
    'visits.anonymousCodes': { prefix: 'AB' },
    'visits.signOut': { visitId: ids.visit },
    'visits.signOutAll': {},
    'visits.closingTime': {},
    'visits.autoClosed': {},
    'settings.hours': {},
    'settings.setHours': { opensAt: '09:00', closesAt: '17:00' },
    'settings.center': {},
    'settings.setCenter': { centerName: 'Harbor Light', timeZone: 'America/New_York', kioskResetSeconds: 45, requireService: true, version: 0 },
    'visits.update': { visitId: ids.visit, services: lines, note: 'edited', reason: 'fixing a typo' },
    'visits.void': { visitId: ids.visit, reason: 'entered twice' },
    'catalog.all': {},
    'catalog.add': { nameEn: 'Laundry', nameEs: 'Lavandería', hasQuantity: false },
    'catalog.update': { id: 1, nameEn: 'Coffee', nameEs: 'Café', hasQuantity: true },
    'catalog.retire': { id: 1, retired: false },
    'catalog.reorder': { ids: [1] },
    'kiosk.enter': {},
    'kiosk.find': { firstName: 'Ann', birthYear: 1980 },
    'kiosk.verify': { phoneLast4: '1234' },
    'kiosk.services': {},
    'kiosk.signIn': { services: lines },
    'kiosk.exit': { username: 'nobody', password: 'not a password' },
    'setup.recover': { recoveryKey: 'ab'.repeat(32) },
    'auth.changePassword': { currentPassword: 'not the password', newPassword: 'another long password 2' },
    'session.lock': {},
    'session.unlock': { password: 'not a password' },
    'session.touch': {},
    'app.logError': { message: 'Cannot read properties of undefined', stack: '    at render (index.js:1:2)' },
    'about.info': {},
    'about.diagnostics': {},
    'about.notices': {},
    'about.openLogFolder': {},
    'updates.settings': {},
    'updates.save': { enabled: true, url: 'https://updates.example.org/porchlight/' },
    'updates.check': {},
    'staff.list': {},
    'staff.create': { username: 'fuzzer', displayName: 'Fuzz Er', role: 'front_desk', password: 'a long enough password' },
    // Another account: the admin making the calls must stay an active admin with a usable password.
    'staff.update': { id: ids.staff, displayName: 'Someone Else', role: 'facilitator', version: 1 },
    'staff.resetPassword': { id: ids.staff, password: 'a fresh long password' },
    'settings.security': {},
    'settings.setSecurity': { idleLockSeconds: 600 },
    'audit.list': { offset: 0, limit: 20, filter: { participantId: ids.participant } },
    'audit.actions': {},
    'audit.accounting': { participantId: ids.participant, from: '2026-01-01', to: '2026-12-31' },
    'backups.overview': {},
    'backups.saveSettings': { folder: '/nonexistent/usb', schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 4 },
    'backups.list': {},
    'backups.run': {},
    'backups.progress': {},
    'backups.preview': { file: 'porchlight-20260101-000000.db' },
    'backups.restore': { file: 'porchlight-20260101-000000.db', confirm: true },
    'backups.chooseFolder': {},
    'backups.checkNow': {},
    'export.everything': { folder: '/dev/null/porchlight-export', encrypted: true },
    'security.newRecoveryKey': { confirm: true },
    'retention.policy': {},
    'retention.savePolicy': { enabled: false, years: 7, mode: 'deidentify' },
    'retention.preview': { years: 7 },
    'retention.apply': { expectedPeople: 0, confirm: true },
    'agencies.list': { includeInactive: true },
    'agencies.save': { name: 'Fuzz Recovery Housing', types: ['housing'], phone: '555-0101', email: 'intake@example.org', verifiedOn: '2026-01-05' },
    'agencies.setActive': { id: ids.agency, active: true, version: 1 },
    'directory.chooseFolder': {},
    'directory.preview': { folder: '/nonexistent/hsds' },
    'directory.import': { folder: '/nonexistent/hsds', skipBadRows: false },
    'directory.export': { folder: '/dev/null/porchlight-export' },
    'records.chooseFile': {},
    'records.preview': { file: '/nonexistent/people.csv', kind: 'participants', mapping: null },
    'records.import': { file: '/nonexistent/visits.csv', kind: 'visits', mapping: { date: 'Date' }, skipBadRows: false, matches: [] },
    'records.progress': {},
    'consents.list': { participantId: ids.participant },
    'consents.create': {
      participantId: ids.participant,
      agencyId: ids.agency,
      purpose: 'To coordinate a referral',
      information: ['contact', 'referral_status'],
      signedOn: '2026-01-05',
      expiresOn: '2026-12-31',
      requestId: '2d7e4f1a-6b3c-4d9e-8f2a-7c1b3d5e6f70',
    },
    'consents.revoke': { id: 1, note: 'changed their mind', confirm: true },
    'referrals.requests': {},
    'referrals.list': { offset: 0, limit: 20, filter: { view: 'open', participantId: ids.participant } },
    'referrals.get': { id: 1 },
    'referrals.summary': { id: 1 },
    'referrals.create': { participantId: ids.participant, agencyId: ids.agency, type: 'treatment', note: 'asked for help', followUpOn: null, consentId: null, requestId: '0b8e6c1a-4f2d-4a7e-9c3b-5d1f2e3a4b5c' },
    'referrals.update': { id: 1, status: 'eligible', note: 'called them', version: 1 },
    'assessments.list': { participantId: ids.participant },
    'assessments.create': { participantId: ids.participant, takenOn: '2026-01-05', answers: [4, 5, 3, 4, 5, 6, 2, 5, 4, 5], note: 'first one', requestId: '3e8f5a2b-7c4d-4e0f-9a3b-8d2c4e6f7a81' },
    'assessments.void': { id: 1, reason: 'entered for the wrong person' },
    'reports.dashboard': { range: { from: '2026-01-01', to: '2026-01-31' }, scope: 'organization' },
    'reports.funder': { range: { preset: 'last_month' }, scope: 'center' },
    'reports.export': { range: { from: '2026-01-01', to: '2026-03-31' }, scope: 'organization', format: 'csv', suppress: true },
    'reports.drillDown': { range: { from: '2026-01-01', to: '2026-06-30' }, scope: 'center', list: 'visits', filter: { bucketStart: '2026-01-01', serviceId: 1 }, offset: 0, limit: 20 },
    'reports.settings': {},
    'reports.saveSettings': { suppressionThreshold: 10, suppressOnScreen: false },
    'reports.home': {},
    'groups.list': { archived: false },
    'groups.get': { id: ids.group },
    'groups.save': {
      name: 'Fuzz group',
      kind: 'open',
      durationMinutes: 60,
      facilitatorIds: [ids.staff],
      schedule: { pattern: { startDate: '2026-01-05', startTime: '18:30', frequency: 'weekly', interval: 1, weekdays: ['MO'] } },
    },
    'groups.archive': { id: ids.spareGroup, version: 1 },
    'groups.staff': {},
    'groups.enroll': { groupId: ids.group, participantId: ids.other, waitlist: true },
    'groups.unenroll': { enrollmentId: ids.enrollment, reason: 'finished the series' },
    'groups.admit': { enrollmentId: ids.enrollment },
    'groups.personHistory': { participantId: ids.participant },
    'sessions.today': {},
    'sessions.week': { from: '2026-11-23' },
    'sessions.sheet': { sessionId: ids.session },
    'sessions.mark': { sessionId: ids.session, participantId: ids.participant, status: 'present', followUp: 'asked about housing' },
    'sessions.markMany': { sessionId: ids.session, marks: [{ participantId: ids.participant, status: 'absent' }], overwrite: true },
    'sessions.markAnonymous': { sessionId: ids.session, code: 'BLUE7', status: 'present' },
    'sessions.addPerson': { sessionId: ids.session, participantId: ids.other },
    'sessions.record': { sessionId: ids.session, topic: 'Coping skills', note: 'a good session', anonymousCount: 2, version: 1 },
    'sessions.change': { sessionId: ids.session, change: { kind: 'cover', staffId: ids.staff }, version: 1 },
    'sessions.create': { groupId: ids.group, date: '2026-12-01', startTime: '10:00', room: 'Room B', topic: 'Extra', makeupFor: null },
    'closures.list': {},
    'closures.preview': { date: '2026-12-25' },
    'closures.create': { date: '2026-12-25', reason: 'Holiday' },
    'closures.delete': { id: 1 },
    'groups.attendanceLetter': { participantId: ids.participant, from: '2026-01-01', to: '2026-11-24', reason: 'asked for it for the drug court' },
    'groups.settings': {},
    'groups.saveSettings': { visitServiceKey: 'group', atDesk: false },
    'coaching.coaches': {},
    'coaching.get': { participantId: ids.participant },
    'coaching.coachOf': { participantId: ids.participant },
    'coaching.caseload': { coachId: ids.coach },
    'coaching.start': { participantId: ids.other, coachId: ids.coach, backupId: ids.otherCoach, stage: 'contemplation', pathways: ['smart', 'faith'] },
    'coaching.update': { engagementId: ids.engagement, stage: 'outpatient', pathways: ['twelve_step'], backupId: null },
    'coaching.setStatus': { engagementId: ids.engagement, status: 'paused', reason: 'in residential treatment for a month' },
    'coaching.renew': { engagementId: ids.engagement, days: 90 },
    'coaching.transfer': { engagementId: ids.engagement, coachId: ids.otherCoach, reason: 'moving to the evening shift' },
    'coaching.schedule': { engagementId: ids.engagement, date: '2026-02-02', time: '10:00', kind: 'phone', repeat: { intervalWeeks: 1, until: '2026-03-02' } },
    'coaching.meeting': { meetingId: ids.meeting, status: 'missed', reason: 'did not answer the phone' },
    'coaching.logContact': { participantId: ids.participant, contactOn: '2026-02-03', minutes: 30, kind: 'in_person', topics: ['Housing'], note: 'talked', nextSteps: 'call the landlord', requestId: '1c9f7d2b-5a3e-4b8f-8d4c-6e2a3f4b5c6d' },
    'coaching.warmline': {},
    'coaching.linkContact': { contactId: ids.call, participantId: ids.participant },
    'coaching.saveGoal': { participantId: ids.participant, area: 'housing', title: 'A room of my own', setOn: '2026-02-01' },
    'coaching.saveStep': { goalId: ids.goal, text: 'Call the housing office', targetOn: '2026-03-01', progress: 'in_progress' },
    'coaching.planSheet': { participantId: ids.participant, language: 'es' },
    'coaching.settings': {},
    'coaching.saveSettings': { plannedDays: 90, staleAfterDays: 14, nearingEndDays: 14, topics: ['Housing', 'Health'] },
    'safety.checkIn': { participantId: ids.participant },
    'restrictions.list': { participantId: ids.participant },
    'restrictions.create': { participantId: ids.participant, kind: 'not_on_site', reason: 'a fight in the lobby', startsOn: '2026-11-24', endsOn: '2026-12-24' },
    'restrictions.lift': { id: 1 },
    'careFlags.list': { participantId: ids.participant },
    'careFlags.add': { participantId: ids.participant, kind: 'interpreter', note: 'Spanish' },
    'careFlags.remove': { id: 1 },
    'incidents.start': { kind: 'overdose', summary: 'Found unresponsive in the restroom', naloxoneDoses: 2, emsCalled: true, people: [{ participantId: ids.participant }, { description: 'a visitor' }], requestId: '4f9a6b3c-8d5e-4f1a-8b4c-9e3d5f7a8b92' },
    'incidents.update': { id: 1, outcome: 'transported', narrative: 'Staff gave two doses of naloxone.' },
    'incidents.list': { open: true },
    'incidents.get': { id: 1 },
    'incidents.close': { id: 1, reviewNote: 'Reviewed with the team.' },
    'staff.directory': {},
    'workforce.lists': {},
    'workforce.overview': {},
    'workforce.person': { staffId: ids.staff },
    'workforce.saveCredential': {
      staffId: ids.staff,
      kindId: 1,
      issuer: 'State certification board',
      number: 'PRS-1',
      issuedOn: '2025-01-02',
      expiresOn: '2027-01-01',
      // "%PDF-1.4", with a name that agrees.
      document: { fileName: 'cert.pdf', base64: 'JVBERi0xLjQK' },
    },
    'workforce.renewCredential': { id: 1, issuedOn: '2026-01-02', expiresOn: '2028-01-01', number: 'PRS-2' },
    'workforce.addTraining': { staffId: ids.staff, takenOn: '2026-01-05', title: 'Ethics refresher', provider: 'State board', hours: 3, categoryId: 1, document: null },
    'workforce.confirmTraining': { id: 1 },
    'workforce.addSupervision': { staffId: ids.staff, supervisorId: 1, heldOn: '2026-01-06', hours: 1, format: 'individual', note: 'caseload and boundaries' },
    'workforce.settings': {},
    'workforce.saveKind': { nameEn: 'County peer supervisor', nameEs: 'Supervisor de pares del condado', periodMonths: 12, requiredHours: 10, categoryHours: [{ categoryId: 1, hours: 2 }], active: true },
    'workforce.deleteKind': { id: 4 },
    'workforce.saveCategory': { nameEn: 'Motivational interviewing', nameEs: 'Entrevista motivacional', active: true },
    'workforce.deleteCategory': { id: 6 },
    'workforce.document': { id: 1 },
    'workforce.reminders': {},
    'workforce.report': { from: '2026-01-01', to: '2026-06-30' },
    'pdf.signInSheet': { sessionId: ids.session },
    'pdf.funderReport': { range: { preset: 'last_quarter' } },
    // Issue 15: the center field, on the channels that take one.
    'centers.mine': {},
    'centers.switch': { centerId: 1 },
    'centers.list': {},
    'centers.create': { name: 'North Side' },
    'centers.rename': { id: 1, name: 'Harbor House East', version: 1 },
    'centers.archive': { id: 1, archived: false, version: 1 },
    'centers.grants': {},
    'centers.grant': { staffId: ids.staff, homeCenterId: 1, otherCenterIds: [1] },
    'centers.setCountingRule': { matchPeople: true },
    'centers.matches': {},
    'centers.confirmMatch': { firstId: ids.participant, secondId: ids.participant + 1 },
    'centers.dismissMatch': { firstId: ids.participant, secondId: ids.participant + 1 },
    'centers.undoMatch': { participantId: ids.participant, version: 1 },
  } satisfies { [C in ChannelName]: InputOf<C> } as Record<ChannelName, Record<string, unknown>>
}

// --- Generators --------------------------------------------------------------------------

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']
const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800', // a lone surrogate
  '\uDFFF\uD800',
  '\u202E\u0645\u0631\u062D\u0628\u0627', // right-to-left override
  'e\u0301\u0301\u0301', // stacked combining marks
  '👩‍👩‍👧‍👦'.repeat(20), // joined emoji
  '\uFEFF\u200B\u200D',
  "Robert'); DROP TABLE participants;--",
  '%s%n%x',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  'x'.repeat(100_000),
  '9'.repeat(400),
]
const EDGE_NUMBERS = [0, -0, -1, 1.5, -(2 ** 31), 2 ** 31, 2 ** 53, -(2 ** 53), 2 ** 64, 1e308, -1e308, Number.MIN_VALUE, NaN, Infinity, -Infinity]

const nastyString = fc.oneof(fc.constantFrom(...EDGE_STRINGS), fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 20 }))
const nastyNumber = fc.oneof(fc.constantFrom(...EDGE_NUMBERS), fc.integer(), fc.double())
const nastyPrimitive = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt())
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyPrimitive },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }) },
  { weight: 1, arbitrary: fc.array(nastyPrimitive, { maxLength: 5 }) },
)
const extraKey = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ minLength: 1, maxLength: 12 }))

/** Sets an own, enumerable key the way JSON.parse does, even for `__proto__`. */
function withKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...base }
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

/** A value no schema accepts where this sample value stands: an object for a scalar, a scalar for an object, an object for an array. */
function wrongType(value: unknown): unknown {
  if (Array.isArray(value)) return { length: 1 }
  if (value !== null && typeof value === 'object') return 'not an object'
  return { value }
}

interface Payload {
  input: unknown
  /** Invalid by construction: must come back as INVALID_INPUT. */
  invalid: boolean
}

function payloads(sample: Record<string, unknown>): fc.Arbitrary<Payload> {
  const keys = Object.keys(sample)
  const known = new Set(keys)
  const invalid: Array<fc.Arbitrary<Payload>> = [
    // Not an object at all.
    fc.oneof(nastyPrimitive, fc.array(nastyValue, { maxLength: 4 })).map((input) => ({ input, invalid: true })),
    // A key the channel does not know, including prototype-pollution keys (every schema is strict).
    fc
      .tuple(extraKey.filter((key) => !known.has(key)), nastyValue)
      .map(([key, value]) => ({ input: withKey(sample, key, value), invalid: true })),
  ]
  const anything: Array<fc.Arbitrary<Payload>> = [
    fc.anything({ maxDepth: 3, withNullPrototype: true }).map((input) => ({ input, invalid: false })),
    fc.dictionary(fc.oneof(extraKey, fc.constantFrom(...(keys.length ? keys : ['x']))), nastyValue, { maxKeys: 6 }).map((input) => ({ input, invalid: false })),
  ]
  if (keys.length > 0) {
    const key = fc.constantFrom(...keys)
    invalid.push(key.map((k) => ({ input: { ...sample, [k]: wrongType(sample[k]) }, invalid: true })))
    anything.push(
      fc.tuple(key, nastyValue).map(([k, value]) => ({ input: { ...sample, [k]: value }, invalid: false })),
      fc.tuple(key, nastyValue, key, nastyValue).map(([k1, v1, k2, v2]) => ({ input: { ...sample, [k1]: v1, [k2]: v2 }, invalid: false })),
      key.map((k) => {
        const { [k]: _dropped, ...rest } = sample
        return { input: rest, invalid: false }
      }),
    )
  }
  return fc.oneof({ weight: 2, arbitrary: fc.oneof(...invalid) }, { weight: 3, arbitrary: fc.oneof(...anything) })
}

// --- The database's content, table by table ---------------------------------------------------

/**
 * Reads what the records hold, past the app's own code: every table's content as a hash, and a
 * cheap fingerprint that moves whenever anything was written (so the hashes are read again only
 * then). One per backend.
 */
interface ContentProbe {
  hashes(): Promise<Record<string, string>>
  fingerprint(): Promise<string>
  close(): Promise<void>
}

function sqliteProbe(core: PorchlightCore): ContentProbe {
  const connections = new WeakMap<object, number>()
  let connectionCount = 0
  return {
    async hashes() {
      const sqlite = core.database!.sqlite
      // The FTS5 index refuses a scan (0065): its shadow tables are hashed instead.
      const tables = sqlite
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`)
        .pluck()
        .all() as string[]
      const hashes: Record<string, string> = {}
      for (const name of tables) {
        const hash = createHash('sha256')
        for (const row of sqlite.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).raw().iterate()) {
          hash.update(JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('hex') : value)))
          hash.update('\n')
        }
        hashes[name] = hash.digest('hex')
      }
      return hashes
    },
    /**
     * This connection's row changes (triggers included) and data_version, which moves when another
     * connection (the backup or import worker) commits. While it stands still nothing was written;
     * hashing every table after each of 30,000 calls was most of this file's run time.
     */
    async fingerprint() {
      const sqlite = core.database!.sqlite
      // A restore or a new key reopens the file: a new connection starts counting from zero again.
      if (!connections.has(sqlite)) connections.set(sqlite, ++connectionCount)
      return `${String(connections.get(sqlite))}:${String(sqlite.prepare('SELECT total_changes()').pluck().get())}:${String(sqlite.pragma('data_version', { simple: true }))}`
    },
    async close() {},
  }
}

/**
 * The server's tables read on a connection of the test's own. Rows are hashed in the order of
 * their text (a heap's order changes with every update). Any committed write moves the server's
 * WAL insert position; background work may move it too, which only costs a needless re-read.
 */
async function postgresProbe(url: string): Promise<ContentProbe> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  return {
    async hashes() {
      const { rows: tables } = await client.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      )
      const hashes: Record<string, string> = {}
      for (const { name } of tables) {
        const quoted = `"${name.replace(/"/g, '""')}"`
        const { rows } = await client.query<{ hash: string }>(`SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS hash FROM ${quoted} t`)
        hashes[name] = rows[0]!.hash
      }
      return hashes
    },
    async fingerprint() {
      const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')
      return rows[0]!.lsn
    },
    close: () => client.end(),
  }
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...names].filter((name) => before[name] !== after[name]).sort()
}

/** A wrong password is refused and still recorded: the failed attempt and its audit row are the point. */
const MAY_WRITE_WHEN_REFUSED: Partial<Record<string, string[]>> = {
  AUTH_FAILED: ['audit_log', 'staff'],
  LOCKED_OUT: ['audit_log', 'staff'],
}

function prototypeSnapshot(): string {
  return JSON.stringify([Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Array.prototype).sort()])
}

describeEachBackend('IPC fuzzing through the real handler table', (backend) => {
  // On the server the same doors and schemas refuse the same inputs before any SQL; fewer calls
  // there still reach every channel's dialect paths (each about four times slower than SQLite's).
  const runsPerChannel = backend === 'sqlite' ? RUNS_PER_CHANNEL : Math.max(1, Math.round(RUNS_PER_CHANNEL / 3))
  const databases = backend === 'postgres' ? usePostgresDatabases('block') : null
  let core: PorchlightCore
  let probe: ContentProbe
  let dir: string
  let admin: StaffSummary
  let samples: Record<ChannelName, Record<string, unknown>>
  const internal: Array<{ channel: string; error: unknown }> = []
  const figures = { calls: 0, refused: 0, invalidByConstruction: 0, accepted: 0, channels: 0 }

  beforeAll(async () => {
    // Lives for the whole suite (useTempDirs would delete it after the first channel).
    dir = mkdtempSync(join(tmpdir(), 'porchlight-fuzz-'))
    core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() })
    await core.start()
    if (databases) {
      // The first-run screen's "Connect to the center's server", on an empty database of its own.
      const url = await databases.make()
      await core.connectServer(connectionFromUrl(url))
      probe = await postgresProbe(url)
    } else {
      probe = sqliteProbe(core)
    }
    const session: Session = { staff: null }
    const created = await dispatch('setup.create', SETUP, { core, session })
    if (!created.ok) throw new Error(created.error.message)
    admin = (created.value as { staff: StaffSummary }).staff
    const person = async (firstName: string) => {
      const made = await dispatch('participants.create', { firstName, birthYear: 1980 }, { core, session })
      if (!made.ok) throw new Error(made.error.message)
      return (made.value as { id: number }).id
    }
    const participant = await person('Ann')
    const other = await person('Annie')
    const visit = await dispatch('visits.signIn', { participantId: await person('Bo'), services: [{ serviceId: 1, quantity: 1 }] }, { core, session })
    if (!visit.ok) throw new Error(visit.error.message)
    const colleague = await dispatch('staff.create', { username: 'colleague', displayName: 'A Colleague', role: 'front_desk', password: 'a long enough password' }, { core, session })
    if (!colleague.ok) throw new Error(colleague.error.message)
    const agency = await dispatch('agencies.save', { name: 'Harbor Treatment', types: ['treatment', 'detox'] }, { core, session })
    if (!agency.ok) throw new Error(agency.error.message)
    const staffId = (colleague.value as { id: number }).id
    // A closed group meeting every day, so today has a session whatever day the suite runs.
    const everyDay = { startDate: '2026-01-01', startTime: '10:00', frequency: 'weekly', interval: 1, weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] } as const
    const group = await dispatch('groups.save', { name: 'Daily group', kind: 'closed', capacity: 10, durationMinutes: 60, facilitatorIds: [staffId], schedule: { pattern: everyDay } }, { core, session })
    const spare = await dispatch('groups.save', { name: 'Spare group', kind: 'open', durationMinutes: 60, facilitatorIds: [staffId], schedule: null }, { core, session })
    if (!group.ok || !spare.ok) throw new Error('could not make the groups')
    const groupId = (group.value as { id: number }).id
    const today = await dispatch('sessions.today', {}, { core, session })
    const enrollment = await dispatch('groups.enroll', { groupId, participantId: participant }, { core, session })
    if (!today.ok || !enrollment.ok) throw new Error('could not make a session or an enrollment')
    const made = async <T>(result: Envelope<unknown>): Promise<T> => {
      if (!result.ok) throw new Error(result.error.message)
      return result.value as T
    }
    const coach = await made<{ id: number }>(await dispatch('staff.create', { username: 'coach', displayName: 'Casey Coach', role: 'peer_specialist', password: 'a long enough password' }, { core, session }))
    const otherCoach = await made<{ id: number }>(await dispatch('staff.create', { username: 'coach2', displayName: 'Morgan Coach', role: 'manager', password: 'a long enough password' }, { core, session }))
    const engagement = await made<{ id: number }>(
      await dispatch('coaching.start', { participantId: participant, coachId: coach.id, startedOn: '2026-01-05', plannedDays: 3650, stage: 'after_treatment', pathways: ['smart'] }, { core, session }),
    )
    const meetings = await made<Array<{ id: number }>>(await dispatch('coaching.schedule', { engagementId: engagement.id, date: '2026-01-12', time: '10:00', kind: 'in_person' }, { core, session }))
    const call = await made<{ id: number }>(await dispatch('coaching.logContact', { participantId: null, contactOn: '2026-01-06', minutes: 20, kind: 'warmline', topics: [], callerLabel: 'Sam' }, { core, session }))
    const goals = await made<Array<{ id: number }>>(await dispatch('coaching.saveGoal', { participantId: participant, area: 'health', title: 'Walk every day', setOn: '2026-01-05' }, { core, session }))
    samples = validSamples({
      participant,
      other,
      visit: (visit.value as { id: number }).id,
      staff: staffId,
      agency: (agency.value as { id: number }).id,
      group: groupId,
      spareGroup: (spare.value as { id: number }).id,
      session: (today.value as { sessions: Array<{ id: number }> }).sessions[0]!.id,
      enrollment: (enrollment.value as { id: number }).id,
      coach: coach.id,
      otherCoach: otherCoach.id,
      engagement: engagement.id,
      meeting: meetings[0]!.id,
      call: call.id,
      goal: goals[0]!.id,
    })
    // Four staff passwords are hashed on purpose-slow settings: longer than the default hook time on a busy machine.
  }, 60_000)

  afterAll(async () => {
    await probe.close()
    await core.close()
    rmSync(dir, { recursive: true, force: true })
    const report = { ...figures, runsPerChannel }
    mkdirSync('test-results', { recursive: true })
    writeFileSync(join('test-results', `fuzz-report-${backend}.json`), `${JSON.stringify(report, null, 2)}\n`)
    console.log(
      `ipc fuzz (${backend}): ${figures.calls} calls over ${figures.channels} channels, ${figures.refused} refused ` +
        `(${figures.invalidByConstruction} invalid by construction), ${figures.accepted} accepted, 0 crashes`,
    )
  })

  it('has a valid sample for every channel in the contract, and runs at least 10,000 calls in all', () => {
    expect(Object.keys(samples).sort()).toEqual([...CHANNELS].sort())
    if (process.env.PORCHLIGHT_FUZZ_RUNS === undefined) expect(runsPerChannel * CHANNELS.length).toBeGreaterThanOrEqual(backend === 'sqlite' ? 10_000 : 3_000)
  })

  // A fresh session for every call, so a call that signs out or enters kiosk mode does not steer the next one.
  const sessionFor = (channel: ChannelName): Session =>
    contract[channel].kiosk === 'only'
      ? { staff: null, mode: 'kiosk', kiosk: { startedBy: admin.id, found: [samples['participants.get'].id as number], pending: [samples['participants.get'].id as number, samples['participants.merge'].mergeId as number], lookups: [] } }
      : { staff: admin }

  it.each([...CHANNELS])('%s: no crash, an error envelope for every refusal, nothing written by a refused call', async (channel) => {
    // One channel's unexpected error is that channel's failure, not every later channel's.
    internal.length = 0
    const prototypes = prototypeSnapshot()
    let hashes = await probe.hashes()
    let hashed = await probe.fingerprint()
    await fc.assert(
      fc.asyncProperty(payloads(samples[channel]), async ({ input, invalid }) => {
        let envelope: Envelope<unknown>
        try {
          envelope = await dispatch(channel, input, { core, session: sessionFor(channel) }, (name, error) => internal.push({ channel: name, error }))
        } catch (error) {
          throw new Error(`dispatch threw for ${channel}: ${String(error)}`, { cause: error })
        }
        figures.calls++
        expect(internal).toEqual([])
        expect(prototypeSnapshot()).toBe(prototypes)
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        const written = await probe.fingerprint()
        const after = written === hashed ? hashes : await probe.hashes()
        if (envelope.ok) {
          figures.accepted++
          expect(invalid, `${channel} accepted an input that is invalid by construction`).toBe(false)
        } else {
          figures.refused++
          expect(typeof envelope.error.code).toBe('string')
          expect(envelope.error.message.length).toBeGreaterThan(0)
          if (invalid) {
            figures.invalidByConstruction++
            expect(envelope.error.code).toBe('INVALID_INPUT')
          }
          const allowed = MAY_WRITE_WHEN_REFUSED[envelope.error.code] ?? []
          const changed = changedTables(hashes, after).filter((name) => !allowed.includes(name))
          expect(changed, `${channel} refused with ${envelope.error.code} but changed tables`).toEqual([])
        }
        hashes = after
        hashed = written
      }),
      { numRuns: runsPerChannel },
    )
    figures.channels++
  }, 120_000)

  /**
   * The center field (issue 15): whatever a desk account sends as a center id, its window ends up
   * only in a center it may work in (its home center here), a switch elsewhere is refused and
   * changes nothing, a grant names only centers that exist, every id a channel returns is a real
   * center's, and every row a center owns names a real center.
   */
  it('the center field: fuzzed center ids move a window only where its account may work, and every row names a real center', async () => {
    const made = async <T>(result: Envelope<unknown>): Promise<T> => {
      if (!result.ok) throw new Error(result.error.message)
      return result.value as T
    }
    const asAdmin: Session = { staff: admin }
    const other = await made<{ id: number }>(await dispatch('centers.create', { name: `Fuzz center (${backend})` }, { core, session: asAdmin }))
    const desk = await made<StaffSummary>(await dispatch('staff.create', { username: `fuzzdesk${backend}`, displayName: 'Fuzz Desk', role: 'front_desk', password: 'a long enough password' }, { core, session: asAdmin }))
    const realCenters = async () => new Set((await made<{ centers: Array<{ id: number }> }>(await dispatch('centers.list', {}, { core, session: asAdmin }))).centers.map((c) => c.id))
    const known = await realCenters()
    const centerId = fc.oneof(fc.constantFrom(1, other.id, other.id + 1, 0, -1, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER), fc.integer(), nastyValue)
    await fc.assert(
      fc.asyncProperty(centerId, fc.array(centerId, { maxLength: 3 }), async (wanted, others) => {
        const session: Session = { staff: { ...admin, id: desk.id, username: desk.username, role: 'front_desk' }, centerId: 1 }
        const switched = await dispatch('centers.switch', { centerId: wanted }, { core, session }, (name, error) => internal.push({ channel: name, error }))
        expect(internal).toEqual([])
        if (switched.ok) expect(wanted).toBe(1)
        else expect(['INVALID_INPUT', 'FORBIDDEN']).toContain(switched.error.code)
        // Refused or not, the window works in its home center: the only one granted.
        expect(session.centerId).toBe(1)
        const mine = await made<{ current: { id: number }; centers: Array<{ id: number }> }>(await dispatch('centers.mine', {}, { core, session }))
        expect([mine.current.id, ...mine.centers.map((c) => c.id)].every((id) => known.has(id))).toBe(true)
        const granted = await dispatch('centers.grant', { staffId: desk.id, homeCenterId: 1, otherCenterIds: others }, { core, session: asAdmin }, (name, error) => internal.push({ channel: name, error }))
        expect(internal).toEqual([])
        const valid = others.every((id) => typeof id === 'number' && Number.isSafeInteger(id) && id > 0)
        if (granted.ok) expect(valid && others.every((id) => known.has(id as number))).toBe(true)
        else expect(['INVALID_INPUT', 'NOT_FOUND']).toContain(granted.error.code)
        // Back to the home center alone for the next run.
        await made(await dispatch('centers.grant', { staffId: desk.id, homeCenterId: 1, otherCenterIds: [] }, { core, session: asAdmin }))
      }),
      { numRuns: runsPerChannel },
    )
    expect(await realCenters()).toEqual(known)
    // Every row a center owns names a center that exists (the services stamp it; nothing sent by a screen does).
    const db = core.context(asAdmin).db
    for (const table of CENTER_OWNED) {
      const strays = await db.selectFrom(table).select('center_id').where('center_id', 'not in', [...known]).limit(1).execute()
      expect(strays, `${table} holds a row of no center`).toEqual([])
    }
  }, 120_000)
})

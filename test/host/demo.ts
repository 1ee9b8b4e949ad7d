import { randomInt } from 'node:crypto'
import { seedDatabase, type SeedResult } from '../../db/seed'
import { createOneOffSession, dueSession, recordSession } from '../../db/services/groups'
import { createStaff } from '../../db/services/staff-accounts'
import type { Role } from '../../db/types'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileKeyStore } from '../../db/keystore-file'
import { startHost, type HostOptions, type RunningHost } from './server'
import { ServiceError } from '../../db/services/context'

/**
 * `npm run host -- --demo`: a freshly set-up center full of synthetic people, for trying the app
 * and for demos. Nothing here is real; the database is deleted when the host stops.
 */
export const DEMO_CENTER = 'Harbor Light Recovery Center'

export interface DemoLogin {
  username: string
  password: string
  role: string
}

export interface DemoOptions {
  participants?: number
  days?: number
  seed?: number
  onProgress?: (done: number, total: number, phase: string) => void
}

const WORDS = ['harbor', 'lantern', 'maple', 'river', 'porch', 'cedar', 'meadow', 'beacon', 'willow', 'anchor', 'candle', 'harvest']

/** Easy to type from a terminal, not guessable: three words and two digits. */
function demoPassword(): string {
  const word = () => WORDS[randomInt(WORDS.length)]!
  return `${word()}-${word()}-${word()}-${randomInt(10, 100)}`
}

export const DEMO_STAFF: ReadonlyArray<readonly [string, string, Role]> = [
  ['desk', 'Demo Front Desk', 'front_desk'],
  ['group', 'Demo Facilitator', 'facilitator'],
  ['peer', 'Demo Peer Specialist', 'peer_specialist'],
  ['manager', 'Demo Manager', 'manager'],
]

export async function setUpDemo(host: RunningHost, options: DemoOptions = {}): Promise<{ logins: DemoLogin[]; seeded: SeedResult }> {
  const admin: DemoLogin = { username: 'admin', password: demoPassword(), role: 'admin' }
  await host.core.setup({ centerName: DEMO_CENTER, adminName: 'Demo Admin', username: admin.username, password: admin.password })
  const opened = host.core.database
  if (!opened) throw new Error('The demo database did not open.')
  // One account per role, so each role's view of the app can be tried.
  const adminId = (await opened.db.selectFrom('staff').select('id').where('username', '=', admin.username).executeTakeFirstOrThrow()).id
  const ctx = { db: opened.db, staffId: adminId, now: host.core.now }
  const logins: DemoLogin[] = [admin]
  for (const [username, displayName, role] of DEMO_STAFF) {
    const login: DemoLogin = { username, password: demoPassword(), role }
    await createStaff(ctx, { username, displayName, role, password: login.password })
    logins.push(login)
  }
  // A demo skips the first-sign-in password change that real new accounts must make.
  await opened.db.updateTable('staff').set({ must_change_password: 0 }).execute()
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const seeded = await seedDatabase(opened, {
    participants: options.participants ?? 2000,
    days: options.days ?? 120,
    seed: options.seed,
    // Up to this minute, in this computer's zone (the host's), so today's board has people on it.
    until: host.core.now(),
    timeZone,
    onProgress: options.onProgress,
  })
  await sessionDueSoon(ctx, timeZone)
  return { logins, seeded }
}

/**
 * A host serving a new demo center. On PostgreSQL (`options.postgres`) the center is seeded by the
 * SQLite seeder (fast bulk inserts) in a temporary file, then copied into the host's new database
 * by admin migrate's own copy and check; the logins stay the same.
 */
export async function startDemoHost(options: HostOptions, demo: DemoOptions = {}): Promise<{ host: RunningHost; logins: DemoLogin[]; seeded: SeedResult }> {
  const { postgres, ...fileOptions } = options
  if (!postgres) {
    const host = await startHost(options)
    try {
      return { host, ...(await setUpDemo(host, demo)) }
    } catch (error) {
      await host.close()
      throw error
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-demo-'))
  try {
    const seeding = await startHost({ ...fileOptions, port: 0, dbFile: join(dir, 'demo.db') })
    let made: { logins: DemoLogin[]; seeded: SeedResult }
    try {
      made = await setUpDemo(seeding, demo)
    } finally {
      await seeding.close()
    }
    demo.onProgress?.(0, 1, 'copying to the server')
    const host = await startHost({ ...options, postgresFrom: { dbFile: seeding.dbFile, key: new FileKeyStore(seeding.keyFile).load() } })
    demo.onProgress?.(1, 1, 'copying to the server')
    return { host, ...made }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The facilitator's login opens on a session: an extra one of a closed group, starting in 20 minutes. */
async function sessionDueSoon(ctx: { db: Parameters<typeof createOneOffSession>[0]['db']; staffId: number; now: () => Date }, timeZone: string): Promise<void> {
  const group = await ctx.db
    .selectFrom('groups as g')
    .innerJoin('group_facilitators as f', 'f.group_id', 'g.id')
    .innerJoin('staff as s', 's.id', 'f.staff_id')
    .select('g.id')
    .where('s.username', '=', 'group')
    .where('g.kind', '=', 'closed')
    .orderBy('g.id')
    .executeTakeFirst()
  if (!group) return
  const facilitator = await ctx.db.selectFrom('staff').select('id').where('username', '=', 'group').executeTakeFirstOrThrow()
  // A regular meeting may already be under way or about to start: the login opens on that one.
  const already = await dueSession({ ...ctx, timeZone }, facilitator.id)
  if (already) {
    if (!already.topic) await recordSession({ ...ctx, timeZone }, { sessionId: already.id, topic: 'Coping with cravings' })
    return
  }
  const at = new Date(Math.ceil((ctx.now().getTime() + 20 * 60_000) / 300_000) * 300_000)
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at)
  const part = (type: string) => parts.find((p) => p.type === type)!.value
  try {
    await createOneOffSession({ ...ctx, timeZone }, { groupId: group.id, date: `${part('year')}-${part('month')}-${part('day')}`, startTime: `${part('hour')}:${part('minute')}`, topic: 'Coping with cravings' })
  } catch (error) {
    // The demo's calendar closes the center on holidays: on such a day no group meets, and the
    // facilitator's login opens on the groups list instead (found by the shifted-clock CI run).
    if (!(error instanceof ServiceError && error.code === 'VALIDATION')) throw error
  }
}

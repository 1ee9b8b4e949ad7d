import { join } from 'node:path'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { connectionFromUrl } from '../../db/postgres'
import { changeFromPayload, messageFor, type FeedEvent } from '../../electron/ipc/changes'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { feedBridge, parseFeedMessage, type FeedMessage } from '../../electron/ipc/feed'
import { coreTime } from '../clock'
import { expectOk, useTempDirs } from './helpers'
import { describePostgres, usePostgresDatabases } from './pg-helpers'

const SETUP = { centerName: 'Harbor House', adminName: 'Ana Ruiz', username: 'ana', password: 'a long enough password' }

/** Every event a core's feed publishes, each with the monotonic time it arrived. */
function record(core: PorchlightCore): Array<FeedEvent & { at: number }> {
  const events: Array<FeedEvent & { at: number }> = []
  core.changes.subscribe((event) => events.push({ ...event, at: performance.now() }))
  return events
}

async function waitFor<T>(what: string, probe: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const until = performance.now() + ms
  for (;;) {
    const found = probe()
    if (found) return found
    if (performance.now() > until) throw new Error(`waited ${ms} ms for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function signedIn(core: PorchlightCore): Promise<Session> {
  const session: Session = { staff: null }
  expectOk(await dispatch('auth.login', { username: SETUP.username, password: SETUP.password }, { core, session }))
  return session
}

async function signInSomeone(core: PorchlightCore, session: Session, firstName: string): Promise<void> {
  const person = expectOk<{ id: number }>(await dispatch('participants.create', { firstName }, { core, session }))
  expectOk(await dispatch('visits.signIn', { participantId: person.id, services: [] }, { core, session }))
}

describe('the change feed’s messages', () => {
  it('takes only topics and ids, and refuses anything else whole', () => {
    expect(parseFeedMessage({ kind: 'changes', changes: [{ topic: 'visits' }, { topic: 'attendance', sessionId: 7 }], elsewhere: true })).toEqual({
      kind: 'changes',
      changes: [{ topic: 'visits' }, { topic: 'attendance', sessionId: 7 }],
      elsewhere: true,
    })
    expect(parseFeedMessage({ kind: 'status', live: false })).toEqual({ kind: 'status', live: false })
    for (const bad of [
      null,
      'visits',
      { kind: 'changes', changes: [], elsewhere: true },
      { kind: 'changes', changes: [{ topic: 'staff' }], elsewhere: true },
      { kind: 'changes', changes: [{ topic: 'visits' }, { topic: 'attendance', sessionId: -1 }], elsewhere: false },
      { kind: 'changes', changes: [{ topic: 'attendance', sessionId: '7' }], elsewhere: false },
      { kind: 'changes', changes: [{ topic: 'visits' }] },
      { kind: 'status', live: 'yes' },
      { kind: 'changes', changes: Array.from({ length: 201 }, () => ({ topic: 'visits' })), elsewhere: true },
    ]) {
      expect(parseFeedMessage(bad)).toBeNull()
    }
    // A NOTIFY payload is JSON of one change; anything else (another program's NOTIFY) is ignored.
    expect(changeFromPayload('{"topic":"attendance","sessionId":3}')).toEqual({ topic: 'attendance', sessionId: 3 })
    expect(changeFromPayload('{"topic":"visits","name":"Ana"}')).toEqual({ topic: 'visits' })
    expect(changeFromPayload('not json')).toBeNull()
  })

  it('the bridge drops what is not a message and hands a late subscriber the last status', () => {
    const { bridge, deliver } = feedBridge()
    deliver({ kind: 'status', live: false })
    deliver({ kind: 'changes', changes: [{ topic: 'nope' }], elsewhere: true })
    const heard: FeedMessage[] = []
    const stop = bridge.subscribe((message) => heard.push(message))
    deliver({ kind: 'changes', changes: [{ topic: 'referrals' }], elsewhere: true })
    stop()
    deliver({ kind: 'changes', changes: [{ topic: 'visits' }], elsewhere: true })
    expect(heard).toEqual([
      { kind: 'status', live: false },
      { kind: 'changes', changes: [{ topic: 'referrals' }], elsewhere: true },
    ])
  })
})

describe('this PC’s windows on one file', () => {
  const tempDir = useTempDirs()
  const cores: PorchlightCore[] = []
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close()
  })

  it('a sign-in in one window reaches the other as made elsewhere and the first as its own; reads and refusals say nothing', async () => {
    const dir = tempDir()
    const core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() })
    cores.push(core)
    await core.start()
    await core.setup(SETUP)
    const desk = await signedIn(core)
    const office = await signedIn(core)
    const events = record(core)
    // One file, one writer: nothing to lose, so the screens never poll.
    expect(core.changes.live).toBe(true)

    expectOk(await dispatch('visits.today', {}, { core, session: desk }))
    await dispatch('visits.signIn', { participantId: 999_999, services: [] }, { core, session: desk })
    expect(events).toEqual([])

    await signInSomeone(core, desk, 'Rosa')
    const signIn = events.find((event) => event.kind === 'changes' && event.changes.some((change) => change.topic === 'visits'))!
    expect(signIn).toBeDefined()
    expect(messageFor(signIn, office)).toEqual({ kind: 'changes', changes: [{ topic: 'visits' }, { topic: 'participants' }, { topic: 'referrals' }], elsewhere: true })
    expect(messageFor(signIn, desk)).toMatchObject({ kind: 'changes', elsewhere: false })
  })
})

describePostgres('two PCs on one server', () => {
  const databases = usePostgresDatabases()
  const tempDir = useTempDirs()
  const cores: PorchlightCore[] = []
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close()
  })

  async function pc(url: string, first: boolean): Promise<PorchlightCore> {
    const dir = tempDir()
    const core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'k')), ...coreTime() })
    cores.push(core)
    await core.connectServer(connectionFromUrl(url))
    if (first) await core.setup(SETUP)
    await waitFor('the LISTEN connection', () => core.changes.live)
    return core
  }

  it('a sign-in on desk A is heard on desk B within 2 s; A hears its own write back as this PC’s', async () => {
    const url = await databases.make()
    const a = await pc(url, true)
    const b = await pc(url, false)
    const heardOnA = record(a)
    const heardOnB = record(b)
    const session = await signedIn(a)
    const person = expectOk<{ id: number }>(await dispatch('participants.create', { firstName: 'Rosa' }, { core: a, session }))
    await waitFor('the new person on B', () => heardOnB.find((event) => event.kind === 'changes' && event.changes[0]?.topic === 'participants'))
    const before = performance.now()
    expectOk(await dispatch('visits.signIn', { participantId: person.id, services: [] }, { core: a, session }))
    const visit = await waitFor('the visit on B', () =>
      heardOnB.find((event) => event.kind === 'changes' && event.at >= before && event.changes.some((change) => change.topic === 'visits')),
    )
    expect(visit.at - before).toBeLessThan(2000)
    expect(visit).toMatchObject({ origin: 'elsewhere' })
    // B's windows show the cue; A's echo from the server does not (its window refreshed already).
    expect(messageFor(visit, { staff: null })).toMatchObject({ elsewhere: true })
    const echo = await waitFor('the echo on A', () =>
      heardOnA.find((event) => event.kind === 'changes' && event.at >= before && event.origin === 'this-pc' && event.changes[0]?.topic === 'visits'),
    )
    expect(messageFor(echo, session)).toMatchObject({ elsewhere: false })
  })

  it('attendance marked on B is heard on A as that session’s attendance, and as visits (attending makes one)', async () => {
    const url = await databases.make()
    const a = await pc(url, true)
    const b = await pc(url, false)
    const heardOnA = record(a)
    const session = await signedIn(b)
    const group = expectOk<{ id: number }>(
      await dispatch(
        'groups.save',
        {
          name: 'SMART Recovery',
          kind: 'open',
          durationMinutes: 90,
          facilitatorIds: [session.staff!.id],
          schedule: { pattern: { startDate: '2026-11-01', startTime: '10:30', frequency: 'weekly', interval: 1, weekdays: ['WE'] } },
        },
        { core: b, session },
      ),
    )
    expect(group.id).toBeGreaterThan(0)
    const week = expectOk<Array<{ id: number }>>(await dispatch('sessions.week', { from: '2026-11-25' }, { core: b, session }))
    const sessionId = week[0]!.id
    const person = expectOk<{ id: number }>(await dispatch('participants.create', { firstName: 'Iris' }, { core: b, session }))
    const before = performance.now()
    expectOk(await dispatch('sessions.mark', { sessionId, participantId: person.id, status: 'present', followUp: '' }, { core: b, session }))
    const heard = (topic: string, id?: number) =>
      heardOnA.find(
        (event) =>
          event.kind === 'changes' &&
          event.at >= before &&
          event.origin === 'elsewhere' &&
          event.changes.some((change) => change.topic === topic && (id === undefined || ('sessionId' in change && change.sessionId === id))),
      )
    const marked = await waitFor('the mark on A', () => heard('attendance', sessionId), 2000)
    expect(marked.at - before).toBeLessThan(2000)
    await waitFor('the visit it made, on A', () => heard('visits'), 2000)
  })

  it('a killed LISTEN connection says so at once (the screens poll) and comes back by itself', async () => {
    const url = await databases.make()
    const a = await pc(url, true)
    const b = await pc(url, false)
    const heardOnB = record(b)
    const pid = b.listenerPid
    expect(pid).not.toBeNull()
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    try {
      const killed = performance.now()
      const { rows } = await admin.query<{ ended: boolean }>('SELECT pg_terminate_backend($1) AS ended', [pid])
      expect(rows[0]?.ended).toBe(true)
      const lost = await waitFor('the lost status', () => heardOnB.find((event) => event.kind === 'status' && !event.live))
      expect(lost.at - killed).toBeLessThan(2000)
      expect(messageFor(lost, { staff: null })).toEqual({ kind: 'status', live: false })
      // A write meanwhile is not heard (the screens' polling finds it) ...
      const session = await signedIn(a)
      await signInSomeone(a, session, 'Marta')
      // ... and the listener is back on its own, hearing the next one.
      const back = await waitFor('the reconnect', () => heardOnB.find((event) => event.kind === 'status' && event.live))
      expect(back.at - lost.at).toBeLessThan(3000)
      expect(b.listenerPid).not.toBe(pid)
      const after = performance.now()
      await signInSomeone(a, session, 'Lena')
      await waitFor('a visit after the reconnect', () =>
        heardOnB.find((event) => event.kind === 'changes' && event.at >= after && event.changes.some((change) => change.topic === 'visits')),
        2000,
      )
    } finally {
      await admin.end()
    }
  })

  it('a rolled-back write sends nothing; one transaction’s notices fold into one, sent on commit', async () => {
    const url = await databases.make()
    const a = await pc(url, true)
    const listener = new pg.Client({ connectionString: url })
    await listener.connect()
    const payloads: string[] = []
    listener.on('notification', (message) => payloads.push(message.payload ?? ''))
    await listener.query('LISTEN porchlight_changes')
    const writer = new pg.Client({ connectionString: url })
    await writer.connect()
    try {
      await writer.query('BEGIN')
      await writer.query(`INSERT INTO participants (code, first_name, name_key, created_at, updated_at) VALUES ('Z-1', 'Nadie', 'nadie', '2026-11-25T15:00:00Z', '2026-11-25T15:00:00Z')`)
      await writer.query('ROLLBACK')
      expect(payloads).toEqual([])
      // An update of no rows is still a statement on participants: one notice, after commit.
      await writer.query('BEGIN')
      await writer.query(`UPDATE participants SET first_name = first_name WHERE id < 0`)
      await writer.query(`UPDATE participants SET first_name = first_name WHERE id < 0`)
      await writer.query('COMMIT')
      await waitFor('the committed notice', () => payloads.length > 0, 2000)
      await new Promise((resolve) => setTimeout(resolve, 200))
      // PostgreSQL folds one transaction's identical notices into one; the rolled-back insert sent none.
      expect(payloads.map(changeFromPayload)).toEqual([{ topic: 'participants' }])
      expect(a.changes.live).toBe(true)
    } finally {
      await writer.end()
      await listener.end()
    }
  })
})

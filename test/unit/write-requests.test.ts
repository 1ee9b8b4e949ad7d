import { connect, createServer, type Server, type Socket } from 'node:net'
import { expect, it } from 'vitest'
import { saveAgency } from '../../db/services/agencies'
import { createAssessment } from '../../db/services/assessments'
import { createConsent } from '../../db/services/consents'
import { startIncident } from '../../db/services/incidents'
import { logContact } from '../../db/services/coaching'
import { withRequest, type ServiceContext } from '../../db/services/context'
import { createParticipant } from '../../db/services/participants'
import { createReferral } from '../../db/services/referrals'
import { openPostgres } from '../../db/postgres'
import { serviceError, setUpCenter, useCenter } from './front-desk-helpers'
import { describeEachBackend, describePostgres, usePostgresDatabases } from './pg-helpers'

/**
 * Writes with no natural key carry the screen's request id (migration 0050): a retry of a write
 * whose answer was lost gets the first answer back instead of a second record.
 */

const FIRST = '6f1c2a9e-0b7d-4c1e-9a53-2d8e4b7f1a01'
const SECOND = '6f1c2a9e-0b7d-4c1e-9a53-2d8e4b7f1a02'

async function referralFixture(ctx: ServiceContext) {
  const dee = await createParticipant(ctx, { firstName: 'Dee' })
  const agency = await saveAgency(ctx, { name: 'Harbor Treatment Center', types: ['treatment'] })
  return { participantId: dee.id, agencyId: agency.id, type: 'treatment' as const }
}

/** What a promise rejected with; fails the test if it did not. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure, but it succeeded')
    },
    (error: unknown) => error,
  )
}

const countReferrals = async (ctx: ServiceContext) => Number((await ctx.db.selectFrom('referrals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

/** The same day a year on: a consent's end within its five-year limit. */
const nextYear = (day: string) => `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`

/** How many rows each of the three tables whose creation now takes a request id holds. */
async function countMade(ctx: ServiceContext): Promise<{ consents: number; assessments: number; incidents: number }> {
  const count = async (table: 'consents' | 'assessments' | 'incidents') => Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  return { consents: await count('consents'), assessments: await count('assessments'), incidents: await count('incidents') }
}

/** A consent, a BARC-10 and an incident report, each under its own request id (or none). */
async function makeThree(ctx: ServiceContext, fixture: { participantId: number; agencyId: number }, ids?: { consent: string; assessment: string; incident: string }) {
  const day = ctx.now().toISOString().slice(0, 10)
  const consent = await createConsent(ids ? withRequest(ctx, 'consents.create', ids.consent) : ctx, { participantId: fixture.participantId, agencyId: fixture.agencyId, purpose: 'To coordinate care', information: ['contact'], signedOn: day, expiresOn: nextYear(day) })
  const assessment = await createAssessment(ids ? withRequest(ctx, 'assessments.create', ids.assessment) : ctx, { participantId: fixture.participantId, answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] })
  const incident = await startIncident(ids ? withRequest(ctx, 'incidents.start', ids.incident) : ctx, { staffId: ctx.staffId!, role: 'manager' }, { kind: 'other', summary: 'A fall in the lobby' })
  return { consent, assessment, incident }
}

const THREE = { consent: '6f1c2a9e-0b7d-4c1e-9a53-2d8e4b7f1a11', assessment: '6f1c2a9e-0b7d-4c1e-9a53-2d8e4b7f1a12', incident: '6f1c2a9e-0b7d-4c1e-9a53-2d8e4b7f1a13' }

describeEachBackend('a write sent again under its request id', (backend) => {
  const center = useCenter(backend)

  it('a referral: the retry answers with the first referral and makes none; another id makes a new one; the id on another channel is refused', async () => {
    const { ctx } = center()
    const input = await referralFixture(ctx)
    const first = await createReferral(withRequest(ctx, 'referrals.create', FIRST), input)
    const again = await createReferral(withRequest(ctx, 'referrals.create', FIRST), input)
    expect(again).toEqual(first)
    expect(await countReferrals(ctx)).toBe(1)
    await createReferral(withRequest(ctx, 'referrals.create', SECOND), { ...input, allowRecent: true })
    expect(await countReferrals(ctx)).toBe(2)
    const reused = await serviceError(logContact(withRequest(ctx, 'coaching.logContact', FIRST), { participantId: input.participantId, contactOn: ctx.now().toISOString().slice(0, 10), minutes: 10, kind: 'phone', topics: [] }))
    expect(reused).toMatchObject({ code: 'CONFLICT', key: 'door.requestReused' })
  })

  it('a consent, an assessment and an incident report: each made once under its id however often it is sent', async () => {
    const { ctx } = center()
    const fixture = await referralFixture(ctx)
    const first = await makeThree(ctx, fixture, THREE)
    expect(await makeThree(ctx, fixture, THREE)).toEqual(first)
    expect(await countMade(ctx)).toEqual({ consents: 1, assessments: 1, incidents: 1 })
    // Without ids (as before): each send makes another.
    await makeThree(ctx, fixture)
    expect(await countMade(ctx)).toEqual({ consents: 2, assessments: 2, incidents: 2 })
  })

  it('a coaching contact: logged once under one id however often it is sent', async () => {
    const { ctx } = center()
    const dee = await createParticipant(ctx, { firstName: 'Dee' })
    const contact = { participantId: dee.id, contactOn: ctx.now().toISOString().slice(0, 10), minutes: 15, kind: 'phone' as const, topics: [] }
    const first = await logContact(withRequest(ctx, 'coaching.logContact', FIRST), contact)
    expect(await logContact(withRequest(ctx, 'coaching.logContact', FIRST), contact)).toEqual(first)
    const rows = await ctx.db.selectFrom('coaching_contacts').select('id').execute()
    expect(rows).toEqual([{ id: first.id }])
  })
})

/**
 * Between the pool and the server: once armed, the connection that sends COMMIT is cut as soon
 * as the server answers it, so the COMMIT lands and its answer never reaches Porchlight (the
 * server, or the network, gone at the worst moment).
 */
async function commitCutter(target: URL): Promise<{ server: Server; port: number; arm(): void; cuts: () => number }> {
  let armed = false
  let cuts = 0
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname)
    sockets.add(client).add(upstream)
    let committing = false
    client.on('data', (chunk) => {
      if (armed && /\bcommit\b/i.test(chunk.toString('latin1'))) committing = true
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (committing) {
        armed = false
        cuts++
        client.destroy()
        upstream.destroy()
        return
      }
      client.write(chunk)
    })
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      a.on('error', () => b.destroy())
      a.on('close', () => {
        b.destroy()
        sockets.delete(a)
      })
    }
  })
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen()))
  const address = server.address()
  return {
    server,
    port: typeof address === 'object' && address ? address.port : 0,
    arm: () => {
      armed = true
    },
    cuts: () => cuts,
  }
}

describePostgres('a write whose COMMIT landed but whose answer was lost', () => {
  const databases = usePostgresDatabases()

  it('retried with its request id: one referral, the first; retried without one (as before 0050): two', async () => {
    const url = new URL(await databases.make())
    const cutter = await commitCutter(url)
    const through = new URL(url)
    through.port = String(cutter.port)
    const server = await openPostgres(through.toString(), { poolSize: 2 })
    try {
      const { ctx } = await setUpCenter(server.db)
      const input = await referralFixture(ctx)
      cutter.arm()
      const lost = await failure(createReferral(withRequest(ctx, 'referrals.create', FIRST), input))
      expect(cutter.cuts()).toBe(1)
      // The desk heard the server was gone ("not confirmed as saved"); the referral was made all the same.
      expect(lost).toMatchObject({ code: 'PG_UNREACHABLE' })
      expect(await countReferrals(ctx)).toBe(1)
      // The person tries again once the desk says the server is back.
      await expect.poll(() => server.reachable(), { timeout: 10_000 }).toBe(true)
      const retried = await createReferral(withRequest(ctx, 'referrals.create', FIRST), input)
      expect(await countReferrals(ctx)).toBe(1)
      expect(retried.id).toBe((await ctx.db.selectFrom('referrals').select('id').executeTakeFirstOrThrow()).id)

      // Without a request id the same retry makes a second referral: what the id is for.
      cutter.arm()
      expect(await failure(createReferral(ctx, { ...input, allowRecent: true }))).toMatchObject({ code: 'PG_UNREACHABLE' })
      await expect.poll(() => server.reachable(), { timeout: 10_000 }).toBe(true)
      await createReferral(ctx, { ...input, allowRecent: true })
      expect(await countReferrals(ctx)).toBe(3)

      // A consent, an assessment and an incident report, each cut at its COMMIT's answer and sent again: one of each.
      const sendTwice = async <T>(made: (c: ServiceContext) => Promise<T>, channel: string, id: string) => {
        cutter.arm()
        expect(await failure(made(withRequest(ctx, channel, id)))).toMatchObject({ code: 'PG_UNREACHABLE' })
        await expect.poll(() => server.reachable(), { timeout: 10_000 }).toBe(true)
        return made(withRequest(ctx, channel, id))
      }
      const day = ctx.now().toISOString().slice(0, 10)
      await sendTwice((c) => createConsent(c, { participantId: input.participantId, agencyId: input.agencyId, purpose: 'To coordinate care', information: ['contact'], signedOn: day, expiresOn: nextYear(day) }), 'consents.create', THREE.consent)
      await sendTwice((c) => createAssessment(c, { participantId: input.participantId, answers: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3] }), 'assessments.create', THREE.assessment)
      await sendTwice((c) => startIncident(c, { staffId: ctx.staffId!, role: 'manager' }, { kind: 'other', summary: 'A fall in the lobby' }), 'incidents.start', THREE.incident)
      expect(cutter.cuts()).toBe(5)
      expect(await countMade(ctx)).toEqual({ consents: 1, assessments: 1, incidents: 1 })
    } finally {
      await server.close()
      await new Promise((resolveClose) => cutter.server.close(resolveClose))
    }
  })
})

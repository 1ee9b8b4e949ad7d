import pg from 'pg'
import { expect, it } from 'vitest'
import { markAttendance } from '../../db/services/attendance'
import { brokeUnique, type ServiceContext } from '../../db/services/context'
import { archiveGroup, changeSession, createOneOffSession, getGroupSummary, getSession, recordSession, saveGroup } from '../../db/services/groups'
import { mergeParticipants } from '../../db/services/merges'
import { saveAgency, setAgencyActive } from '../../db/services/agencies'
import { createStaff, listStaff, resetStaffPassword, updateStaff } from '../../db/services/staff-accounts'
import { createReferral, getReferral, updateReferral } from '../../db/services/referrals'
import { getParticipantProfile, updateParticipant } from '../../db/services/profile'
import { applyRetention, setRetentionPolicy } from '../../db/services/retention'
import { createParticipant } from '../../db/services/participants'
import { insertVisit, ONE_OPEN_VISIT, signIn, signOut, updateVisit, visitById } from '../../db/services/visits'
import { openPostgres } from '../../db/postgres'
import { readSnapshot } from '../../db/backend'
import { dashboard } from '../../db/services/reports/dashboard'
import { serviceError, setUpCenter, useCenter } from './front-desk-helpers'
import { describeEachBackend, describePostgres, usePostgresDatabases } from './pg-helpers'

/**
 * Several PCs on one server (issue 15): the rules that must hold when two writers meet are the
 * database's (unique indexes), not each writer's check, and a refusal reads as the desk's own.
 */

async function openVisits(ctx: ServiceContext, participantId: number) {
  return ctx.db.selectFrom('visits').select(['id', 'repeat_confirmed']).where('participant_id', '=', participantId).where('signed_out_at', 'is', null).where('voided_at', 'is', null).orderBy('id').execute()
}

describeEachBackend('one open visit a person a day', (backend) => {
  const center = useCenter(backend)

  it('is the database\'s rule: a second open visit written past the desk\'s check is refused; a confirmed repeat or a signed-out one is not', async () => {
    const { ctx } = center()
    const dee = await createParticipant(ctx, { firstName: 'Dee' })
    const at = ctx.now().toISOString()
    const visit: Parameters<typeof insertVisit>[3] = { participantId: dee.id, anonymousCode: null, visitDate: at.slice(0, 10), signedInAt: at, signedOutAt: null, note: null }
    /** The unique indexes a visit written straight to the table breaks: none when it goes in. */
    const broken = (row: typeof visit) =>
      ctx.db
        .transaction()
        .execute((trx) => insertVisit(trx, ctx, at, row))
        .then(
          () => [],
          (error: unknown) => ONE_OPEN_VISIT.filter((index) => brokeUnique(error, index)).map((index) => index.name),
        )
    expect(await broken(visit)).toEqual([])
    expect(await broken(visit)).toEqual(['visits_one_open_person'])
    expect(await broken({ ...visit, repeatConfirmed: true })).toEqual([])
    expect(await broken({ ...visit, signedOutAt: at })).toEqual([])
    expect(await openVisits(ctx, dee.id)).toHaveLength(2)

    const coded = { ...visit, participantId: null, anonymousCode: 'BLUE7' }
    expect(await broken(coded)).toEqual([])
    expect(await broken(coded)).toEqual(['visits_one_open_code'])
  })

  it('a sign-in the desk confirms as a repeat stands outside the rule; the next plain one is still "already here"', async () => {
    const { ctx } = center()
    const dee = await createParticipant(ctx, { firstName: 'Dee' })
    const first = await signIn(ctx, { participantId: dee.id, services: [] })
    const repeat = await signIn(ctx, { participantId: dee.id, services: [], allowRepeat: true })
    expect((await openVisits(ctx, dee.id)).map((row) => [row.id, row.repeat_confirmed])).toEqual([
      [first.id, 0],
      [repeat.id, 1],
    ])
    const refusal = await serviceError(signIn(ctx, { participantId: dee.id, services: [] }))
    expect(refusal).toMatchObject({ code: 'ALREADY_SIGNED_IN', detail: { visitId: repeat.id, signedInAt: repeat.signedInAt } })
  })

  it('reopening a signed-out visit while another is open that day is refused as "already here", naming the open one, and changes nothing', async () => {
    const { ctx, clock } = center()
    const dee = await createParticipant(ctx, { firstName: 'Dee' })
    const morning = await signOut(ctx, (await signIn(ctx, { participantId: dee.id, services: [] })).id)
    clock.advance(60)
    const now = await signIn(ctx, { participantId: dee.id, services: [] })
    const refusal = await serviceError(updateVisit(ctx, morning.id, { services: [], signedOutAt: null, reason: 'left by mistake' }))
    expect(refusal).toMatchObject({ code: 'ALREADY_SIGNED_IN', key: 'visits.alreadySignedIn', detail: { visitId: now.id, signedInAt: now.signedInAt } })
    expect((await visitById(ctx, morning.id)).signedOutAt).toBe(morning.signedOutAt)
  })

  it('merging two records that are both here today keeps both visits, the moved one as a repeat', async () => {
    const { ctx } = center()
    const kept = await createParticipant(ctx, { firstName: 'Dee', lastName: 'Ray' })
    const merged = await createParticipant(ctx, { firstName: 'Dee', lastName: 'Raye' })
    const one = await signIn(ctx, { participantId: kept.id, services: [] })
    const two = await signIn(ctx, { participantId: merged.id, services: [] })
    await mergeParticipants(ctx, kept.id, merged.id)
    expect((await openVisits(ctx, kept.id)).map((row) => [row.id, row.repeat_confirmed])).toEqual([
      [one.id, 0],
      [two.id, 1],
    ])
  })
})

describeEachBackend('row versions on the records a form edits', (backend) => {
  const center = useCenter(backend)

  it('a person\'s details: an edit read at the current version saves and moves it on; one read before another save is refused as STALE and writes nothing', async () => {
    const { ctx } = center()
    const dee = await createParticipant(ctx, { firstName: 'Dee' })
    const read = (await getParticipantProfile(ctx, dee.id)).participant
    expect(read.version).toBe(1)
    const saved = await updateParticipant(ctx, dee.id, { nickname: 'D' }, read.version)
    expect(saved.version).toBe(2)
    const refusal = await serviceError(updateParticipant(ctx, dee.id, { nickname: 'Deedee' }, read.version))
    expect(refusal).toMatchObject({ code: 'STALE', key: 'door.changedElsewhere', detail: { version: 2 } })
    expect((await getParticipantProfile(ctx, dee.id)).participant).toMatchObject({ nickname: 'D', version: 2 })
    // A change sent without a version (the command line, an import) applies to what is there.
    expect(await updateParticipant(ctx, dee.id, { nickname: 'Deedee' })).toMatchObject({ nickname: 'Deedee', version: 3 })
  })

  it('a referral: the same, and a merge moves the versions of the merged record and its referrals on', async () => {
    const { ctx } = center()
    const kept = await createParticipant(ctx, { firstName: 'Dee', lastName: 'Ray' })
    const merged = await createParticipant(ctx, { firstName: 'Dee', lastName: 'Raye' })
    const agency = (await saveAgency(ctx, { name: 'Harbor Treatment Center', types: ['treatment'] })).id
    const referral = await createReferral(ctx, { participantId: merged.id, agencyId: agency, type: 'treatment' })
    expect(referral.version).toBe(1)
    expect((await updateReferral(ctx, referral.id, { status: 'eligible', version: 1 })).version).toBe(2)
    expect(await serviceError(updateReferral(ctx, referral.id, { note: 'called them', version: 1 }))).toMatchObject({ code: 'STALE' })
    expect((await getReferral(ctx, referral.id)).events).toHaveLength(2)

    await mergeParticipants(ctx, kept.id, merged.id)
    expect(await serviceError(updateReferral(ctx, referral.id, { note: 'called them', version: 2 }))).toMatchObject({ code: 'STALE', detail: { version: 3 } })
    // The merged record's form: refused as merged (naming the kept one), not saved over the merge.
    expect(await serviceError(updateParticipant(ctx, merged.id, { nickname: 'D' }, 1))).toMatchObject({ code: 'CONFLICT', key: 'participants.merged', detail: { mergedInto: kept.id } })
  })

  it('a merge sends the versions its dialog showed: one of the two records edited on another PC since is refused, and nothing is merged', async () => {
    const { ctx } = center()
    const kept = await createParticipant(ctx, { firstName: 'Dee', lastName: 'Ray' })
    const merged = await createParticipant(ctx, { firstName: 'Dee', lastName: 'Raye' })
    // Shown at 1 and 1; then another PC fixes the second record's nickname.
    await updateParticipant(ctx, merged.id, { nickname: 'D' }, 1)
    expect(await serviceError(mergeParticipants(ctx, kept.id, merged.id, null, { keep: 1, merge: 1 }))).toMatchObject({ code: 'STALE', detail: { version: 2 } })
    expect((await getParticipantProfile(ctx, merged.id)).participant).toMatchObject({ nickname: 'D', version: 2 })
    await updateParticipant(ctx, kept.id, { nickname: 'Dee R' }, 1)
    expect(await serviceError(mergeParticipants(ctx, kept.id, merged.id, null, { keep: 1, merge: 2 }))).toMatchObject({ code: 'STALE' })
    // Read again, both at their new versions: the merge goes through.
    expect(await mergeParticipants(ctx, kept.id, merged.id, null, { keep: 2, merge: 2 })).toMatchObject({ keptId: kept.id })
  })

  it('a group session: its record (topic, note) and a manager\'s change (cancel) each move the version on; either read before the other is refused and writes nothing', async () => {
    const { ctx, adminId } = center()
    const group = await saveGroup(ctx, { name: 'Open Circle', kind: 'open', capacity: null, durationMinutes: 60, facilitatorIds: [adminId], room: null, schedule: null })
    const today = ctx.now().toISOString().slice(0, 10)
    const session = await createOneOffSession(ctx, { groupId: group.id, date: today, startTime: '09:00' })
    expect(session.version).toBe(1)
    const recorded = await recordSession(ctx, { sessionId: session.id, topic: 'Boundaries', note: 'Good talk', version: 1 })
    expect(recorded).toMatchObject({ topic: 'Boundaries', version: 2 })
    // The manager's screen read it before the facilitator saved: the cancel is refused, the session stays as saved.
    expect(await serviceError(changeSession(ctx, session.id, { kind: 'cancel', reason: 'Facilitator out sick' }, 1))).toMatchObject({ code: 'STALE', key: 'door.changedElsewhere', detail: { version: 2 } })
    expect(await getSession(ctx.db, ctx, session.id)).toMatchObject({ status: 'scheduled', topic: 'Boundaries', version: 2 })
    const cancelled = await changeSession(ctx, session.id, { kind: 'cancel', reason: 'Facilitator out sick' }, 2)
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 3 })
    // And the facilitator's form, still at 2, cannot write its note over the cancel.
    expect(await serviceError(recordSession(ctx, { sessionId: session.id, note: 'More notes', version: 2 }))).toMatchObject({ code: 'STALE' })
    expect(await changeSession(ctx, session.id, { kind: 'restore' })).toMatchObject({ status: 'scheduled', note: 'Good talk', version: 4 })
    // A mark in the session is not an edit of its form: the version stays.
    const eli = await createParticipant(ctx, { firstName: 'Eli' })
    await markAttendance(ctx, { sessionId: session.id, participantId: eli.id, status: 'present' })
    expect((await getSession(ctx.db, ctx, session.id)).version).toBe(4)
  })

  it('a group, an agency and a staff account: a save read at an older version is refused; an archive or (de)activation too; a password reset leaves an account\'s version alone', async () => {
    const { ctx, adminId } = center()
    const input = { name: 'Open Circle', kind: 'open' as const, capacity: null, durationMinutes: 60, facilitatorIds: [adminId], room: null, schedule: null }
    const group = await saveGroup(ctx, input)
    expect(group.version).toBe(1)
    expect(await saveGroup(ctx, { ...input, id: group.id, room: 'Room 2', version: 1 })).toMatchObject({ room: 'Room 2', version: 2 })
    expect(await serviceError(saveGroup(ctx, { ...input, id: group.id, room: 'Room 3', version: 1 }))).toMatchObject({ code: 'STALE' })
    expect(await serviceError(archiveGroup(ctx, group.id, 1))).toMatchObject({ code: 'STALE' })
    expect(await getGroupSummary(ctx.db, group.id, ctx)).toMatchObject({ room: 'Room 2', archivedAt: null, version: 2 })
    expect(await archiveGroup(ctx, group.id, 2)).toMatchObject({ version: 3, archivedAt: expect.any(String) })

    const agency = await saveAgency(ctx, { name: 'Harbor Treatment Center', types: ['treatment'] })
    expect(agency.version).toBe(1)
    expect(await saveAgency(ctx, { id: agency.id, name: 'Harbor Treatment Center', types: ['treatment'], phone: '555-0100', version: 1 })).toMatchObject({ phone: '555-0100', version: 2 })
    expect(await serviceError(saveAgency(ctx, { id: agency.id, name: 'Harbor Treatment', types: ['treatment'], version: 1 }))).toMatchObject({ code: 'STALE' })
    expect(await serviceError(setAgencyActive(ctx, agency.id, false, 1))).toMatchObject({ code: 'STALE' })
    expect(await setAgencyActive(ctx, agency.id, false, 2)).toMatchObject({ name: 'Harbor Treatment Center', active: false, version: 3 })

    const ben = await createStaff(ctx, { username: 'ben', displayName: 'Ben', role: 'front_desk', password: 'another long password' })
    expect(ben.version).toBe(1)
    await resetStaffPassword(ctx, ben.id, 'a third long password')
    expect(await updateStaff(ctx, ben.id, { role: 'facilitator' }, 1)).toMatchObject({ role: 'facilitator', version: 2 })
    expect(await serviceError(updateStaff(ctx, ben.id, { active: false }, 1))).toMatchObject({ code: 'STALE', detail: { version: 2 } })
    expect((await listStaff(ctx)).find((account) => account.id === ben.id)).toMatchObject({ active: true, role: 'facilitator', version: 2 })
  })
})

/**
 * Two PCs: two independent connections (pools, as two main processes hold) to one new server
 * database, a center set up on it; `work` gets each PC's service context (the same admin).
 */
async function withTwoPcs(url: string, work: (desks: ServiceContext[], center: Awaited<ReturnType<typeof setUpCenter>>) => Promise<void>): Promise<void> {
  const a = await openPostgres(url, { poolSize: 2 })
  try {
    const b = await openPostgres(url, { poolSize: 2 })
    try {
      const center = await setUpCenter(a.db)
      await work([center.ctx, { ...center.ctx, db: b.db }], center)
    } finally {
      await b.close()
    }
  } finally {
    await a.close()
  }
}

/** A raw client, outside Porchlight's write lock: a writer that did not check first, or another program. */
async function rawClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  return client
}

/** Resolves once some statement on the server waits for a lock another transaction holds. */
async function someoneWaits(client: pg.Client): Promise<void> {
  for (;;) {
    const waiting = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)
    if ((waiting.rows[0] as { n: number }).n > 0) return
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/**
 * A center on its own server database, and another writer (a raw client, so outside Porchlight's
 * write lock) that has begun a transaction: `work` writes through it, starts Porchlight's write,
 * and calls `commitWhenWaiting`, which commits the other writer's transaction once Porchlight's
 * write is waiting on it.
 */
async function againstUncommittedWriter(
  url: string,
  work: (center: Awaited<ReturnType<typeof setUpCenter>>, other: pg.Client, commitWhenWaiting: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const server = await openPostgres(url, { poolSize: 2 })
  const other = await rawClient(url)
  try {
    const center = await setUpCenter(server.db)
    await other.query('BEGIN')
    await work(center, other, async () => {
      const watcher = await rawClient(url)
      try {
        await someoneWaits(watcher)
      } finally {
        await watcher.end()
      }
      await other.query('COMMIT')
    })
  } finally {
    await other.end()
    await server.close()
  }
}

describePostgres('two PCs on one PostgreSQL server', () => {
  const databases = usePostgresDatabases()

  it('both desks signing in the same person at the same moment: one visit, and the other desk hears "already signed in" with it (40 rounds)', async () => {
    await withTwoPcs(await databases.make(), async (desks, center) => {
      for (let round = 0; round < 40; round++) {
        const person = await createParticipant(center.ctx, { firstName: `Person ${round}` })
        const outcomes = await Promise.allSettled(desks.map((ctx) => signIn(ctx, { participantId: person.id, services: [] })))
        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled')
        const lost = outcomes.filter((outcome) => outcome.status === 'rejected')
        expect(won).toHaveLength(1)
        expect(lost).toHaveLength(1)
        const visit = (won[0] as PromiseFulfilledResult<{ id: number; signedInAt: string }>).value
        expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'ALREADY_SIGNED_IN', detail: { visitId: visit.id, signedInAt: visit.signedInAt } })
        expect(await openVisits(center.ctx, person.id)).toHaveLength(1)
      }
    })
  })

  it('a manager counting (one snapshot for every figure) does not hold up a sign-in on another PC, and counts the records as they were when it began', async () => {
    await withTwoPcs(await databases.make(), async (pcs, center) => {
      const [manager, desk] = pcs as [ServiceContext, ServiceContext]
      const fay = await createParticipant(center.ctx, { firstName: 'Fay' })
      let release = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      const counting = readSnapshot(manager.db, async (trx) => {
        const before = await trx.selectFrom('visits').select('id').where('participant_id', '=', fay.id).execute()
        await held
        const after = await trx.selectFrom('visits').select('id').where('participant_id', '=', fay.id).execute()
        return { before, after }
      })
      // With the writers' lock held by the counting, this would wait until the test timed out.
      const visit = await signIn(desk, { participantId: fay.id, services: [] })
      release()
      expect(await counting).toEqual({ before: [], after: [] })
      expect(await openVisits(manager, fay.id)).toEqual([{ id: visit.id, repeat_confirmed: 0 }])
      // The dashboard counts in such a snapshot, and sees the visit once it has been committed.
      const figures = await dashboard(manager, { preset: 'this_month' })
      expect(figures.summary.current.visits.visits).toBe(1)
    })
  })

  it('a sign-in whose check passed while another writer\'s visit was not yet committed is refused by the index, as "already signed in" with that visit', async () => {
    await againstUncommittedWriter(await databases.make(), async ({ ctx }, other, commitWhenWaiting) => {
      const dee = await createParticipant(ctx, { firstName: 'Dee' })
      const at = ctx.now().toISOString()
      const inserted = await other.query(
        `INSERT INTO visits (participant_id, visit_date, signed_in_at, created_at, updated_at) VALUES ($1, $2, $3, $3, $3) RETURNING id`,
        [dee.id, at.slice(0, 10), at],
      )
      const theirs = Number((inserted.rows[0] as { id: string }).id)
      // Our check sees nothing (theirs is not committed); our insert waits on the index for theirs.
      const ours = signIn(ctx, { participantId: dee.id, services: [] }).then(
        () => null,
        (error: unknown) => error,
      )
      await commitWhenWaiting()
      expect(await ours).toMatchObject({ code: 'ALREADY_SIGNED_IN', detail: { visitId: theirs, signedInAt: at } })
      expect(await openVisits(ctx, dee.id)).toEqual([{ id: theirs, repeat_confirmed: 0 }])
    })
  })

  it('two PCs marking the same person in one session: one mark, the later one\'s (the loser runs again and updates)', async () => {
    await againstUncommittedWriter(await databases.make(), async ({ ctx, adminId }, other, commitWhenWaiting) => {
      const eli = await createParticipant(ctx, { firstName: 'Eli' })
      const group = await saveGroup(ctx, { name: 'Open Circle', kind: 'open', capacity: null, durationMinutes: 60, facilitatorIds: [adminId], room: null, schedule: null })
      const session = await createOneOffSession(ctx, { groupId: group.id, date: ctx.now().toISOString().slice(0, 10), startTime: '09:00' })
      const at = ctx.now().toISOString()
      await other.query(`INSERT INTO attendance (session_id, participant_id, status, created_at, updated_at) VALUES ($1, $2, 'absent', $3, $3)`, [session.id, eli.id, at])
      const ours = markAttendance(ctx, { sessionId: session.id, participantId: eli.id, status: 'present' })
      await commitWhenWaiting()
      expect((await ours).person).toMatchObject({ participantId: eli.id, status: 'present' })
      const marks = await ctx.db.selectFrom('attendance').select(['status', 'visit_id']).where('participant_id', '=', eli.id).execute()
      expect(marks).toHaveLength(1)
      expect(marks[0]!.visit_id).not.toBeNull()
    })
  })

  it('two PCs saving the same person\'s details read at the same version: one save, the other refused as STALE (20 rounds)', async () => {
    await withTwoPcs(await databases.make(), async (desks, center) => {
      for (let round = 0; round < 20; round++) {
        const person = await createParticipant(center.ctx, { firstName: `Person ${round}` })
        const outcomes = await Promise.allSettled(desks.map((ctx, pc) => updateParticipant(ctx, person.id, { nickname: `PC ${pc}` }, 1)))
        const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []))
        const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []))
        expect(won).toHaveLength(1)
        expect(lost).toEqual([expect.objectContaining({ code: 'STALE' })])
        expect((await getParticipantProfile(center.ctx, person.id)).participant).toMatchObject({ nickname: won[0]!.nickname, version: 2 })
      }
    })
  })

  it('two PCs saving the same session read at the same version (a topic on one, a cancel on the other): one save, the other refused as STALE (10 rounds)', async () => {
    await withTwoPcs(await databases.make(), async (desks, center) => {
      const group = await saveGroup(center.ctx, { name: 'Open Circle', kind: 'open', capacity: null, durationMinutes: 60, facilitatorIds: [center.adminId], room: null, schedule: null })
      for (let round = 0; round < 10; round++) {
        const session = await createOneOffSession(center.ctx, { groupId: group.id, date: center.ctx.now().toISOString().slice(0, 10), startTime: `1${round}:00` })
        const outcomes = await Promise.allSettled([
          recordSession(desks[0]!, { sessionId: session.id, topic: 'Boundaries', version: 1 }),
          changeSession(desks[1]!, session.id, { kind: 'cancel', reason: 'Room flooded' }, 1),
        ])
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
        expect(outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []))).toEqual([expect.objectContaining({ code: 'STALE' })])
        const after = await getSession(center.ctx.db, center.ctx, session.id)
        expect(after.version).toBe(2)
        // Never both: a cancelled session with the topic saved over it, or the other way round.
        expect(after.status === 'cancelled').toBe(after.topic === null)
      }
    })
  })

  it('a retention run waits for one already running on another PC (its advisory lock), then counts again', async () => {
    await againstUncommittedWriter(await databases.make(), async ({ ctx }, other, commitWhenWaiting) => {
      await setRetentionPolicy(ctx, { enabled: true, years: 1, mode: 'deidentify' })
      // The other PC's run holds the retention lock (the key run-lock.ts gives it).
      await other.query(`SELECT pg_advisory_xact_lock(${0x706c5f726574656en.toString()})`)
      let finished = false
      const ours = applyRetention(ctx, { expectedPeople: 0 }).then((result) => {
        finished = true
        return result
      })
      await commitWhenWaiting()
      expect(finished).toBe(false)
      expect(await ours).toMatchObject({ people: 0 })
    })
  })
})

import { join, resolve } from 'node:path'
import { MutationObserver, QueryClient, QueryObserver, type QueryKey } from '@tanstack/react-query'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TodayVisit } from '../../db/types'
import type { FeedMessage } from '../../electron/ipc/feed'

// The renderer's own cache rules for the desk's board (loaded by path: the renderer's files are
// outside this project's type check), on a real query cache.
const root = resolve(import.meta.dirname, '../..')
const { showOnBoards, visitKeys } = (await import(/* @vite-ignore */ join(root, 'renderer/src/hooks/queries/visits.ts'))) as {
  showOnBoards: (client: QueryClient, visit: TodayVisit, signedIn: boolean) => void
  visitKeys: { todayFiltered: (status: 'here' | 'left' | 'all', serviceId: number | null) => QueryKey }
}
const { REFRESHES_PEOPLE_AND_VISITS } = (await import(/* @vite-ignore */ join(root, 'renderer/src/hooks/queries/common.ts'))) as {
  REFRESHES_PEOPLE_AND_VISITS: Record<string, unknown>
}
const { applyFeedMessage } = (await import(/* @vite-ignore */ join(root, 'renderer/src/hooks/live.ts'))) as {
  applyFeedMessage: (client: QueryClient, message: FeedMessage) => void
}

function visit(id: number, signedInAt: string): TodayVisit {
  return { id, signedInAt, signedOutAt: null, participant: { id: id * 10, code: `C${id}`, firstName: `P${id}`, nickname: null, lastName: null }, anonymousCode: null, services: [], note: null }
}

const EARLIER = [visit(2, '2026-11-25T14:00:00.000Z'), visit(1, '2026-11-25T13:00:00.000Z')]
const SIGNED_IN = visit(3, '2026-11-25T15:00:00.000Z')

/**
 * A desk's cache with today's whole board and a people query on screen; `main` is what main's
 * board read answers, and each read can be held back to land later.
 */
function desk() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } })
  let main: TodayVisit[] = EARLIER
  const reads = { board: 0, people: 0 }
  let hold: Promise<void> | null = null
  const board = new QueryObserver(client, {
    queryKey: visitKeys.todayFiltered('all', null),
    queryFn: async () => {
      reads.board++
      const answer = main
      if (hold) await hold
      return answer
    },
  })
  const people = new QueryObserver(client, { queryKey: ['participants', 'search', 'C3'], queryFn: async () => ++reads.people })
  const off = [board.subscribe(() => {}), people.subscribe(() => {})]
  return {
    client,
    reads,
    board: () => client.getQueryData<TodayVisit[]>(visitKeys.todayFiltered('all', null))?.map((v) => v.id),
    /** Main commits the sign-in: its board lists the visit from now on. */
    commit: () => {
      main = [SIGNED_IN, ...EARLIER]
    },
    holdReads: () => {
      let release = () => {}
      hold = new Promise((done) => (release = done))
      return () => {
        hold = null
        release()
      }
    },
    close: () => {
      for (const stop of off) stop()
      client.clear()
    },
  }
}

let opened: ReturnType<typeof desk> | undefined
afterEach(() => opened?.close())

async function ready() {
  opened = desk()
  await vi.waitFor(() => expect(opened!.board()).toEqual([2, 1]))
  return opened
}

describe("the desk's board after its own sign-in", () => {
  it('shows the visit at once and does not read a board at rest again; the people are read again', async () => {
    const d = await ready()
    d.commit()
    showOnBoards(d.client, SIGNED_IN, true)
    expect(d.board()).toEqual([3, 2, 1])
    await vi.waitFor(() => expect(d.reads.people).toBe(2))
    expect(d.reads.board).toBe(1)
  })

  it('never keeps a board read begun before the answer over the visit: it is read again', async () => {
    const d = await ready()
    // A read under way (the minute's poll, another PC's change) that began before main had the visit.
    const release = d.holdReads()
    void d.client.refetchQueries({ queryKey: visitKeys.todayFiltered('all', null) })
    await vi.waitFor(() => expect(d.reads.board).toBe(2))
    d.commit()
    showOnBoards(d.client, SIGNED_IN, true)
    expect(d.board()).toEqual([3, 2, 1])
    release()
    await vi.waitFor(() => expect(d.reads.board).toBe(3))
    await vi.waitFor(() => expect(d.client.getQueryState(visitKeys.todayFiltered('all', null))?.fetchStatus).toBe('idle'))
    expect(d.board()).toEqual([3, 2, 1])
  })
})

describe('the change feed beside the desk’s own writes', () => {
  const visits: FeedMessage = { kind: 'changes', changes: [{ topic: 'visits' }, { topic: 'participants' }], elsewhere: false }

  it('leaves what a pending sign-in refreshes itself to it; another PC’s change is read', async () => {
    const d = await ready()
    let answer = (_: TodayVisit) => {}
    const answered = new Promise<TodayVisit>((done) => (answer = done))
    const write = new MutationObserver(d.client, {
      mutationFn: () => answered,
      onSuccess: (made: TodayVisit) => showOnBoards(d.client, made, true),
      meta: REFRESHES_PEOPLE_AND_VISITS,
    })
    const signing = write.mutate()
    d.commit()
    // Main tells the feed of the write just before it answers.
    applyFeedMessage(d.client, visits)
    answer(SIGNED_IN)
    await signing
    expect(d.board()).toEqual([3, 2, 1])
    await vi.waitFor(() => expect(d.reads.people).toBe(2))
    expect(d.reads.board).toBe(1)

    applyFeedMessage(d.client, { ...visits, elsewhere: true })
    await vi.waitFor(() => expect(d.reads.board).toBe(2))
  })

  it('leaves it to an answered sign-in when its echo comes after the answer, and reads the next own change', async () => {
    const d = await ready()
    const write = new MutationObserver(d.client, {
      mutationFn: async () => SIGNED_IN,
      onSuccess: (made: TodayVisit) => showOnBoards(d.client, made, true),
      meta: REFRESHES_PEOPLE_AND_VISITS,
    })
    d.commit()
    await write.mutate()
    await vi.waitFor(() => expect(d.reads.people).toBe(2))
    // The feed and the answer travel apart: the echo of the answered write.
    applyFeedMessage(d.client, visits)
    await new Promise((done) => setTimeout(done, 20))
    expect(d.reads.board).toBe(1)
    expect(d.reads.people).toBe(2)
    expect(d.board()).toEqual([3, 2, 1])

    // Each write is echoed once: this window's next change (a group marking) is read.
    applyFeedMessage(d.client, visits)
    await vi.waitFor(() => expect(d.reads.board).toBe(2))
  })

  it('reads the board for this window’s own change when no write of it is waiting to refresh it (a group marking)', async () => {
    const d = await ready()
    applyFeedMessage(d.client, visits)
    await vi.waitFor(() => expect(d.reads.board).toBe(2))
    expect(d.reads.people).toBe(2)
  })
})

import { partialMatchKey, useQueryClient, type Mutation, type QueryClient, type QueryKey } from '@tanstack/react-query'
import { useEffect, useSyncExternalStore } from 'react'
import type { Change, ChangeTopic, FeedBridge, FeedMessage } from '../../../electron/ipc/feed'
import { keys } from './queries/common'

declare global {
  interface Window {
    /** Set by the preload (or the test host's bridge): what changed, pushed from main. */
    readonly porchlightFeed?: FeedBridge
  }
}

/** How often the live screens ask again while other PCs' changes are not heard (the fallback). */
export const FALLBACK_POLL_MS = 5_000

/**
 * The manager's figures: the dashboard and its "due today" line count visits, attendance and
 * referrals. Not the drill-down lists: every fetch of one is audited as a look at records.
 */
const FIGURES: QueryKey[] = [
  ['reports', 'dashboard'],
  ['reports', 'home'],
]

/** The cache entries each topic's change makes stale (only those a screen shows are fetched again). */
function keysFor(change: Change): QueryKey[] {
  switch (change.topic) {
    // The attendance sheet offers one tap for someone signed in at the desk.
    case 'visits':
      return [keys.visits, keys.participants, ['groups', 'sheet'], ...FIGURES]
    case 'participants':
      return [keys.participants, keys.visits]
    case 'referrals':
      return [['referrals'], ...FIGURES]
    case 'attendance':
      return [['groups', 'sheet', change.sessionId], ['groups', 'today'], ...FIGURES]
  }
}

/** Every entry a live screen reads, for the catch-up after the feed was lost. */
const CATCH_UP: QueryKey[] = [keys.visits, keys.participants, ['referrals'], ['groups', 'sheet'], ['groups', 'today'], ...FIGURES]

interface LiveState {
  /** Whether other PCs' changes arrive as they happen. */
  live: boolean
  /** Bumped for each change made elsewhere, by cueKey: the "Updated" cue watches it. */
  seen: Readonly<Record<string, number>>
}

/** What a screen's cue watches: a topic, one group session's attendance, or (no session) any session's. */
export function cueKey(topic: ChangeTopic, sessionId?: number): string {
  return topic === 'attendance' && sessionId !== undefined ? `attendance:${sessionId}` : topic
}

/** The cue keys a change bumps: a session's attendance counts for that session and for "any session" (the dashboard). */
function cueKeysOf(change: Change): string[] {
  return change.topic === 'attendance' ? [cueKey('attendance', change.sessionId), cueKey('attendance')] : [cueKey(change.topic)]
}

let state: LiveState = { live: true, seen: {} }
const watchers = new Set<() => void>()

function set(next: LiveState): void {
  state = next
  for (const watcher of watchers) watcher()
}

function watch(watcher: () => void): () => void {
  watchers.add(watcher)
  return () => {
    watchers.delete(watcher)
  }
}

/** This window's writes whose echo from the feed has come: each write is echoed once. */
const echoed = new WeakSet<Mutation>()

function refreshesOf(write: Mutation): readonly QueryKey[] {
  return (write.options.meta?.refreshes as readonly QueryKey[] | undefined) ?? []
}

/**
 * The write of this window whose echo an own change is, when that write refreshes what it changed
 * itself (its `meta.refreshes`, e.g. REFRESHES_PEOPLE_AND_VISITS): the oldest such write, waiting
 * for its answer or answered, not yet echoed. Main tells the feed of a write just before it
 * answers, but the two travel apart (the test host's feed and answers are two sockets), so the
 * echo comes after the answer too (a third of the desk's sign-ins in the felt bench): the write's
 * own refresh has by then shown it, and reading today's whole board again would only load the
 * desk's next sign-in.
 */
function echoedWrite(client: QueryClient, message: FeedMessage & { kind: 'changes' }): Mutation | undefined {
  if (message.elsewhere) return undefined
  return client
    .getMutationCache()
    .getAll()
    .find((write) => !echoed.has(write) && (write.state.status === 'pending' || write.state.status === 'success') && refreshesOf(write).length > 0)
}

/** Applies one message from main: refreshes what changed, and records it for the cue when it came from elsewhere. */
export function applyFeedMessage(client: QueryClient, message: FeedMessage): void {
  if (message.kind === 'status') {
    if (message.live === state.live) return
    // Echoes said while the feed was lost never come: no later change may be taken for one.
    for (const write of client.getMutationCache().getAll()) echoed.add(write)
    set({ ...state, live: message.live })
    // Back after a gap: whatever was said meanwhile was not heard, so the live screens read again.
    if (message.live) for (const key of CATCH_UP) void client.invalidateQueries({ queryKey: key })
    return
  }
  const write = echoedWrite(client, message)
  if (write) echoed.add(write)
  const refreshedByWrite = write ? refreshesOf(write) : []
  const stale = new Map<string, QueryKey>()
  for (const change of message.changes) for (const key of keysFor(change)) stale.set(JSON.stringify(key), key)
  for (const key of stale.values()) {
    // The echo of this window's own write that refreshes these itself: they are only marked stale here.
    const own = refreshedByWrite.some((refreshed) => partialMatchKey(key, refreshed))
    void client.invalidateQueries({ queryKey: key, refetchType: own ? 'none' : 'active' })
  }
  if (!message.elsewhere) return
  const seen = { ...state.seen }
  for (const change of message.changes) for (const key of cueKeysOf(change)) seen[key] = (seen[key] ?? 0) + 1
  set({ ...state, seen })
}

/** Follows main's change feed while staff are signed in (mounted once, in the staff app). */
export function useLiveFeed(): void {
  const client = useQueryClient()
  useEffect(() => window.porchlightFeed?.subscribe((message) => applyFeedMessage(client, message)), [client])
}

export function useLiveState(): LiveState {
  return useSyncExternalStore(watch, () => state)
}

/**
 * A live screen's refetchInterval: its usual slow refresh while changes are pushed, every few
 * seconds while they are not (the server's notifications lost).
 */
export function useLivePoll(usual: number | false = false): number | false {
  return useLiveState().live ? usual : FALLBACK_POLL_MS
}

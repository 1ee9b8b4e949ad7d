/**
 * The change feed's messages, main → renderer: which records changed (a topic and ids, never a
 * person's details) and whether this PC hears other PCs' changes right now. Pure and free of
 * imports: the sandboxed preload, the test host's bridge and the renderer all parse with it.
 */

export const CHANGE_TOPICS = ['visits', 'participants', 'referrals', 'attendance'] as const
export type ChangeTopic = (typeof CHANGE_TOPICS)[number]

/** One "what changed": attendance names its group session, the others the whole list. */
export type Change = { readonly topic: 'visits' | 'participants' | 'referrals' } | { readonly topic: 'attendance'; readonly sessionId: number }

export type FeedMessage =
  /**
   * `elsewhere`: made by another window or another PC (the screen shows "Updated"); false for the
   * window's own writes, which it has refreshed already.
   */
  | { readonly kind: 'changes'; readonly changes: readonly Change[]; readonly elsewhere: boolean }
  /** `live`: other PCs' changes arrive as they happen; false while the server's notifications are lost (screens poll). */
  | { readonly kind: 'status'; readonly live: boolean }

/** The channel the main process sends on (Electron) and the preload listens on. */
export const FEED_CHANNEL = 'porchlight:changes'

/** At most this many changes in one message: a feed that carries more is not ours. */
const MAX_CHANGES = 200

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A change as it crosses a boundary (a NOTIFY payload, the bridge), or null when it is not one. */
export function parseChange(value: unknown): Change | null {
  if (!isRecord(value)) return null
  const { topic } = value
  if (topic === 'visits' || topic === 'participants' || topic === 'referrals') return { topic }
  if (topic === 'attendance' && Number.isSafeInteger(value.sessionId) && (value.sessionId as number) > 0) {
    return { topic, sessionId: value.sessionId as number }
  }
  return null
}

/** A whole message, checked field by field (the preload has no zod), or null when any part is wrong. */
export function parseFeedMessage(value: unknown): FeedMessage | null {
  if (!isRecord(value)) return null
  if (value.kind === 'status') return typeof value.live === 'boolean' ? { kind: 'status', live: value.live } : null
  if (value.kind !== 'changes' || typeof value.elsewhere !== 'boolean' || !Array.isArray(value.changes)) return null
  if (value.changes.length === 0 || value.changes.length > MAX_CHANGES) return null
  const changes: Change[] = []
  for (const item of value.changes) {
    const change = parseChange(item)
    if (!change) return null
    changes.push(change)
  }
  return { kind: 'changes', changes, elsewhere: value.elsewhere }
}

/** `window.porchlightFeed`: set by the preload (or the host's bridge) beside `window.porchlight`. */
export interface FeedBridge {
  /** Calls `listener` with each message (the last status first, at once); returns the unsubscribe. */
  subscribe(listener: (message: FeedMessage) => void): () => void
}

/**
 * The preload's and the bridge's shared half: validates each message, keeps the last status and
 * hands it to a new subscriber, so a screen that mounts late still knows whether to poll.
 */
export function feedBridge(): { bridge: FeedBridge; deliver(raw: unknown): void } {
  const listeners = new Set<(message: FeedMessage) => void>()
  let status: FeedMessage | null = null
  return {
    bridge: Object.freeze({
      subscribe(listener: (message: FeedMessage) => void) {
        if (typeof listener !== 'function') throw new TypeError('subscribe needs a function')
        listeners.add(listener)
        if (status) listener(status)
        return () => {
          listeners.delete(listener)
        }
      },
    }),
    deliver(raw) {
      const parsed = parseFeedMessage(raw)
      if (!parsed) return
      if (parsed.kind === 'status') status = parsed
      for (const listener of listeners) listener(parsed)
    },
  }
}

import type { ChannelName } from './channels'
import type { ParsedInputOf } from './contract'
import type { Session } from './core'
import { parseChange, type Change, type FeedMessage } from './feed'

const VISITS: Change = { topic: 'visits' }
const PEOPLE: Change = { topic: 'participants' }
const REFERRALS: Change = { topic: 'referrals' }
const attendance = (sessionId: number): Change => ({ topic: 'attendance', sessionId })

/**
 * What each writing channel changes, for this PC's other windows (other PCs hear it from the
 * server's triggers, migration 0041, whatever wrote it). A channel missing here still reaches
 * other PCs; this PC's other windows then see it at their next refresh.
 */
export const CHANNEL_CHANGES: { readonly [C in ChannelName]?: (input: ParsedInputOf<C>) => readonly Change[] } = {
  // A sign-in moves "last visit" in the lists, and a "Referral" ticked at the desk joins the work list.
  'visits.signIn': () => [VISITS, PEOPLE, REFERRALS],
  'kiosk.signIn': () => [VISITS, PEOPLE, REFERRALS],
  'visits.signOut': () => [VISITS],
  'visits.signOutAll': () => [VISITS],
  'visits.update': () => [VISITS],
  'visits.void': () => [VISITS, PEOPLE],
  'participants.create': () => [PEOPLE],
  'participants.update': () => [PEOPLE, VISITS],
  // A merge moves visits, referrals and attendance to the kept record; its undo moves them back.
  'participants.merge': () => [PEOPLE, VISITS, REFERRALS],
  'participants.undoMerge': () => [PEOPLE, VISITS, REFERRALS],
  'referrals.create': () => [REFERRALS],
  'referrals.update': () => [REFERRALS],
  // The work list shows whether each referral's consent still holds.
  'consents.create': () => [REFERRALS],
  'consents.revoke': () => [REFERRALS],
  // Attending joins (or makes) the person's visit that day.
  'sessions.mark': (input) => [attendance(input.sessionId), VISITS],
  'sessions.markMany': (input) => [attendance(input.sessionId), VISITS],
  'sessions.markAnonymous': (input) => [attendance(input.sessionId), VISITS],
  'sessions.addPerson': (input) => [attendance(input.sessionId)],
  'sessions.record': (input) => [attendance(input.sessionId)],
  'sessions.change': (input) => [attendance(input.sessionId)],
  'records.import': () => [PEOPLE, VISITS],
  'retention.apply': () => [PEOPLE, VISITS, REFERRALS],
}

/** The changes a successful call made, by its parsed input (none for a channel that only reads). */
export function changesOf(channel: ChannelName, input: unknown): readonly Change[] {
  const of = CHANNEL_CHANGES[channel] as ((input: unknown) => readonly Change[]) | undefined
  return of ? of(input) : []
}

/**
 * Who made a change: a window of this PC (its session), this PC without a window (a timer, or the
 * server echoing this PC's own write back), or another PC.
 */
export type ChangeOrigin = { readonly session: Session } | 'this-pc' | 'elsewhere'

export type FeedEvent =
  | { readonly kind: 'changes'; readonly changes: readonly Change[]; readonly origin: ChangeOrigin }
  | { readonly kind: 'status'; readonly live: boolean }

/** What one window is told of an event: "elsewhere" unless the window made the change itself or this PC echoed it. */
export function messageFor(event: FeedEvent, session: Session): FeedMessage {
  if (event.kind === 'status') return { kind: 'status', live: event.live }
  const { origin } = event
  const elsewhere = origin === 'elsewhere' || (typeof origin === 'object' && origin.session !== session)
  return { kind: 'changes', changes: event.changes, elsewhere }
}

/** A NOTIFY payload (migration 0041's JSON) as a change, or null for anything else. */
export function changeFromPayload(payload: string): Change | null {
  try {
    return parseChange(JSON.parse(payload))
  } catch {
    return null
  }
}

/**
 * Main's change feed: the windows (Electron's webContents, the test host's event streams)
 * subscribe; the door publishes what a call changed; the server's LISTEN connection publishes
 * what other PCs changed and whether it is connected.
 */
export class ChangeFeed {
  private readonly listeners = new Set<(event: FeedEvent) => void>()
  private liveNow = true

  /** False while the server's notifications are lost: the screens poll instead. */
  get live(): boolean {
    return this.liveNow
  }

  subscribe(listener: (event: FeedEvent) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  publish(changes: readonly Change[], origin: ChangeOrigin): void {
    if (changes.length === 0) return
    this.emit({ kind: 'changes', changes, origin })
  }

  setLive(live: boolean): void {
    if (live === this.liveNow) return
    this.liveNow = live
    this.emit({ kind: 'status', live })
  }

  private emit(event: FeedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // A window that went away while being told must not stop the others hearing it.
      }
    }
  }
}

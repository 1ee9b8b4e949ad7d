import pg from 'pg'
import { log } from './log'
import { describeConnection, poolConfig, type PostgresConnection } from './pg-connect'

/** The channel migration 0041's triggers NOTIFY (PostgreSQL). */
export const CHANGES_CHANNEL = 'porchlight_changes'

/** How long the listener waits before each new try: quick at first, then no more than every five seconds. */
export const RECONNECT_DELAYS_MS = [200, 500, 1000, 2000, 5000] as const

/** A connection that held this long was not flapping: the next loss starts the pauses again from the shortest. */
const STABLE_MS = 10_000

export interface ListenerEvents {
  /** A NOTIFY's payload (unparsed: the caller validates it) and the server process that sent it. */
  notified(payload: string, senderPid: number): void
  /** Whether the LISTEN connection is up: false as soon as it is lost, true once listening again. */
  status(live: boolean): void
}

/**
 * A dedicated connection that LISTENs for the center's changes, apart from the pool (a pooled
 * connection cannot hold a LISTEN). When it is lost (the server restarts, an administrator ends
 * it, the network drops) it says so at once and tries again after a growing pause until it is back.
 */
export class ChangeListener {
  private client: pg.Client | null = null
  private attempt = 0
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private live = false
  /** The server process of the current LISTEN connection (tests end it with pg_terminate_backend). */
  backendPid: number | null = null

  constructor(
    private readonly connection: PostgresConnection,
    private readonly events: ListenerEvents,
  ) {}

  start(): void {
    this.stopped = false
    void this.connect()
  }

  get isLive(): boolean {
    return this.live
  }

  private setLive(live: boolean): void {
    if (this.live === live) return
    this.live = live
    this.events.status(live)
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    const client = new pg.Client({ ...poolConfig(this.connection), application_name: 'Porchlight changes' })
    this.client = client
    let lost = false
    let listeningSince: number | null = null
    const onLost = (error?: unknown) => {
      if (lost) return
      lost = true
      if (listeningSince !== null && performance.now() - listeningSince >= STABLE_MS) this.attempt = 0
      if (this.client === client) this.client = null
      this.backendPid = null
      client.removeAllListeners('notification')
      // The client is of no more use; ending it releases its socket (errors are expected here).
      client.end().catch(() => undefined)
      if (this.stopped) return
      log.warn('postgres.listen_lost', { where: describeConnection(this.connection) }, error)
      this.setLive(false)
      this.retry()
    }
    client.on('error', onLost)
    client.on('end', () => onLost())
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL && message.payload !== undefined) this.events.notified(message.payload, message.processId)
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${CHANGES_CHANNEL}`)
      if (this.stopped || lost) {
        if (!lost) await client.end().catch(() => undefined)
        return
      }
      this.backendPid = (client as unknown as { processID: number | null }).processID
      listeningSince = performance.now()
      this.setLive(true)
    } catch (error) {
      onLost(error)
    }
  }

  private retry(): void {
    if (this.timer || this.stopped) return
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)]!
    this.attempt++
    this.timer = setTimeout(() => {
      this.timer = null
      void this.connect()
    }, delay)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const client = this.client
    this.client = null
    this.backendPid = null
    this.live = false
    await client?.end().catch(() => undefined)
  }
}

import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../schema'
import { dateTimeFormat } from '../../shared/intl'
import { formatMessage, type MessageKey, type MessageRef, type ParamName, type ParamValue } from '../../shared/messages'

/** Who is acting and when; every use case takes one. `staffId` is null only before anyone signed in. */
export interface ServiceContext {
  readonly db: Kysely<Database>
  readonly staffId: number | null
  readonly now: () => Date
  /** IANA time zone of the center, for "today"; defaults to this computer's. */
  readonly timeZone?: string
  /**
   * The center the signed-in staff member is working in (issue 15): every read of a row a center
   * owns is limited to it and every write is stamped with it, through db/services/centers.ts.
   * Absent where no one works in a center (setup, the command line, a single-center database's
   * tests): center 1, the one center a database held before migration 0045.
   */
  readonly centerId?: number
  /**
   * A write with no natural key, sent with the screen's request id: its transaction keeps the id and
   * its answer, and a retry with the same id gets that answer instead of writing again (see inTransaction).
   */
  readonly request?: { readonly id: string; readonly channel: string }
}

/** `ctx` for one write retried safely under the screen's request id (none: as before). */
export function withRequest(ctx: ServiceContext, channel: string, requestId: string | undefined): ServiceContext {
  return requestId === undefined ? ctx : { ...ctx, request: { id: requestId, channel } }
}

export type Trx = Transaction<Database>

export type ServiceErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'ALREADY_SIGNED_IN'
  | 'ALREADY_SET_UP'
  | 'AUTH_FAILED'
  | 'LOCKED_OUT'
  | 'NOT_READY'
  | 'WRONG_PASSPHRASE'
  | 'DISK_FULL'
  | 'RESTORE_FAILED'
  /** Allowed by role, refused by scope: a facilitator and another facilitator's group. */
  | 'FORBIDDEN'
  /** The same person to the same agency within a week: asked first, allowed on purpose. */
  | 'RECENT_REFERRAL'
  /** A restriction is in force: the desk asks a manager; only a manager's override signs the person in. */
  | 'RESTRICTED'
  /** Changed on another PC since the form read it (its row version moved on): the screen reloads it. */
  | 'STALE'

/** What a refusal carries beside its message: the field it is about, ids the screen can act on, and its message's placeholders. */
export type ServiceErrorDetail = Readonly<Record<string, unknown>>

/** The detail a key needs: optional when its sentence has no placeholders, else holding every one. */
export type DetailFor<K extends MessageKey> = [ParamName<K>] extends [never]
  ? [detail?: ServiceErrorDetail]
  : [detail: ServiceErrorDetail & Readonly<Record<ParamName<K>, ParamValue>>]

/**
 * An expected refusal, fit to show to the person at the desk. It carries a key of the shared
 * message catalog (shared/messages), never a sentence, so every screen words it in its own
 * language; the compiler refuses a key that is not in the catalog or a missing placeholder.
 * `message` is the English wording, for the command line and the logs.
 */
export class ServiceError<K extends MessageKey = MessageKey> extends Error {
  readonly key: K
  readonly detail?: ServiceErrorDetail
  constructor(
    readonly code: ServiceErrorCode,
    key: K,
    ...[detail]: DetailFor<K>
  ) {
    super(formatMessage('en', key, detail))
    this.name = 'ServiceError'
    this.key = key
    if (detail !== undefined) this.detail = detail
  }

  /** The message as it crosses the IPC bridge. */
  get ref(): MessageRef {
    return this.detail ? { key: this.key, params: this.detail } : { key: this.key }
  }

  /**
   * A refusal raised again on this side of a thread boundary (the worker posts its ServiceError's
   * code and ref): its key was a literal where it was first thrown, and is a catalog key by type.
   */
  static carried(code: ServiceErrorCode, ref: MessageRef): ServiceError {
    return new this(code, ref.key, ...([ref.params] as DetailFor<MessageKey>))
  }
}

export function isoNow(ctx: ServiceContext): string {
  return ctx.now().toISOString()
}

/** The center's calendar date for an instant, YYYY-MM-DD. */
/** Building an Intl formatter costs a fifth of a millisecond; every sign-in needs one. */
const dateFormats = new Map<string | undefined, Intl.DateTimeFormat>()

export function localDate(ctx: ServiceContext, at: Date = ctx.now()): string {
  let format = dateFormats.get(ctx.timeZone)
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dateFormats.set(ctx.timeZone, format)
  }
  return format.format(at)
}

/** An error's code: SQLite's (SQLITE_FULL), the operating system's (ENOSPC), or PostgreSQL's SQLSTATE (pg's DatabaseError). */
function codeOf(error: unknown): unknown {
  return error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined
}

/** PostgreSQL's disk_full: the server's disk, not this computer's. */
const SERVER_DISK_FULL = '53100'

/**
 * A full disk under the records: SQLite's "database or disk is full" (SQLITE_FULL), the operating
 * system's ENOSPC beneath it, or PostgreSQL's disk_full on the server.
 */
export function isDiskFull(error: unknown): boolean {
  const code = codeOf(error)
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === SERVER_DISK_FULL || (error instanceof Error && /database or disk is full|no space left/i.test(error.message))
}

/**
 * The PostgreSQL server went away under a statement: the network (ECONNRESET …), the connection
 * classes of SQLSTATE (08…), the server shutting down or starting (57P01-57P03), or pg's own word
 * for a connection closed mid-query. The transaction did not commit; nothing of it was kept.
 */
export function isConnectionLost(error: unknown): boolean {
  const code = codeOf(error)
  if (typeof code === 'string' && (/^08/.test(code) || ['57P01', '57P02', '57P03', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code))) return true
  return error instanceof Error && /^Connection terminated|Client has encountered a connection error/.test(error.message)
}

/**
 * An edit read at `expected` of a row now at `row.row_version` (migration 0035): refused when another
 * PC saved the row in between. A caller that sends no version (the command line, an import) edits
 * whatever is there.
 */
export function checkRowVersion(row: { row_version: number }, expected: number | undefined): void {
  if (expected !== undefined && row.row_version !== expected) throw new ServiceError('STALE', 'door.changedElsewhere', { version: row.row_version })
}

/** The tables whose rows carry a row version (migrations 0035, 0040 and 0045). */
export type VersionedTable = 'participants' | 'referrals' | 'group_sessions' | 'groups' | 'agencies' | 'staff' | 'centers'

/**
 * Saves `set` on a row read at `row.row_version` (checked against `expected` first) and moves its
 * version on, only if no other PC saved it since the read: the UPDATE's own condition closes the
 * gap between the check and the write, which a check alone would leave open to a lost update.
 * `center` (centers.ts centerId) keeps the write inside the session's center for a table a center owns.
 */
export async function saveVersioned(trx: Trx, table: VersionedTable, row: { id: number; row_version: number }, expected: number | undefined, set: Record<string, unknown>, center?: number): Promise<void> {
  checkRowVersion(row, expected)
  // One statement for six tables: kysely cannot type a column set over a union of tables.
  let update = trx
    .updateTable(table as 'groups')
    .set({ ...set, row_version: row.row_version + 1 } as never)
    .where('id', '=', row.id)
    .where('row_version', '=', row.row_version)
  if (center !== undefined) update = update.where('center_id', '=', center)
  const saved = await update.executeTakeFirst()
  if (Number(saved.numUpdatedRows) !== 1) throw new ServiceError('STALE', 'door.changedElsewhere')
}

/** A unique index as each backend names it when a write breaks it. */
export interface UniqueIndex {
  readonly name: string
  readonly table: string
  readonly columns: readonly string[]
}

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505'

/**
 * Whether a write broke this unique index: PostgreSQL's unique_violation names the index;
 * SQLite's names the table's columns ("UNIQUE constraint failed: visits.participant_id, visits.visit_date").
 */
export function brokeUnique(error: unknown, index: UniqueIndex): boolean {
  const code = codeOf(error)
  if (code === UNIQUE_VIOLATION) return (error as { constraint?: unknown }).constraint === index.name
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' || !(error instanceof Error)) return false
  return error.message.endsWith(`: ${index.columns.map((column) => `${index.table}.${column}`).join(', ')}`)
}

/** What a failure of the storage beneath a use case means to the person at the desk, or null for any other failure. */
export function storageRefusal(error: unknown): ServiceError | null {
  if (codeOf(error) === SERVER_DISK_FULL) return new ServiceError('DISK_FULL', 'door.serverDiskFull')
  if (isDiskFull(error)) return new ServiceError('DISK_FULL', 'door.diskFull')
  if (isConnectionLost(error)) return new ServiceError('NOT_READY', 'door.serverGone')
  return null
}

/**
 * Runs a use case in one transaction: all of it commits, or none of it does. A full disk or a lost
 * server rolls the transaction back like any other failure, and is reported as something a person
 * can act on (DISK_FULL, NOT_READY).
 */
export async function inTransaction<T>(ctx: ServiceContext, work: (trx: Trx) => Promise<T>): Promise<T> {
  try {
    return ctx.request ? await oncePerRequest(ctx, ctx.request, work) : await ctx.db.transaction().execute(work)
  } catch (error) {
    throw storageRefusal(error) ?? error
  }
}

/** How long a write's answer is kept for a retry: far longer than any desk waits for its server. */
const REQUEST_KEPT_MS = 24 * 60 * 60 * 1000

const WRITE_REQUEST_KEY: UniqueIndex = { name: 'write_requests_pkey', table: 'write_requests', columns: ['request_id'] }

/**
 * The write once per request id: the id and the answer are written in the write's own transaction,
 * so either both are there or neither. A retry whose first try committed (its answer lost with the
 * server) finds the id and gets the first answer back; two tries at once (PostgreSQL) meet on the
 * key, and the one that lost reads the other's answer.
 */
async function oncePerRequest<T>(ctx: ServiceContext, request: { id: string; channel: string }, work: (trx: Trx) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const done = await trx.selectFrom('write_requests').select(['channel', 'result']).where('request_id', '=', request.id).executeTakeFirst()
        if (done) {
          // An id is the screen's for one write: the same id on another channel is not a retry.
          if (done.channel !== request.channel) throw new ServiceError('CONFLICT', 'door.requestReused')
          return JSON.parse(done.result) as T
        }
        const value = await work(trx)
        const now = ctx.now()
        await trx.deleteFrom('write_requests').where('created_at', '<', new Date(now.getTime() - REQUEST_KEPT_MS).toISOString()).execute()
        await trx
          .insertInto('write_requests')
          .values({ request_id: request.id, channel: request.channel, staff_id: ctx.staffId, result: JSON.stringify(value ?? null), created_at: now.toISOString() })
          .execute()
        return value
      })
    } catch (error) {
      if (attempt === 0 && brokeUnique(error, WRITE_REQUEST_KEY)) continue
      throw error
    }
  }
}

/** How far the center's clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffset(timeZone: string | undefined, at: Date): number {
  // A shared formatter: a new one per call leaves its ICU data outside V8's heap until a full collection.
  const parts = dateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

/** The instant (ISO UTC) a center's calendar day YYYY-MM-DD starts, for comparing with timestamps. */
export function localDayStart(ctx: ServiceContext, date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const midnightUtc = Date.UTC(year, month - 1, day)
  let at = midnightUtc - zoneOffset(ctx.timeZone, new Date(midnightUtc))
  // Across a daylight-saving change the offset at the guess can differ from the one at midnight.
  const again = midnightUtc - zoneOffset(ctx.timeZone, new Date(at))
  if (again !== at) at = again
  return new Date(at).toISOString()
}

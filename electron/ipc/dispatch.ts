import { z } from 'zod'
import { BackupError } from '../../db/backup'
import { DbError } from '../../db/errors'
import { ServiceError } from '../../db/services/context'
import { isChannelName, type ChannelName } from './channels'
import { withContractClock } from './contract/common'
import { contract, PASSIVE, PERMISSIONS, WHILE_CHANGING_PASSWORD, WHILE_LOCKED, type Access, type ChannelDef, type KioskAccess } from './contract'
import type { CallContext } from './handlers'
import { changesOf } from './changes'
import { handlers } from './handlers'
import type { Envelope, IpcError } from './envelope'
import { english, isMessageKey, message, type MessageRef } from '../../shared/messages'
import { elapsed, log } from '../../db/log'

export type InternalErrorLogger = (channel: string, error: unknown) => void

const defaultLogger: InternalErrorLogger = (channel, error) => log.error('ipc.failed', error, { channel })

/** A call that takes longer than this is written to the log with its channel and milliseconds. */
export const SLOW_CALL_MS = 500

/** A refusal in the log: the channel and the code, never the input (it may hold a person's details). */
function refused(channel: string, envelope: Envelope<never>): Envelope<never> {
  if (!envelope.ok) log.info('ipc.refused', { channel, code: envelope.error.code })
  return envelope
}

function fail(code: IpcError['code'], ref: MessageRef, extra: Partial<IpcError> = {}): Envelope<never> {
  return { ok: false, error: { code, message: english(ref), key: ref.key, ...(ref.params ? { params: ref.params } : {}), ...extra } }
}

/** The field a zod path is about, for "{{field}}: …": its last name, skipping list positions. */
function fieldNameOf(path: readonly PropertyKey[]): string | undefined {
  return path.filter((part): part is string => typeof part === 'string').at(-1)
}

type Bound = number | bigint

/** One zod issue as a catalog message: a refinement's own key, or the built-in check worded with its limits. */
export function problemOf(issue: z.core.$ZodIssue, rawInput: unknown): MessageRef {
  const limits: Record<string, number> = {}
  const bound = (issue as { minimum?: Bound; maximum?: Bound }).minimum ?? (issue as { maximum?: Bound }).maximum
  if (bound !== undefined) limits.count = Number(bound)
  if ('minimum' in issue) limits.min = Number(issue.minimum as Bound)
  if ('maximum' in issue) limits.max = Number(issue.maximum as Bound)
  // Refinements and checks in the contract give a catalog key as their message (see common.ts `says`).
  if (isMessageKey(issue.message)) return { key: issue.message, params: limits }
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum)
      if (issue.origin === 'string') return min <= 1 ? message('input.required') : message('input.textAtLeast', { count: min })
      if (issue.origin === 'array' || issue.origin === 'set') return message('input.listAtLeast', { count: min })
      return message('input.atLeast', { min })
    }
    case 'too_big': {
      const max = Number(issue.maximum)
      if (issue.origin === 'string') return message('input.textAtMost', { count: max })
      if (issue.origin === 'array' || issue.origin === 'set') return message('input.listAtMost', { count: max })
      return message('input.atMost', { max })
    }
    case 'invalid_type': {
      if (valueAt(rawInput, issue.path) === undefined) return message('input.required')
      if (issue.expected === 'int') return message('input.wholeNumber')
      if (issue.expected === 'number') return message('input.number')
      return message('input.wrongType')
    }
    case 'invalid_format': {
      if (issue.format === 'date') return message('input.date')
      if (issue.format === 'datetime') return message('input.dateTime')
      if (issue.format === 'time') return message('input.time')
      return message('input.format')
    }
    case 'invalid_value':
      return message('input.choose')
    case 'unrecognized_keys':
      return message('input.unknownField')
    default:
      return message('input.format')
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined
    value = (value as Record<PropertyKey, unknown>)[part]
  }
  return value
}

/**
 * Turns zod's issues into catalog messages: one per field for forms, and for the whole refusal
 * the first problem with its field's name ("Daily backups to keep: At least 1."), so every
 * screen words them in its own language.
 */
export function describeInvalidInput(error: z.ZodError, rawInput?: unknown): IpcError {
  const fields: Record<string, MessageRef> = {}
  let first: { field: string | undefined; problem: MessageRef } | undefined
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(input)'
    const problem = problemOf(issue, rawInput)
    fields[path] ??= problem
    first ??= { field: fieldNameOf(issue.path), problem }
  }
  const label = first?.field !== undefined ? `field.${first.field}` : undefined
  const ref: MessageRef = !first
    ? message('input.invalid', { problem: message('input.format') })
    : isMessageKey(label)
      ? message('input.invalidField', { field: { key: label }, problem: first.problem })
      : message('input.invalid', { problem: first.problem })
  return { code: 'INVALID_INPUT', message: english(ref), key: ref.key, params: ref.params ?? {}, fields }
}

/** Who may call a channel (PERMISSIONS) and where (the contract's kiosk flag). */
export interface AccessRule {
  access: Access
  kiosk?: KioskAccess
}

export function ruleOf(channel: ChannelName): AccessRule {
  const def: ChannelDef<z.ZodType, unknown> = contract[channel]
  return { access: PERMISSIONS[channel], kiosk: def.kiosk }
}

/**
 * The access check on its own, exported so tests can prove what it refuses. A kiosk screen
 * reaches only channels flagged for the kiosk, whoever set it up; a desk session never reaches
 * kiosk-only channels; a locked window or a pending password change reaches only what the lock
 * or change screen needs; otherwise the signed-in staff member's role must be on the channel's
 * row in PERMISSIONS. `rule` can be given to test the check against another table.
 */
export function allowed(channel: ChannelName, call: CallContext, rule: AccessRule = ruleOf(channel)): Envelope<never> | null {
  const { access, kiosk } = rule
  const session = call.session
  if (session.mode === 'kiosk') {
    if (kiosk === 'only' || kiosk === 'also') return null
    return fail('FORBIDDEN', message('door.kioskMode'))
  }
  if (session.mode !== undefined && session.mode !== 'desk') {
    // A session in a mode this code does not know is refused, never treated as a desk.
    return fail('FORBIDDEN', message('door.forbidden'))
  }
  call.core.refreshSession(session)
  const staff = session.staff
  if (kiosk === 'only') {
    return staff ? fail('FORBIDDEN', message('door.kioskOnly')) : fail('NOT_SIGNED_IN', message('door.signedOut'))
  }
  if (access === 'public') return null
  if (!staff) return fail('NOT_SIGNED_IN', message('door.signedOut'))
  if (session.mustChangePassword && !WHILE_CHANGING_PASSWORD.has(channel)) {
    return fail('PASSWORD_CHANGE_REQUIRED', message('door.passwordChangeRequired'))
  }
  if (session.locked && !WHILE_LOCKED.has(channel)) {
    return fail('SESSION_LOCKED', message('door.locked'))
  }
  if (!access.includes(staff.role)) {
    return fail('FORBIDDEN', message('door.forbidden'))
  }
  return null
}

/**
 * Where the input holds a NUL character (U+0000), if anywhere. PostgreSQL cannot store one in text
 * and SQLite's text functions stop at it; nobody types one, so every channel refuses it here, once,
 * rather than each backend failing in its own way further in.
 */
function pathOfNul(value: unknown, path: Array<string | number> = []): Array<string | number> | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null
  if (value === null || typeof value !== 'object') return null
  for (const [key, item] of Object.entries(value)) {
    const found = pathOfNul(item, [...path, Array.isArray(value) ? Number(key) : key])
    if (found) return found
  }
  return null
}

/**
 * The door: every call from a window or from the test host comes through here. Unknown
 * channel, access (kiosk mode, lock, then role) and input are checked in that order; only then does a
 * use case run. Nothing thrown escapes: every outcome is an envelope.
 */
export async function dispatch(
  channel: unknown,
  rawInput: unknown,
  call: CallContext,
  logInternal: InternalErrorLogger = defaultLogger,
): Promise<Envelope<unknown>> {
  // An unknown name is not written as given: it could be anything a caller typed.
  if (!isChannelName(channel)) return refused('(unknown)', fail('UNKNOWN_CHANNEL', message('door.unknownChannel')))
  const def: ChannelDef<z.ZodType, unknown> = contract[channel]
  const refusal = allowed(channel, call)
  if (refusal) return refused(channel, refusal)
  // Someone is at the keyboard: the idle lock counts from now (timers' calls do not count).
  if (!PASSIVE.has(channel)) {
    const at = call.core.now().getTime()
    call.core.lastCallAt = at
    if (call.session.staff) call.session.lastActivity = at
  }
  // Birth dates and years "not in the future" are checked on the core's clock, in the center's zone.
  const parsed = withContractClock({ now: call.core.now, timeZone: call.core.timeZone }, () => def.input.safeParse(rawInput))
  if (!parsed.success) return refused(channel, { ok: false, error: describeInvalidInput(parsed.error, rawInput) })
  const nul = pathOfNul(parsed.data)
  if (nul) {
    const issue = { code: 'custom', path: nul, message: 'input.noNulCharacter', input: undefined } as const
    return refused(channel, { ok: false, error: describeInvalidInput(new z.ZodError([issue]), rawInput) })
  }
  const started = performance.now()
  try {
    const handler = handlers[channel] as (input: unknown, call: CallContext) => Promise<unknown>
    const value = await handler(parsed.data, call)
    // Committed: this PC's other windows refresh what the call changed (other PCs hear the server).
    call.core.changes.publish(changesOf(channel, parsed.data), { session: call.session })
    return { ok: true, value }
  } catch (error) {
    return errorEnvelope(channel, error, logInternal)
  } finally {
    const ms = elapsed(started)
    if (ms >= SLOW_CALL_MS) log.warn('ipc.slow', { channel, ms })
  }
}

export function errorEnvelope(channel: ChannelName, error: unknown, logInternal: InternalErrorLogger): Envelope<never> {
  if (error instanceof ServiceError) {
    log.info('ipc.refused', { channel, code: error.code })
    const field = typeof error.detail?.field === 'string' ? error.detail.field : undefined
    return fail(error.code, error.ref, {
      ...(field ? { fields: { [field]: error.ref } } : {}),
      ...(error.detail ? { detail: error.detail } : {}),
    })
  }
  if (error instanceof DbError || error instanceof BackupError) {
    log.warn('ipc.failed', { channel, code: error.code })
    return fail(error.code, error.ref)
  }
  logInternal(channel, error)
  return fail('INTERNAL', message('door.internal'))
}

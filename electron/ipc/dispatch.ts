import type { z } from 'zod'
import { BackupError } from '../../db/backup'
import { DbError } from '../../db/errors'
import { ServiceError } from '../../db/services/context'
import { isChannelName, type ChannelName } from './channels'
import { contract, PASSIVE, PERMISSIONS, WHILE_CHANGING_PASSWORD, WHILE_LOCKED, type Access, type ChannelDef, type KioskAccess } from './contract'
import type { CallContext } from './handlers'
import { handlers } from './handlers'
import type { Envelope, IpcError } from './envelope'

export type InternalErrorLogger = (channel: string, error: unknown) => void

const defaultLogger: InternalErrorLogger = (channel, error) => console.error(`[porchlight] ${channel} failed:`, error)

function fail(code: IpcError['code'], message: string, extra: Partial<IpcError> = {}): Envelope<never> {
  return { ok: false, error: { code, message, ...extra } }
}

/** Turns zod's issues into one readable sentence plus a per-field map for forms. */
export function describeInvalidInput(error: z.ZodError): IpcError {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(input)'
    fields[path] ??= issue.message
  }
  const list = Object.entries(fields)
    .slice(0, 5)
    .map(([path, message]) => `${path}: ${message}`)
    .join(' ')
  return { code: 'INVALID_INPUT', message: `Some of what was sent is not valid. ${list}`, fields }
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
    return fail('FORBIDDEN', 'This screen is in self check-in mode. A staff member can unlock it to use the front desk.')
  }
  if (session.mode !== undefined && session.mode !== 'desk') {
    // A session in a mode this code does not know is refused, never treated as a desk.
    return fail('FORBIDDEN', 'Your role does not allow this. Ask a manager or an admin if you need it.')
  }
  call.core.refreshSession(session)
  const staff = session.staff
  if (kiosk === 'only') {
    return staff ? fail('FORBIDDEN', 'That works only on a self check-in screen.') : fail('NOT_SIGNED_IN', 'You are signed out. Sign in again to continue.')
  }
  if (access === 'public') return null
  if (!staff) return fail('NOT_SIGNED_IN', 'You are signed out. Sign in again to continue.')
  if (session.mustChangePassword && !WHILE_CHANGING_PASSWORD.has(channel)) {
    return fail('PASSWORD_CHANGE_REQUIRED', 'Choose your own password first: the one you signed in with was set by an admin.')
  }
  if (session.locked && !WHILE_LOCKED.has(channel)) {
    return fail('SESSION_LOCKED', 'This window locked after a while without use. Type your password to unlock it.')
  }
  if (!access.includes(staff.role)) {
    return fail('FORBIDDEN', 'Your role does not allow this. Ask a manager or an admin if you need it.')
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
  if (!isChannelName(channel)) return fail('UNKNOWN_CHANNEL', 'Porchlight does not know that request.')
  const def: ChannelDef<z.ZodType, unknown> = contract[channel]
  const refusal = allowed(channel, call)
  if (refusal) return refusal
  // Someone is at the keyboard: the idle lock counts from now (timers' calls do not count).
  if (call.session.staff && !PASSIVE.has(channel)) call.session.lastActivity = call.core.now().getTime()
  const parsed = def.input.safeParse(rawInput)
  if (!parsed.success) return { ok: false, error: describeInvalidInput(parsed.error) }
  try {
    const handler = handlers[channel] as (input: unknown, call: CallContext) => Promise<unknown>
    return { ok: true, value: await handler(parsed.data, call) }
  } catch (error) {
    return errorEnvelope(channel, error, logInternal)
  }
}

export function errorEnvelope(channel: ChannelName, error: unknown, logInternal: InternalErrorLogger): Envelope<never> {
  if (error instanceof ServiceError) {
    const field = typeof error.detail?.field === 'string' ? error.detail.field : undefined
    return fail(error.code, error.message, {
      ...(field ? { fields: { [field]: error.message } } : {}),
      ...(error.detail ? { detail: error.detail } : {}),
    })
  }
  if (error instanceof DbError) return fail(error.code, error.message)
  if (error instanceof BackupError) return fail(error.code, error.message)
  logInternal(channel, error)
  return fail('INTERNAL', 'Something went wrong and nothing was saved. Try again; if it keeps happening, tell your admin.')
}

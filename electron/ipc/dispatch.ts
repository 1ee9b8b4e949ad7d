import type { z } from 'zod'
import { BackupError } from '../../db/backup'
import { DbError } from '../../db/errors'
import { ServiceError } from '../../db/services/context'
import { isChannelName, type ChannelName } from './channels'
import { contract, type ChannelDef } from './contract'
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

/**
 * The access check on its own, exported so tests can prove what it refuses. A kiosk screen
 * reaches only channels flagged for the kiosk, whoever set it up; a desk session never reaches
 * kiosk-only channels; otherwise the signed-in staff member's role must be on the channel's list.
 */
export function allowed(def: ChannelDef<z.ZodType, unknown>, call: CallContext): Envelope<never> | null {
  const session = call.session
  if (session.mode === 'kiosk') {
    if (def.kiosk === 'only' || def.kiosk === 'also') return null
    return fail('FORBIDDEN', 'This screen is in self check-in mode. A staff member can unlock it to use the front desk.')
  }
  if (session.mode !== undefined && session.mode !== 'desk') {
    // A session in a mode this code does not know is refused, never treated as a desk.
    return fail('FORBIDDEN', 'Your role does not allow this. Ask a manager or an admin if you need it.')
  }
  const staff = session.staff
  if (def.kiosk === 'only') {
    return staff ? fail('FORBIDDEN', 'That works only on a self check-in screen.') : fail('NOT_SIGNED_IN', 'You are signed out. Sign in again to continue.')
  }
  if (def.access === 'public') return null
  if (!staff) return fail('NOT_SIGNED_IN', 'You are signed out. Sign in again to continue.')
  if (!def.access.includes(staff.role)) {
    return fail('FORBIDDEN', 'Your role does not allow this. Ask a manager or an admin if you need it.')
  }
  return null
}

/**
 * The door: every call from a window or from the test host comes through here. Unknown
 * channel, access (kiosk mode, then role) and input are checked in that order; only then does a
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
  const refusal = allowed(def, call)
  if (refusal) return refusal
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

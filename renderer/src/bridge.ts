import type { PorchlightApi } from '../../electron/ipc/api'
import type { ChannelName } from '../../electron/ipc/channels'
import type { InputOf, ResultOf } from '../../electron/ipc/contract'
import type { Envelope, IpcErrorCode } from '../../electron/ipc/envelope'
import type { MessageKey, MessageParams, MessageRef } from '../../shared/messages'

declare global {
  interface Window {
    /** Set by the preload (or the test host's bridge) before the app's script runs. */
    readonly porchlight: PorchlightApi
    /** app.status, asked by public/early-status.js while the modules load; read once by takeEarlyStatus. */
    porchlightEarlyStatus?: Promise<Envelope<ResultOf<'app.status'>>>
  }
}

/** Codes from main, plus the one the renderer raises itself when there is no bridge at all. */
export type ApiErrorCode = IpcErrorCode | 'NO_BRIDGE'

/**
 * A refusal from main, thrown so react-query sees it as an error and forms can read `fields`.
 * `key` and `params` (and each field's message) are worded in the screen's language by
 * lib/errors.ts; `message` is main's English, for the console.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fields: Readonly<Record<string, MessageRef>> = {},
    readonly detail: Readonly<Record<string, unknown>> = {},
    readonly key?: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export function isApiError(error: unknown, code?: ApiErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code)
}

type LooseApi = Record<string, Record<string, ((input: unknown) => Promise<unknown>) | undefined> | undefined>

/**
 * Calls one channel and unwraps its envelope: the value, or a thrown ApiError. Typed by the
 * contract, so a wrong input or a misspelt channel fails to compile.
 */
export async function invoke<C extends ChannelName>(channel: C, input: InputOf<C>): Promise<ResultOf<C>> {
  const [group, method] = channel.split('.') as [string, string]
  // The typed API is indexed by group and method; a string index needs the loose view.
  const fn = (window.porchlight as unknown as LooseApi | undefined)?.[group]?.[method]
  if (!fn) {
    throw new ApiError('NO_BRIDGE', 'Porchlight cannot reach its records from this window. Close it and start Porchlight again.')
  }
  return unwrap((await fn(input)) as Envelope<ResultOf<C>>)
}

function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value
  const { code, message, fields, detail, key, params } = envelope.error
  throw new ApiError(code, message, fields, detail, key, params)
}

/**
 * The status the page asked for before the app's modules ran (public/early-status.js), the first
 * time only; null after that or when there is none. Its round trip overlapped the modules'
 * loading, so the first screen waits for the later of the two, not both in turn (issue 11).
 */
export function takeEarlyStatus(): Promise<ResultOf<'app.status'>> | null {
  const early = window.porchlightEarlyStatus
  if (!early) return null
  window.porchlightEarlyStatus = undefined
  return early.then(unwrap)
}

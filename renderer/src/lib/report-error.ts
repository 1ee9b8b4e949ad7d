import { invoke } from '../bridge'

/**
 * Sends an error to main's log file through its one narrow channel: the message and the stack,
 * cut to the channel's limits, and nothing else (no screen state, no record). Main redacts what
 * it writes and drops reports past a few a minute. Reporting must never raise an error itself.
 */
export function reportError(error: unknown): void {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000)
  const stack = error instanceof Error && error.stack ? error.stack.slice(0, 8000) : undefined
  invoke('app.logError', stack === undefined ? { message } : { message, stack }).catch(() => {})
}

/** Errors no component caught (an event handler, a stray promise) reach the log too. */
export function reportUncaughtErrors(target: Window): void {
  target.addEventListener('error', (event) => reportError(event.error ?? event.message))
  target.addEventListener('unhandledrejection', (event) => reportError(event.reason))
}

/**
 * Tests never read the machine's clock unless that is what they test: a suite that passes today
 * and fails on New Year's Eve is broken. Every test's "now" starts at a fixed instant and, where
 * time has to pass (timeouts, durations, backups), runs forward on the monotonic clock, which a
 * shifted wall clock (faketime in CI) does not move.
 */
export const TEST_START = '2026-11-25T15:00:00.000Z'

/** A clock that starts at `start` and runs at real speed from there. */
export function runningClock(start: string | Date = TEST_START): () => Date {
  const origin = new Date(start).getTime()
  const began = performance.now()
  return () => new Date(origin + Math.floor(performance.now() - began))
}

/** A host clock the test can move: it runs at real speed from wherever it was last set. */
export function movableClock(start: string) {
  let base = Date.parse(start)
  let since = performance.now()
  return {
    now: () => new Date(base + (performance.now() - since)),
    set(iso: string) {
      base = Date.parse(iso)
      since = performance.now()
    },
  }
}

/**
 * The time options of a PorchlightCore (or a command's io) in a test: a running clock from
 * TEST_START and a named zone, so that nothing falls back on the machine's clock or zone.
 */
export function coreTime(start: string | Date = TEST_START): { now: () => Date; timeZone: string } {
  return { now: runningClock(start), timeZone: 'UTC' }
}

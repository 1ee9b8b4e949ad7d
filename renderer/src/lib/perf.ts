import { useEffect } from 'react'

export { MARKS } from '../../../shared/perf-marks'

/**
 * Performance API marks where a person sees something finished, read by the bench's Chromium
 * run (bench/felt.ts) with a PerformanceObserver. Cheap enough to stay in the app: one animation
 * frame and one task per mark. Each name keeps only its latest mark, so a desk open all day does
 * not pile them up. This one marks `name` once the frame showing the current render is painted.
 */
export function markPainted(name: string, detail?: unknown): void {
  // rAF runs before the paint; a task queued from it runs after the frame is on screen.
  requestAnimationFrame(() =>
    setTimeout(() => {
      performance.clearMarks(name)
      performance.mark(name, { detail })
    }, 0),
  )
}

/** Marks `name` after each paint that shows a new `key`; null: nothing finished to mark. */
export function usePaintedMark(name: string, key: string | null): void {
  useEffect(() => {
    if (key !== null) markPainted(name, key)
  }, [name, key])
}

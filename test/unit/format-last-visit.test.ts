import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

// The renderer's own functions (loaded by path: the renderer's files are outside this project's type check).
const root = join(resolve(import.meta.dirname, '../..'), 'renderer/src/lib')
const { formatLastVisit } = (await import(/* @vite-ignore */ join(root, 'format.ts'))) as {
  formatLastVisit: (iso: string, language: 'en' | 'es', now?: Date) => string
}
const { setCenterZone } = (await import(/* @vite-ignore */ join(root, 'zone.ts'))) as { setCenterZone: (zone: string | undefined) => void }

describe('the search rows’ "last visit"', () => {
  afterEach(() => setCenterZone(undefined))
  const now = new Date('2026-03-10T15:00:00Z')

  it('says today, yesterday or the date, by the center’s calendar', () => {
    setCenterZone('America/New_York')
    expect(formatLastVisit('2026-03-10T13:00:00Z', 'en', now)).toBe('today')
    expect(formatLastVisit('2026-03-09T20:00:00Z', 'en', now)).toBe('yesterday')
    expect(formatLastVisit('2026-03-09T20:00:00Z', 'es', now)).toBe('ayer')
    expect(formatLastVisit('2026-03-01T12:00:00Z', 'en', now)).toBe('Mar 1, 2026')
  })

  it('asked again after the center’s zone changed, answers by the new zone, not from what it kept', () => {
    // 10:00 UTC is 06:00 on the 10th in New York, 23:00 on the 10th in Auckland, where "now" is already the 11th.
    setCenterZone('America/New_York')
    expect(formatLastVisit('2026-03-10T10:00:00Z', 'en', now)).toBe('today')
    setCenterZone('Pacific/Auckland')
    expect(formatLastVisit('2026-03-10T10:00:00Z', 'en', now)).toBe('yesterday')
    expect(formatLastVisit('2026-03-01T12:00:00Z', 'en', now)).toBe('Mar 2, 2026')
  })
})

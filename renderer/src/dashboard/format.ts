import { isSuppressed } from '../../../db/domain'
import type { ResultOf } from '../../../electron/ipc/contract'
import { dateTimeFormat, numberFormat } from '../../../shared/intl'

export type Dashboard = ResultOf<'reports.dashboard'>
export type FunderReport = ResultOf<'reports.funder'>

export function formatNumber(value: number | null, language: string, digits = 0): string {
  if (value === null || !Number.isFinite(value)) return '—'
  return numberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)
}

export function formatShare(value: number | null, language: string): string {
  if (value === null || !Number.isFinite(value)) return '—'
  return numberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(value)
}

/** "+12 %" against the previous period; null when there was nothing before to compare with. */
export function change(current: number, previous: number, language: string): string | null {
  if (previous === 0) return null
  return numberFormat(language, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format((current - previous) / previous)
}

/** A chart bucket's label: a day, the week starting on a Monday, or a month. */
export function bucketLabel(start: string, grain: 'day' | 'week' | 'month', language: string): string {
  const date = new Date(`${start}T00:00:00Z`)
  const options: Intl.DateTimeFormatOptions =
    grain === 'month' ? { month: 'short', year: 'numeric', timeZone: 'UTC' } : { month: 'short', day: 'numeric', timeZone: 'UTC' }
  return dateTimeFormat(language, options).format(date)
}

/** Counts from 1 to `threshold` as "<threshold+1"; zero and larger counts as they are. */
export function suppressCount(value: number, threshold: number | null, language: string): string {
  return isSuppressed(value, threshold) ? `<${threshold! + 1}` : formatNumber(value, language)
}

/** Literal colors: a PNG copy of a chart cannot read the page's CSS variables. */
export const COLORS = { current: '#1971c2', previous: '#adb5bd', accent: '#2f9e44', grid: '#dee2e6' } as const

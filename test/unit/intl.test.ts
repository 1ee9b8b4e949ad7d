import { describe, expect, it } from 'vitest'
import { dateTimeFormat, listFormat, numberFormat, relativeTimeFormat } from '../../shared/intl'

describe('shared Intl formatters', () => {
  it('builds one formatter per locale and options, and formats as a new one would', () => {
    const at = new Date('2026-11-24T18:30:00Z')
    const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'America/Chicago' }
    expect(dateTimeFormat('en', { ...options })).toBe(dateTimeFormat('en', options))
    expect(dateTimeFormat('es', options)).not.toBe(dateTimeFormat('en', options))
    expect(dateTimeFormat('en', { ...options, timeZone: 'UTC' })).not.toBe(dateTimeFormat('en', options))
    expect(dateTimeFormat('en', options).format(at)).toBe(new Intl.DateTimeFormat('en', options).format(at))
    expect(numberFormat('es', { style: 'percent' }).format(0.5)).toBe(new Intl.NumberFormat('es', { style: 'percent' }).format(0.5))
    expect(relativeTimeFormat('en', { numeric: 'auto' }).format(-1, 'day')).toBe('yesterday')
    expect(listFormat('en', { type: 'conjunction' }).format(['a', 'b'])).toBe('a and b')
  })
})

import { zonedDay, zonedInstantOf, zonedTime } from '../lib/zone'

/** An instant as a datetime-local field's value on the center's clock: "2026-11-25T10:00". */
export function toLocalField(at: Date): string {
  return `${zonedDay(at)}T${zonedTime(at)}`
}

/** A datetime-local value on the center's clock back to an ISO instant; null for an incomplete field. */
export function fromLocalField(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value)
  return match ? zonedInstantOf(match[1]!, match[2]!).toISOString() : null
}

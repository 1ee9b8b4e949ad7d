import type { TodayVisit } from '../lib/types'

/** A board's filter, as its query key holds it (visits.today's input). */
export interface BoardFilter {
  status?: 'here' | 'left' | 'all'
  serviceId?: number | null
}

/** Whether main's board for this filter lists the visit (voided visits are never listed). */
function listed(visit: TodayVisit, filter: BoardFilter): boolean {
  if (filter.status === 'here' && visit.signedOutAt !== null) return false
  if (filter.status === 'left' && visit.signedOutAt === null) return false
  return !filter.serviceId || visit.services.some((line) => line.serviceId === filter.serviceId)
}

/** Main's order: newest sign-in first, then the higher id. */
const newerFirst = (a: TodayVisit, b: TodayVisit) => (a.signedInAt === b.signedInAt ? b.id - a.id : a.signedInAt < b.signedInAt ? 1 : -1)

/**
 * The board on screen with one visit as main just answered it (a sign-in or a sign-out): in
 * its place if the filter lists it, gone if it no longer does. The desk shows it at once instead
 * of waiting for the day's thousand visits to be read again; they are read behind it. The other
 * visits keep their objects, so their memoized rows do not render again.
 */
export function boardWithVisit(board: readonly TodayVisit[], visit: TodayVisit, filter: BoardFilter): TodayVisit[] {
  const others = board.filter((shown) => shown.id !== visit.id)
  if (!listed(visit, filter)) return others
  const at = others.findIndex((shown) => newerFirst(visit, shown) < 0)
  return at < 0 ? [...others, visit] : [...others.slice(0, at), visit, ...others.slice(at)]
}


import { createContext, useContext, useEffect, type RefObject } from 'react'

/**
 * Where the person reporting an incident is working, when a screen knows: a group session's room
 * and times. The report dialog starts from it (the room as "Where", and the time when the session
 * is already over); everything stays editable.
 */
export interface IncidentPlace {
  /** The screen's own words for it, shown in the dialog: the group's name. */
  from: string
  location: string
  startsAt: string
  endsAt: string
}

/**
 * Held in a ref, not state: a screen says where it is while it is shown, and the dialog reads it
 * only when it opens (Alt+I or the navigation's button), so nothing re-renders meanwhile.
 */
export const IncidentPlaceContext = createContext<RefObject<IncidentPlace | null> | null>(null)

/** While the calling screen is shown, an incident report starts from this place. */
export function useIncidentPlace(place: IncidentPlace | null): void {
  const placeRef = useContext(IncidentPlaceContext)
  const { from, location, startsAt, endsAt } = place ?? { from: '', location: '', startsAt: '', endsAt: '' }
  const known = place !== null
  useEffect(() => {
    if (!placeRef || !known) return
    const here: IncidentPlace = { from, location, startsAt, endsAt }
    placeRef.current = here
    return () => {
      if (placeRef.current === here) placeRef.current = null
    }
  }, [placeRef, known, from, location, startsAt, endsAt])
}

/**
 * The time a report from a session starts with: now while the session runs or before it starts
 * (the incident is happening as the facilitator writes), the session's start once it is over
 * (written up afterwards, it happened during the group). Either way the field can be changed.
 */
export function placeTime(place: IncidentPlace | null, now: Date): { at: Date; fromSession: boolean } {
  if (!place) return { at: now, fromSession: false }
  const ends = new Date(place.endsAt)
  if (Number.isNaN(ends.getTime()) || now.getTime() <= ends.getTime()) return { at: now, fromSession: false }
  return { at: new Date(place.startsAt), fromSession: true }
}

/** A session's room with its group's name, as the report's "Where" (120 characters at most). */
export function sessionLocation(groupName: string, room: string | null): string {
  return (room ? `${room} · ${groupName}` : groupName).slice(0, 120)
}

import { createContext, useContext } from 'react'
import type { Staff } from '../lib/types'

/** Opens a participant's profile from anywhere in the staff screens (search, today's board, the list). */
export const OpenProfileContext = createContext<(id: number) => void>(() => {})

export function useOpenProfile(): (id: number) => void {
  return useContext(OpenProfileContext)
}

/** Who is signed in at this desk: some actions (merging records) depend on the role. Main checks it again. */
export const CurrentStaffContext = createContext<Staff | null>(null)

export function useCurrentStaff(): Staff | null {
  return useContext(CurrentStaffContext)
}

const MERGE_ROLES: readonly Staff['role'][] = ['peer_specialist', 'manager', 'admin']

export function canMerge(staff: Staff | null): boolean {
  return staff !== null && MERGE_ROLES.includes(staff.role)
}

import { createContext, useContext } from 'react'
import type { ChannelName } from '../../../electron/ipc/channels'
import { roleMay } from '../../../electron/ipc/permissions'
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

/** Whether to offer an action: read from main's own permission table, which main checks again on the call. */
export function may(staff: Staff | null, channel: ChannelName): boolean {
  return staff !== null && roleMay(staff.role, channel)
}

export function useMay(channel: ChannelName): boolean {
  return may(useCurrentStaff(), channel)
}

export function canMerge(staff: Staff | null): boolean {
  return may(staff, 'participants.merge')
}

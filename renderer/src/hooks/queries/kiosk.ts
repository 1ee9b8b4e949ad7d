import { useMutation, useQueryClient } from '@tanstack/react-query'
import { notifications } from '@mantine/notifications'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'
import { dropCachedRecords } from './common'

/** Kiosk mode: every cached record is dropped first, so nothing a staff member saw can surface there. */
export function useEnterKiosk() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => invoke('kiosk.enter', {}),
    onSuccess: () => {
      // Nothing from the desk may stay on screen, not even a "signed in" toast.
      notifications.clean()
      return dropCachedRecords(client)
    },
  })
}

export function useKioskExit() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'kiosk.exit'>) => invoke('kiosk.exit', input),
    onSuccess: () => dropCachedRecords(client),
  })
}

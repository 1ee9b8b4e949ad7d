import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'
import { useRequestId } from '../request-id'

/** Every incident query sits under one key: a save refreshes the list, the open report and the figures. */
const KEY = ['incidents'] as const

export function useIncidents(open: boolean) {
  return useQuery({ queryKey: [...KEY, 'list', open], queryFn: () => invoke('incidents.list', open ? { open: true } : {}) })
}

export function useIncident(id: number | null) {
  return useQuery({ queryKey: [...KEY, 'one', id], queryFn: () => invoke('incidents.get', { id: id! }), enabled: id !== null })
}

function useIncidentChange<Input, Result>(call: (input: Input) => Promise<Result>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: call,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: KEY })
      await client.invalidateQueries({ queryKey: ['reports'] })
    },
  })
}

/** Reported once however often it is retried: the same request id until one try went through. */
export function useStartIncident() {
  const request = useRequestId()
  return useIncidentChange((input: Omit<InputOf<'incidents.start'>, 'requestId'>) =>
    invoke('incidents.start', { ...input, requestId: request.current() }).then((made) => {
      request.done()
      return made
    }),
  )
}
export const useUpdateIncident = () => useIncidentChange((input: InputOf<'incidents.update'>) => invoke('incidents.update', input))
export const useCloseIncident = () => useIncidentChange((input: InputOf<'incidents.close'>) => invoke('incidents.close', input))

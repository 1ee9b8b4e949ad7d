import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ChannelName } from '../../../../electron/ipc/channels'
import type { InputOf, ResultOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'
import { useRequestId } from '../request-id'

/** Every coaching read sits under this key: a write refreshes the profile's record and the caseloads together. */
const ROOT = ['coaching'] as const

export function useCoachingRecord(participantId: number) {
  return useQuery({ queryKey: [...ROOT, 'record', participantId], queryFn: () => invoke('coaching.get', { participantId }) })
}

export function useCoachOf(participantId: number, enabled: boolean) {
  return useQuery({ queryKey: [...ROOT, 'coachOf', participantId], queryFn: () => invoke('coaching.coachOf', { participantId }), enabled })
}

export function useCaseload(coachId: number | undefined) {
  return useQuery({ queryKey: [...ROOT, 'caseload', coachId ?? 'all'], queryFn: () => invoke('coaching.caseload', coachId === undefined ? {} : { coachId }) })
}

export function useCoaches() {
  return useQuery({ queryKey: [...ROOT, 'coaches'], queryFn: () => invoke('coaching.coaches', {}), staleTime: 60_000 })
}

export function useCoachingSettings() {
  return useQuery({ queryKey: [...ROOT, 'settings'], queryFn: () => invoke('coaching.settings', {}), staleTime: 60_000 })
}

/** A coaching write; on success every coaching read is fetched again. */
export function useCoachingWrite<C extends ChannelName & `coaching.${string}`>(channel: C) {
  const client = useQueryClient()
  return useMutation<ResultOf<C>, Error, InputOf<C>>({
    mutationFn: (input) => invoke(channel, input),
    onSuccess: () => client.invalidateQueries({ queryKey: ROOT }),
  })
}

/** A contact logged once however often it is retried: the same request id until one try went through. */
export function useLogContact() {
  const client = useQueryClient()
  const request = useRequestId()
  return useMutation<ResultOf<'coaching.logContact'>, Error, Omit<InputOf<'coaching.logContact'>, 'requestId'>>({
    mutationFn: (input) => invoke('coaching.logContact', { ...input, requestId: request.current() }),
    onSuccess: () => {
      request.done()
      return client.invalidateQueries({ queryKey: ROOT })
    },
  })
}

export function useWarmlineCalls() {
  return useQuery({ queryKey: [...ROOT, 'warmline'], queryFn: () => invoke('coaching.warmline', {}) })
}

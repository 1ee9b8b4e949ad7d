import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'

/** Everything about one person's safety at the door is refreshed together: notice, flags, restrictions. */
const key = (participantId: number) => ['safety', participantId] as const

export function useCheckInNotice(participantId: number | null) {
  return useQuery({
    queryKey: [...key(participantId ?? 0), 'notice'],
    queryFn: () => invoke('safety.checkIn', { participantId: participantId! }),
    enabled: participantId !== null,
  })
}

export function useCareFlags(participantId: number) {
  return useQuery({ queryKey: [...key(participantId), 'flags'], queryFn: () => invoke('careFlags.list', { participantId }) })
}

export function useRestrictions(participantId: number, enabled: boolean) {
  return useQuery({ queryKey: [...key(participantId), 'restrictions'], queryFn: () => invoke('restrictions.list', { participantId }), enabled })
}

function useSafetyChange<Input, Result>(participantId: number, call: (input: Input) => Promise<Result>) {
  const client = useQueryClient()
  return useMutation({ mutationFn: call, onSuccess: () => client.invalidateQueries({ queryKey: key(participantId) }) })
}

export const useAddCareFlag = (participantId: number) => useSafetyChange(participantId, (input: InputOf<'careFlags.add'>) => invoke('careFlags.add', input))
export const useRemoveCareFlag = (participantId: number) => useSafetyChange(participantId, (input: InputOf<'careFlags.remove'>) => invoke('careFlags.remove', input))
export const useCreateRestriction = (participantId: number) =>
  useSafetyChange(participantId, (input: InputOf<'restrictions.create'>) => invoke('restrictions.create', input))
export const useLiftRestriction = (participantId: number) => useSafetyChange(participantId, (input: InputOf<'restrictions.lift'>) => invoke('restrictions.lift', input))

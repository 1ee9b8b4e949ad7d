import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'

const key = (participantId: number) => ['assessments', participantId] as const

export function useAssessments(participantId: number) {
  return useQuery({ queryKey: key(participantId), queryFn: () => invoke('assessments.list', { participantId }) })
}

export function useCreateAssessment() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'assessments.create'>) => invoke('assessments.create', input),
    onSuccess: (made) => client.invalidateQueries({ queryKey: key(made.participantId) }),
  })
}

export function useVoidAssessment() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'assessments.void'>) => invoke('assessments.void', input),
    onSuccess: (voided) => client.invalidateQueries({ queryKey: key(voided.participantId) }),
  })
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'
import { useRequestId } from '../request-id'

const key = (participantId: number) => ['assessments', participantId] as const

export function useAssessments(participantId: number) {
  return useQuery({ queryKey: key(participantId), queryFn: () => invoke('assessments.list', { participantId }) })
}

/** Recorded once however often it is retried: the same request id until one try went through. */
export function useCreateAssessment() {
  const client = useQueryClient()
  const request = useRequestId()
  return useMutation({
    mutationFn: (input: Omit<InputOf<'assessments.create'>, 'requestId'>) =>
      invoke('assessments.create', { ...input, requestId: request.current() }).then((made) => {
        request.done()
        return made
      }),
    // The coaching record shows the latest total beside the plan, and the contact a BARC-10 was taken at.
    onSuccess: (made) => Promise.all([client.invalidateQueries({ queryKey: key(made.participantId) }), client.invalidateQueries({ queryKey: ['coaching'] })]),
  })
}

export function useVoidAssessment() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'assessments.void'>) => invoke('assessments.void', input),
    onSuccess: (voided) => Promise.all([client.invalidateQueries({ queryKey: key(voided.participantId) }), client.invalidateQueries({ queryKey: ['coaching'] })]),
  })
}

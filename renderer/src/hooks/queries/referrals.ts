import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke, isApiError } from '../../bridge'
import { useLivePoll } from '../live'
import { useRequestId } from '../request-id'

export type ReferralListFilter = InputOf<'referrals.list'>['filter']

export const REFERRAL_PAGE = 50

/** Referrals, consents and agencies, cached under their own keys so one change refreshes them all. */
export const referralKeys = {
  all: ['referrals'] as const,
  page: (filter: ReferralListFilter, offset: number) => ['referrals', 'list', filter, offset] as const,
  one: (id: number) => ['referrals', 'one', id] as const,
  consents: (participantId: number) => ['referrals', 'consents', participantId] as const,
  agencies: (includeInactive: boolean) => ['referrals', 'agencies', includeInactive] as const,
}

export function useReferralPage(filter: ReferralListFilter, offset: number, enabled = true) {
  return useQuery({
    queryKey: referralKeys.page(filter, offset),
    queryFn: () => invoke('referrals.list', { filter, offset, limit: REFERRAL_PAGE }),
    placeholderData: keepPreviousData,
    enabled,
    // Pushed by the change feed; polled while it is lost.
    refetchInterval: useLivePoll(),
  })
}

export function useReferral(id: number | null) {
  return useQuery({ queryKey: referralKeys.one(id ?? 0), queryFn: () => invoke('referrals.get', { id: id! }), enabled: id !== null })
}

export function useConsents(participantId: number | null) {
  return useQuery({
    queryKey: referralKeys.consents(participantId ?? 0),
    queryFn: () => invoke('consents.list', { participantId: participantId! }),
    enabled: participantId !== null,
  })
}

export function useAgencies(includeInactive = false, enabled = true) {
  return useQuery({ queryKey: referralKeys.agencies(includeInactive), queryFn: () => invoke('agencies.list', { includeInactive }), staleTime: 60_000, enabled })
}

/** Every write here can change lists, counts, a referral's consent state: refresh the lot. */
export function useReferralMutation<I, R>(run: (input: I) => Promise<R>) {
  const client = useQueryClient()
  const refresh = () => client.invalidateQueries({ queryKey: referralKeys.all })
  // Refused as changed on another PC: read the new version, which the screen then shows.
  return useMutation({ mutationFn: run, onSuccess: refresh, onError: (error) => (isApiError(error, 'STALE') ? refresh() : undefined) })
}

/** Made once however often it is retried: the same request id until one try went through. */
export function useCreateReferral() {
  const request = useRequestId()
  return useReferralMutation((input: Omit<InputOf<'referrals.create'>, 'requestId'>) =>
    invoke('referrals.create', { ...input, requestId: request.current() }).then((made) => {
      request.done()
      return made
    }),
  )
}
export const useUpdateReferral = () => useReferralMutation((input: InputOf<'referrals.update'>) => invoke('referrals.update', input))
/** Recorded once however often it is retried: the same request id until one try went through. */
export function useCreateConsent() {
  const request = useRequestId()
  return useReferralMutation((input: Omit<InputOf<'consents.create'>, 'requestId'>) =>
    invoke('consents.create', { ...input, requestId: request.current() }).then((made) => {
      request.done()
      return made
    }),
  )
}
export const useRevokeConsent = () => useReferralMutation((input: InputOf<'consents.revoke'>) => invoke('consents.revoke', input))
export const useSaveAgency = () => useReferralMutation((input: InputOf<'agencies.save'>) => invoke('agencies.save', input))
export const useSetAgencyActive = () => useReferralMutation((input: InputOf<'agencies.setActive'>) => invoke('agencies.setActive', input))

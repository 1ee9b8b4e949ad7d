import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'
import { keys, refreshPeopleAndVisits } from './common'
import { useLivePoll } from '../live'

export type TodayStatus = 'here' | 'left' | 'all'
export type VisitEdit = InputOf<'visits.update'>

/** Under keys.visits, so that a sign-in or an edit refreshes the board and the codes together. */
export const visitKeys = {
  today: [...keys.visits, 'today'] as const,
  todayFiltered: (status: TodayStatus, serviceId: number | null) => [...keys.visits, 'today', status, serviceId] as const,
  anonymousCodes: (prefix: string) => [...keys.visits, 'anonymousCodes', prefix] as const,
  // Under the catalog's key: a change to the catalog refreshes the desk's list to pick from.
  services: ['catalog', 'services'] as const,
}

export function useServices() {
  return useQuery({ queryKey: visitKeys.services, queryFn: () => invoke('catalog.services', {}), staleTime: 5 * 60_000 })
}

export function useTodayVisits() {
  return useQuery({
    queryKey: visitKeys.today,
    queryFn: () => invoke('visits.today', {}),
    // The change of day; other desks' sign-ins arrive through the change feed, or every few seconds while it is lost.
    refetchInterval: useLivePoll(60_000),
  })
}

export function useSignIn() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'visits.signIn'>) => invoke('visits.signIn', input),
    // Today's board and the codes' counts, and "last visit" in the search results and the list.
    onSuccess: () => refreshPeopleAndVisits(client),
  })
}

export function useAnonymousCodes(prefix: string) {
  return useQuery({
    queryKey: visitKeys.anonymousCodes(prefix),
    queryFn: () => invoke('visits.anonymousCodes', { prefix }),
    enabled: prefix.length > 0,
    staleTime: 10_000,
  })
}

export function useTodayBoard(status: TodayStatus, serviceId: number | null) {
  return useQuery({
    queryKey: visitKeys.todayFiltered(status, serviceId),
    queryFn: () => invoke('visits.today', { status, ...(serviceId ? { serviceId } : {}) }),
    placeholderData: keepPreviousData,
    refetchInterval: useLivePoll(60_000),
  })
}

export function useSignOut() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (visitId: number) => invoke('visits.signOut', { visitId }),
    onSuccess: () => refreshPeopleAndVisits(client),
  })
}

export function useSignOutAll() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (at: string | undefined) => invoke('visits.signOutAll', at ? { at } : {}),
    onSuccess: () => refreshPeopleAndVisits(client),
  })
}

export function useUpdateVisit() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: VisitEdit) => invoke('visits.update', input),
    onSuccess: () => refreshPeopleAndVisits(client),
  })
}

export function useVoidVisit() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'visits.void'>) => invoke('visits.void', input),
    onSuccess: () => refreshPeopleAndVisits(client),
  })
}

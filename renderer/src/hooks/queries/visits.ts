import { defaultScheduler, keepPreviousData, notifyManager, queryOptions, useMutation, useQuery, useQueryClient, type Query, type QueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'
import type { TodayVisit } from '../../lib/types'
import { boardWithVisit, type BoardFilter } from '../../visits/board-with-visit'
import { keys, refreshPeopleAndVisits, REFRESHES_PEOPLE_AND_VISITS } from './common'
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

/**
 * Puts a visit main just answered with into every cached board, each by its own filter, then has
 * the rest read again behind it without waiting for that: the desk sees the person on the board,
 * and its form is free, as soon as main has answered. A sign-in is always today's; another change
 * is folded in only where today's whole board already lists the visit (a sign-out from an earlier
 * day must not show on today's board, even for the moment before the re-read).
 *
 * A board at rest with the visit folded in is main's board (boardWithVisit, checked against main's
 * own read in front-desk-visits.test.ts), so it is not read again: a day's thousand visits read,
 * sent and compared after every sign-in cost the desk's next frames and main's time. A board read
 * under way may have begun before main had the visit: it is cancelled and read again, so it never
 * lands over the fold. Other PCs' changes arrive through the change feed, as ever.
 */
export function showOnBoards(client: QueryClient, visit: TodayVisit, signedIn: boolean): void {
  const folded = new Set<Query>()
  const today = client.getQueryData<TodayVisit[]>(visitKeys.todayFiltered('all', null))
  if (signedIn || today?.some((shown) => shown.id === visit.id)) {
    // The boards' screens are told in this task, with the panel's close, not a task later (the
    // query cache's default): one render and one frame show the person on the board.
    notifyManager.setScheduler((notify) => queueMicrotask(notify))
    try {
      for (const query of client.getQueryCache().findAll({ queryKey: visitKeys.today })) {
        const board = query.state.data as TodayVisit[] | undefined
        if (!board) continue
        // visitKeys.today is the whole day; visitKeys.todayFiltered adds the status and the service.
        const key = query.queryKey
        const filter: BoardFilter = { status: (key[2] as TodayStatus | undefined) ?? 'all', serviceId: (key[3] as number | null | undefined) ?? null }
        client.setQueryData<TodayVisit[]>(key, boardWithVisit(board, visit, filter))
        if (query.state.fetchStatus === 'idle') folded.add(query)
      }
    } finally {
      notifyManager.setScheduler(defaultScheduler)
    }
  }
  void Promise.all([
    client.invalidateQueries({ queryKey: keys.visits, predicate: (query) => !folded.has(query) }),
    client.invalidateQueries({ queryKey: keys.participants }),
  ])
}

export function useSignIn() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'visits.signIn'>) => invoke('visits.signIn', input),
    // Today's board at once; then the codes' counts, and "last visit" in the search results and the list.
    onSuccess: (visit) => showOnBoards(client, visit, true),
    meta: REFRESHES_PEOPLE_AND_VISITS,
  })
}

/** Shared by the hooks and by the desk's Enter pressed before the codes' answer came. */
export function anonymousCodesQuery(prefix: string) {
  return queryOptions({
    queryKey: visitKeys.anonymousCodes(prefix),
    queryFn: () => invoke('visits.anonymousCodes', { prefix }),
    enabled: prefix.length > 0,
    staleTime: 10_000,
  })
}

export function useAnonymousCodes(prefix: string) {
  return useQuery(anonymousCodesQuery(prefix))
}

/**
 * The desk search's codes: data stays undefined while no code matches (most answers, since any
 * word of two letters or more is asked about), so the search, which reads data alone, does not
 * render again for each keystroke's empty answer. Asked for only once `ready` (the search has its
 * answer): main serves one call at a time, and a codes call sent beside the search's held up the
 * answer the desk is waiting for.
 */
export function useMatchingCodes(prefix: string, ready: boolean) {
  const query = anonymousCodesQuery(prefix)
  return useQuery({ ...query, enabled: ready && query.enabled, select: (codes) => (codes.length > 0 ? codes : undefined) })
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
    onSuccess: (visit) => showOnBoards(client, visit, false),
    meta: REFRESHES_PEOPLE_AND_VISITS,
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

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'

/** Every piece of server data the renderer caches, by one key each. */
export const keys = {
  status: ['status'] as const,
  services: ['catalog', 'services'] as const,
  searchAll: ['participants', 'search'] as const,
  search: (text: string) => ['participants', 'search', text] as const,
  today: ['visits', 'today'] as const,
}

export function useStatus() {
  return useQuery({
    queryKey: keys.status,
    queryFn: () => invoke('app.status', {}),
    // Cheap, and the phase can change behind our back (idle lock, another window signing out).
    refetchOnWindowFocus: true,
  })
}

export function useServices() {
  return useQuery({ queryKey: keys.services, queryFn: () => invoke('catalog.services', {}), staleTime: 5 * 60_000 })
}

export const SEARCH_LIMIT = 20

/** The search query itself, shared by the hook and by Enter pressed before the answer came. */
export function searchQuery(text: string) {
  const trimmed = text.trim()
  return queryOptions({
    queryKey: keys.search(trimmed),
    queryFn: () => invoke('participants.search', { text: trimmed, limit: SEARCH_LIMIT }),
    staleTime: 10_000,
  })
}

export function useParticipantSearch(text: string) {
  const trimmed = text.trim()
  return useQuery({
    ...searchQuery(trimmed),
    enabled: trimmed.length > 0,
    // Keep the last list on screen while the next keystroke's answer is on its way: no flicker.
    placeholderData: keepPreviousData,
  })
}

export function useTodayVisits() {
  return useQuery({
    queryKey: keys.today,
    queryFn: () => invoke('visits.today', {}),
    // Picks up visits signed in at another desk and the change of day.
    refetchInterval: 60_000,
  })
}

export function useSignIn() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'visits.signIn'>) => invoke('visits.signIn', input),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.today }),
        // "Last visit" in the search results has just changed.
        client.invalidateQueries({ queryKey: keys.searchAll }),
      ])
    },
  })
}

export function useCreateParticipant() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'participants.create'>) => invoke('participants.create', input),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.searchAll }),
  })
}

export function useLogin() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'auth.login'>) => invoke('auth.login', input),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.status }),
  })
}

export function useLogout() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => invoke('auth.logout', {}),
    // Whatever happened, drop every cached record: the next person at this screen must not see them.
    onSettled: async () => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.status[0] })
      await client.invalidateQueries({ queryKey: keys.status })
    },
  })
}

export function useUnlock() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (passphrase: string) => invoke('app.unlock', { passphrase }),
    onSuccess: (status) => client.setQueryData(keys.status, status),
  })
}

export function useSetup() {
  // Status is deliberately not refreshed here: the recovery key screen must come first.
  return useMutation({ mutationFn: (input: InputOf<'setup.create'>) => invoke('setup.create', input) })
}

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke, isApiError } from '../../bridge'
import type { FieldRules } from '../../lib/types'
import { keys, refreshPeopleAndVisits } from './common'

export type DuplicateInput = InputOf<'participants.checkDuplicates'>
type ListInput = InputOf<'participants.list'>
export type ListSort = NonNullable<ListInput['sort']>
export type ListFilter = NonNullable<ListInput['filter']>

/** Under keys.participants, so that any change to a person or a visit refreshes them all. */
export const participantKeys = {
  search: (text: string) => [...keys.participants, 'search', text] as const,
  profile: (id: number) => [...keys.participants, 'profile', id] as const,
  duplicates: (input: DuplicateInput) => [...keys.participants, 'duplicates', input] as const,
  listPage: (sort: ListSort, filter: ListFilter, page: number) => [...keys.participants, 'list', sort, filter, page] as const,
  fieldRules: ['settings', 'fieldRules'] as const,
}

export const SEARCH_LIMIT = 20

/** The search query itself, shared by the hook and by Enter pressed before the answer came. */
export function searchQuery(text: string) {
  const trimmed = text.trim()
  return queryOptions({
    queryKey: participantKeys.search(trimmed),
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

export function useCreateParticipant() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'participants.create'>) => invoke('participants.create', input),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.participants }),
  })
}

export function useFieldRules() {
  return useQuery({ queryKey: participantKeys.fieldRules, queryFn: () => invoke('settings.fieldRules', {}), staleTime: 60_000 })
}

export function useSetFieldRules() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (rules: FieldRules) => invoke('settings.setFieldRules', { rules }),
    onSuccess: () => client.invalidateQueries({ queryKey: participantKeys.fieldRules }),
  })
}

export function useDuplicates(input: DuplicateInput | null) {
  return useQuery({
    queryKey: participantKeys.duplicates(input ?? {}),
    queryFn: () => invoke('participants.checkDuplicates', input ?? {}),
    enabled: input !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  })
}

export function useProfile(id: number | null) {
  return useQuery({
    queryKey: participantKeys.profile(id ?? 0),
    queryFn: () => invoke('participants.get', { id: id ?? 0 }),
    enabled: id !== null,
  })
}

export function useUpdateParticipant() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'participants.update'>) => invoke('participants.update', input),
    onSuccess: () => refreshPeopleAndVisits(client),
    // Changed on another PC since the form read it: read the new version, which the form then shows.
    onError: (error) => (isApiError(error, 'STALE') ? refreshPeopleAndVisits(client) : undefined),
  })
}

export function useMerge() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'participants.merge'>) => invoke('participants.merge', input),
    onSuccess: () => refreshPeopleAndVisits(client),
    // Either record changed on another PC since the dialog showed it: read both again, which it then compares.
    onError: (error) => (isApiError(error, 'STALE') ? refreshPeopleAndVisits(client) : undefined),
  })
}

export function useUndoMerge() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (mergeId: number) => invoke('participants.undoMerge', { mergeId }),
    onSuccess: () => refreshPeopleAndVisits(client),
  })
}

export const LIST_PAGE = 100

export function listPageQuery(sort: ListSort, filter: ListFilter, page: number) {
  return queryOptions({
    queryKey: participantKeys.listPage(sort, filter, page),
    queryFn: () => invoke('participants.list', { offset: page * LIST_PAGE, limit: LIST_PAGE, sort, filter }),
    staleTime: 30_000,
  })
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf, ResultOf } from '../../../../electron/ipc/contract'
import { invoke, isApiError } from '../../bridge'
import { sheetWithMark } from '../../groups/sheet-with-mark'
import { useLivePoll } from '../live'

/** Groups, sessions, attendance and closures, under one root key: any write refreshes them all. */
export const groupKeys = {
  all: ['groups'] as const,
  list: (archived: boolean) => ['groups', 'list', archived] as const,
  one: (id: number) => ['groups', 'one', id] as const,
  staff: ['groups', 'staff'] as const,
  today: ['groups', 'today'] as const,
  week: (from: string) => ['groups', 'week', from] as const,
  sheet: (sessionId: number) => ['groups', 'sheet', sessionId] as const,
  closures: ['groups', 'closures'] as const,
  preview: (date: string) => ['groups', 'closurePreview', date] as const,
  person: (participantId: number) => ['groups', 'person', participantId] as const,
}

export const useGroups = (archived = false) => useQuery({ queryKey: groupKeys.list(archived), queryFn: () => invoke('groups.list', { archived }) })
export const useGroup = (id: number | null) => useQuery({ queryKey: groupKeys.one(id ?? 0), queryFn: () => invoke('groups.get', { id: id! }), enabled: id !== null })
export const useGroupStaff = (enabled = true) => useQuery({ queryKey: groupKeys.staff, queryFn: () => invoke('groups.staff', {}), staleTime: 60_000, enabled })
export const useTodaySessions = (enabled = true) => useQuery({ queryKey: groupKeys.today, queryFn: () => invoke('sessions.today', {}), enabled })
export const useWeek = (from: string) => useQuery({ queryKey: groupKeys.week(from), queryFn: () => invoke('sessions.week', { from }) })
export function useSheet(sessionId: number | null) {
  // Marks from another PC are pushed by the change feed; polled while it is lost.
  const refetchInterval = useLivePoll()
  return useQuery({ queryKey: groupKeys.sheet(sessionId ?? 0), queryFn: () => invoke('sessions.sheet', { sessionId: sessionId! }), enabled: sessionId !== null, refetchInterval })
}
export const useClosures = () => useQuery({ queryKey: groupKeys.closures, queryFn: () => invoke('closures.list', {}) })
export const useClosurePreview = (date: string | null) =>
  useQuery({ queryKey: groupKeys.preview(date ?? ''), queryFn: () => invoke('closures.preview', { date: date! }), enabled: date !== null })
export const usePersonGroups = (participantId: number) => useQuery({ queryKey: groupKeys.person(participantId), queryFn: () => invoke('groups.personHistory', { participantId }) })

function useGroupMutation<I, R>(run: (input: I) => Promise<R>) {
  const client = useQueryClient()
  const refresh = () => client.invalidateQueries({ queryKey: groupKeys.all })
  // Refused as changed on another PC: read the new version, which the screen then shows.
  return useMutation({ mutationFn: run, onSuccess: refresh, onError: (error) => (isApiError(error, 'STALE') ? refresh() : undefined) })
}

/** Many marks answer with the whole sheet: it goes straight into the cache, so the list never flickers. */
function useSheetMutation<I>(run: (input: I) => Promise<ResultOf<'sessions.sheet'>>) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: run,
    onSuccess: (sheet) => {
      client.setQueryData(groupKeys.sheet(sheet.session.id), sheet)
      void client.invalidateQueries({ queryKey: groupKeys.today })
    },
  })
}

export const useSaveGroup = () => useGroupMutation((input: InputOf<'groups.save'>) => invoke('groups.save', input))
export const useArchiveGroup = () => useGroupMutation((input: InputOf<'groups.archive'>) => invoke('groups.archive', input))
export const useEnroll = () => useGroupMutation((input: InputOf<'groups.enroll'>) => invoke('groups.enroll', input))
export const useUnenroll = () => useGroupMutation((input: InputOf<'groups.unenroll'>) => invoke('groups.unenroll', input))
export const useAdmit = () => useGroupMutation((input: InputOf<'groups.admit'>) => invoke('groups.admit', input))
export const useAddPerson = () => useGroupMutation((input: InputOf<'sessions.addPerson'>) => invoke('sessions.addPerson', input))
export const useRecordSession = () => useGroupMutation((input: InputOf<'sessions.record'>) => invoke('sessions.record', input))
export const useChangeSession = () => useGroupMutation((input: InputOf<'sessions.change'>) => invoke('sessions.change', input))
export const useCreateSession = () => useGroupMutation((input: InputOf<'sessions.create'>) => invoke('sessions.create', input))
export const useCreateClosure = () => useGroupMutation((input: InputOf<'closures.create'>) => invoke('closures.create', input))
export const useDeleteClosure = () => useGroupMutation((input: InputOf<'closures.delete'>) => invoke('closures.delete', input))
/**
 * One mark answers with what it changed (reading the whole sheet back made the tap slower than
 * its write): put into the cached sheet at once, so the list never flickers, and the sheet read
 * again behind it (a later mark's refetch cancels an earlier one still under way).
 */
export function useMark() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'sessions.mark'>) => invoke('sessions.mark', input),
    onSuccess: (answer, input) => {
      const key = groupKeys.sheet(answer.session.id)
      client.setQueryData<ResultOf<'sessions.sheet'>>(key, (sheet) => (sheet ? sheetWithMark(sheet, answer, input.participantId) : sheet))
      void client.invalidateQueries({ queryKey: key })
      void client.invalidateQueries({ queryKey: groupKeys.today })
    },
  })
}
export const useMarkMany = () => useSheetMutation((input: InputOf<'sessions.markMany'>) => invoke('sessions.markMany', input))
export const useMarkAnonymous = () => useSheetMutation((input: InputOf<'sessions.markAnonymous'>) => invoke('sessions.markAnonymous', input))

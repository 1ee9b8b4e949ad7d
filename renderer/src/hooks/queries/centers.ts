import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke, isApiError } from '../../bridge'
import { keys } from './common'

// Several centers (issue 15): the window's center and the switcher; the admin's Centers screen and grants.

export const centerKeys = {
  mine: ['centers', 'mine'] as const,
  overview: ['centers', 'overview'] as const,
  grants: ['centers', 'grants'] as const,
  matches: ['centers', 'matches'] as const,
}

/** The centers this account may work in and the one this window works in (main holds it). */
export function useMyCenters() {
  return useQuery({ queryKey: centerKeys.mine, queryFn: () => invoke('centers.mine', {}), staleTime: 60_000 })
}

/**
 * Work in another center. Every cached record belonged to the center left behind: all of it is
 * dropped (the status apart), so every list, board and search is read again in the new center.
 */
export function useSwitchCenter() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (centerId: number) => invoke('centers.switch', { centerId }),
    onSuccess: (mine) => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.status[0] })
      client.setQueryData(centerKeys.mine, mine)
    },
  })
}

export function useCentersOverview() {
  return useQuery({ queryKey: centerKeys.overview, queryFn: () => invoke('centers.list', {}) })
}

export function useStaffCenters(enabled = true) {
  return useQuery({ queryKey: centerKeys.grants, queryFn: () => invoke('centers.grants', {}), enabled })
}

/** The cross-center matching review (an admin's, only while the centers match people; listed matches either way). */
export function usePersonMatches(enabled = true) {
  return useQuery({ queryKey: centerKeys.matches, queryFn: () => invoke('centers.matches', {}), enabled })
}

type CentersChannel = 'centers.create' | 'centers.rename' | 'centers.archive' | 'centers.grant' | 'centers.setCountingRule' | 'centers.confirmMatch' | 'centers.dismissMatch' | 'centers.undoMatch'

function useCentersMutation<C extends CentersChannel>(channel: C) {
  const client = useQueryClient()
  // A rename is the header's, the switcher's and Settings → Center's name too (one centers row).
  const refresh = () =>
    Promise.all([client.invalidateQueries({ queryKey: ['centers'] }), client.invalidateQueries({ queryKey: keys.status }), client.invalidateQueries({ queryKey: ['settings', 'center'] })])
  return useMutation({
    mutationFn: (input: InputOf<C>) => invoke(channel, input),
    onSuccess: refresh,
    // Refused as changed on another PC: read the new version, which the screen then shows.
    onError: (error) => (isApiError(error, 'STALE') ? refresh() : undefined),
  })
}

export const useCreateCenter = () => useCentersMutation('centers.create')
export const useRenameCenter = () => useCentersMutation('centers.rename')
export const useArchiveCenter = () => useCentersMutation('centers.archive')
export const useGrantCenters = () => useCentersMutation('centers.grant')
export const useSetCountingRule = () => useCentersMutation('centers.setCountingRule')
export const useConfirmMatch = () => useCentersMutation('centers.confirmMatch')
export const useDismissMatch = () => useCentersMutation('centers.dismissMatch')
export const useUndoMatch = () => useCentersMutation('centers.undoMatch')

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'

const CATALOG = ['catalog'] as const

export function useCatalogAll() {
  return useQuery({ queryKey: [...CATALOG, 'all'], queryFn: () => invoke('catalog.all', {}) })
}

type CatalogChannel = 'catalog.add' | 'catalog.update' | 'catalog.retire' | 'catalog.reorder'

function useCatalogMutation<C extends CatalogChannel>(channel: C) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<C>) => invoke(channel, input),
    // The desk's list of services to pick from (visitKeys.services) follows the catalog.
    onSuccess: () => client.invalidateQueries({ queryKey: CATALOG }),
  })
}

export const useAddService = () => useCatalogMutation('catalog.add')
export const useUpdateService = () => useCatalogMutation('catalog.update')
export const useRetireService = () => useCatalogMutation('catalog.retire')
export const useReorderServices = () => useCatalogMutation('catalog.reorder')

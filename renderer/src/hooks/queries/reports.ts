import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'
import { useLivePoll } from '../live'

export type RangeRequest = InputOf<'reports.dashboard'>['range']
/** Whose figures: the window's center, or every center (offered to an organization admin). */
export type ReportScope = NonNullable<InputOf<'reports.dashboard'>['scope']>
export type DrillInput = InputOf<'reports.drillDown'>

const keys = {
  all: ['reports'] as const,
  dashboard: (range: RangeRequest, scope: ReportScope) => ['reports', 'dashboard', range, scope] as const,
  funder: (range: RangeRequest, scope: ReportScope) => ['reports', 'funder', range, scope] as const,
  drill: (input: DrillInput) => ['reports', 'drill', input] as const,
  settings: ['reports', 'settings'] as const,
  home: ['reports', 'home'] as const,
}

/** The dashboard's query, shared by the hook and by a range picked (asked for before the screen renders for it). */
export function dashboardQuery(range: RangeRequest, scope: ReportScope) {
  return queryOptions({
    queryKey: keys.dashboard(range, scope),
    queryFn: () => invoke('reports.dashboard', { range, scope }),
    staleTime: 60_000,
  })
}

/** The whole dashboard for a range; the previous range's figures stay on screen while a new one loads. */
export function useDashboard(range: RangeRequest | null, scope: ReportScope = 'center') {
  return useQuery({
    ...dashboardQuery(range ?? { preset: 'this_month' }, scope),
    enabled: range !== null,
    placeholderData: keepPreviousData,
    // Live: another PC's visit, mark or referral is heard on the change feed (hooks/live.ts); polled while it is lost.
    refetchInterval: useLivePoll(),
    retry: false,
  })
}

export function useFunderReport(range: RangeRequest | null, scope: ReportScope = 'center') {
  return useQuery({
    queryKey: keys.funder(range ?? { preset: 'this_month' }, scope),
    queryFn: () => invoke('reports.funder', { range: range!, scope }),
    enabled: range !== null,
    retry: false,
  })
}

/** A drill-down page; every fetch is audited in main, so it is fetched only while the list is open. */
export function useDrillDown(input: DrillInput | null) {
  return useQuery({
    queryKey: keys.drill(input!),
    queryFn: () => invoke('reports.drillDown', input!),
    enabled: input !== null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  })
}

export function useReportSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: () => invoke('reports.settings', {}) })
}

export function useSaveReportSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'reports.saveSettings'>) => invoke('reports.saveSettings', input),
    onSuccess: (saved) => client.setQueryData(keys.settings, saved),
  })
}

export function useManagerHome() {
  return useQuery({ queryKey: keys.home, queryFn: () => invoke('reports.home', {}), staleTime: 60_000 })
}

export function useExportReport() {
  return useMutation({ mutationFn: (input: InputOf<'reports.export'>) => invoke('reports.export', input) })
}

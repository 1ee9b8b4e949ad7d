import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke, isApiError } from '../../bridge'
import { keys } from './common'

// Staff accounts, own password, security settings (the idle lock), the audit log.

export type AuditFilter = InputOf<'audit.list'>['filter']
export const AUDIT_PAGE = 50

export const staffKeys = {
  list: ['staff', 'list'] as const,
  directory: ['staff', 'directory'] as const,
  security: ['settings', 'security'] as const,
  auditActions: ['audit', 'actions'] as const,
  auditPage: (filter: AuditFilter, page: number) => ['audit', 'page', filter, page] as const,
}

export function useStaffList() {
  return useQuery({ queryKey: staffKeys.list, queryFn: () => invoke('staff.list', {}) })
}

/** Active colleagues (id and name only), for naming a staff member involved. */
export function useStaffDirectory(enabled: boolean) {
  return useQuery({ queryKey: staffKeys.directory, queryFn: () => invoke('staff.directory', {}), staleTime: 60_000, enabled })
}

type StaffChannel = 'staff.create' | 'staff.update' | 'staff.resetPassword'

function useStaffMutation<C extends StaffChannel>(channel: C) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<C>) => invoke(channel, input),
    // A new account has a home center too (the staff screen's centers column).
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['staff'] }), client.invalidateQueries({ queryKey: ['centers', 'grants'] })]),
    // Refused as changed on another PC: read the new version, which the list then shows.
    onError: (error) => (isApiError(error, 'STALE') ? client.invalidateQueries({ queryKey: ['staff'] }) : undefined),
  })
}

export const useCreateStaff = () => useStaffMutation('staff.create')
export const useUpdateStaff = () => useStaffMutation('staff.update')
export const useResetStaffPassword = () => useStaffMutation('staff.resetPassword')

export function useChangePassword() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'auth.changePassword'>) => invoke('auth.changePassword', input),
    // A forced change ends here: main's phase moves on to the desk.
    onSuccess: () => client.invalidateQueries({ queryKey: keys.status }),
  })
}

export function useSecuritySettings() {
  return useQuery({ queryKey: staffKeys.security, queryFn: () => invoke('settings.security', {}) })
}

export function useSetSecuritySettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'settings.setSecurity'>) => invoke('settings.setSecurity', input),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: staffKeys.security })
      // The idle timer reads the setting from the status.
      await client.invalidateQueries({ queryKey: keys.status })
    },
  })
}

export function useAuditActions() {
  return useQuery({ queryKey: staffKeys.auditActions, queryFn: () => invoke('audit.actions', {}) })
}

export function useAuditPage(filter: AuditFilter, page: number) {
  return useQuery({
    queryKey: staffKeys.auditPage(filter, page),
    queryFn: () => invoke('audit.list', { offset: page * AUDIT_PAGE, limit: AUDIT_PAGE, filter }),
    placeholderData: keepPreviousData,
  })
}

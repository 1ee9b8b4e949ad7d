import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InputOf } from '../../../../electron/ipc/contract'
import { invoke } from '../../bridge'
import { dropCachedRecords, keys } from './common'

// Backups, restore, the recovery key and retention (admins).

export const backupKeys = {
  all: ['backups'] as const,
  overview: ['backups', 'overview'] as const,
  list: ['backups', 'list'] as const,
  progress: ['backups', 'progress'] as const,
  retention: ['retention'] as const,
}

export function useBackupOverview() {
  // The next scheduled time and the last result change behind the screen's back (the scheduler).
  return useQuery({ queryKey: backupKeys.overview, queryFn: () => invoke('backups.overview', {}), refetchInterval: 60_000 })
}

export function useBackupList(enabled: boolean) {
  return useQuery({ queryKey: backupKeys.list, queryFn: () => invoke('backups.list', {}), enabled, retry: false })
}

export function useSaveBackupSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'backups.saveSettings'>) => invoke('backups.saveSettings', input),
    onSuccess: () => client.invalidateQueries({ queryKey: backupKeys.all }),
  })
}

export function useRunBackup() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => invoke('backups.run', {}),
    // Failed or not, the last attempt and the list changed.
    onSettled: () => client.invalidateQueries({ queryKey: backupKeys.all }),
  })
}

/** The OS folder picker, shown by main; resolves to the chosen folder or null when cancelled. */
export function useChooseBackupFolder() {
  return useMutation({ mutationFn: () => invoke('backups.chooseFolder', {}) })
}

export function useCheckIntegrity() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => invoke('backups.checkNow', {}),
    onSettled: () => client.invalidateQueries({ queryKey: backupKeys.overview }),
  })
}

/** The step of the backup or restore under way, polled while one runs. */
export function useBackupProgress(running: boolean) {
  return useQuery({ queryKey: backupKeys.progress, queryFn: () => invoke('backups.progress', {}), enabled: running, refetchInterval: running ? 250 : false })
}

export function useBackupPreview(file: string | null) {
  return useQuery({
    queryKey: ['backups', 'preview', file] as const,
    queryFn: () => invoke('backups.preview', { file: file! }),
    enabled: file !== null,
    retry: false,
    staleTime: 0,
    gcTime: 0,
  })
}

/** After a restore everyone signs in again: every cached record is from the database that was replaced. */
export function useRestoreBackup() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (file: string) => invoke('backups.restore', { file, confirm: true }),
    onSuccess: () => dropCachedRecords(client),
  })
}

export function useNewRecoveryKey() {
  return useMutation({ mutationFn: (passphrase?: string) => invoke('security.newRecoveryKey', { confirm: true, ...(passphrase ? { passphrase } : {}) }) })
}

export function useRetention() {
  return useQuery({ queryKey: backupKeys.retention, queryFn: () => invoke('retention.policy', {}) })
}

export function useSaveRetention() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'retention.savePolicy'>) => invoke('retention.savePolicy', input),
    onSuccess: (value) => client.setQueryData(backupKeys.retention, value),
  })
}

export function useRetentionDryRun() {
  return useMutation({ mutationFn: (input: InputOf<'retention.preview'>) => invoke('retention.preview', input) })
}

export function useApplyRetention() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (expectedPeople: number) => invoke('retention.apply', { expectedPeople, confirm: true }),
    onSuccess: () => client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== keys.status[0] }),
  })
}

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { setCenterZone } from '../lib/zone'
import type { InputOf, RestoreOutcome } from '../../../electron/ipc/contract'
import { notifications } from '@mantine/notifications'
import { invoke, isApiError } from '../bridge'
import type { FieldRules } from '../lib/types'

export type TodayStatus = 'here' | 'left' | 'all'
export type DuplicateInput = InputOf<'participants.checkDuplicates'>
type ListInput = InputOf<'participants.list'>
export type ListSort = NonNullable<ListInput['sort']>
export type ListFilter = NonNullable<ListInput['filter']>

/** Every piece of server data the renderer caches, by one key each. */
export const keys = {
  status: ['status'] as const,
  services: ['catalog', 'services'] as const,
  searchAll: ['participants', 'search'] as const,
  search: (text: string) => ['participants', 'search', text] as const,
  visits: ['visits'] as const,
  today: ['visits', 'today'] as const,
  todayFiltered: (status: TodayStatus, serviceId: number | null) => ['visits', 'today', status, serviceId] as const,
  fieldRules: ['settings', 'fieldRules'] as const,
  catalogAll: ['catalog', 'all'] as const,
  participants: ['participants'] as const,
  profile: (id: number) => ['participants', 'profile', id] as const,
  duplicates: (input: DuplicateInput) => ['participants', 'duplicates', input] as const,
  listAll: ['participants', 'list'] as const,
  listPage: (sort: ListSort, filter: ListFilter, page: number) => ['participants', 'list', sort, filter, page] as const,
  anonymousCodes: (prefix: string) => ['visits', 'anonymousCodes', prefix] as const,
}

export function useStatus() {
  return useQuery({
    queryKey: keys.status,
    queryFn: () => invoke('app.status', {}),
    // Every status carries the center's zone; the screens' dates and times follow it (idempotent).
    select: (status) => {
      setCenterZone(status.timeZone)
      return status
    },
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
        // Today's board, and the anonymous codes' visit counts.
        client.invalidateQueries({ queryKey: keys.visits }),
        // "Last visit" in the search results and the list has just changed.
        client.invalidateQueries({ queryKey: keys.participants }),
      ])
    },
  })
}

export function useCreateParticipant() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'participants.create'>) => invoke('participants.create', input),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.participants }),
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

/** From the error screen: puts the newest verified backup in place of a damaged database. */
export function useRestoreAfterDamage(onRestored: (outcome: RestoreOutcome) => void) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => invoke('app.restoreBackup', {}),
    // Told before the status refresh: that refresh replaces the error screen, and a callback
    // given to mutate() would never run once it is gone.
    onSuccess: (outcome) => {
      onRestored(outcome)
      return client.invalidateQueries({ queryKey: keys.status })
    },
  })
}

export function useSetup() {
  // Status is deliberately not refreshed here: the recovery key screen must come first.
  return useMutation({ mutationFn: (input: InputOf<'setup.create'>) => invoke('setup.create', input) })
}

// ----- Issue 3: field rules, duplicates, profile, list, visits board, catalog, kiosk.

/** Everything that shows a person or a visit: refreshed together after any change to either. */
async function refreshPeopleAndVisits(client: ReturnType<typeof useQueryClient>): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: keys.visits }),
    client.invalidateQueries({ queryKey: keys.participants }),
  ])
}

export function useFieldRules() {
  return useQuery({ queryKey: keys.fieldRules, queryFn: () => invoke('settings.fieldRules', {}), staleTime: 60_000 })
}

export function useSetFieldRules() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (rules: FieldRules) => invoke('settings.setFieldRules', { rules }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.fieldRules }),
  })
}

export function useDuplicates(input: DuplicateInput | null) {
  return useQuery({
    queryKey: keys.duplicates(input ?? {}),
    queryFn: () => invoke('participants.checkDuplicates', input ?? {}),
    enabled: input !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  })
}

export function useProfile(id: number | null) {
  return useQuery({
    queryKey: keys.profile(id ?? 0),
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
    queryKey: keys.listPage(sort, filter, page),
    queryFn: () => invoke('participants.list', { offset: page * LIST_PAGE, limit: LIST_PAGE, sort, filter }),
    staleTime: 30_000,
  })
}

export function useAnonymousCodes(prefix: string) {
  return useQuery({
    queryKey: keys.anonymousCodes(prefix),
    queryFn: () => invoke('visits.anonymousCodes', { prefix }),
    enabled: prefix.length > 0,
    staleTime: 10_000,
  })
}

export function useTodayBoard(status: TodayStatus, serviceId: number | null) {
  return useQuery({
    queryKey: keys.todayFiltered(status, serviceId),
    queryFn: () => invoke('visits.today', { status, ...(serviceId ? { serviceId } : {}) }),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
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

export type VisitEdit = InputOf<'visits.update'>

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

export function useCatalogAll() {
  return useQuery({ queryKey: keys.catalogAll, queryFn: () => invoke('catalog.all', {}) })
}

type CatalogChannel = 'catalog.add' | 'catalog.update' | 'catalog.retire' | 'catalog.reorder'

function useCatalogMutation<C extends CatalogChannel>(channel: C) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<C>) => invoke(channel, input),
    // The desk's list of services to pick from follows the catalog.
    onSuccess: () => client.invalidateQueries({ queryKey: ['catalog'] }),
  })
}

export const useAddService = () => useCatalogMutation('catalog.add')
export const useUpdateService = () => useCatalogMutation('catalog.update')
export const useRetireService = () => useCatalogMutation('catalog.retire')
export const useReorderServices = () => useCatalogMutation('catalog.reorder')

/** Kiosk mode: every cached record is dropped first, so nothing a staff member saw can surface there. */
export function useEnterKiosk() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => invoke('kiosk.enter', {}),
    onSuccess: async () => {
      // Nothing from the desk may stay on screen, not even a "signed in" toast.
      notifications.clean()
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.status[0] })
      await client.invalidateQueries({ queryKey: keys.status })
    },
  })
}

export function useKioskExit() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'kiosk.exit'>) => invoke('kiosk.exit', input),
    onSuccess: async () => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.status[0] })
      await client.invalidateQueries({ queryKey: keys.status })
    },
  })
}


// ----- Staff accounts, own password, idle lock, security settings, audit log

export const staffKeys = {
  list: ['staff', 'list'] as const,
  security: ['settings', 'security'] as const,
  auditActions: ['audit', 'actions'] as const,
  auditPage: (filter: AuditFilter, page: number) => ['audit', 'page', filter, page] as const,
}

export type AuditFilter = InputOf<'audit.list'>['filter']
export const AUDIT_PAGE = 50

export function useStaffList() {
  return useQuery({ queryKey: staffKeys.list, queryFn: () => invoke('staff.list', {}) })
}

type StaffChannel = 'staff.create' | 'staff.update' | 'staff.resetPassword'

function useStaffMutation<C extends StaffChannel>(channel: C) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<C>) => invoke(channel, input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['staff'] }),
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

export function useSessionLock() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => invoke('session.lock', {}),
    onSuccess: (status) => client.setQueryData(keys.status, status),
    onError: () => client.invalidateQueries({ queryKey: keys.status }),
  })
}

export function useSessionUnlock() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (password: string) => invoke('session.unlock', { password }),
    onSuccess: (status) => client.setQueryData(keys.status, status),
  })
}

/** Someone else signs in on a locked window: the first person's cached records go with them. */
export function useSwitchUser() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'auth.login'>) => invoke('auth.login', input),
    onSuccess: async () => {
      notifications.clean()
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.status[0] })
      await client.invalidateQueries({ queryKey: keys.status })
    },
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

// ----- Backups, restore, recovery key and retention (admins)

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
    onSuccess: async () => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.status[0] })
      await client.invalidateQueries({ queryKey: keys.status })
    },
  })
}

export function useNewRecoveryKey() {
  return useMutation({ mutationFn: (passphrase?: string) => invoke('security.newRecoveryKey', { confirm: true, ...(passphrase ? { passphrase } : {}) }) })
}

/** First run, the center's server: "Test connection" (writes nothing) and "Connect". */
export function useTestServer() {
  return useMutation({ mutationFn: (input: InputOf<'setup.testServer'>) => invoke('setup.testServer', input) })
}

export function useConnectServer() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'setup.connectServer'>) => invoke('setup.connectServer', input),
    onSuccess: (status) => client.setQueryData(keys.status, status),
  })
}

export function useRecover() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: InputOf<'setup.recover'>) => invoke('setup.recover', input),
    onSuccess: (status) => client.setQueryData(keys.status, status),
  })
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

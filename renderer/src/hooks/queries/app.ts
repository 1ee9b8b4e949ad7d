import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { notifications } from '@mantine/notifications'
import type { InputOf, RestoreOutcome } from '../../../../electron/ipc/contract'
import { invoke, takeEarlyStatus } from '../../bridge'
import { setCenterZone } from '../../lib/zone'
import { dropCachedRecords, keys } from './common'

/** How often the status is read while the server is gone (main probes it every 2 s). */
const SERVER_LOST_POLL_MS = 1000

/**
 * How long the first answer (asked by early-status.js, seeded by main.tsx before the first render)
 * counts as fresh: without it the first mount asks app.status again during React's first render
 * (issue 11). Later answers are stale at once, as before.
 */
const SEEDED_STATUS_FRESH_MS = 2000

export function useStatus() {
  return useQuery({
    queryKey: keys.status,
    // The first answer was asked for while the page was still loading; later ones are asked now.
    queryFn: () => takeEarlyStatus() ?? invoke('app.status', {}),
    // Every status carries the center's zone; the screens' dates and times follow it (idempotent).
    select: (status) => {
      setCenterZone(status.timeZone)
      return status
    },
    // Cheap, and the phase can change behind our back (idle lock, another window signing out).
    refetchOnWindowFocus: true,
    staleTime: (query) => (query.state.dataUpdateCount === 1 ? SEEDED_STATUS_FRESH_MS : 0),
    // While the center's server is gone, main probes it; the status says when it is back.
    refetchInterval: (query) => (query.state.data?.serverLost ? SERVER_LOST_POLL_MS : false),
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
    // Whatever happened, drop every cached record.
    onSettled: () => dropCachedRecords(client),
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
    onSuccess: () => {
      notifications.clean()
      return dropCachedRecords(client)
    },
  })
}

import { useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useEffect, useState } from 'react'
import { useStatus } from './hooks/queries/app'
import { keys } from './hooks/queries/common'
import { ErrorScreen } from './screens/ErrorScreen'
import { LoadingScreen } from './screens/LoadingScreen'
import { LoginScreen } from './screens/LoginScreen'
import { UnlockScreen } from './screens/UnlockScreen'

// The first screens (loading, unlock, sign-in) are in the first chunk; everything behind a
// sign-in, the kiosk and the one-time setup are read only when reached, so the sign-in form is
// up without parsing the rest of the app (issue 11: cold start to an interactive login).
const StaffApp = lazy(() => import('./screens/StaffApp').then((m) => ({ default: m.StaffApp })))
const LockScreen = lazy(() => import('./staff/LockScreen').then((m) => ({ default: m.LockScreen })))
const KioskScreen = lazy(() => import('./kiosk/KioskScreen').then((m) => ({ default: m.KioskScreen })))
const SetupScreen = lazy(() => import('./screens/SetupScreen').then((m) => ({ default: m.SetupScreen })))
const RecoveryKeyScreen = lazy(() => import('./screens/RecoveryKeyScreen').then((m) => ({ default: m.RecoveryKeyScreen })))
const ChangePasswordScreen = lazy(() => import('./screens/ChangePasswordScreen').then((m) => ({ default: m.ChangePasswordScreen })))

interface JustSetUp {
  recoveryKey: string
  centerName: string
}

/** Picks the screen from main's phase. Main decides the phase; the renderer only follows it. */
export function App() {
  return (
    <Suspense fallback={<LoadingScreen />}>
      <Phase />
    </Suspense>
  )
}

function Phase() {
  const status = useStatus()
  const client = useQueryClient()
  // Held only in memory, only until Continue: the recovery key is shown once and never again.
  const [justSetUp, setJustSetUp] = useState<JustSetUp | null>(null)
  // The staff app's code is read while the sign-in form waits for a password, once the form is
  // up and the renderer idle, so signing in does not wait for it.
  const phase = status.data?.phase
  useEffect(() => {
    if (phase !== 'signed-out') return
    const id = requestIdleCallback(() => void import('./screens/StaffApp'))
    return () => cancelIdleCallback(id)
  }, [phase])

  if (justSetUp) {
    return (
      <RecoveryKeyScreen
        recoveryKey={justSetUp.recoveryKey}
        centerName={justSetUp.centerName}
        onContinue={() => {
          setJustSetUp(null)
          void client.invalidateQueries({ queryKey: keys.status })
        }}
      />
    )
  }
  if (status.isPending) return <LoadingScreen />
  if (status.isError) {
    return <ErrorScreen error={status.error} retrying={status.isFetching} onRetry={() => void status.refetch()} />
  }
  const value = status.data
  switch (value.phase) {
    case 'error':
      return <ErrorScreen status={value} retrying={status.isFetching} onRetry={() => void status.refetch()} />
    case 'unlock':
      return <UnlockScreen />
    case 'setup':
      return (
        <SetupScreen
          keyProtection={value.keyProtection}
          records={value.records}
          server={value.server}
          onDone={(done) => {
            // On the center's server there is no recovery key to show: straight to the desk.
            if (done.recoveryKey === null) void client.invalidateQueries({ queryKey: keys.status })
            else setJustSetUp({ recoveryKey: done.recoveryKey, centerName: done.centerName })
          }}
        />
      )
    case 'signed-out':
      return <LoginScreen centerName={value.centerName} />
    case 'signed-in':
      // Both are always set when signed in; the guard keeps the types honest. The lock covers
      // the app without unmounting it; keyed by person, so someone else signing in starts afresh.
      return value.staff ? (
        <>
          <StaffApp key={value.staff.id} centerName={value.centerName ?? ''} staff={value.staff} idleLockSeconds={value.idleLockSeconds} locked={value.locked} />
          {value.locked ? <LockScreen staff={value.staff} centerName={value.centerName ?? ''} /> : null}
        </>
      ) : (
        <LoadingScreen />
      )
    case 'change-password':
      return value.staff ? <ChangePasswordScreen staff={value.staff} /> : <LoadingScreen />
    case 'kiosk':
      return <KioskScreen centerName={value.centerName ?? ''} resetSeconds={value.kioskResetSeconds} />
  }
}

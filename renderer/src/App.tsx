import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { keys, useStatus } from './hooks/queries'
import { ChangePasswordScreen } from './screens/ChangePasswordScreen'
import { ErrorScreen } from './screens/ErrorScreen'
import { KioskScreen } from './kiosk/KioskScreen'
import { LoadingScreen } from './screens/LoadingScreen'
import { LoginScreen } from './screens/LoginScreen'
import { RecoveryKeyScreen } from './screens/RecoveryKeyScreen'
import { SetupScreen } from './screens/SetupScreen'
import { StaffApp } from './screens/StaffApp'
import { UnlockScreen } from './screens/UnlockScreen'
import { LockScreen } from './staff/LockScreen'

interface JustSetUp {
  recoveryKey: string
  centerName: string
}

/** Picks the screen from main's phase. Main decides the phase; the renderer only follows it. */
export function App() {
  const status = useStatus()
  const client = useQueryClient()
  // Held only in memory, only until Continue: the recovery key is shown once and never again.
  const [justSetUp, setJustSetUp] = useState<JustSetUp | null>(null)

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
      return <SetupScreen keyProtection={value.keyProtection} onDone={setJustSetUp} />
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

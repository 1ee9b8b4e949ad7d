import '../all-styles'
import { Button } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../components/AuthLayout'
import { useLogout } from '../hooks/queries'
import type { Staff } from '../lib/types'
import { ChangePasswordForm } from '../staff/ChangePasswordForm'

/** After an admin set someone's password: nothing else opens until they choose their own. */
export function ChangePasswordScreen({ staff }: { staff: Staff }) {
  const { t } = useTranslation()
  const logout = useLogout()
  return (
    <AuthLayout title={t('password.forcedTitle')} subtitle={t('password.forcedIntro', { name: staff.displayName })}>
      <ChangePasswordForm />
      <Button variant="subtle" onClick={() => logout.mutate()} loading={logout.isPending}>
        {t('header.signOut')}
      </Button>
    </AuthLayout>
  )
}

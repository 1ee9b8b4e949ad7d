import { Button, Stack, Text, TextInput } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../components/AuthLayout'
import { FormAlert } from '../components/FormAlert'
import { SecretInput } from '../components/SecretInput'
import { useLogin } from '../hooks/queries/app'
import { useCredentialsForm } from '../hooks/useCredentialsForm'
import { MARKS, usePaintedMark } from '../lib/perf'

/** Staff sign-in. Main never says whether the name or the password was wrong, and neither do we. */
export function LoginScreen({ centerName }: { centerName: string | null }) {
  const { t } = useTranslation()
  const login = useLogin()
  const { form, submit } = useCredentialsForm(login.mutate)
  usePaintedMark(MARKS.login, 'ready')
  return (
    <AuthLayout title={centerName ?? t('app.name')} subtitle={t('login.subtitle')}>
      <form noValidate onSubmit={submit}>
        <Stack>
          <TextInput label={t('login.username')} autoComplete="username" autoFocus required {...form.getInputProps('username')} />
          <SecretInput
            label={t('login.password')}
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <FormAlert error={login.error} />
          <Button type="submit" loading={login.isPending}>
            {t('login.submit')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('login.whomToAsk')}
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  )
}

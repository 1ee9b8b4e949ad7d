import { Button, Stack, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../components/AuthLayout'
import { FormAlert } from '../components/FormAlert'
import { SecretInput } from '../components/SecretInput'
import { focusField, focusFirstError } from '../lib/forms'
import { useLogin } from '../hooks/queries'

/** Staff sign-in. Main never says whether the name or the password was wrong, and neither do we. */
export function LoginScreen({ centerName }: { centerName: string | null }) {
  const { t } = useTranslation()
  const login = useLogin()
  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (value) => (value.trim() ? null : t('validation.required', { what: t('validation.what.username') })),
      password: (value) => (value ? null : t('validation.required', { what: t('validation.what.password') })),
    },
  })
  const submit = form.onSubmit((values) =>
    login.mutate(values, {
      // A failed try clears the password and puts the cursor back in it, ready for the next.
      onError: () => {
        form.setFieldValue('password', '')
        focusField('password')
      },
    }),
    focusFirstError,
  )
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
        </Stack>
      </form>
    </AuthLayout>
  )
}

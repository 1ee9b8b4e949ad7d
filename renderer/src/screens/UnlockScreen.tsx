import { Button, Stack } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../components/AuthLayout'
import { FormAlert } from '../components/FormAlert'
import { SecretInput } from '../components/SecretInput'
import { focusFirstError } from '../lib/forms'
import { useUnlock } from '../hooks/queries/app'

/** The key is wrapped with a passphrase on this computer (no OS key store): ask for it. */
export function UnlockScreen() {
  const { t } = useTranslation()
  const unlock = useUnlock()
  const form = useForm({
    initialValues: { passphrase: '' },
    validate: { passphrase: (value) => (value ? null : t('validation.required', { what: t('validation.what.passphrase') })) },
  })
  return (
    <AuthLayout title={t('unlock.title')} subtitle={t('unlock.intro')}>
      <form noValidate onSubmit={form.onSubmit(({ passphrase }) => unlock.mutate(passphrase), focusFirstError)}>
        <Stack>
          <SecretInput
            label={t('unlock.passphrase')}
            autoComplete="current-password"
            data-autofocus
            autoFocus
            required
            {...form.getInputProps('passphrase')}
          />
          <FormAlert error={unlock.error} />
          <Button type="submit" loading={unlock.isPending}>
            {t('unlock.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  )
}

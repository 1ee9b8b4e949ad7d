import { Button, Group, Stack } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { SecretInput } from '../components/SecretInput'
import { useChangePassword } from '../hooks/queries'
import { fieldErrors } from '../lib/errors'
import { focusField, focusFirstError } from '../lib/forms'

export const PASSWORD_MIN = 10

/** Your own password: the current one, then the new one twice. Used at a forced change and from the header. */
export function ChangePasswordForm({ onDone, onCancel }: { onDone?: () => void; onCancel?: () => void }) {
  const { t } = useTranslation()
  const change = useChangePassword()
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (value) => (value ? null : t('validation.required', { what: t('validation.what.currentPassword') })),
      newPassword: (value) => (value.length >= PASSWORD_MIN ? null : t('validation.minLength', { min: PASSWORD_MIN })),
      confirm: (value, values) => (value === values.newPassword ? null : t('validation.passwordsDiffer')),
    },
  })
  const submit = form.onSubmit(
    ({ currentPassword, newPassword }) =>
      change.mutate(
        { currentPassword, newPassword },
        {
          onSuccess: () => onDone?.(),
          onError: (error) => {
            const errors = fieldErrors(error, ['currentPassword', 'newPassword'] as const)
            form.setErrors(errors)
            focusField(Object.keys(errors)[0] ?? 'currentPassword')
          },
        },
      ),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <SecretInput label={t('password.current')} autoComplete="current-password" autoFocus required {...form.getInputProps('currentPassword')} />
        <SecretInput
          label={t('password.new')}
          description={t('setup.passwordHint')}
          autoComplete="new-password"
          required
          {...form.getInputProps('newPassword')}
        />
        <SecretInput label={t('password.confirm')} autoComplete="new-password" required {...form.getInputProps('confirm')} />
        <FormAlert error={change.error} />
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" loading={change.isPending}>
            {t('password.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

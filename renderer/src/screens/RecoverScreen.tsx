import { Button, Stack, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { IconArrowLeft, IconKey } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../components/AuthLayout'
import { FormAlert } from '../components/FormAlert'
import { SecretInput } from '../components/SecretInput'
import { useRecover } from '../hooks/queries'
import { fieldErrors } from '../lib/errors'
import { focusFirstError } from '../lib/forms'
import type { KeyProtection } from '../lib/types'
import * as rules from '../lib/validation'

const SERVER_FIELDS = ['recoveryKey', 'backupFile', 'passphrase'] as const

/**
 * A new computer, or one whose key store was lost: open the center's existing records with the
 * recovery key, from a backup file or from the database already in Porchlight's folder.
 */
export function RecoverScreen({ keyProtection, onBack }: { keyProtection: KeyProtection; onBack: () => void }) {
  const { t } = useTranslation()
  const recover = useRecover()
  const needsPassphrase = keyProtection === 'passphrase'
  const form = useForm({
    initialValues: { recoveryKey: '', backupFile: '', passphrase: '', confirmPassphrase: '' },
    validate: {
      recoveryKey: (value) => (value.replace(/[\s-]/g, '').length === 64 ? null : t('recover.keyLength')),
      passphrase: (value) => (needsPassphrase ? rules.secret(t, value, 'passphrase') : null),
      confirmPassphrase: (value, values) => (needsPassphrase && value !== values.passphrase ? t('validation.passphrasesDiffer') : null),
    },
  })
  const submit = form.onSubmit((values) => {
    recover.mutate(
      { recoveryKey: values.recoveryKey, backupFile: values.backupFile.trim(), ...(needsPassphrase ? { passphrase: values.passphrase } : {}) },
      {
        onError: (error) => {
          const errors = fieldErrors(error, SERVER_FIELDS)
          form.setErrors(errors)
          focusFirstError(errors)
        },
      },
    )
  }, focusFirstError)
  const alertError = recover.error && Object.keys(fieldErrors(recover.error, SERVER_FIELDS)).length === 0 ? recover.error : null
  return (
    <AuthLayout title={t('recover.title')} subtitle={t('recover.intro')} width={620}>
      <form noValidate onSubmit={submit}>
        <Stack gap="md">
          <TextInput
            label={t('recover.key')}
            description={t('recover.keyHint')}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            required
            maxLength={200}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('recoveryKey')}
          />
          <TextInput label={t('recover.backupFile')} description={t('recover.backupFileHint')} spellCheck={false} maxLength={1000} {...form.getInputProps('backupFile')} />
          {needsPassphrase ? (
            <>
              <Text size="sm" c="dimmed">
                {t('setup.passphraseIntro')}
              </Text>
              <SecretInput label={t('setup.passphrase')} autoComplete="new-password" required {...form.getInputProps('passphrase')} />
              <SecretInput label={t('setup.confirmPassphrase')} autoComplete="new-password" required {...form.getInputProps('confirmPassphrase')} />
            </>
          ) : null}
          <FormAlert error={alertError} />
          <Button type="submit" leftSection={<IconKey aria-hidden size={18} />} loading={recover.isPending}>
            {t('recover.submit')}
          </Button>
          <Button variant="subtle" leftSection={<IconArrowLeft aria-hidden size={18} />} onClick={onBack} w="fit-content">
            {t('recover.back')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  )
}

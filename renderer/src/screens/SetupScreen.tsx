import { Button, Fieldset, Stack, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { IconKey } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../components/AuthLayout'
import { FormAlert } from '../components/FormAlert'
import { SecretInput } from '../components/SecretInput'
import { focusFirstError } from '../lib/forms'
import { useSetup } from '../hooks/queries'
import { fieldErrors } from '../lib/errors'
import type { KeyProtection } from '../lib/types'
import * as rules from '../lib/validation'
import { RecoverScreen } from './RecoverScreen'

interface Props {
  keyProtection: KeyProtection
  onDone: (result: { recoveryKey: string; centerName: string }) => void
}

/** Section names read as headings above the fields they group. */
const LEGEND = { legend: { fontWeight: 700, fontSize: 'var(--mantine-font-size-md)', color: 'var(--mantine-color-porch-8)', marginBottom: 6 } }

const SERVER_FIELDS = ['centerName', 'adminName', 'username', 'password', 'passphrase'] as const

/** First run: the center's name and the first admin; a passphrase only where the OS cannot keep the key. */
export function SetupScreen(props: Props) {
  const [recovering, setRecovering] = useState(false)
  if (recovering) return <RecoverScreen keyProtection={props.keyProtection} onBack={() => setRecovering(false)} />
  return <NewCenter {...props} onRecover={() => setRecovering(true)} />
}

function NewCenter({ keyProtection, onDone, onRecover }: Props & { onRecover: () => void }) {
  const { t } = useTranslation()
  const setup = useSetup()
  const needsPassphrase = keyProtection === 'passphrase'
  const form = useForm({
    initialValues: {
      centerName: '',
      adminName: '',
      username: '',
      password: '',
      confirmPassword: '',
      passphrase: '',
      confirmPassphrase: '',
    },
    validate: {
      centerName: (value) => rules.requiredText(t, value, 120, 'centerName'),
      adminName: (value) => rules.requiredText(t, value, 120, 'adminName'),
      username: (value) => rules.username(t, value),
      password: (value) => rules.secret(t, value, 'password'),
      confirmPassword: (value, values) => (value === values.password ? null : t('validation.passwordsDiffer')),
      passphrase: (value) => (needsPassphrase ? rules.secret(t, value, 'passphrase') : null),
      confirmPassphrase: (value, values) =>
        needsPassphrase && value !== values.passphrase ? t('validation.passphrasesDiffer') : null,
    },
  })

  const submit = form.onSubmit((values) => {
    const input = {
      centerName: values.centerName.trim(),
      adminName: values.adminName.trim(),
      username: values.username.trim(),
      password: values.password,
      ...(needsPassphrase ? { passphrase: values.passphrase } : {}),
    }
    setup.mutate(input, {
      onSuccess: (result) => onDone({ recoveryKey: result.recoveryKey, centerName: input.centerName }),
      onError: (error) => {
        const errors = fieldErrors(error, SERVER_FIELDS)
        form.setErrors(errors)
        focusFirstError(errors)
      },
    })
  }, focusFirstError)

  // Field problems are shown on the fields; the alert is for everything else.
  const alertError = setup.error && Object.keys(fieldErrors(setup.error, SERVER_FIELDS)).length === 0 ? setup.error : null

  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.intro')} width={560}>
      <form noValidate onSubmit={submit}>
        <Stack gap="lg">
          <Fieldset legend={t('setup.centerSection')} variant="unstyled" styles={LEGEND}>
            <TextInput
              label={t('setup.centerName')}
              placeholder={t('setup.centerNamePlaceholder')}
              autoFocus
              required
              maxLength={120}
              {...form.getInputProps('centerName')}
            />
          </Fieldset>
          <Fieldset legend={t('setup.adminSection')} variant="unstyled" styles={LEGEND}>
            <Stack gap="sm">
              <TextInput label={t('setup.adminName')} autoComplete="name" required maxLength={120} {...form.getInputProps('adminName')} />
              <TextInput
                label={t('setup.username')}
                description={t('setup.usernameHint')}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                required
                maxLength={60}
                {...form.getInputProps('username')}
              />
              <SecretInput
                label={t('setup.password')}
                description={t('setup.passwordHint')}
                autoComplete="new-password"
                required
                {...form.getInputProps('password')}
              />
              <SecretInput
                label={t('setup.confirmPassword')}
                autoComplete="new-password"
                required
                {...form.getInputProps('confirmPassword')}
              />
            </Stack>
          </Fieldset>
          {needsPassphrase ? (
            <Fieldset legend={t('setup.passphraseSection')} variant="unstyled" styles={LEGEND}>
              <Stack gap="sm">
                <Text size="sm" c="dimmed">
                  {t('setup.passphraseIntro')}
                </Text>
                <SecretInput label={t('setup.passphrase')} autoComplete="new-password" required {...form.getInputProps('passphrase')} />
                <SecretInput
                  label={t('setup.confirmPassphrase')}
                  autoComplete="new-password"
                  required
                  {...form.getInputProps('confirmPassphrase')}
                />
              </Stack>
            </Fieldset>
          ) : null}
          <FormAlert error={alertError} />
          <Button type="submit" loading={setup.isPending}>
            {t('setup.submit')}
          </Button>
          <Button variant="subtle" leftSection={<IconKey aria-hidden size={18} />} onClick={onRecover} w="fit-content">
            {t('setup.recoverInstead')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  )
}

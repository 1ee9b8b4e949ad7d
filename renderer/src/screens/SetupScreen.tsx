import '../all-styles'
import { Alert, Button, Fieldset, Radio, Stack, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { IconKey, IconServer } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../components/AuthLayout'
import { FormAlert } from '../components/FormAlert'
import { LEGEND, PassphraseFieldset } from '../components/PassphraseFieldset'
import { SecretInput } from '../components/SecretInput'
import { focusFirstError } from '../lib/forms'
import { useSetup } from '../hooks/queries'
import { fieldErrors } from '../lib/errors'
import type { KeyProtection } from '../lib/types'
import * as rules from '../lib/validation'
import { RecoverScreen } from './RecoverScreen'
import { ServerSetup } from './ServerSetup'

interface Props {
  keyProtection: KeyProtection
  /** 'server': this PC is already connected to the center's server, whose records need their first admin. */
  records: 'file' | 'server'
  /** host:port/database of that server. */
  server: string | null
  /** recoveryKey is null on the server: there is no key that opens the records. */
  onDone: (result: { recoveryKey: string | null; centerName: string }) => void
}


const SERVER_FIELDS = ['centerName', 'adminName', 'username', 'password', 'passphrase'] as const

/**
 * First run: where the records are kept (this PC, the default, or the center's PostgreSQL
 * server), then the center's name and the first admin; a passphrase only where the OS cannot keep the key.
 */
export function SetupScreen(props: Props) {
  const { t } = useTranslation()
  const [recovering, setRecovering] = useState(false)
  const [where, setWhere] = useState<'file' | 'server'>('file')
  if (recovering) return <RecoverScreen keyProtection={props.keyProtection} onBack={() => setRecovering(false)} />
  if (props.records === 'server') return <NewCenter {...props} onRecover={null} />
  return (
    <AuthLayout title={t('setup.title')} subtitle={t(where === 'file' ? 'setup.intro' : 'serverSetup.subtitle')} width={560}>
      <Stack gap="lg">
        <Radio.Group label={t('serverSetup.where')} value={where} onChange={(value) => setWhere(value === 'server' ? 'server' : 'file')} styles={LEGEND_LABEL}>
          <Stack gap="xs" mt={6}>
            <Radio value="file" label={t('serverSetup.onThisPc')} description={t('serverSetup.onThisPcHint')} />
            <Radio value="server" label={t('serverSetup.onServer')} description={t('serverSetup.onServerHint')} />
          </Stack>
        </Radio.Group>
        {where === 'file' ? <NewCenter {...props} onRecover={() => setRecovering(true)} bare /> : <ServerSetup keyProtection={props.keyProtection} />}
      </Stack>
    </AuthLayout>
  )
}

const LEGEND_LABEL = { label: LEGEND.legend }
const WRAPPING_LABEL = { label: { whiteSpace: 'normal', textAlign: 'left', lineHeight: 1.35 } } as const

function NewCenter({ keyProtection, onDone, onRecover, records, server, bare = false }: Props & { onRecover: (() => void) | null; bare?: boolean }) {
  const { t } = useTranslation()
  const setup = useSetup()
  // On the server the passphrase was chosen when connecting: it wraps the server's password here.
  const needsPassphrase = keyProtection === 'passphrase' && records === 'file'
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
      centerName: (value) => rules.requiredText(t, value, 100, 'centerName'),
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

  const body = (
      <form noValidate onSubmit={submit}>
        <Stack gap="lg">
          {server ? (
            <Alert color="green" variant="light" icon={<IconServer aria-hidden />}>
              {t('serverSetup.connectedTo', { where: server })}
            </Alert>
          ) : null}
          <Fieldset legend={t('setup.centerSection')} variant="unstyled" styles={LEGEND}>
            <TextInput
              label={t('setup.centerName')}
              placeholder={t('setup.centerNamePlaceholder')}
              autoFocus
              required
              maxLength={100}
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
            <PassphraseFieldset intro={t('setup.passphraseIntro')} passphrase={form.getInputProps('passphrase')} confirm={form.getInputProps('confirmPassphrase')} />
          ) : null}
          <FormAlert error={alertError} />
          <Button type="submit" loading={setup.isPending}>
            {t('setup.submit')}
          </Button>
          {onRecover ? (
            // Its label is longer than the card is wide in English and Spanish: it wraps inside the card.
            <Button variant="subtle" leftSection={<IconKey aria-hidden size={18} />} onClick={onRecover} w="fit-content" maw="100%" h="auto" py={6} styles={WRAPPING_LABEL}>
              {t('setup.recoverInstead')}
            </Button>
          ) : null}
        </Stack>
      </form>
  )
  if (bare) return body
  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.intro')} width={560}>
      {body}
    </AuthLayout>
  )
}

import { Alert, Button, Fieldset, Group, List, NumberInput, Radio, Stack, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { IconPlugConnected, IconServer } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import type { InputOf, ResultOf } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { LEGEND, PassphraseFieldset } from '../components/PassphraseFieldset'
import { SecretInput } from '../components/SecretInput'
import { useConnectServer, useTestServer } from '../hooks/queries'
import { fieldErrors } from '../lib/errors'
import { focusFirstError } from '../lib/forms'
import type { KeyProtection } from '../lib/types'
import * as rules from '../lib/validation'

type Connection = InputOf<'setup.testServer'>

const CONNECTION_FIELDS = ['host', 'port', 'database', 'user', 'password', 'caFile', 'certFile', 'keyFile', 'keyPassphrase'] as const
const FULL_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/

/** Field errors main gave for "connection.host" (Connect) or "host" (Test connection), by field. */
function serverFieldErrors(error: unknown): Partial<Record<(typeof CONNECTION_FIELDS)[number] | 'passphrase', string>> {
  const nested = fieldErrors(
    error,
    CONNECTION_FIELDS.map((field) => `connection.${field}` as const),
  )
  const flat = fieldErrors(error, [...CONNECTION_FIELDS, 'passphrase'] as const)
  return { ...Object.fromEntries(Object.entries(nested).map(([path, text]) => [path.replace(/^connection\./, ''), text])), ...flat }
}

/**
 * First run, "connect to the center's PostgreSQL server": where it is, who Porchlight signs in
 * as, and how the connection is trusted. "Test connection" says what main found there without
 * writing anything; "Connect" keeps these details on this PC (the password wrapped by its key store).
 */
export function ServerSetup({ keyProtection }: { keyProtection: KeyProtection }) {
  const { t } = useTranslation()
  const test = useTestServer()
  const connect = useConnectServer()
  const needsPassphrase = keyProtection === 'passphrase'
  const required = (value: string, max: number, what: string) =>
    !value.trim() ? t('validation.required', { what }) : value.trim().length > max ? t('validation.maxLength', { max }) : null
  const form = useForm({
    initialValues: {
      host: '',
      port: 5432 as number | string,
      database: 'porchlight',
      user: 'porchlight',
      auth: 'password' as Connection['auth'],
      password: '',
      caFile: '',
      certFile: '',
      keyFile: '',
      keyPassphrase: '',
      passphrase: '',
      confirmPassphrase: '',
    },
    validate: {
      host: (value) => required(value, 253, t('serverSetup.whatHost')),
      port: (value) => (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535 ? null : t('serverSetup.portRange')),
      database: (value) => required(value, 63, t('serverSetup.whatDatabase')),
      user: (value) => required(value, 63, t('serverSetup.whatUser')),
      caFile: (value) => (value.trim() === '' || FULL_PATH.test(value.trim()) ? null : t('serverSetup.fullPath')),
      certFile: (value, values) => (values.auth !== 'certificate' ? null : FULL_PATH.test(value.trim()) ? null : t('serverSetup.fullPath')),
      keyFile: (value, values) => (values.auth !== 'certificate' ? null : FULL_PATH.test(value.trim()) ? null : t('serverSetup.fullPath')),
      passphrase: (value) => (needsPassphrase ? rules.secret(t, value, 'passphrase') : null),
      confirmPassphrase: (value, values) => (needsPassphrase && value !== values.passphrase ? t('validation.passphrasesDiffer') : null),
    },
  })

  const connection = (values: typeof form.values): Connection => ({
    host: values.host.trim(),
    port: Number(values.port),
    database: values.database.trim(),
    user: values.user.trim(),
    auth: values.auth,
    ...(values.auth === 'password' && values.password ? { password: values.password } : {}),
    ...(values.caFile.trim() ? { caFile: values.caFile.trim() } : {}),
    ...(values.auth === 'certificate' ? { certFile: values.certFile.trim(), keyFile: values.keyFile.trim() } : {}),
    ...(values.auth === 'certificate' && values.keyPassphrase ? { keyPassphrase: values.keyPassphrase } : {}),
  })

  const showFieldErrors = (error: unknown) => {
    const errors = serverFieldErrors(error)
    form.setErrors(errors)
    focusFirstError(errors)
  }

  const onTest = () => {
    const checked = form.validate()
    if (checked.hasErrors) return focusFirstError(checked.errors)
    connect.reset()
    test.mutate(connection(form.values), { onError: showFieldErrors })
  }

  const submit = form.onSubmit((values) => {
    test.reset()
    const input: InputOf<'setup.connectServer'> = { connection: connection(values), ...(needsPassphrase ? { passphrase: values.passphrase } : {}) }
    connect.mutate(input, { onError: showFieldErrors })
  }, focusFirstError)

  const failure = connect.error ?? test.error
  const alertError = failure && Object.keys(serverFieldErrors(failure)).length === 0 ? failure : null
  const certificate = form.values.auth === 'certificate'

  return (
    <form noValidate onSubmit={submit} aria-label={t('serverSetup.formLabel')}>
      <Stack gap="lg">
        <Text size="sm">{t('serverSetup.intro')}</Text>
        <Fieldset legend={t('serverSetup.whereSection')} variant="unstyled" styles={LEGEND}>
          <Stack gap="sm">
            <TextInput
              label={t('serverSetup.host')}
              description={t('serverSetup.hostHint')}
              required
              autoCapitalize="none"
              spellCheck={false}
              maxLength={253}
              {...form.getInputProps('host')}
            />
            <Group align="flex-start" wrap="nowrap">
              <NumberInput label={t('serverSetup.port')} required min={1} max={65535} allowDecimal={false} hideControls w={120} {...form.getInputProps('port')} />
              <TextInput label={t('serverSetup.database')} required autoCapitalize="none" spellCheck={false} maxLength={63} style={{ flex: 1 }} {...form.getInputProps('database')} />
            </Group>
          </Stack>
        </Fieldset>
        <Fieldset legend={t('serverSetup.signInSection')} variant="unstyled" styles={LEGEND}>
          <Stack gap="sm">
            <TextInput label={t('serverSetup.user')} required autoCapitalize="none" spellCheck={false} maxLength={63} {...form.getInputProps('user')} />
            <Radio.Group label={t('serverSetup.auth')} {...form.getInputProps('auth')}>
              <Group mt={6}>
                <Radio value="password" label={t('serverSetup.authPassword')} />
                <Radio value="certificate" label={t('serverSetup.authCertificate')} />
              </Group>
            </Radio.Group>
            {certificate ? (
              <>
                <TextInput label={t('serverSetup.certFile')} description={t('serverSetup.pathHint')} required spellCheck={false} {...form.getInputProps('certFile')} />
                <TextInput label={t('serverSetup.keyFile')} description={t('serverSetup.pathHint')} required spellCheck={false} {...form.getInputProps('keyFile')} />
                <SecretInput label={t('serverSetup.keyPassphrase')} description={t('serverSetup.keyPassphraseHint')} autoComplete="off" {...form.getInputProps('keyPassphrase')} />
              </>
            ) : (
              <SecretInput label={t('serverSetup.password')} autoComplete="off" {...form.getInputProps('password')} />
            )}
          </Stack>
        </Fieldset>
        <Fieldset legend={t('serverSetup.trustSection')} variant="unstyled" styles={LEGEND}>
          <TextInput label={t('serverSetup.caFile')} description={t('serverSetup.caFileHint')} spellCheck={false} {...form.getInputProps('caFile')} />
        </Fieldset>
        {needsPassphrase ? (
          <PassphraseFieldset intro={t('serverSetup.passphraseIntro')} passphrase={form.getInputProps('passphrase')} confirm={form.getInputProps('confirmPassphrase')} />
        ) : null}
        {test.data ? <Found result={test.data} /> : null}
        <FormAlert error={alertError} />
        <Group>
          <Button variant="default" leftSection={<IconPlugConnected aria-hidden size={18} />} onClick={onTest} loading={test.isPending}>
            {t('serverSetup.test')}
          </Button>
          <Button type="submit" leftSection={<IconServer aria-hidden size={18} />} loading={connect.isPending}>
            {t('serverSetup.connect')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** What "Test connection" found, read out when it appears. */
function Found({ result }: { result: ResultOf<'setup.testServer'> }) {
  const { t } = useTranslation()
  return (
    <Alert color="green" variant="light" role="status" title={t('serverSetup.found', { where: result.where })}>
      <List size="sm" spacing={2}>
        <List.Item>{t('serverSetup.foundVersion', { version: result.version })}</List.Item>
        <List.Item>{result.tls ? t('serverSetup.foundTls', { tls: result.tls }) : t('serverSetup.foundLocal')}</List.Item>
        <List.Item>
          {result.holds === 'empty'
            ? t('serverSetup.foundEmpty')
            : result.setUp
              ? t('serverSetup.foundCenter', { center: result.centerName ?? '—' })
              : t('serverSetup.foundNotSetUp')}
        </List.Item>
      </List>
    </Alert>
  )
}

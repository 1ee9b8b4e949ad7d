import { Alert, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconDatabaseImport, IconRefresh, IconShieldCheck } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { formatMessage } from '../i18n/messages'
import { AuthLayout } from '../components/AuthLayout'
import { FormAlert } from '../components/FormAlert'
import { useRestoreAfterDamage } from '../hooks/queries/app'
import { currentLanguage } from '../i18n'
import { errorMessage } from '../lib/errors'
import { formatDate, formatTime } from '../lib/format'
import type { AppStatus } from '../lib/types'

/** Refusals where the records are untouched and only the version of Porchlight is wrong: said calmly. */
const VERSION_CODES: ReadonlySet<string> = new Set(['DB_UPGRADE_FAILED', 'DB_UPGRADE_BACKUP', 'DB_TOO_NEW'])

type Props = { onRetry: () => void; retrying: boolean } & ({ status: AppStatus; error?: never } | { error: unknown; status?: never })

/**
 * Main could not open the records (phase 'error'), or could not be reached at all. Main's
 * message already says what to do, so it is shown in the screen's language, with its code for the admin. When
 * the file is damaged and a verified backup exists, main offers it and this screen can restore it.
 */
export function ErrorScreen({ status, error, onRetry, retrying }: Props) {
  const { t } = useTranslation()
  const refused = status?.error
  const message = refused ? formatMessage(currentLanguage(), refused.ref.key, refused.ref.params) : errorMessage(t, currentLanguage(), error)
  const code = status?.error?.code
  const offer = status?.restore ?? null
  const calm = code !== undefined && VERSION_CODES.has(code)
  return (
    <AuthLayout title={t(calm ? 'errorScreen.upgradeTitle' : 'errorScreen.title')} width={560}>
      <Stack gap="md">
        <Alert color={calm ? 'blue' : 'red'} variant="light" icon={calm ? <IconShieldCheck aria-hidden /> : <IconAlertTriangle aria-hidden />} role="alert">
          <Text>{message}</Text>
        </Alert>
        {calm ? <Text>{t('errorScreen.upgradeCalm')}</Text> : null}
        {code ? (
          <Text size="sm" c="dimmed">
            {t('errorScreen.code')} <Code>{code}</Code>
          </Text>
        ) : null}
        {offer ? <RestoreOffer offer={offer} /> : null}
        <Button
          leftSection={<IconRefresh aria-hidden size={18} />}
          onClick={onRetry}
          loading={retrying}
          w="fit-content"
          variant={offer ? 'default' : 'filled'}
          autoFocus={!offer}
        >
          {t('common.tryAgain')}
        </Button>
      </Stack>
    </AuthLayout>
  )
}

function RestoreOffer({ offer }: { offer: NonNullable<AppStatus['restore']> }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const when = t('errorScreen.restoreWhen', { date: formatDate(offer.createdAt, language), time: formatTime(offer.createdAt, language) })
  const restore = useRestoreAfterDamage((outcome) =>
    notifications.show({
      color: 'green',
      title: t('errorScreen.restoredTitle'),
      message: t('errorScreen.restoredMessage', { when, aside: outcome.asideFile }),
      autoClose: false,
    }),
  )
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="restore-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="restore-title">
          {t('errorScreen.restoreTitle')}
        </Title>
        <Text>{t('errorScreen.restoreBody', {
            when,
            people: t('errorScreen.restorePeople', { count: offer.participants }),
            visits: t('errorScreen.restoreVisits', { count: offer.visits }),
          })}</Text>
        <Text size="sm" c="dimmed">
          {t('errorScreen.restoreKeptAside')}
        </Text>
        <FormAlert error={restore.error} />
        <Group>
          <Button
            leftSection={<IconDatabaseImport aria-hidden size={18} />}
            loading={restore.isPending}
            autoFocus
            onClick={() => restore.mutate()}
          >
            {t('errorScreen.restore')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  )
}

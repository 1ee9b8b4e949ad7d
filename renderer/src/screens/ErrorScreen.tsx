import { Alert, Button, Code, Stack, Text } from '@mantine/core'
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../components/AuthLayout'
import { currentLanguage } from '../i18n'
import { errorMessage } from '../lib/errors'
import type { AppStatus } from '../lib/types'

type Props = { onRetry: () => void; retrying: boolean } & ({ status: AppStatus; error?: never } | { error: unknown; status?: never })

/**
 * Main could not open the records (phase 'error'), or could not be reached at all. Main's
 * message already says what to do, so it is shown as it is, with its code for the admin.
 */
export function ErrorScreen({ status, error, onRetry, retrying }: Props) {
  const { t } = useTranslation()
  const message = status?.error?.message ?? errorMessage(t, currentLanguage(), error)
  const code = status?.error?.code
  return (
    <AuthLayout title={t('errorScreen.title')} width={560}>
      <Stack gap="md">
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
          <Text>{message}</Text>
        </Alert>
        {code ? (
          <Text size="sm" c="dimmed">
            {t('errorScreen.code')} <Code>{code}</Code>
          </Text>
        ) : null}
        <Button leftSection={<IconRefresh aria-hidden size={18} />} onClick={onRetry} loading={retrying} w="fit-content" autoFocus>
          {t('common.tryAgain')}
        </Button>
      </Stack>
    </AuthLayout>
  )
}

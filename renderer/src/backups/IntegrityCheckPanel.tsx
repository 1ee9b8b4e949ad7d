import { Alert, Button, Group, List, Stack, Text, Title } from '@mantine/core'
import { IconAlertTriangle, IconCircleCheck, IconShieldCheck } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useCheckIntegrity } from '../hooks/queries'
import type { BackupOverview } from '../lib/types'
import { formatWhen } from './BackupsScreen'

type LastCheck = BackupOverview['lastCheck']

/** The latest full check of the live file: when, its result, and what to do when it found damage. */
export function IntegrityCheckPanel({ lastCheck }: { lastCheck: LastCheck }) {
  const { t } = useTranslation()
  const check = useCheckIntegrity()
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t('backups.integrity.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('backups.integrity.intro')}
      </Text>
      <LastCheckResult lastCheck={lastCheck} />
      <Group>
        <Button variant="default" leftSection={<IconShieldCheck aria-hidden size={18} />} loading={check.isPending} onClick={() => check.mutate()}>
          {t('backups.integrity.checkNow')}
        </Button>
        {check.isPending ? (
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('backups.integrity.running')}
          </Text>
        ) : null}
      </Group>
      <FormAlert error={check.error} />
    </Stack>
  )
}

function LastCheckResult({ lastCheck }: { lastCheck: LastCheck }) {
  const { t } = useTranslation()
  if (!lastCheck) return <Text size="sm">{t('backups.integrity.never')}</Text>
  const when = formatWhen(lastCheck.at)
  if (lastCheck.ok) {
    return (
      <Group gap={6}>
        <IconCircleCheck aria-hidden size={18} color="var(--mantine-color-green-8)" />
        <Text size="sm">{t('backups.integrity.lastOk', { when })}</Text>
      </Group>
    )
  }
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('backups.integrity.failedTitle', { when })}>
      <Stack gap="xs">
        <Text size="sm">{t('backups.integrity.failedBody')}</Text>
        <List type="ordered" size="sm">
          <List.Item>{t('backups.integrity.stepRestore')}</List.Item>
          <List.Item>{t('backups.integrity.stepIt')}</List.Item>
          <List.Item>{t('backups.integrity.stepAgain')}</List.Item>
        </List>
        <Text size="xs">{t('backups.integrity.details', { details: lastCheck.problems.slice(0, 3).join('; ') })}</Text>
      </Stack>
    </Alert>
  )
}

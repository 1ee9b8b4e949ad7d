import '../all-styles'
import { Alert, Button, Checkbox, Group, List, Paper, Stack, Text } from '@mantine/core'
import { IconArrowRight, IconKey, IconPrinter } from '@tabler/icons-react'
import { Fragment, useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../components/AuthLayout'
import { currentLanguage } from '../i18n'
import { formatDate } from '../lib/format'

interface Props {
  recoveryKey: string
  centerName: string
  onContinue: () => void
}

/** The key, breakable only after its dashes, so a wrapped line never splits a group. */
export function KeyText({ recoveryKey }: { recoveryKey: string }) {
  const groups = recoveryKey.split('-')
  return (
    <>
      {groups.map((group, index) => (
        <Fragment key={index}>
          {group}
          {index < groups.length - 1 ? (
            <>
              -<wbr />
            </>
          ) : null}
        </Fragment>
      ))}
    </>
  )
}

/** The key on its grey card, as the setup screen and a new recovery key both show it. */
export function KeyPanel({ recoveryKey, testId }: { recoveryKey: string; testId: string }) {
  const { t } = useTranslation()
  return (
    <Paper withBorder radius="md" p="lg" bg="gray.0">
      <Stack gap={6}>
        <Text size="sm" fw={600} c="dimmed">
          {t('recovery.keyLabel')}
        </Text>
        <Text component="p" className="pl-recovery-key" data-testid={testId} m={0}>
          <KeyText recoveryKey={recoveryKey} />
        </Text>
      </Stack>
    </Paper>
  )
}

/**
 * Shown once, right after setup. The key lives only in this component's props: it is not
 * cached, stored or copied anywhere, and Continue drops it for good.
 */
export function RecoveryKeyScreen({ recoveryKey, centerName, onContinue }: Props) {
  const { t } = useTranslation()
  const [confirmed, setConfirmed] = useState(false)
  return (
    <AuthLayout title={t('recovery.title')} subtitle={t('recovery.intro')} width={720}>
      <Stack gap="lg">
        <KeyPanel recoveryKey={recoveryKey} testId="recovery-key" />
        <Alert color="yellow" variant="light" icon={<IconKey aria-hidden />}>
          <List spacing={6} size="sm">
            <List.Item>{t('recovery.why', { center: centerName })}</List.Item>
            <List.Item>{t('recovery.keep')}</List.Item>
          </List>
        </Alert>
        <Group>
          {/* Paper only: no "Save as PDF" here, unlike the sign-in sheet and the funder report. A
              recovery key in a file on this computer sits beside the database it opens (and in its
              backups and synced folders), which defeats it; the key belongs on paper in a locked place. */}
          <Button variant="default" leftSection={<IconPrinter aria-hidden size={18} />} onClick={() => window.print()}>
            {t('recovery.print')}
          </Button>
        </Group>
        <Checkbox
          label={t('recovery.confirm')}
          checked={confirmed}
          onChange={(event) => setConfirmed(event.currentTarget.checked)}
        />
        <Button rightSection={<IconArrowRight aria-hidden size={18} />} disabled={!confirmed} onClick={onContinue} w="fit-content">
          {t('recovery.continue')}
        </Button>
      </Stack>
      <PrintSheet recoveryKey={recoveryKey} centerName={centerName} />
    </AuthLayout>
  )
}

/** The sheet that prints; outside #root, so the print stylesheet can hide the whole app and keep only it. */
export function PrintSheet({ recoveryKey, centerName }: { recoveryKey: string; centerName: string }) {
  const { t } = useTranslation()
  return createPortal(
    <div className="pl-print-sheet" aria-hidden>
      <h1>{t('recovery.printTitle')}</h1>
      <p>{t('recovery.printCenter', { center: centerName })}</p>
      <p className="pl-recovery-key">{recoveryKey}</p>
      <p>{t('recovery.printDate', { date: formatDate(new Date().toISOString(), currentLanguage()) })}</p>
    </div>,
    document.body,
  )
}

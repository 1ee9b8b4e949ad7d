import { Alert, Button, Group, List, Modal, Skeleton, Stack, Text, TextInput } from '@mantine/core'
import { IconAlertTriangle, IconRestore } from '@tabler/icons-react'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useBackupPreview, useRestoreBackup } from '../hooks/queries'
import type { BackupListing } from '../lib/types'
import { formatSize, formatWhen } from './BackupsScreen'

/**
 * Restore: the backup is checked through first and what it holds is shown; then the admin types
 * the confirmation word. Main keeps the current database aside and signs everyone out.
 */
export function RestoreDialog({ backup, onClose }: { backup: BackupListing | null; onClose: () => void }) {
  const { t } = useTranslation()
  const preview = useBackupPreview(backup?.file ?? null)
  const restore = useRestoreBackup()
  const [typed, setTyped] = useState('')
  const word = t('backups.confirmWord')
  const close = () => {
    setTyped('')
    restore.reset()
    onClose()
  }
  const counts = preview.data?.counts
  return (
    <Modal
      opened={backup !== null}
      onClose={close}
      title={backup ? t('backups.restoreTitle', { when: formatWhen(backup.createdAt) }) : ''}
      centered
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      <Stack gap="md">
        {preview.isPending ? <Skeleton h={120} aria-label={t('backups.checking')} /> : null}
        {preview.isError ? <FormAlert error={preview.error} /> : null}
        {counts && preview.data ? (
          <>
            <Text fw={600}>{t('backups.previewHeading')}</Text>
            <List spacing={4} aria-label={t('backups.previewHeading')}>
              <List.Item>{t('backups.previewPeople', { count: counts.participants ?? 0 })}</List.Item>
              <List.Item>{t('backups.previewVisits', { count: counts.visits ?? 0 })}</List.Item>
              <List.Item>{t('backups.previewStaff', { count: counts.staff ?? 0 })}</List.Item>
              <List.Item>{t('backups.previewAudit', { count: counts.audit_log ?? 0 })}</List.Item>
              <List.Item>{t('backups.previewSize', { size: formatSize(preview.data.bytes) })}</List.Item>
            </List>
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />}>
              {t('backups.restoreWarning')}
            </Alert>
            <TextInput
              label={t('backups.typeToConfirm', { word })}
              value={typed}
              onChange={(event) => setTyped(event.currentTarget.value)}
              autoComplete="off"
              spellCheck={false}
              data-autofocus
            />
          </>
        ) : null}
        <FormAlert error={restore.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            leftSection={<IconRestore aria-hidden size={18} />}
            disabled={!counts || typed.trim().toLocaleUpperCase() !== word.toLocaleUpperCase()}
            loading={restore.isPending}
            onClick={() =>
              backup &&
              restore.mutate(backup.file, {
                onSuccess: () => notifications.show({ color: 'green', title: t('backups.restoredTitle'), message: t('backups.restoredBody'), autoClose: false }),
              })
            }
          >
            {t('backups.restoreConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

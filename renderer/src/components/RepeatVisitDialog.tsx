import { Button, Group, Modal, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'

interface Props {
  opened: boolean
  name: string
  /** Local HH:mm of the visit already open today. */
  since: string
  busy: boolean
  onConfirm: () => void
  onCancel: () => void
}

/** A second sign-in the same day is allowed, but only on purpose: the desk confirms it. Esc or Cancel backs out. */
export function RepeatVisitDialog({ opened, name, since, busy, onConfirm, onCancel }: Props) {
  const { t } = useTranslation()
  return (
    <Modal opened={opened} onClose={onCancel} title={t('checkin.repeatTitle')} centered size="md" returnFocus withCloseButton={false} styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}>
      <Text mb="lg">{t('checkin.repeatBody', { name, time: since })}</Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button onClick={onConfirm} loading={busy} data-autofocus>
          {t('checkin.repeatConfirm')}
        </Button>
      </Group>
    </Modal>
  )
}

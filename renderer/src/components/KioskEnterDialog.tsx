import { Button, Group, List, Modal, Stack, Text } from '@mantine/core'
import { IconDeviceTablet } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { useEnterKiosk } from '../hooks/queries'
import { FormAlert } from './FormAlert'

/** Handing the screen to participants is a deliberate act: say what it does, then do it. */
export function KioskEnterDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const enter = useEnterKiosk()
  return (
    <Modal
      opened={opened}
      onClose={() => {
        enter.reset()
        onClose()
      }}
      title={t('kioskEnter.title')}
      centered
      size="md"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      <Stack gap="md">
        <Text>{t('kioskEnter.body')}</Text>
        <List spacing={4}>
          <List.Item>{t('kioskEnter.point1')}</List.Item>
          <List.Item>{t('kioskEnter.point2')}</List.Item>
        </List>
        <FormAlert error={enter.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            data-autofocus
            leftSection={<IconDeviceTablet aria-hidden size={18} />}
            loading={enter.isPending}
            onClick={() => enter.mutate()}
          >
            {t('kioskEnter.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

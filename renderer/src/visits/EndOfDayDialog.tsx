import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconDoorExit } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useSignOutAll } from '../hooks/queries'

/** End of day: everyone still here is signed out at once, after the desk sees how many that is. */
export function EndOfDayDialog({ opened, count, onClose }: { opened: boolean; count: number; onClose: () => void }) {
  const { t } = useTranslation()
  const signOutAll = useSignOutAll()
  const close = () => {
    signOutAll.reset()
    onClose()
  }
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('endOfDay.title')}
      centered
      size="md"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      <Stack gap="md">
        <Text>{count > 0 ? t('endOfDay.body', { count }) : t('endOfDay.nobody')}</Text>
        <FormAlert error={signOutAll.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            data-autofocus
            disabled={count === 0}
            leftSection={<IconDoorExit aria-hidden size={18} />}
            loading={signOutAll.isPending}
            onClick={() =>
              signOutAll.mutate(undefined, {
                onSuccess: (result) => {
                  notifications.show({ color: 'green', title: t('endOfDay.doneTitle'), message: t('endOfDay.doneMessage', { count: result.count }) })
                  close()
                },
              })
            }
          >
            {t('endOfDay.confirm', { count })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

import { Button, Group, Modal, Radio, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconDoorExit } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { invoke } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { useSignOutAll } from '../hooks/queries'
import { useNow } from '../hooks/useNow'
import { currentLanguage } from '../i18n'
import { formatTime } from '../lib/format'

/**
 * End of day: everyone still here is signed out at once, after the desk sees how many that is.
 * Pressed after the center's closing time, it proposes that time, so a late press does not
 * stretch every stay into the evening; "now" stays one choice away.
 */
export function EndOfDayDialog({ opened, count, onClose }: { opened: boolean; count: number; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const signOutAll = useSignOutAll()
  const closing = useQuery({ queryKey: ['visits', 'closingTime'], queryFn: () => invoke('visits.closingTime', {}), enabled: opened, staleTime: 0 })
  const [choice, setChoice] = useState<'closing' | 'now'>('closing')
  const now = useNow(10_000)
  const closesAt = closing.data?.closesAt ?? null
  // Known only once main answered; before closing time there is nothing to choose.
  const afterClosing = closesAt !== null && now > Date.parse(closesAt)
  const at = afterClosing && choice === 'closing' ? closesAt : undefined
  const close = () => {
    signOutAll.reset()
    setChoice('closing')
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
        <Text>{count === 0 ? t('endOfDay.nobody') : afterClosing ? t('endOfDay.bodyWhen', { count }) : t('endOfDay.body', { count })}</Text>
        {count > 0 && afterClosing && closesAt ? (
          <Radio.Group value={choice} onChange={(value) => setChoice(value as 'closing' | 'now')} label={t('endOfDay.when')}>
            <Stack gap="xs" mt="xs">
              <Radio value="closing" label={t('endOfDay.atClosing', { time: formatTime(closesAt, language) })} />
              <Radio value="now" label={t('endOfDay.atNow')} />
            </Stack>
          </Radio.Group>
        ) : null}
        <FormAlert error={signOutAll.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            data-autofocus
            disabled={count === 0 || closing.isPending}
            leftSection={<IconDoorExit aria-hidden size={18} />}
            loading={signOutAll.isPending}
            onClick={() =>
              signOutAll.mutate(at, {
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

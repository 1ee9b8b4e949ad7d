import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconBan } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useVoidVisit } from '../hooks/queries'
import { ReasonField } from './ReasonField'

interface Props {
  /** The visit to void, or null when the dialog is closed. */
  visit: { id: number; who: string; time: string } | null
  onClose: () => void
}

/** Voiding keeps the visit in the records, marked and with its reason; it only stops counting. */
export function VoidVisitDialog({ visit, onClose }: Props) {
  const { t } = useTranslation()
  const voidVisit = useVoidVisit()
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)

  function close(): void {
    setReason('')
    setError(null)
    voidVisit.reset()
    onClose()
  }

  function submit(event: FormEvent): void {
    event.preventDefault()
    if (!visit || voidVisit.isPending) return
    if (reason.trim().length < 3) {
      setError(t('visitEdit.reasonRequired'))
      document.querySelector<HTMLElement>('[data-reason]')?.focus()
      return
    }
    voidVisit.mutate(
      { visitId: visit.id, reason: reason.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'gray', title: t('visitVoid.doneTitle'), message: t('visitVoid.doneMessage', { who: visit.who, time: visit.time }) })
          close()
        },
      },
    )
  }

  return (
    <Modal
      opened={visit !== null}
      onClose={close}
      title={t('visitVoid.title')}
      centered
      size="md"
      closeButtonProps={{ 'aria-label': t('common.close') }}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      <form noValidate onSubmit={submit}>
        <Stack gap="md">
          <Text>{visit ? t('visitVoid.body', { who: visit.who, time: visit.time }) : null}</Text>
          <ReasonField
            value={reason}
            error={error}
            onChange={(value) => {
              setReason(value)
              setError(null)
            }}
          />
          <FormAlert error={voidVisit.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" leftSection={<IconBan aria-hidden size={18} />} loading={voidVisit.isPending}>
              {t('visitVoid.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

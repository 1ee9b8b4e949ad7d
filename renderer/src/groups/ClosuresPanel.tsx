import { Alert, Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { IconCalendarOff, IconTrash } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { currentLanguage } from '../i18n'
import { isRealDay } from '../lib/fields'
import { formatDay } from './format'
import { useClosurePreview, useClosures, useCreateClosure, useDeleteClosure } from '../hooks/queries'

/** Center-wide closed days: each shows what it cancels before it is saved, and deleting it brings the sessions back. */
export function ClosuresPanel() {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const closures = useClosures()
  const remove = useDeleteClosure()
  const [adding, setAdding] = useState(false)
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <Group justify="space-between">
        <Title order={2} size="h4" id={headingId}>
          {t('groups.closures')}
        </Title>
        <Button leftSection={<IconCalendarOff aria-hidden size={18} />} onClick={() => setAdding(true)}>
          {t('groups.addClosure')}
        </Button>
      </Group>
      {closures.error ? <FormAlert error={closures.error} /> : null}
      {remove.error ? <FormAlert error={remove.error} /> : null}
      {closures.data?.length === 0 ? <Text c="dimmed">{t('groups.noClosures')}</Text> : null}
      {closures.data?.length ? (
        <Table striped aria-labelledby={headingId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('groups.date')}</Table.Th>
              <Table.Th scope="col">{t('groups.closureReason')}</Table.Th>
              <Table.Th scope="col">{t('groups.cancelledSessions')}</Table.Th>
              <Table.Th scope="col">
                <span className="pl-visually-hidden">{t('groups.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {closures.data.map((closure) => (
              <Table.Tr key={closure.id}>
                <Table.Td>{formatDay(closure.date, language, true)}</Table.Td>
                <Table.Td>{closure.reason}</Table.Td>
                <Table.Td>{closure.cancelledSessions}</Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconTrash aria-hidden size={14} />} onClick={() => remove.mutate({ id: closure.id })} aria-label={t('groups.deleteClosure', { date: formatDay(closure.date, language, true) })}>
                    {t('groups.delete')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <ClosureDialog opened={adding} onClose={() => setAdding(false)} />
    </Stack>
  )
}

function ClosureDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const [date, setDate] = useState('')
  const [reason, setReason] = useState('')
  const create = useCreateClosure()
  const preview = useClosurePreview(isRealDay(date) ? date : null)
  const close = () => {
    setDate('')
    setReason('')
    create.reset()
    onClose()
  }
  return (
    // Wide enough for "Keep the center open" beside "Close the center that day" on one row, in Spanish too.
    <Modal opened={opened} onClose={close} title={t('groups.addClosure')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          create.mutate({ date, reason }, { onSuccess: close })
        }}
      >
        <Stack>
          <TextInput type="date" label={t('groups.closedOn')} required value={date} onChange={(e) => setDate(e.currentTarget.value)} data-autofocus />
          <TextInput label={t('groups.closureReason')} description={t('groups.closureReasonHelp')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={200} />
          {preview.data ? (
            <Alert color={preview.data.withAttendance ? 'red' : 'yellow'} variant="light" role="status" data-testid="closure-preview">
              {preview.data.sessions === 0
                ? t('groups.previewNone')
                : `${t('groups.previewSessions', { count: preview.data.sessions })} ${t('groups.previewGroups', { count: preview.data.groups })}: ${preview.data.groupNames.join(', ')}`}
            </Alert>
          ) : null}
          {preview.error ? <FormAlert error={preview.error} /> : null}
          {create.error ? <FormAlert error={create.error} /> : null}
          {/* Not "Cancel" under "… sessions will be cancelled": leaving changes nothing. */}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('groups.keepOpen')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!preview.data}>
              {t('groups.saveClosure')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

import { Button, Group, Modal, NumberInput, Radio, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import type { TFunction } from 'i18next'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { Engagement, EngagementEvent, EngagementStatus, Meeting } from '../../../electron/ipc/contract'
import { FormFooter } from '../components/FormFooter'
import { currentLanguage } from '../i18n'
import { formatDay } from '../referrals/labels'
import { useCoaches, useCoachingSettings, useCoachingWrite } from '../hooks/queries'

/**
 * The changes an open engagement goes through after it starts: renewal for another period, a
 * transfer to another coach, a pause, a resumption or its end (each with the reason), and a
 * scheduled meeting that did not happen. Every change is kept in the engagement's history.
 */

export type EngagementDialog = 'renew' | 'transfer' | 'status'

const STATUS_TITLES = { renew: 'coaching.manage.renewTitle', transfer: 'coaching.manage.transferTitle', status: 'coaching.manage.statusTitle' } as const

export function EngagementDialogs({ engagement, open, onClose }: { engagement: Engagement; open: EngagementDialog | null; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal opened={open !== null} onClose={onClose} title={open ? t(STATUS_TITLES[open]) : ''} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {open === 'renew' ? <RenewForm engagement={engagement} onClose={onClose} /> : null}
      {open === 'transfer' ? <TransferForm engagement={engagement} onClose={onClose} /> : null}
      {open === 'status' ? <StatusForm engagement={engagement} onClose={onClose} /> : null}
    </Modal>
  )
}

function useSaved(onClose: () => void) {
  const { t } = useTranslation()
  return () => {
    notifications.show({ message: t('coaching.manage.saved'), color: 'teal' })
    onClose()
  }
}

function RenewForm({ engagement, onClose }: { engagement: Engagement; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const settings = useCoachingSettings()
  const renew = useCoachingWrite('coaching.renew')
  const saved = useSaved(onClose)
  const form = useForm<{ days: number | string }>({ initialValues: { days: '' } })
  // The center's period is offered until the coach types another.
  const days = form.values.days === '' ? (settings.data?.plannedDays ?? 90) : form.values.days
  return (
    <form noValidate onSubmit={form.onSubmit(() => renew.mutate({ engagementId: engagement.id, days: Number(days) }, { onSuccess: saved }))}>
      <Stack gap="sm">
        <Text size="sm">{t('coaching.manage.renewHelp', { date: formatDay(engagement.endsOn, language) })}</Text>
        <NumberInput label={t('coaching.manage.renewDays')} required min={1} max={730} {...form.getInputProps('days')} value={days} data-autofocus />
        <FormFooter error={renew.error} onCancel={onClose} submitLabel={t('coaching.manage.renewSave')} pending={renew.isPending} />
      </Stack>
    </form>
  )
}

function TransferForm({ engagement, onClose }: { engagement: Engagement; onClose: () => void }) {
  const { t } = useTranslation()
  const coaches = useCoaches()
  const transfer = useCoachingWrite('coaching.transfer')
  const saved = useSaved(onClose)
  const form = useForm({
    initialValues: { coachId: '', reason: '' },
    validate: { coachId: (v) => (v ? null : t('coaching.chooseCoach')), reason: (v) => (v.trim().length >= 3 ? null : t('coaching.manage.reasonRequired')) },
  })
  const others = (coaches.data ?? []).filter((c) => c.id !== engagement.coach.id)
  return (
    <form noValidate onSubmit={form.onSubmit((v) => transfer.mutate({ engagementId: engagement.id, coachId: Number(v.coachId), reason: v.reason }, { onSuccess: saved }))}>
      <Stack gap="sm">
        <Text size="sm">{t('coaching.manage.transferHelp', { name: engagement.coach.name })}</Text>
        <Select label={t('coaching.manage.newCoach')} required data={others.map((c) => ({ value: String(c.id), label: c.name }))} {...form.getInputProps('coachId')} data-autofocus />
        <Textarea label={t('coaching.manage.reason')} required autosize minRows={2} maxLength={300} {...form.getInputProps('reason')} />
        <FormFooter error={transfer.error} onCancel={onClose} submitLabel={t('coaching.manage.transferSave')} pending={transfer.isPending} />
      </Stack>
    </form>
  )
}

function StatusForm({ engagement, onClose }: { engagement: Engagement; onClose: () => void }) {
  const { t } = useTranslation()
  const setStatus = useCoachingWrite('coaching.setStatus')
  const saved = useSaved(onClose)
  // A paused engagement resumes; an active one pauses. Either can be completed or closed.
  const choices = (['active', 'paused', 'completed', 'closed'] as const).filter((s) => s !== engagement.status)
  const form = useForm({
    initialValues: { status: choices[0] as string, reason: '' },
    validate: { reason: (v) => (v.trim().length >= 3 ? null : t('coaching.manage.reasonRequired')) },
  })
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => setStatus.mutate({ engagementId: engagement.id, status: v.status as (typeof choices)[number], reason: v.reason }, { onSuccess: saved }))}
    >
      <Stack gap="sm">
        <Radio.Group label={t('coaching.manage.newStatus')} required {...form.getInputProps('status')}>
          <Stack gap={6} mt={6}>
            {choices.map((s) => (
              <Radio key={s} value={s} label={t(`coaching.manage.statusChoices.${s}`)} />
            ))}
          </Stack>
        </Radio.Group>
        {form.values.status === 'completed' || form.values.status === 'closed' ? (
          <Text size="sm" c="dimmed">
            {t('coaching.manage.endingHelp')}
          </Text>
        ) : null}
        <Textarea label={t('coaching.manage.reason')} required autosize minRows={2} maxLength={300} {...form.getInputProps('reason')} />
        <FormFooter error={setStatus.error} onCancel={onClose} submitLabel={t('coaching.manage.statusSave')} pending={setStatus.isPending} />
      </Stack>
    </form>
  )
}

/** A scheduled meeting that did not happen: the person missed it, or it was cancelled; the reason is kept. */
export function MeetingOutcomeDialog({ meeting, onClose }: { meeting: Meeting | null; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  return (
    <Modal
      opened={meeting !== null}
      onClose={onClose}
      title={meeting ? t('coaching.manage.meetingTitle', { date: formatDay(meeting.date, language), time: meeting.time }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {meeting ? <MeetingOutcomeForm meeting={meeting} onClose={onClose} /> : null}
    </Modal>
  )
}

function MeetingOutcomeForm({ meeting, onClose }: { meeting: Meeting; onClose: () => void }) {
  const { t } = useTranslation()
  const change = useCoachingWrite('coaching.meeting')
  const saved = useSaved(onClose)
  const form = useForm({
    initialValues: { status: 'missed', reason: '' },
    validate: { reason: (v) => (v.trim().length >= 3 ? null : t('coaching.manage.reasonRequired')) },
  })
  return (
    <form noValidate onSubmit={form.onSubmit((v) => change.mutate({ meetingId: meeting.id, status: v.status as 'missed' | 'cancelled', reason: v.reason }, { onSuccess: saved }))}>
      <Stack gap="sm">
        <Radio.Group label={t('coaching.manage.whatHappened')} required {...form.getInputProps('status')}>
          <Group mt={6}>
            <Radio value="missed" label={t('coaching.manage.missed')} />
            <Radio value="cancelled" label={t('coaching.manage.cancelled')} />
          </Group>
        </Radio.Group>
        <Textarea label={t('coaching.manage.reason')} required autosize minRows={2} maxLength={300} {...form.getInputProps('reason')} />
        {/* Not "Cancel" beside the choice "Cancelled": leaving records nothing. */}
        <FormFooter error={change.error} onCancel={onClose} submitLabel={t('coaching.manage.meetingSave')} pending={change.isPending} cancelLabel={t('coaching.manage.recordNothing')} />
      </Stack>
    </form>
  )
}

/** One line of an engagement's history, in words. */
function eventText(t: TFunction, event: EngagementEvent, language: string): string {
  const d = event.detail
  switch (event.kind) {
    case 'start':
      return t('coaching.manage.events.start')
    case 'renew':
      return t('coaching.manage.events.renew', { to: formatDay(String(d.to), language) })
    case 'transfer':
      return t('coaching.manage.events.transfer', { from: String(d.fromName ?? '—'), to: String(d.toName ?? '—'), reason: String(d.reason) })
    case 'status':
      return t('coaching.manage.events.status', { from: t(`coaching.statuses.${d.from as EngagementStatus}`), to: t(`coaching.statuses.${d.to as EngagementStatus}`), reason: String(d.reason) })
    case 'update':
      return t('coaching.manage.events.update')
  }
}

/** Every engagement's history, newest engagement first: who coached, renewals, transfers, pauses and ends, with reasons. */
export function EngagementHistory({ engagements }: { engagements: Engagement[] }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const events = engagements.flatMap((e) => e.events.map((event) => ({ event, engagement: e }))).sort((a, b) => b.event.id - a.event.id)
  if (events.length === 0) return null
  return (
    <Stack gap={4}>
      <Title order={3} size="h5" id={headingId}>
        {t('coaching.manage.history')}
      </Title>
      <Table striped aria-labelledby={headingId} data-testid="engagement-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('coaching.date')}</Table.Th>
            <Table.Th scope="col">{t('coaching.manage.change')}</Table.Th>
            <Table.Th scope="col">{t('coaching.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map(({ event }) => (
            <Table.Tr key={event.id}>
              <Table.Td>{formatDay(event.on, language)}</Table.Td>
              <Table.Td>{eventText(t, event, language)}</Table.Td>
              <Table.Td>{event.byName ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}

/** The buttons on an open engagement's card for its changes. */
export function EngagementActions({ onOpen }: { onOpen: (dialog: EngagementDialog) => void }) {
  const { t } = useTranslation()
  return (
    <Group gap="xs">
      <Button size="xs" variant="default" onClick={() => onOpen('renew')}>
        {t('coaching.manage.renew')}
      </Button>
      <Button size="xs" variant="default" onClick={() => onOpen('transfer')}>
        {t('coaching.manage.transfer')}
      </Button>
      <Button size="xs" variant="default" onClick={() => onOpen('status')}>
        {t('coaching.manage.status')}
      </Button>
    </Group>
  )
}

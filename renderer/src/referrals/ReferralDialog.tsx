import { Alert, Anchor, Badge, Button, Divider, Group, Modal, Select, SimpleGrid, Skeleton, Stack, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconPrinter } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { ResultOf } from '../../../electron/ipc/contract'
import { invoke, isApiError } from '../bridge'
import { usePrintSheet } from '../print/usePrintSheet'
import { ReferralSummarySheet } from './ReferralSummarySheet'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useMay, useOpenProfile } from '../components/ProfileContext'
import { referralKeys, useReferral, useUpdateReferral } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { fieldErrors } from '../lib/errors'
import { isRealDay } from '../lib/fields'
import { formatDate, formatTime, shortName } from '../lib/format'
import { focusFirstError } from '../lib/forms'
import type { ReferralDetails, ReferralStatus } from '../lib/types'
import { CLOSED_STATUSES, CONSENT_COLORS, formatDay, isClosed, NO_TRUNCATE, OPEN_STATUSES, STATUS_COLORS } from './labels'

/** One referral: who, where, under which consent, how it got here, and (for those who may) what happens next. */
export function ReferralDialog({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation()
  const referral = useReferral(id)
  const data = referral.data
  // A save refused because another PC changed the referral: said above the new version, which the
  // body (remounted on the new version) shows, until the next save or another referral.
  const [changedElsewhere, setChangedElsewhere] = useState<{ id: number; error: unknown } | null>(null)
  return (
    <Modal
      opened={id !== null}
      onClose={onClose}
      size="xl"
      title={
        <Title order={2} size="h3" component="span">
          {data ? t('referrals.dialogTitle', { type: t(`referrals.type.${data.type}`), name: shortName(data.person) }) : t('referrals.loading')}
        </Title>
      }
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {referral.isPending && id !== null ? (
        <Stack aria-busy>
          <Skeleton h={24} w="50%" />
          <Skeleton h={160} />
        </Stack>
      ) : referral.isError ? (
        <FormAlert error={referral.error} />
      ) : data ? (
        <Stack gap="md">
          {changedElsewhere?.id === data.id ? <FormAlert error={changedElsewhere.error} /> : null}
          <ReferralBody key={`${data.id}-${data.version}`} referral={data} onDone={onClose} onChangedElsewhere={(error) => setChangedElsewhere(error === null ? null : { id: data.id, error })} />
        </Stack>
      ) : null}
    </Modal>
  )
}

function ReferralBody({ referral, onDone, onChangedElsewhere }: { referral: ReferralDetails; onDone: () => void; onChangedElsewhere: (error: unknown) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const openProfile = useOpenProfile()
  const canUpdate = useMay('referrals.update')
  const canDisclose = useMay('referrals.summary')
  const consent = referral.consent
  const summarySheet = usePrintSheet<ResultOf<'referrals.summary'>>()
  const summary = useMutation({ mutationFn: () => invoke('referrals.summary', { id: referral.id }), onSuccess: summarySheet.print })
  return (
    <Stack gap="md">
      {summarySheet.sheet ? <ReferralSummarySheet summary={summarySheet.sheet} /> : null}
      <Group gap="xs">
        <Badge size="lg" variant="light" color={STATUS_COLORS[referral.status]} tt="none" radius="sm" data-testid="referral-status" styles={NO_TRUNCATE}>
          {t(`referrals.status.${referral.status}`)}
        </Badge>
        {referral.followUpOn ? <Text size="sm">{t('referrals.followUpOn', { date: formatDay(referral.followUpOn, language) })}</Text> : null}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
        <Text size="sm">
          <Text span c="dimmed">{t('referrals.colPerson')}: </Text>
          <Anchor
            component="button"
            type="button"
            onClick={() => {
              onDone()
              openProfile(referral.person.id)
            }}
          >
            {shortName(referral.person)} ({referral.person.code})
          </Anchor>
        </Text>
        <Text size="sm">
          <Text span c="dimmed">{t('referrals.colAgency')}: </Text>
          {referral.agencyName}
        </Text>
        <Text size="sm">
          <Text span c="dimmed">{t('referrals.colReferred')}: </Text>
          {formatDay(referral.referredOn, language)}
          {referral.createdByName ? ` · ${t('referrals.by', { name: referral.createdByName })}` : ''}
        </Text>
        {referral.closedOn ? (
          <Text size="sm">
            <Text span c="dimmed">{t('referrals.closed')}: </Text>
            {formatDay(referral.closedOn, language)}
          </Text>
        ) : null}
      </SimpleGrid>
      {referral.note ? (
        <Text size="sm">
          <Text span c="dimmed">{t('referrals.note')}: </Text>
          {referral.note}
        </Text>
      ) : null}
      {referral.outcomeNote ? (
        <Text size="sm">
          <Text span c="dimmed">{t('referrals.outcomeNote')}: </Text>
          {referral.outcomeNote}
        </Text>
      ) : null}

      {consent ? (
        <Alert
          variant="light"
          color={CONSENT_COLORS[consent.state]}
          styles={{ title: { color: `var(--mantine-color-${CONSENT_COLORS[consent.state]}-light-color)` } }}
          icon={consent.state === 'active' ? undefined : <IconAlertTriangle aria-hidden />}
          title={t('referrals.sharedUnder', { state: t(`consents.state.${consent.state}`) })}
        >
          <Text size="sm">
            {t('consents.summary', {
              agency: consent.agencyName,
              information: consent.information.map((item) => t(`consents.info.${item}`)).join(', '),
              until: formatDay(consent.expiresOn, language),
            })}
          </Text>
          {consent.state !== 'active' ? <Text size="sm" fw={600} mt={4}>{t('referrals.shareNoMore')}</Text> : null}
          {consent.state === 'active' && canDisclose ? (
            <Stack gap={4} mt="xs" align="flex-start">
              <Button size="xs" variant="default" leftSection={<IconPrinter aria-hidden size={16} />} loading={summary.isPending} onClick={() => summary.mutate()}>
                {t('summary.print')}
              </Button>
              <Text size="xs" c="dimmed">
                {t('summary.printHint')}
              </Text>
            </Stack>
          ) : null}
          <FormAlert error={summary.error} />
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          {t('referrals.nothingShared')}
        </Text>
      )}

      <Divider label={t('referrals.history')} labelPosition="left" />
      <Timeline active={referral.events.length - 1} bulletSize={14} lineWidth={2} aria-label={t('referrals.history')}>
        {referral.events.map((event) => (
          <Timeline.Item key={event.id} title={t(`referrals.status.${event.status}`)}>
            <Text size="xs" c="dimmed">
              {formatDate(event.at, language)} {formatTime(event.at, language)}
              {event.staffName ? ` · ${event.staffName}` : ''}
              {event.followUpOn ? ` · ${t('referrals.followUpOn', { date: formatDay(event.followUpOn, language) })}` : ''}
            </Text>
            {event.note ? <Text size="sm">{event.note}</Text> : null}
          </Timeline.Item>
        ))}
      </Timeline>

      {canUpdate ? <UpdateForm referral={referral} onChangedElsewhere={onChangedElsewhere} /> : null}
    </Stack>
  )
}

function UpdateForm({ referral, onChangedElsewhere }: { referral: ReferralDetails; onChangedElsewhere: (error: unknown) => void }) {
  const { t } = useTranslation()
  const update = useUpdateReferral()
  const client = useQueryClient()
  const form = useForm({
    initialValues: { status: referral.status as ReferralStatus, followUpOn: referral.followUpOn ?? '', note: '', outcomeNote: referral.outcomeNote ?? '' },
    validate: {
      followUpOn: (value, values) => {
        if (!value || isClosed(values.status)) return null
        if (!isRealDay(value)) return t('validation.dateInvalid')
        return value < referral.referredOn ? t('referrals.followUpBeforeReferral') : null
      },
      note: (value) => (value.length > 500 ? t('validation.maxLength', { max: 500 }) : null),
      outcomeNote: (value) => (value.length > 500 ? t('validation.maxLength', { max: 500 }) : null),
    },
  })
  const closing = isClosed(form.values.status)
  const submit = form.onSubmit((values) => {
    update.mutate(
      {
        id: referral.id,
        version: referral.version,
        status: values.status,
        followUpOn: isClosed(values.status) ? null : values.followUpOn || null,
        note: values.note,
        outcomeNote: values.outcomeNote,
      },
      {
        // The dialog stays open on the saved referral (its body remounts with the new status and
        // history): the next step (a call, a follow-up date) is often made right after.
        onSuccess: (saved) => {
          onChangedElsewhere(null)
          notifications.show({ message: t('referrals.saved', { status: t(`referrals.status.${saved.status}`) }), color: 'teal' })
        },
        onError: (error) => {
          if (isApiError(error, 'STALE')) {
            onChangedElsewhere(error)
            void client.invalidateQueries({ queryKey: referralKeys.all })
          } else form.setErrors(fieldErrors(error, ['status', 'followUpOn', 'note', 'outcomeNote'] as const))
        },
      },
    )
  }, focusFirstError)
  const option = (status: ReferralStatus) => ({ value: status, label: t(`referrals.status.${status}`) })
  return (
    <form noValidate onSubmit={submit} aria-label={t('referrals.updateTitle')}>
      <Stack gap="sm">
        <Divider label={t('referrals.updateTitle')} labelPosition="left" />
        <Group grow align="flex-start">
          <Select
            label={t('referrals.colStatus')}
            allowDeselect={false}
            data={[
              { group: t('referrals.openGroup'), items: OPEN_STATUSES.map(option) },
              { group: t('referrals.closedGroup'), items: CLOSED_STATUSES.map(option) },
            ]}
            {...form.getInputProps('status')}
          />
          <TextInput
            type="date"
            label={t('referrals.colFollowUp')}
            description={closing ? t('referrals.noFollowUpWhenClosed') : undefined}
            disabled={closing}
            min={referral.referredOn}
            {...form.getInputProps('followUpOn')}
          />
        </Group>
        <Textarea label={t('referrals.whatHappened')} description={t('referrals.noteHint')} autosize minRows={2} maxLength={500} {...form.getInputProps('note')} />
        {closing || referral.outcomeNote ? (
          <Textarea label={t('referrals.outcomeNote')} autosize minRows={2} maxLength={500} {...form.getInputProps('outcomeNote')} />
        ) : null}
        {/* A refusal as changed on another PC is said above the reloaded referral, by the dialog. */}
        <FormAlert error={isApiError(update.error, 'STALE') ? null : update.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending}>
            {t('referrals.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

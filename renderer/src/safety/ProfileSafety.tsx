import { ActionIcon, Badge, Button, Group, Modal, Paper, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconPlus, IconX } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CareFlagKind, Restriction, RestrictionKind } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { FormFooter } from '../components/FormFooter'
import { useMay } from '../components/ProfileContext'
import { useAddCareFlag, useCareFlags, useCreateRestriction, useLiftRestriction, useRemoveCareFlag, useRestrictions } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { fieldErrors } from '../lib/errors'
import { isRealDay, todayIso } from '../lib/fields'
import { focusFirstError } from '../lib/forms'
import { formatDate } from '../lib/format'
import { formatDay } from '../referrals/labels'
import { CARE_FLAG_KINDS, RESTRICTION_KINDS } from '../../../db/domain'

const FLAG_NOTE_MAX = 80

/** The profile's safety tab: care flags for everyone who sees the profile, restrictions for managers. */
export function ProfileSafety({ participantId }: { participantId: number }) {
  const restrictions = useMay('restrictions.list')
  return (
    <Stack gap="xl">
      <CareFlags participantId={participantId} />
      {restrictions ? <Restrictions participantId={participantId} /> : null}
    </Stack>
  )
}

function CareFlags({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const flags = useCareFlags(participantId)
  const mayEdit = useMay('careFlags.add')
  const add = useAddCareFlag(participantId)
  const remove = useRemoveCareFlag(participantId)
  const form = useForm({
    initialValues: { kind: 'interpreter' as string | null, note: '' },
    validate: { note: (value) => (value.length > FLAG_NOTE_MAX ? t('careFlags.tooLong') : null) },
  })
  const label = (kind: CareFlagKind, note: string | null) => (note ? t('careFlags.withNote', { kind: t(`careFlags.kinds.${kind}`), note }) : t(`careFlags.kinds.${kind}`))
  const submit = form.onSubmit(
    (values) =>
      add.mutate(
        { participantId, kind: (values.kind ?? 'other') as CareFlagKind, note: values.note },
        {
          onSuccess: () => {
            notifications.show({ message: t('careFlags.added'), color: 'teal' })
            form.reset()
          },
          onError: (error) => form.setErrors(fieldErrors(error, ['kind', 'note'] as const)),
        },
      ),
    focusFirstError,
  )
  return (
    <Stack gap="sm" component="section" aria-labelledby="care-flags-title">
      <Title order={3} size="h4" id="care-flags-title">
        {t('careFlags.tab')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('careFlags.intro')}
      </Text>
      {flags.data && flags.data.length === 0 ? <Text size="sm">{t('careFlags.none')}</Text> : null}
      <Group gap="xs" role="list" aria-label={t('careFlags.listLabel')}>
        {(flags.data ?? []).map((flag) => (
          <Badge
            key={flag.id}
            role="listitem"
            size="lg"
            variant="light"
            color="grape"
            radius="sm"
            tt="none"
            rightSection={
              mayEdit ? (
                <ActionIcon size="sm" variant="transparent" color="grape" aria-label={t('careFlags.remove', { flag: label(flag.kind, flag.note) })} onClick={() => remove.mutate({ id: flag.id })}>
                  <IconX aria-hidden size={14} />
                </ActionIcon>
              ) : null
            }
          >
            {label(flag.kind, flag.note)}
          </Badge>
        ))}
      </Group>
      <FormAlert error={flags.error ?? remove.error} />
      {mayEdit ? (
        <form noValidate onSubmit={submit}>
          <Group align="flex-start" gap="sm">
            <Select
              label={t('careFlags.kind')}
              w={220}
              allowDeselect={false}
              data={CARE_FLAG_KINDS.map((kind) => ({ value: kind, label: t(`careFlags.kinds.${kind}`) }))}
              {...form.getInputProps('kind')}
            />
            <TextInput label={t('careFlags.note')} description={t('careFlags.noteHint')} maxLength={FLAG_NOTE_MAX} w={320} autoComplete="off" {...form.getInputProps('note')} />
            <Button type="submit" mt={24} leftSection={<IconPlus aria-hidden size={16} />} loading={add.isPending}>
              {t('careFlags.add')}
            </Button>
          </Group>
          <FormAlert error={add.error && !fieldErrors(add.error, ['kind', 'note'] as const).note ? add.error : null} />
        </form>
      ) : null}
    </Stack>
  )
}

function Restrictions({ participantId }: { participantId: number }) {
  const { t } = useTranslation()
  const list = useRestrictions(participantId, true)
  const lift = useLiftRestriction(participantId)
  const [adding, setAdding] = useState(false)
  return (
    <Stack gap="sm" component="section" aria-labelledby="restrictions-title">
      <Group justify="space-between">
        <Title order={3} size="h4" id="restrictions-title">
          {t('restrictions.tab')}
        </Title>
        <Button variant="default" leftSection={<IconPlus aria-hidden size={16} />} onClick={() => setAdding(true)}>
          {t('restrictions.add')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('restrictions.intro')}
      </Text>
      <FormAlert error={list.error ?? lift.error} />
      {list.data && list.data.length === 0 ? <Text size="sm">{t('restrictions.none')}</Text> : null}
      {(list.data ?? []).map((restriction) => (
        <RestrictionCard
          key={restriction.id}
          restriction={restriction}
          lifting={lift.isPending}
          onLift={() => lift.mutate({ id: restriction.id }, { onSuccess: () => notifications.show({ message: t('restrictions.lifted'), color: 'teal' }) })}
        />
      ))}
      <Modal opened={adding} onClose={() => setAdding(false)} title={t('restrictions.addTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {adding ? <RestrictionForm participantId={participantId} onClose={() => setAdding(false)} /> : null}
      </Modal>
    </Stack>
  )
}

function RestrictionCard({ restriction, lifting, onLift }: { restriction: Restriction; lifting: boolean; onLift: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const today = todayIso()
  const from = formatDay(restriction.startsOn, language)
  const status = restriction.liftedAt
    ? t('restrictions.liftedOn', { date: formatDate(restriction.liftedAt, language), name: restriction.liftedByName ?? '—' })
    : restriction.active
      ? t('restrictions.active')
      : restriction.startsOn > today
        ? t('restrictions.upcoming')
        : t('restrictions.ended')
  const open = restriction.liftedAt === null && (restriction.endsOn === null || restriction.endsOn > today)
  return (
    <Paper withBorder p="sm" radius="md" data-testid="restriction">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Text fw={600}>{t(`restrictions.kinds.${restriction.kind}`)}</Text>
            <Badge variant="light" color={restriction.active ? 'orange' : 'gray'} tt="none">
              {status}
            </Badge>
          </Group>
          <Text size="sm">
            {restriction.endsOn ? t('restrictions.period', { from, to: formatDay(restriction.endsOn, language) }) : t('restrictions.periodOpen', { from })}
          </Text>
          <Text size="sm">
            <Text span c="dimmed">
              {t('restrictions.reasonLabel')}:{' '}
            </Text>
            {restriction.reason}
          </Text>
          <Text size="xs" c="dimmed">
            {t('restrictions.by', { name: restriction.createdByName ?? '—' })}
          </Text>
        </Stack>
        {open ? (
          <Button variant="default" size="compact-md" loading={lifting} onClick={onLift}>
            {t('restrictions.lift')}
          </Button>
        ) : null}
      </Group>
    </Paper>
  )
}

function RestrictionForm({ participantId, onClose }: { participantId: number; onClose: () => void }) {
  const { t } = useTranslation()
  const create = useCreateRestriction(participantId)
  const today = todayIso()
  const form = useForm({
    initialValues: { kind: 'not_on_site' as string | null, reason: '', startsOn: today, endsOn: '' },
    validate: {
      reason: (value) => (value.trim().length >= 3 ? null : t('restrictions.reasonRequired')),
      startsOn: (value) => (isRealDay(value) ? null : t('validation.dateInvalid')),
      endsOn: (value, values) =>
        value === ''
          ? values.kind === 'not_on_site'
            ? t('restrictions.endRequired')
            : null
          : !isRealDay(value)
            ? t('validation.dateInvalid')
            : value <= values.startsOn
              ? t('restrictions.endBeforeStart')
              : null,
    },
  })
  const submit = form.onSubmit(
    (values) =>
      create.mutate(
        { participantId, kind: (values.kind ?? 'not_on_site') as RestrictionKind, reason: values.reason.trim(), startsOn: values.startsOn, endsOn: values.endsOn || null },
        {
          onSuccess: () => {
            notifications.show({ message: t('restrictions.saved'), color: 'teal' })
            onClose()
          },
          onError: (error) => form.setErrors(fieldErrors(error, ['kind', 'reason', 'startsOn', 'endsOn'] as const)),
        },
      ),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('restrictions.intro')}
        </Text>
        <Select
          label={t('restrictions.kind')}
          allowDeselect={false}
          data={RESTRICTION_KINDS.map((kind) => ({ value: kind, label: t(`restrictions.kinds.${kind}`) }))}
          {...form.getInputProps('kind')}
        />
        <Textarea label={t('restrictions.reason')} description={t('restrictions.reasonHint')} required maxLength={500} autosize minRows={2} data-autofocus {...form.getInputProps('reason')} />
        <Group grow align="flex-start">
          <TextInput type="date" label={t('restrictions.startsOn')} required {...form.getInputProps('startsOn')} />
          <TextInput
            type="date"
            label={form.values.kind === 'not_on_site' ? t('restrictions.endsOn') : t('restrictions.endsOnOptional')}
            description={t('restrictions.endsOnHint')}
            required={form.values.kind === 'not_on_site'}
            min={form.values.startsOn}
            {...form.getInputProps('endsOn')}
          />
        </Group>
        <FormFooter error={create.error} onCancel={onClose} submitLabel={t('restrictions.save')} pending={create.isPending} />
      </Stack>
    </form>
  )
}

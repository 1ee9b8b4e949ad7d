import { Button, Group, Skeleton, Stack, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { InputOf, ResultOf } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { fieldErrors } from '../lib/errors'
import { focusFirstError } from '../lib/forms'

type Hours = ResultOf<'settings.hours'>

const HOURS_KEY = ['settings', 'hours'] as const
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/

/**
 * The center's opening hours. End of day proposes the closing time when pressed late, and a
 * visit nobody signed out closes at its day's closing time.
 */
export function HoursSettings() {
  const hours = useQuery({ queryKey: HOURS_KEY, queryFn: () => invoke('settings.hours', {}) })
  if (hours.isPending) return <Skeleton h={160} />
  if (hours.isError) return <FormAlert error={hours.error} />
  return <HoursForm hours={hours.data} />
}

function HoursForm({ hours }: { hours: Hours }) {
  const { t } = useTranslation()
  const client = useQueryClient()
  const save = useMutation({
    mutationFn: (input: InputOf<'settings.setHours'>) => invoke('settings.setHours', input),
    onSuccess: () => client.invalidateQueries({ queryKey: HOURS_KEY }),
  })
  const form = useForm({
    initialValues: hours,
    validate: {
      opensAt: (value) => (TIME.test(value) ? null : t('hours.timeFormat')),
      closesAt: (value, values) => (!TIME.test(value) ? t('hours.timeFormat') : value <= values.opensAt ? t('hours.closesAfterOpens') : null),
    },
  })
  const submit = form.onSubmit(
    (values) =>
      save.mutate(values, {
        onSuccess: () => {
          notifications.show({ message: t('hours.saved'), color: 'teal' })
          form.resetDirty()
        },
        onError: (error) => form.setErrors(fieldErrors(error, ['opensAt', 'closesAt'] as const)),
      }),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack maw={520}>
        <Text c="dimmed">{t('hours.intro')}</Text>
        <Group grow align="flex-start">
          <TextInput type="time" label={t('hours.opensAt')} required {...form.getInputProps('opensAt')} />
          <TextInput type="time" label={t('hours.closesAt')} description={t('hours.closesHint')} required {...form.getInputProps('closesAt')} />
        </Group>
        <FormAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            {t('hours.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

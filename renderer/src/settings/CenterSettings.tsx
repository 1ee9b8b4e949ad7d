import { Button, Divider, Group, NumberInput, Select, Skeleton, Stack, Switch, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { InputOf, ResultOf } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { keys } from '../hooks/queries'
import { fieldErrors, noticeChangedElsewhere } from '../lib/errors'
import { focusFirstError } from '../lib/forms'
import { HoursSettings } from './HoursSettings'
import { ScopeFieldset } from './ScopeFieldset'

type Center = ResultOf<'settings.center'>

const CENTER_KEY = ['settings', 'center'] as const
const RESET = { min: 15, max: 600 } as const

/** The center as a whole (its name, its clock, what every visit must hold), this PC's kiosk reset; then the center's hours. A new version read (another PC saved) starts the form again. */
export function CenterSettings() {
  const center = useQuery({ queryKey: CENTER_KEY, queryFn: () => invoke('settings.center', {}) })
  return (
    <Stack gap="xl">
      {center.isPending ? <Skeleton h={260} /> : center.isError ? <FormAlert error={center.error} /> : <CenterForm key={`${center.data.version}-${center.data.nameVersion}`} center={center.data} />}
      <Divider />
      <HoursSettings />
    </Stack>
  )
}

function CenterForm({ center }: { center: Center }) {
  const { t } = useTranslation()
  const client = useQueryClient()
  // The platform's own list; the saved zone stays choosable even if this list lacks it.
  const zones = useMemo(() => {
    const list = Intl.supportedValuesOf('timeZone')
    return list.includes(center.timeZone) ? list : [center.timeZone, ...list]
  }, [center.timeZone])
  const save = useMutation({
    mutationFn: (input: InputOf<'settings.setCenter'>) => invoke('settings.setCenter', input),
    onSuccess: async (saved) => {
      // Said here, not in mutate's own callback: the new version remounts the form, and a callback
      // of a call whose component has gone never runs.
      notifications.show({ message: t('center.saved'), color: 'teal' })
      client.setQueryData(CENTER_KEY, saved)
      // The header's name, the screens' clock and the desk's rule come with the status; the
      // switcher's and the Centers screen's names are the same row's.
      await Promise.all([client.invalidateQueries({ queryKey: keys.status }), client.invalidateQueries({ queryKey: ['centers'] })])
    },
  })
  const form = useForm({
    initialValues: { ...center, kioskResetSeconds: center.kioskResetSeconds as number | string },
    validate: {
      centerName: (value) => (value.trim() ? null : t('center.nameRequired')),
      timeZone: (value) => (zones.includes(value) ? null : t('center.zoneRequired')),
      kioskResetSeconds: (value) =>
        typeof value === 'number' && Number.isInteger(value) && value >= RESET.min && value <= RESET.max ? null : t('center.resetRange', RESET),
    },
  })
  const submit = form.onSubmit(
    (values) =>
      save.mutate(
        { ...values, centerName: values.centerName.trim(), kioskResetSeconds: Number(values.kioskResetSeconds) },
        {
          onSuccess: () => form.resetDirty(),
          onError: (error) =>
            // Saved on another PC since this form read it: say so, and show what is there now (the form starts again from it).
            noticeChangedElsewhere(t, error)
              ? void client.invalidateQueries({ queryKey: CENTER_KEY })
              : form.setErrors(fieldErrors(error, ['centerName', 'timeZone', 'kioskResetSeconds'] as const)),
        },
      ),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack maw={560}>
        <Text c="dimmed">{t('center.intro')}</Text>
        <ScopeFieldset scope="center">
          <TextInput label={t('center.name')} description={t('center.nameHint')} required maxLength={100} {...form.getInputProps('centerName')} />
          <Select
            label={t('center.zone')}
            description={t('center.zoneHint')}
            data={zones}
            searchable
            required
            allowDeselect={false}
            nothingFoundMessage={t('center.zoneNone')}
            {...form.getInputProps('timeZone')}
          />
          <Switch
            label={t('center.requireService')}
            description={t('center.requireServiceHint')}
            {...form.getInputProps('requireService', { type: 'checkbox' })}
          />
        </ScopeFieldset>
        <ScopeFieldset scope="pc">
          <NumberInput
            label={t('center.kioskReset')}
            description={t('center.kioskResetHint', RESET)}
            min={RESET.min}
            max={RESET.max}
            step={5}
            allowDecimal={false}
            required
            {...form.getInputProps('kioskResetSeconds')}
          />
        </ScopeFieldset>
        <FormAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            {t('center.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

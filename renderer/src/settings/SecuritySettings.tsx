import { Button, Group, NumberInput, Skeleton, Stack, Text } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useSecuritySettings, useSetSecuritySettings } from '../hooks/queries'
import { focusFirstError } from '../lib/forms'
import { ScopeFieldset } from './ScopeFieldset'
import type { ResultOf } from '../../../electron/ipc/contract'

type Security = ResultOf<'settings.security'>

/** How long a staff window on this PC may sit untouched before it locks. Main keeps the same clock. */
export function SecuritySettings() {
  const settings = useSecuritySettings()
  if (settings.isPending) return <Skeleton h={160} />
  if (settings.isError) return <FormAlert error={settings.error} />
  return <SecurityForm settings={settings.data} />
}

function SecurityForm({ settings }: { settings: Security }) {
  const { t } = useTranslation()
  const save = useSetSecuritySettings()
  const form = useForm({
    initialValues: { minutes: Math.max(1, Math.round(settings.idleLockSeconds / 60)) as number | string },
    validate: {
      minutes: (value) => (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 240 ? null : t('security.minutesRange')),
    },
  })
  const submit = form.onSubmit(
    ({ minutes }) =>
      save.mutate(
        { idleLockSeconds: Number(minutes) * 60 },
        {
          onSuccess: () => {
            notifications.show({ message: t('security.saved'), color: 'teal' })
            form.resetDirty()
          },
        },
      ),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack maw={520}>
        <Text c="dimmed">{t('security.intro')}</Text>
        <ScopeFieldset scope="pc">
          <NumberInput label={t('security.idleMinutes')} description={t('security.idleHint')} min={1} max={240} step={1} allowDecimal={false} required {...form.getInputProps('minutes')} />
        </ScopeFieldset>
        <FormAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            {t('security.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

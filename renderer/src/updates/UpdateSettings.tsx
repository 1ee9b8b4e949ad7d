import { Button, Checkbox, Group, Skeleton, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { InputOf, UpdatesView } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { fieldErrors } from '../lib/errors'
import { updateStatusText } from './status'

const KEY = ['updates'] as const

/**
 * Settings → Updates (admins): off by default. On, Porchlight checks the address the center's IT
 * serves signed releases from, downloads a newer version in the background and installs it only
 * after it has closed its database cleanly. The status line says where it is.
 */
export function UpdateSettings() {
  const view = useQuery({ queryKey: KEY, queryFn: () => invoke('updates.settings', {}) })
  if (view.isPending) return <Skeleton h={200} />
  if (view.isError) return <FormAlert error={view.error} />
  return <UpdateForm key={`${view.data.settings.enabled}-${view.data.settings.url}`} view={view.data} />
}

function UpdateForm({ view }: { view: UpdatesView }) {
  const { t } = useTranslation()
  const client = useQueryClient()
  const [enabled, setEnabled] = useState(view.settings.enabled)
  const [url, setUrl] = useState(view.settings.url ?? '')
  const refresh = (next: UpdatesView) => {
    client.setQueryData(KEY, next)
    void client.invalidateQueries({ queryKey: ['about'] })
  }
  const save = useMutation({ mutationFn: (input: InputOf<'updates.save'>) => invoke('updates.save', input), onSuccess: refresh })
  const check = useMutation({ mutationFn: () => invoke('updates.check', {}), onSuccess: refresh })
  const errors = fieldErrors(save.error, ['url'] as const)
  const dirty = enabled !== view.settings.enabled || url.trim() !== (view.settings.url ?? '')

  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate({ enabled, url: url.trim() || null }, { onSuccess: () => notifications.show({ message: t('updates.saved'), color: 'teal' }) })
  }

  return (
    <form noValidate onSubmit={submit}>
      <Stack maw={620}>
        <Text c="dimmed">{t('updates.intro')}</Text>
        <TextInput label={t('updates.url')} description={t('updates.urlHint')} placeholder="https://updates.example.org/porchlight/" value={url} onChange={(event) => setUrl(event.currentTarget.value)} error={errors.url} autoComplete="off" spellCheck={false} />
        <Checkbox label={t('updates.enabled')} description={t('updates.enabledHint')} checked={enabled} onChange={(event) => setEnabled(event.currentTarget.checked)} />
        <Text size="sm" role="status" data-testid="update-status">
          {updateStatusText(view.status, t)}
        </Text>
        {errors.url ? null : <FormAlert error={save.error} />}
        <FormAlert error={check.error} />
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!dirty}>
            {t('updates.save')}
          </Button>
          <Button variant="default" loading={check.isPending} disabled={!view.settings.enabled || dirty || view.status.phase === 'unavailable' || view.status.phase === 'unsigned'} onClick={() => check.mutate()}>
            {t('updates.checkNow')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

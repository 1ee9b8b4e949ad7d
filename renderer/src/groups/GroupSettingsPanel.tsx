import { Button, Checkbox, Group, NativeSelect, Paper, Skeleton, Stack, Text, Title } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { GroupSettings } from '../../../electron/ipc/contract'
import { invoke } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { useCatalogAll } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { announce } from '../lib/announce'

const settingsKey = ['groups', 'settings'] as const

/**
 * The service a visit made by group attendance carries (a person who came only for a group), and
 * whether the desk's toggles offer it too. The 'group' service is for attendance, so by default
 * the desk does not show it.
 */
export function GroupSettingsPanel() {
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => invoke('groups.settings', {}) })
  if (settings.isPending) return <Skeleton h={160} />
  if (settings.isError) return <FormAlert error={settings.error} />
  return <GroupSettingsForm key={JSON.stringify(settings.data)} saved={settings.data} />
}

function GroupSettingsForm({ saved }: { saved: GroupSettings }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const client = useQueryClient()
  const catalog = useCatalogAll()
  const [draft, setDraft] = useState(saved)
  const save = useMutation({
    mutationFn: (input: GroupSettings) => invoke('groups.saveSettings', input),
    onSuccess: () => {
      // The desk's toggles follow the setting.
      void client.invalidateQueries()
      announce(t('groups.settings.saved'))
    },
  })
  const services = (catalog.data ?? []).filter((s) => s.retiredAt === null || s.key === saved.visitServiceKey)
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId} maw={820}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          save.mutate(draft)
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4" id={headingId}>
            {t('groups.settings.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('groups.settings.intro')}
          </Text>
          <NativeSelect
            label={t('groups.settings.service')}
            value={draft.visitServiceKey}
            onChange={(e) => setDraft({ ...draft, visitServiceKey: e.currentTarget.value })}
            data={services.map((s) => ({ value: s.key, label: language === 'es' ? s.nameEs : s.nameEn }))}
            maw={360}
          />
          <Checkbox label={t('groups.settings.atDesk')} description={t('groups.settings.atDeskHelp')} checked={draft.atDesk} onChange={(e) => setDraft({ ...draft, atDesk: e.currentTarget.checked })} />
          {save.error ? <FormAlert error={save.error} /> : null}
          {catalog.error ? <FormAlert error={catalog.error} /> : null}
          <Group>
            <Button type="submit" loading={save.isPending} disabled={JSON.stringify(draft) === JSON.stringify(saved)}>
              {t('groups.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  )
}

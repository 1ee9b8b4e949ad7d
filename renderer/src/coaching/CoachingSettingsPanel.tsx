import { ActionIcon, Button, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { IconArrowDown, IconArrowUp, IconPlus, IconSettings, IconTrash } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CoachingSettings } from '../../../electron/ipc/contract'
import { FormFooter } from '../components/FormFooter'
import { useMay } from '../components/ProfileContext'
import { useCoachingSettings, useCoachingWrite } from '../hooks/queries'

/** The center's coaching settings, for managers and the admin: a new engagement's length, the caseload's highlights, and the topics a contact can touch. */
export function CoachingSettingsButton() {
  const { t } = useTranslation()
  const may = useMay('coaching.saveSettings')
  const [open, setOpen] = useState(false)
  const settings = useCoachingSettings()
  if (!may) return null
  return (
    <>
      <Button variant="default" leftSection={<IconSettings aria-hidden size={16} />} onClick={() => setOpen(true)}>
        {t('coaching.settingsPanel.open')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('coaching.settingsPanel.title')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {open && settings.data ? <SettingsForm settings={settings.data} onClose={() => setOpen(false)} /> : null}
      </Modal>
    </>
  )
}

function SettingsForm({ settings, onClose }: { settings: CoachingSettings; onClose: () => void }) {
  const { t } = useTranslation()
  const save = useCoachingWrite('coaching.saveSettings')
  const [adding, setAdding] = useState('')
  const form = useForm({
    initialValues: settings,
    validate: { topics: (v) => (v.length === 0 ? t('coaching.settingsPanel.topicsRequired') : null) },
  })
  const topics = form.values.topics
  const add = () => {
    const topic = adding.trim()
    if (!topic) return
    if (topics.some((known) => known.toLocaleLowerCase() === topic.toLocaleLowerCase())) {
      form.setFieldError('topics', t('coaching.settingsPanel.topicTwice', { topic }))
      return
    }
    form.setFieldValue('topics', [...topics, topic])
    setAdding('')
  }
  const move = (index: number, by: number) => {
    const next = [...topics]
    const [topic] = next.splice(index, 1)
    next.splice(index + by, 0, topic!)
    form.setFieldValue('topics', next)
  }
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        save.mutate(
          { plannedDays: Number(v.plannedDays), staleAfterDays: Number(v.staleAfterDays), nearingEndDays: Number(v.nearingEndDays), topics: v.topics },
          {
            onSuccess: () => {
              notifications.show({ message: t('coaching.settingsPanel.saved'), color: 'teal' })
              onClose()
            },
          },
        ),
      )}
    >
      <Stack gap="sm">
        <Group grow align="flex-start">
          <NumberInput label={t('coaching.settingsPanel.plannedDays')} required min={7} max={730} {...form.getInputProps('plannedDays')} />
          <NumberInput label={t('coaching.settingsPanel.staleAfterDays')} required min={1} max={365} {...form.getInputProps('staleAfterDays')} />
          <NumberInput label={t('coaching.settingsPanel.nearingEndDays')} required min={1} max={365} {...form.getInputProps('nearingEndDays')} />
        </Group>
        <Text fw={500} size="sm" id="coaching-topics-label">
          {t('coaching.settingsPanel.topics')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('coaching.settingsPanel.topicsHelp')}
        </Text>
        <Stack gap={4} role="list" aria-labelledby="coaching-topics-label" data-testid="topic-list">
          {topics.map((topic, index) => (
            <Group key={topic} gap="xs" role="listitem" wrap="nowrap">
              <Text size="sm" style={{ flex: 1 }}>
                {topic}
              </Text>
              <ActionIcon variant="subtle" color="gray.8" disabled={index === 0} onClick={() => move(index, -1)} aria-label={t('coaching.settingsPanel.up', { topic })}>
                <IconArrowUp aria-hidden size={16} />
              </ActionIcon>
              <ActionIcon variant="subtle" color="gray.8" disabled={index === topics.length - 1} onClick={() => move(index, 1)} aria-label={t('coaching.settingsPanel.down', { topic })}>
                <IconArrowDown aria-hidden size={16} />
              </ActionIcon>
              <ActionIcon variant="subtle" color="red.9" onClick={() => form.setFieldValue('topics', topics.filter((_, i) => i !== index))} aria-label={t('coaching.settingsPanel.remove', { topic })}>
                <IconTrash aria-hidden size={16} />
              </ActionIcon>
            </Group>
          ))}
        </Stack>
        {form.errors.topics ? (
          <Text size="sm" c="red.9" role="alert">
            {form.errors.topics}
          </Text>
        ) : null}
        <Group align="flex-end" gap="xs">
          <TextInput
            style={{ flex: 1 }}
            label={t('coaching.settingsPanel.newTopic')}
            maxLength={60}
            value={adding}
            onChange={(e) => setAdding(e.currentTarget.value)}
            onKeyDown={(e) => {
              // Enter adds the topic, not the whole form: the list is built one topic at a time.
              if (e.key === 'Enter') {
                e.preventDefault()
                add()
              }
            }}
          />
          <Button variant="default" leftSection={<IconPlus aria-hidden size={16} />} onClick={add}>
            {t('coaching.settingsPanel.add')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('coaching.settingsPanel.pastKept')}
        </Text>
        <FormFooter error={save.error} onCancel={onClose} submitLabel={t('coaching.settingsPanel.save')} pending={save.isPending} />
      </Stack>
    </form>
  )
}

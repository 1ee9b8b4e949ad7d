import { Button, Group, Modal, Radio, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPhoneCall } from '@tabler/icons-react'
import { useDeferredValue, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Contact } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { FormFooter } from '../components/FormFooter'
import { useCoachingWrite, useParticipantSearch, useWarmlineCalls } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { shortName } from '../lib/format'
import { formatDay } from '../referrals/labels'
import { ContactForm } from './CoachingPanel'

/**
 * Warmline calls from people not (yet) known to the center: logged anonymously, with how to know
 * the caller again, and linked to the person once they register or are found.
 */
export function WarmlinePanel() {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const calls = useWarmlineCalls()
  const [logging, setLogging] = useState(false)
  const [linking, setLinking] = useState<Contact | null>(null)
  const rows = calls.data ?? []
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Group justify="space-between">
        <Title order={2} size="h4" id={headingId}>
          {t('coaching.warm.title')}
        </Title>
        <Button variant="default" leftSection={<IconPhoneCall aria-hidden size={16} />} onClick={() => setLogging(true)}>
          {t('coaching.warm.log')}
        </Button>
      </Group>
      <FormAlert error={calls.error} />
      {calls.data && rows.length === 0 ? <Text c="dimmed">{t('coaching.warm.none')}</Text> : null}
      {rows.length > 0 ? (
        <Table striped aria-labelledby={headingId} data-testid="warmline-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('coaching.date')}</Table.Th>
              <Table.Th scope="col">{t('coaching.warm.caller')}</Table.Th>
              <Table.Th scope="col">{t('coaching.minutes')}</Table.Th>
              <Table.Th scope="col">{t('coaching.topics')}</Table.Th>
              <Table.Th scope="col">{t('coaching.note')}</Table.Th>
              <Table.Th scope="col">{t('coaching.by')}</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('coaching.manage.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((call) => (
              <Table.Tr key={call.id}>
                <Table.Td>{formatDay(call.contactOn, language)}</Table.Td>
                <Table.Td>{call.callerLabel ?? t('coaching.warm.unnamed')}</Table.Td>
                <Table.Td>{call.minutes}</Table.Td>
                <Table.Td>{call.topics.join(', ')}</Table.Td>
                <Table.Td>{call.note}</Table.Td>
                <Table.Td>{call.staffName}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setLinking(call)}
                    aria-label={t('coaching.warm.linkCall', { caller: call.callerLabel ?? t('coaching.warm.unnamed'), date: formatDay(call.contactOn, language) })}
                  >
                    {t('coaching.warm.link')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <Modal opened={logging} onClose={() => setLogging(false)} title={t('coaching.warm.logTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        {logging ? <ContactForm participantId={null} meetings={[]} onClose={() => setLogging(false)} /> : null}
      </Modal>
      <Modal opened={linking !== null} onClose={() => setLinking(null)} title={t('coaching.warm.linkTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        {linking ? <LinkForm call={linking} onClose={() => setLinking(null)} /> : null}
      </Modal>
    </Stack>
  )
}

/** Finds the person the caller turned out to be, and links the call to their record. */
function LinkForm({ call, onClose }: { call: Contact; onClose: () => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const [text, setText] = useState(call.callerLabel ?? '')
  const [chosen, setChosen] = useState<string | null>(null)
  const [missing, setMissing] = useState(false)
  const search = useParticipantSearch(useDeferredValue(text))
  const link = useCoachingWrite('coaching.linkContact')
  const people = text.trim() ? (search.data ?? []) : []
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        if (!chosen) {
          setMissing(true)
          return
        }
        link.mutate(
          { contactId: call.id, participantId: Number(chosen) },
          {
            onSuccess: () => {
              notifications.show({ message: t('coaching.warm.linked'), color: 'teal' })
              onClose()
            },
          },
        )
      }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('coaching.warm.linkHelp', { date: formatDay(call.contactOn, language) })}</Text>
        <TextInput label={t('coaching.warm.find')} value={text} onChange={(e) => setText(e.currentTarget.value)} data-autofocus />
        <Radio.Group label={t('coaching.warm.who')} required value={chosen} onChange={(v) => (setChosen(v), setMissing(false))} error={missing ? t('coaching.warm.choose') : undefined}>
          <Stack gap={6} mt={6}>
            {people.map((person) => (
              <Radio
                key={person.id}
                value={String(person.id)}
                label={`${shortName(person)} · ${person.birthYear ? t('search.born', { year: person.birthYear }) : t('search.birthUnknown')} · ${t('search.code', { code: person.code })}`}
              />
            ))}
            {text.trim() && search.data && people.length === 0 ? <Text c="dimmed">{t('coaching.warm.noMatch')}</Text> : null}
          </Stack>
        </Radio.Group>
        <FormFooter error={link.error} onCancel={onClose} submitLabel={t('coaching.warm.linkSave')} pending={link.isPending} />
      </Stack>
    </form>
  )
}

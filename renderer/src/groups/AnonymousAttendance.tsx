import { Badge, Button, CloseButton, Group, Paper, Stack, Text, TextInput } from '@mantine/core'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionSheet } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { announce } from '../lib/announce'
import { useMarkAnonymous } from '../hooks/queries'

/**
 * People at an open meeting who give a chosen code instead of a name: each code is counted once a
 * day, like a named person, and joins that code's visit. A plain headcount is in the session record.
 */
export function AnonymousAttendance({ sheet }: { sheet: SessionSheet }) {
  const { t } = useTranslation()
  const headingId = useId()
  const mark = useMarkAnonymous()
  const [code, setCode] = useState('')
  const present = sheet.anonymous.filter((a) => a.status === 'present' || a.status === 'late')
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Text fw={600} id={headingId}>
          {t('groups.anonymous.title', { count: present.length })}
        </Text>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            const typed = code.trim()
            if (!typed) return
            mark.mutate(
              { sessionId: sheet.session.id, code: typed, status: 'present' },
              {
                onSuccess: () => {
                  setCode('')
                  announce(t('groups.anonymous.added', { code: typed.toUpperCase() }))
                },
              },
            )
          }}
        >
          <Group align="flex-end" gap="sm">
            <TextInput label={t('groups.anonymous.code')} description={t('groups.anonymous.help')} value={code} onChange={(e) => setCode(e.currentTarget.value)} maxLength={12} autoComplete="off" w={280} />
            <Button type="submit" variant="default" loading={mark.isPending}>
              {t('groups.add')}
            </Button>
          </Group>
        </form>
        {mark.error ? <FormAlert error={mark.error} /> : null}
        {present.length ? (
          <Group gap="xs" role="list" aria-labelledby={headingId}>
            {present.map((a) => (
              <Badge
                key={a.code}
                role="listitem"
                size="lg"
                variant="light"
                color="gray"
                rightSection={<CloseButton size="xs" aria-label={t('groups.anonymous.remove', { code: a.code })} onClick={() => mark.mutate({ sessionId: sheet.session.id, code: a.code, status: null })} />}
              >
                {a.code}
              </Badge>
            ))}
          </Group>
        ) : null}
      </Stack>
    </Paper>
  )
}

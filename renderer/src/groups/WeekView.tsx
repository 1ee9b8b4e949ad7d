import { Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core'
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { GroupSession } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { currentLanguage } from '../i18n'
import { todayIso } from '../lib/fields'
import { formatDay, shiftDay, weekStart } from './format'
import { useWeek } from '../hooks/queries'

/**
 * Every session of the center in one week, a column a day. Tab moves through the sessions in time
 * order; Enter opens one; the buttons (or Alt+← / Alt+→) change week.
 */
export function WeekView({ onOpen }: { onOpen: (session: GroupSession) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const [from, setFrom] = useState(() => weekStart(todayIso()))
  const week = useWeek(from)
  const days = Array.from({ length: 7 }, (_, i) => shiftDay(from, i))
  const today = todayIso()
  return (
    <Stack
      gap="sm"
      component="section"
      aria-labelledby={headingId}
      onKeyDown={(event) => {
        if (event.altKey && event.key === 'ArrowLeft') setFrom(shiftDay(from, -7))
        if (event.altKey && event.key === 'ArrowRight') setFrom(shiftDay(from, 7))
      }}
    >
      <Group justify="space-between">
        <Title order={2} size="h4" id={headingId}>
          {t('groups.weekOf', { date: formatDay(from, language, true) })}
        </Title>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconChevronLeft aria-hidden size={16} />} onClick={() => setFrom(shiftDay(from, -7))} aria-keyshortcuts="Alt+ArrowLeft">
            {t('groups.previousWeek')}
          </Button>
          <Button variant="default" onClick={() => setFrom(weekStart(today))}>
            {t('groups.thisWeek')}
          </Button>
          <Button variant="default" rightSection={<IconChevronRight aria-hidden size={16} />} onClick={() => setFrom(shiftDay(from, 7))} aria-keyshortcuts="Alt+ArrowRight">
            {t('groups.nextWeek')}
          </Button>
        </Group>
      </Group>
      {week.error ? <FormAlert error={week.error} /> : null}
      <SimpleGrid cols={7} spacing={6}>
        {days.map((day) => {
          const sessions = (week.data ?? []).filter((s) => s.date === day)
          return (
            <Paper key={day} withBorder radius="md" p={6} bg={day === today ? 'blue.0' : undefined} component="section" aria-label={formatDay(day, language, true)}>
              <Text fw={700} size="sm" mb={4}>
                {formatDay(day, language)}
              </Text>
              <Stack gap={4}>
                {sessions.length === 0 ? (
                  <Text size="xs" c="dimmed">
                    {t('groups.noSessions')}
                  </Text>
                ) : null}
                {sessions.map((session) => (
                  <UnstyledButton
                    key={session.id}
                    onClick={() => onOpen(session)}
                    p={6}
                    // A cancelled session is struck through and badged, not faded: faded text fails contrast.
                    style={{ borderRadius: 6, border: '1px solid var(--mantine-color-gray-4)' }}
                  >
                    <Text size="sm" fw={600}>
                      {session.startTime}
                    </Text>
                    <Text size="sm" td={session.status === 'cancelled' ? 'line-through' : undefined}>
                      {session.groupName}
                    </Text>
                    {session.status === 'cancelled' ? (
                      <Badge size="xs" color="red" variant="light">
                        {t('groups.status.cancelled')}
                      </Badge>
                    ) : null}
                  </UnstyledButton>
                ))}
              </Stack>
            </Paper>
          )
        })}
      </SimpleGrid>
    </Stack>
  )
}

import { Badge, Button, Group, Loader, Paper, Stack, Tabs, Text, Title } from '@mantine/core'
import { IconChecklist, IconPlus } from '@tabler/icons-react'
import { createColumnHelper, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { GroupSession, GroupSummary } from '../../../electron/ipc/contract'
import { DataTable } from '../components/DataTable'
import { FormAlert } from '../components/FormAlert'
import { useMay } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { announce } from '../lib/announce'
import { AttendanceScreen } from './AttendanceScreen'
import { ClosuresPanel } from './ClosuresPanel'
import { formatDay } from './format'
import { GroupFormDialog } from './GroupFormDialog'
import { GroupPage } from './GroupPage'
import { PersonFinder } from './PersonFinder'
import { useAddPerson, useGroups, useTodaySessions } from '../hooks/queries'
import { describeSchedule } from './schedule-text'
import { WeekView } from './WeekView'

type Open = { kind: 'session'; id: number } | { kind: 'group'; id: number } | null

/**
 * Groups: today's sessions first (a facilitator lands on the one due within the hour), the week,
 * the list of groups and the center's closed days. A session opens the attendance screen; a group
 * its page.
 */
export function GroupsScreen({ initialSessionId = null }: { initialSessionId?: number | null }) {
  const { t } = useTranslation()
  const headingId = useId()
  const [open, setOpen] = useState<Open>(initialSessionId ? { kind: 'session', id: initialSessionId } : null)
  const [tab, setTab] = useState<string | null>('today')
  const canList = useMay('groups.list')
  const canClose = useMay('closures.list')
  const canWeek = useMay('sessions.week')

  if (open?.kind === 'session') return <AttendanceScreen sessionId={open.id} onBack={() => setOpen(null)} />
  if (open?.kind === 'group') return <GroupPage groupId={open.id} onBack={() => setOpen(null)} onOpenSession={(id) => setOpen({ kind: 'session', id })} />
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={1} size="h3" id={headingId}>
          {t('groups.title')}
        </Title>
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="today">{t('groups.tabToday')}</Tabs.Tab>
            {canWeek ? <Tabs.Tab value="week">{t('groups.tabWeek')}</Tabs.Tab> : null}
            {canList ? <Tabs.Tab value="groups">{t('groups.tabGroups')}</Tabs.Tab> : null}
            {canClose ? <Tabs.Tab value="closures">{t('groups.tabClosures')}</Tabs.Tab> : null}
          </Tabs.List>
          <Tabs.Panel value="today" pt="md">
            <TodaySessions onOpen={(id) => setOpen({ kind: 'session', id })} />
          </Tabs.Panel>
          {canWeek ? (
            <Tabs.Panel value="week" pt="md">
              <WeekView onOpen={(session) => setOpen({ kind: 'session', id: session.id })} />
            </Tabs.Panel>
          ) : null}
          {canList ? (
            <Tabs.Panel value="groups" pt="md">
              <GroupList onOpen={(id) => setOpen({ kind: 'group', id })} />
            </Tabs.Panel>
          ) : null}
          {canClose ? (
            <Tabs.Panel value="closures" pt="md">
              <ClosuresPanel />
            </Tabs.Panel>
          ) : null}
        </Tabs>
      </Stack>
    </Paper>
  )
}

function TodaySessions({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation()
  const today = useTodaySessions()
  const canRun = useMay('sessions.sheet')
  if (today.isPending) return <Loader aria-label={t('groups.loading')} />
  if (today.isError) return <FormAlert error={today.error} />
  const sessions = today.data.sessions
  if (sessions.length === 0) return <Text c="dimmed">{t('groups.noSessionsToday')}</Text>
  return (
    <Stack gap="xs">
      {sessions.map((session) => (
        <Paper key={session.id} withBorder radius="md" p="sm">
          <Group justify="space-between">
            <Stack gap={2}>
              <Group gap="xs">
                <Text fw={700}>{session.startTime}</Text>
                <Text fw={600}>{session.groupName}</Text>
                <Badge variant="light" color={session.status === 'cancelled' ? 'red' : session.status === 'held' ? 'teal' : 'gray'}>
                  {t(`groups.status.${session.status}`)}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed">
                {[session.room, session.facilitators.map((f) => f.name).join(', '), t('groups.headcount', { count: session.headcount })].filter(Boolean).join(' · ')}
              </Text>
            </Stack>
            {canRun ? (
              <Button leftSection={<IconChecklist aria-hidden size={18} />} disabled={session.status === 'cancelled'} onClick={() => onOpen(session.id)} aria-label={t('groups.takeAttendanceFor', { group: session.groupName })}>
                {t('groups.takeAttendance')}
              </Button>
            ) : session.status !== 'cancelled' ? (
              <AddToSession session={session} />
            ) : null}
          </Group>
        </Paper>
      ))}
    </Stack>
  )
}

/** The front desk's part: a person who says they are here for the group is added to it. */
function AddToSession({ session }: { session: GroupSession }) {
  const { t } = useTranslation()
  const add = useAddPerson()
  return (
    <Stack gap={4} w={420}>
      <PersonFinder
        label={t('groups.addToGroup', { group: session.groupName })}
        action={t('groups.add')}
        busy={add.isPending}
        onPick={(participantId) => add.mutate({ sessionId: session.id, participantId }, { onSuccess: () => announce(t('groups.added', { group: session.groupName })) })}
      />
      {add.error ? <FormAlert error={add.error} /> : null}
    </Stack>
  )
}

const column = createColumnHelper<GroupSummary>()
/** One empty list, not a new one each render: TanStack re-renders whenever its data changes identity. */
const NO_GROUPS: GroupSummary[] = []

function GroupList({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const groups = useGroups()
  const canCreate = useMay('groups.save')
  const [creating, setCreating] = useState(false)
  const columns = useMemo(
    () => [
      column.accessor('name', {
        header: () => t('groups.name'),
        cell: (info) => (
          <Button variant="subtle" size="compact-md" onClick={() => onOpen(info.row.original.id)}>
            {info.getValue()}
          </Button>
        ),
      }),
      column.accessor('kind', { header: () => t('groups.kind'), cell: (info) => (info.getValue() === 'open' ? t('groups.kindOpen') : t('groups.kindClosed')) }),
      column.display({ id: 'schedule', header: () => t('groups.schedule'), cell: ({ row }) => describeSchedule(t, row.original, language) }),
      column.display({ id: 'facilitators', header: () => t('groups.facilitators'), cell: ({ row }) => row.original.facilitators.map((f) => f.name).join(', ') }),
      column.display({
        id: 'roster',
        header: () => t('groups.enrolledColumn'),
        cell: ({ row }) => (row.original.kind === 'closed' ? `${row.original.enrolledCount}${row.original.capacity ? ` / ${row.original.capacity}` : ''}${row.original.waitlistCount ? ` (+${row.original.waitlistCount})` : ''}` : '—'),
      }),
      column.display({
        id: 'next',
        header: () => t('groups.nextSession'),
        cell: ({ row }) => (row.original.nextSession ? `${formatDay(row.original.nextSession.date, language)} ${row.original.nextSession.startTime}` : '—'),
      }),
    ],
    [t, language, onOpen],
  )
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: groups.data ?? NO_GROUPS, columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => String(row.id) })
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text id={headingId} fw={600}>
          {t('groups.count', { count: groups.data?.length ?? 0 })}
        </Text>
        {canCreate ? (
          <Button leftSection={<IconPlus aria-hidden size={18} />} onClick={() => setCreating(true)}>
            {t('groups.newGroup')}
          </Button>
        ) : null}
      </Group>
      {groups.error ? <FormAlert error={groups.error} /> : null}
      {groups.isPending ? <Loader aria-label={t('groups.loading')} /> : <DataTable table={table} striped highlightOnHover verticalSpacing="xs" aria-labelledby={headingId} data-testid="group-table" />}
      <GroupFormDialog
        opened={creating}
        group={null}
        onClose={() => setCreating(false)}
        onSaved={(group) => {
          setCreating(false)
          onOpen(group.id)
        }}
      />
    </Stack>
  )
}

import { Badge, Button, Checkbox, Group, Loader, Modal, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconArrowLeft, IconArchive, IconPencil } from '@tabler/icons-react'
import { createColumnHelper, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Enrollment, GroupDetails, GroupHistoryRow, GroupSession } from '../../../electron/ipc/contract'
import { DataTable } from '../components/DataTable'
import { FormAlert } from '../components/FormAlert'
import { useMay } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { formatDay, percent } from './format'
import { GroupFormDialog } from './GroupFormDialog'
import { PersonFinder } from './PersonFinder'
import { NewSessionButton, type MakeupCandidate } from './SessionDialogs'
import { useAdmit, useArchiveGroup, useEnroll, useGroup, useUnenroll } from '../hooks/queries'
import { describeSchedule } from './schedule-text'

interface Props {
  groupId: number
  onBack: () => void
  onOpenSession: (sessionId: number) => void
}

/** A group's page: what it is and when it meets, its rates over its whole life, the roster with its history, past and coming sessions. */
export function GroupPage({ groupId, onBack, onOpenSession }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const details = useGroup(groupId)
  const manage = useMay('groups.save')
  const addSessions = useMay('sessions.create')
  const archive = useArchiveGroup()
  const [editing, setEditing] = useState(false)
  if (details.isPending) return <Loader aria-label={t('groups.loading')} />
  if (details.isError) return <FormAlert error={details.error} />
  const { group, rates } = details.data
  const candidates: MakeupCandidate[] = [
    ...details.data.upcoming.filter((s) => s.status === 'cancelled').map((s) => ({ id: s.id, date: s.date, status: 'cancelled' as const })),
    ...details.data.history.flatMap((h) => (!h.madeUp && (h.status === 'cancelled' || h.status === 'did_not_meet') ? [{ id: h.sessionId, date: h.date, status: h.status }] : [])),
  ]
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft aria-hidden size={16} />} onClick={onBack} w="fit-content">
              {t('groups.back')}
            </Button>
            <Group gap="xs">
              <Title order={1} size="h3" id={headingId}>
                {group.name}
              </Title>
              <Badge variant="light">{group.kind === 'open' ? t('groups.kindOpen') : t('groups.kindClosed')}</Badge>
              {group.archivedAt ? <Badge color="gray">{t('groups.archived')}</Badge> : null}
            </Group>
            <Text size="sm" c="dimmed">
              {[describeSchedule(t, group, language), group.room, group.facilitators.map((f) => f.name).join(', ')].filter(Boolean).join(' · ')}
            </Text>
            {group.description ? <Text size="sm">{group.description}</Text> : null}
          </Stack>
          {manage && !group.archivedAt ? (
            <Group gap="xs">
              {addSessions ? <NewSessionButton group={group} candidates={candidates} /> : null}
              <Button variant="default" leftSection={<IconPencil aria-hidden size={18} />} onClick={() => setEditing(true)}>
                {t('groups.edit')}
              </Button>
              <Button variant="default" color="red" leftSection={<IconArchive aria-hidden size={18} />} loading={archive.isPending} onClick={() => archive.mutate({ id: group.id, version: group.version })}>
                {t('groups.archive')}
              </Button>
            </Group>
          ) : null}
        </Group>
        {archive.error ? <FormAlert error={archive.error} /> : null}
        <SimpleGrid cols={{ base: 2, md: 4 }} role="list" aria-label={t('groups.ratesLabel')}>
          <Figure label={t('groups.sessionsHeld')} value={String(rates.sessionsHeld)} />
          <Figure label={t('groups.averageHeadcount')} value={rates.averageHeadcount === null ? '—' : String(rates.averageHeadcount)} />
          <Figure label={t('groups.attendanceRate')} value={percent(rates.enrolledRate, language)} testId="group-rate" />
          <Figure label={t('groups.newAttendees')} value={String(rates.newAttendees)} />
        </SimpleGrid>
        {group.kind === 'closed' ? <Roster details={details.data} manage={manage && !group.archivedAt} /> : null}
        <Upcoming sessions={details.data.upcoming} onOpen={onOpenSession} />
        <History rows={details.data.history} onOpen={onOpenSession} />
      </Stack>
      <GroupFormDialog opened={editing} group={group} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
    </Paper>
  )
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="sm" role="listitem">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={testId}>
        {value}
      </Text>
    </Paper>
  )
}

const rosterColumn = createColumnHelper<Enrollment>()

function Roster({ details, manage }: { details: GroupDetails; manage: boolean }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const enroll = useEnroll()
  const admit = useAdmit()
  const [waitlist, setWaitlist] = useState(false)
  const [ending, setEnding] = useState<Enrollment | null>(null)
  const { group } = details
  const full = group.capacity !== null && group.enrolledCount >= group.capacity
  // The mutation's result is a new object every render; its mutate is stable. Columns (and data)
  // must keep their identity between renders: TanStack resets the page index in a microtask
  // whenever they change, and that reset renders again, so unstable ones never let the page go.
  const admitPlace = admit.mutate
  const columns = useMemo(
    () => [
      rosterColumn.accessor('name', { header: () => t('groups.person') }),
      rosterColumn.accessor('status', {
        header: () => t('groups.enrollmentStatus'),
        cell: (info) => <Badge variant="light" color={info.getValue() === 'enrolled' ? 'teal' : info.getValue() === 'waitlisted' ? 'yellow' : 'gray'}>{t(`groups.enrollment.${info.getValue()}`)}</Badge>,
      }),
      rosterColumn.display({
        id: 'dates',
        header: () => t('groups.dates'),
        cell: ({ row }) =>
          [row.original.enrolledOn ? formatDay(row.original.enrolledOn, language) : t('groups.askedOn', { date: formatDay(row.original.requestedOn, language) }), row.original.endedOn ? formatDay(row.original.endedOn, language) : null]
            .filter(Boolean)
            .join(' – ') + (row.original.endReason ? ` (${row.original.endReason})` : ''),
      }),
      rosterColumn.display({
        id: 'actions',
        header: () => <span className="pl-visually-hidden">{t('groups.actions')}</span>,
        cell: ({ row }) =>
          manage && row.original.status !== 'ended' ? (
            <Group gap={4} justify="flex-end">
              {row.original.status === 'waitlisted' ? (
                <Button size="compact-sm" variant="light" disabled={full} onClick={() => admitPlace({ enrollmentId: row.original.id })}>
                  {t('groups.admit')}
                </Button>
              ) : null}
              <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setEnding(row.original)} aria-label={t('groups.endFor', { name: row.original.name })}>
                {t('groups.end')}
              </Button>
            </Group>
          ) : null,
      }),
    ],
    [t, language, manage, full, admitPlace],
  )
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: details.roster, columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => String(row.id) })
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Group justify="space-between">
        <Title order={2} size="h4" id={headingId}>
          {t('groups.roster', { enrolled: group.enrolledCount, capacity: group.capacity ?? '∞', waiting: group.waitlistCount })}
        </Title>
      </Group>
      {manage ? (
        <Stack gap={4}>
          <Group align="flex-start" gap="md">
            <div style={{ flex: 1, maxWidth: 560 }}>
              <PersonFinder label={t('groups.enrollPerson')} action={full || waitlist ? t('groups.addToWaitlist') : t('groups.enroll')} busy={enroll.isPending} onPick={(participantId) => enroll.mutate({ groupId: group.id, participantId, waitlist: waitlist || full })} />
            </div>
            {full ? <Text size="sm" c="dimmed" mt={30}>{t('groups.fullNote')}</Text> : <Checkbox mt={34} label={t('groups.toWaitlist')} checked={waitlist} onChange={(e) => setWaitlist(e.currentTarget.checked)} />}
          </Group>
          {enroll.error ? <FormAlert error={enroll.error} /> : null}
        </Stack>
      ) : null}
      {details.roster.length ? <DataTable table={table} striped verticalSpacing="xs" aria-labelledby={headingId} data-testid="roster-table" /> : <Text c="dimmed">{t('groups.rosterEmpty')}</Text>}
      <EndEnrollmentDialog enrollment={ending} onClose={() => setEnding(null)} />
    </Stack>
  )
}

function EndEnrollmentDialog({ enrollment, onClose }: { enrollment: Enrollment | null; onClose: () => void }) {
  const { t } = useTranslation()
  const unenroll = useUnenroll()
  const [reason, setReason] = useState('')
  const [next, setNext] = useState<Enrollment | null>(null)
  const admit = useAdmit()
  const close = () => {
    setReason('')
    setNext(null)
    unenroll.reset()
    onClose()
  }
  return (
    <Modal opened={enrollment !== null} onClose={close} title={t('groups.endTitle', { name: enrollment?.name ?? '' })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {next ? (
        <Stack>
          <Text>{t('groups.offerNext', { name: next.name })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('groups.later')}
            </Button>
            <Button loading={admit.isPending} onClick={() => admit.mutate({ enrollmentId: next.id }, { onSuccess: close })} data-autofocus>
              {t('groups.admit')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault()
            if (!enrollment) return
            unenroll.mutate({ enrollmentId: enrollment.id, reason }, { onSuccess: (result) => (result.nextOnWaitlist && enrollment.status === 'enrolled' ? setNext(result.nextOnWaitlist) : close()) })
          }}
        >
          <Stack>
            <TextInput label={t('groups.endReason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={300} data-autofocus />
            {unenroll.error ? <FormAlert error={unenroll.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={unenroll.isPending}>
                {t('groups.end')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  )
}

function Upcoming({ sessions, onOpen }: { sessions: GroupSession[]; onOpen: (id: number) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId}>
        {t('groups.upcoming')}
      </Title>
      {sessions.length === 0 ? <Text c="dimmed">{t('groups.noUpcoming')}</Text> : null}
      <Group gap="xs">
        {sessions.map((s) => (
          <Button key={s.id} variant="default" size="compact-md" onClick={() => onOpen(s.id)} color={s.status === 'cancelled' ? 'red' : undefined}>
            {`${formatDay(s.date, language)} ${s.startTime}${s.status === 'cancelled' ? ` · ${t('groups.status.cancelled')}` : ''}`}
          </Button>
        ))}
      </Group>
    </Stack>
  )
}

const historyColumn = createColumnHelper<GroupHistoryRow>()

function History({ rows, onOpen }: { rows: GroupHistoryRow[]; onOpen: (id: number) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const columns = useMemo(
    () => [
      historyColumn.accessor('date', {
        header: () => t('groups.date'),
        cell: (info) => (
          <Button variant="subtle" size="compact-sm" onClick={() => onOpen(info.row.original.sessionId)}>
            {formatDay(info.getValue(), language)}
          </Button>
        ),
      }),
      historyColumn.accessor('status', { header: () => t('groups.sessionStatus'), cell: (info) => t(`groups.status.${info.getValue()}`) }),
      historyColumn.accessor('topic', { header: () => t('groups.topic'), cell: (info) => info.getValue() ?? '' }),
      historyColumn.accessor('headcount', { header: () => t('groups.headcountColumn') }),
      historyColumn.display({
        id: 'rate',
        header: () => t('groups.enrolledAttended'),
        cell: ({ row }) => (row.original.enrolledExpected ? `${row.original.enrolledAttended} / ${row.original.enrolledExpected}` : '—'),
      }),
    ],
    [t, language, onOpen],
  )
  // The newest 100 on the page: five years of a weekly group is 260 rows, and the rates above cover them all.
  // Memoized: a new array each render would make TanStack reset and render again, for ever (see Roster).
  const newest = useMemo(() => rows.slice(0, 100), [rows])
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: newest, columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => String(row.sessionId) })
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId}>
        {t('groups.history')}
      </Title>
      {rows.length ? <DataTable table={table} striped verticalSpacing="xs" aria-labelledby={headingId} /> : <Text c="dimmed">{t('groups.noHistory')}</Text>}
    </Stack>
  )
}

import { Button, Group, Loader, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconChevronLeft, IconChevronRight, IconFilterOff } from '@tabler/icons-react'
import { createColumnHelper, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { TFunction } from 'i18next'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DataTable } from '../components/DataTable'
import { FormAlert } from '../components/FormAlert'
import { AUDIT_PAGE, useAuditActions, useAuditPage, useStaffList, type AuditFilter } from '../hooks/queries'
import { currentLanguage, type Language } from '../i18n'
import { formatDate, formatTime } from '../lib/format'
import type { AuditRow } from '../lib/types'
import { AccountingPanel } from './AccountingPanel'
import { AuditPersonFilter, type ChosenPerson } from './AuditPersonFilter'
import { actionText, detailText, personText } from './wording'

const TARGET_TYPES = ['participant', 'visit', 'staff', 'service', 'agency', 'group', 'session', 'closure'] as const

interface Fields {
  person: ChosenPerson | null
  staffId: string | null
  action: string | null
  from: string
  to: string
  targetType: string | null
  targetId: string
}

const EMPTY: Fields = { person: null, staffId: null, action: null, from: '', to: '', targetType: null, targetId: '' }

/** What the form says, as main's filter: blanks and half-typed values are left out. */
function toFilter(fields: Fields): AuditFilter {
  const filter: AuditFilter = {}
  if (fields.person) filter.participantId = fields.person.id
  if (fields.staffId) filter.staffId = Number(fields.staffId)
  if (fields.action) filter.action = fields.action
  if (/^\d{4}-\d{2}-\d{2}$/.test(fields.from)) filter.from = fields.from
  if (/^\d{4}-\d{2}-\d{2}$/.test(fields.to)) filter.to = fields.to
  if (fields.targetType) filter.targetType = fields.targetType
  if (/^\d{1,15}$/.test(fields.targetId.trim()) && Number(fields.targetId) > 0) filter.targetId = Number(fields.targetId)
  return filter
}

const column = createColumnHelper<AuditRow>()

/**
 * Who the row is about: up to three people by name and code. A merged record is shown under the
 * person it joined, once for both when the row names the two (a merge, a look at each).
 */
function People({ row }: { row: AuditRow }) {
  const { t } = useTranslation()
  if (row.people.length === 0) return null
  const groups = new Map<number, { primary: string; secondary: string[] }>()
  for (const person of row.people) {
    const { primary, secondary } = personText(t, person)
    const home = person.mergedInto?.id ?? person.id
    const group = groups.get(home) ?? { primary, secondary: [] }
    if (secondary) group.secondary.push(secondary)
    groups.set(home, group)
  }
  return (
    <Stack gap={4}>
      {[...groups].map(([home, group]) => (
        <div key={home}>
          <Text size="sm" fw={500}>
            {group.primary}
          </Text>
          {group.secondary.map((line) => (
            <Text key={line} size="xs" c="dimmed">
              {line}
            </Text>
          ))}
        </div>
      ))}
      {row.morePeople > 0 ? (
        <Text size="xs" c="dimmed">
          {t('audit.morePeople', { count: row.morePeople })}
        </Text>
      ) : null}
    </Stack>
  )
}

function buildColumns(t: TFunction, language: Language) {
  return [
    column.accessor('id', { header: () => t('audit.row'), cell: (info) => <Text ff="monospace" size="sm">{info.getValue()}</Text> }),
    column.accessor('at', {
      header: () => t('audit.when'),
      cell: (info) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatDate(info.getValue(), language)} {formatTime(info.getValue(), language)}
        </Text>
      ),
    }),
    column.accessor('staffName', { header: () => t('audit.who'), cell: (info) => info.getValue() ?? <Text c="dimmed" span>{t('audit.nobody')}</Text> }),
    column.accessor('action', { header: () => t('audit.action'), cell: (info) => actionText(t, info.getValue()) }),
    column.display({ id: 'people', header: () => t('audit.people'), cell: ({ row: { original } }) => <People row={original} /> }),
    column.display({
      id: 'target',
      header: () => t('audit.target'),
      cell: ({ row: { original } }) =>
        original.targetType ? `${(t as unknown as (key: string) => string)(`audit.types.${original.targetType}`)} ${original.targetId ?? ''}` : '—',
    }),
    column.display({
      id: 'detail',
      header: () => t('audit.detail'),
      cell: ({ row: { original } }) => (
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {detailText(t, original, language)}
        </Text>
      ),
    }),
  ]
}

/**
 * Admins only: the audit log, newest first, fifty rows a page, filtered by staff member, action,
 * dates (the center's calendar days, both included) and target. Reading it is not itself logged:
 * it shows who did what, not people's records.
 */
export function AuditScreen() {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const [fields, setFields] = useState<Fields>(EMPTY)
  const [page, setPage] = useState(0)
  const [debounced] = useDebouncedValue(fields, 250)
  const filter = useMemo(() => toFilter(debounced), [debounced])
  const result = useAuditPage(filter, page)
  const actions = useAuditActions()
  const staff = useStaffList()
  const columns = useMemo(() => buildColumns(t, language), [t, language])
  const data = useMemo(() => result.data?.rows ?? [], [result.data])
  const total = result.data?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE))
  // TanStack Table v8 keeps its own state, so the React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), manualPagination: true, pageCount: pages, getRowId: (row) => String(row.id) })

  // The person filter keeps what was typed; Clear filters starts it afresh.
  const [cleared, setCleared] = useState(0)
  const set = (change: Partial<Fields>) => {
    setFields((previous) => ({ ...previous, ...change }))
    setPage(0)
  }

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-end">
          <Stack gap={2}>
            <Title order={1} size="h3" id={headingId}>
              {t('audit.title')}
            </Title>
            <Text c="dimmed">{t('audit.intro')}</Text>
          </Stack>
          {result.isFetching ? <Loader size="xs" aria-label={t('audit.loading')} /> : null}
        </Group>
        <SimpleGrid cols={{ base: 2, md: 3, lg: 4 }} spacing="sm" role="group" aria-label={t('audit.filters')}>
          <AuditPersonFilter key={cleared} value={fields.person} onChange={(person) => set({ person })} />
          <Select
            label={t('audit.who')}
            placeholder={t('audit.anyone')}
            clearable
            searchable
            data={(staff.data ?? []).map((s) => ({ value: String(s.id), label: s.displayName }))}
            value={fields.staffId}
            onChange={(staffId) => set({ staffId })}
          />
          <Select
            label={t('audit.action')}
            placeholder={t('audit.any')}
            clearable
            searchable
            data={(actions.data ?? []).map((action) => ({ value: action, label: actionText(t, action) }))}
            value={fields.action} onChange={(action) => set({ action })} />
          <TextInput type="date" label={t('audit.from')} value={fields.from} onChange={(event) => set({ from: event.currentTarget.value })} />
          <TextInput type="date" label={t('audit.to')} value={fields.to} onChange={(event) => set({ to: event.currentTarget.value })} />
          <Select
            label={t('audit.targetType')}
            placeholder={t('audit.any')}
            clearable
            data={TARGET_TYPES.map((type) => ({ value: type, label: t(`audit.types.${type}`) }))}
            value={fields.targetType}
            onChange={(targetType) => set({ targetType })}
          />
          <TextInput label={t('audit.targetId')} inputMode="numeric" value={fields.targetId} onChange={(event) => set({ targetId: event.currentTarget.value })} />
        </SimpleGrid>
        <Group justify="space-between">
          <Text size="sm" aria-live="polite">
            {t('audit.count', { count: total })}
          </Text>
          <Button variant="subtle" size="xs" leftSection={<IconFilterOff aria-hidden size={16} />} onClick={() => {
              set(EMPTY)
              setCleared((n) => n + 1)
            }}
          >
            {t('audit.clear')}
          </Button>
        </Group>
        {result.isError ? <FormAlert error={result.error} /> : null}
        {fields.person ? <AccountingPanel key={fields.person.id} participantId={fields.person.id} /> : null}
        <DataTable table={table} verticalSpacing="xs" fz="sm" striped aria-label={t('audit.table')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" leftSection={<IconChevronLeft aria-hidden size={16} />} disabled={page === 0} onClick={() => setPage((p) => Math.max(0, p - 1))}>
            {t('audit.previous')}
          </Button>
          <Text size="sm">{t('audit.page', { page: page + 1, pages })}</Text>
          <Button variant="default" rightSection={<IconChevronRight aria-hidden size={16} />} disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
            {t('audit.next')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  )
}

import { Badge, Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core'
import { IconBuildingCommunity, IconKey, IconPencil, IconUserPlus } from '@tabler/icons-react'
import { createColumnHelper, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { TFunction } from 'i18next'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DataTable } from '../components/DataTable'
import { FormAlert } from '../components/FormAlert'
import { useCurrentStaff } from '../components/ProfileContext'
import { useCentersOverview, useStaffCenters, useStaffList } from '../hooks/queries'
import { currentLanguage, type Language } from '../i18n'
import { formatDate, formatTime } from '../lib/format'
import type { StaffAccount } from '../lib/types'
import type { CenterRow, StaffCenters } from '../../../electron/ipc/contract/centers'
import { centersText, StaffCentersDialog } from './StaffCentersDialog'
import { ResetPasswordDialog, StaffDialog } from './StaffDialogs'

const column = createColumnHelper<StaffAccount>()

/** Where each account works, when the organization has more than one center in use (else null: the table is as it was). */
interface CenterColumn {
  centers: CenterRow[]
  grants: Map<number, StaffCenters>
  open: (a: StaffAccount) => void
}

function buildColumns(t: TFunction, language: Language, selfId: number | null, edit: (a: StaffAccount) => void, reset: (a: StaffAccount) => void, centers: CenterColumn | null) {
  return [
    column.accessor('displayName', {
      header: () => t('staff.name'),
      cell: (info) => (
        <Text fw={600} span>
          {info.getValue()}
          {info.row.original.id === selfId ? (
            <Text span c="dimmed" fw={400}>
              {' '}
              {t('staff.you')}
            </Text>
          ) : null}
        </Text>
      ),
    }),
    column.accessor('username', { header: () => t('staff.username') }),
    column.accessor('role', { header: () => t('staff.role'), cell: (info) => t(`roles.${info.getValue()}`) }),
    column.display({
      id: 'status',
      header: () => t('staff.status'),
      cell: ({ row: { original: account } }) => (
        <Group gap={6}>
          {account.active ? (
            <Badge color="green" variant="light" tt="none" radius="sm" fw={500}>
              {t('staff.active')}
            </Badge>
          ) : (
            <Badge color="gray" variant="outline" tt="none" radius="sm" fw={500}>
              {t('staff.inactive')}
            </Badge>
          )}
          {account.lockedUntil ? (
            <Badge color="red" variant="light" tt="none" radius="sm" fw={500}>
              {t('staff.lockedUntil', { time: formatTime(account.lockedUntil, language) })}
            </Badge>
          ) : null}
          {account.mustChangePassword ? (
            <Badge color="yellow" variant="light" tt="none" radius="sm" fw={500}>
              {t('staff.mustChange')}
            </Badge>
          ) : null}
        </Group>
      ),
    }),
    ...(centers
      ? [
          column.display({
            id: 'centers',
            header: () => t('staffCenters.column'),
            cell: ({ row: { original: account } }) => centersText(t, centers.grants.get(account.id), centers.centers, account.role === 'admin'),
          }),
        ]
      : []),
    column.accessor('createdAt', { header: () => t('staff.created'), cell: (info) => formatDate(info.getValue(), language) }),
    column.display({
      id: 'actions',
      header: () => <span className="pl-visually-hidden">{t('today.actions')}</span>,
      cell: ({ row: { original: account } }) => (
        <Group gap={6} justify="flex-end" wrap="nowrap">
          <Button size="xs" h={36} variant="default" leftSection={<IconPencil aria-hidden size={16} />} aria-label={t('staff.editPerson', { name: account.displayName })} onClick={() => edit(account)}>
            {t('staff.edit')}
          </Button>
          <Button size="xs" h={36} variant="default" leftSection={<IconKey aria-hidden size={16} />} aria-label={t('staff.resetPerson', { name: account.displayName })} onClick={() => reset(account)}>
            {t('staff.reset')}
          </Button>
          {centers ? (
            <Button size="xs" h={36} variant="default" leftSection={<IconBuildingCommunity aria-hidden size={16} />} aria-label={t('staffCenters.openFor', { name: account.displayName })} onClick={() => centers.open(account)}>
              {t('staffCenters.open')}
            </Button>
          ) : null}
        </Group>
      ),
    }),
  ]
}

/** Admins only: every staff account, who may do what, and who is locked out. */
export function StaffScreen() {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const self = useCurrentStaff()
  const list = useStaffList()
  const [editing, setEditing] = useState<StaffAccount | 'new' | null>(null)
  const [resetting, setResetting] = useState<StaffAccount | null>(null)
  const [placing, setPlacing] = useState<StaffAccount | null>(null)
  // Where each account works shows only once the organization runs more than one center.
  const overview = useCentersOverview()
  const severalCenters = (overview.data?.centers.filter((c) => c.active).length ?? 0) > 1
  const grants = useStaffCenters(severalCenters)
  const centerColumn = useMemo<CenterColumn | null>(
    () => (severalCenters && overview.data && grants.data ? { centers: overview.data.centers, grants: new Map(grants.data.map((g) => [g.staffId, g])), open: setPlacing } : null),
    [severalCenters, overview.data, grants.data],
  )
  const columns = useMemo(() => buildColumns(t, language, self?.id ?? null, setEditing, setResetting, centerColumn), [t, language, self, centerColumn])
  const data = useMemo(() => list.data ?? [], [list.data])
  // TanStack Table v8 keeps its own state, so the React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), getRowId: (account) => String(account.id) })

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between">
          <Stack gap={2}>
            <Title order={1} size="h3" id={headingId}>
              {t('staff.title')}
            </Title>
            <Text c="dimmed">{t('staff.intro')}</Text>
          </Stack>
          <Button leftSection={<IconUserPlus aria-hidden size={18} />} onClick={() => setEditing('new')}>
            {t('staff.add')}
          </Button>
        </Group>
        {list.isPending ? <Skeleton h={240} /> : null}
        {list.isError ? <FormAlert error={list.error} /> : null}
        {list.data ? (
          <DataTable
            table={table}
            verticalSpacing="xs"
            fz="md"
            aria-label={t('staff.table')}
            highlightOnHover
            rowProps={(row) => ({ c: row.original.active ? undefined : 'dimmed' })}
          />
        ) : null}
      </Stack>
      <StaffDialog account={editing} onClose={() => setEditing(null)} />
      <ResetPasswordDialog account={resetting} onClose={() => setResetting(null)} />
      <StaffCentersDialog account={placing} grants={placing ? centerColumn?.grants.get(placing.id) : undefined} centers={overview.data?.centers ?? []} onClose={() => setPlacing(null)} />
    </Paper>
  )
}

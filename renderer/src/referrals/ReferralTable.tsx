import { Anchor, Badge, Button, Group, Loader, SegmentedControl, Select, Stack, Text } from '@mantine/core'
import { IconAlertTriangle, IconChevronLeft, IconChevronRight } from '@tabler/icons-react'
import { createColumnHelper, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { TFunction } from 'i18next'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DataTable } from '../components/DataTable'
import { FormAlert } from '../components/FormAlert'
import { REFERRAL_PAGE, useAgencies, useReferralPage, type ReferralListFilter } from '../hooks/queries'
import { currentLanguage, type Language } from '../i18n'
import { todayIso } from '../lib/fields'
import { shortName } from '../lib/format'
import type { ReferralRow, ReferralType, ReferralView } from '../lib/types'
import { CONSENT_COLORS, formatDay, NO_TRUNCATE, REFERRAL_TYPES, STATUS_COLORS } from './labels'

const column = createColumnHelper<ReferralRow>()

function buildColumns(t: TFunction, language: Language, today: string, onOpen: (id: number) => void, withPerson: boolean) {
  return [
    ...(withPerson
      ? [
          column.accessor((row) => shortName(row.person), {
            id: 'person',
            header: () => t('referrals.colPerson'),
            cell: ({ row: { original } }) => (
              <Anchor component="button" type="button" fw={600} onClick={() => onOpen(original.id)} aria-label={t('referrals.openOne', { name: shortName(original.person) })}>
                {shortName(original.person)}
              </Anchor>
            ),
          }),
        ]
      : []),
    column.accessor('type', {
      header: () => t('referrals.colType'),
      cell: ({ row: { original } }) =>
        withPerson ? (
          t(`referrals.type.${original.type}`)
        ) : (
          <Anchor component="button" type="button" fw={600} onClick={() => onOpen(original.id)}>
            {t(`referrals.type.${original.type}`)}
          </Anchor>
        ),
    }),
    column.accessor('agencyName', { header: () => t('referrals.colAgency') }),
    column.accessor('status', {
      header: () => t('referrals.colStatus'),
      cell: (info) => (
        <Badge variant="light" color={STATUS_COLORS[info.getValue()]} tt="none" radius="sm" styles={NO_TRUNCATE}>
          {t(`referrals.status.${info.getValue()}`)}
        </Badge>
      ),
    }),
    column.accessor('referredOn', { header: () => t('referrals.colReferred'), cell: (info) => formatDay(info.getValue(), language) }),
    column.accessor('followUpOn', {
      header: () => t('referrals.colFollowUp'),
      cell: ({ row: { original } }) => {
        if (original.closedOn) return <Text size="sm" c="dimmed">{t('referrals.closedOn', { date: formatDay(original.closedOn, language) })}</Text>
        if (!original.followUpOn) return <Text size="sm" c="dimmed">{t('referrals.noFollowUp')}</Text>
        const overdue = original.followUpOn < today
        const due = original.followUpOn === today
        return (
          <Group gap={4} wrap="nowrap">
            {overdue ? <IconAlertTriangle aria-hidden size={16} color="var(--mantine-color-red-7)" /> : null}
            <Text size="sm" fw={overdue || due ? 700 : 400} c={overdue ? 'red.8' : undefined}>
              {formatDay(original.followUpOn, language)}
              {overdue ? ` · ${t('referrals.overdue')}` : due ? ` · ${t('referrals.dueToday')}` : ''}
            </Text>
          </Group>
        )
      },
    }),
    column.accessor('consentState', {
      header: () => t('referrals.colShared'),
      cell: (info) => {
        const state = info.getValue()
        return state === null ? (
          <Text size="sm" c="dimmed">{t('referrals.notShared')}</Text>
        ) : (
          <Badge variant="dot" color={CONSENT_COLORS[state]} tt="none" styles={NO_TRUNCATE}>
            {t(`consents.state.${state}`)}
          </Badge>
        )
      },
    }),
  ]
}

interface Props {
  /** One person's referrals (in their profile): no person column, no agency filter. */
  participantId?: number
  onOpen: (id: number) => void
  /** Labels the table for screen readers. */
  labelledBy: string
}

/**
 * Referrals as a work list. On the Referrals screen it starts at "Due" (follow-up today or
 * overdue), earliest first, because that is who needs a call; in a profile it shows all of them.
 */
export function ReferralTable({ participantId, onOpen, labelledBy }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const id = useId()
  const forPerson = participantId !== undefined
  const [view, setView] = useState<ReferralView>(forPerson ? 'all' : 'due')
  const [type, setType] = useState<ReferralType | null>(null)
  const [agencyId, setAgencyId] = useState<string | null>(null)
  const [offset, setOffset] = useState(0)
  // Only the Referrals screen filters by agency; a profile's list needs no directory.
  const agencies = useAgencies(true, !forPerson)
  const filter: ReferralListFilter = {
    view,
    ...(type ? { type } : {}),
    ...(agencyId ? { agencyId: Number(agencyId) } : {}),
    ...(forPerson ? { participantId } : {}),
  }
  const page = useReferralPage(filter, offset)
  const today = todayIso()
  const columns = useMemo(() => buildColumns(t, language, today, onOpen, !forPerson), [t, language, today, onOpen, forPerson])
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: page.data?.rows ?? [], columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => String(row.id) })
  const total = page.data?.total ?? 0
  const reset = () => setOffset(0)

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500} id={`${id}-view`}>
            {t('referrals.viewLabel')}
          </Text>
          <SegmentedControl
            aria-labelledby={`${id}-view`}
            value={view}
            onChange={(value) => {
              setView(value as ReferralView)
              reset()
            }}
            data={[
              { value: 'due', label: t('referrals.viewDue', { count: page.data?.dueCount ?? 0 }) },
              { value: 'open', label: t('referrals.viewOpen') },
              { value: 'closed', label: t('referrals.viewClosed') },
              { value: 'all', label: t('referrals.viewAll') },
            ]}
            styles={{ label: { minHeight: 36, display: 'flex', alignItems: 'center', paddingInline: 14 } }}
          />
        </Stack>
        <Select
          label={t('referrals.typeFilter')}
          placeholder={t('referrals.anyType')}
          clearable
          value={type}
          onChange={(value) => {
            setType(value as ReferralType | null)
            reset()
          }}
          data={REFERRAL_TYPES.map((value) => ({ value, label: t(`referrals.type.${value}`) }))}
          w={200}
        />
        {forPerson ? null : (
          <Select
            label={t('referrals.agencyFilter')}
            placeholder={t('referrals.anyAgency')}
            clearable
            searchable
            value={agencyId}
            onChange={(value) => {
              setAgencyId(value)
              reset()
            }}
            data={(agencies.data ?? []).map((agency) => ({ value: String(agency.id), label: agency.name }))}
            w={260}
          />
        )}
        {page.isFetching ? <Loader size="sm" aria-label={t('referrals.loading')} /> : null}
      </Group>
      <FormAlert error={page.error} />
      {page.data && total === 0 ? (
        <Text c="dimmed" py="md" role="status">
          {view === 'due' ? t('referrals.noneDue') : t('referrals.none')}
        </Text>
      ) : (
        <DataTable table={table} striped highlightOnHover verticalSpacing="sm" aria-labelledby={labelledBy} data-testid="referral-table" />
      )}
      {total > REFERRAL_PAGE ? (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" role="status">
            {t('referrals.range', { from: offset + 1, to: Math.min(offset + REFERRAL_PAGE, total), total })}
          </Text>
          <Group gap="xs">
            <Button variant="default" leftSection={<IconChevronLeft aria-hidden size={16} />} disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - REFERRAL_PAGE))}>
              {t('referrals.previous')}
            </Button>
            <Button variant="default" rightSection={<IconChevronRight aria-hidden size={16} />} disabled={offset + REFERRAL_PAGE >= total} onClick={() => setOffset(offset + REFERRAL_PAGE)}>
              {t('referrals.next')}
            </Button>
          </Group>
        </Group>
      ) : null}
    </Stack>
  )
}

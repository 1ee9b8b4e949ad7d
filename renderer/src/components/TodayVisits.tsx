import { Badge, Group, Loader, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core'
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { TFunction } from 'i18next'
import { useId, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useTodayVisits } from '../hooks/queries'
import { currentLanguage, type Language } from '../i18n'
import { errorMessage } from '../lib/errors'
import { formatTime, visitorName } from '../lib/format'
import type { TodayVisit } from '../lib/types'

const column = createColumnHelper<TodayVisit>()

function buildColumns(t: TFunction, language: Language) {
  return [
    column.accessor('signedInAt', {
      header: t('today.time'),
      cell: (info) => (
        <time dateTime={info.getValue()} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatTime(info.getValue(), language)}
        </time>
      ),
    }),
    column.accessor((visit) => visitorName(t, visit), {
      id: 'person',
      header: t('today.person'),
      cell: (info) => {
        const visit = info.row.original
        return (
          <Stack gap={0}>
            <Text fw={500} c={visit.participant ? undefined : 'dimmed'} fs={visit.participant ? undefined : 'italic'}>
              <span style={{ whiteSpace: 'nowrap' }}>{info.getValue()}</span>
              {visit.participant ? (
                // The code tells two "Mike R."s apart; quieter than the name.
                <Text component="span" size="sm" c="dimmed" fw={400} ml={8}>
                  {visit.participant.code}
                </Text>
              ) : null}
            </Text>
            {visit.note ? (
              <Text size="sm" c="dimmed" lineClamp={2}>
                {visit.note}
              </Text>
            ) : null}
          </Stack>
        )
      },
    }),
    column.accessor((visit) => visit.services, {
      id: 'services',
      header: t('today.services'),
      cell: (info) => {
        const services = info.getValue()
        if (services.length === 0) return <Text c="dimmed">{t('today.noServices')}</Text>
        return (
          <Group gap={6}>
            {services.map((service) => (
              <Badge key={service.serviceId} variant="light" color="gray" tt="none" size="lg" radius="sm" fw={500}>
                {language === 'es' ? service.nameEs : service.nameEn}
                {service.quantity > 1 ? ` ×${service.quantity}` : ''}
              </Badge>
            ))}
          </Group>
        )
      },
    }),
  ]
}

/**
 * Every visit of today, repeat visits included, newest first (main's order). A real table
 * with a caption and column headers, so screen readers can move by row and column.
 */
export function TodayVisits() {
  const { t } = useTranslation()
  const language = currentLanguage()
  const today = useTodayVisits()
  const headingId = useId()
  const columns = useMemo(() => buildColumns(t, language), [t, language])
  const data = useMemo(() => today.data ?? [], [today.data])
  // TanStack Table v8 keeps its own state, so the React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), getRowId: (visit) => String(visit.id) })

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId} h="100%">
      <Stack gap="sm" h="100%">
        <Group justify="space-between">
          <Title order={2} size="h3" id={headingId}>
            {t('today.title', { count: data.length })}
          </Title>
          {today.isFetching ? <Loader size="sm" aria-label={t('today.loading')} /> : null}
        </Group>
        {today.isError ? (
          <Text c="red.8" role="alert">
            {t('today.failed')} {errorMessage(t, language, today.error)}
          </Text>
        ) : null}
        <ScrollArea.Autosize mah="calc(100vh - 190px)" type="auto" offsetScrollbars>
          <Table stickyHeader highlightOnHover verticalSpacing="sm" fz="md" captionSide="top">
            <Table.Caption style={{ textAlign: 'left', marginTop: 0 }}>{t('today.caption')}</Table.Caption>
            <Table.Thead>
              {table.getHeaderGroups().map((group) => (
                <Table.Tr key={group.id}>
                  {group.headers.map((header) => (
                    <Table.Th key={header.id} scope="col" w={header.column.id === 'signedInAt' ? 80 : undefined}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                    </Table.Th>
                  ))}
                </Table.Tr>
              ))}
            </Table.Thead>
            <Table.Tbody>
              {table.getRowModel().rows.map((row) => (
                <Table.Tr key={row.id}>
                  {row.getVisibleCells().map((cell) => (
                    <Table.Td key={cell.id} style={{ verticalAlign: 'top' }}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
              {today.isSuccess && data.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={columns.length}>
                    <Text c="dimmed" py="md">
                      {t('today.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      </Stack>
    </Paper>
  )
}

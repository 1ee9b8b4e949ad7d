import { Text } from '@mantine/core'
import { createColumnHelper } from '@tanstack/react-table'
import type { TFunction } from 'i18next'
import type { Language } from '../i18n'
import { formatDate, formatLastVisit, fullName } from '../lib/format'
import type { ParticipantListRow, ParticipantSortColumn } from '../lib/types'

/** A list row with its place in the whole (filtered, sorted) list: the grid is sparse. */
export interface IndexedRow {
  index: number
  row: ParticipantListRow
}

export const COLUMN_IDS = ['name', 'code', 'birthYear', 'phone', 'lastVisit', 'visits', 'created'] as const
export type ColumnId = (typeof COLUMN_IDS)[number]

/** The columns main can sort by; the others (code, phone) sort nothing. */
export const SORTABLE: Partial<Record<ColumnId, ParticipantSortColumn>> = {
  name: 'name',
  birthYear: 'birthYear',
  lastVisit: 'lastVisit',
  visits: 'visits',
  created: 'created',
}

/** CSS grid track per column: the name takes what is left. */
export const TRACKS: Record<ColumnId, string> = {
  name: 'minmax(220px, 3fr)',
  code: '100px',
  birthYear: '170px',
  phone: '120px',
  lastVisit: 'minmax(140px, 1fr)',
  visits: '120px',
  created: 'minmax(140px, 1fr)',
}

export const NUMERIC: ReadonlySet<ColumnId> = new Set(['visits', 'birthYear'])

/** Hidden until the desk asks for them: the list starts calm. */
export const DEFAULT_HIDDEN: readonly ColumnId[] = ['phone', 'created']

const column = createColumnHelper<IndexedRow>()

export function buildColumns(t: TFunction, language: Language) {
  return [
    column.accessor((r) => fullName(r.row), {
      id: 'name',
      header: t('list.colName'),
      enableHiding: false,
      cell: (info) => (
        <Text fw={600} truncate="end">
          {info.getValue()}
        </Text>
      ),
    }),
    column.accessor((r) => r.row.code, {
      id: 'code',
      header: t('list.colCode'),
      cell: (info) => (
        <Text ff="monospace" size="sm">
          {info.getValue()}
        </Text>
      ),
    }),
    column.accessor((r) => r.row.birthYear, {
      id: 'birthYear',
      header: t('list.colBirthYear'),
      cell: (info) => info.getValue() ?? <Text c="dimmed">—</Text>,
    }),
    column.accessor((r) => r.row.phoneLast4, {
      id: 'phone',
      header: t('list.colPhone'),
      cell: (info) => (info.getValue() ? `…${info.getValue()}` : <Text c="dimmed">—</Text>),
    }),
    column.accessor((r) => r.row.lastVisitAt, {
      id: 'lastVisit',
      header: t('list.colLastVisit'),
      cell: (info) => {
        const value = info.getValue()
        return value ? formatLastVisit(value, language) : <Text c="dimmed">{t('list.never')}</Text>
      },
    }),
    column.accessor((r) => r.row.visitCount, {
      id: 'visits',
      header: t('list.colVisits'),
      cell: (info) => info.getValue().toLocaleString(language),
    }),
    column.accessor((r) => r.row.createdAt, {
      id: 'created',
      header: t('list.colCreated'),
      cell: (info) => formatDate(info.getValue(), language),
    }),
  ]
}

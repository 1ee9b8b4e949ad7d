import { Box, Center, Text, UnstyledButton } from '@mantine/core'
import { useThrottledValue } from '@mantine/hooks'
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react'
import { useQueries } from '@tanstack/react-query'
import { flexRender, getCoreRowModel, useReactTable, type Row, type VisibilityState } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useOpenProfile } from '../components/ProfileContext'
import { LIST_PAGE, listPageQuery, type ListFilter, type ListSort } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { errorMessage } from '../lib/errors'
import { COLUMN_IDS, NUMERIC, SORTABLE, TRACKS, buildColumns, type ColumnId, type IndexedRow } from './columns'

export const ROW_HEIGHT = 44
const HEADER_HEIGHT = 44

/** Which way a column sorts first: names and years A→Z, dates and counts newest/most first. */
const FIRST_DIRECTION: Record<ListSort['column'], ListSort['direction']> = {
  name: 'asc',
  birthYear: 'asc',
  lastVisit: 'desc',
  visits: 'desc',
  created: 'desc',
}

interface Props {
  sort: ListSort
  onSort: (sort: ListSort) => void
  filter: ListFilter
  hidden: readonly ColumnId[]
  labelledBy: string
  onTotal: (total: number | null) => void
}

/**
 * A virtualized ARIA grid over the whole list: the scroll height is the total row count times
 * a fixed row height, only the rows in view (plus a few) are in the DOM, and the pages of rows
 * around the visible range are asked of main as the desk scrolls (react-query caches them).
 * Keyboard: ↑ ↓ PageUp PageDown Home End move the active row, Enter opens the profile.
 */
export function ParticipantGrid({ sort, onSort, filter, hidden, labelledBy, onTotal }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const openProfile = useOpenProfile()
  const idBase = useId()
  const scrollRef = useRef<HTMLDivElement>(null)
  const queryKey = JSON.stringify([sort, filter])

  // The total is known once a page arrives; until then the previous one holds the scroll height.
  const [known, setKnown] = useState<{ key: string; total: number } | null>(null)
  const [activeIndex, setActiveIndex] = useState(0)
  const total = known?.total ?? 0

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual keeps its own state
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
  })
  const items = virtualizer.getVirtualItems()
  const firstPage = Math.floor((items[0]?.index ?? 0) / LIST_PAGE)
  const lastPage = Math.floor((items.at(-1)?.index ?? 0) / LIST_PAGE)
  // While the desk drags the scrollbar across 100,000 rows, ask for pages a few times a second, not every frame.
  const wanted = useThrottledValue(`${firstPage}:${lastPage}`, 120)
  const pages = useMemo(() => {
    const [from, to] = wanted.split(':').map(Number) as [number, number]
    return Array.from({ length: to - from + 1 }, (_, i) => from + i)
  }, [wanted])

  const results = useQueries({ queries: pages.map((page) => listPageQuery(sort, filter, page)) })
  const arrived = results.find((result) => result.data)?.data?.total
  if (arrived !== undefined && (known?.key !== queryKey || known.total !== arrived)) {
    setKnown({ key: queryKey, total: arrived })
  }
  const failed = results.find((result) => result.isError)?.error ?? null

  useEffect(() => {
    onTotal(known ? known.total : null)
  }, [known, onTotal])

  // A new sort or filter starts again from the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 })
    setActiveIndex(0)
  }, [queryKey])

  const dataVersion = results.map((result) => result.dataUpdatedAt).join(',')
  const data = useMemo<IndexedRow[]>(() => {
    const rows: IndexedRow[] = []
    results.forEach((result, i) => {
      const page = pages[i] ?? 0
      result.data?.rows.forEach((row, offset) => rows.push({ index: page * LIST_PAGE + offset, row }))
    })
    return rows
    // dataVersion stands for the results' contents; the array itself is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataVersion, pages])

  const columns = useMemo(() => buildColumns(t, language), [t, language])
  const columnVisibility: VisibilityState = Object.fromEntries(COLUMN_IDS.map((id) => [id, !hidden.includes(id)]))
  const table = useReactTable({
    data,
    columns,
    state: { columnVisibility },
    manualSorting: true,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.index),
  })
  const byIndex = new Map<number, Row<IndexedRow>>(table.getRowModel().rows.map((row) => [row.original.index, row]))
  const visible = table.getVisibleLeafColumns()
  const template = visible.map((column) => TRACKS[column.id as ColumnId]).join(' ')

  function move(to: number): void {
    if (total === 0) return
    const next = Math.max(0, Math.min(total - 1, to))
    setActiveIndex(next)
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  function open(index: number): void {
    const row = byIndex.get(index)
    if (row) openProfile(row.original.row.id)
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    // Keys on a header's sort button belong to that button.
    if (event.target !== event.currentTarget) return
    const pageRows = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT) / ROW_HEIGHT) - 1)
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex - 1),
      PageDown: () => move(activeIndex + pageRows),
      PageUp: () => move(activeIndex - pageRows),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => open(activeIndex),
    }
    const action = keys[event.key]
    if (action) {
      event.preventDefault()
      action()
    }
  }

  function sortBy(id: ColumnId): void {
    const column = SORTABLE[id]
    if (!column) return
    onSort(
      sort.column === column
        ? { column, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: FIRST_DIRECTION[column] },
    )
  }

  const activeRendered = items.some((item) => item.index === activeIndex)

  return (
    <Box>
      {failed ? (
        <Text c="red.8" role="alert" mb="xs">
          {t('list.failed')} {errorMessage(t, language, failed)}
        </Text>
      ) : null}
      <div
        ref={scrollRef}
        role="grid"
        aria-labelledby={labelledBy}
        aria-rowcount={total + 1}
        aria-colcount={visible.length}
        aria-activedescendant={total > 0 && activeRendered ? `${idBase}-row-${activeIndex}` : undefined}
        aria-keyshortcuts="ArrowUp ArrowDown PageUp PageDown Home End Enter"
        tabIndex={0}
        className="pl-grid"
        onKeyDown={onKeyDown}
        data-testid="participant-grid"
      >
        <div role="rowgroup" className="pl-grid-head" style={{ height: HEADER_HEIGHT }}>
          <div role="row" aria-rowindex={1} className="pl-grid-row" style={{ gridTemplateColumns: template }}>
            {table.getHeaderGroups()[0]?.headers.map((header) => {
              const id = header.column.id as ColumnId
              const sortColumn = SORTABLE[id]
              const direction = sortColumn && sort.column === sortColumn ? sort.direction : null
              const label = flexRender(header.column.columnDef.header, header.getContext())
              return (
                <div
                  key={header.id}
                  role="columnheader"
                  aria-sort={sortColumn ? (direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none') : undefined}
                  className="pl-grid-cell pl-grid-th"
                  data-numeric={NUMERIC.has(id) || undefined}
                >
                  {sortColumn ? (
                    <UnstyledButton className="pl-sort" onClick={() => sortBy(id)} data-sorted={direction ?? undefined}>
                      <span>{label}</span>
                      {direction === 'asc' ? (
                        <IconArrowUp aria-hidden size={16} />
                      ) : direction === 'desc' ? (
                        <IconArrowDown aria-hidden size={16} />
                      ) : (
                        <IconArrowsSort aria-hidden size={16} className="pl-sort-idle" />
                      )}
                    </UnstyledButton>
                  ) : (
                    <span>{label}</span>
                  )}
                </div>
              )
            })}
          </div>
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = byIndex.get(item.index)
            const isActive = item.index === activeIndex
            return (
              <div
                key={item.key}
                id={`${idBase}-row-${item.index}`}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={isActive}
                aria-busy={row ? undefined : true}
                className="pl-grid-row pl-grid-body-row"
                data-active={isActive || undefined}
                style={{
                  gridTemplateColumns: template,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)`,
                }}
                onClick={() => {
                  setActiveIndex(item.index)
                  scrollRef.current?.focus({ preventScroll: true })
                }}
                onDoubleClick={() => open(item.index)}
              >
                {row
                  ? row.getVisibleCells().map((cell) => (
                      <div key={cell.id} role="gridcell" className="pl-grid-cell" data-numeric={NUMERIC.has(cell.column.id as ColumnId) || undefined}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </div>
                    ))
                  : visible.map((column) => (
                      <div key={column.id} role="gridcell" className="pl-grid-cell">
                        <span className="pl-skeleton" aria-hidden />
                      </div>
                    ))}
              </div>
            )
          })}
        </div>
        {known && total === 0 ? (
          <Center py="xl">
            <Text c="dimmed">{t('list.empty')}</Text>
          </Center>
        ) : null}
      </div>
      <Text size="xs" c="dimmed" mt={6}>
        {t('list.keyboardHint')}
      </Text>
    </Box>
  )
}

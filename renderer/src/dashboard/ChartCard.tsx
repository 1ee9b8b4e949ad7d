import { Button, Card, Group, SegmentedControl, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core'
import { IconFileSpreadsheet, IconPhoto } from '@tabler/icons-react'
import { createContext, useContext, useId, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { saveBlob, svgToPng, tableCsv } from './files'

export interface ChartTable {
  header: string[]
  rows: Array<Array<string | number>>
  /** Opens the list behind a row (a drill-down); absent: the row is only figures. */
  onOpen?: (index: number) => void
}

interface Props {
  title: string
  /** For file names: letters, digits and dashes. */
  slug: string
  /** One sentence a screen reader hears for the chart (the table holds every number). */
  summary: string
  table: ChartTable
  /** Shown when there is nothing to draw: the chart is replaced, never drawn as NaN. */
  empty?: string | null
  children: ReactNode
  extra?: ReactNode
}

/**
 * Whether the pointer or the keyboard's focus is in this card's chart. A recharts tooltip measures
 * itself (a forced layout) in an effect whenever the chart's figures change, and every chart's did
 * on every range change while nobody was pointing at any: so it is drawn only while wanted.
 */
const ChartInUse = createContext(false)

/** True while the pointer or the focus is in the chart: mount its tooltip only then. */
export function useChartInUse(): boolean {
  return useContext(ChartInUse)
}

/**
 * One chart with its numbers: a toggle between the chart and an accessible table of the same
 * figures, and PNG and CSV exports. A row of the table opens the list behind it, which a
 * keyboard reaches where a bar cannot be.
 */
export function ChartCard({ title, slug, summary, table, empty, children, extra }: Props) {
  const { t } = useTranslation()
  const [view, setView] = useState<'chart' | 'table'>('chart')
  const [inUse, setInUse] = useState(false)
  const headingId = useId()
  const chartRef = useRef<HTMLDivElement>(null)
  const savePng = async () => {
    const svg = chartRef.current?.querySelector('svg')
    if (svg) saveBlob(`${slug}.png`, await svgToPng(svg))
  }
  const saveCsv = () => saveBlob(`${slug}.csv`, new Blob([tableCsv(table.header, table.rows)], { type: 'text/csv' }))
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h4" id={headingId}>
            {title}
          </Title>
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              value={view}
              onChange={(value) => setView(value as 'chart' | 'table')}
              aria-label={t('dashboard.viewAs', { title })}
              data={[
                { value: 'chart', label: t('dashboard.asChart') },
                { value: 'table', label: t('dashboard.asTable') },
              ]}
            />
            <Button size="xs" variant="default" leftSection={<IconPhoto aria-hidden size={14} />} onClick={() => void savePng()} disabled={view !== 'chart' || Boolean(empty)} aria-label={t('dashboard.savePng', { title })}>
              PNG
            </Button>
            <Button size="xs" variant="default" leftSection={<IconFileSpreadsheet aria-hidden size={14} />} onClick={saveCsv} aria-label={t('dashboard.saveCsv', { title })}>
              CSV
            </Button>
          </Group>
        </Group>
        {extra}
        {view === 'chart' ? (
          empty ? (
            <Text c="dimmed" py="xl" ta="center">
              {empty}
            </Text>
          ) : (
            <div
              ref={chartRef}
              role="img"
              aria-label={summary}
              onPointerEnter={() => setInUse(true)}
              onPointerLeave={() => setInUse(false)}
              onFocus={() => setInUse(true)}
              onBlur={(event) => {
                if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setInUse(false)
              }}
            >
              <ChartInUse value={inUse}>{children}</ChartInUse>
            </div>
          )
        ) : (
          <Table.ScrollContainer minWidth={320} maxHeight={360}>
            <Table striped highlightOnHover aria-labelledby={headingId} stickyHeader>
              <Table.Thead>
                <Table.Tr>
                  {table.header.map((cell) => (
                    <Table.Th key={cell} scope="col">
                      {cell}
                    </Table.Th>
                  ))}
                  {table.onOpen ? (
                    <Table.Th scope="col">
                      <VisuallyHidden>{t('dashboard.list')}</VisuallyHidden>
                    </Table.Th>
                  ) : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {table.rows.map((row, index) => (
                  <Table.Tr key={index}>
                    {row.map((cell, column) =>
                      column === 0 ? (
                        <Table.Th key={column} scope="row" fw={500}>
                          {cell}
                        </Table.Th>
                      ) : (
                        <Table.Td key={column}>{cell}</Table.Td>
                      ),
                    )}
                    {table.onOpen ? (
                      <Table.Td>
                        <Button size="compact-xs" variant="subtle" onClick={() => table.onOpen!(index)} aria-label={t('dashboard.openList', { row: row[0] })}>
                          {t('dashboard.list')}
                        </Button>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  )
}

import { Button, Checkbox, Group, Paper, Popover, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue, useLocalStorage } from '@mantine/hooks'
import { IconColumns3, IconFileImport, IconSearch } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ListFilter, ListSort } from '../hooks/queries'
import { currentLanguage } from '../i18n'
import { todayIso } from '../lib/fields'
import { COLUMN_IDS, DEFAULT_HIDDEN, type ColumnId } from './columns'
import { ParticipantGrid } from './ParticipantGrid'
import { useMay } from '../components/ProfileContext'
import { ImportRecordsDialog } from '../records/ImportRecordsDialog'
import { zonedDay } from '../lib/zone'

type VisitFilter = 'any' | 'since' | 'never'

const COLUMNS_KEY = 'porchlight.list.hiddenColumns'

function daysAgo(days: number): string {
  return zonedDay(new Date(Date.now() - days * 86_400_000))
}

/**
 * Everyone in the records, as one long list read from main a window at a time: sort by a
 * column header, filter by text or by visits, choose the columns. Enter or a double click opens
 * a profile.
 */
export function ParticipantListScreen() {
  const { t } = useTranslation()
  const language = currentLanguage()
  const headingId = useId()
  const [text, setText] = useState('')
  const [debouncedText] = useDebouncedValue(text.trim(), 250)
  const [visits, setVisits] = useState<VisitFilter>('any')
  const [since, setSince] = useState(() => daysAgo(30))
  const [sort, setSort] = useState<ListSort>({ column: 'name', direction: 'asc' })
  const [hidden, setHidden] = useLocalStorage<ColumnId[]>({
    key: COLUMNS_KEY,
    defaultValue: [...DEFAULT_HIDDEN],
    getInitialValueInEffect: false,
  })
  const [total, setTotal] = useState<number | null>(null)
  const mayImport = useMay('records.import')
  const [importing, setImporting] = useState(false)

  const sinceValid = /^\d{4}-\d{2}-\d{2}$/.test(since) && since <= todayIso()
  const filter: ListFilter = {
    ...(debouncedText ? { text: debouncedText } : {}),
    ...(visits === 'since' && sinceValid ? { visitedSince: since } : {}),
    ...(visits === 'never' ? { neverVisited: true } : {}),
  }

  const columnLabels: Record<ColumnId, string> = {
    name: t('list.colName'),
    code: t('list.colCode'),
    birthYear: t('list.colBirthYear'),
    phone: t('list.colPhone'),
    lastVisit: t('list.colLastVisit'),
    visits: t('list.colVisits'),
    created: t('list.colCreated'),
  }

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Group gap="sm" align="baseline">
            <Title order={1} size="h3" id={headingId}>
              {t('list.title')}
            </Title>
            <Text c="dimmed" role="status" data-testid="list-total">
              {total === null ? '' : t('list.total', { count: total, formatted: total.toLocaleString(language) })}
            </Text>
          </Group>
          {mayImport ? (
            <Button variant="default" leftSection={<IconFileImport aria-hidden size={18} />} onClick={() => setImporting(true)}>
              {t('records.button')}
            </Button>
          ) : null}
        </Group>
        {mayImport ? <ImportRecordsDialog opened={importing} onClose={() => setImporting(false)} /> : null}
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label={t('list.filterLabel')}
            placeholder={t('list.filterPlaceholder')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            leftSection={<IconSearch aria-hidden size={18} />}
            w={340}
            maxLength={100}
            autoComplete="off"
            spellCheck={false}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id={`${headingId}-visits`}>
              {t('list.visitsLabel')}
            </Text>
            <SegmentedControl
              aria-labelledby={`${headingId}-visits`}
              value={visits}
              onChange={(value) => setVisits(value as VisitFilter)}
              data={[
                { value: 'any', label: t('list.visitsAny') },
                { value: 'since', label: t('list.visitsSince') },
                { value: 'never', label: t('list.visitsNever') },
              ]}
              styles={{ label: { minHeight: 36, display: 'flex', alignItems: 'center', paddingInline: 14 } }}
            />
          </Stack>
          {visits === 'since' ? (
            <TextInput
              type="date"
              label={t('list.sinceLabel')}
              value={since}
              max={todayIso()}
              onChange={(event) => setSince(event.currentTarget.value)}
              error={sinceValid ? null : t('validation.dateInvalid')}
              w={190}
            />
          ) : null}
          <Popover position="bottom-end" shadow="md" trapFocus returnFocus withinPortal>
            <Popover.Target>
              <Button variant="default" leftSection={<IconColumns3 aria-hidden size={18} />} ml="auto">
                {t('list.columns')}
              </Button>
            </Popover.Target>
            <Popover.Dropdown>
              <Stack gap="xs" role="group" aria-label={t('list.columnsLabel')}>
                <Text size="sm" fw={600}>
                  {t('list.columnsLabel')}
                </Text>
                {COLUMN_IDS.filter((id) => id !== 'name').map((id) => (
                  <Checkbox
                    key={id}
                    label={columnLabels[id]}
                    checked={!hidden.includes(id)}
                    onChange={(event) => {
                      const show = event.currentTarget.checked
                      setHidden((previous) => (show ? previous.filter((c) => c !== id) : [...previous.filter((c) => c !== id), id]))
                    }}
                  />
                ))}
              </Stack>
            </Popover.Dropdown>
          </Popover>
        </Group>
        <ParticipantGrid
          sort={sort}
          onSort={setSort}
          filter={filter}
          hidden={hidden}
          labelledBy={headingId}
          onTotal={setTotal}
        />
      </Stack>
    </Paper>
  )
}

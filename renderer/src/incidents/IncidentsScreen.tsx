import { Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { IncidentRow } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { currentLanguage } from '../i18n'
import { formatDate, formatTime } from '../lib/format'
import { useIncidents } from '../hooks/queries'
import { IncidentDialog } from './IncidentDialog'

interface Props {
  centerName: string
  /** Opens the quick "Report an incident" dialog (StaffApp holds it, so Alt+I works anywhere). */
  onReport: () => void
}

/**
 * The incident reports this person may read: a manager's or admin's are all of them, anyone
 * else's the ones they wrote (main decides). Open ones first by default; a row opens the report.
 */
export function IncidentsScreen({ centerName, onReport }: Props) {
  const { t } = useTranslation()
  const [show, setShow] = useState<'open' | 'all'>('open')
  const [openId, setOpenId] = useState<number | null>(null)
  const list = useIncidents(show === 'open')
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={1} size="h2">
            {t('incidents.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('incidents.intro')}
          </Text>
        </Stack>
        <Group gap="sm">
          <SegmentedControl
            aria-label={t('incidents.filter')}
            value={show}
            onChange={(value) => setShow(value as 'open' | 'all')}
            data={[
              { value: 'open', label: t('incidents.showOpen') },
              { value: 'all', label: t('incidents.showAll') },
            ]}
          />
          <Button color="red" leftSection={<IconAlertTriangle aria-hidden size={18} />} onClick={onReport}>
            {t('incidents.report')}
          </Button>
        </Group>
      </Group>
      <FormAlert error={list.error} />
      <Paper withBorder radius="md" p="xs">
        {list.data && list.data.length === 0 ? (
          <Text p="md" c="dimmed">
            {t('incidents.none')}
          </Text>
        ) : (
          <IncidentTable rows={list.data ?? []} onOpen={setOpenId} />
        )}
      </Paper>
      <IncidentDialog id={openId} centerName={centerName} onClose={() => setOpenId(null)} />
    </Stack>
  )
}

function IncidentTable({ rows, onOpen }: { rows: IncidentRow[]; onOpen: (id: number) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  return (
    <Table highlightOnHover verticalSpacing="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('incidents.when')}</Table.Th>
          <Table.Th>{t('incidents.kind')}</Table.Th>
          <Table.Th>{t('incidents.summaryCol')}</Table.Th>
          <Table.Th>{t('incidents.by')}</Table.Th>
          <Table.Th>{t('incidents.status')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.id}>
            <Table.Td>{`${formatDate(row.occurredAt, language)} ${formatTime(row.occurredAt, language)}`}</Table.Td>
            <Table.Td>{t(`incidents.kinds.${row.kind}`)}</Table.Td>
            <Table.Td>
              <UnstyledButton onClick={() => onOpen(row.id)} aria-label={t('incidents.openReport', { summary: row.summary })} td="underline" c="blue.9">
                {row.summary}
              </UnstyledButton>
            </Table.Td>
            <Table.Td>{row.createdByName}</Table.Td>
            <Table.Td>
              <Group gap={6}>
                {row.critical ? (
                  <Badge color="red.9" variant="outline" tt="none">
                    {t('incidents.criticalBadge')}
                  </Badge>
                ) : null}
                <Badge color={row.closed ? 'gray.7' : 'blue.9'} variant="outline" tt="none">
                  {row.closed ? t('incidents.closed') : t('incidents.open')}
                </Badge>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

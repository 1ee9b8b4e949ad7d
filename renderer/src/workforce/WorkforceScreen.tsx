import { Badge, Button, Group, Paper, Select, Skeleton, Stack, Table, Text, Title } from '@mantine/core'
import { IconArrowLeft, IconFileReport, IconFolderOpen, IconSettings } from '@tabler/icons-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { useCurrentStaff, useMay } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { formatDay } from '../referrals/labels'
import { hours, STATUS_COLOR } from './format'
import { useWorkforceOverview } from '../hooks/queries'
import { PersonRecords } from './PersonRecords'
import { WorkforceReminders } from './WorkforceReminders'
import { WorkforceReport } from './WorkforceReport'
import { WorkforceSettings } from './WorkforceSettings'

/**
 * Staff records: credentials, training and supervision. A manager or admin starts from everyone
 * (worst status first) and opens a person; a peer specialist sees only their own records.
 */
export function WorkforceScreen() {
  const { t } = useTranslation()
  const headingId = useId()
  const self = useCurrentStaff()
  const seesEveryone = useMay('workforce.report')
  const [openId, setOpenId] = useState<number | null>(null)
  const editsSettings = useMay('workforce.settings')
  const [report, setReport] = useState(false)
  const [settings, setSettings] = useState(false)
  if (report) return <WorkforceReport onClose={() => setReport(false)} />
  if (settings) return <WorkforceSettings onClose={() => setSettings(false)} />
  const shown = seesEveryone ? openId : (self?.id ?? null)
  return (
    <Stack gap="md" maw={1280}>
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
        <Group justify="space-between" align="flex-end">
          <Stack gap={2}>
            <Title order={1} size="h3" id={headingId}>
              {t('workforce.title')}
            </Title>
            <Text c="dimmed">{seesEveryone ? t('workforce.intro') : t('workforce.introOwn')}</Text>
          </Stack>
          {seesEveryone ? (
            <Group gap="sm">
              {openId !== null ? (
                <Button variant="subtle" leftSection={<IconArrowLeft aria-hidden size={18} />} onClick={() => setOpenId(null)}>
                  {t('workforce.back')}
                </Button>
              ) : null}
              {editsSettings ? (
                <Button variant="default" leftSection={<IconSettings aria-hidden size={18} />} onClick={() => setSettings(true)}>
                  {t('workforce.settings.open')}
                </Button>
              ) : null}
              <Button variant="default" leftSection={<IconFileReport aria-hidden size={18} />} onClick={() => setReport(true)}>
                {t('workforce.report.open')}
              </Button>
            </Group>
          ) : null}
        </Group>
      </Paper>
      {seesEveryone ? <Overview openId={openId} onOpen={setOpenId} /> : <WorkforceReminders own onOpen={() => undefined} />}
      {shown !== null ? <PersonRecords staffId={shown} /> : null}
    </Stack>
  )
}

function Overview({ openId, onOpen }: { openId: number | null; onOpen: (id: number | null) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const overview = useWorkforceOverview()
  if (overview.isPending) return <Skeleton h={200} />
  if (overview.isError) return <FormAlert error={overview.error} />
  const rows = overview.data
  if (openId !== null) {
    return (
      <Select
        label={t('workforce.person')}
        w={320}
        data={rows.map((r) => ({ value: String(r.id), label: r.displayName }))}
        value={String(openId)}
        allowDeselect={false}
        searchable
        onChange={(value) => onOpen(value ? Number(value) : null)}
      />
    )
  }
  const severity = { expired: 0, expiring: 1, active: 2, renewed: 3 }
  const sorted = [...rows].sort((a, b) => (a.status ? severity[a.status] : 4) - (b.status ? severity[b.status] : 4) || a.displayName.localeCompare(b.displayName))
  return (
    <Paper withBorder radius="md" p="md">
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing="xs" highlightOnHover aria-label={t('workforce.table')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('workforce.name')}</Table.Th>
              <Table.Th scope="col">{t('workforce.role')}</Table.Th>
              <Table.Th scope="col">{t('workforce.status')}</Table.Th>
              <Table.Th scope="col">{t('workforce.nextExpiry')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('workforce.toConfirm')}</Table.Th>
              <Table.Th scope="col" ta="right">{t('workforce.hoursMissing')}</Table.Th>
              <Table.Th scope="col">
                <span className="pl-visually-hidden">{t('today.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Th scope="row" fw={600}>
                  {row.displayName}
                </Table.Th>
                <Table.Td>{t(`roles.${row.role}`)}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[row.status ?? 'none']} variant="light" tt="none" radius="sm" fw={600}>
                    {t(`workforce.statuses.${row.status ?? 'none'}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{row.nextExpiry ? formatDay(row.nextExpiry, language) : '—'}</Table.Td>
                <Table.Td ta="right">{row.pendingTraining}</Table.Td>
                <Table.Td ta="right">{hours(row.missingHours, language)}</Table.Td>
                <Table.Td>
                  <Button size="xs" h={32} variant="default" leftSection={<IconFolderOpen aria-hidden size={16} />} aria-label={t('workforce.openPerson', { name: row.displayName })} onClick={() => onOpen(row.id)}>
                    {t('workforce.open')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  )
}

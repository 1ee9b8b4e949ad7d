import { Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { IconArrowLeft, IconPrinter, IconTable } from '@tabler/icons-react'
import { useState } from 'react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { WorkforceReport as Report } from '../../../electron/ipc/contract'
import { FormAlert } from '../components/FormAlert'
import { saveBlob, tableCsv } from '../dashboard/files'
import { currentLanguage } from '../i18n'
import { isRealDay, todayIso } from '../lib/fields'
import { formatDay } from '../referrals/labels'
import { hours } from './format'
import { useWorkforceReport } from '../hooks/queries'

const STATUSES = ['active', 'expiring', 'expired', 'none'] as const

/**
 * The workforce page for the funder report: specialists by credential status, training and
 * supervision hours delivered over a range. Printed by the window's print (the app's chrome
 * hides itself on paper, as for the funder report) or saved as CSV.
 */
export function WorkforceReport({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const today = todayIso()
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`)
  const [to, setTo] = useState(today)
  const valid = isRealDay(from) && isRealDay(to) && from <= to
  const report = useWorkforceReport(valid ? { from, to } : null)
  return (
    <Stack gap="md" maw={960}>
      <Group justify="space-between" className="pl-no-print" wrap="wrap" align="flex-end">
        <Button variant="subtle" leftSection={<IconArrowLeft aria-hidden size={18} />} onClick={onClose}>
          {t('workforce.back')}
        </Button>
        <Group align="flex-end" gap="sm">
          <TextInput type="date" label={t('workforce.report.from')} value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label={t('workforce.report.to')} value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} error={valid ? undefined : t('workforce.report.badRange')} />
          <Button leftSection={<IconPrinter aria-hidden size={18} />} onClick={() => window.print()} disabled={!report.data}>
            {t('workforce.report.print')}
          </Button>
          <Button variant="default" leftSection={<IconTable aria-hidden size={18} />} onClick={() => report.data && saveCsv(report.data, t)} disabled={!report.data}>
            {t('workforce.report.csv')}
          </Button>
        </Group>
      </Group>
      <FormAlert error={report.error} />
      {report.isLoading ? <Loader aria-label={t('workforce.loading')} /> : null}
      {report.data ? <ReportPage report={report.data} /> : null}
    </Stack>
  )
}

function saveCsv(report: Report, t: TFunction): void {
  const rows = report.rows.map((r) => [r.displayName, t(`roles.${r.role}`), t(`workforce.statuses.${r.status ?? 'none'}`), r.credentials, r.trainingHours, r.supervisionHours])
  const csv = tableCsv([t('workforce.name'), t('workforce.role'), t('workforce.status'), t('workforce.report.credentials'), t('workforce.trainingHours'), t('workforce.supervisionHours')], rows)
  saveBlob(`workforce-${report.from}-${report.to}.csv`, new Blob([csv], { type: 'text/csv;charset=utf-8' }))
}

function ReportPage({ report }: { report: Report }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const h = (value: number) => hours(value, language)
  const head = t('workforce.report.range', { from: formatDay(report.from, language), to: formatDay(report.to, language) })
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('workforce.report.title')}
      </Title>
      <Text>{head}</Text>
      <Table className="pl-report-table" withTableBorder withColumnBorders aria-label={t('workforce.report.byStatus')}>
        <Table.Caption>{t('workforce.report.byStatus')}</Table.Caption>
        <Table.Tbody>
          {STATUSES.map((s) => (
            <Table.Tr key={s}>
              <Table.Th scope="row" fw={400}>
                {t(`workforce.statuses.${s}`)}
              </Table.Th>
              <Table.Td ta="right" w={140}>
                {report.byStatus[s]}
              </Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th scope="row">{t('workforce.trainingHours')}</Table.Th>
            <Table.Td ta="right" data-testid="report-training-hours">
              {h(report.trainingHours)}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('workforce.supervisionHours')}</Table.Th>
            <Table.Td ta="right">{h(report.supervisionHours)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Table className="pl-report-table" withTableBorder withColumnBorders aria-label={t('workforce.report.byCategory')}>
        <Table.Caption>{t('workforce.report.byCategory')}</Table.Caption>
        <Table.Tbody>
          {report.trainingByCategory.map((c) => (
            <Table.Tr key={c.key}>
              <Table.Th scope="row" fw={400}>
                {language === 'es' ? c.nameEs : c.nameEn}
              </Table.Th>
              <Table.Td ta="right" w={140}>
                {h(c.hours)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Table className="pl-report-table" withTableBorder withColumnBorders aria-label={t('workforce.report.people')}>
        <Table.Caption>{t('workforce.report.people')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('workforce.name')}</Table.Th>
            <Table.Th scope="col">{t('workforce.status')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('workforce.trainingHours')}</Table.Th>
            <Table.Th scope="col" ta="right">{t('workforce.supervisionHours')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Th scope="row" fw={400}>
                {r.displayName}
              </Table.Th>
              <Table.Td>{t(`workforce.statuses.${r.status ?? 'none'}`)}</Table.Td>
              <Table.Td ta="right">{h(r.trainingHours)}</Table.Td>
              <Table.Td ta="right">{h(r.supervisionHours)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}

import { Button, Checkbox, Group, Loader, NumberInput, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core'
import { IconArrowLeft, IconFileSpreadsheet, IconPrinter, IconTable } from '@tabler/icons-react'
import { useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { suppressionFor } from '../../../db/domain'
import { invoke } from '../bridge'
import { FormAlert } from '../components/FormAlert'
import { SavedPdfOutcome, SavePdfButton, useSavePdf } from '../print/SavePdf'
import { useMay } from '../components/ProfileContext'
import { currentLanguage } from '../i18n'
import { formatDay } from '../referrals/labels'
import { saveExport } from './files'
import { coachingReportRows } from './CoachingCard'
import { formatNumber, formatShare, suppressCount, type FunderReport } from './format'
import { useExportReport, useFunderReport, useReportSettings, useSaveReportSettings, type RangeRequest } from '../hooks/queries'
import { RangePicker } from './RangePicker'

interface Props {
  range: RangeRequest
  onRange: (range: RangeRequest) => void
  onClose: () => void
}

/**
 * The funder report: one page for a range, every table headed by the center's name and the
 * range, printable (to paper by the window's print; to a PDF file by main, which prints this
 * page with the report's print stylesheet and audits it as an export) and exportable as CSV or
 * Excel from main. Small counts follow one rule (db/domain/report-suppression.ts): what leaves the
 * building (the files, the PDF, paper) hides them unless the checkbox below is cleared; the screen
 * shows them unless the center's setting or the switch says otherwise. So the page holds two
 * copies when the two differ: one for the screen and one that only the printer sees.
 */
export function FunderReportView({ range, onRange, onClose }: Props) {
  const { t } = useTranslation()
  const report = useFunderReport(range)
  const settings = useReportSettings()
  const exporting = useExportReport()
  const [hideOnScreen, setHideOnScreen] = useState<boolean | null>(null)
  const [suppressFiles, setSuppressFiles] = useState(true)
  const setting = settings.data
  const threshold = setting?.suppressionThreshold ?? 10
  const onScreen = setting ? suppressionFor(setting, 'screen', hideOnScreen ?? undefined) : null
  const leaving = setting ? suppressionFor(setting, 'leaves', suppressFiles) : null
  const save = async (format: 'csv' | 'xlsx') => saveExport(await exporting.mutateAsync({ range, format, suppress: suppressFiles }))
  const savingPdf = useSavePdf(() => invoke('pdf.funderReport', { range, suppress: suppressFiles }))
  // Nothing is printed before the setting is known: the printed copy's threshold depends on it.
  const ready = Boolean(report.data && setting)
  return (
    <Stack gap="md" maw={960}>
      <Group justify="space-between" className="pl-no-print" wrap="wrap" align="flex-end">
        <Button variant="subtle" leftSection={<IconArrowLeft aria-hidden size={18} />} onClick={onClose}>
          {t('report.back')}
        </Button>
        <RangePicker value={range} onChange={onRange} />
      </Group>
      <Paper withBorder p="md" radius="md" className="pl-no-print">
        <Stack gap="sm">
          <Group gap="sm" wrap="wrap">
            <Button leftSection={<IconPrinter aria-hidden size={18} />} onClick={() => window.print()} disabled={!ready}>
              {t('report.print')}
            </Button>
            <SavePdfButton saving={savingPdf} label={t('report.savePdf')} disabled={!ready} />
            <Button variant="default" leftSection={<IconTable aria-hidden size={18} />} onClick={() => void save('csv')} loading={exporting.isPending} disabled={!report.data}>
              {t('report.csv')}
            </Button>
            <Button variant="default" leftSection={<IconFileSpreadsheet aria-hidden size={18} />} onClick={() => void save('xlsx')} loading={exporting.isPending} disabled={!report.data}>
              {t('report.xlsx')}
            </Button>
          </Group>
          <Group gap="lg" wrap="wrap">
            <Checkbox checked={suppressFiles} onChange={(event) => setSuppressFiles(event.currentTarget.checked)} label={t('report.suppressFiles', { limit: threshold + 1 })} />
            <Switch checked={onScreen !== null} onChange={(event) => setHideOnScreen(event.currentTarget.checked)} label={t('report.suppressScreen', { limit: threshold + 1 })} />
          </Group>
          <SuppressionSetting />
          <FormAlert error={exporting.error} />
          <SavedPdfOutcome saving={savingPdf} />
        </Stack>
      </Paper>
      <FormAlert error={report.error} />
      {report.isLoading || settings.isLoading ? <Loader aria-label={t('dashboard.loading')} /> : null}
      {report.data && setting ? (
        onScreen === leaving ? (
          <ReportPage report={report.data} threshold={onScreen} />
        ) : (
          <>
            <ReportPage report={report.data} threshold={onScreen} className="pl-screen-only" />
            <ReportPage report={report.data} threshold={leaving} className="pl-print-only" />
          </>
        )
      ) : null}
    </Stack>
  )
}

function SuppressionSetting() {
  const { t } = useTranslation()
  const settings = useReportSettings()
  const saving = useSaveReportSettings()
  const canSave = useMay('reports.saveSettings')
  const [value, setValue] = useState<number | string>('')
  if (!settings.data || !canSave) return null
  const current = value === '' ? settings.data.suppressionThreshold : Number(value)
  return (
    <Group align="flex-end" gap="xs">
      <NumberInput label={t('report.threshold')} description={t('report.thresholdHint')} min={1} max={50} w={220} value={current} onChange={setValue} allowDecimal={false} />
      <Button
        variant="default"
        disabled={!Number.isInteger(current) || current === settings.data.suppressionThreshold}
        loading={saving.isPending}
        onClick={() => saving.mutate({ suppressionThreshold: current, suppressOnScreen: settings.data!.suppressOnScreen })}
      >
        {t('report.saveThreshold')}
      </Button>
      <FormAlert error={saving.error} />
    </Group>
  )
}

interface Row {
  label: string
  value: string
}

function ReportTable({ report, title, rows, head }: { report: FunderReport; title: string; rows: Row[]; head?: [string, string] }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  return (
    <Table className="pl-report-table" withTableBorder withColumnBorders captionSide="top">
      <Table.Caption>
        <Text fw={700} ta="left" c="dark">
          {title}
        </Text>
        <Text size="xs" ta="left">
          {t('report.tableHead', { center: report.centerName, from: formatDay(report.range.from, language), to: formatDay(report.range.countedTo, language) })}
        </Text>
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{head?.[0] ?? t('dashboard.measure')}</Table.Th>
          <Table.Th scope="col" ta="right" w={140}>
            {head?.[1] ?? t('report.value')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.label}>
            <Table.Th scope="row" fw={400}>
              {row.label}
            </Table.Th>
            <Table.Td ta="right">{row.value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function ReportPage({ report, threshold, className }: { report: FunderReport; threshold: number | null; className?: string }) {
  const { t, i18n } = useTranslation()
  const titleId = useId()
  const language = currentLanguage()
  const count = (value: number) => suppressCount(value, threshold, language)
  const label = (group: string, value: string, shown = value): string => {
    if (value === 'not_asked') return t('report.notAsked')
    if (value === 'declined') return t('report.declined')
    const key = `${group}.${value}`
    return i18n.exists(key) ? String(t(key as never)) : shown
  }
  const p = report.people
  const r = report.referrals
  const c = report.recoveryCapital
  const d = report.demographics
  const sections: Array<[string, Row[], [string, string]?]> = [
    [
      t('report.people'),
      [
        { label: t('dashboard.tiles.people'), value: count(p.people) },
        { label: t('dashboard.tiles.registered'), value: count(p.registered) },
        { label: t('dashboard.tiles.anonymousPeople'), value: count(p.anonymousPeople) },
        { label: t('dashboard.tiles.new'), value: count(p.newPeople) },
        { label: t('dashboard.tiles.returning'), value: count(p.returningPeople) },
      ],
    ],
    [
      t('report.visits'),
      [
        { label: t('dashboard.tiles.visits'), value: count(report.visits.visits) },
        { label: t('dashboard.tiles.anonymousVisits'), value: count(report.visits.anonymousVisits) },
        { label: t('report.naloxone'), value: count(report.naloxoneKits) },
      ],
    ],
    [
      t('dashboard.services'),
      report.services.map((s) => ({
        label: language === 'es' ? s.nameEs : s.nameEn,
        value: t('report.serviceCell', { times: count(s.times), people: count(s.people) }) + (s.hasQuantity ? ` · ${t('report.items', { items: count(s.quantity) })}` : ''),
      })),
      [t('dashboard.service'), t('report.timesPeople')],
    ],
    [
      t('dashboard.referrals'),
      [
        { label: t('dashboard.funnel.made'), value: count(r.made) },
        { label: t('dashboard.funnel.accepted'), value: count(r.accepted) },
        { label: t('dashboard.funnel.connected'), value: `${count(r.connected)} (${formatShare(r.connectedShare, language)})` },
        { label: t('dashboard.connectedLater'), value: count(r.connectedLater) },
        { label: t('dashboard.medianDays'), value: formatNumber(r.medianDaysToConnect, language, 1) },
        { label: t('dashboard.openPastFollowUp'), value: formatShare(r.openPastFollowUpShare, language) },
      ],
    ],
    [
      t('dashboard.rc.title'),
      [
        { label: t('dashboard.rc.assessed'), value: count(c.assessed) },
        { label: t('dashboard.rc.n'), value: count(c.n) },
        { label: t('dashboard.rc.meanFirst'), value: formatNumber(c.meanFirst, language, 1) },
        { label: t('dashboard.rc.meanLatest'), value: formatNumber(c.meanLatest, language, 1) },
        { label: t('dashboard.rc.meanChange'), value: formatNumber(c.meanChange, language, 1) },
        { label: t('dashboard.rc.ci'), value: c.changeCi ? `${formatNumber(c.changeCi.low, language, 1)} – ${formatNumber(c.changeCi.high, language, 1)}` : '—' },
        { label: t('dashboard.rc.at47Latest'), value: formatShare(c.shareAtOrAbove47Latest, language) },
      ],
    ],
    [
      t('dashboard.groups.title'),
      [
        { label: t('dashboard.groups.held'), value: count(report.groups.sessionsHeld) },
        { label: t('dashboard.groups.attendance'), value: count(report.groups.attendance) },
        { label: t('dashboard.groups.people'), value: count(report.groups.people) },
        ...report.groups.groups.map((g) => ({
          label: g.name,
          value: t('report.groupLine', { held: count(g.sessionsHeld), attendance: count(g.attendance), people: count(g.people), rate: formatShare(g.attendanceRate, language) }),
        })),
      ],
    ],
    [
      t('incidents.safety.title'),
      [
        { label: t('incidents.safety.responses'), value: count(report.safety.overdoseResponses) },
        { label: t('incidents.safety.reversals'), value: count(report.safety.reversals) },
        { label: t('incidents.safety.doses'), value: count(report.safety.naloxoneDoses) },
        ...report.safety.incidentsByKind.map((k) => ({ label: t(`incidents.kinds.${k.kind}`), value: count(k.count) })),
        { label: t('incidents.safety.restrictions'), value: count(report.safety.restrictionsInForce) },
      ],
    ],
    [t('coaching.report.title'), coachingReportRows(report, t, count, language)],
    [t('report.age'), d.age.map((row) => ({ label: label('report.ageBands', row.value), value: count(row.count) })), [t('report.age'), t('report.peopleCol')]],
    [t('report.gender'), d.gender.map((row) => ({ label: label('choices.gender', row.value, row.label), value: count(row.count) })), [t('report.gender'), t('report.peopleCol')]],
    [t('report.race'), d.raceEthnicity.map((row) => ({ label: label('choices.raceEthnicity', row.value, row.label), value: count(row.count) })), [t('report.race'), t('report.peopleCol')]],
    [t('report.veteran'), d.veteran.map((row) => ({ label: label('choices.veteranStatus', row.value, row.label), value: count(row.count) })), [t('report.veteran'), t('report.peopleCol')]],
    [t('report.housing'), d.housing.map((row) => ({ label: label('choices.housingStatus', row.value, row.label), value: count(row.count) })), [t('report.housing'), t('report.peopleCol')]],
  ]
  const children: ReactNode[] = sections.map(([title, rows, head]) => <ReportTable key={title} report={report} title={title} rows={rows} head={head} />)
  return (
    <Stack gap="lg" className={className ? `pl-report ${className}` : 'pl-report'} component="article" aria-labelledby={titleId}>
      <Stack gap={2}>
        <Title order={1} size="h2" id={titleId}>
          {t('report.title', { center: report.centerName })}
        </Title>
        <Text>{t('report.rangeLine', { from: formatDay(report.range.from, language), to: formatDay(report.range.countedTo, language) })}</Text>
        <Text size="sm" c="dimmed">
          {threshold === null ? t('report.rules') : `${t('report.rules')} ${t('report.suppressedNote', { limit: threshold + 1 })}`}
        </Text>
      </Stack>
      {children}
    </Stack>
  )
}

import { Button, Checkbox, Group, Loader, NumberInput, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core'
import { IconArrowLeft, IconFileSpreadsheet, IconPrinter, IconTable } from '@tabler/icons-react'
import { useId, useState } from 'react'
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
import { useExportReport, useFunderReport, useReportSettings, useSaveReportSettings, type RangeRequest, type ReportScope } from '../hooks/queries'
import { RangePicker } from './RangePicker'

interface Props {
  range: RangeRequest
  onRange: (range: RangeRequest) => void
  /** The window's center or every center, as chosen on the dashboard. */
  scope: ReportScope
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
export function FunderReportView({ range, onRange, scope, onClose }: Props) {
  const { t } = useTranslation()
  const report = useFunderReport(range, scope)
  const settings = useReportSettings()
  const exporting = useExportReport()
  const [hideOnScreen, setHideOnScreen] = useState<boolean | null>(null)
  const [suppressFiles, setSuppressFiles] = useState(true)
  const setting = settings.data
  const threshold = setting?.suppressionThreshold ?? 10
  const onScreen = setting ? suppressionFor(setting, 'screen', hideOnScreen ?? undefined) : null
  const leaving = setting ? suppressionFor(setting, 'leaves', suppressFiles) : null
  const save = async (format: 'csv' | 'xlsx') => saveExport(await exporting.mutateAsync({ range, scope, format, suppress: suppressFiles }))
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
  /** One cell per figure column, numbers already formatted (and suppressed). */
  values: string[]
}

/** One table of the report: its title, its columns (the first names the rows) and its rows. */
interface ReportSection {
  title: string
  columns: string[]
  rows: Row[]
}

/** Rows of one figure each, under the "Figure | Value" columns most tables have. */
const single = (rows: Array<{ label: string; value: string }>): Row[] => rows.map(({ label, value }) => ({ label, values: [value] }))

function ReportTable({ report, section }: { report: FunderReport; section: ReportSection }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const [rowHead, ...figureHeads] = section.columns
  return (
    <Table className="pl-report-table" withTableBorder withColumnBorders captionSide="top">
      <Table.Caption>
        <Text fw={700} ta="left" c="dark">
          {section.title}
        </Text>
        <Text size="xs" ta="left">
          {t('report.tableHead', { center: report.centerName, from: formatDay(report.range.from, language), to: formatDay(report.range.countedTo, language) })}
        </Text>
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{rowHead}</Table.Th>
          {figureHeads.map((head) => (
            <Table.Th key={head} scope="col" ta="right" className="pl-report-figure">
              {head}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {section.rows.map((row) => (
          <Table.Tr key={row.label}>
            <Table.Th scope="row" fw={400}>
              {row.label}
            </Table.Th>
            {row.values.map((value, index) => (
              <Table.Td key={index} ta="right" className="pl-report-figure">
                {value}
              </Table.Td>
            ))}
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
  const figure = [t('dashboard.measure'), t('report.value')]
  const figures = (title: string, rows: Array<{ label: string; value: string }>): ReportSection => ({ title, columns: figure, rows: single(rows) })
  const people = (title: string, rows: Row[]): ReportSection => ({ title, columns: [title, t('report.peopleCol')], rows })
  const anyQuantity = report.services.some((s) => s.hasQuantity)
  // Printed, each part starts a page of its own; the first part shares its page with the title.
  // `paired`: its tables print two abreast, so a part of many short tables still fits one page.
  const parts: Array<{ heading: string | null; paired?: boolean; sections: ReportSection[] }> = [
    {
      heading: null,
      sections: [
        figures(t('report.people'), [
          { label: t('dashboard.tiles.people'), value: count(p.people) },
          { label: t('dashboard.tiles.registered'), value: count(p.registered) },
          { label: t('dashboard.tiles.anonymousPeople'), value: count(p.anonymousPeople) },
          { label: t('dashboard.tiles.new'), value: count(p.newPeople) },
          { label: t('dashboard.tiles.returning'), value: count(p.returningPeople) },
        ]),
        figures(t('report.visits'), [
          { label: t('dashboard.tiles.visits'), value: count(report.visits.visits) },
          { label: t('dashboard.tiles.anonymousVisits'), value: count(report.visits.anonymousVisits) },
          { label: t('report.naloxone'), value: count(report.naloxoneKits) },
        ]),
        figures(t('dashboard.referrals'), [
          { label: t('dashboard.funnel.made'), value: count(r.made) },
          { label: t('dashboard.funnel.accepted'), value: count(r.accepted) },
          { label: t('dashboard.funnel.connected'), value: `${count(r.connected)} (${formatShare(r.connectedShare, language)})` },
          { label: t('dashboard.connectedLater'), value: count(r.connectedLater) },
          { label: t('dashboard.medianDays'), value: formatNumber(r.medianDaysToConnect, language, 1) },
          { label: t('dashboard.openPastFollowUp'), value: formatShare(r.openPastFollowUpShare, language) },
        ]),
      ],
    },
    {
      heading: t('report.parts.services'),
      sections: [
        {
          title: t('dashboard.services'),
          columns: [t('dashboard.service'), t('report.times'), t('report.peopleCol'), ...(anyQuantity ? [t('report.itemsCol')] : [])],
          rows: report.services.map((s) => ({
            label: language === 'es' ? s.nameEs : s.nameEn,
            values: [count(s.times), count(s.people), ...(anyQuantity ? [s.hasQuantity ? count(s.quantity) : '—'] : [])],
          })),
        },
        figures(t('dashboard.groups.title'), [
          { label: t('dashboard.groups.held'), value: count(report.groups.sessionsHeld) },
          { label: t('dashboard.groups.attendance'), value: count(report.groups.attendance) },
          { label: t('dashboard.groups.people'), value: count(report.groups.people) },
        ]),
        ...(report.groups.groups.length > 0
          ? [
              {
                title: t('report.byGroup'),
                columns: [t('dashboard.groups.group'), t('dashboard.groups.held'), t('dashboard.groups.attendance'), t('dashboard.groups.people'), t('dashboard.groups.rate')],
                rows: report.groups.groups.map((g) => ({
                  label: g.name,
                  values: [count(g.sessionsHeld), count(g.attendance), count(g.people), formatShare(g.attendanceRate, language)],
                })),
              },
            ]
          : []),
      ],
    },
    {
      heading: t('report.parts.outcomes'),
      paired: true,
      sections: [
        figures(t('dashboard.rc.title'), [
          { label: t('dashboard.rc.assessed'), value: count(c.assessed) },
          { label: t('dashboard.rc.n'), value: count(c.n) },
          { label: t('dashboard.rc.meanFirst'), value: formatNumber(c.meanFirst, language, 1) },
          { label: t('dashboard.rc.meanLatest'), value: formatNumber(c.meanLatest, language, 1) },
          { label: t('dashboard.rc.meanChange'), value: formatNumber(c.meanChange, language, 1) },
          { label: t('dashboard.rc.ci'), value: c.changeCi ? `${formatNumber(c.changeCi.low, language, 1)} – ${formatNumber(c.changeCi.high, language, 1)}` : '—' },
          { label: t('dashboard.rc.at47Latest'), value: formatShare(c.shareAtOrAbove47Latest, language) },
        ]),
        figures(t('incidents.safety.title'), [
          { label: t('incidents.safety.responses'), value: count(report.safety.overdoseResponses) },
          { label: t('incidents.safety.reversals'), value: count(report.safety.reversals) },
          { label: t('incidents.safety.doses'), value: count(report.safety.naloxoneDoses) },
          ...report.safety.incidentsByKind.map((k) => ({ label: t(`incidents.kinds.${k.kind}`), value: count(k.count) })),
          { label: t('incidents.safety.restrictions'), value: count(report.safety.restrictionsInForce) },
        ]),
        figures(t('coaching.report.title'), coachingReportRows(report, t, count, language)),
      ],
    },
    {
      heading: t('report.parts.demographics'),
      paired: true,
      sections: [
        people(t('report.age'), single(d.age.map((row) => ({ label: label('report.ageBands', row.value), value: count(row.count) })))),
        people(t('report.gender'), single(d.gender.map((row) => ({ label: label('choices.gender', row.value, row.label), value: count(row.count) })))),
        people(t('report.race'), single(d.raceEthnicity.map((row) => ({ label: label('choices.raceEthnicity', row.value, row.label), value: count(row.count) })))),
        people(t('report.veteran'), single(d.veteran.map((row) => ({ label: label('choices.veteranStatus', row.value, row.label), value: count(row.count) })))),
        people(t('report.housing'), single(d.housing.map((row) => ({ label: label('choices.housingStatus', row.value, row.label), value: count(row.count) })))),
      ],
    },
  ]
  return (
    <Stack gap="lg" className={className ? `pl-report ${className}` : 'pl-report'} component="article" aria-labelledby={titleId}>
      {parts.map((part, index) => (
        <Stack gap="lg" key={part.heading ?? 'first'} className={part.paired ? 'pl-report-part pl-report-paired' : 'pl-report-part'} component="section">
          {index === 0 ? (
            <Stack gap={2}>
              <Title order={1} size="h2" id={titleId}>
                {t('report.title', { center: report.centerName })}
              </Title>
              <Text>{t('report.rangeLine', { from: formatDay(report.range.from, language), to: formatDay(report.range.countedTo, language) })}</Text>
              <Text size="sm" c="dimmed">
                {threshold === null ? t('report.rules') : `${t('report.rules')} ${t('report.suppressedNote', { limit: threshold + 1 })}`}
              </Text>
            </Stack>
          ) : (
            <Title order={2} size="h3">
              {part.heading}
            </Title>
          )}
          {part.sections.map((section) => (
            <ReportTable key={section.title} report={report} section={section} />
          ))}
        </Stack>
      ))}
    </Stack>
  )
}

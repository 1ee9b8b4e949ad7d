import { Alert, Button, Card, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core'
import { IconAlertTriangle, IconCalendarDue, IconFileReport } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { memo, useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { UpdatedCue } from '../components/UpdatedCue'
import { cueKey } from '../hooks/live'
import { currentLanguage } from '../i18n'
import { formatDay } from '../referrals/labels'
import { SafetyCard } from '../incidents/SafetyCard'
import { CoachingCard } from './CoachingCard'
import { BusiestChart, GroupsCard, RecoveryCapitalCard, ReferralsChart, ServicesChart, VisitsChart } from './DashboardCharts'
import { DrillDrawer, type DrillTarget } from './DrillDrawer'
import { change, formatNumber, type Dashboard } from './format'
import { FunderReportView } from './FunderReportView'
import { dashboardQuery, useDashboard, useManagerHome, type RangeRequest, type ReportScope } from '../hooks/queries'
import { RangePicker } from './RangePicker'
import { MARKS, usePaintedMark } from '../lib/perf'
import { WorkforceReminders } from '../workforce/WorkforceReminders'

/** What the figures count: a visit, a mark in any session or a referral made on another PC shows "Updated". */
const FIGURES_CUE = [cueKey('visits'), cueKey('attendance'), cueKey('referrals')]

interface Props {
  /** Opens another screen (the referrals work list from "follow-ups due"). */
  onGo: (view: 'referrals' | 'backups' | 'workforce') => void
  canSeeBackups: boolean
}

/**
 * The manager's dashboard, and the first screen a manager sees: what needs them today (due
 * follow-ups, a failed backup or check), then every figure for a range beside the period before
 * it. Loaded as its own chunk (recharts is large); every number comes from main's counting rules.
 */
export default function DashboardScreen({ onGo, canSeeBackups }: Props) {
  const { t } = useTranslation()
  const client = useQueryClient()
  const [range, setRange] = useState<RangeRequest>({ preset: 'this_month' })
  const [scope, setScope] = useState<ReportScope>('center')
  // Ask main for the figures from the pick itself: they are on their way while React renders the
  // closed picker, and the screen's query finds them in flight or arrived.
  const pickRange = (next: RangeRequest) => {
    void client.prefetchQuery(dashboardQuery(next, scope))
    setRange(next)
  }
  const [drill, setDrillTarget] = useState<DrillTarget | null>(null)
  const [report, setReport] = useState(false)
  const dashboard = useDashboard(range, scope)
  const data = dashboard.data
  // The range and scope the figures on screen answer: while a new range loads they are still the
  // last one's, and so are the lists behind their bars. The charts (memoized) get these rather than
  // `range`, so a range change does not render every chart again with the old figures before the
  // new ones are even asked for (the fetch starts after that render).
  const [answered, setAnswered] = useState({ data, range, scope })
  if (data !== answered.data && !dashboard.isPlaceholderData) setAnswered({ data, range, scope })
  const answeredScope = answered.scope
  // A bar or a row opens the list behind it in the same scope as the figure.
  const setDrill = useCallback((target: DrillTarget | null) => setDrillTarget(target ? { ...target, scope: answeredScope } : null), [answeredScope])
  // Every chart below draws from this one answer, in the same render: painted together.
  usePaintedMark(MARKS.dashboard, data && !dashboard.isPlaceholderData && !dashboard.error ? JSON.stringify(range) : null)
  if (report) return <FunderReportView range={range} onRange={setRange} scope={scope} onClose={() => setReport(false)} />
  return (
    <Stack gap="md" maw={1280}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Group align="baseline" gap="sm">
          <Title order={1} size="h2">
            {t('dashboard.title')}
          </Title>
          <UpdatedCue watch={FIGURES_CUE} />
        </Group>
        <Group align="flex-end" gap="sm">
          {data?.scope.organizationOffered || scope === 'organization' ? (
            <Stack gap={4}>
              <Text size="sm" fw={500} id="dashboard-scope-label">
                {t('dashboard.scope.label')}
              </Text>
              <SegmentedControl
                aria-labelledby="dashboard-scope-label"
                value={scope}
                onChange={(value) => setScope(value as ReportScope)}
                data={[
                  { value: 'center', label: t('dashboard.scope.center') },
                  { value: 'organization', label: t('dashboard.scope.organization') },
                ]}
              />
            </Stack>
          ) : null}
          <RangePicker value={range} onChange={pickRange} />
          <Button leftSection={<IconFileReport aria-hidden size={18} />} onClick={() => setReport(true)}>
            {t('report.open')}
          </Button>
        </Group>
      </Group>
      <HomeAlerts onGo={onGo} canSeeBackups={canSeeBackups} />
      <WorkforceReminders own={false} onOpen={() => onGo('workforce')} />
      <FormAlert error={dashboard.error} />
      {dashboard.isLoading ? <Loader aria-label={t('dashboard.loading')} /> : null}
      {data && !dashboard.error ? (
        <>
          <RangeLine data={data} />
          <Summary data={data} range={answered.range} onDrill={setDrill} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <VisitsChart data={data} range={answered.range} onDrill={setDrill} />
            <BusiestChart data={data} range={answered.range} onDrill={setDrill} />
            <ServicesChart data={data} range={answered.range} onDrill={setDrill} />
            <ReferralsChart data={data} range={answered.range} onDrill={setDrill} />
            <RecoveryCapitalCard data={data} />
            <GroupsCard data={data} />
            <SafetyCard data={data} />
            <CoachingCard data={data} />
          </SimpleGrid>
        </>
      ) : null}
      <DrillDrawer target={drill} onClose={() => setDrill(null)} />
    </Stack>
  )
}

const RangeLine = memo(function RangeLine({ data }: { data: Dashboard }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const day = (date: string) => formatDay(date, language)
  return (
    <Text c="dimmed" size="sm" aria-live="polite">
      {t('dashboard.rangeLine', {
        from: day(data.range.from),
        to: day(data.range.countedTo),
        previousFrom: day(data.range.previous.from),
        previousTo: day(data.range.previous.to),
      })}
      {data.range.countedTo < data.range.to ? ` ${t('dashboard.throughToday')}` : ''}
      {data.scope.choice === 'organization' ? ` ${t(data.scope.matchPeople ? 'dashboard.scope.matched' : 'dashboard.scope.perCenter', { centers: data.centerName })}` : ''}
    </Text>
  )
})

const Summary = memo(function Summary({ data, range, onDrill }: { data: Dashboard; range: RangeRequest; onDrill: (target: DrillTarget) => void }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const now = data.summary.current
  const before = data.summary.previous
  const tiles: Array<{ label: string; value: number; previous: number; drill?: DrillTarget; note?: string }> = [
    { label: t('dashboard.tiles.people'), value: now.people.people, previous: before.people.people, drill: { title: t('dashboard.tiles.registered'), range, list: 'people', filter: {} }, note: t('dashboard.tiles.peopleNote', { registered: now.people.registered, anonymous: now.people.anonymousPeople }) },
    { label: t('dashboard.tiles.visits'), value: now.visits.visits, previous: before.visits.visits, drill: { title: t('dashboard.tiles.visits'), range, list: 'visits', filter: {} } },
    { label: t('dashboard.tiles.new'), value: now.people.newPeople, previous: before.people.newPeople, drill: { title: t('dashboard.tiles.new'), range, list: 'people', filter: { people: 'new' } } },
    { label: t('dashboard.tiles.returning'), value: now.people.returningPeople, previous: before.people.returningPeople, drill: { title: t('dashboard.tiles.returning'), range, list: 'people', filter: { people: 'returning' } } },
    { label: t('dashboard.tiles.anonymousVisits'), value: now.visits.anonymousVisits, previous: before.visits.anonymousVisits, note: t('dashboard.tiles.uncoded', { count: now.visits.anonymousUncodedVisits }) },
    { label: t('dashboard.tiles.anonymousPeople'), value: now.people.anonymousPeople, previous: before.people.anonymousPeople },
  ]
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
      {tiles.map((tile) => {
        const delta = change(tile.value, tile.previous, language)
        const body = (
          <Stack gap={2}>
            <Text size="sm" c="dimmed">
              {tile.label}
            </Text>
            <Text fz={28} fw={700} lh={1.1}>
              {formatNumber(tile.value, language)}
            </Text>
            <Text size="xs" c="dimmed">
              {t('dashboard.before', { value: formatNumber(tile.previous, language) })}
              {delta ? ` (${delta})` : ''}
            </Text>
            {tile.note ? (
              <Text size="xs" c="dimmed">
                {tile.note}
              </Text>
            ) : null}
          </Stack>
        )
        return (
          <Card key={tile.label} withBorder radius="md" padding="sm">
            {tile.drill ? (
              <UnstyledButton onClick={() => onDrill(tile.drill!)} title={t('dashboard.openList', { row: tile.label })} style={{ width: '100%', textAlign: 'left' }}>
                {body}
              </UnstyledButton>
            ) : (
              body
            )}
          </Card>
        )
      })}
    </SimpleGrid>
  )
})

/** What needs the manager today, named at the top: follow-ups due, and a backup or check that failed. */
function HomeAlerts({ onGo, canSeeBackups }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const home = useManagerHome()
  const data = home.data
  if (!data) return null
  return (
    <Stack gap="xs">
      {data.failedBackup ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('home.backupFailed', { when: formatDay(data.failedBackup.at.slice(0, 10), language) })} role="alert">
          <Group justify="space-between">
            <Text size="sm">{data.failedBackup.error ?? t('home.backupFailedHint')}</Text>
            {canSeeBackups ? (
              <Button size="xs" variant="default" onClick={() => onGo('backups')}>
                {t('home.openBackups')}
              </Button>
            ) : (
              <Text size="sm">{t('home.tellAdmin')}</Text>
            )}
          </Group>
        </Alert>
      ) : null}
      {data.failedCheck ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('home.checkFailed', { when: formatDay(data.failedCheck.at.slice(0, 10), language) })} role="alert">
          <Text size="sm">{canSeeBackups ? t('home.checkFailedAdmin') : t('home.tellAdmin')}</Text>
        </Alert>
      ) : null}
      <Alert color={data.dueFollowUps > 0 ? 'orange' : 'gray'} variant="light" icon={<IconCalendarDue aria-hidden />}>
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            {data.dueFollowUps > 0 ? t('home.due', { count: data.dueFollowUps }) : t('home.noneDue')}
          </Text>
          {data.dueFollowUps > 0 ? (
            <Button size="xs" variant="default" onClick={() => onGo('referrals')}>
              {t('home.openFollowUps')}
            </Button>
          ) : null}
        </Group>
      </Alert>
    </Stack>
  )
}

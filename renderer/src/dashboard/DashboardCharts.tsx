import { Group, SimpleGrid, Stack, Text } from '@mantine/core'
import { memo } from 'react'
import { useTranslation } from 'react-i18next'
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarShapeProps } from 'recharts'
import { currentLanguage } from '../i18n'
import { ChartCard, useChartInUse } from './ChartCard'
import type { DrillTarget } from './DrillDrawer'
import { bucketLabel, COLORS, formatNumber, formatShare, type Dashboard } from './format'
import type { RangeRequest } from '../hooks/queries'
import { dateTimeFormat } from '../../../shared/intl'

interface Props {
  data: Dashboard
  range: RangeRequest
  onDrill: (target: DrillTarget) => void
}

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const

// Legend and tooltip words in dark grey: in the bar's own colour the light grey of "the period before" is too faint to read (WCAG AA).
const READABLE = { color: '#343a40' }

/**
 * A chart's key, plain HTML under it. recharts' Legend measured its own box (getBoundingClientRect)
 * in an effect after every change of figures: a forced layout of the page per chart on each range
 * change. It was HTML beside the SVG already, so a PNG of a chart loses nothing it had.
 */
function ChartKey({ items }: { items: Array<{ name: string; color: string }> }) {
  return (
    <Group gap="md" justify="center" mt={4} fz={12} style={READABLE}>
      {items.map((item) => (
        <Group key={item.name} gap={4} wrap="nowrap">
          <span aria-hidden style={{ display: 'inline-block', width: 10, height: 10, background: item.color }} />
          <span>{item.name}</span>
        </Group>
      ))}
    </Group>
  )
}

/**
 * A bar as a plain <rect>. recharts' default shape (Rectangle) asks its path for its length
 * (getTotalLength) once mounted, for an animation these charts never run, and then renders again
 * with it: a measurement and a second render per bar, on every range change that brings new bars
 * (the groups chart alone has 80). An empty bar is drawn as nothing, as Rectangle drew it.
 */
export function PlainBar({ x, y, width, height, fill, cursor }: BarShapeProps) {
  if (!width || !height) return null
  return <rect x={Math.min(x, x + width)} y={Math.min(y, y + height)} width={Math.abs(width)} height={Math.abs(height)} fill={fill} cursor={cursor} />
}

interface TickProps {
  x?: number | string
  y?: number | string
  payload?: { value?: unknown }
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit'
  verticalAnchor?: string
  fill?: string
}

/** Characters per line of a row's name on a category axis 120 px wide, at 11 px. */
const TICK_LINE_CHARS = 18

/** Words into lines of about `chars` characters (a word longer than that has a line of its own). */
function tickLines(text: string, chars: number): string[] {
  const lines: string[] = []
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1)
    if (last !== undefined && last.length + 1 + word.length <= chars) lines[lines.length - 1] = `${last} ${word}`
    else lines.push(word)
  }
  return lines
}

/**
 * An axis label as plain SVG text, placed as recharts' own Text places it (same anchors and em
 * offsets). recharts' Text measured every word of every label in a hidden span
 * (getBoundingClientRect, a forced layout) to break lines, on each range change: a category
 * axis's names are broken here by their length in characters instead.
 */
function renderTick(props: TickProps, chars: number) {
  const lines = chars > 0 ? tickLines(String(props.payload?.value ?? ''), chars) : [String(props.payload?.value ?? '')]
  const first = props.verticalAnchor === 'start' ? 0.71 : props.verticalAnchor === 'middle' ? 0.355 - (lines.length - 1) / 2 : -(lines.length - 1)
  return (
    <text x={props.x} y={props.y} textAnchor={props.textAnchor} fill={props.fill} fontSize={11}>
      {lines.map((line, index) => (
        <tspan key={index} x={props.x} dy={`${index === 0 ? first : 1}em`}>
          {line}
        </tspan>
      ))}
    </text>
  )
}

/** A number or a date: one line. */
const PlainTick = (props: TickProps) => renderTick(props, 0)
/** A row's name (a service, a group): wrapped. */
const NameTick = (props: TickProps) => renderTick(props, TICK_LINE_CHARS)

/** The tooltip, only while the chart is pointed at or focused (see useChartInUse). */
function ChartTooltip() {
  return useChartInUse() ? <Tooltip itemStyle={READABLE} /> : null
}

/**
 * Every n-th label on a time axis, about a dozen in all: recharts' own choice ("preserveStartEnd")
 * measured every label's width in the page, a forced layout per label on each range change. The
 * other axes, a few numbers or one label per row, show every tick (interval 0) for the same reason.
 */
function labelInterval(points: number): number {
  return Math.max(0, Math.ceil(points / 12) - 1)
}

function weekdayName(weekday: number, language: string): string {
  // 2024-01-01 was a Monday.
  return dateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + weekday)))
}

/** The visits chart: one bar per day, week or month (the grain follows the range). */
export const VisitsChart = memo(function VisitsChart({ data, range, onDrill }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const grain = data.range.grain
  // The period before, bar for bar: its n-th day, week or month beside this one's.
  const points = data.series.current.map((point, index) => ({ ...point, label: bucketLabel(point.start, grain, language), before: data.series.previous[index]?.visits ?? 0 }))
  const open = (index: number) => {
    const point = points[index]
    if (point) onDrill({ title: t('dashboard.visitsOn', { when: point.label }), range, list: 'visits', filter: { bucketStart: point.start } })
  }
  const total = data.summary.current.visits.visits
  return (
    <ChartCard
      title={t(`dashboard.visitsBy.${grain}`)}
      slug="visits"
      summary={t('dashboard.visitsSummary', { count: total, buckets: points.length })}
      empty={total === 0 ? t('dashboard.noVisits') : null}
      table={{
        header: [t(`dashboard.grain.${grain}`), t('dashboard.visits'), t('dashboard.people'), t('dashboard.visitsBefore')],
        rows: points.map((p) => [p.label, p.visits, p.people, p.before]),
        onOpen: open,
      }}
    >
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke={COLORS.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={PlainTick} interval={labelInterval(points.length)} />
          <YAxis allowDecimals={false} tick={PlainTick} interval={0} />
          <ChartTooltip />
          <Bar dataKey="visits" name={t('dashboard.visits')} fill={COLORS.current} cursor="pointer" onClick={(_entry, index) => open(index)} isAnimationActive={false} shape={PlainBar} />
          <Bar dataKey="before" name={t('dashboard.visitsBefore')} fill={COLORS.previous} isAnimationActive={false} shape={PlainBar} />
        </BarChart>
      </ResponsiveContainer>
      <ChartKey items={[{ name: t('dashboard.visits'), color: COLORS.current }, { name: t('dashboard.visitsBefore'), color: COLORS.previous }]} />
    </ChartCard>
  )
})

/** When the center is busiest: a weekday × hour grid drawn as SVG (so it exports as PNG like the rest). */
export const BusiestChart = memo(function BusiestChart({ data, range, onDrill }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const cells = data.heatmap
  const hours = cells.length === 0 ? [] : Array.from({ length: Math.max(...cells.map((c) => c.hour)) - Math.min(...cells.map((c) => c.hour)) + 1 }, (_, i) => Math.min(...cells.map((c) => c.hour)) + i)
  const most = Math.max(1, ...cells.map((c) => c.visits))
  const at = (weekday: number, hour: number) => cells.find((c) => c.weekday === weekday && c.hour === hour)?.visits ?? 0
  const hourLabel = (hour: number) => dateTimeFormat(language, { hour: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1, hour)))
  const open = (weekday: number, hour: number) =>
    onDrill({ title: t('dashboard.visitsAt', { day: weekdayName(weekday, language), hour: hourLabel(hour) }), range, list: 'visits', filter: { weekday, hour } })
  const busiest = cells.reduce<(typeof cells)[number] | null>((best, c) => (best === null || c.visits > best.visits ? c : best), null)
  const size = 26
  const left = 44
  const top = 22
  return (
    <ChartCard
      title={t('dashboard.busiest')}
      slug="busiest-times"
      summary={busiest ? t('dashboard.busiestSummary', { day: weekdayName(busiest.weekday, language), hour: hourLabel(busiest.hour), count: busiest.visits }) : t('dashboard.noVisits')}
      empty={cells.length === 0 ? t('dashboard.noVisits') : null}
      table={{
        header: [t('dashboard.weekday'), t('dashboard.hour'), t('dashboard.visits')],
        rows: cells.map((c) => [weekdayName(c.weekday, language), hourLabel(c.hour), c.visits]),
        onOpen: (index) => open(cells[index]!.weekday, cells[index]!.hour),
      }}
    >
      <div style={{ overflowX: 'auto' }}>
        <svg width={left + hours.length * size} height={top + 7 * size} fontFamily="sans-serif" fontSize={11}>
          {hours.map((hour, i) => (
            <text key={hour} x={left + i * size + size / 2} y={14} textAnchor="middle" fill="#495057">
              {i % 2 === 0 ? hourLabel(hour) : ''}
            </text>
          ))}
          {WEEKDAYS.map((weekday) => (
            <g key={weekday}>
              <text x={0} y={top + weekday * size + size / 2 + 4} fill="#495057">
                {weekdayName(weekday, language)}
              </text>
              {hours.map((hour, i) => {
                const visits = at(weekday, hour)
                return (
                  <rect
                    key={hour}
                    x={left + i * size + 1}
                    y={top + weekday * size + 1}
                    width={size - 2}
                    height={size - 2}
                    rx={3}
                    fill={visits === 0 ? '#f1f3f5' : COLORS.current}
                    fillOpacity={visits === 0 ? 1 : 0.15 + (0.85 * visits) / most}
                    style={{ cursor: visits > 0 ? 'pointer' : 'default' }}
                    onClick={() => visits > 0 && open(weekday, hour)}
                  >
                    <title>{`${weekdayName(weekday, language)} ${hourLabel(hour)}: ${visits}`}</title>
                  </rect>
                )
              })}
            </g>
          ))}
        </svg>
      </div>
    </ChartCard>
  )
})

/** One bar per named row (a service, a group), this period's value beside the period before's (`before`). */
export function NamedBars<R extends { name: string; before: number }>({ rows, value, label, beforeLabel, onOpen }: { rows: R[]; value: keyof R & string; label: string; beforeLabel: string; onOpen?: (index: number) => void }) {
  return (
    <>
      <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 30 + 40)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={COLORS.grid} strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={PlainTick} interval={0} />
          <YAxis type="category" dataKey="name" width={120} tick={NameTick} interval={0} />
          <ChartTooltip />
          <Bar dataKey={value as string} name={label} fill={COLORS.current} cursor={onOpen ? 'pointer' : undefined} onClick={onOpen ? (_entry, index) => onOpen(index) : undefined} isAnimationActive={false} shape={PlainBar} />
          <Bar dataKey="before" name={beforeLabel} fill={COLORS.previous} isAnimationActive={false} shape={PlainBar} />
        </BarChart>
      </ResponsiveContainer>
      <ChartKey items={[{ name: label, color: COLORS.current }, { name: beforeLabel, color: COLORS.previous }]} />
    </>
  )
}

export const ServicesChart = memo(function ServicesChart({ data, range, onDrill }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const previous = new Map(data.services.previous.map((s) => [s.serviceId, s]))
  const rows = data.services.current.map((s) => ({ ...s, name: language === 'es' ? s.nameEs : s.nameEn, before: previous.get(s.serviceId)?.times ?? 0 }))
  const given = rows.filter((s) => s.times > 0)
  const open = (index: number) => {
    const s = rows[index]
    if (s) onDrill({ title: t('dashboard.visitsWith', { service: s.name }), range, list: 'visits', filter: { serviceId: s.serviceId } })
  }
  return (
    <ChartCard
      title={t('dashboard.services')}
      slug="services"
      summary={t('dashboard.servicesSummary', { count: given.length })}
      empty={given.length === 0 ? t('dashboard.noServices') : null}
      table={{
        header: [t('dashboard.service'), t('dashboard.times'), t('dashboard.differentPeople'), t('dashboard.items'), t('dashboard.timesBefore')],
        rows: rows.map((s) => [s.name, s.times, s.people, s.hasQuantity ? s.quantity : '—', s.before]),
        onOpen: open,
      }}
    >
      <NamedBars rows={rows} value="times" label={t('dashboard.times')} beforeLabel={t('dashboard.timesBefore')} onOpen={open} />
    </ChartCard>
  )
})

export const ReferralsChart = memo(function ReferralsChart({ data, range, onDrill }: Props) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const now = data.referrals.current
  const before = data.referrals.previous
  const steps = [
    { step: t('dashboard.funnel.made'), current: now.made, previous: before.made, filter: {} },
    { step: t('dashboard.funnel.accepted'), current: now.accepted, previous: before.accepted, filter: null },
    { step: t('dashboard.funnel.connected'), current: now.connected, previous: before.connected, filter: { connected: true } },
  ]
  const types = now.byType.filter((row) => row.made > 0)
  return (
    <ChartCard
      title={t('dashboard.referrals')}
      slug="referrals"
      summary={t('dashboard.referralsSummary', { made: now.made, connected: now.connected })}
      empty={now.made === 0 ? t('dashboard.noReferrals') : null}
      extra={
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <Figure label={t('dashboard.medianDays')} value={formatNumber(now.medianDaysToConnect, language, 1)} before={formatNumber(before.medianDaysToConnect, language, 1)} />
          <Figure label={t('dashboard.openPastFollowUp')} value={formatShare(now.openPastFollowUpShare, language)} before={formatShare(before.openPastFollowUpShare, language)} />
          <Figure label={t('dashboard.connectedLater')} value={formatNumber(now.connectedLater, language)} before={formatNumber(before.connectedLater, language)} />
        </SimpleGrid>
      }
      table={{
        header: [t('referrals.colType'), t('dashboard.funnel.made'), t('dashboard.funnel.connected')],
        rows: types.map((row) => [t(`referrals.type.${row.type}`), row.made, row.connected]),
        onOpen: (index) => onDrill({ title: t(`referrals.type.${types[index]!.type}`), range, list: 'referrals', filter: { referralType: types[index]!.type } }),
      }}
    >
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={steps} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke={COLORS.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="step" tick={PlainTick} interval={0} />
          <YAxis allowDecimals={false} tick={PlainTick} interval={0} />
          <ChartTooltip />
          <Bar
            dataKey="current"
            name={t('dashboard.thisPeriod')}
            fill={COLORS.current}
            cursor="pointer"
            isAnimationActive={false} shape={PlainBar}
            onClick={(_entry, index) => {
              const filter = steps[index]?.filter
              if (filter) onDrill({ title: steps[index]!.step, range, list: 'referrals', filter })
            }}
          />
          <Bar dataKey="previous" name={t('dashboard.previousPeriod')} fill={COLORS.previous} isAnimationActive={false} shape={PlainBar} />
        </BarChart>
      </ResponsiveContainer>
      <ChartKey items={[{ name: t('dashboard.thisPeriod'), color: COLORS.current }, { name: t('dashboard.previousPeriod'), color: COLORS.previous }]} />
    </ChartCard>
  )
})

function Figure({ label, value, before }: { label: string; value: string; before: string }) {
  const { t } = useTranslation()
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Group gap={6} align="baseline">
        <Text fw={700}>{value}</Text>
        <Text size="xs" c="dimmed">
          {t('dashboard.before', { value: before })}
        </Text>
      </Group>
    </Stack>
  )
}

/** BARC-10 change: never a mean change without its n; an interval only from two people up. */
export const RecoveryCapitalCard = memo(function RecoveryCapitalCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const now = data.recoveryCapital.current
  const before = data.recoveryCapital.previous
  const ci = (value: typeof now) => (value.changeCi ? `${formatNumber(value.changeCi.low, language, 1)} – ${formatNumber(value.changeCi.high, language, 1)}` : '—')
  const rows: Array<[string, string, string]> = [
    [t('dashboard.rc.assessed'), formatNumber(now.assessed, language), formatNumber(before.assessed, language)],
    [t('dashboard.rc.n'), formatNumber(now.n, language), formatNumber(before.n, language)],
    [t('dashboard.rc.meanFirst'), formatNumber(now.meanFirst, language, 1), formatNumber(before.meanFirst, language, 1)],
    [t('dashboard.rc.meanLatest'), formatNumber(now.meanLatest, language, 1), formatNumber(before.meanLatest, language, 1)],
    [t('dashboard.rc.meanChange'), formatNumber(now.meanChange, language, 1), formatNumber(before.meanChange, language, 1)],
    [t('dashboard.rc.ci'), ci(now), ci(before)],
    [t('dashboard.rc.at47First'), formatShare(now.shareAtOrAbove47First, language), formatShare(before.shareAtOrAbove47First, language)],
    [t('dashboard.rc.at47Latest'), formatShare(now.shareAtOrAbove47Latest, language), formatShare(before.shareAtOrAbove47Latest, language)],
  ]
  const points = [
    { step: t('dashboard.rc.first'), current: now.meanFirst ?? 0, previous: before.meanFirst ?? 0 },
    { step: t('dashboard.rc.latest'), current: now.meanLatest ?? 0, previous: before.meanLatest ?? 0 },
  ]
  return (
    <ChartCard
      title={t('dashboard.rc.title')}
      slug="recovery-capital"
      summary={
        now.n > 0
          ? t('dashboard.rc.summary', { first: formatNumber(now.meanFirst, language, 1), latest: formatNumber(now.meanLatest, language, 1), n: now.n })
          : t('dashboard.rc.none')
      }
      empty={now.n === 0 ? t('dashboard.rc.none') : null}
      extra={
        now.n > 0 ? (
          <Text size="sm">
            {t('dashboard.rc.changeLine', { change: formatNumber(now.meanChange, language, 1), ci: ci(now), n: now.n })}
          </Text>
        ) : null
      }
      table={{ header: [t('dashboard.measure'), t('dashboard.thisPeriod'), t('dashboard.previousPeriod')], rows }}
    >
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke={COLORS.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="step" tick={PlainTick} interval={0} />
          <YAxis domain={[10, 60]} ticks={[10, 20, 30, 40, 47, 60]} tick={PlainTick} interval={0} />
          <ChartTooltip />
          <Bar dataKey="current" name={t('dashboard.rc.meanOfN', { n: now.n })} fill={COLORS.accent} isAnimationActive={false} shape={PlainBar} />
          <Bar dataKey="previous" name={t('dashboard.rc.meanOfNBefore', { n: before.n })} fill={COLORS.previous} isAnimationActive={false} shape={PlainBar} />
        </BarChart>
      </ResponsiveContainer>
      <ChartKey items={[{ name: t('dashboard.rc.meanOfN', { n: now.n }), color: COLORS.accent }, { name: t('dashboard.rc.meanOfNBefore', { n: before.n }), color: COLORS.previous }]} />
    </ChartCard>
  )
})


/** Groups: sessions held and attendance (each person once a day), by group, beside the period before. */
export const GroupsCard = memo(function GroupsCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const now = data.groups.current
  const before = new Map(data.groups.previous.groups.map((g) => [g.groupId, g]))
  const rows = now.groups.map((g) => ({ ...g, before: before.get(g.groupId)?.attendance ?? 0 }))
  return (
    <ChartCard
      title={t('dashboard.groups.title')}
      slug="groups"
      summary={t('dashboard.groups.summary', { held: now.sessionsHeld, attendance: now.attendance, people: now.people })}
      empty={now.sessionsHeld === 0 && now.attendance === 0 ? t('dashboard.groups.none') : null}
      table={{
        header: [t('dashboard.groups.group'), t('dashboard.groups.held'), t('dashboard.groups.attendance'), t('dashboard.groups.people'), t('dashboard.groups.rate'), t('dashboard.groups.attendanceBefore')],
        rows: [
          ...rows.map((g) => [g.name, g.sessionsHeld, g.attendance, g.people, formatShare(g.attendanceRate, language), g.before]),
          [t('dashboard.groups.all'), now.sessionsHeld, now.attendance, now.people, '—', data.groups.previous.attendance],
        ],
      }}
    >
      <NamedBars rows={rows} value="attendance" label={t('dashboard.groups.attendance')} beforeLabel={t('dashboard.groups.attendanceBefore')} />
    </ChartCard>
  )
})

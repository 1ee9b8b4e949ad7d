import type { TFunction } from 'i18next'
import { memo } from 'react'
import { useTranslation } from 'react-i18next'
import { currentLanguage } from '../i18n'
import { ChartCard } from './ChartCard'
import { NamedBars } from './DashboardCharts'
import { formatNumber, type Dashboard, type FunderReport } from './format'

/** Peer coaching on the dashboard: contacts by kind beside the period before, and the engagement figures in the table. */
export const CoachingCard = memo(function CoachingCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation()
  const language = currentLanguage()
  const now = data.coaching.current
  const before = data.coaching.previous
  const rows = now.contactsByKind.map((k, i) => ({ name: t(`coaching.kinds.${k.kind}`), count: k.count, before: before.contactsByKind[i]?.count ?? 0 }))
  const median = (n: number | null) => formatNumber(n, language, 1)
  return (
    <ChartCard
      title={t('coaching.report.title')}
      slug="coaching"
      summary={t('coaching.report.summary', { active: now.activeEngagements, contacts: now.contacts, warmline: now.warmlineCalls })}
      empty={now.activeEngagements === 0 && now.contacts === 0 ? t('coaching.report.none') : null}
      table={{
        header: [t('coaching.report.figure'), t('coaching.report.now'), t('coaching.report.before')],
        rows: [
          [t('coaching.report.active'), now.activeEngagements, before.activeEngagements],
          ...now.contactsByKind.map((k, i) => [t(`coaching.kinds.${k.kind}`), k.count, before.contactsByKind[i]?.count ?? 0]),
          [t('coaching.report.contacts'), now.contacts, before.contacts],
          [t('coaching.report.median'), median(now.medianDaysBetweenContacts), median(before.medianDaysBetweenContacts)],
          [t('coaching.report.completed'), now.engagementsCompleted, before.engagementsCompleted],
          [t('coaching.report.goalsMet'), now.planGoalsMet, before.planGoalsMet],
        ],
      }}
    >
      <NamedBars rows={rows} value="count" label={t('coaching.report.contacts')} beforeLabel={t('coaching.report.before')} />
    </ChartCard>
  )
})

/** The funder report's coaching section: label and value rows, counted (and suppressed) as the others. */
export function coachingReportRows(report: FunderReport, t: TFunction, count: (n: number) => string, language: string): Array<{ label: string; value: string }> {
  const c = report.coaching
  return [
    { label: t('coaching.report.active'), value: count(c.activeEngagements) },
    { label: t('coaching.report.contacts'), value: count(c.contacts) },
    ...c.contactsByKind.map((k) => ({ label: t(`coaching.kinds.${k.kind}`), value: count(k.count) })),
    { label: t('coaching.report.median'), value: formatNumber(c.medianDaysBetweenContacts, language, 1) },
    { label: t('coaching.report.completed'), value: count(c.engagementsCompleted) },
    { label: t('coaching.report.goalsMet'), value: count(c.planGoalsMet) },
  ]
}

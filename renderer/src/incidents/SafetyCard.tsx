import { Group, Stack, Text } from '@mantine/core'
import { memo } from 'react'
import { useTranslation } from 'react-i18next'
import { ChartCard } from '../dashboard/ChartCard'
import { NamedBars } from '../dashboard/DashboardCharts'
import type { Dashboard } from '../dashboard/format'

/** The dashboard's safety figures (db/services/reports/safety.ts): overdose responses, reversals, doses on site, incidents by kind, restrictions. */
export const SafetyCard = memo(function SafetyCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation()
  const now = data.safety.current
  const before = new Map(data.safety.previous.incidentsByKind.map((k) => [k.kind, k.count]))
  const rows = now.incidentsByKind.map((k) => ({ name: t(`incidents.kinds.${k.kind}`), count: k.count, before: before.get(k.kind) ?? 0 }))
  const total = rows.reduce((sum, row) => sum + row.count, 0)
  const figures: Array<[string, number]> = [
    [t('incidents.safety.responses'), now.overdoseResponses],
    [t('incidents.safety.reversals'), now.reversals],
    [t('incidents.safety.doses'), now.naloxoneDoses],
    [t('incidents.safety.restrictions'), now.restrictionsInForce],
  ]
  return (
    <ChartCard
      title={t('incidents.safety.title')}
      slug="safety"
      summary={t('incidents.safety.summary', { responses: now.overdoseResponses, reversals: now.reversals, doses: now.naloxoneDoses, restrictions: now.restrictionsInForce })}
      empty={total === 0 && now.restrictionsInForce === 0 ? t('incidents.safety.none') : null}
      table={{
        header: [t('incidents.safety.kindCol'), t('incidents.safety.count'), t('incidents.safety.before')],
        rows: [...figures.map(([label, value]) => [label, value, '—']), ...rows.map((row) => [row.name, row.count, row.before])],
      }}
      extra={
        <Group gap="lg" data-testid="safety-figures">
          {figures.map(([label, value]) => (
            <Stack key={label} gap={0}>
              <Text size="xl" fw={700}>
                {value}
              </Text>
              <Text size="xs" c="dimmed" maw={150}>
                {label}
              </Text>
            </Stack>
          ))}
        </Group>
      }
    >
      <NamedBars rows={rows} value="count" label={t('incidents.safety.count')} beforeLabel={t('incidents.safety.before')} />
    </ChartCard>
  )
})
